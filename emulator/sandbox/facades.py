"""Facades: what sandboxed code gets when it imports a module. Runs in the sandbox child.

A facade shows the public attributes of one allowed module, minus the names through which
the library reaches the host (the sandbox note's "libraries leak modules"): a submodule is
shown only as its own facade, denied names are absent, functions that take paths are
wrapped so that paths map to /mnt/data, and a few entry points are replaced by safe
versions (matplotlib's rcParams and styles, numpy's load and default_rng, pandas options).
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import importlib
import io
import string
from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from .paths import DataDir, Opaque, SandboxPathError, check_target

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
_RAW_BUILTINS = frozenset(getattr(builtins, n) for n in ("eval", "exec", "compile", "open", "__import__", "getattr",
                                                          "setattr", "delattr", "globals", "locals", "vars",
                                                          "input", "breakpoint", "help", "type"))  # fmt: skip
_PLAIN = frozenset({int, float, complex, bool, str, bytes, type(None), list, tuple, dict, set})
IMAGE_FORMATS = frozenset({"png", "jpg", "jpeg", "svg", "pdf", "eps", "ps", "tif", "tiff", "webp", "raw", "rgba"})

#: rcParams keys code may not set: they import modules, call hooks or run programs.
RC_DENIED_PREFIXES = ("backend", "figure.hooks", "text.usetex", "text.latex", "animation.", "webagg.", "pgf.",
                      "ps.usedistiller", "savefig.directory", "interactive", "toolbar", "tk.", "macosx.",
                      "keymap.", "datapath", "docstring.")  # fmt: skip


class Facade(Opaque):
    """A read-only view on one allowed module."""

    __slots__ = ("_name", "_module", "_policy", "_cache")

    def __init__(self, name: str, module: ModuleType, policy: Policy) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_policy", policy)
        object.__setattr__(self, "_cache", {})

    def __getattr__(self, name: str) -> Any:
        cache = object.__getattribute__(self, "_cache")
        if name in cache:
            return cache[name]
        value = object.__getattribute__(self, "_policy").module_attribute(self, name)
        cache[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"module '{self._name}' is read-only in the sandbox")

    __delattr__ = __setattr__  # type: ignore[assignment]

    def __dir__(self) -> list[str]:
        policy = object.__getattribute__(self, "_policy")
        return [n for n in dir(self._module) if policy.visible(self._name, n)]

    def __repr__(self) -> str:
        return f"<module '{self._name}'>"


def refused_value(value: Any) -> bool:
    """A value code may not hold whatever the path to it: a metaclass (called with three arguments
    it makes a class with any dunder method, e.g. `numbers.ABCMeta("P", (), {"__fspath__": f})`),
    a raw builtin (eval, open, ...), or a class or function of a module that reaches the host."""
    kind = type(value)  # not isinstance(), which believes a `__class__` property
    if kind in _PLAIN:  # the common case, on every item and attribute access
        return False
    if issubclass(kind, type):  # a class
        if issubclass(value, type):
            return True
        origin = value.__module__
    elif kind in (FunctionType, BuiltinFunctionType, MethodType):
        if kind is BuiltinFunctionType and value in _RAW_BUILTINS:
            return True
        origin = getattr(value, "__module__", None)
    else:
        origin = kind.__module__
    return isinstance(origin, str) and origin.partition(".")[0] in HOST_MODULES


def _missing(owner: str, name: str) -> AttributeError:
    return AttributeError(f"module '{owner}' has no attribute '{name}'")


class Policy(Opaque):
    """Hands out facades and wraps library entry points for one execution directory."""

    def __init__(self, data_dir: DataDir, seed: str) -> None:
        self.data_dir = data_dir
        self.seed = seed
        self._facades: dict[str, Facade] = {}
        self._rng_calls = 0
        #: PNGs of figures shown with plt.show() during the current execution.
        self.shown_figures: list[bytes] = []

    # --- imports ----------------------------------------------------------------------

    def facade(self, name: str) -> Facade:
        found = self._facades.get(name)
        if found is None:
            found = self._facades[name] = Facade(name, importlib.import_module(name), self)
        return found

    def allowed(self, dotted: str) -> bool:
        top, _, rest = dotted.partition(".")
        if top not in ALLOWED:
            return False
        return not rest or rest.split(".")[0] in ALLOWED[top] and "." not in rest

    def import_(self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if type(name) is not str or level != 0:
            raise ImportError("relative imports are not allowed in the sandbox")
        if not self.allowed(name):
            raise ImportError(f"No module named '{name}' is available in this sandbox")
        top = name.split(".")[0]
        module = self.facade(name) if fromlist else self.facade(top)
        for item in fromlist or ():
            if type(item) is not str or item.startswith("_"):
                raise ImportError(f"cannot import name {item!r} from '{name}'")
            getattr(module, item)  # the facade decides; a refused name raises here
        return module

    # --- attributes of modules ----------------------------------------------------------

    def visible(self, module: str, name: str) -> bool:
        if name.startswith("_") or name in DENIED:
            return False
        only = ONLY.get(module)
        return only is None or name in only

    def module_attribute(self, facade: Facade, name: str) -> Any:
        module_name = object.__getattribute__(facade, "_name")
        module = object.__getattribute__(facade, "_module")
        if not self.visible(module_name, name):
            raise _missing(module_name, name)
        special = self._special(module_name, name)
        if special is not None:
            return special
        try:
            value = getattr(module, name)
        except AttributeError:
            value = None
            missing = True
        else:
            missing = False
        if missing:
            dotted = f"{module_name}.{name}"
            if self.allowed(dotted):
                return self.facade(dotted)
            raise _missing(module_name, name)
        return self.checked(value, name, owner=module_name)

    def checked(self, value: Any, name: str, owner: str = "") -> Any:
        """What code may see of an attribute value: modules only as facades, path functions wrapped."""
        if isinstance(value, ModuleType):
            dotted = value.__name__
            if self.allowed(dotted):
                return self.facade(dotted)
            raise AttributeError(f"'{owner or name}' has no attribute '{name}' in the sandbox")
        if refused_value(value):
            raise AttributeError(f"'{owner or name}' attribute '{name}' is not available in the sandbox")
        if callable(value) and not isinstance(value, type | Facade):
            if name in READERS:
                return self._paths(value, name, writing=False)
            if name in WRITERS:
                return self._paths(value, name, writing=True)
        elif isinstance(value, type) and name in ("ExcelWriter", "ExcelFile"):
            return self._paths(value, name, writing=name == "ExcelWriter")
        return value

    def _paths(self, func: Callable[..., Any], name: str, *, writing: bool) -> Callable[..., Any]:
        data_dir = self.data_dir

        @functools.wraps(func)
        def with_paths(*args: Any, **kwargs: Any) -> Any:
            args = list(args)
            if args:
                args[0] = check_target(data_dir, args[0], writing=writing)
            for key in PATH_KEYWORDS:
                if key in kwargs:
                    kwargs[key] = check_target(data_dir, kwargs[key], writing=writing)
            if name in ("savefig", "print_figure"):
                if len(args) > 1:  # print_figure's sixth positional argument is the format
                    raise TypeError(f"{name}() takes its options as keywords in the sandbox")
                _check_image_format(args[0] if args else kwargs.get("fname"), kwargs.get("format"))
                # savefig(backend="module://x") imports x; backend="pgf" runs LaTeX.
                if kwargs.get("backend") is not None:
                    raise ValueError("savefig(backend=...) is not available in the sandbox")
            if name == "load":
                kwargs["allow_pickle"] = False
            if name in ("read_csv", "read_table", "read_json", "read_excel", "read_fwf"):
                kwargs.pop("storage_options", None)
            return func(*args, **kwargs)

        return with_paths

    # --- replaced entry points ----------------------------------------------------------

    def _special(self, module: str, name: str) -> Any:
        if module in ("matplotlib", "matplotlib.pyplot"):
            if name == "rcParams":
                return RcParamsView(importlib.import_module("matplotlib").rcParams)
            if name == "style":
                return StyleView()
            if name == "use":
                return _use_agg
            if name == "rc":
                return _rc
            if name == "rc_context":
                return _rc_context
            if name == "show":
                return self.show
        if module == "matplotlib.style":
            return getattr(StyleView(), name, None)
        if module == "numpy.random" and name == "default_rng":
            return self._default_rng
        if module == "pandas" and name == "set_option":
            return _set_pandas_option
        if module == "pandas" and name == "option_context":  # option_context("plotting.backend", "x") imports x
            return _pandas_option_context
        return None

    def show(self, *args: Any, **kwargs: Any) -> None:
        """plt.show(): the open figures are shown (captured as images) and closed, as in a notebook."""
        self.shown_figures.extend(capture_figures())

    def _default_rng(self, seed: Any = None) -> Any:
        import numpy

        if seed is None:  # deterministic: derived from the session's seed
            self._rng_calls += 1
            seed = stable_int(f"{self.seed}:{self._rng_calls}")
        return numpy.random.default_rng(seed)


def stable_int(text: str) -> int:
    """A 32-bit number from a text, the same in every process (unlike hash())."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def capture_figures() -> list[bytes]:
    """Every open matplotlib figure as PNG bytes, oldest first; the figures are closed."""
    import matplotlib.pyplot as plt

    images = []
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png")
        images.append(buffer.getvalue())
    plt.close("all")
    return images


