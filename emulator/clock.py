"""Time sources. The emulator never reads the wall clock directly: it asks a clock.

`VirtualClock` is the default in tests (frozen until advanced, so answers are
byte-identical run after run); `SystemClock` is the default of the dev server.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

#: 2024-01-01T00:00:00Z: where a virtual clock starts unless told otherwise.
DEFAULT_EPOCH = 1_704_067_200


class Clock(Protocol):
    def now(self) -> int:
        """Unix seconds, as the API reports every timestamp."""
        ...


class SystemClock:
    """The machine's wall clock."""

    kind = "system"

    def now(self) -> int:
        return int(time.time())

    def advance(self, seconds: float) -> int:
        raise TypeError("the system clock cannot be advanced; start the emulator with a virtual clock")


class VirtualClock:
    """A clock that only moves when told to (`advance`, `set`)."""

    kind = "virtual"

    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._start = float(start)
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> int:
        return int(self._now)

    def advance(self, seconds: float) -> int:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += seconds
            return int(self._now)

    def set(self, timestamp: float) -> int:
        with self._lock:
            if timestamp < self._now:
                raise ValueError("a clock cannot go backwards")
            self._now = float(timestamp)
            return int(self._now)

    def exact(self) -> float:
        """The time to the fraction of a second (what a data directory keeps)."""
        return self._now

    def restore(self, now: float) -> None:
        """Be at `now` again (a restart from a data directory), whatever the start."""
        with self._lock:
            self._now = float(now)

    def reset(self, start: float | None = None) -> None:
        with self._lock:
            if start is not None:
                self._start = float(start)
            self._now = self._start
