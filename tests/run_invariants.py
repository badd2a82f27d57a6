"""Invariants of runs, checked by the stateful test after every step (a mixin, so the rules
and the checks can each be read on their own)."""

from __future__ import annotations

import json
from collections import deque
from typing import Any

import openai
from hypothesis import event
from hypothesis.stateful import invariant

from emulator.domain.runs import RUN_LIFETIME
from emulator.runs.state_machine import ACTIVE, TRANSITIONS

FUNCTIONS = ("get_weather", "get_time")

TERMINAL = frozenset(TRANSITIONS) - ACTIVE
#: the field that a terminal status stamps, and the statuses that clear expires_at
#: stamp -> the statuses that carry it (an incomplete run has `completed_at` too: ruby-openai
#: runs_streamed_create.yml, 2024-04-29)
STAMPS = {"completed_at": ("completed", "incomplete"), "failed_at": ("failed",), "cancelled_at": ("cancelled",)}
NO_EXPIRY = frozenset({"completed", "failed", "cancelled", "incomplete"})


def _reachable() -> dict[str, frozenset[str]]:
    """status -> every status reachable in zero or more transitions of the table."""
    out = {}
    for start in TRANSITIONS:
        seen, todo = {start}, deque([start])
        while todo:
            for nxt in TRANSITIONS[todo.popleft()].values():
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        out[start] = frozenset(seen)
    return out


REACHABLE = _reachable()


def _json(obj: Any) -> dict[str, Any]:
    """A store object (pydantic) or an SDK object as the JSON the wire carries."""
    if isinstance(obj, openai.BaseModel):
        return obj.to_dict()  # only the fields of the answer, not the SDK's own defaults
    return json.loads(obj.model_dump_json())


def _ascending(values: Any) -> bool:
    values = list(values)
    return all(a <= b for a, b in zip(values, values[1:], strict=False))


