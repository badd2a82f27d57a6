"""Streamed responses: the service's event vocabulary and order, numbered from 0, checked by
the SDK's own accumulator (`responses.stream`), in-process and over the dev server; a
background response's stream read again from `starting_after`."""

from __future__ import annotations

import json

import openai
from weather import WEATHER, WEATHER_BOT

TEXT_EVENTS = [
    "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
    "response.output_text.delta", "response.output_text.done", "response.content_part.done",
    "response.output_item.done", "response.completed",
]  # fmt: skip


def _types(events):
    types = [e.type for e in events]
    return [t for n, t in enumerate(types) if n == 0 or t != types[n - 1]]  # deltas collapsed


def test_a_text_stream_in_the_services_order(openai_client):
    with openai_client.responses.stream(model="gpt-4o", input="Stream a reply, please") as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert _types(events) == TEXT_EVENTS
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 1 and "".join(deltas) == final.output_text
    assert events[0].response.status == "in_progress" and events[0].response.usage is None
    assert final.status == "completed" and final.usage.output_tokens > 0
    assert openai_client.responses.retrieve(final.id).output_text == final.output_text


def test_a_function_call_stream(openai_client, emulator):
    emulator.models.register(WEATHER_BOT)
    with openai_client.responses.stream(model="weather-bot", input="weather in Quito", tools=[WEATHER]) as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert _types(events) == [
        "response.created", "response.in_progress", "response.output_item.added",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed",
    ]  # fmt: skip
    deltas = "".join(e.delta for e in events if e.type == "response.function_call_arguments.delta")
    assert json.loads(deltas) == {"city": "Quito"} == json.loads(final.output[0].arguments)
    assert events[2].item.status == "in_progress" and events[2].item.arguments == ""


def test_the_wire_form_of_events(http):
    reply = http.post("/v1/responses", json={"model": "gpt-4o", "input": "hi", "stream": True})
    assert reply.headers["content-type"].startswith("text/event-stream")
    frames = [f for f in reply.get_data(as_text=True).split("\n\n") if f]
    first_event, first_data = frames[0].split("\n")
    assert first_event == "event: response.created"
    data = json.loads(first_data.removeprefix("data: "))
    assert list(data) == ["type", "response", "sequence_number"]
    delta = json.loads(next(f for f in frames if "output_text.delta" in f).split("\n")[1][6:])
    # pydantic-ai test_openai_conversation_id_streaming_provider_details.yaml (2026-04): type, then the rest sorted
    assert list(delta) == ["type", "content_index", "delta", "item_id", "logprobs", "obfuscation", "output_index",
                           "sequence_number"]  # fmt: skip
    assert "[DONE]" not in reply.get_data(as_text=True)  # unlike a run's stream


def test_a_failed_stream_ends_with_response_failed(openai_client, emulator):
    emulator.models.register({"name": "broken", "turns": [{"do": [{"fail": {"code": "server_error",
                                                                              "message": "Boom."}}]}]})  # fmt: skip
    events = list(openai_client.responses.create(model="broken", input="hi", stream=True))
    assert [e.type for e in events] == ["response.created", "response.in_progress", "response.failed"]
    assert events[-1].response.error.message == "Boom."


def test_a_background_stream_is_read_again_from_starting_after(openai_client, emulator):
    events = list(openai_client.responses.create(model="gpt-4o", input="hi there", background=True, stream=True))
    assert [e.type for e in events[:3]] == ["response.created", "response.queued", "response.in_progress"]
    assert events[0].response.status == "queued" and events[-1].type == "response.completed"
    again = list(openai_client.responses.retrieve(events[0].response.id, stream=True, starting_after=4))
    assert [e.sequence_number for e in again] == list(range(5, len(events)))
    assert [e.model_dump() for e in again] == [e.model_dump() for e in events[5:]]
    with openai_client.responses.stream(response_id=events[0].response.id, starting_after=2) as resumed:
        assert resumed.get_final_response().output_text == events[-1].response.output_text


def test_a_stream_over_the_dev_server(emulator_server):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    with client.responses.stream(model="gpt-4o", input="over http") as stream:
        events = list(stream)
    assert _types(events) == TEXT_EVENTS
