"""The hooks RestrictedPython calls (`_getattr_`, `_write_`, `__import__`, ...) and the builtins
sandboxed code gets. Runs in the sandbox child.

RestrictedPython only rewrites code so that attribute access, item access, writes, imports and
`print` go through these hooks: the hooks are the security boundary. Their rules:
- no name starting with `_` and no frame/generator attribute, however it is spelled
  (`x._a`, `getattr(x, "_a")`, format strings);
- no module except through a facade (a library object's attribute that is a module is refused);
- fresh exceptions on refusal (no `AttributeError.obj` pointing at the refused object);
- writes only to plain data and to objects of classes the code defined, never to modules,
  classes or functions it did not make (no poisoning of shared library code);
- `str.format`/`format_map` resolve fields through the same getattr/getitem.
"""

from __future__ import annotations

import builtins
import io
import operator
import string
from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safe_builtins
from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from .facades import Facade, Policy, refused_value
from .libraries import StyleView
from .paths import DataDir, Opaque
from .rules import OBJECT_DENIED

_MISSING = object()

#: Types whose instances code may change in place (besides instances of its own classes).
_WRITABLE_BUILTINS = (list, dict, set, bytearray)

INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "<<=": operator.ilshift,
    ">>=": operator.irshift, "&=": operator.iand, "^=": operator.ixor, "|=": operator.ior,
    "@=": operator.imatmul,
}  # fmt: skip


