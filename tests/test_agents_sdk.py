"""The OpenAI Agents SDK (`openai-agents`, which drives the Responses API) runs its documented
quickstart against the dev server over real HTTP, in its own cached venv (tests/side_envs.py,
`openai-agents`): `Runner.run` with a `@function_tool`, `Runner.run_streamed`, and an
`OpenAIConversationsSession` whose second run sees the first's items, and runs on a
conversation the service keeps (`conversation_id=`). The tool agent uses the
SDK's default model name, which the emulator's default catalogue plays; the session's agent a
script that says what it was given. The script disables the SDK's tracing (its export would
reach api.openai.com)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from framework_runs import run_example

SCRIPT = Path(__file__).resolve().parent / "agents_sdk" / "agents_quickstart.py"
RECALL = {
    "name": "recall",
    "turns": [{"do": [{"reply": "{{ messages|length }} messages; the first: {{ messages[0].text }}"}]}],
}
#: The SDK's default model (gpt-5.6-luna) is sent with `reasoning.effort: "none"`: it answers at once, with no
#: reasoning item (as gpt-5.4 with effort none does on Azure v1, 2026-07), a call, then a reply.
STREAMED_EVENTS = [
    "response.created", "response.in_progress",
    "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
    "response.output_item.done", "response.completed",
    "response.created", "response.in_progress",
    "response.output_item.added", "response.content_part.added", "response.output_text.delta",
    "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
]  # fmt: skip
ITEMS = ["tool_call_item", "tool_call_output_item", "message_output_item"]


def _tool_loop(client: Any, response_ids: list[str], city: str) -> None:
    """The two responses of a tool run, as the emulator holds them: the call, then the reply
    made from the function's output, which the SDK sent back as input."""
    call_response, reply_response = (client.responses.retrieve(i) for i in response_ids)
    (call,) = call_response.output
    assert call_response.reasoning.effort == "none"
    assert (call.type, call.name, json.loads(call.arguments)) == ("function_call", "get_weather", {"city": city})
    assert call_response.model == reply_response.model == "gpt-5.6-luna"  # the SDK's default model
    sent = client.responses.input_items.list(reply_response.id, order="asc").data
    # the whole turn goes back as input: the question, the call, its output
    assert [i.type for i in sent] == ["message", "function_call", "function_call_output"]
    assert sent[1].call_id == call.call_id
    outputs = [i for i in sent if i.type == "function_call_output"]
    assert [(o.call_id, o.output) for o in outputs] == [(call.call_id, f"The weather in {city} is sunny, 24 degrees")]


def test_the_agents_sdk_quickstart(emulator_server: Any, emulator: Any, openai_client: Any, tmp_path: Path) -> None:
    emulator.models.register(RECALL)
    result = run_example("openai-agents", str(SCRIPT), emulator_server, tmp_path, "recall").result

    # Runner.run: the function tool called with the arguments the model chose, its result in the final output
    run = result["run"]
    assert run["calls"] == [{"city": "Tokyo"}]
    assert run["items"] == ITEMS
    said = "Here is what I found: get_weather returned The weather in Tokyo is sunny, 24 degrees."
    assert run["final_output"] == said  # the default model's reply quotes the tool's output
    _tool_loop(openai_client, run["response_ids"], "Tokyo")

    # Runner.run_streamed: the SDK's stream events over the service's raw events, two responses
    streamed = result["streamed"]
    assert streamed["is_complete"] and streamed["calls"] == [{"city": "Lisbon"}] and streamed["items"] == ITEMS
    assert "The weather in Lisbon is sunny, 24 degrees" in streamed["final_output"]
    assert streamed["raw_events"] == STREAMED_EVENTS
    assert streamed["events"][0] == "agent_updated_stream_event" and "run_item_stream_event" in streamed["events"]
    _tool_loop(openai_client, streamed["response_ids"], "Lisbon")

    # OpenAIConversationsSession: the second run is given the first's items from the conversation
    session = result["session"]
    assert session["first"] == "1 messages; the first: What city is the Golden Gate Bridge in?"
    assert session["second"] == "3 messages; the first: What city is the Golden Gate Bridge in?"
    assert session["items"] == ["user", "assistant", "user", "assistant"]
    items = openai_client.conversations.items.list(session["conversation_id"], order="asc").data
    assert [(i.role, i.content[0].text) for i in items] == [
        ("user", "What city is the Golden Gate Bridge in?"), ("assistant", session["first"]),
        ("user", "What state is it in?"), ("assistant", session["second"]),
    ]  # fmt: skip
    second = openai_client.responses.retrieve(session["response_ids"][1])
    assert second.output_text == session["second"]

    # Runner.run(conversation_id=...): the service prepends the conversation's items itself
    kept = result["conversation_id"]
    assert (kept["first"], kept["second"]) == (session["first"], session["second"])
    listed = openai_client.conversations.items.list(kept["conversation_id"], order="asc").data
    assert [i.content[0].text for i in listed] == [i.content[0].text for i in items]
