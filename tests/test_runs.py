"""Runs through the official SDK: every path of the run state machine, driven by scripted models."""

from __future__ import annotations

import json

import openai
import pytest
from openai import OpenAI

from conftest import BETA, error_of
from emulator.clock import DEFAULT_EPOCH

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city", "unit"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_time",
        "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}, "required": ["tz"]},
    },
}
COUNT_MESSAGES = {  # replies with what it sees: handy for truncation
    "name": "counter",
    "turns": [{"do": [{"reply": "{{ messages|length }} messages; last: {{ user }}"}]}],
}


@pytest.fixture
def assistant(openai_client):
    return openai_client.beta.assistants.create(
        model="gpt-4o", name="helper", instructions="Be brief.", tools=[WEATHER, TIME], temperature=0.5
    )


def thread_with(client, text):
    return client.beta.threads.create(messages=[{"role": "user", "content": text}])


def test_simple_reply(openai_client, assistant, http):
    thread = thread_with(openai_client, "Hello!")
    created = http.post(f"/v1/threads/{thread.id}/runs", json={"assistant_id": assistant.id}, headers=BETA).get_json()
    # the recorded keys, in order (ruby-openai run_steps_retrieve_run_setup.yml, POST /v1/threads/{id}/runs, 2025-03-14)
    assert list(created) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "status", "started_at", "expires_at",
        "cancelled_at", "failed_at", "completed_at", "required_action", "last_error", "model", "instructions",
        "tools", "tool_resources", "metadata", "temperature", "top_p", "reasoning_effort", "max_completion_tokens",
        "max_prompt_tokens", "truncation_strategy", "incomplete_details", "usage", "response_format", "tool_choice",
        "parallel_tool_calls",
    ]  # fmt: skip
    assert created["id"].startswith("run_") and created["object"] == "thread.run"
    assert created["status"] == "queued" and created["started_at"] is None and created["usage"] is None
    assert created["expires_at"] == created["created_at"] + 600
    assert (created["model"], created["instructions"], created["temperature"]) == ("gpt-4o", "Be brief.", 0.5)
    assert [t["function"]["name"] for t in created["tools"]] == ["get_weather", "get_time"]
    assert created["truncation_strategy"] == {"type": "auto", "last_messages": None}
    assert (created["tool_choice"], created["parallel_tool_calls"], created["response_format"]) == (
        "auto",
        True,
        "auto",
    )
    run = openai_client.beta.threads.runs.retrieve(created["id"], thread_id=thread.id)
    assert run.status == "completed"
    assert run.started_at == run.completed_at == run.created_at == DEFAULT_EPOCH
    assert run.expires_at is None and run.required_action is None and run.last_error is None
    assert run.usage.total_tokens == run.usage.prompt_tokens + run.usage.completion_tokens > 0
    reply = openai_client.beta.threads.messages.list(thread.id).data[0]
    assert (reply.role, reply.run_id, reply.assistant_id) == ("assistant", run.id, assistant.id)
    assert "Hello!" in reply.content[0].text.value
    (step,) = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert (step.type, step.status, step.run_id, step.thread_id) == ("message_creation", "completed", run.id, thread.id)
    assert step.step_details.message_creation.message_id == reply.id
    assert step.usage.to_dict() == run.usage.to_dict()


def test_create_and_poll_and_the_poll_header(openai_client, assistant, http):
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    response = http.get(f"/v1/threads/{thread.id}/runs/{run.id}", headers=BETA)
    assert response.headers["openai-poll-after-ms"] == "1"


def test_run_overrides(openai_client, assistant):
    thread = thread_with(openai_client, "first")
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        model="gpt-4.1",
        instructions="Replace.",
        additional_instructions="Also this.",
        additional_messages=[{"role": "user", "content": "second"}],
        tools=[TIME],
        temperature=0.1,
        top_p=0.2,
        metadata={"k": "v"},
        tool_choice="none",
        parallel_tool_calls=False,
        truncation_strategy={"type": "last_messages", "last_messages": 5},
        max_prompt_tokens=1000,
        max_completion_tokens=1000,
        response_format={"type": "json_object"},
    )
    assert (run.model, run.instructions) == ("gpt-4.1", "Replace.\n\nAlso this.")
    assert [t.function.name for t in run.tools] == ["get_time"]
    assert (run.temperature, run.top_p, run.metadata) == (0.1, 0.2, {"k": "v"})
    assert (run.tool_choice, run.parallel_tool_calls) == ("none", False)
    assert (run.truncation_strategy.type, run.truncation_strategy.last_messages) == ("last_messages", 5)
    assert (run.max_prompt_tokens, run.max_completion_tokens) == (1000, 1000)
    texts = [m.content[0].text.value for m in openai_client.beta.threads.messages.list(thread.id, order="asc")]
    assert texts[:2] == ["first", "second"]  # additional messages join the thread before the run
    assert json.loads(texts[2])["response"].startswith('You said: "second"')  # json_object format


