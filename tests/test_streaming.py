"""Streaming runs (Server-Sent Events) through the SDK's own helpers, sync and async, in-process
and over HTTP: the events, their order and their shapes, as the real service sends them."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from openai import APIError, AssistantEventHandler, AsyncAssistantEventHandler

import emulator
from emulator import Emulator
from emulator.app import create_app
from emulator.clients import in_process_client

WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}  # fmt: skip
CODE = {"type": "code_interpreter"}

MESSAGE = ["thread.run.step.created", "thread.run.step.in_progress", "thread.message.created",
           "thread.message.in_progress", "thread.message.delta", "thread.message.completed",
           "thread.run.step.completed"]  # fmt: skip
#: A user message: a run needs one, or instructions (ruby-openai runs_create.yml: the 400 `invalid_thread`).
ASK = [{"role": "user", "content": "go"}]
START = ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]


class Recorder(AssistantEventHandler):
    """Keeps every event (name and data) the SDK hands to a handler."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list = []

    def on_event(self, event) -> None:  # type: ignore[override]
        self.events.append(event.model_copy(deep=True))  # the SDK grows its snapshots in place

    @property
    def names(self) -> list[str]:
        return [e.event for e in self.events]


def squeezed(names: list[str]) -> list[str]:
    """Runs of the same delta event count once (their number depends on chunking)."""
    return [name for name, _ in itertools.groupby(names)]


def stream_run(client, thread_id, assistant_id, **kwargs) -> Recorder:
    handler = Recorder()
    with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id, event_handler=handler,
                                         **kwargs) as stream:  # fmt: skip
        stream.until_done()
    return handler


def test_plain_text_run(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    handler = stream_run(openai_client, thread.id, assistant.id)
    assert squeezed(handler.names) == [*START, *MESSAGE, "thread.run.completed"]

    created = next(e.data for e in handler.events if e.event == "thread.message.created")
    assert created.status == "in_progress" and created.content == [] and created.completed_at is None
    deltas = [e.data for e in handler.events if e.event == "thread.message.delta"]
    assert len(deltas) > 1 and all(d.delta.content[0].index == 0 for d in deltas)
    completed = next(e.data for e in handler.events if e.event == "thread.message.completed")
    assert "".join(d.delta.content[0].text.value for d in deltas) == completed.content[0].text.value
    assert deltas[0].delta.content[0].text.annotations == [] and deltas[1].delta.content[0].text.annotations is None
    step = next(e.data for e in handler.events if e.event == "thread.run.step.completed")
    run = handler.events[-1].data
    assert step.usage is not None and run.usage is not None and run.expires_at is None

    # the state after the stream is what polling shows, but for tool_resources: stream events carry an
    # empty code_interpreter slot, REST answers `{}` (recorded: ruby-openai runs_streamed_create.yml, runs_retrieve.yml)
    polled = openai_client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id)
    assert polled.model_dump(exclude={"tool_resources"}) == run.model_dump(exclude={"tool_resources"})
    assert polled.to_dict()["tool_resources"] == {}
    assert run.to_dict()["tool_resources"] == {"code_interpreter": {"file_ids": []}}
    # ... and a REST message has no status, incomplete_details, incomplete_at, completed_at (ruby-openai
    # messages_retrieve.yml; runs_streamed_create.yml's thread.message.* events have them)
    listed = openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].to_dict()
    stream_only = ("status", "incomplete_details", "incomplete_at", "completed_at")
    assert listed == {k: v for k, v in completed.to_dict().items() if k not in stream_only}


