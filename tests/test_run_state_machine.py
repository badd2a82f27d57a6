"""A Hypothesis state machine that drives random sequences of run requests through the official
SDK against a real HTTP server, and checks the run state machine's invariants after every step.

Rules: create threads, add messages (naming zero, one or two functions, or too long to fit
max_prompt_tokens), create runs (tool_choice, parallel_tool_calls, additional_messages) and
thread-and-runs, poll (retrieve, list runs, list and retrieve steps, a polling loop), submit tool
outputs (right, reordered, wrong, missing, extra, duplicated or without output, on a run that
waits for none), cancel, address a run through the wrong thread, advance the virtual clock (a
little, or past the 600 s a run may wait), inject run faults and switch a run's progression policy
(the test controls both in process and through the admin API). Each example runs under one of
immediate, reads:1..3, seconds:5 and seconds:2.5.

Legal-or-not is never predicted from a model of our own: before a call that the service may
refuse, the thread is settled the way the request itself settles it first (`read=False`, so a
reads:N policy is not disturbed) and the store's status decides what the answer must be.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from openai import OpenAI
from run_invariants import RunInvariants, _json

from emulator import Emulator, create_app
from emulator.domain.runs import RUN_LIFETIME
from emulator.server import Server

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a place.",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "description": "The time in a city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    },
]
POLICIES = ["immediate", "reads:1", "reads:2", "reads:3", "seconds:5", "seconds:2.5"]
LONG = "Tell me everything about " + "this " * 300
MESSAGES = [
    "Hello there, how are you?",
    "please call get_weather for Paris",
    "please call get_time for Tokyo",
    "please call get_weather and get_time for Paris",  # two calls at once when parallel
    LONG,
]
TOOL_CHOICES = [None, "none", "auto", "required", {"type": "function", "function": {"name": "get_time"}}]
SUBMIT_MODES = ["correct", "correct", "reversed", "wrong_id", "missing", "extra", "duplicate", "no_output"]


def _run_options(tool_choice: Any, parallel: bool | None, max_prompt_tokens: int | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if tool_choice is not None:
        options["tool_choice"] = tool_choice
    if parallel is not None:
        options["parallel_tool_calls"] = parallel
    if max_prompt_tokens is not None:  # LONG cannot fit: a run whose last message is LONG ends incomplete
        options["max_prompt_tokens"] = max_prompt_tokens
    return options


class RunStateMachine(RunInvariants, RuleBasedStateMachine):
    """Bound to a live server by `_bind` (class attributes `emu` and `base_url`)."""

    emu: Emulator
    base_url: str

    threads = Bundle("threads")
    runs = Bundle("runs")

    def __init__(self) -> None:
        super().__init__()
        self.client = OpenAI(base_url=self.base_url, api_key="k", max_retries=0, timeout=20)
        self.admin = self.client.with_options(base_url=self.base_url.removesuffix("/v1"))
        self.seen: dict[str, dict[str, Any]] = {}  # run id -> the latest observed run JSON
        self.frozen: dict[str, dict[str, Any]] = {}  # run id -> the JSON of a terminal run
        self.fault_codes: set[str] = set()
        self.faults_injected = 0
        self.assistant_id = ""
        self.policy = "immediate"
        self.steered: set[str] = set()  # runs whose pace a test control or a submit/cancel changed

    def teardown(self) -> None:
        self.client.close()

    # --- helpers --------------------------------------------------------------------------

    @property
    def api(self) -> Any:
        return self.emu.backend()

    def _settle_thread(self, thread_id: str) -> Any:
        """Settle as a create/add-message request does first; the active run, if any."""
        with self.emu.lock:
            self.api.runs.settle(thread_id)
            return self.api.active_run(thread_id)

    def _settle_run(self, thread_id: str, run_id: str) -> Any:
        """Settle as a cancel/submit request does first (no read counted); the stored run."""
        with self.emu.lock:
            return self.api.runs.engine.settle_run(run_id, thread_id)

    def _message_count(self, thread_id: str) -> int:
        with self.emu.lock:
            return len(self.api.ns.messages[thread_id])

    def _stored(self, thread_id: str, run_id: str) -> Any:
        with self.emu.lock:
            return self.api.ns.runs[thread_id].get(run_id)

    def _refused(self, call: Any, message: str, label: str) -> dict[str, Any]:
        """`call` must fail with the SDK's BadRequestError, in the real error envelope."""
        with pytest.raises(openai.BadRequestError) as info:
            call()
        error = info.value
        assert error.status_code == 400
        body = error.response.json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"message", "type", "param", "code"}, body
        assert body["error"]["type"] == "invalid_request_error", body
        assert body["error"]["message"] == message, body
        event(f"refused: {label}")
        return body["error"]

    @initialize(
        target=threads, policy=st.sampled_from(POLICIES), seed=st.integers(0, 3), first=st.sampled_from(MESSAGES)
    )
    def start(self, policy: str, seed: int, first: str) -> str:
        event(f"policy: {policy}")
        self.emu.reset(seed=seed, progression=policy)
        self.policy = policy
        self.assistant_id = self.client.beta.assistants.create(model="gpt-4o", name="helper", tools=TOOLS).id
        return self.client.beta.threads.create(messages=[{"role": "user", "content": first}]).id

    # --- threads and messages ------------------------------------------------------------

    @rule(target=threads, first=st.none() | st.sampled_from(MESSAGES))
    def create_thread(self, first: str | None) -> str:
        messages = [{"role": "user", "content": first}] if first else []
        thread = self.client.beta.threads.create(messages=messages)
        return thread.id

    @rule(thread_id=threads, text=st.sampled_from(MESSAGES))
    def add_message(self, thread_id: str, text: str) -> None:
        active = self._settle_thread(thread_id)
        count = self._message_count(thread_id)
        if active is not None:
            self._refused(
                lambda: self.client.beta.threads.messages.create(thread_id, role="user", content=text),
                f"Can't add messages to {thread_id} while a run {active.id} is active.",
                f"message while {active.status}",
            )
            assert self._message_count(thread_id) == count
            return
        message = self.client.beta.threads.messages.create(thread_id, role="user", content=text)
        assert (message.thread_id, message.run_id, message.role) == (thread_id, None, "user")
        assert self._message_count(thread_id) == count + 1

    # --- runs -----------------------------------------------------------------------------

    @rule(
        target=runs,
        thread_id=threads,
        tool_choice=st.sampled_from(TOOL_CHOICES),
        parallel=st.sampled_from([None, True, False]),
        max_prompt_tokens=st.sampled_from([None, None, None, 256]),
        additional=st.sampled_from([None, None, None, *MESSAGES]),
    )
    def create_run(
        self, thread_id: str, tool_choice: Any, parallel: bool | None, max_prompt_tokens: int | None, additional: Any
    ) -> Any:
        options = _run_options(tool_choice, parallel, max_prompt_tokens)
        if additional is not None:  # joins the thread only if the run is created
            options["additional_messages"] = [{"role": "user", "content": additional}]
        active = self._settle_thread(thread_id)
        with self.emu.lock:
            runs_before = len(self.api.ns.runs.get(thread_id) or ())
            messages_before = len(self.api.ns.messages[thread_id])
            asked = additional is not None or any(m.role == "user" for m in self.api.ns.messages[thread_id].values())

        def create() -> Any:
            return self.client.beta.threads.runs.create(thread_id, assistant_id=self.assistant_id, **options)

        if not asked:  # the assistant has no instructions (ruby-openai runs_create.yml: this 400)
            self._refused(
                create,
                "Run creation requires a Thread with a user message or an assistant with instructions.",
                "run on a thread without a user message",
            )
            with self.emu.lock:
                assert len(self.api.ns.runs.get(thread_id) or ()) == runs_before
            return multiple()
        if active is not None:
            self._refused(
                create,
                f"Thread {thread_id} already has an active run {active.id}.",
                f"second run while {active.status}",
            )
            with self.emu.lock:
                assert len(self.api.ns.runs.get(thread_id) or ()) == runs_before
                assert len(self.api.ns.messages[thread_id]) == messages_before
            return multiple()
        run = create()
        self._check_created(run, thread_id, parallel)
        with self.emu.lock:
            assert len(self.api.ns.runs[thread_id]) == runs_before + 1
            assert len(self.api.ns.messages[thread_id]) == messages_before + (additional is not None)
        return (thread_id, run.id)

    @rule(
        target=runs,
        first=st.sampled_from(MESSAGES),
        tool_choice=st.sampled_from(TOOL_CHOICES),
        parallel=st.sampled_from([None, True, False]),
    )
    def create_thread_and_run(self, first: str, tool_choice: Any, parallel: bool | None) -> Any:
        run = self.client.beta.threads.create_and_run(
            assistant_id=self.assistant_id,
            thread={"messages": [{"role": "user", "content": first}]},
            **_run_options(tool_choice, parallel, None),
        )
        self._check_created(run, run.thread_id, parallel)
        return (run.thread_id, run.id)

    def _check_created(self, run: Any, thread_id: str, parallel: bool | None) -> None:
        assert (run.status, run.thread_id, run.assistant_id) == ("queued", thread_id, self.assistant_id)
        assert (run.started_at, run.usage, run.required_action) == (None, None, None)
        assert run.created_at == self.emu.clock.now()
        assert run.parallel_tool_calls is (True if parallel is None else parallel)
        self._observe(_json(run))

    @rule(ref=runs)
    def retrieve_run(self, ref: tuple[str, str]) -> None:
        thread_id, run_id = ref
        raw = self.client.beta.threads.runs.with_raw_response.retrieve(run_id, thread_id=thread_id)
        answer = json.loads(raw.text)
        assert int(raw.headers["openai-poll-after-ms"]) >= 1
        assert answer == _json(self._stored(thread_id, run_id))  # the answer is what is stored
        self._observe(answer)
        assert _json(raw.parse()) == answer

    @rule(thread_id=threads)
    def list_runs(self, thread_id: str) -> None:
        page = self.client.beta.threads.runs.list(thread_id, limit=100, order="asc")
        with self.emu.lock:
            stored = [_json(r) for r in self.api.ns.runs[thread_id].values()] if thread_id in self.api.ns.runs else []
        answers = [_json(r) for r in page.data]
        assert [r["id"] for r in answers] == [r["id"] for r in stored]
        for answer in answers:
            assert answer["thread_id"] == thread_id
            self._observe(answer)

    @rule(ref=runs)
    def list_steps(self, ref: tuple[str, str]) -> None:
        thread_id, run_id = ref
        page = self.client.beta.threads.runs.steps.list(run_id, thread_id=thread_id, limit=100, order="asc")
        run = self._stored(thread_id, run_id)
        self._observe(_json(run))
        with self.emu.lock:
            stored = [_json(s) for s in self.api.ns.steps[run_id].values()]
        assert [_json(s) for s in page.data] == stored
        for step in page.data:
            assert (step.run_id, step.thread_id, step.assistant_id) == (run_id, thread_id, run.assistant_id)
        if page.data:
            last = self.client.beta.threads.runs.steps.retrieve(page.data[-1].id, thread_id=thread_id, run_id=run_id)
            with self.emu.lock:
                assert _json(last) == _json(self.api.ns.steps[run_id].get(last.id))
        messages = self.client.beta.threads.messages.list(thread_id, run_id=run_id, limit=100).data
        with self.emu.lock:  # the reads above may have moved the run: its steps as they are now
            steps = list(self.api.ns.steps[run_id].values())
        made = {s.step_details.message_creation.message_id for s in steps if s.type == "message_creation"}
        assert {m.id for m in messages} == made  # the run's messages are those its steps made
        assert all((m.thread_id, m.run_id, m.role) == (thread_id, run_id, "assistant") for m in messages)

    @rule(ref=runs, mode=st.sampled_from(SUBMIT_MODES))
    def submit_tool_outputs(self, ref: tuple[str, str], mode: str) -> None:
        self._submit(*ref, mode)

    def _waiting_runs(self) -> list[tuple[str, str]]:
        with self.emu.lock:
            return [
                (thread_id, run.id)
                for thread_id, table in sorted(self.api.ns.runs.items())
                for run in table.values()
                if run.status == "requires_action"
            ]

    @precondition(lambda self: self._waiting_runs())
    @rule(data=st.data(), mode=st.sampled_from(SUBMIT_MODES))
    def answer_a_waiting_run(self, data: Any, mode: str) -> None:
        """Submit to a run the store shows waiting (it may have expired since: then a 400)."""
        self._submit(*data.draw(st.sampled_from(self._waiting_runs()), label="run"), mode)

    def _submit(self, thread_id: str, run_id: str, mode: str) -> None:
        run = self._settle_run(thread_id, run_id)
        expected = [c.id for c in run.required_action.submit_tool_outputs.tool_calls] if run.required_action else []
        ids = list(expected) or ["call_nothing_pending"]
        if mode == "wrong_id":
            ids[-1] = "call_not_a_real_call_id000"
        elif mode == "missing":
            ids = ids[1:]
        elif mode == "extra":
            ids = [*ids, "call_one_too_many_000000"]
        elif mode == "duplicate":
            ids = [*ids, ids[0]]
        elif mode == "reversed":  # the order of the outputs does not matter
            ids.reverse()
        outputs: list[dict[str, str]] = [{"tool_call_id": i, "output": f"result of {i}"} for i in ids]
        if mode == "no_output":
            del outputs[0]["output"]

        def submit() -> Any:
            return self.client.beta.threads.runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=outputs)

        if run.status != "requires_action":
            self._refused(
                submit, f'Runs in status "{run.status}" do not accept tool outputs.', f"submit to {run.status}"
            )
        elif mode == "no_output":
            error = self._refused(submit, "Missing required parameter: 'tool_outputs[0].output'.", "submit no output")
            assert (error["param"], error["code"]) == ("tool_outputs[0].output", "missing_required_parameter")
            assert self._stored(thread_id, run_id).status == "requires_action"
        elif sorted(ids) != sorted(expected):
            self._refused(submit, f"Expected tool outputs for call_ids {expected}, got {ids}", f"submit {mode}")
            assert self._stored(thread_id, run_id).status == "requires_action"
        else:
            answer = submit()
            self.steered.add(run_id)
            event(f"submitted {len(ids)} outputs")
            assert answer.status == "queued" and answer.required_action is None
            self._observe(_json(answer))
            with self.emu.lock:
                steps = [s for s in self.api.ns.steps[run_id].values() if s.type == "tool_calls"]
            done = {c.id: c.function.output for s in steps for c in s.step_details.tool_calls}
            assert all(done[i] == f"result of {i}" for i in expected)

    @rule(ref=runs, other=threads, call=st.sampled_from(["retrieve", "cancel", "submit", "steps"]))
    def ask_the_wrong_thread(self, ref: tuple[str, str], other: str, call: str) -> None:
        """A run is found only under its own thread: elsewhere a 404, and nothing moves."""
        thread_id, run_id = ref
        if other == thread_id:
            return
        before = _json(self._stored(thread_id, run_id))
        with self.emu.lock:
            reads = self.api.ns.run_states[run_id].reads
        runs = self.client.beta.threads.runs
        calls = {
            "retrieve": lambda: runs.retrieve(run_id, thread_id=other),
            "cancel": lambda: runs.cancel(run_id, thread_id=other),
            "submit": lambda: runs.submit_tool_outputs(
                run_id, thread_id=other, tool_outputs=[{"tool_call_id": "call_x", "output": "x"}]
            ),
            "steps": lambda: runs.steps.list(run_id, thread_id=other),
        }
        with pytest.raises(openai.NotFoundError) as info:
            calls[call]()
        body = info.value.response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, body
        assert body["error"]["message"] == f"No run found with id '{run_id}'."
        assert _json(self._stored(thread_id, run_id)) == before
        with self.emu.lock:
            assert self.api.ns.run_states[run_id].reads == reads  # not a read of this run

    @rule(ref=runs, patience=st.integers(1, 12))
    def poll_until_resting(self, ref: tuple[str, str], patience: int) -> None:
        """An app's polling loop: retrieve until the run rests, moving the clock when reads do not."""
        thread_id, run_id = ref
        for n in range(patience):
            run = self.client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
            self._observe(_json(run))
            if run.status not in ("queued", "in_progress", "cancelling"):
                event(f"poll: rests in {run.status}")
                return
            if n % 3 == 2:
                self.emu.advance(5)

    @rule(ref=runs)
    def cancel(self, ref: tuple[str, str]) -> None:
        thread_id, run_id = ref
        run = self._settle_run(thread_id, run_id)

        def cancel() -> Any:
            return self.client.beta.threads.runs.cancel(run_id, thread_id=thread_id)

        if run.status in ("queued", "in_progress", "requires_action"):
            answer = cancel()
            self.steered.add(run_id)
            assert answer.status == "cancelling" and answer.required_action is None
            self._observe(_json(answer))
        else:
            self._refused(cancel, f"Cannot cancel run with status '{run.status}'.", f"cancel {run.status}")
            assert self._stored(thread_id, run_id).status == run.status

    # --- test controls -------------------------------------------------------------------

    @rule(seconds=st.integers(1, 30) | st.integers(RUN_LIFETIME + 1, 2000), via_http=st.booleans())
    def advance_clock(self, seconds: int, via_http: bool) -> None:
        before = self.emu.clock.now()
        if via_http:
            answer = self.admin.post("/_emulator/clock/advance", body={"seconds": seconds}, cast_to=object)
            assert answer == {"time": before + seconds, "kind": "virtual"}
        else:
            assert self.emu.advance(seconds) == before + seconds

    @precondition(lambda self: not self.emu.faults.describe()["runs"])  # one fault at a time
    @rule(code=st.sampled_from(["server_error", "rate_limit_exceeded", "invalid_prompt"]), via_http=st.booleans())
    def inject_run_fault(self, code: str, via_http: bool) -> None:
        if via_http:  # the next model turn of any run fails
            answer = self.admin.post("/_emulator/faults/runs", body={"count": 1, "code": code}, cast_to=object)
            assert [f["code"] for f in answer["runs"]] == [code]
        else:
            self.emu.faults.fail_runs(1, code=code)
        self.fault_codes.add(code)
        self.faults_injected += 1

    @rule(ref=runs, policy=st.sampled_from(POLICIES), via_http=st.booleans())
    def switch_progression(self, ref: tuple[str, str], policy: str, via_http: bool) -> None:
        if via_http:
            answer = self.admin.post(
                f"/_emulator/runs/{ref[1]}/progression", body={"progression": policy}, cast_to=object
            )
            assert answer == {"run_id": ref[1], "progression": policy}
        else:
            self.emu.set_progression(ref[1], policy)
        self.steered.add(ref[1])
        with self.emu.lock:
            assert str(self.api.ns.run_states[ref[1]].policy) == policy

    # --- invariants, from the store ----------------------------------------------------------