class RunInvariants:
    """Needs `self.emu`, `self.seen` and `self.frozen` from the machine."""

    def _observe(self, run: dict[str, Any]) -> None:
        """A run seen in an API answer or in the store: check it, and that it moved legally."""
        self._check_run(run)
        previous = self.seen.get(run["id"])
        if previous is None or previous["status"] != run["status"]:
            event(f"run status: {run['status']}")
        if previous is not None:
            assert run["created_at"] == previous["created_at"]
            assert run["status"] in REACHABLE[previous["status"]], (previous["status"], run["status"])
            if previous["started_at"] is not None:
                assert run["started_at"] is not None and run["started_at"] >= previous["started_at"]
        if run["id"] in self.frozen:
            assert run == self.frozen[run["id"]], "a terminal run changed"
        elif run["status"] in TERMINAL:
            self.frozen[run["id"]] = run
        self.seen[run["id"]] = run

    def _check_run(self, run: dict[str, Any]) -> None:
        status = run["status"]
        now = self.emu.clock.now()
        created, started = run["created_at"], run["started_at"]
        assert created <= now
        if started is not None:
            assert created <= started <= now
        if status in ("in_progress", "completed", "incomplete"):
            assert started is not None
        for stamp, stamp_statuses in STAMPS.items():
            at = run[stamp]
            assert (at is not None) == (status in stamp_statuses), (status, stamp, at)
            if at is not None:
                assert (started if started is not None else created) <= at <= now
        assert (run["required_action"] is not None) == (status == "requires_action"), run
        assert (run["expires_at"] is None) == (status in NO_EXPIRY), run
        if run["expires_at"] is not None:
            assert run["expires_at"] == created + RUN_LIFETIME
            if started is not None:
                assert started <= run["expires_at"]
        if status == "expired":
            assert run["expires_at"] <= now
        assert (run["last_error"] is not None) == (status == "failed"), run
        if status == "failed":
            assert run["last_error"]["code"] in self.fault_codes
        assert (run["incomplete_details"] is not None) == (status == "incomplete"), run
        if run["required_action"] is not None:
            calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
            assert calls and all(c["function"]["name"] in FUNCTIONS for c in calls)
            assert len({c["id"] for c in calls}) == len(calls)
            if not run["parallel_tool_calls"]:
                assert len(calls) == 1
            assert run["tool_choice"] != "none"
        if self.policy.startswith("seconds:") and run["id"] not in self.steered:
            pace = float(self.policy.partition(":")[2])  # no move comes sooner than that after the last
            if started is not None:
                assert started >= created + pace, (self.policy, run)
            for at in (run["completed_at"], run["failed_at"]):
                if at is not None and started is not None:
                    assert at >= started + pace, (self.policy, run)
        usage = run["usage"]
        if usage is not None:
            assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
        with self.emu.lock:
            state = self.api.ns.run_states.get(run["id"])
        assert state is not None
        if status in TERMINAL and state.turn > 0:
            assert usage is not None, run
        if status not in TERMINAL:  # null until the run is over (azure-openai FunctionToolsWork.json)
            assert usage is None, run

    # --- setup --------------------------------------------------------------------------

    @invariant()
    def store_is_consistent(self) -> None:
        with self.emu.lock:
            ns = self.api.ns
            now = self.emu.clock.now()
            failed = 0
            for thread_id, table in ns.runs.items():
                assert thread_id in ns.threads
                runs = list(table.values())
                active = [r for r in runs if r.status in ACTIVE]
                assert len(active) <= 1, f"two active runs on {thread_id}: {[r.id for r in active]}"
                if active:
                    assert active[0] is runs[-1], "an active run that is not the thread's newest"
                by_id = {r.id: r for r in runs}
                assert _ascending(r.created_at for r in runs)
                assert _ascending(m.created_at for m in ns.messages[thread_id].values())
                for run in runs:
                    assert run.thread_id == thread_id
                    failed += run.status == "failed"
                    self._observe(_json(run))
                    self._check_steps(run, ns, now)
                for message in ns.messages[thread_id].values():
                    assert message.thread_id == thread_id
                    if message.run_id is not None:
                        owner = by_id.get(message.run_id)
                        assert owner is not None, f"message {message.id} names a run of another thread"
                        assert (message.role, message.assistant_id) == ("assistant", owner.assistant_id)
                        assert owner.created_at <= message.created_at <= now
            assert failed <= self.faults_injected

    def _check_steps(self, run: Any, ns: Any, now: int) -> None:
        steps = list(ns.steps[run.id].values())
        assert _ascending(s.created_at for s in steps)
        for step in steps:
            assert (step.run_id, step.thread_id, step.assistant_id) == (run.id, run.thread_id, run.assistant_id)
            assert run.created_at <= step.created_at <= now
            # a step's `expires_at` is its run's (azure-openai BasicRunStepFunctionalityWorks.json)
            assert step.expires_at == run.expires_at, (step.expires_at, run.expires_at)
            for stamp in ("completed_at", "cancelled_at", "failed_at"):
                at = getattr(step, stamp)
                assert (at is not None) == (step.status == stamp.removesuffix("_at")), (step.status, stamp, at)
                if at is not None:
                    assert step.created_at <= at <= now
            assert (step.usage is not None) == (step.status == "completed"), step
            if step.status in ("cancelled", "expired", "failed"):  # a step ends so only with its run
                assert run.status == step.status, (run.status, step.status)
            if run.is_terminal():
                assert step.status != "in_progress", f"{step.id} still in progress in a {run.status} run"
        if run.status in ("completed", "incomplete", "failed") and run.usage is not None:
            spent = [s.usage for s in steps if s.usage is not None]
            total = {
                k: sum(getattr(u, k) for u in spent) for k in ("prompt_tokens", "completion_tokens", "total_tokens")
            }
            if run.status == "completed":  # every token a completed run spent is in one of its steps
                assert run.usage.model_dump() == total, (run.usage, total)
            else:
                assert all(getattr(run.usage, k) >= v for k, v in total.items()), (run.usage, total)
        waiting = [s for s in steps if s.status == "in_progress"]
        if run.status == "requires_action":
            assert len(waiting) == 1 and waiting[0].type == "tool_calls"
            pending = [c.id for c in run.required_action.submit_tool_outputs.tool_calls]
            assert [c.id for c in waiting[0].step_details.tool_calls] == pending
        elif run.status == "cancelling":  # the step that waited for outputs ends with the run
            assert len(waiting) <= 1 and all(s.type == "tool_calls" for s in waiting)
        else:
            assert not waiting, f"{run.status} run {run.id} has a step in progress"
        if run.status == "completed":
            replies = [s for s in steps if s.type == "message_creation"]
            assert replies, f"completed run {run.id} created no message"
            for step in replies:
                message = ns.messages[run.thread_id].get(step.step_details.message_creation.message_id)
                assert message is not None and message.run_id == run.id
