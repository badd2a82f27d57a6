"""A run's status timeline for the inspector, derived from what the store keeps.

The emulator records no history of a run's statuses: a run keeps `created_at`, the latest
`started_at`, one terminal timestamp (`completed_at`, `failed_at`, `cancelled_at`; an
expired run keeps `expires_at`), and its steps keep theirs. A round of function calls shows
in its step: created when the run went `requires_action`, completed when the outputs were
submitted (and the run was queued again). An MCP call that waited for the app's approval (the
run's `tool_resources.mcp` settings say which did, as they told the engine) shows in its step
too: created when the run went `requires_action`; once approved (or denied) the run is queued
again at a time no field records, and the step completes (or fails) when the run, started
again, makes the call. What no field records is given with `at: None` and a note saying so,
never a guessed time.

Each entry: {"status", "at" (Unix seconds or None), "source" (the field it comes from), "note"?}.
"""

from __future__ import annotations

from typing import Any

from ..models.run import Run
from ..models.run_step import RunStep
from ..runs import mcp

#: The terminal statuses, with the field holding the time the run entered them.
TERMINAL_FIELDS = {"completed": "completed_at", "failed": "failed_at", "cancelled": "cancelled_at",
                   "expired": "expires_at", "incomplete": None}  # fmt: skip
NOT_RECORDED = "time not recorded"


def _entry(status: str, at: int | None, source: str | None, note: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"status": status, "at": at, "source": source}
    if note:
        entry["note"] = note
    return entry


def _rounds(run: Run, steps: list[RunStep]) -> list[RunStep]:
    """The steps of the run's visits to requires_action: its rounds of function calls, and
    its MCP calls that waited for an approval."""
    return [step for step in steps if _waits_for(run, step) is not None]


def _waits_for(run: Run, step: RunStep) -> str | None:
    """What the step's visit to requires_action waited for: "outputs" (a round of function
    calls), "approval" (an MCP call the app had to approve first); None if it was no visit."""
    if step.step_details.type != "tool_calls":
        return None
    calls = step.step_details.tool_calls
    if any(call.type == "function" for call in calls):
        return "outputs"
    for call in calls:
        if call.type == "mcp":
            setting = mcp.resource(run, call.server_label).get("require_approval", "always")
            if mcp.needs_approval(setting, call.name):
                return "approval"
    return None


def _answered(run: Run, step: RunStep) -> bool:
    """Whether the app answered the round (and the run was queued again)."""
    if _waits_for(run, step) == "outputs":
        return step.status == "completed"  # completed by the submit
    if step.status in ("completed", "failed"):
        return True  # the run, started again after the approval, made the call (or failed making it)
    # cancelled or expired: after the approval only if the run was started again since the step
    return step.status != "in_progress" and run.started_at is not None and run.started_at > step.created_at


def run_timeline(run: Run, steps: list[RunStep]) -> list[dict[str, Any]]:
    """The statuses `run` went through, oldest first; the last one is its current status."""
    entries = [_entry("queued", run.created_at, "created_at")]
    rounds = _rounds(run, steps)
    for step in rounds:
        entries.append(_entry("in_progress", None, None, NOT_RECORDED))
        if _waits_for(run, step) == "outputs":
            entries.append(_entry("requires_action", step.created_at, f"{step.id}.created_at",
                                  "the model called functions"))  # fmt: skip
            if step.status == "completed":
                entries.append(_entry("queued", step.completed_at, f"{step.id}.completed_at",
                                      "tool outputs submitted"))  # fmt: skip
            continue
        entries.append(_entry("requires_action", step.created_at, f"{step.id}.created_at",
                              "an MCP call waits for the app's approval"))  # fmt: skip
        if _answered(run, step):
            entries.append(_entry("queued", None, None, f"{NOT_RECORDED} (tool approval submitted)"))
    if _ran_after(run, steps, rounds):
        entries.append(_entry("in_progress", None, None, NOT_RECORDED))
    # started_at is set at every start: it dates the latest in_progress
    starts = [e for e in entries if e["status"] == "in_progress"]
    if starts and run.started_at is not None:
        starts[-1].update(at=run.started_at, source="started_at")
        starts[-1].pop("note", None)
    if run.status == "cancelling" or run.status == "cancelled":
        entries.append(_entry("cancelling", None, None, f"{NOT_RECORDED} (the cancel request)"))
    if run.status in TERMINAL_FIELDS:
        name = TERMINAL_FIELDS[run.status]
        at = getattr(run, name) if name else None
        note = None
        if run.status == "failed" and run.last_error is not None:
            note = f"{run.last_error.code}: {run.last_error.message}"
        elif run.status == "incomplete":
            reason = run.incomplete_details.reason if run.incomplete_details else "unknown"
            note = f"{NOT_RECORDED}; reason: {reason}"
        entries.append(_entry(run.status, at, name, note))
    return entries


def _ran_after(run: Run, steps: list[RunStep], rounds: list[RunStep]) -> bool:
    """Whether the run was in_progress after its last visit to requires_action (or at all, if none)."""
    if run.status == "queued":
        return False
    if run.status in ("in_progress", "completed", "incomplete"):
        return True
    if rounds and not _answered(run, rounds[-1]):
        return False  # it never left that round: cancelled, expired or failed while waiting
    if rounds and _waits_for(run, rounds[-1]) == "approval":
        return True  # answered: the run was started again to make the call (see _answered)
    after = steps[steps.index(rounds[-1]) + 1 :] if rounds else steps
    if after:
        return True  # a step was made after the last submit: the run was working
    if run.started_at is None:
        return False
    # no step to tell: started_at after the last submit says the run started again
    return not rounds or run.started_at > (rounds[-1].completed_at or 0)
