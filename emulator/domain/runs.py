"""Runs and run steps: create (and thread-and-run), list, retrieve, modify, cancel,
submit_tool_outputs; steps list and retrieve. The rules are the real service's:
one active run per thread, outputs only while `requires_action` and for exactly the
pending calls, cancel only an active run."""

from __future__ import annotations

import contextvars
import logging
import threading
from typing import Any

from .. import activity, errors
from ..agent import progression
from ..models import ListPage
from ..models.common import ToolResources, build_tool
from ..models.run import Run
from ..pagination import ListQuery, paginate
from ..runs import search_tool, state_machine
from ..runs.engine import RunEngine, RunState
from ..runs.stream import RESTING, RunStream
from ..store import Table
from ..validation import validate
from .base import Service, updated

#: The only value `include[]` takes (file_search result contents in steps).
STEP_INCLUDES = ("step_details.tool_calls[*].file_search.results[*].content",)
logger = logging.getLogger("assistants_emulator")

#: A run may wait this long (for outputs, or in the queue) before it expires.
RUN_LIFETIME = 600


class Runs(Service):
    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.engine = RunEngine(backend)

    # --- create -----------------------------------------------------------------------

    def create(self, thread_id: str, body: dict[str, Any], *, include: list[str] | None = None,
               pace: str | None = None) -> Run:  # fmt: skip
        """A run of the thread; `pace` is the request's `X-Emulator-Progression` header (how the run moves)."""
        asked = progression.requested(pace)
        self.backend.threads.get(thread_id)
        validate("CreateRunRequest", body)
        self._check_include(include)
        assistant = self._assistant(body["assistant_id"])
        for n, message in enumerate(body.get("additional_messages") or []):
            self.backend.messages.check(message, param=f"additional_messages[{n}]")
        fields = self._run_fields(body, assistant)
        messages = self.ns.messages.get(thread_id) or {}
        user_asks = any(m.role == "user" for m in messages.values()) or _has_user_message(
            body.get("additional_messages")
        )
        _check_something_to_answer(user_asks, fields)
        if body.get("tool_resources") is not None:  # Foundry's runs take them (not the OpenAI schema)
            fields["tool_resources"] = fields["resources"] = self._tool_resources(body["tool_resources"])
        self.settle(thread_id)
        self._guard_idle(thread_id)
        for message in body.get("additional_messages") or []:
            self.backend.messages.add(thread_id, message)
        return self._start(thread_id, assistant, fields, asked)

    def create_thread_and_run(self, body: dict[str, Any], *, pace: str | None = None) -> tuple[Any, Run]:
        asked = progression.requested(pace)
        validate("CreateThreadAndRunRequest", body)
        assistant = self._assistant(body["assistant_id"])
        fields = self._run_fields(body, assistant)
        _check_something_to_answer(_has_user_message((body.get("thread") or {}).get("messages")), fields)
        if body.get("tool_resources") is not None:
            fields["tool_resources"] = fields["resources"] = self._tool_resources(body["tool_resources"])
        thread = self.backend.threads.create(body.get("thread") or {})
        return thread, self._start(thread.id, assistant, fields, asked)

    def _tool_resources(self, raw: dict[str, Any]) -> Any:
        from .tool_resources import ToolResourceResolver

        return ToolResourceResolver(self.backend).resolve(raw)

    def _assistant(self, assistant_id: str) -> Any:
        if not assistant_id.startswith("asst_"):
            raise errors.invalid_id_prefix("assistant_id", assistant_id, "asst")
        return self.backend.assistants.get(assistant_id)

    def _check_include(self, include: list[str] | None) -> None:
        for value in include or []:
            if value not in STEP_INCLUDES:
                raise errors.invalid_value("include[]", value, list(STEP_INCLUDES))

    def _run_fields(self, body: dict[str, Any], assistant: Any) -> dict[str, Any]:
        """The run's settings: the request's, else the assistant's, else the defaults."""
        model = body.get("model") or assistant.model
        self.backend.models.check_usable(model)
        instructions = body["instructions"] if body.get("instructions") is not None else assistant.instructions
        if body.get("additional_instructions"):
            instructions = (
                f"{instructions}\n\n{body['additional_instructions']}"
                if instructions
                else body["additional_instructions"]
            )
        tools = [build_tool(t) for t in body["tools"]] if body.get("tools") is not None else list(assistant.tools)
        fields: dict[str, Any] = {
            "model": model,
            "instructions": instructions,  # null when neither the assistant nor the run has any (spec stream examples)
            "tools": tools,
            "tool_resources": ToolResources(),
            "resources": assistant.tool_resources,
            "metadata": body.get("metadata") or {},
            "temperature": body["temperature"] if body.get("temperature") is not None else assistant.temperature,
            "top_p": body["top_p"] if body.get("top_p") is not None else assistant.top_p,
            "reasoning_effort": body.get("reasoning_effort") or assistant.reasoning_effort,
            "response_format": body["response_format"] if body.get("response_format") is not None
            else assistant.response_format,
            "max_prompt_tokens": body.get("max_prompt_tokens"),
            "max_completion_tokens": body.get("max_completion_tokens"),
        }  # fmt: skip
        for name in ("truncation_strategy", "tool_choice", "parallel_tool_calls"):
            if body.get(name) is not None:
                fields[name] = body[name]
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("type") == "function":
            if "function" not in choice:  # optional in the schema, needed for this type
                raise errors.missing_parameter("tool_choice.function")
            names = {t.function.name for t in tools if t.type == "function"}
            if choice["function"]["name"] not in names:
                raise errors.bad_request(
                    f"Invalid 'tool_choice': function '{choice['function']['name']}' is not among the run's tools.",
                    param="tool_choice",
                    code="invalid_value",
                )
        elif isinstance(choice, dict) and "function" in choice:  # the schema allows it on any type
            raise errors.bad_request(
                f"Invalid 'tool_choice.function': only a tool_choice of type 'function' names a function, "
                f"not one of type '{choice.get('type')}'.",
                param="tool_choice.function",
                code="invalid_value",
            )
        elif isinstance(choice, dict) and choice.get("type") not in {t.type for t in tools}:
            raise errors.bad_request(
                f"Invalid 'tool_choice': tool '{choice.get('type')}' is not among the run's tools.",
                param="tool_choice",
                code="invalid_value",
            )
        return fields

    def _start(self, thread_id: str, assistant: Any, fields: dict[str, Any],
               asked: progression.Progression | None = None) -> Run:  # fmt: skip
        now = self.now()
        run = Run.model_validate(
            {
                "id": self.new_id("run"),
                "created_at": now,
                "assistant_id": assistant.id,
                "thread_id": thread_id,
                "expires_at": now + RUN_LIFETIME,
                **fields,
            }
        )
        self.ns.runs.setdefault(thread_id, Table()).add(run.id, run)
        activity.run_moved(run.id, run.status)
        self.ns.steps[run.id] = Table()
        self.ns.run_states[run.id] = RunState(policy=progression.policy_for(self.emulator, run.model, asked),
                                              last_move_at=now)  # fmt: skip
        return run

    def _guard_idle(self, thread_id: str) -> None:
        active = self.backend.active_run(thread_id)
        if active is not None:
            raise errors.bad_request(f"Thread {thread_id} already has an active run {active.id}.")

    # --- read and modify ----------------------------------------------------------------

    def settle(self, thread_id: str, *, read: bool = False) -> None:
        self.engine.settle(thread_id, read=read)

    def get(self, thread_id: str, run_id: str, *, read: bool = True) -> Run:
        self.backend.threads.get(thread_id)
        runs = self.ns.runs.get(thread_id) or Table()
        run = self.find(runs, "run", run_id)
        return self.engine.settle_run(run.id, thread_id, read=read)

    def list(self, thread_id: str, query: ListQuery) -> ListPage:
        self.backend.threads.get(thread_id)
        self.engine.settle(thread_id, read=True)
        return paginate(self.ns.runs.setdefault(thread_id, Table()), query)

    def update(self, thread_id: str, run_id: str, body: dict[str, Any]) -> Run:
        run = self.get(thread_id, run_id, read=False)
        validate("ModifyRunRequest", body)
        changes = {"metadata": body["metadata"] or {}} if "metadata" in body else {}
        return self.ns.runs[thread_id].replace(run_id, updated(run, changes))

    def poll_after_ms(self, run_id: str) -> int:
        state = self.ns.run_states.get(run_id)
        policy = state.policy if state else progression.Progression()
        return policy.poll_after_ms(wall_clock=self.emulator.clock.kind == "system")

    # --- moving a run on request ------------------------------------------------------------

    def cancel(self, thread_id: str, run_id: str) -> Run:
        run = self.get(thread_id, run_id, read=False)
        if not state_machine.can(run, "cancel"):
            raise state_machine.refuse_cancel(run)
        return self.engine.cancel(run)

    def submit_tool_outputs(self, thread_id: str, run_id: str, body: dict[str, Any]) -> Run:
        run = self._check_outputs(thread_id, run_id, body)
        if run.required_action is not None and run.required_action.type == "submit_tool_approval":
            return self.engine.approve(run, body["tool_approvals"])
        return self.engine.submit(run, body["tool_outputs"])

    def _check_outputs(self, thread_id: str, run_id: str, body: dict[str, Any]) -> Run:
        run = self.get(thread_id, run_id, read=False)
        validate("SubmitToolOutputsRunRequest", body)  # on Foundry's shape, `tool_approvals` instead may come
        if run.status != "requires_action":
            raise errors.bad_request(f'Runs in status "{run.status}" do not accept tool outputs.')
        if run.required_action is not None and run.required_action.type == "submit_tool_approval":
            return self._check_approvals(run, body)
        if body.get("tool_approvals") is not None:
            raise errors.bad_request("This run waits for tool outputs, not tool approvals.", param="tool_approvals",
                                     code="invalid_value")  # fmt: skip
        if body.get("tool_outputs") is None:
            raise errors.missing_parameter("tool_outputs")
        expected = [c.id for c in run.required_action.submit_tool_outputs.tool_calls]
        _check_answers(body["tool_outputs"], "tool_outputs", "output", expected)
        return run

    def _check_approvals(self, run: Run, body: dict[str, Any]) -> Run:
        """Foundry's MCP approvals: one `{tool_call_id, approve}` for each pending call."""
        if body.get("tool_outputs") is not None:
            raise errors.bad_request("This run waits for tool approvals (`tool_approvals`), not tool outputs.",
                                     param="tool_outputs", code="invalid_value")  # fmt: skip
        approvals = body.get("tool_approvals")
        if approvals is None:
            raise errors.missing_parameter("tool_approvals")
        expected = [c.id for c in run.required_action.submit_tool_approval.tool_calls]
        _check_answers(approvals, "tool_approvals", "approve", expected, param="tool_approvals")
        return run

    # --- streaming --------------------------------------------------------------------

    def create_streamed(self, thread_id: str, body: dict[str, Any], *, include: list[str] | None = None) -> RunStream:
        """`create` with `stream: true`: the run's events, from `thread.run.created` on."""
        run = self.create(thread_id, body, include=include)
        prelude = [("thread.run.created", run), ("thread.run.queued", run)]
        return self._start_stream(self._listen(run, prelude, contents=bool(include)))

    def create_thread_and_run_streamed(self, body: dict[str, Any]) -> RunStream:
        thread, run = self.create_thread_and_run(body)
        prelude = [("thread.created", thread), ("thread.run.created", run), ("thread.run.queued", run)]
        return self._start_stream(self._listen(run, prelude))

    def submit_tool_outputs_streamed(self, thread_id: str, run_id: str, body: dict[str, Any]) -> RunStream:
        """The stream listens before the outputs are recorded: its first event is the tool
        call step's `thread.run.step.completed`, then `thread.run.queued`, ..."""
        self._check_outputs(thread_id, run_id, body)
        stream = self._listen(self.get(thread_id, run_id, read=False), [])
        self.submit_tool_outputs(thread_id, run_id, body)
        return self._start_stream(stream)

    def _listen(self, run: Run, prelude: list[tuple[str, Any]], *, contents: bool = False) -> RunStream:
        model = self.emulator.models.resolve(run.model)
        stream = RunStream(run.id, run.thread_id, getattr(model, "chunking", None) or "words", contents=contents)
        if self.emulator.persistence is not None:
            self.emulator.persistence.hold(stream)
        for event, data in prelude:
            stream.send(event, data)
        self.ns.run_states[run.id].listeners.append(stream)
        return stream

    def _start_stream(self, stream: RunStream) -> RunStream:
        """A thread of its own drives the run to rest (whatever its progression policy), so the
        HTTP response only relays events; a client that goes away stops listening, and the run
        still ends as if polled."""
        state = self.ns.run_states[stream.run_id]
        # in the request's context (a new thread starts with an empty one): what the run makes is made
        # for the shape that asked (emulator/wire.py), e.g. an Azure run's files are `assistant-...`
        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(self._drive, stream, state), daemon=True,
                         name=f"stream-{stream.run_id}").start()  # fmt: skip
        return stream

    def _drive(self, stream: RunStream, state: RunState) -> None:
        run_id = stream.run_id
        try:
            with self.emulator.lock:
                run = self.engine.settle_run(run_id, stream.thread_id, force=True)
            if run.status not in RESTING and not state.executing:
                stream.error(f"The run stopped moving in status {run.status}.")
        except Exception as exc:  # the stream must end even if the engine breaks
            logger.exception("streaming %s failed", run_id)
            stream.error(f"The server had an error while streaming this run ({type(exc).__name__}).")
            stream.release()  # even if what it held could not be written: the client must hear the end
        finally:
            with self.emulator.lock:
                if stream.closed and stream in state.listeners:
                    state.listeners.remove(stream)

    def close_stream(self, stream: RunStream) -> None:
        """The client went away (or read to the end): stop listening."""
        stream.end()
        state = self.ns.run_states.get(stream.run_id)
        if state is not None and stream in state.listeners:
            state.listeners.remove(stream)

    # --- steps --------------------------------------------------------------------------

    def list_steps(
        self, thread_id: str, run_id: str, query: ListQuery, *, include: list[str] | None = None
    ) -> ListPage:
        self._check_include(include)
        self.get(thread_id, run_id)
        page = paginate(self.ns.steps[run_id], query)
        if not include:
            page.data = [search_tool.without_contents(step) for step in page.data]
        return page

    def get_step(self, thread_id: str, run_id: str, step_id: str, *, include: list[str] | None = None) -> Any:
        self._check_include(include)
        self.get(thread_id, run_id)
        step = self.find(self.ns.steps[run_id], "step", step_id)
        return step if include else search_tool.without_contents(step)


