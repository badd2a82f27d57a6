"""The run state machine of the real service, as one table.

    queued ──start──▶ in_progress ──complete──▶ completed
      │                  │  ├──require_action──▶ requires_action ──submit──▶ queued
      │                  │  ├──fail──▶ failed          │
      │                  │  └──stop──▶ incomplete       │
      └──cancel──▶ cancelling ◀──cancel────────────────┘ (and from in_progress)
                     └──finish_cancel──▶ cancelled
    queued / in_progress / requires_action ──expire──▶ expired (at expires_at)

Terminal statuses never change. `apply` is the only way a run's status moves; it
also keeps the timestamps true (see `EFFECTS`).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models.common import changed
from ..models.run import TERMINAL_STATUSES, Run

#: status -> {event: next status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "queued": {"start": "in_progress", "cancel": "cancelling", "expire": "expired", "fail": "failed"},
    "in_progress": {
        "complete": "completed",
        "require_action": "requires_action",
        "fail": "failed",
        "stop": "incomplete",
        "cancel": "cancelling",
        "expire": "expired",
    },
    "requires_action": {"submit": "queued", "cancel": "cancelling", "expire": "expired"},
    "cancelling": {"finish_cancel": "cancelled"},
    "completed": {},
    "failed": {},
    "incomplete": {},
    "cancelled": {},
    "expired": {},
}

#: Statuses in which a run keeps its thread busy.
ACTIVE = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
assert ACTIVE | TERMINAL_STATUSES == set(TRANSITIONS)

#: What entering a status does to the run's fields (`now` is the clock's time).
EFFECTS: dict[str, Any] = {
    "queued": lambda run, now: {"required_action": None},
    # started_at is set again when a run resumes after tool outputs, as the real service does
    "in_progress": lambda run, now: {"started_at": now},
    "requires_action": lambda run, now: {},
    # the run no longer waits for tool outputs: required_action is null outside requires_action
    "cancelling": lambda run, now: {"required_action": None},
    "completed": lambda run, now: {"completed_at": now, "expires_at": None, "required_action": None},
    "failed": lambda run, now: {"failed_at": now, "expires_at": None, "required_action": None},
    # an incomplete run has its completed_at (ruby-openai runs_streamed_create.yml, 2024-04-29)
    "incomplete": lambda run, now: {"completed_at": now, "expires_at": None, "required_action": None},
    "cancelled": lambda run, now: {"cancelled_at": now, "expires_at": None, "required_action": None},
    # an expired run keeps the expires_at it passed
    "expired": lambda run, now: {"required_action": None},
}


def can(run: Run, event: str) -> bool:
    return event in TRANSITIONS[run.status]


def apply(run: Run, event: str, now: int, **changes: Any) -> Run:
    """The run after `event`: a new object with the new status, its effects and `changes`."""
    target = TRANSITIONS[run.status].get(event)
    if target is None:
        raise IllegalTransition(run.status, event)
    fields = {"status": target, **EFFECTS[target](run, now), **changes}
    return changed(run, fields)


class IllegalTransition(Exception):
    """A bug in the engine, never a client's mistake (those are refused before, with a 4xx)."""

    def __init__(self, status: str, event: str) -> None:
        super().__init__(f"a run in status {status!r} cannot take event {event!r}")
        self.status = status
        self.event = event


def refuse_cancel(run: Run) -> errors.APIError:
    return errors.bad_request(f"Cannot cancel run with status '{run.status}'.")
