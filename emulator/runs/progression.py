"""How fast runs move: progression policies.

- `immediate` (default): a run reaches its next resting state (completed, requires_action,
  failed, ...) before any later request sees it; its timestamps are those of its creation.
- `reads:N`: each transition waits for N reads of the run (retrieve, list, steps), so a
  polling loop sees `queued`, then `in_progress`, ... and a test can cancel mid-run.
- `seconds:S`: each transition happens S seconds (on the emulator's clock) after the last.

Set per emulator (`EmulatorConfig.progression`), per scripted model (`progression:` in a
script) or per run (`Emulator.set_progression(run_id, ...)`); the most specific wins.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

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
        if isinstance(value, str) and cls is Progression:
            return _parsed_text(value)  # every run and response parses the configured text again
        return cls._parse(value)

    @classmethod
    def _parse(cls, value: Any) -> Progression:
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


@functools.lru_cache(maxsize=64)
def _parsed_text(value: str) -> Progression:
    return Progression._parse(value)
