"""What happens when a run moves: the scripted model is asked, its actions become run
steps, messages and the run's next status.

A run moves in steps ("moves"), each one transition of the state machine:
queued -> in_progress (start), in_progress -> a resting state (the model's turn is played),
cancelling -> cancelled. `settle` makes the moves that are due under the run's progression
policy, and expires runs whose `expires_at` has passed. Nothing here sleeps or reads the
wall clock: times come from the emulator's clock and the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scripted_models.base import (
    Search,
    ToolOutput,
    ToolUse,
)

from .. import activity, errors
from ..agent import code as agent_code
from ..agent import limits, loop, progression, tokens
from ..agent.code import CRASHED  # noqa: F401 (where tests and apps found it)
from ..models.common import changed
from ..models.message import (
    ImageFile,
    ImageFileContent,
    IncompleteDetails,
    Message,
    RefusalContent,
    Text,
    TextContent,
)
from ..models.run import (
    FunctionCall,
    LastError,
    RequiredAction,
    RequiredToolCall,
    Run,
    RunIncompleteDetails,
    SubmitToolOutputs,
    Usage,
)
from ..models.run_step import (
    FunctionCallDetails,
    FunctionToolCall,
    MessageCreation,
    MessageCreationDetails,
    RunStep,
    StepError,
    ToolCallsDetails,
)
from ..store import Table
from . import code_tool, foundry_steps, mcp, search_tool, state_machine
from .turn import RunTurn

if TYPE_CHECKING:
    from ..domain import Backend

#: Receives ("thread.run.step.created", step), ... as a run moves (the streaming issue listens).
Emit = Callable[[str, Any], None]


def _ignore(event: str, data: Any) -> None:
    return None


#: Nothing spent yet: one object for every run (API objects are replaced, never changed in place).
NO_USAGE = Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0)


@dataclass
class RunState:
    """What the engine remembers about a run besides the run object."""

    policy: progression.Progression
    last_move_at: int
    reads: int = 0
    turn: int = 0
    outputs: list[ToolOutput] = field(default_factory=list)
    pending_step: str | None = None  # the tool_calls step waiting for outputs
    pending_calls: list[RequiredToolCall] = field(default_factory=list)
    pending_usage: Usage | None = None  # what the model spent on the pending calls: the step's usage
    usage: Usage = field(default_factory=lambda: NO_USAGE)
    executing: bool = False  # a code_interpreter cell is running (the lock is released meanwhile)
    executions: int = 0
    pending_images: list[str] = field(default_factory=list)  # image file ids for the next message
    searches: list[Search] = field(default_factory=list)  # file_search calls of this run
    tool_uses: list[ToolUse] = field(default_factory=list)  # Foundry tool calls of this run
    mcp_calls: list[mcp.McpCall] = field(default_factory=list)  # waiting for approval, or approved (or not)
    #: Streams of this run: they hear every event, whichever request moves the run.
    listeners: list[Emit] = field(default_factory=list)
    #: The run's tools, tool_choice and response_format as the model reads them (`model_view`): a run's
    #: settings do not change while it lives, so they are written out for its first turn only.
    shown_settings: tuple[Any, ...] | None = None
    #: The thread's messages as the model saw them, with their tokens, by id (`model_view`): each version of a
    #: message (a changed one is a new object) is converted once per run, not once per turn.
    chats: dict[str, tuple[Any, Any, int]] = field(default_factory=dict)


class RunEngine:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.ns = backend.ns
        self.emulator = backend.emulator

    # --- moving runs --------------------------------------------------------------------

    def settle(self, thread_id: str, *, read: bool = False, emit: Emit = _ignore) -> None:
        """Make every move that is due for the thread's active run (there is at most one)."""
        runs = self.ns.runs.get(thread_id)
        if not runs:
            return
        for run in runs.walk(runs.end - 1, -1):
            if run.status in state_machine.ACTIVE:
                self.settle_run(run.id, thread_id, read=read, emit=emit)
            break  # only the newest run can be active

    def settle_run(self, run_id: str, thread_id: str, *, read: bool = False, emit: Emit = _ignore,
                   force: bool = False) -> Run:  # fmt: skip
        """Make the moves that are due (all of them with `force`: a streamed run does not wait
        for its progression policy)."""
        runs = self.ns.runs[thread_id]
        state = self.ns.run_states.get(run_id)
        run = runs.get(run_id)
        if state is None or run.is_terminal() or state.executing:
            return run  # a run whose cell is executing moves when the cell is done
        emit = _fanout(emit, state)
        now = self.emulator.clock.now()

        def halt(run: Run, due: bool, at: int) -> Run | None:
            """A run waiting for tool outputs moves only by them (or expires); any other expires when its next
            move would come after `expires_at`."""
            expiry = run.expires_at
            if run.status == "requires_action":
                return self._expire(run, state, expiry, emit) if expiry is not None and now >= expiry else run
            if expiry is not None and run.status != "cancelling" and (at if due else now) >= expiry:
                return self._expire(run, state, expiry, emit)
            return None

        def move(run: Run, at: int) -> Run:
            run = self._move(run, state, at, emit)
            if self._gone(thread_id, run_id, state):
                raise errors.not_found("thread", thread_id)  # deleted (or reset away) while a cell ran
            return run

        return progression.settle(state, run, now=now, over=Run.is_terminal, move=move, halt=halt, read=read,
                                  force=force)  # fmt: skip

    def _gone(self, thread_id: str, run_id: str, state: RunState) -> bool:
        return not self.ns.alive or thread_id not in self.ns.threads or self.ns.run_states.get(run_id) is not state

    def _save(self, run: Run, event: str | None, emit: Emit) -> Run:
        self.ns.runs[run.thread_id].replace(run.id, run)
        if run.is_terminal() and run.expires_at is None:
            self._steps_expire_with(run)
        activity.run_moved(run.id, run.status)
        if event:
            emit(event, run)
        return run

    def _move(self, run: Run, state: RunState, at: int, emit: Emit) -> Run:
        if run.status == "queued":
            return self._save(state_machine.apply(run, "start", at), "thread.run.in_progress", emit)
        if run.status == "cancelling":
            self._close_steps(run, "cancelled", at, emit)
            cancelled = state_machine.apply(run, "finish_cancel", at, usage=_spent(state))
            return self._save(cancelled, "thread.run.cancelled", emit)
        return self._play_turn(run, state, at, emit)

    def _expire(self, run: Run, state: RunState, at: int, emit: Emit) -> Run:
        self._close_steps(run, "expired", at, emit)
        return self._save(state_machine.apply(run, "expire", at, usage=_spent(state)), "thread.run.expired", emit)

    def _steps_expire_with(self, run: Run) -> None:
        """A step's `expires_at` is its run's: null once the run is over (steps listed after a
        completed run, azure-openai `BasicRunStepFunctionalityWorks.json`, azure-ai-agents
        `test_code_interpreter_tool.json`; while it runs, its stream events show the run's)."""
        steps = self.ns.steps.get(run.id)
        for step in list(steps.values()) if steps else ():
            if step.expires_at is not None:
                steps.replace(step.id, changed(step, {"expires_at": None}))

    def _close_steps(self, run: Run, status: str, at: int, emit: Emit, error: LastError | None = None) -> None:
        """Steps still in progress end with the run (cancelled, expired, failed: with its error)."""
        steps = self.ns.steps.get(run.id)
        if not steps:
            return
        update: dict[str, Any] = {"status": status}
        stamp = {"cancelled": "cancelled_at", "failed": "failed_at"}.get(status)  # an expired one keeps expires_at
        if stamp:
            update[stamp] = at
        if error is not None:
            code = error.code if error.code in ("server_error", "rate_limit_exceeded") else "server_error"
            update["last_error"] = StepError(code=code, message=error.message)
        for step in steps.values():
            if step.status == "in_progress":
                closed = steps.replace(step.id, changed(step, update))
                emit(f"thread.run.step.{status}", closed)
        state = self.ns.run_states.get(run.id)
        if state is not None:
            state.pending_step, state.pending_calls, state.pending_usage = None, [], None
            state.mcp_calls = []

    # --- a model turn -------------------------------------------------------------------

    def _play_turn(self, run: Run, state: RunState, at: int, emit: Emit) -> Run:
        """Ask the model, act on its answer; after a tool call, ask again (the agent loop)."""
        outcome = foundry_steps.make_answered_calls(self, run, state, at, emit)
        if isinstance(outcome, Run):
            return outcome
        run, at = outcome
        turn = RunTurn(self, run, state, at, emit)
        loop.play(self.emulator, turn)
        return turn.run

    def run_code(self, run: Run, state: RunState, at: int, code: str, prompt: int,
                  emit: Emit) -> Run | tuple[Run, int]:  # fmt: skip
        """A code_interpreter tool call: the step shows the code, the cell runs in the thread's
        session with the emulator's lock released (agent/code.py), then the step shows its outputs."""
        state.executions += 1
        too_many = limits.exceeded("code", state.executions - 1)
        if too_many:
            return self.fail(run, state, at, emit, too_many, prompt=prompt)
        call_id = self.emulator.ids.new("call")
        step = self.open_step(run, at, [code_tool.pending_call(call_id, code)], emit)
        inputs = code_tool.inputs(self.backend, code_tool.code_files(self.backend, run))
        execution = agent_code.execute(self.emulator, run.thread_id, code, inputs,
                                       lambda: self.released(state, f"code_interpreter {run.thread_id} {run.id}"))  # fmt: skip
        resumed = self.resumed(run, state, at)
        if isinstance(resumed, Run):
            return resumed
        run, at = resumed
        if isinstance(execution, str):
            return self.fail(run, state, at, emit, execution, prompt=prompt)
        call, _seen = code_tool.record(self.backend, run, call_id, code, execution)
        state.pending_images.extend(_seen.images)
        self.complete_step(run, step, at, self.charge(state, prompt, tokens.count(code)), emit, call=call)
        return run, at

    def search_files(self, run: Run, state: RunState, at: int, queries: tuple[str, ...], prompt: int,
                      emit: Emit) -> Run | tuple[Run, int]:  # fmt: skip
        """A file_search tool call: the step shows what was found; the model is asked again."""
        too_many = limits.exceeded("search", len(state.searches))
        if too_many:
            return self.fail(run, state, at, emit, too_many, prompt=prompt)
        call, seen = search_tool.search(self.backend, run, queries, len(state.searches))
        state.searches.append(seen)
        step = self.open_step(run, at, [call], emit)
        self.complete_step(run, step, at, self.charge(state, prompt, tokens.count(" ".join(queries))), emit)
        return run, at

    # --- what tool calls share (foundry_steps uses them too) -------------------------------

    def open_step(self, run: Run, at: int, calls: list[Any], emit: Emit) -> RunStep:
        """A tool_calls step in progress showing `calls`."""
        step = self._new_step(run, at, ToolCallsDetails(tool_calls=calls), status="in_progress", usage=None)
        emit("thread.run.step.created", step)
        emit("thread.run.step.in_progress", step)
        return step

    def complete_step(self, run: Run, step: RunStep, at: int, usage: Usage | None, emit: Emit, *,
                      call: Any = None) -> None:  # fmt: skip
        """The step completes (showing `call` now, if given: the tool call with its outputs)."""
        update: dict[str, Any] = {"status": "completed", "completed_at": at, "usage": usage}
        if call is not None:
            update["step_details"] = ToolCallsDetails(tool_calls=[call])
        done = self.ns.steps[run.id].replace(step.id, changed(step, update))
        emit("thread.run.step.completed", done)

    @contextmanager
    def released(self, state: RunState, work: str) -> Iterator[None]:
        """The emulator's lock let go while a tool works; nothing else moves the run meanwhile."""
        state.executing = True
        try:
            with self.emulator.lock.suspended(), activity.work(work):
                yield
        finally:
            state.executing = False

    def resumed(self, run: Run, state: RunState, at: int) -> Run | tuple[Run, int]:
        """After the lock was let go: the run as it is now and the time; or, if it was deleted
        (or the emulator reset) or cancelled meanwhile, the run to return (nothing more is
        written: a cancelled run's step ends with it)."""
        if self._gone(run.thread_id, run.id, state):
            return run
        current = self.ns.runs[run.thread_id].get(run.id)
        if current.status != "in_progress":
            return current
        return current, max(at, self.emulator.clock.now())

    def fail(self, run: Run, state: RunState, at: int, emit: Emit, message: str, *, prompt: int = 0) -> Run:
        """The run fails with a server_error saying `message`."""
        return self.finish(run, state, at, emit, error=LastError(code="server_error", message=message), prompt=prompt)

    def require_action(self, run: Run, state: RunState, at: int, action: Any, emit: Emit) -> Run:
        """The run waits in requires_action for what `action` asks of the app."""
        # usage stays null until the run is over (requires_action answers in azure-openai
        # `FunctionToolsWork.json` and azure-ai-agents `test_submit_tool_outputs_to_run.json`)
        changed = state_machine.apply(run, "require_action", at, required_action=action)
        return self._save(changed, "thread.run.requires_action", emit)

    def charge(self, state: RunState, prompt: int, completion: int) -> Usage:
        usage = Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)
        state.usage = state.usage + usage
        return usage

    def _new_step(self, run: Run, at: int, details: Any, *, status: str, usage: Usage | None) -> RunStep:
        step = RunStep(
            id=self.emulator.ids.new("step"),
            created_at=at,
            run_id=run.id,
            assistant_id=run.assistant_id,
            thread_id=run.thread_id,
            type=details.type,
            status=status,
            completed_at=at if status == "completed" else None,
            expires_at=run.expires_at,
            step_details=details,
            usage=usage if status == "completed" else None,
        )
        return self.ns.steps.setdefault(run.id, Table()).add(step.id, step)

    def reply(
        self,
        run: Run,
        state: RunState,
        at: int,
        text: str,
        prompt: int,
        emit: Emit,
        *,
        incomplete: bool,
        refusal: bool = False,
    ) -> None:
        usage = self.charge(state, prompt, tokens.count(text))
        annotations, attachments = ([], []) if refusal else code_tool.links(self.backend, run.thread_id, text)
        annotations = sorted([*annotations, *search_tool.citations(text, state.searches),
                              *foundry_steps.url_citations(text, state.tool_uses)], key=lambda a: a.start_index)  # fmt: skip
        images = [ImageFileContent(image_file=ImageFile(file_id=i, detail=None)) for i in state.pending_images]
        state.pending_images = []
        message = Message(
            id=self.emulator.ids.new("message"),
            created_at=at,
            thread_id=run.thread_id,
            role="assistant",
            content=[
                *images,
                RefusalContent(refusal=text)
                if refusal
                else TextContent(text=Text(value=text, annotations=annotations)),
            ],
            attachments=attachments,
            assistant_id=run.assistant_id,
            run_id=run.id,
            status="incomplete" if incomplete else "completed",
            incomplete_details=IncompleteDetails(reason="max_tokens") if incomplete else None,
            completed_at=None if incomplete else at,
            incomplete_at=at if incomplete else None,
        )
        step = self._new_step(run, at, MessageCreationDetails(message_creation=MessageCreation(message_id=message.id)),
                              status="in_progress", usage=None)  # fmt: skip
        emit("thread.run.step.created", step)
        emit("thread.run.step.in_progress", step)
        self.ns.messages[run.thread_id].add(message.id, message)
        emit("thread.message.created", message)
        emit("thread.message.in_progress", message)
        emit("thread.message.incomplete" if incomplete else "thread.message.completed", message)
        done = self.ns.steps[run.id].replace(
            step.id, changed(step, {"status": "completed", "completed_at": at, "usage": usage})
        )
        emit("thread.run.step.completed", done)

    def call_functions(self, run: Run, state: RunState, at: int, calls: Any, prompt: int, cost: int, emit: Emit) -> Run:
        spent = self.charge(state, prompt, cost)
        required = [
            RequiredToolCall(
                id=self.emulator.ids.new("call"), function=FunctionCall(name=c.name, arguments=c.arguments_json())
            )
            for c in calls
        ]
        shown = [FunctionToolCall(id=r.id, function=FunctionCallDetails(name=r.function.name,
                                                                     arguments=r.function.arguments))
                 for r in required]  # fmt: skip
        step = self.open_step(run, at, shown, emit)
        state.pending_step, state.pending_calls, state.pending_usage = step.id, required, spent
        action = RequiredAction(submit_tool_outputs=SubmitToolOutputs(tool_calls=required))
        return self.require_action(run, state, at, action, emit)

    def finish(self, run: Run, state: RunState, at: int, emit: Emit, *, error: LastError | None = None,
                stop: str | None = None, prompt: int = 0) -> Run:  # fmt: skip
        if prompt:
            self.charge(state, prompt, 0)
        if error is not None:
            self._close_steps(run, "failed", at, emit, error)
            changed = state_machine.apply(run, "fail", at, last_error=error, usage=state.usage)
            return self._save(changed, "thread.run.failed", emit)
        if stop is not None:
            details = RunIncompleteDetails(reason=stop)
            changed = state_machine.apply(run, "stop", at, incomplete_details=details, usage=state.usage)
            # the one recorded incomplete stream ends with `thread.run.completed` carrying status incomplete, not
            # the spec's `thread.run.incomplete` (ruby-openai runs_streamed_create.yml, 2024-04-29)
            return self._save(changed, "thread.run.completed", emit)
        return self._save(state_machine.apply(run, "complete", at, usage=state.usage), "thread.run.completed", emit)

    # --- requests that move a run ---------------------------------------------------------

    def submit(self, run: Run, outputs: list[dict[str, str]], emit: Emit = _ignore) -> Run:
        """Record checked tool outputs: the waiting step completes, the run is queued again."""
        state = self.ns.run_states[run.id]
        emit = _fanout(emit, state)
        now = self.emulator.clock.now()
        by_id = {o["tool_call_id"]: o["output"] for o in outputs}
        steps = self.ns.steps[run.id]
        step = steps.get(state.pending_step)
        calls = [
            changed(call, {"function": changed(call.function, {"output": by_id[call.id]})})
            for call in step.step_details.tool_calls
        ]
        # the step reports what the model spent calling the functions, as a message step does
        usage = state.pending_usage or NO_USAGE
        done = steps.replace(
            step.id,
            changed(step, {"status": "completed", "completed_at": now, "usage": usage,
                          "step_details": ToolCallsDetails(tool_calls=calls)}),
        )  # fmt: skip
        emit("thread.run.step.completed", done)
        for call in state.pending_calls:
            state.outputs.append(ToolOutput(call.id, call.function.name, call.function.arguments, by_id[call.id]))
        state.pending_step, state.pending_calls, state.pending_usage = None, [], None
        state.last_move_at, state.reads = now, 0
        return self._save(state_machine.apply(run, "submit", now), "thread.run.queued", emit)

    def approve(self, run: Run, approvals: list[dict[str, Any]], emit: Emit = _ignore) -> Run:
        """Record checked tool approvals: the run is queued again; its next move makes the
        approved MCP calls (and tells the model of the denied ones)."""
        state = self.ns.run_states[run.id]
        emit = _fanout(emit, state)
        now = self.emulator.clock.now()
        foundry_steps.record_approvals(state, approvals)
        state.pending_step = None
        state.last_move_at, state.reads = now, 0
        return self._save(state_machine.apply(run, "submit", now), "thread.run.queued", emit)

    def cancel(self, run: Run, emit: Emit = _ignore) -> Run:
        now = self.emulator.clock.now()
        state = self.ns.run_states[run.id]
        emit = _fanout(emit, state)
        state.last_move_at, state.reads = now, 0
        return self._save(state_machine.apply(run, "cancel", now), "thread.run.cancelling", emit)


def _fanout(emit: Emit, state: RunState) -> Emit:
    """`emit`, and every stream listening to the run."""
    if not state.listeners:
        return emit

    def both(event: str, data: Any) -> None:
        emit(event, data)
        for listener in list(state.listeners):
            listener(event, data)

    return both


def _spent(state: RunState) -> Usage | None:
    """A run's usage once it is over: what its turns spent (null if none was played). It is null
    before (a run waiting in requires_action, azure-openai `FunctionToolsWork.json`)."""
    return state.usage if state.turn > 0 else None
