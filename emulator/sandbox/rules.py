"""The sandbox's policy tables: which modules code may import, which names it never gets, which
library functions take paths. Read by the facades, the guards and the library views."""

from __future__ import annotations

import builtins

#: Modules code may import, with the submodules shown under them. (Not `enum`: its functional API
#: makes classes with any dunder method, `Enum("E", [("A", 1), ("__fspath__", f)])`, and
#: `global_enum` of an enum made with `module="posixpath"` writes its members into that loaded
#: module, e.g. over `os.path.realpath`, on which the path checks rely.)
ALLOWED: dict[str, tuple[str, ...]] = {
    "math": (), "cmath": (), "statistics": (), "decimal": (), "fractions": (), "numbers": (),
    "random": (), "datetime": (), "time": (), "calendar": (), "json": (), "csv": (), "re": (),
    "collections": ("abc",), "itertools": (), "functools": (), "operator": (), "string": (),
    "textwrap": (), "io": (), "base64": (), "hashlib": (), "copy": (), "heapq": (), "bisect": (),
    "pprint": (), "unicodedata": (),
    "numpy": ("linalg", "random", "fft", "polynomial"),
    "pandas": (),
    "matplotlib": ("pyplot", "cm", "colors", "dates", "ticker", "patches", "lines", "gridspec", "style",
                   "markers", "colormaps"),
}  # fmt: skip

#: Only these names of these modules (the rest of them reach the host or run code).
ONLY: dict[str, frozenset[str]] = {
    "io": frozenset({"StringIO", "BytesIO"}),
    "string": frozenset({"ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
                         "octdigits", "punctuation", "printable", "whitespace", "capwords"}),
    "operator": frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "abs",
                           "eq", "ne", "lt", "le", "gt", "ge", "and_", "or_", "xor", "not_", "truth",
                           "itemgetter", "contains", "countOf", "indexOf", "concat", "matmul", "inv", "invert",
                           "lshift", "rshift", "is_", "is_not", "index"}),
    "time": frozenset({"time", "perf_counter", "monotonic", "sleep", "strftime", "gmtime", "localtime",
                       "mktime", "struct_time", "process_time"}),
    # update_wrapper/wraps are a getattr and setattr with any name (`assigned=("__globals__",)`).
    "functools": frozenset({"partial", "partialmethod", "reduce", "lru_cache", "cache", "cached_property",
                            "cmp_to_key", "total_ordering", "singledispatch"}),
    # `from matplotlib.style import USER_LIBRARY_PATHS, reload_library` loads style files from any folder.
    "matplotlib.style": frozenset({"available", "library", "use", "context"}),
}  # fmt: skip

#: Names refused on any object that is not a module (they run code, unpickle or reach the host).
OBJECT_DENIED: frozenset[str] = frozenset({
    "eval", "query", "to_pickle", "dump", "dumps", "ctypes", "tofile", "to_clipboard", "to_sql", "to_hdf",
    "to_stata", "to_feather", "to_parquet", "to_orc", "to_iceberg", "from_custom_template", "manager", "set_canvas",
    # df.style: a Styler, whose `env` is an unsandboxed jinja2 Environment (`env.from_string(...)`
    # runs any Python) and whose `format("{0.__class__}")` is a str.format on any value.
    "style",
    # Cython functions' aliases of __globals__/__code__ (np.random.seed.func_globals is a module's globals).
    "func_globals", "func_code", "func_closure",
    # Generator(...).bit_generator.cffi: raw pointers; file.buffer.raw / detach(): an io.FileIO,
    # whose class opens any path or fd; np.load("x.npz").zip: a ZipFile (extractall, write).
    "cffi", "raw", "detach", "zip",
})  # fmt: skip