def _check_answers(answers: list[dict[str, Any]], name: str, key: str, expected: list[str],
                   param: str | None = None) -> None:  # fmt: skip
    """Each of `answers` (tool outputs, or approvals) has its `tool_call_id` and `key`, and
    they answer exactly the calls the run waits for."""
    for n, answer in enumerate(answers):
        for field in ("tool_call_id", key):
            if answer.get(field) is None:
                raise errors.missing_parameter(f"{name}[{n}].{field}")
    got = [a["tool_call_id"] for a in answers]
    if sorted(got) != sorted(expected):
        raise errors.bad_request(f"Expected {name.replace('_', ' ')} for call_ids {expected}, got {got}", param=param)


def _has_user_message(messages: list[dict[str, Any]] | None) -> bool:
    return any(m.get("role") == "user" for m in messages or [])


def _check_something_to_answer(user_asks: bool, fields: dict[str, Any]) -> None:
    """A run needs a user message in its thread or instructions: else the real service's 400
    (ruby-openai runs_create.yml, POST /v1/threads/{id}/runs on an empty thread with an assistant
    without instructions, 2024-04-29)."""
    if not user_asks and not fields.get("instructions"):
        raise errors.bad_request(
            "Run creation requires a Thread with a user message or an assistant with instructions.",
            code="invalid_thread",
        )