def steps_usage(client, run) -> int:
    """The tokens of the run's steps that are over (a run's own usage is null until it is)."""
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data
    return sum(s.usage.total_tokens for s in steps if s.usage is not None)


def test_function_calling_with_parallel_calls(openai_client, assistant):
    thread = thread_with(openai_client, "Use get_weather and get_time for Paris please")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    # usage is null until the run is over (azure-openai FunctionToolsWork.json, GET run in requires_action)
    assert run.status == "requires_action" and run.usage is None and run.expires_at == run.created_at + 600
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [c.function.name for c in calls] == ["get_weather", "get_time"]
    assert all(c.id.startswith("call_") and c.type == "function" for c in calls)
    assert json.loads(calls[0].function.arguments) == {"city": "Paris", "unit": "celsius"}
    (step,) = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert (step.type, step.status, step.usage) == ("tool_calls", "in_progress", None)
    assert [c.function.output for c in step.step_details.tool_calls] == [None, None]
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.threads.messages.create(thread.id, role="user", content="more?")
    assert info.value.body["message"] == f"Can't add messages to {thread.id} while a run {run.id} is active."
    outputs = [{"tool_call_id": calls[0].id, "output": "21C"}, {"tool_call_id": calls[1].id, "output": "10:00"}]
    done = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=outputs
    )
    assert done.status == "completed" and done.required_action is None
    assert done.usage.total_tokens == steps_usage(openai_client, run) > 0
    steps = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    assert [c.function.output for c in steps[0].step_details.tool_calls] == ["21C", "10:00"]
    assert steps[0].status == "completed" and steps[0].usage is not None
    reply = openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert "get_weather returned 21C" in reply and "get_time returned 10:00" in reply


def test_no_parallel_calls_when_disabled(openai_client, assistant):
    thread = thread_with(openai_client, "get_weather and get_time please")
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, parallel_tool_calls=False
    )
    assert [c.function.name for c in run.required_action.submit_tool_outputs.tool_calls] == ["get_weather"]


@pytest.mark.parametrize(
    "choice, expected",
    [
        ({"type": "function", "function": {"name": "get_time"}}, ["get_time"]),
        ("required", ["get_weather"]),
        ("none", None),
    ],
)
def test_tool_choice(openai_client, assistant, choice, expected):
    thread = thread_with(openai_client, "get_weather please")
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tool_choice=choice
    )
    if expected is None:
        assert run.status == "completed"
    else:
        assert [c.function.name for c in run.required_action.submit_tool_outputs.tool_calls] == expected


def test_tool_outputs_must_match_the_calls(openai_client, assistant):
    thread = thread_with(openai_client, "get_weather and get_time")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    a, b = (c.id for c in run.required_action.submit_tool_outputs.tool_calls)
    for outputs in (
        [{"tool_call_id": a, "output": "x"}],
        [{"tool_call_id": a, "output": "x"}, {"tool_call_id": "call_zzz", "output": "y"}],
    ):
        with pytest.raises(openai.BadRequestError) as info:
            openai_client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id, tool_outputs=outputs)
        got = [o["tool_call_id"] for o in outputs]
        assert info.value.body["message"] == f"Expected tool outputs for call_ids {[a, b]}, got {got}"
    assert openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"
    done = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": b, "output": "1"}, {"tool_call_id": a, "output": "2"}],
    )
    assert done.status == "completed"
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id, tool_outputs=[])
    assert info.value.body["message"] == 'Runs in status "completed" do not accept tool outputs.'
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'completed'."


def test_expiry_while_waiting_for_outputs(openai_client, assistant, emulator):
    thread = thread_with(openai_client, "get_weather in Oslo")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    emulator.advance(599)
    assert openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"
    emulator.advance(1)
    expired = openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert expired.status == "expired" and expired.expires_at == run.created_at + 600
    assert expired.required_action is None
    (step,) = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    # steps carry their run's `expires_at` (azure-openai BasicRunStepFunctionalityWorks.json); an expired run keeps it
    assert (step.status, step.expires_at) == ("expired", run.created_at + 600)
    with pytest.raises(openai.BadRequestError) as info:
        call = run.required_action.submit_tool_outputs.tool_calls[0]
        openai_client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id,
                                                            tool_outputs=[{"tool_call_id": call.id, "output": "x"}])  # fmt: skip
    assert info.value.body["message"] == 'Runs in status "expired" do not accept tool outputs.'
    openai_client.beta.threads.messages.create(thread.id, role="user", content="the thread is free again")