def _check_image_format(target: Any, fmt: Any) -> None:
    if fmt is None and isinstance(target, str) and "." in target.rsplit("/", 1)[-1]:
        fmt = target.rsplit(".", 1)[-1]
    if fmt is None:  # no format, no extension: matplotlib uses savefig.format (set to "pgf", it runs LaTeX)
        import matplotlib

        fmt = matplotlib.rcParams["savefig.format"]
    if str(fmt).lower() not in IMAGE_FORMATS:
        raise SandboxPathError(f"image format {fmt!r} is not available; use one of {', '.join(sorted(IMAGE_FORMATS))}")


def _check_rc(key: Any) -> None:
    if type(key) is not str:
        raise KeyError(key)
    if key.startswith(RC_DENIED_PREFIXES):
        raise KeyError(f"{key!r} cannot be set in the sandbox")


def _check_rc_dict(params: Any) -> dict[str, Any]:
    params = dict(params)
    for key in params:
        _check_rc(key)
    return params


class RcParamsView(Opaque):
    """matplotlib.rcParams for sandboxed code: read anything, write what cannot reach the host."""

    __slots__ = ("_rc",)

    def __init__(self, rc: Any) -> None:
        object.__setattr__(self, "_rc", rc)

    def __getitem__(self, key: str) -> Any:
        return self._rc[key]

    def __setitem__(self, key: str, value: Any) -> None:
        _check_rc(key)
        self._rc[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._rc

    def __iter__(self) -> Any:
        return iter(list(self._rc.keys()))

    def __len__(self) -> int:
        return len(self._rc)

    def get(self, key: str, default: Any = None) -> Any:
        return self._rc.get(key, default)

    def keys(self) -> list[str]:
        return list(self._rc.keys())

    def items(self) -> list[tuple[str, Any]]:
        return list(self._rc.items())

    def values(self) -> list[Any]:
        return list(self._rc.values())

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._rc.update(_check_rc_dict(dict(*args, **kwargs)))

    def copy(self) -> dict[str, Any]:
        return dict(self._rc)

    def find_all(self, pattern: str) -> dict[str, Any]:
        return dict(self._rc.find_all(pattern))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("rcParams is read-only; set its items")

    def __repr__(self) -> str:
        return "RcParams(...)"


def _style_params(style: Any) -> Any:
    """A style as a checked dict (a name from the library or a dict), or a list of those."""
    import matplotlib.style as mstyle

    if isinstance(style, (list, tuple)):
        return [_style_params(s) for s in style]
    if type(style) is str:
        if style == "default":
            return "default"
        if style not in mstyle.library:
            raise OSError(f"{style!r} is not a style name available in the sandbox; see plt.style.available")
        return _check_rc_dict(mstyle.library[style])
    if isinstance(style, dict):
        return _check_rc_dict(style)
    raise TypeError("a style is a name from plt.style.available or a dict of rcParams")


class StyleView(Opaque):
    """matplotlib.style for sandboxed code: named styles and dicts, no style files or URLs."""

    __slots__ = ()

    @property
    def available(self) -> list[str]:
        import matplotlib.style as mstyle

        return list(mstyle.available)

    @property
    def library(self) -> dict[str, Any]:
        import matplotlib.style as mstyle

        return {name: dict(params) for name, params in mstyle.library.items()}

    def use(self, style: Any) -> None:
        import matplotlib.style as mstyle

        mstyle.use(_style_params(style))

    def context(self, style: Any, after_reset: bool = False) -> Any:
        import matplotlib.style as mstyle

        return mstyle.context(_style_params(style), after_reset=after_reset)


def _use_agg(backend: Any, *args: Any, **kwargs: Any) -> None:
    if type(backend) is not str or backend.lower() != "agg":
        raise ValueError("only the 'Agg' backend is available in the sandbox")


def _rc(group: Any, **kwargs: Any) -> None:
    import matplotlib

    # Plain strings only, and matplotlib gets the very names checked (an iterable or a str
    # subclass could show one name to the check and another to matplotlib).
    groups = [group] if type(group) is str else list(group)
    for g in groups:
        for key in kwargs:
            if type(g) is not str or type(key) is not str:
                raise TypeError("rc() takes plain string names in the sandbox")
            _check_rc(f"{g}.{key}")
    matplotlib.rc(tuple(groups), **kwargs)


def _rc_context(rc: Any = None, fname: Any = None) -> Any:
    import matplotlib

    if fname is not None:
        raise SandboxPathError("rc_context(fname=...) is not available in the sandbox")
    return matplotlib.rc_context(rc=_check_rc_dict(rc or {}))


PANDAS_OPTION_PREFIXES = ("display.", "mode.chained_assignment", "future.", "styler.format", "styler.render")


def _check_pandas_options(args: tuple[Any, ...]) -> None:
    for key in args[::2]:
        if type(key) is not str or not key.startswith(PANDAS_OPTION_PREFIXES):
            raise KeyError(f"pandas option {key!r} cannot be set in the sandbox")


def _set_pandas_option(*args: Any) -> None:
    import pandas

    _check_pandas_options(args)
    pandas.set_option(*args)


def _pandas_option_context(*args: Any) -> Any:
    import pandas

    _check_pandas_options(args)
    return pandas.option_context(*args)


# --- library entry points that turn a string from the code into a getattr or a format -----


def dispatch_refused(name: Any) -> bool:
    """A name a library may not look up for the code (pandas `df.agg("name")` is a getattr on the
    frame): what `_getattr_` refuses, and the path functions it would have wrapped."""
    return type(name) is not str or (
        name.startswith(("_", "to_", "read_", "print_"))
        or name in OBJECT_DENIED
        or name in DENIED
        or name in READERS
        or name in WRITERS
        or name in ("plot", "hist", "boxplot")
    )


def check_template(template: Any) -> Any:
    """A str.format template a library applies to values: no `{0.attr}` or `{0[key]}` lookups
    (which str.format resolves with the real getattr: `{0.__globals__[os].environ}`)."""
    if isinstance(template, str):
        for _text, field, spec, _conversion in string.Formatter().parse(template):
            if field is not None and ("." in field or "[" in field):
                raise ValueError(f"format field {{{field}}} is not available in the sandbox; use {{}} or {{x}}")
            if spec:
                check_template(spec)
    return template


_hardened = False


def harden_libraries() -> None:
    """Close the library entry points that do what the guards refuse (once per session process).

    - pandas: `df.apply("to_csv", path_or_buf="/tmp/x")`, `df.agg("style")` (a jinja2 Styler),
      `s.apply("__getattribute__", args=("__class__",))`, `gb["b"].agg("__getattribute__", "obj")`:
      a string function name is a getattr on the object, outside the guards;
    - pandas: `Styler.format("{0.__class__}")`, `to_latex(formatters={"a": "{0.__globals__}"})`
      and the `styler.format.formatter` option are str.format on any value;
    - pandas: `df.plot(backend="x")` imports module x;
    - matplotlib: `StrMethodFormatter("{x.__globals__}")(f)` and bar_label's `fmt` are str.format.
    """
    global _hardened
    if _hardened:
        return
    _hardened = True
    import matplotlib.cbook
    import matplotlib.ticker
    import pandas.core.apply
    import pandas.core.groupby.generic
    import pandas.core.groupby.groupby
    import pandas.io.formats.style_render
    import pandas.plotting._core

    def dispatch(method: Callable[..., Any], position: int) -> Callable[..., Any]:
        @functools.wraps(method)
        def checked(*args: Any, **kwargs: Any) -> Any:
            func = args[position] if len(args) > position else kwargs.get("func")
            if isinstance(func, str) and dispatch_refused(func):
                raise AttributeError(f"{func!r} is not a function name available in the sandbox")
            return method(*args, **kwargs)

        return checked

    apply = pandas.core.apply.Apply
    apply._apply_str = dispatch(apply._apply_str, 2)  # (self, obj, func, ...)
    series_gb = pandas.core.groupby.generic.SeriesGroupBy
    series_gb.aggregate = series_gb.agg = dispatch(series_gb.aggregate, 1)  # (self, func, ...)
    groupby = pandas.core.groupby.groupby.GroupBy
    groupby.apply = dispatch(groupby.apply, 1)

    render = pandas.io.formats.style_render
    wrap_formatter = render._maybe_wrap_formatter

    def maybe_wrap_formatter(formatter: Any = None, *args: Any, **kwargs: Any) -> Any:
        return wrap_formatter(check_template(formatter), *args, **kwargs)

    render._maybe_wrap_formatter = maybe_wrap_formatter

    plotting = pandas.plotting._core
    get_backend = plotting._get_plot_backend

    def plot_backend(backend: Any = None) -> Any:
        if backend not in (None, "matplotlib"):
            raise ValueError("only the 'matplotlib' plotting backend is available in the sandbox")
        return get_backend("matplotlib")

    plotting._get_plot_backend = plot_backend

    formatter = matplotlib.ticker.StrMethodFormatter
    formatter_call = formatter.__call__

    def call(self: Any, x: Any, pos: Any = None) -> Any:
        check_template(self.fmt)
        return formatter_call(self, x, pos)

    formatter.__call__ = call
    auto_format = matplotlib.cbook._auto_format_str
    matplotlib.cbook._auto_format_str = lambda fmt, value: auto_format(check_template(fmt), value)