@pytest.fixture(scope="module")
def live_server() -> Any:
    emu = Emulator()
    server = Server(create_app(emu), host="127.0.0.1", port=0, threads=4, log_requests=False)
    server.start_in_thread()
    yield emu, server
    server.stop()


def _bind(emu: Emulator, server: Server) -> type[RunStateMachine]:
    return type("BoundRunStateMachine", (RunStateMachine,), {"emu": emu, "base_url": f"{server.url}/v1"})


def test_runs_keep_the_state_machine_invariants(live_server: Any) -> None:
    machine = _bind(*live_server)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=50,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# --- regressions found by the state machine ----------------------------------------------------


@pytest.fixture
def waiting_run(openai_client: OpenAI) -> tuple[OpenAI, Any]:
    """A run (immediate progression) that waits for the output of one get_weather call."""
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=TOOLS)
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": MESSAGES[1]}])
    run = openai_client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    run = openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert run.status == "requires_action" and run.usage is None  # until it is over (FunctionToolsWork.json)
    return openai_client, run


def test_a_cancelled_waiting_run_no_longer_requires_action(waiting_run: tuple[OpenAI, Any]) -> None:
    client, run = waiting_run
    cancelling = client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id)
    assert (cancelling.status, cancelling.required_action) == ("cancelling", None)  # it used to keep the calls
    cancelled = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
    assert (cancelled.status, cancelled.required_action, cancelled.expires_at) == ("cancelled", None, None)
    (step,) = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data
    assert (step.type, step.status, step.usage) == ("tool_calls", "cancelled", None)


def test_a_tool_calls_step_reports_what_the_calls_cost(waiting_run: tuple[OpenAI, Any]) -> None:
    client, run = waiting_run
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": call.id, "output": "21C"}]
    )
    done = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
    assert done.status == "completed"
    calls, reply = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data
    assert calls.type == "tool_calls" and calls.usage.total_tokens > 0  # was all zeros
    assert reply.type == "message_creation"
    assert done.usage.total_tokens == calls.usage.total_tokens + reply.usage.total_tokens
    assert done.usage.prompt_tokens == calls.usage.prompt_tokens + reply.usage.prompt_tokens


@pytest.mark.emulator(progression="seconds:2.5")
def test_a_fractional_pace_is_never_early(openai_client: OpenAI, emulator: Emulator) -> None:
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    run = openai_client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    emulator.advance(2)  # 2 s < 2.5 s: still queued (it started at +2 s before)
    assert openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
    emulator.advance(4)  # +6 s: started at +3 s, its turn played at +6 s
    done = openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert done.status == "completed"
    assert (done.started_at, done.completed_at) == (run.created_at + 3, run.created_at + 6)