#: Names hidden on every module facade, for the same reasons.
DENIED: frozenset[str] = frozenset({
    "eval", "query", "format_map", "Formatter", "attrgetter", "methodcaller", "to_pickle", "read_pickle",
    "ctypes", "ctypeslib", "f2py", "memmap", "fromfile", "tofile", "as_strided",
    "switch_backend", "rc_file", "rc_file_defaults", "rc_params_from_file", "clipboard", "read_clipboard",
    "to_clipboard", "read_sql", "read_sql_query", "read_sql_table", "to_sql", "read_html", "read_xml",
    "read_hdf", "to_hdf", "HDFStore", "read_gbq", "read_spss", "read_sas", "read_stata", "to_stata",
    "read_orc", "read_feather", "to_feather", "read_parquet", "to_parquet", "read_iceberg", "show_versions", "test",
    "get_current_fig_manager", "DataSource", "fromregex", "from_custom_template", "rcParamsDefault",
    "rcParamsOrig", "rc_params", "get_backend", "install_repl_displayhook", "uninstall_repl_displayhook",
    "new_figure_manager", "set_loglevel", "get_cachedir", "get_configdir", "get_data_path", "matplotlib_fname",
    "lib", "core", "compat", "testing", "ma", "char", "rec", "distutils", "setup", "show_config",
    "seterrcall", "pyplot_helpers", "manager", "options", "describe_option", "reset_option",
    "Template", "PrettyPrinter", "SystemRandom",
})  # fmt: skip

#: Functions and methods whose first argument (or these keywords) is a path.
PATH_KEYWORDS = ("filepath_or_buffer", "path_or_buf", "path", "fname", "file", "io", "excel_writer",
                 "path_or_buffer", "buf", "filename")  # fmt: skip
READERS = frozenset({"read_csv", "read_table", "read_fwf", "read_excel", "read_json", "ExcelFile", "loadtxt",
                     "genfromtxt", "load", "imread", "open"})  # fmt: skip
WRITERS = frozenset({"to_csv", "to_excel", "to_json", "to_html", "to_latex", "to_markdown", "to_string",
                     "to_xml", "savefig", "imsave", "save", "savez", "savez_compressed", "savetxt",
                     "ExcelWriter", "print_figure"})  # fmt: skip
#: Classes and functions of these modules are refused wherever they show up: libraries re-export
#: some (`matplotlib.Path` is `pathlib.Path`, `matplotlib.Parameter` is `inspect.Parameter`).
HOST_MODULES: frozenset[str] = frozenset({
    "os", "posix", "posixpath", "pathlib", "subprocess", "shutil", "importlib", "pickle", "_pickle", "ctypes",
    "_ctypes", "socket", "_socket", "sys", "tempfile", "zipfile", "tarfile", "glob", "inspect", "runpy", "code",
    "pty", "multiprocessing", "threading", "_thread", "signal", "webbrowser", "marshal", "gc", "mmap", "cffi",
    "_cffi_backend", "jinja2", "pydoc", "urllib", "http", "socketserver", "asyncio", "concurrent", "sqlite3",
    "shelve", "dbm", "logging", "site", "sysconfig", "zipimport", "io", "enum",
})  # fmt: skip
#: Builtins sandboxed code must never hold (its own builtins are guarded versions).
RAW_BUILTINS = frozenset(getattr(builtins, n) for n in ("eval", "exec", "compile", "open", "__import__", "getattr",
                                                          "setattr", "delattr", "globals", "locals", "vars",
                                                          "input", "breakpoint", "help", "type"))  # fmt: skip
PLAIN_TYPES = frozenset({int, float, complex, bool, str, bytes, type(None), list, tuple, dict, set})
IMAGE_FORMATS = frozenset({"png", "jpg", "jpeg", "svg", "pdf", "eps", "ps", "tif", "tiff", "webp", "raw", "rgba"})

#: rcParams keys code may not set: they import modules, call hooks or run programs.
RC_DENIED_PREFIXES = ("backend", "figure.hooks", "text.usetex", "text.latex", "animation.", "webagg.", "pgf.",
                      "ps.usedistiller", "savefig.directory", "interactive", "toolbar", "tk.", "macosx.",
                      "keymap.", "datapath", "docstring.")  # fmt: skip
