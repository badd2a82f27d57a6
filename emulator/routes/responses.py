"""/responses: create (streamed or not), retrieve (or stream again), delete, cancel, input
items, input token counts."""

from typing import Any

from .. import azure, project
from ..agent.progression import HEADER
from ..responses import agents
from ..responses.stream import ResponseStream
from ..streams import frames
from ._http import Call, Reply, Routes, content_type

routes = Routes()
#: The create call's own progression policy (`emulator/agent/progression.py`); header names are lower-cased.
PACE = HEADER.lower()


def _sse(call: Call, stream: ResponseStream) -> Reply:
    """The stream as Server-Sent Events (see `streams.frames`)."""
    events = stream.events()
    if call.shape == "project":
        events = agents.shown_events(events, preview=call.mount == project.OPENAI_PREVIEW)
    body = frames(events, lambda: call.api.responses.close_stream(stream))
    return Reply(body, content_type=content_type("text/event-stream"), headers={"Cache-Control": "no-cache"})


#: Azure OpenAI's v1 route, whose responses carry content filter results (responses/content_filters.py).
AZURE_V1 = "/openai/v1/"


def _shown(call: Call, response: Any) -> Any:
    """A response as the shape writes it: Foundry's own way on the project shape (responses/agents.py)."""
    return agents.shown(response, preview=call.mount == project.OPENAI_PREVIEW) if call.shape == "project" else response


@routes.post("/responses")
def create_response(call: Call):
    body = call.json()
    if azure.missed_deployment(call.shape, call.path, body):
        return Reply(azure.MISSED_DEPLOYMENT, 400, content_type="")
    agent = None
    if call.shape == "project":  # a response that runs an agent version (responses/agents.py)
        body, agent = agents.prepare(call, body)
    filtered = call.path.startswith(AZURE_V1)
    pace = call.headers.get(PACE)
    if body.get("stream") is True:
        return _sse(call, call.api.responses.create_streamed(body, filtered=filtered, pace=pace, agent=agent))
    return _shown(call, call.api.responses.create(body, filtered=filtered, pace=pace, agent=agent))


@routes.post("/responses/input_tokens")
def count_input_tokens(call: Call):
    return call.api.responses.input_tokens(call.json())


@routes.post("/responses/compact")
def compact_response(call: Call):
    return call.api.responses.compact(call.json())


@routes.get("/responses/<response_id>")
def get_response(call: Call, response_id: str):
    if call.args.get("stream") == "true":
        after = call.args.get("starting_after")
        starting_after = int(after) if after is not None and after.lstrip("-").isdigit() else None
        return _sse(call, call.api.responses.stream_stored(response_id, starting_after=starting_after))
    return _shown(call, call.api.responses.get(response_id, include=call.include()))


@routes.delete("/responses/<response_id>")
def delete_response(call: Call, response_id: str):
    return call.api.responses.delete(response_id)


@routes.post("/responses/<response_id>/cancel")
def cancel_response(call: Call, response_id: str):
    return _shown(call, call.api.responses.cancel(response_id))


@routes.get("/responses/<response_id>/input_items")
def list_input_items(call: Call, response_id: str):
    return call.api.responses.input_items(response_id, call.list_query(), include=call.include())