def test_function_call_then_submit_tool_outputs_stream(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Oslo"}])
    handler = stream_run(openai_client, thread.id, assistant.id)
    assert squeezed(handler.names) == [*START, "thread.run.step.created", "thread.run.step.in_progress",
                                       "thread.run.step.delta", "thread.run.requires_action"]  # fmt: skip
    created = handler.events[3].data
    assert created.type == "tool_calls" and created.step_details.tool_calls == []
    deltas = [e.data.delta.step_details.tool_calls[0] for e in handler.events if e.event == "thread.run.step.delta"]
    first, rest = deltas[0], deltas[1:]
    assert (first.id, first.function.name, first.function.arguments, first.function.output) == (
        first.id, "get_weather", "", None)  # fmt: skip
    run = handler.events[-1].data
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert first.id == call.id and "".join(d.function.arguments for d in rest) == call.function.arguments
    assert json.loads(call.function.arguments) == {"city": "Oslo"}

    after = Recorder()
    with openai_client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "4 degrees"}],
        event_handler=after,
    ) as stream:  # fmt: skip
        stream.until_done()
    assert squeezed(after.names) == ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress",
                                     *MESSAGE, "thread.run.completed"]  # fmt: skip
    assert after.events[0].data.step_details.tool_calls[0].function.output == "4 degrees"
    assert "4 degrees" in stream.get_final_messages()[0].content[0].text.value


def test_a_streamed_azure_run_makes_azure_file_ids(azure_openai_client):
    """A streamed run is driven on a thread of its own, in the request's context: the image its code
    makes is an Azure file, `assistant-...`, as when it is polled (azure-openai VectorStoreTests)."""
    client = azure_openai_client
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[CODE])
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\n"
    for streamed in (True, False):
        thread = client.beta.threads.create(messages=[{"role": "user", "content": f"```python\n{code}```"}])
        if streamed:
            stream_run(client, thread.id, assistant.id)
        else:
            client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        image = client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0]
        assert image.type == "image_file" and image.image_file.file_id.startswith("assistant-"), (streamed, image)


def test_code_interpreter_run_with_logs_and_an_image(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[CODE])
    code = "import matplotlib.pyplot as plt\nprint('plotting')\nplt.plot([1, 3, 2])\n"
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": f"```python\n{code}```"}])
    handler = stream_run(openai_client, thread.id, assistant.id)
    assert squeezed(handler.names) == [*START, "thread.run.step.created", "thread.run.step.in_progress",
                                       "thread.run.step.delta", "thread.run.step.completed", *MESSAGE,
                                       "thread.run.completed"]  # fmt: skip
    calls = [e.data.delta.step_details.tool_calls[0] for e in handler.events if e.event == "thread.run.step.delta"]
    first = calls[0]
    assert first.type == "code_interpreter" and first.id and first.code_interpreter.input == ""
    inputs = [c.code_interpreter.input for c in calls[1:] if c.code_interpreter.input is not None]
    outputs = [o for c in calls[1:] for o in (c.code_interpreter.outputs or [])]
    assert "".join(inputs) == code
    assert [(o.index, o.type) for o in outputs] == [(0, "logs"), (1, "image")]
    assert "plotting" in outputs[0].logs and outputs[1].image.file_id
    step = next(e.data for e in handler.events if e.event == "thread.run.step.completed")
    assert step.step_details.tool_calls[0].code_interpreter.outputs[1].image.file_id == outputs[1].image.file_id

    message_deltas = [e.data.delta.content[0] for e in handler.events if e.event == "thread.message.delta"]
    assert message_deltas[0].type == "image_file" and message_deltas[0].index == 0
    assert message_deltas[0].image_file.file_id == outputs[1].image.file_id
    assert {d.index for d in message_deltas[1:]} == {1}
    final = next(e.data for e in handler.events if e.event == "thread.message.completed")
    assert [c.type for c in final.content] == ["image_file", "text"]


@pytest.mark.emulator(
    models=[{"name": "broken", "turns": [{"do": [{"fail": {"code": "rate_limit_exceeded", "message": "slow down"}}]}]}]
)
def test_a_failing_run(openai_client):  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="broken")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    handler = stream_run(openai_client, thread.id, assistant.id)
    assert handler.names == [*START, "thread.run.failed"]
    assert handler.events[-1].data.last_error.code == "rate_limit_exceeded"


