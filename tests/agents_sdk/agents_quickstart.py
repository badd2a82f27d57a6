"""The OpenAI Agents SDK (`openai-agents`, Python) on the emulator's Responses API, as its
documentation shows it: an agent with a `@function_tool` run by `Runner.run`, the same agent
run by `Runner.run_streamed`, and an agent with a conversation-backed session
(`OpenAIConversationsSession`) run twice, then twice more on a conversation the service keeps
(`conversation_id=`).

Follows https://openai.github.io/openai-agents-python/quickstart/ and .../sessions/ (openai-agents
0.24.0). Changed: tracing is disabled (`set_tracing_disabled(True)`), since it would upload the
traces to api.openai.com; the session's agent names the model the test registered (argv[1]).
The client reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment (the test points them
at the dev server); the agents use the SDK's default model unless told.

Usage: python agents_quickstart.py SESSION_MODEL
Prints one JSON line: what each run did.
"""

import asyncio
import json
import sys

from agents import Agent, OpenAIConversationsSession, Runner, function_tool, set_tracing_disabled
from openai import AsyncOpenAI

set_tracing_disabled(True)  # no trace export: nothing may leave 127.0.0.1

calls = []


@function_tool
def get_weather(city: str) -> str:
    """Returns the weather in a city."""
    calls.append({"city": city})
    return f"The weather in {city} is sunny, 24 degrees"


agent = Agent(
    name="Weather agent",
    instructions="You are a helpful agent. Use the tools to answer.",
    tools=[get_weather],
)


def _items(result) -> list[str]:
    return [item.type for item in result.new_items]


def _collapsed(types: list[str]) -> list[str]:
    """Runs of the same event type as one."""
    return [t for n, t in enumerate(types) if n == 0 or t != types[n - 1]]


async def main() -> dict:
    summary = {}

    result = await Runner.run(agent, input="What's the weather in Tokyo?")
    summary["run"] = {
        "final_output": result.final_output,
        "items": _items(result),
        "calls": list(calls),
        "response_ids": [r.response_id for r in result.raw_responses],
    }

    calls.clear()
    streamed = Runner.run_streamed(agent, input="What's the weather in Lisbon?")
    events, raw = [], []
    async for event in streamed.stream_events():
        events.append(event.type)
        if event.type == "raw_response_event":
            raw.append(event.data.type)
    summary["streamed"] = {
        "final_output": streamed.final_output,
        "items": _items(streamed),
        "calls": list(calls),
        "events": _collapsed(events),
        "raw_events": _collapsed(raw),
        "response_ids": [r.response_id for r in streamed.raw_responses],
        "is_complete": streamed.is_complete,
    }

    session = OpenAIConversationsSession()
    memory = Agent(name="Assistant", instructions="Reply very concisely.", model=sys.argv[1])
    first = await Runner.run(memory, "What city is the Golden Gate Bridge in?", session=session)
    second = await Runner.run(memory, "What state is it in?", session=session)
    items = await session.get_items()
    summary["session"] = {
        "conversation_id": session.session_id,
        "first": first.final_output,
        "second": second.final_output,
        "items": [item.get("role") or item.get("type") for item in items],
        "response_ids": [r.response_id for r in (*first.raw_responses, *second.raw_responses)],
    }

    # the conversation kept by the service instead: only the new input is sent, with `conversation`
    conversation = await AsyncOpenAI().conversations.create()
    first = await Runner.run(memory, "What city is the Golden Gate Bridge in?", conversation_id=conversation.id)
    second = await Runner.run(memory, "What state is it in?", conversation_id=conversation.id)
    summary["conversation_id"] = {
        "conversation_id": conversation.id,
        "first": first.final_output,
        "second": second.final_output,
    }
    return summary


print(json.dumps(asyncio.run(main())))
