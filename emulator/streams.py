"""What every stream shares: a queue of wire events between the thread that makes them (under
the emulator's lock) and the HTTP response that relays them (outside it).

With a data directory, events can be held until what they show is written (`hold`, then the
data directory's `release`), so a client is never shown what a crash could still lose.
`RunStream` (Assistants) and `ResponseStream` (Responses) build their events on it.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from typing import Any

#: Marks the end of a stream in the queue.
END = object()


class EventQueue:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.closed = False
        #: With a data directory: events wait here until what they show is written (`release`).
        self._held: list[Any] | None = None

    def _put(self, item: Any) -> None:
        if self._held is not None:
            self._held.append(item)
        else:
            self._queue.put(item)

    def hold(self) -> None:
        """From now on, events wait for `release()`."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        if self._held is None:
            return
        held, self._held = self._held, []
        for item in held:
            self._queue.put(item)

    def end(self) -> None:
        if not self.closed:
            self._put(END)
            self.closed = True

    def _items(self, timeout: float | None = None) -> Iterator[Any]:
        """The queued items until the end."""
        while True:
            item = self._queue.get(timeout=timeout)
            if item is END:
                return
            yield item


def frame(event: str, data: str) -> bytes:
    """One Server-Sent Events frame (our data is one line of JSON, or `[DONE]`)."""
    return f"event: {event}\ndata: {data}\n\n".encode()


def frames(events: Iterator[tuple[str, str]], close: Callable[[], None]) -> Iterator[bytes]:
    """A stream's events as SSE frames, flushed as they come; `close` when the client goes away
    (or the stream ends): the run or response stops being listened to, and goes on."""
    try:
        for event, data in events:
            yield frame(event, data)
    finally:
        close()
