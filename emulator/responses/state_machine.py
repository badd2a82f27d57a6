"""The response state machine of the real service, as one table.

    queued ──start──▶ in_progress ──complete──▶ completed
      │                  ├──fail──▶ failed
      │                  ├──stop──▶ incomplete
      └──cancel──▶ cancelled ◀──cancel─┘   (background responses only)

A response that is not background is created `in_progress` and played to a terminal status
within its request. Terminal statuses never change; `apply` is the only way a status moves.
A response gains `billing` once over: a background one is answered without it while it moves
and with it when done (pydantic-ai `test_background_mode_vcr.yaml`, 2026-02, and
`test_background_mode_reasoning_vcr.yaml`, 2026-07); stream events never show it.
"""

from __future__ import annotations

from typing import Any

from ..models.common import changed
from ..models.response import DEVELOPER_BILLING, TERMINAL, Response

#: status -> {event: next status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "queued": {"start": "in_progress", "cancel": "cancelled", "fail": "failed"},
    "in_progress": {"complete": "completed", "fail": "failed", "stop": "incomplete", "cancel": "cancelled"},
    "completed": {},
    "failed": {},
    "incomplete": {},
    "cancelled": {},
}
assert {s for s, moves in TRANSITIONS.items() if not moves} == TERMINAL

#: What entering a status does to the response's fields (`now` is the clock's time).
EFFECTS: dict[str, Any] = {
    "completed": lambda now: {"completed_at": now, "billing": DEVELOPER_BILLING},
    **{status: lambda now: {"billing": DEVELOPER_BILLING} for status in ("failed", "incomplete", "cancelled")},
}


def apply(response: Response, event: str, now: int, **changes: Any) -> Response:
    """The response after `event`: a new object with the new status, its effects and `changes`."""
    target = TRANSITIONS[response.status].get(event)
    if target is None:
        raise IllegalTransition(response.status, event)
    effects = EFFECTS.get(target)
    return changed(response, {"status": target, **(effects(now) if effects else {}), **changes})


class IllegalTransition(Exception):
    """A bug in the engine, never a client's mistake (those are refused before, with a 4xx)."""

    def __init__(self, status: str, event: str) -> None:
        super().__init__(f"a response in status {status!r} cannot take event {event!r}")


def gone(ns: Any, response: Response) -> bool:
    """Whether `response`, being played with the emulator's lock let go (a code cell, a call out over HTTP), was
    cancelled or deleted meanwhile, or the emulator reset (`ns` is no longer alive): nothing more is written."""
    if not ns.alive:
        return True
    if response.store and response.id not in ns.responses:
        return True
    current = ns.responses.get(response.id)
    return current is not None and current.status not in ("in_progress", "queued")