@pytest.mark.emulator(progression="reads:2")
def test_polling_sees_every_status_and_cancel_mid_run(openai_client, assistant):
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    seen = [openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status for _ in range(4)]
    assert seen == ["queued", "in_progress", "in_progress", "completed"]
    second = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {second.id}."
    cancelling = openai_client.beta.threads.runs.cancel(second.id, thread_id=thread.id)
    assert cancelling.status == "cancelling"
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.threads.runs.cancel(second.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'cancelling'."
    final = openai_client.beta.threads.runs.poll(second.id, thread_id=thread.id)
    assert final.status == "cancelled" and final.cancelled_at is not None and final.completed_at is None
    assert openai_client.beta.threads.runs.steps.list(second.id, thread_id=thread.id).data == []
    assert [m.role for m in openai_client.beta.threads.messages.list(thread.id)] == ["assistant", "user"]


@pytest.mark.emulator(progression="seconds:5")
def test_seconds_progression_follows_the_virtual_clock(openai_client, assistant, emulator):
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    get = lambda: openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)  # noqa: E731
    assert get().status == "queued"
    emulator.advance(5)
    assert (get().status, get().started_at) == ("in_progress", DEFAULT_EPOCH + 5)
    emulator.advance(100)
    done = get()
    assert (done.status, done.completed_at) == ("completed", DEFAULT_EPOCH + 10)


@pytest.mark.emulator(progression="seconds:400")
def test_a_slow_run_expires(openai_client, assistant, emulator):
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    emulator.advance(1000)
    expired = openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert expired.status == "expired" and expired.started_at == DEFAULT_EPOCH + 400


def test_cancel_while_waiting_for_outputs(openai_client, assistant):
    thread = thread_with(openai_client, "get_weather in Rome")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert openai_client.beta.threads.runs.cancel(run.id, thread_id=thread.id).status == "cancelling"
    final = openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert final.status == "cancelled"
    (step,) = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert step.status == "cancelled" and step.cancelled_at == final.cancelled_at


def test_injected_run_failures(openai_client, assistant, emulator):
    emulator.faults.fail_runs(1, code="rate_limit_exceeded")
    thread = thread_with(openai_client, "hi")
    failed = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert failed.status == "failed" and failed.failed_at is not None and failed.expires_at is None
    assert failed.last_error.code == "rate_limit_exceeded" and "Rate limit" in failed.last_error.message
    assert (
        openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id).status
        == "completed"
    )
    emulator.faults.fail_runs(1, code="server_error", model="gpt-4.1")
    ok = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    bad = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, model="gpt-4.1"
    )
    assert (ok.status, bad.status, bad.last_error.code) == ("completed", "failed", "server_error")


def test_injected_http_errors(openai_client, assistant, emulator, emulator_server):
    thread = thread_with(openai_client, "hi")
    emulator.faults.http(429, path=r"/threads/[^/]+/runs$", method="POST", times=1)
    no_retry = OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
    with pytest.raises(openai.RateLimitError) as info:
        no_retry.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["code"] == "rate_limit_exceeded"
    emulator.faults.http(503, path=r"/threads/[^/]+/runs$", times=2)
    retrying = OpenAI(base_url=emulator_server.openai_base_url, api_key="k")  # the SDK retries twice
    assert (
        retrying.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id).status == "completed"
    )
    assert emulator.faults.describe() == {"code_crashes": 0, "runs": [], "http": []}


def test_incomplete_on_max_completion_tokens(openai_client):
    echo = openai_client.beta.assistants.create(model="echo")
    long_text = " ".join(f"word{n}" for n in range(400))
    thread = thread_with(openai_client, long_text)
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=echo.id, max_completion_tokens=256
    )
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_completion_tokens"
    assert run.expires_at is None and run.usage.completion_tokens == 256
    reply = openai_client.beta.threads.messages.list(thread.id).data[0]
    # the REST message has no status (ruby-openai messages_retrieve.yml): its stream events do (test_streaming.py)
    assert reply.status is None and reply.incomplete_details is None
    assert reply.content[0].text.value == " ".join(f"word{n}" for n in range(256))