def test_an_incomplete_run_ends_with_run_completed(openai_client):
    """The one recorded incomplete stream (ruby-openai runs_streamed_create.yml, 2024-04-29) ends with
    `thread.message.incomplete`, then `thread.run.completed` carrying status incomplete and a `completed_at`;
    the SDK's handler and stream manager take it as the final run."""
    echo = openai_client.beta.assistants.create(model="echo")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": " ".join(["word"] * 300)}])
    handler = Recorder()
    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=echo.id, event_handler=handler,
                                                max_completion_tokens=256) as stream:  # fmt: skip
        stream.until_done()
        final = stream.get_final_run()
    names = squeezed(handler.names)
    assert names[-4:] == ["thread.message.delta", "thread.message.incomplete", "thread.run.step.completed",
                          "thread.run.completed"]  # fmt: skip
    assert "thread.run.incomplete" not in names
    assert (final.status, final.incomplete_details.reason) == ("incomplete", "max_completion_tokens")
    assert final.completed_at is not None and final.completed_at == handler.events[-1].data.completed_at
    polled = openai_client.beta.threads.runs.retrieve(final.id, thread_id=thread.id)
    assert (polled.status, polled.completed_at) == ("incomplete", final.completed_at)


def test_thread_and_run(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    handler = Recorder()
    with openai_client.beta.threads.create_and_run_stream(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "hi"}]}, event_handler=handler
    ) as stream:
        stream.until_done()
    assert squeezed(handler.names) == ["thread.created", *START, *MESSAGE, "thread.run.completed"]
    assert handler.events[0].data.id == handler.events[1].data.thread_id


@pytest.mark.emulator(
    models=[
        {
            "name": "slow-coder",
            "turns": [
                {"when": {"code_ran": True}, "do": [{"reply": "done"}]},
                {"do": [{"run_code": "import time\ntime.sleep(1.5)\nprint('slept')"}]},
            ],
        }
    ]
)
def test_a_run_cancelled_while_its_code_runs(openai_client):  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="slow-coder", tools=[CODE])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "go"}])
    handler = Recorder()

    class Cancelling(Recorder):
        def on_event(self, event) -> None:  # type: ignore[override]
            handler.events.append(event.model_copy(deep=True))
            if event.event == "thread.run.step.in_progress":  # the code starts now: cancel from elsewhere
                threading.Thread(target=openai_client.beta.threads.runs.cancel,
                                 kwargs={"thread_id": thread.id, "run_id": event.data.run_id}).start()  # fmt: skip

    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id,
                                                event_handler=Cancelling()) as stream:  # fmt: skip
        stream.until_done()
    assert squeezed(handler.names) == [*START, "thread.run.step.created", "thread.run.step.in_progress",
                                       "thread.run.step.delta", "thread.run.cancelling", "thread.run.step.cancelled",
                                       "thread.run.cancelled"]  # fmt: skip
    run = handler.events[-1].data
    steps = openai_client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id).data
    assert [s.status for s in steps] == ["cancelled"]
    assert openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].role == "user"


@pytest.mark.anyio
async def test_async_client_with_an_async_handler(async_openai_client):
    class AsyncRecorder(AsyncAssistantEventHandler):
        def __init__(self) -> None:
            super().__init__()
            self.names: list[str] = []

        async def on_event(self, event) -> None:  # type: ignore[override]
            self.names.append(event.event)

    assistant = await async_openai_client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = await async_openai_client.beta.threads.create(
        messages=[{"role": "user", "content": "get_weather in Rome"}]
    )
    handler = AsyncRecorder()
    async with async_openai_client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
    ) as stream:
        await stream.until_done()
    assert squeezed(handler.names)[-1] == "thread.run.requires_action"
    run = stream.current_run
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    handler = AsyncRecorder()
    async with async_openai_client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        event_handler=handler,
    ) as stream:  # fmt: skip
        await stream.until_done()
    assert squeezed(handler.names) == ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress",
                                       *MESSAGE, "thread.run.completed"]  # fmt: skip


