"""What the server's console tells: the runs a request moved, and long work as it starts and ends.

The dispatcher records, for each request, the runs whose status it changed (`recording()`);
the dev server's request log prints them (`run_x→completed`). Long work (a code execution, a
file's ingestion) is logged by `work(...)` when it starts and when it ends, with its duration.
Nothing here costs anything when nobody records or the log level is above INFO.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger("assistants_emulator.work")
#: WSGI environ key where the app leaves the runs a request moved, for the server's request log.
RUN_MOVES = "assistants_emulator.run_moves"
_moves: ContextVar[dict[str, str] | None] = ContextVar("assistants_emulator_run_moves", default=None)


class recording:  # lower case: used as the function it was, `with recording() as moves`
    """Runs moved by the code in this block (this thread): run id -> its newest status. A class
    rather than a generator-based context manager: it wraps every request, and costs a third."""

    __slots__ = ("moves", "_token")

    def __enter__(self) -> dict[str, str]:
        self.moves: dict[str, str] = {}
        self._token = _moves.set(self.moves)
        return self.moves

    def __exit__(self, *exc: object) -> None:
        _moves.reset(self._token)


def run_moved(run_id: str, status: str) -> None:
    moves = _moves.get()
    if moves is not None:
        moves[run_id] = status


@contextmanager
def work(what: str) -> Iterator[None]:
    """Log `what` starting, and ending with its duration (or failing)."""
    if not log.isEnabledFor(logging.INFO):
        yield
        return
    log.info("%s: started", what)
    started = time.perf_counter()
    try:
        yield
    except BaseException as exc:
        log.info("%s: failed after %.0f ms (%s)", what, (time.perf_counter() - started) * 1000, type(exc).__name__)
        raise
    log.info("%s: done in %.0f ms", what, (time.perf_counter() - started) * 1000)