def test_incomplete_on_max_prompt_tokens(openai_client):
    echo = openai_client.beta.assistants.create(model="echo")
    thread = thread_with(openai_client, " ".join(["token"] * 300))
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=echo.id, max_prompt_tokens=256,
        truncation_strategy={"type": "last_messages", "last_messages": 1},
    )  # fmt: skip
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_prompt_tokens"
    assert [m.role for m in openai_client.beta.threads.messages.list(thread.id)] == ["user"]


@pytest.mark.emulator(models=[COUNT_MESSAGES])
def test_truncation_decides_what_the_model_sees(openai_client):
    counter = openai_client.beta.assistants.create(model="counter")
    thread = openai_client.beta.threads.create(
        messages=[{"role": "user", "content": " ".join(["old"] * 300)}]
        + [{"role": "user", "content": f"m{n}"} for n in range(4)]
    )
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=counter.id, truncation_strategy={"type": "last_messages", "last_messages": 2}
    )
    assert openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value == "2 messages; last: m3"
    assert run.usage.prompt_tokens < 20
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=counter.id, max_prompt_tokens=256)
    # auto truncation drops the oldest messages until the prompt fits: the 300-token one goes
    assert openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value == "5 messages; last: m3"


def test_thread_and_run(openai_client, assistant):
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Hi from a new thread"}], "metadata": {"a": "b"}},
    )
    assert run.status == "completed" and run.thread_id.startswith("thread_")
    assert openai_client.beta.threads.retrieve(run.thread_id).metadata == {"a": "b"}
    texts = [m.content[0].text.value for m in openai_client.beta.threads.messages.list(run.thread_id, order="asc")]
    assert texts[0] == "Hi from a new thread" and "Hi from a new thread" in texts[1]


def test_runs_list_modify_and_errors(openai_client, assistant, http):
    thread = thread_with(openai_client, "hi")
    first = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    second = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert [r.id for r in openai_client.beta.threads.runs.list(thread.id)] == [second.id, first.id]
    assert openai_client.beta.threads.runs.update(first.id, thread_id=thread.id, metadata={"x": "y"}).metadata == {
        "x": "y"
    }
    cases = [
        ("post", f"/v1/threads/{thread.id}/runs", {"assistant_id": "nope"}, 400, "Invalid 'assistant_id': 'nope'. Expected an ID that begins with 'asst'."),
        ("post", f"/v1/threads/{thread.id}/runs", {"assistant_id": "asst_missing"}, 404, "No assistant found with id 'asst_missing'."),
        ("post", f"/v1/threads/{thread.id}/runs", {}, 400, "Missing required parameter: 'assistant_id'."),
        ("post", f"/v1/threads/{thread.id}/runs", {"assistant_id": assistant.id, "tool_choice": {"type": "function", "function": {"name": "nope"}}}, 400, None),
        ("post", f"/v1/threads/{thread.id}/runs", {"assistant_id": assistant.id, "max_completion_tokens": 0}, 400, None),
        ("get", f"/v1/threads/{thread.id}/runs/run_missing", None, 404, "No run found with id 'run_missing'."),
        ("get", f"/v1/threads/{thread.id}/runs/{first.id}/steps/step_missing", None, 404, "No run step found with id 'step_missing'."),
        ("get", f"/v1/threads/{thread.id}/runs/{first.id}/steps?include[]=bogus", None, 400, None),
        ("post", f"/v1/threads/{thread.id}/runs/{first.id}", {"status": "completed"}, 400, "Unknown parameter: 'status'."),
        ("post", "/v1/threads/thread_missing/runs", {"assistant_id": assistant.id}, 404, "No thread found with id 'thread_missing'."),
    ]  # fmt: skip
    for method, path, body, status, message in cases:
        response = (
            getattr(http, method)(path, json=body, headers=BETA) if body is not None else http.get(path, headers=BETA)
        )
        assert response.status_code == status, (path, body, response.get_data(as_text=True))
        if message:
            assert error_of(response)["message"] == message
    include = "step_details.tool_calls[*].file_search.results[*].content"
    steps = openai_client.beta.threads.runs.steps.list(first.id, thread_id=thread.id, include=[include])
    assert (
        openai_client.beta.threads.runs.steps.retrieve(steps.data[0].id, thread_id=thread.id, run_id=first.id)
        == steps.data[0]
    )


def test_thread_delete_removes_its_runs(openai_client, assistant, emulator):
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    openai_client.beta.threads.delete(thread.id)
    ns = emulator.backend().ns
    assert thread.id not in ns.runs and run.id not in ns.steps and run.id not in ns.run_states


