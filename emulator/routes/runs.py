"""/threads/{thread_id}/runs, /threads/runs and run steps."""

from ..agent.progression import HEADER
from ..foundry import split_include
from ..runs.stream import RunStream
from ..streams import frames
from ._http import Call, Reply, Routes, content_type, render

routes = Routes()
#: The create call's own progression policy (`emulator/agent/progression.py`); header names are lower-cased.
PACE = HEADER.lower()
RUN = "/threads/<thread_id>/runs/<run_id>"


def _include(call: Call) -> list[str]:
    return split_include(call.include()) if call.shape == "foundry" else call.include()


def _streams(body: dict) -> bool:
    return body.get("stream") is True


def _sse(call: Call, stream: RunStream) -> Reply:
    """The stream as Server-Sent Events (see `streams.frames`)."""
    body = frames(stream.events(), lambda: call.api.runs.close_stream(stream))
    return Reply(body, content_type=content_type("text/event-stream"), headers={"Cache-Control": "no-cache"})


@routes.post("/threads/<thread_id>/runs")
def create_run(call: Call, thread_id: str):
    body = call.json()
    if _streams(body):
        return _sse(call, call.api.runs.create_streamed(thread_id, body, include=_include(call)))
    return call.api.runs.create(thread_id, body, include=_include(call), pace=call.headers.get(PACE))


@routes.post("/threads/runs")
def create_thread_and_run(call: Call):
    body = call.json()
    if _streams(body):
        return _sse(call, call.api.runs.create_thread_and_run_streamed(body))
    _, run = call.api.runs.create_thread_and_run(body, pace=call.headers.get(PACE))
    return run


@routes.get("/threads/<thread_id>/runs")
def list_runs(call: Call, thread_id: str):
    return call.api.runs.list(thread_id, call.list_query())


@routes.get(RUN)
def get_run(call: Call, thread_id: str, run_id: str):
    run = call.api.runs.get(thread_id, run_id)
    reply = render(run)
    reply.headers["openai-poll-after-ms"] = str(call.api.runs.poll_after_ms(run_id))
    return reply


@routes.post(RUN)
def update_run(call: Call, thread_id: str, run_id: str):
    return call.api.runs.update(thread_id, run_id, call.json())


@routes.post(RUN + "/cancel")
def cancel_run(call: Call, thread_id: str, run_id: str):
    return call.api.runs.cancel(thread_id, run_id)


@routes.post(RUN + "/submit_tool_outputs")
def submit_tool_outputs(call: Call, thread_id: str, run_id: str):
    body = call.json()
    if _streams(body):
        return _sse(call, call.api.runs.submit_tool_outputs_streamed(thread_id, run_id, body))
    return call.api.runs.submit_tool_outputs(thread_id, run_id, body)


@routes.get(RUN + "/steps")
def list_steps(call: Call, thread_id: str, run_id: str):
    return call.api.runs.list_steps(thread_id, run_id, call.list_query(), include=_include(call))


@routes.get(RUN + "/steps/<step_id>")
def get_step(call: Call, thread_id: str, run_id: str, step_id: str):
    return call.api.runs.get_step(thread_id, run_id, step_id, include=_include(call))
