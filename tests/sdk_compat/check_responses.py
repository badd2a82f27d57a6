"""Run by tests/test_sdk_compat.py in the same child pytest as check_fixtures.py, with openai 2.x
(`httpx`) first on PYTHONPATH: the Responses and Conversations APIs through the older SDK's
resources and helpers, sync and async, in-process and over the dev server: a text response, a
function-call loop by `previous_response_id`, a conversation, the `responses.stream` accumulator
(which raises on any slip in the event order) and a background response polled to its end."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from weather import WEATHER, WEATHER_BOT


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _weather_bot(emulator: Any) -> None:
    emulator.models.register(WEATHER_BOT)


def _output(temp: int, call: Any) -> list[dict[str, str]]:
    return [{"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"temp": temp})}]


def _sync_tour(client: Any) -> None:
    text = client.responses.create(model="gpt-4o", input="Hello there")
    assert text.status == "completed" and text.output_text and text.usage.total_tokens > 0
    assert client.responses.retrieve(text.id).output_text == text.output_text

    first = client.responses.create(model="weather-bot", input="What is the weather in Paris?", tools=[WEATHER])
    (call,) = first.output
    assert (call.type, call.name, json.loads(call.arguments)) == ("function_call", "get_weather", {"city": "Paris"})
    second = client.responses.create(
        model="weather-bot", previous_response_id=first.id, tools=[WEATHER], input=_output(21, call)
    )
    assert second.output_text == "It is 21 degrees in Paris." and second.previous_response_id == first.id
    assert [i.type for i in client.responses.input_items.list(second.id).data] == ["function_call_output"]

    conversation = client.conversations.create(items=[{"type": "message", "role": "user", "content": "hi"}])
    said = client.responses.create(model="weather-bot", conversation=conversation.id, input="again")
    assert said.output_text == "2 messages" and said.conversation.id == conversation.id
    items = client.conversations.items.list(conversation.id, order="asc").data
    assert [getattr(i, "role", None) for i in items] == ["user", "user", "assistant"]
    assert items[-1].id == said.output[0].id

    with client.responses.stream(model="gpt-4o", input="Stream a reply, please") as stream:
        events = list(stream)
        streamed = stream.get_final_response()
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas == streamed.output_text != ""

    queued = client.responses.create(model="gpt-4o", input="in the background", background=True)
    assert (queued.status, queued.background) == ("queued", True)
    done = client.responses.retrieve(queued.id)
    assert done.status == "completed" and done.output_text


async def _async_tour(client: Any) -> None:
    first = await client.responses.create(model="weather-bot", input="weather in Oslo", tools=[WEATHER])
    second = await client.responses.create(
        model="weather-bot", previous_response_id=first.id, tools=[WEATHER], input=_output(4, first.output[0])
    )
    assert second.output_text == "It is 4 degrees in Oslo."

    conversation = await client.conversations.create()
    await client.responses.create(model="weather-bot", conversation=conversation.id, input="one")
    again = await client.responses.create(model="weather-bot", conversation=conversation.id, input="two")
    assert again.output_text == "3 messages"
    assert len((await client.conversations.items.list(conversation.id)).data) == 4

    async with client.responses.stream(model="weather-bot", input="weather in Lima", tools=[WEATHER]) as stream:
        types = [event.type async for event in stream]
        final = await stream.get_final_response()
    assert "response.function_call_arguments.done" in types and types[-1] == "response.completed"
    assert json.loads(final.output[0].arguments) == {"city": "Lima"}

    queued = await client.responses.create(model="gpt-4o", input="later", background=True)
    assert queued.status == "queued"
    assert (await client.responses.retrieve(queued.id)).status == "completed"


def test_responses_with_the_openai_client(openai_client: Any) -> None:
    _sync_tour(openai_client)


def test_responses_with_the_azure_openai_client(azure_openai_client: Any) -> None:
    _sync_tour(azure_openai_client)


@pytest.mark.anyio
async def test_responses_with_the_async_client(async_openai_client: Any) -> None:
    try:
        await _async_tour(async_openai_client)
    finally:
        await async_openai_client.close()


def test_responses_over_the_dev_server(emulator_server: Any) -> None:
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key, max_retries=0)
    async_client = openai.AsyncOpenAI(
        base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key, max_retries=0
    )
    with client:
        _sync_tour(client)

    import anyio

    async def both() -> None:
        async with async_client:
            await _async_tour(async_client)

    anyio.run(both)
