"""What every domain service shares: the namespace, the clock, ids and lookups."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import errors
from ..store import Namespace, Table

if TYPE_CHECKING:
    from ..core import Emulator
    from . import Backend


class Service:
    """Base of the domain services. Every public method runs under the emulator's lock, so the
    domain API is as safe to drive from a test thread as the HTTP routes are."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, _locked(member))

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.emulator: Emulator = backend.emulator
        self.ns: Namespace = backend.ns

    def now(self) -> int:
        return self.emulator.clock.now()

    def new_id(self, kind: str) -> str:
        return self.emulator.ids.new(kind)

    @staticmethod
    def find(table: Table, kind: str, id: str, **context: Any) -> Any:
        obj = table.get(id)
        if obj is None:
            raise errors.not_found(kind, id, **context)
        return obj


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(self: Service, *args: Any, **kwargs: Any) -> Any:
        lock = self.emulator.lock
        if lock.held():  # the usual case (a request holds it): no need to take it again
            return method(self, *args, **kwargs)
        with lock:
            return method(self, *args, **kwargs)

    return locked


def updated(obj: Any, changes: dict[str, Any]) -> Any:
    """A validated copy of a stored object with some fields replaced. Stored objects are
    replaced, never mutated in place, so a response being serialised never sees a half change."""
    return type(obj).model_validate({**dict(obj), **changes})