def test_the_default_catalogue_over_real_http(emulator_server):
    """No configuration: an app's whole function-calling loop works against the server."""
    client = OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
    assistant = client.beta.assistants.create(model="my-own-deployment", tools=[WEATHER])
    thread = thread_with(client, "What's the weather in Lisbon? Use get_weather.")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert json.loads(call.function.arguments)["city"] == "Lisbon"
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": '{"temp": 19}'}]
    )
    assert run.status == "completed"
    assert '{"temp": 19}' in client.beta.threads.messages.list(thread.id).data[0].content[0].text.value


def test_same_seed_same_runs():
    from emulator import Emulator, create_app

    def session() -> list[bytes]:
        http = create_app(Emulator(seed=5)).test_client()
        headers = {**BETA, "Authorization": "Bearer k"}
        a = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": [WEATHER]}, headers=headers).get_json()["id"]
        body = {"assistant_id": a, "thread": {"messages": [{"role": "user", "content": "get_weather in Bern"}]}}
        run = http.post("/v1/threads/runs", json=body, headers=headers).get_json()
        out = [http.get(f"/v1/threads/{run['thread_id']}/runs/{run['id']}", headers=headers).data]
        out.append(http.get(f"/v1/threads/{run['thread_id']}/runs/{run['id']}/steps", headers=headers).data)
        return out

    assert session() == session()


class Broken:
    """A Python-API model that misbehaves in the ways user code can."""

    def __init__(self, name, answer):
        self.name, self.answer = name, answer

    def respond(self, model_input):
        return self.answer()


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (lambda: 1 / 0, "raised ZeroDivisionError"),
        (lambda: [], "no action"),
        (lambda: [__import__("scripted_models.base").base.Fail("bogus")], "fail with code 'bogus'"),
        (lambda: [__import__("scripted_models.base").base.CallFunctions(
            (__import__("scripted_models.base").base.FunctionCall("f", {"x": object()}),))], "not JSON"),
        (lambda: ["not an action"], "an action it cannot take"),
    ],
)  # fmt: skip
def test_a_misbehaving_model_fails_its_run_not_the_server(openai_client, emulator, answer, fragment):
    emulator.models.register(Broken("broken", answer))
    bot = openai_client.beta.assistants.create(model="broken")
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=bot.id)
    assert run.status == "failed" and run.last_error.code == "server_error"
    assert "Scripted model 'broken'" in run.last_error.message and fragment in run.last_error.message
    assert openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "failed"
    openai_client.beta.threads.messages.create(thread.id, role="user", content="the thread still works")


SLOW = {"name": "slow-bot", "progression": "reads:3", "turns": [{"do": [{"reply": "done"}]}]}


@pytest.mark.emulator(models=[SLOW])
def test_progression_per_model_and_per_run(openai_client, emulator, http):
    slow = openai_client.beta.assistants.create(model="slow-bot")
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=slow.id)
    get = lambda: openai_client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status  # noqa: E731
    assert [get() for _ in range(3)] == ["queued", "queued", "in_progress"]
    emulator.set_progression(run.id, "immediate")  # this run only: finish now
    assert get() == "completed"
    fast = openai_client.beta.assistants.create(model="gpt-4o")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=fast.id)
    response = http.post(f"/_emulator/runs/{run.id}/progression", json={"progression": "reads:5"})
    assert response.status_code == 200
    assert get() == "queued"
    assert http.post("/_emulator/runs/run_nope/progression", json={"progression": "reads:5"}).status_code == 404
    assert http.post(f"/_emulator/runs/{run.id}/progression", json={"progression": "sideways"}).status_code == 400
    # per request: the create call's X-Emulator-Progression header, over the model's and the emulator's
    thread = thread_with(openai_client, "hi")
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=fast.id,
                                                 extra_headers={"X-Emulator-Progression": "reads:2"})  # fmt: skip
    assert [get() for _ in range(4)] == ["queued", "in_progress", "in_progress", "completed"]
    quick = openai_client.beta.threads.create_and_run(assistant_id=slow.id, thread={"messages": [
        {"role": "user", "content": "hi"}]}, extra_headers={"X-Emulator-Progression": "immediate"})  # fmt: skip
    assert openai_client.beta.threads.runs.retrieve(quick.id, thread_id=quick.thread_id).status == "completed"
    with pytest.raises(openai.BadRequestError, match="X-Emulator-Progression"):
        openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=fast.id,
                                               extra_headers={"X-Emulator-Progression": "soon"})  # fmt: skip
