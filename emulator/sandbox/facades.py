"""Facades: what sandboxed code gets when it imports a module. Runs in the sandbox child.

A facade shows the public attributes of one allowed module, minus the names through which
the library reaches the host (the sandbox note's "libraries leak modules"): a submodule is
shown only as its own facade, denied names are absent, functions that take paths are
wrapped so that paths map to /mnt/data, and a few entry points are replaced by safe
versions (matplotlib's rcParams and styles, numpy's load and default_rng, pandas options).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from .libraries import (
    RcParamsView,
    StyleView,
    pandas_option_context,
    rc,
    rc_context,
    set_pandas_option,
    use_agg,
)
from .paths import DataDir, Opaque, SandboxPathError, check_target
from .rules import (
    ALLOWED,
    DENIED,
    HOST_MODULES,
    IMAGE_FORMATS,
    ONLY,
    PATH_KEYWORDS,
    PLAIN_TYPES,
    RAW_BUILTINS,
    READERS,
    WRITERS,
)


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
    if kind in PLAIN_TYPES:  # the common case, on every item and attribute access
        return False
    if issubclass(kind, type):  # a class
        if issubclass(value, type):
            return True
        origin = value.__module__
    elif kind in (FunctionType, BuiltinFunctionType, MethodType):
        if kind is BuiltinFunctionType and value in RAW_BUILTINS:
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
                return use_agg
            if name == "rc":
                return rc
            if name == "rc_context":
                return rc_context
            if name == "show":
                return self.show
        if module == "matplotlib.style":
            return getattr(StyleView(), name, None)
        if module == "numpy.random" and name == "default_rng":
            return self._default_rng
        if module == "pandas" and name == "set_option":
            return set_pandas_option
        if module == "pandas" and name == "option_context":  # option_context("plotting.backend", "x") imports x
            return pandas_option_context
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
