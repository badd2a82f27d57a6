"""A response's stream: its numbered events, as the real service writes them.

Every event is written `type` first, then its other keys in alphabetical order (`{"type",
"content_index", "item_id", ..., "sequence_number"}`), as the most recent recorded stream shows
for every kind of event it has (pydantic-ai `test_openai_conversation_id_streaming_provider_details`,
2026-04-29; streams of 2025 wrote `type, sequence_number` then the event's own keys); objects
inside it (the response, an item, a content part) keep their own order and are written for the
shape of the request that opened the stream. Unlike a run's stream, a response's stream has no `[DONE]`: it ends after
`response.completed`, `response.failed`, `response.incomplete` (or `error`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .. import wire
from ..streams import EventQueue

#: Events after which a response's stream ends.
FINAL = frozenset({"response.completed", "response.failed", "response.incomplete", "response.cancelled", "error"})


def encode(event: dict[str, Any]) -> str:
    """An event's `data:` line (compact JSON, `type` then the other keys sorted; objects written for the current
    reader)."""
    plain = {"type": event["type"]}
    for key in sorted(event.keys() - {"type"}):
        value = event[key]
        plain[key] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return json.dumps(plain, separators=(",", ":"), ensure_ascii=False)


class ResponseStream(EventQueue):
    """The wire events of one streamed response, produced as the engine plays it."""

    def __init__(self, response_id: str, *, starting_after: int | None = None) -> None:
        super().__init__()
        self.response_id = response_id
        self.starting_after = -1 if starting_after is None else starting_after
        #: The shape of the request that opened the stream (emulator/wire.py).
        self.shape = wire.shape()

    def __call__(self, event: dict[str, Any]) -> None:
        """The engine's listener (under the emulator's lock)."""
        if self.closed:
            return
        if event["sequence_number"] > self.starting_after:
            with wire.reading(self.shape, stream=True):
                self._put((event["type"], encode(event)))
        if event["type"] in FINAL:
            self.end()

    def error(self, message: str, sequence_number: int) -> None:
        """The server failed while streaming: an `error` event, then the end."""
        self({"type": "error", "sequence_number": sequence_number, "code": "server_error", "message": message,
              "param": None})  # fmt: skip

    def events(self, timeout: float | None = None) -> Iterator[tuple[str, str]]:
        yield from self._items(timeout)