class Output(Opaque):
    """What an execution printed (print, sys.stdout of libraries, warnings), capped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def write(self, text: Any) -> int:
        text = str(text)
        if self.truncated:
            return len(text)
        room = self.limit - self.size
        if len(text) > room:
            self.parts.append(text[:room])
            self.size = self.limit
            self.truncated = True
        else:
            self.parts.append(text)
            self.size += len(text)
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        out = "".join(self.parts)
        if self.truncated:
            out += f"\n[output truncated: more than {self.limit} characters]"
        return out


class Guards(Opaque):
    """One set of hooks and builtins for one session (its policy, directory and output)."""

    def __init__(self, data_dir: DataDir, policy: Policy) -> None:
        self.data_dir = data_dir
        self.policy = policy
        self.output = Output(20_000)
        self.user_classes: set[type] = set()
        self._formatter = _GuardedFormatter(self)

    # --- attribute and item access ------------------------------------------------------

    def getattr(self, obj: Any, name: Any, default: Any = _MISSING) -> Any:
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        if name.startswith("_") or name in INSPECT_ATTRIBUTES:
            raise AttributeError(f"'{name}' is not an allowed attribute in the sandbox")
        try:
            return self._getattr(obj, name)
        except AttributeError as exc:
            if default is not _MISSING:
                return default
            message = str(exc)
        raise AttributeError(message)  # fresh: no .obj, no __context__

    def _getattr(self, obj: Any, name: str) -> Any:
        if type(obj) is Facade:  # the exact type: isinstance() believes a `__class__` property
            return getattr(obj, name)
        if isinstance(obj, ModuleType):
            raise AttributeError("modules are only reachable through import in the sandbox")
        if name in OBJECT_DENIED or name.startswith("print_"):
            raise AttributeError(f"'{type(obj).__name__}' attribute '{name}' is not available in the sandbox")
        if name in ("format", "format_map") and (isinstance(obj, str) or obj is str):
            return self._format_method(obj, name)
        if isinstance(obj, io.IOBase) and name == "name":
            value = getattr(obj, name)
            return self.data_dir.shown(value) if isinstance(value, str) else value
        return self.policy.checked(getattr(obj, name), name, owner=type(obj).__name__)

    def _format_method(self, obj: Any, name: str) -> Callable[..., str]:
        formatter = self._formatter
        if obj is str:
            return lambda template, *a, **kw: formatter.vformat(_plain(template), a, kw)
        template = _plain(obj)
        if name == "format_map":
            return lambda mapping: formatter.vformat(template, (), mapping)
        return lambda *a, **kw: formatter.vformat(template, a, kw)

    def hasattr(self, obj: Any, name: Any) -> bool:
        return self.getattr(obj, name, _MISSING_DEFAULT) is not _MISSING_DEFAULT

    def getitem(self, obj: Any, key: Any) -> Any:
        value = obj[key]
        if isinstance(value, ModuleType) or refused_value(value):
            raise KeyError(key)
        return value

    def write(self, obj: Any) -> Any:
        """`_write_`: the object itself when code may change it, else a refusal.
        (`plt.rcParams[key] = v` is allowed: the view checks the key.)"""
        if isinstance(obj, (Facade, ModuleType, StyleView)):
            raise TypeError("modules cannot be changed in the sandbox")
        if isinstance(obj, type):
            if obj in self.user_classes:
                return obj
            raise TypeError(f"class {obj.__name__!r} cannot be changed in the sandbox")
        if isinstance(obj, (FunctionType, BuiltinFunctionType, MethodType)):
            raise TypeError("functions cannot be changed in the sandbox")
        return obj

    def setattr(self, obj: Any, name: Any, value: Any) -> None:
        if type(name) is not str or name.startswith("_") or name in OBJECT_DENIED:
            raise AttributeError(f"attribute {name!r} cannot be set in the sandbox")
        builtins.setattr(self.write(obj), name, value)

    def delattr(self, obj: Any, name: Any) -> None:
        if type(name) is not str or name.startswith("_"):
            raise AttributeError(f"attribute {name!r} cannot be deleted in the sandbox")
        builtins.delattr(self.write(obj), name)

    def inplacevar(self, op: str, x: Any, y: Any) -> Any:
        func = INPLACE.get(op)
        if func is None:
            raise SyntaxError(f"unsupported operator {op}")
        if isinstance(x, (Facade, ModuleType)):
            raise TypeError("modules cannot be changed in the sandbox")
        return func(x, y)

    # --- classes, print, builtins -----------------------------------------------------

    def metaclass(self, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        for base in bases:
            if isinstance(base, type) and (base is type or issubclass(base, type)):
                raise TypeError("metaclasses cannot be defined in the sandbox")
        cls = type(name, bases, namespace)
        self.user_classes.add(cls)
        return cls

    def print_factory(self, _getattr_: Any = None) -> _Printer:
        return _Printer(self)

    def builtins(self) -> dict[str, Any]:
        allowed = {k: v for k, v in safe_builtins.items() if not k.startswith("_") or k == "__build_class__"}
        for name in ("setattr", "delattr", "_getattr_"):
            allowed.pop(name, None)
        for name in ("sorted", "tuple", "zip", "bytes", "list", "dict", "set", "frozenset", "enumerate", "map",
                     "filter", "reversed", "sum", "min", "max", "any", "all", "iter", "next", "bytearray",
                     "format", "bin", "ascii", "object", "property", "staticmethod", "classmethod", "super",
                     "NotImplemented", "StopAsyncIteration", "RecursionError", "FileNotFoundError",
                     "FileExistsError", "PermissionError", "IsADirectoryError", "NotADirectoryError",
                     "TimeoutError", "ModuleNotFoundError", "ConnectionError", "BrokenPipeError"):  # fmt: skip
            allowed[name] = getattr(builtins, name)
        allowed.update(
            getattr=self.getattr,
            hasattr=self.hasattr,
            setattr=self.setattr,
            delattr=self.delattr,
            open=self.data_dir.open,
            type=_type,
            dir=_dir,
            __import__=self.policy.import_,
        )
        return allowed

    def globals(self) -> dict[str, Any]:
        return {
            "__builtins__": self.builtins(),
            "__name__": "__main__",
            "__metaclass__": self.metaclass,
            "_getattr_": self.getattr,
            "_getitem_": self.getitem,
            "_getiter_": iter,
            "_write_": self.write,
            "_inplacevar_": self.inplacevar,
            "_apply_": _apply,
            "_print_": self.print_factory,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
        }


_MISSING_DEFAULT = object()


class _Printer(Opaque):
    """What RestrictedPython's rewritten `print(...)` calls (`_print._call_print(...)`)."""

    def __init__(self, guards: Guards) -> None:
        self.guards = guards

    def _call_print(
        self, *objects: Any, sep: Any = " ", end: Any = "\n", file: Any = None, flush: bool = False
    ) -> None:
        if file is None:
            file = self.guards.output
        else:
            self.guards.getattr(file, "write")
        print(*objects, sep=sep, end=end, file=file)

    def __call__(self) -> str:
        return self.guards.output.text()


class _GuardedFormatter(Opaque, string.Formatter):
    """str.format with field lookups through the sandbox's getattr and getitem."""

    def __init__(self, guards: Guards) -> None:
        self.guards = guards

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        first, rest = _formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = self.guards.getattr(obj, key) if is_attr else self.guards.getitem(obj, key)
        return obj, first


def _formatter_field_name_split(field_name: str) -> Any:
    from _string import formatter_field_name_split

    return formatter_field_name_split(field_name)


def _plain(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("format templates must be plain strings in the sandbox")
    return value


def _apply(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _type(obj: Any, *rest: Any) -> Any:
    """type(x) only: three-argument type() would make classes with any dunder method.
    The type of a class is a metaclass (`type(int)` is the real `type`), which can do just that:
    it is shown as this function (so `type(int) is type` still holds)."""
    if rest:
        raise TypeError("type() takes one argument in the sandbox; use a class statement")
    result = builtins.type(obj)
    return _type if issubclass(result, builtins.type) else result


def _dir(obj: Any = _MISSING) -> list[str]:
    if obj is _MISSING:
        raise TypeError("dir() needs an argument in the sandbox")
    return [name for name in builtins.dir(obj) if not name.startswith("_")]
