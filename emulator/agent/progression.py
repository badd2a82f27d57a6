"""How fast runs and background responses move: progression policies, and the one loop that
makes the moves that are due under them (both engines call `settle`).

- `immediate` (default): a run (a background response) reaches its next resting state
  (completed, requires_action, failed, ...) before any later request sees it; its timestamps
  are those of its creation.
- `reads:N`: each transition waits for N reads of it (retrieve, list, steps), so a polling
  loop sees `queued`, then `in_progress`, ... and a test can cancel mid-run.
- `seconds:S`: each transition happens S seconds (on the emulator's clock) after the last.

Set per emulator (`EmulatorConfig.progression`), per scripted model (`progression:` in a
script), per request (the `X-Emulator-Progression` header of the create call) or per run or
response (`Emulator.set_progression(id, ...)`); the most specific wins.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .. import errors

#: The request header that chooses the policy of the run or response a create call makes.
HEADER = "X-Emulator-Progression"

KINDS = ("immediate", "reads", "seconds")


@dataclass(frozen=True)
class Progression:
    kind: str = "immediate"
    amount: float = 0

    @classmethod
    def parse(cls, value: Any) -> Progression:
        """From `"immediate"`, `"reads:3"`, `"seconds:1.5"`, `{"reads": 3}`, `{"seconds": 2}` or a Progression."""
        if value is None or isinstance(value, Progression):
            return value or cls()
        if isinstance(value, dict) and len(value) == 1:
            ((kind, amount),) = value.items()
        elif isinstance(value, str):
            kind, _, amount = value.partition(":")
            amount = amount or 0
        else:
            raise ValueError(f"a progression is 'immediate', 'reads:N' or 'seconds:S', not {value!r}")
        if kind not in KINDS:
            raise ValueError(f"unknown progression {kind!r}: use one of {', '.join(KINDS)}")
        try:
            number = float(amount)
        except (TypeError, ValueError):
            raise ValueError(f"progression {kind!r} needs a number, not {amount!r}") from None
        if kind == "reads" and (number < 1 or number != int(number)):
            raise ValueError("reads:N needs a whole N >= 1")
        if kind == "seconds" and number < 0:
            raise ValueError("seconds:S needs S >= 0")
        return cls(kind, int(number) if kind == "reads" else number)

    def due(self, *, last_move_at: int, reads: int, now: int) -> tuple[bool, int]:
        """Whether the next transition is due, and the time it happens at."""
        if self.kind == "immediate":
            return True, last_move_at
        if self.kind == "reads":
            return reads >= self.amount, now
        # timestamps are whole seconds: a move due 2.5 s after the last is seen at the 3rd (int() made it the 2nd)
        at = last_move_at + math.ceil(self.amount)
        return now >= at, at

    def poll_after_ms(self, *, wall_clock: bool) -> int:
        """What to put in `openai-poll-after-ms`, so SDK polling helpers neither sleep long nor spin."""
        if self.kind == "seconds":
            return max(1, int(self.amount * 1000)) if wall_clock else 50
        return 1

    def __str__(self) -> str:
        return "immediate" if self.kind == "immediate" else f"{self.kind}:{self.amount:g}"


def requested(header: str | None) -> Progression | None:
    """The policy a create call asks for in its `X-Emulator-Progression` header (None: none); a bad one is a 400."""
    if header is None:
        return None
    try:
        return Progression.parse(header.strip())
    except ValueError as exc:
        raise errors.bad_request(f"Invalid {HEADER} header: {exc}.") from None


def policy_for(emulator: Any, model: str, asked: Progression | None = None) -> Progression:
    """The policy of a new run or response: the request's, else its scripted model's, else the emulator's."""
    if asked is not None:
        return asked
    found = emulator.models.resolve(model)
    return Progression.parse(getattr(found, "progression", None) or emulator.config.progression)


class Paced(Protocol):
    """What an engine remembers of a moving object's pace (a run's or a response's state)."""

    policy: Progression
    last_move_at: int
    reads: int


T = TypeVar("T")


def settle(
    paced: Paced,
    subject: T,
    *,
    now: int,
    over: Callable[[T], bool],
    move: Callable[[T, int], T],
    halt: Callable[[T, bool, int], T | None] | None = None,
    read: bool = False,
    force: bool = False,
) -> T:
    """Make the moves of `subject` that are due at `now` (all of them with `force`: a streamed one does not
    wait for its policy), one `move(subject, at)` each, until it is `over` or the next is not due.

    `halt(subject, due, at)`, when given, is asked before each move: the subject to stop at (a run waiting
    for tool outputs, or expired), or None to go on."""
    if read:
        paced.reads += 1
    while not over(subject):
        due, at = paced.policy.due(last_move_at=paced.last_move_at, reads=paced.reads, now=now)
        if force:
            due, at = True, max(now, paced.last_move_at)
        if halt is not None:
            stopped = halt(subject, due, at)
            if stopped is not None:
                return stopped
        if not due:
            break
        subject = move(subject, at)
        paced.last_move_at, paced.reads = at, 0
    return subject
