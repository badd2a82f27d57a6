"""Safe views of library configuration (matplotlib's rcParams, styles and rc; pandas options),
and the hardening of library entry points that turn a string from the code into a getattr or
a format. Runs in the sandbox child."""

from __future__ import annotations

import functools
import string
from collections.abc import Callable
from typing import Any

from .paths import Opaque, SandboxPathError
from .rules import DENIED, OBJECT_DENIED, RC_DENIED_PREFIXES, READERS, WRITERS


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


def use_agg(backend: Any, *args: Any, **kwargs: Any) -> None:
    if type(backend) is not str or backend.lower() != "agg":
        raise ValueError("only the 'Agg' backend is available in the sandbox")


def rc(group: Any, **kwargs: Any) -> None:
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


def rc_context(rc: Any = None, fname: Any = None) -> Any:
    import matplotlib

    if fname is not None:
        raise SandboxPathError("rc_context(fname=...) is not available in the sandbox")
    return matplotlib.rc_context(rc=_check_rc_dict(rc or {}))


PANDAS_OPTION_PREFIXES = ("display.", "mode.chained_assignment", "future.", "styler.format", "styler.render")


def _check_pandas_options(args: tuple[Any, ...]) -> None:
    for key in args[::2]:
        if type(key) is not str or not key.startswith(PANDAS_OPTION_PREFIXES):
            raise KeyError(f"pandas option {key!r} cannot be set in the sandbox")


def set_pandas_option(*args: Any) -> None:
    import pandas

    _check_pandas_options(args)
    pandas.set_option(*args)


def pandas_option_context(*args: Any) -> Any:
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
    import pandas

    # One xlsx engine whatever else is installed (python-pptx brings XlsxWriter, whose
    # workbook writes to its own `filename`): openpyxl, whose paths the guards know.
    pandas.set_option("io.excel.xlsx.writer", "openpyxl")
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