@pytest.mark.parametrize(("chunking", "pieces"), [("whole", ["one two  three"]),
                                                  ("words", ["one ", "two  ", "three"]),
                                                  (4, ["one ", "two ", " thr", "ee"])])  # fmt: skip
def test_chunking_is_configurable_per_script(emulator, openai_client, chunking, pieces):
    emulator.models.register({"name": "chunky", "chunking": chunking, "turns": [{"do": [{"reply": "one two  three"}]}]})
    assistant = openai_client.beta.assistants.create(model="chunky")
    thread = openai_client.beta.threads.create(messages=ASK)
    handler = stream_run(openai_client, thread.id, assistant.id)
    deltas = [e.data.delta.content[0].text.value for e in handler.events if e.event == "thread.message.delta"]
    assert deltas == pieces


@pytest.mark.emulator(
    models=[
        {
            "name": "linker",
            "chunking": 5,
            "turns": [
                {"when": {"code_ran": True}, "do": [{"reply": "Get [the file](sandbox:/mnt/data/out.csv) now."}]},
                {"do": [{"run_code": "open('/mnt/data/out.csv', 'w').write('a,b')"}]},
            ],
        }
    ]
)
def test_an_annotation_arrives_whole_in_one_delta(openai_client):  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="linker", tools=[CODE])
    thread = openai_client.beta.threads.create(messages=ASK)
    handler = stream_run(openai_client, thread.id, assistant.id)
    deltas = [e.data.delta.content[0].text for e in handler.events if e.event == "thread.message.delta"]
    final = next(e.data for e in handler.events if e.event == "thread.message.completed").content[0].text
    assert "".join(d.value for d in deltas) == final.value
    holding = [d for d in deltas if d.annotations]
    assert len(holding) == 1 and "sandbox:/mnt/data/out.csv" in holding[0].value
    (annotation,) = holding[0].annotations
    assert (annotation.index, annotation.start_index, annotation.end_index) == (
        0, final.annotations[0].start_index, final.annotations[0].end_index)  # fmt: skip


def _run_and_dump(stream: bool) -> dict:
    emulator = Emulator()
    client = in_process_client(create_app(emulator))
    try:
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER, CODE])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Lima"}])
        if stream:
            with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as s:
                s.until_done()
            run = s.current_run
        else:
            run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        call = run.required_action.submit_tool_outputs.tool_calls[0]
        outputs = [{"tool_call_id": call.id, "output": "warm"}]
        if stream:
            with client.beta.threads.runs.submit_tool_outputs_stream(thread_id=thread.id, run_id=run.id,
                                                                     tool_outputs=outputs) as s:  # fmt: skip
                s.until_done()
        else:
            client.beta.threads.runs.submit_tool_outputs_and_poll(thread_id=thread.id, run_id=run.id,
                                                                  tool_outputs=outputs)  # fmt: skip
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content="```python\nprint(6 * 7)\n```")
        if stream:
            with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as s:
                s.until_done()
        else:
            client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        return emulator.state()
    finally:
        client.close()
        emulator.close()


def test_the_state_after_a_streamed_run_is_the_state_after_the_same_run_polled():
    assert _run_and_dump(stream=True) == _run_and_dump(stream=False)


def test_a_server_failure_while_streaming_is_an_error_event(emulator, openai_client, monkeypatch):
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=ASK)
    engine = type(emulator.backend().runs.engine)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "_play_turn", broken)
    with pytest.raises(APIError) as info:
        stream_run(openai_client, thread.id, assistant.id)
    assert "error while streaming" in info.value.message


# --- over HTTP ----------------------------------------------------------------------------


def _raw_stream(server, path: str, body: dict):
    import httpx2

    headers = {"Authorization": f"Bearer {server.api_key}", "OpenAI-Beta": "assistants=v2"}
    client = httpx2.Client(base_url=server.openai_base_url, headers=headers, timeout=30)
    return client, client.stream("POST", path, json=body)


