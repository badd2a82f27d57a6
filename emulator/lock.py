"""The emulator's one lock: reentrant, and able to step aside while slow work runs.

Every state change happens under it (the dev server is threaded). A run that executes
code_interpreter cells releases it for the duration (`suspended()`), so other requests,
including a cancel of that very run, are answered meanwhile.

`before_release`, if set, is called whenever the lock is about to be let go by its holder
(outermost release, or `suspended()`), still under the lock: the data directory writes what
changed there, so every change is on disk before anyone else can see it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class EmulatorLock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        #: Called under the lock just before it is let go; may raise (the lock is let go anyway).
        self.before_release: Callable[[], None] | None = None

    def acquire(self) -> bool:
        me = threading.get_ident()
        if self._owner == me:
            self._depth += 1
            return True
        self._lock.acquire()
        self._owner, self._depth = me, 1
        return True

    def release(self) -> None:
        if self._owner != threading.get_ident():
            raise RuntimeError("cannot release a lock this thread does not hold")
        if self._depth > 1:
            self._depth -= 1
            return
        hook = self.before_release
        if hook is None:
            self._owner, self._depth = None, 0
            self._lock.release()
            return
        try:
            hook()
        finally:
            self._owner, self._depth = None, 0
            self._lock.release()

    def __enter__(self) -> EmulatorLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def held(self) -> bool:
        return self._owner == threading.get_ident()

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Release the lock completely (however deep this thread holds it), then take it back."""
        if not self.held():
            yield
            return
        if self.before_release is not None:
            self.before_release()
        depth = self._depth
        self._owner, self._depth = None, 0
        self._lock.release()
        try:
            yield
        finally:
            self._lock.acquire()
            self._owner, self._depth = threading.get_ident(), depth
