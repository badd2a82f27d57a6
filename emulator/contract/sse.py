"""Server-Sent Events as the contract tools read them: parsing a stream's text, and squeezing
runs of delta events (whose number depends on chunking) for comparison."""

from __future__ import annotations

import json
import re
from typing import Any


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """Server-Sent Events as (event, data) pairs, data parsed as JSON when it is JSON.

    The event-stream format, as far as the API uses it: lines end in `\\n`, `\\r\\n` or `\\r`;
    a blank line ends an event; `event:` names it (`message` if not named); its `data:`
    lines are joined with `\\n`; one space after the colon is dropped; comments (`:`...),
    `id:` and `retry:` are ignored; an event with no data is not dispatched. `[DONE]` (not
    JSON) stays a string."""
    events: list[tuple[str, Any]] = []
    name, data = "", []
    for line in [*re.split(r"\r\n|\r|\n", text), ""]:
        if not line:
            if data:
                raw = "\n".join(data)
                try:
                    value = json.loads(raw)
                except ValueError:
                    value = raw
                events.append((name or "message", value))
            name, data = "", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    return events


def squeeze(names: list[str]) -> tuple[list[str], list[int]]:
    """Event names with each run of consecutive identical `*.delta` names made one; and the
    index in `names` of each kept name."""
    kept: list[str] = []
    at: list[int] = []
    for i, name in enumerate(names):
        if kept and name == kept[-1] and is_delta(name):
            continue
        kept.append(name)
        at.append(i)
    return kept, at


def is_delta(name: str) -> bool:
    return name.endswith(".delta")