def test_the_raw_bytes_are_server_sent_events(emulator_server, openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    client, request = _raw_stream(emulator_server, f"/threads/{thread.id}/runs",
                                  {"assistant_id": assistant.id, "stream": True})  # fmt: skip
    with client, request as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        raw = response.read().decode()
    assert raw.endswith("event: done\ndata: [DONE]\n\n")
    frames = raw[:-2].split("\n\n")
    names = []
    for text in frames:
        event, data = text.split("\n")
        assert event.startswith("event: ") and data.startswith("data: ")
        names.append(event[len("event: ") :])
        if names[-1] != "done":
            payload = json.loads(data[len("data: ") :])
            assert payload["object"].startswith("thread.")
    assert squeezed(names) == [*START, *MESSAGE, "thread.run.completed", "done"]


@pytest.mark.emulator(
    models=[
        {
            "name": "slow",
            "turns": [
                {"when": {"code_ran": True}, "do": [{"reply": "awake"}]},
                {"do": [{"run_code": "import time\ntime.sleep(1.5)"}]},
            ],
        }
    ]
)
def test_events_are_flushed_before_a_slow_turn_finishes(emulator_server, openai_client):  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="slow", tools=[CODE])
    thread = openai_client.beta.threads.create(messages=ASK)
    client, request = _raw_stream(emulator_server, f"/threads/{thread.id}/runs",
                                  {"assistant_id": assistant.id, "stream": True})  # fmt: skip
    arrived: dict[str, float] = {}
    start = time.monotonic()
    with client, request as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                arrived.setdefault(line[len("event: ") :], time.monotonic() - start)
    # the step (and its code) are seen well before the 1.5 s cell ends, not all at the end
    assert arrived["thread.run.step.delta"] < arrived["thread.run.step.completed"] - 1.0
    assert arrived["thread.run.created"] < arrived["done"] - 1.0


@pytest.mark.emulator(
    models=[
        {
            "name": "slow",
            "turns": [
                {"when": {"code_ran": True}, "do": [{"reply": "awake"}]},
                {"do": [{"run_code": "import time\ntime.sleep(1)"}]},
            ],
        }
    ]
)
def test_a_client_that_disconnects_leaves_the_run_consistent(emulator_server, openai_client):  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="slow", tools=[CODE])
    thread = openai_client.beta.threads.create(messages=ASK)
    client, request = _raw_stream(emulator_server, f"/threads/{thread.id}/runs",
                                  {"assistant_id": assistant.id, "stream": True})  # fmt: skip
    with client, request as response:
        for line in response.iter_lines():
            if line == "event: thread.run.step.in_progress":
                break  # hang up while the code runs
    run = openai_client.beta.threads.runs.list(thread_id=thread.id).data[0]
    deadline = time.monotonic() + 20
    while run.status in ("queued", "in_progress") and time.monotonic() < deadline:
        time.sleep(0.05)
        run = openai_client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id)
    assert run.status == "completed"
    steps = openai_client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [("tool_calls", "completed"), ("message_creation", "completed")]
    assert openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text.value == "awake"


HANG_UP = """
import gc, socket, struct, time
from emulator.server import Server

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/event-stream")])
    return (b"data: " + b"x" * 65536 + b"\\n\\n" for _ in range(100))

server = Server(app, port=0, log_requests=False).start_in_thread()
client = socket.create_connection(("127.0.0.1", server.port))
client.sendall(b"GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n")
assert client.recv(12) == b"HTTP/1.1 200"
client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
client.close()  # a reset, mid-response
time.sleep(0.5)
server.stop()
gc.collect()
"""


def test_a_client_that_hangs_up_mid_response_leaves_nothing_to_report_at_exit():
    # -X dev: Python 3.11 and 3.12 report what a destructor raises, as 3.13 always does
    package_root = str(Path(emulator.__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-X", "dev", "-c", HANG_UP], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": package_root, "PATH": ""})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
