"""MCP on the Responses API through the official SDK, against a small MCP server on 127.0.0.1
(streamable HTTP: JSON-RPC 2.0 over POST): `mcp_list_tools` once per chain, `mcp_call` items with
output or error, the approval flow (`mcp_approval_request`, answered by an `mcp_approval_response`
input item) accepted and denied, the stream events, the echo's redaction, loopback only, and the
same script as on Foundry runs (tests/test_foundry_mcp.py)."""

from __future__ import annotations

import json

import openai
import pytest

from conftest import LoopbackHandler, local_server, needed

SCRIPT = {
    "name": "mcp-bot",
    "turns": [
        {
            "when": {"tool_used": True},
            "do": [{"reply": "{% if last_tool.denied %}Not allowed.{% else %}The server said: "
                             "{{ last_tool.output }}{% endif %}"}],
        },
        {
            "when": {"user": "(?i)weather in (?P<city>\\w+)"},
            "do": [{"tool": "mcp", "server_label": "weather", "name": "get_weather",
                    "arguments": {"city": "{{ match.city }}"}}],
        },
        {"when": {"user": "(?i)fail"}, "do": [{"tool": "mcp", "name": "failing", "arguments": {}}]},
        {"when": {"user": "(?i)alerts"}, "do": [{"tool": "mcp", "name": "get_alerts", "arguments": {}}]},
        {"do": [{"reply": "Ask me about the weather."}]},
    ],
}  # fmt: skip
TOOLS = [
    {"name": "get_weather", "description": "The weather in a city", "annotations": {"readOnlyHint": True},
     "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
    {"name": "get_alerts", "inputSchema": {"type": "object"}},
    {"name": "failing", "inputSchema": {"type": "object"}},
]  # fmt: skip


class McpHandler(LoopbackHandler):
    """An MCP server at /mcp: every request is recorded."""

    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        McpHandler.seen.append({"message": message, "headers": dict(self.headers.items())})
        method, params = message.get("method"), message.get("params") or {}
        if "id" not in message:
            return self.answer(202)
        if method == "initialize":
            result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                      "serverInfo": {"name": "weather", "version": "1"}}  # fmt: skip
        elif method == "tools/list":
            result = {"tools": TOOLS}
        elif params.get("name") == "get_weather":
            result = {"content": [{"type": "text", "text": f"{params['arguments']['city']}: 7 degrees"}]}
        elif params.get("name") == "get_alerts":
            result = {"content": [{"type": "text", "text": "No alerts."}]}
        else:
            result = {"content": [{"type": "text", "text": "the weather service is down"}], "isError": True}
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        self.answer(200, body, "application/json")

    def do_DELETE(self) -> None:  # noqa: N802
        self.answer(200)


@pytest.fixture
def server():
    McpHandler.seen = []
    with local_server(McpHandler) as url:
        yield f"{url}/mcp"


def mcp(url: str, **settings) -> dict:
    return {"type": "mcp", "server_label": "weather", "server_url": url, **settings}


def methods() -> list[str]:
    return [s["message"].get("method") for s in McpHandler.seen]


@pytest.mark.emulator(models=[SCRIPT])
def test_tools_listed_then_called_without_approval(openai_client, server):
    tool = mcp(server, require_approval="never", headers={"Authorization": "Bearer secret"},
               server_description="Weather", allowed_tools=["get_weather", "failing"])  # fmt: skip
    response = openai_client.responses.create(model="mcp-bot", input="What is the weather in Oslo?", tools=[tool])
    assert response.status == "completed"
    listing, call, message = response.output
    assert listing.type == "mcp_list_tools" and listing.id.startswith("mcpl_") and listing.server_label == "weather"
    assert [t.name for t in listing.tools] == ["get_weather", "failing"]  # only the allowed tools
    assert listing.tools[0].to_dict() == {"annotations": {"read_only": True}, "description": "The weather in a city",
                                          "input_schema": TOOLS[0]["inputSchema"], "name": "get_weather"}  # fmt: skip
    assert "error" not in listing.to_dict()
    assert call.type == "mcp_call" and call.id.startswith("mcp_") and call.status == "completed"
    assert (call.name, call.arguments, call.output, call.error, call.approval_request_id) == (
        "get_weather", '{"city":"Oslo"}', "Oslo: 7 degrees", None, None)  # fmt: skip
    assert message.content[0].text == "The server said: Oslo: 7 degrees"
    echo = response.tools[0].to_dict()
    assert echo["headers"] == {"Authorization": "<redacted>"} and echo["server_url"].endswith("/<redacted>")
    assert echo["server_description"] == "Weather" and echo["require_approval"] == "never"
    assert methods().count("tools/list") == 1 and methods().count("tools/call") == 1
    assert all(s["headers"].get("Authorization") == "Bearer secret" for s in McpHandler.seen if s["message"])


@pytest.mark.emulator(models=[SCRIPT])
def test_a_chain_lists_once_and_a_failing_call_is_an_error_the_model_hears(openai_client, server):
    tool = mcp(server, require_approval="never")
    first = openai_client.responses.create(model="mcp-bot", input="Hello", tools=[tool])
    assert [i.type for i in first.output] == ["mcp_list_tools", "message"]
    second = openai_client.responses.create(model="mcp-bot", input="Now fail please", tools=[tool],
                                            previous_response_id=first.id)  # fmt: skip
    assert [i.type for i in second.output] == ["mcp_call", "message"]  # the chain's listing stands
    call = second.output[0]
    assert call.status == "failed" and call.output is None
    assert call.to_dict()["error"] == {"type": "mcp_tool_execution_error",
                                       "content": [{"type": "text", "text": "the weather service is down"}]}  # fmt: skip
    assert "the weather service is down" in second.output[1].content[0].text
    assert methods().count("tools/list") == 1


@pytest.mark.emulator(models=[SCRIPT])
def test_approval_accepted_with_previous_response_id(openai_client, server):
    asked = openai_client.responses.create(model="mcp-bot", input="weather in Rome", tools=[mcp(server)])
    assert asked.status == "completed" and [i.type for i in asked.output] == ["mcp_list_tools", "mcp_approval_request"]
    request = asked.output[1]
    assert request.id.startswith("mcpr_") and (request.name, request.arguments) == ("get_weather", '{"city":"Rome"}')
    assert "tools/call" not in methods()
    answer = {"type": "mcp_approval_response", "approval_request_id": request.id, "approve": True}
    done = openai_client.responses.create(model="mcp-bot", input=[answer], tools=[mcp(server)],
                                          previous_response_id=asked.id)  # fmt: skip
    assert [i.type for i in done.output] == ["mcp_call", "message"]
    assert done.output[0].approval_request_id == request.id and done.output[0].output == "Rome: 7 degrees"
    assert done.output[1].content[0].text == "The server said: Rome: 7 degrees"
    items = openai_client.responses.input_items.list(done.id).data
    assert items[0].type == "mcp_approval_response" and items[0].approve is True and items[0].id.startswith("mcpa_")


@pytest.mark.emulator(models=[SCRIPT])
def test_approval_denied_in_a_conversation(openai_client, server):
    conversation = openai_client.conversations.create()
    asked = openai_client.responses.create(model="mcp-bot", input="weather in Rome", tools=[mcp(server)],
                                           conversation=conversation.id)  # fmt: skip
    request = asked.output[-1]
    answer = {"type": "mcp_approval_response", "approval_request_id": request.id, "approve": False}
    done = openai_client.responses.create(model="mcp-bot", input=[answer], tools=[mcp(server)],
                                          conversation=conversation.id)  # fmt: skip
    assert [i.type for i in done.output] == ["message"] and done.output[0].content[0].text == "Not allowed."
    assert "tools/call" not in methods()


@pytest.mark.emulator(models=[SCRIPT])
@pytest.mark.parametrize(("setting", "asks"), [
    ({"never": {"tool_names": ["get_weather"]}}, {"get_weather": False, "get_alerts": True}),
    ({"always": {"tool_names": ["get_alerts"]}, "never": {"tool_names": ["get_weather"]}},
     {"get_weather": False, "get_alerts": True}),
    ("always", {"get_weather": True, "get_alerts": True}),
])  # fmt: skip
def test_require_approval_filters(openai_client, server, setting, asks):
    for text, name in (("weather in Oslo", "get_weather"), ("any alerts?", "get_alerts")):
        response = openai_client.responses.create(model="mcp-bot", input=text,
                                                  tools=[mcp(server, require_approval=setting)])  # fmt: skip
        kinds = [i.type for i in response.output]
        assert ("mcp_approval_request" in kinds) == asks[name] and ("mcp_call" in kinds) != asks[name]


def test_the_default_model_calls_a_tool_the_user_names(openai_client, server):
    tool = mcp(server, require_approval="never", allowed_tools={"tool_names": ["get_weather"]})
    response = openai_client.responses.create(model="gpt-4o", input='Use get_weather with {"city": "Lima"}',
                                              tools=[tool])  # fmt: skip
    assert [i.type for i in response.output] == ["mcp_list_tools", "mcp_call", "message"]
    assert response.output[1].arguments == '{"city":"Lima"}' and "Lima: 7 degrees" in response.output[2].content[0].text
    listed = openai_client.responses.create(model="gpt-4o", input="Use get_alerts please",  # a tool the server lists
                                            tools=[mcp(server, require_approval="never")])  # fmt: skip
    assert listed.output[1].name == "get_alerts" and listed.output[1].output == "No alerts."


@pytest.mark.emulator(models=[SCRIPT])
def test_streamed_over_http(emulator_server, server):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    events = list(client.responses.create(model="mcp-bot", input="weather in Oslo", stream=True,
                                          tools=[mcp(server, require_approval="never")]))  # fmt: skip
    kinds = [e.type for e in events]
    deltas_at = [n for n, k in enumerate(kinds) if k == "response.mcp_call_arguments.delta"]
    assert deltas_at and kinds[: deltas_at[0]] == [
        "response.created", "response.in_progress",
        "response.output_item.added", "response.mcp_list_tools.in_progress", "response.mcp_list_tools.completed",
        "response.output_item.done", "response.output_item.added", "response.mcp_call.in_progress",
    ]  # fmt: skip
    after = deltas_at[-1] + 1
    assert kinds[after : after + 4] == ["response.mcp_call_arguments.done", "response.mcp_call.completed",
                                        "response.output_item.done", "response.output_item.added"]  # fmt: skip
    assert kinds[-1] == "response.completed" and [e.sequence_number for e in events] == list(range(len(events)))
    deltas = "".join(e.delta for e in events if e.type == "response.mcp_call_arguments.delta")
    assert deltas == '{"city":"Oslo"}'
    added = next(e for e in events if e.type == "response.output_item.added" and e.item.type == "mcp_call")
    assert added.item.status == "in_progress" and added.item.arguments == ""
    done = [e.item for e in events if e.type == "response.output_item.done"]
    assert [i.type for i in done] == ["mcp_list_tools", "mcp_call", "message"] and done[1].output == "Oslo: 7 degrees"
    assert events[-1].response.output[1].to_dict() == done[1].to_dict()


@pytest.mark.emulator(models=[SCRIPT])
def test_allowed_tools_filter_the_listing_and_the_calls(openai_client, server):
    none = openai_client.responses.create(model="mcp-bot", input="weather in Oslo",
                                          tools=[mcp(server, allowed_tools=[], require_approval="never")])  # fmt: skip
    assert none.output[0].tools == [] and none.status == "failed" and "does not allow" in none.error.message
    read_only = openai_client.responses.create(model="mcp-bot", input="Hello", tools=[
        mcp(server, allowed_tools={"read_only": True}, require_approval="never")])  # fmt: skip
    assert [t.name for t in read_only.output[0].tools] == ["get_weather"]  # the one with readOnlyHint


def test_a_server_off_loopback_and_bad_tools_are_refused(openai_client):
    cases = [
        (mcp("https://mcp.example.com/mcp"), "tools[0].server_url"),
        ({"type": "mcp", "server_url": "http://127.0.0.1:9/mcp"}, "tools[0].server_label"),
        (mcp("http://127.0.0.1:9/mcp", require_approval="sometimes"), "tools[0].require_approval"),
        (mcp("http://127.0.0.1:9/mcp", allowed_tools="get_weather"), "tools[0].allowed_tools"),
    ]
    for tool, param in cases:
        with pytest.raises(openai.BadRequestError) as raised:
            openai_client.responses.create(model="gpt-4o", input="hi", tools=[tool])
        assert raised.value.param == param, (tool, raised.value)
    with pytest.raises(openai.BadRequestError) as raised:
        openai_client.responses.create(model="gpt-4o", input="hi", tools=[mcp("http://127.0.0.1:9/a"),
                                                                          mcp("http://127.0.0.1:9/b")])  # fmt: skip
    assert "Duplicate" in raised.value.message
    assert "loopback" in str(_off_loopback_message(openai_client))


def _off_loopback_message(client) -> str:
    try:
        client.responses.create(model="gpt-4o", input="hi", tools=[mcp("https://mcp.example.com/mcp")])
    except openai.BadRequestError as exc:
        return exc.message
    return ""


@pytest.mark.emulator(models=[SCRIPT])
def test_a_listing_that_fails_shows_its_error_and_the_response_goes_on(openai_client):
    with local_server(LoopbackHandler) as url:  # answers nothing: 501 for POST
        response = openai_client.responses.create(model="mcp-bot", input="Hello",
                                                  tools=[mcp(f"{url}/mcp", require_approval="never")])  # fmt: skip
    listing, message = response.output
    assert listing.tools == [] and "Error retrieving tool list" in listing.error
    assert message.content[0].text == "Ask me about the weather."


@pytest.mark.emulator(models=[SCRIPT])
def test_a_stand_in_answers_for_a_remote_server(emulator, openai_client):
    url = "https://mcp.example.com/mcp"
    emulator.register_mcp_server(url, tools=TOOLS[:1], answers=[{"name": "get_weather", "output": "Sunny."}])
    response = openai_client.responses.create(model="mcp-bot", input="weather in Oslo",
                                              tools=[mcp(url, require_approval="never")])  # fmt: skip
    assert [i.type for i in response.output] == ["mcp_list_tools", "mcp_call", "message"]
    assert (
        response.output[1].output == "Sunny." and response.tools[0].server_url == "https://mcp.example.com/<redacted>"
    )
    emulator.reset()  # a stand-in lasts until a reset: the next test's off-loopback server is refused again
    with pytest.raises(openai.BadRequestError, match="server_url|loopback"):
        openai_client.responses.create(model="gpt-4o", input="hi", tools=[mcp(url, require_approval="never")])


@pytest.mark.emulator(models=[SCRIPT])
def test_the_same_script_calls_the_server_on_a_foundry_run_and_a_response(agents_client, openai_client, server):
    needed("azure.ai.agents")
    agent = agents_client.create_agent(model="mcp-bot", tools=[mcp(server)])
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="weather in Oslo")
    run = agents_client.runs.create(
        thread_id=thread.id,
        agent_id=agent.id,
        tool_resources={"mcp": [{"server_label": "weather", "require_approval": "never"}]},
    )
    for _ in range(50):
        run = agents_client.runs.get(thread_id=thread.id, run_id=run.id)
        if run.status not in ("queued", "in_progress"):
            break
    assert run.status == "completed", run.last_error
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role="assistant")
    response = openai_client.responses.create(model="mcp-bot", input="weather in Oslo",
                                              tools=[mcp(server, require_approval="never")])  # fmt: skip
    assert response.output_text == reply.text.value == "The server said: Oslo: 7 degrees"
    assert methods().count("tools/call") == 2


@pytest.mark.emulator(models=[SCRIPT], progression="reads:1")
def test_approval_streamed_in_process_then_denied_over_http_and_a_background_call(
    openai_client, emulator_server, server
):
    events = list(openai_client.responses.create(model="mcp-bot", input="weather in Rome", tools=[mcp(server)],
                                                 stream=True))  # fmt: skip
    kinds = [e.type for e in events]
    assert kinds[-3:] == ["response.output_item.added", "response.output_item.done", "response.completed"]
    request = events[-2].item
    assert request.type == "mcp_approval_request" and events[-3].item.to_dict() == request.to_dict()
    http = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    answer = {"type": "mcp_approval_response", "approval_request_id": request.id, "approve": False, "reason": "no"}
    denied = http.responses.create(model="mcp-bot", input=[answer], tools=[mcp(server)],
                                   previous_response_id=events[-1].response.id)  # fmt: skip
    assert denied.output_text == "Not allowed." and "tools/call" not in methods()
    queued = openai_client.responses.create(model="mcp-bot", input="weather in Lima", background=True,
                                            tools=[mcp(server, require_approval="never")])  # fmt: skip
    assert queued.status == "queued"
    for _ in range(5):
        done = openai_client.responses.retrieve(queued.id)
        if done.status == "completed":
            break
    assert done.output_text == "The server said: Lima: 7 degrees" and done.output[1].output == "Lima: 7 degrees"


def test_mcp_items_survive_a_restart_and_the_chain_goes_on(tmp_path):
    from test_persistence import client_of

    from emulator import Emulator

    url = "https://mcp.example.com/mcp"

    def opened() -> tuple[Emulator, object]:
        emu = Emulator(data_dir=str(tmp_path), seed=3, models=[SCRIPT])
        emu.register_mcp_server(url, TOOLS, [{"name": "get_weather", "output": "Sunny."}])  # a stand-in is not kept
        return emu, client_of(emu)

    first, c = opened()
    tool = mcp(url, headers={"X-Key": "secret"})
    asked = c.responses.create(model="mcp-bot", input="weather in Oslo", tools=[tool])
    approval = {"type": "mcp_approval_response", "approval_request_id": asked.output[1].id, "approve": True}
    done = c.responses.create(model="mcp-bot", input=[approval], tools=[tool], previous_response_id=asked.id)
    shown = {r: c.responses.with_raw_response.retrieve(r).content for r in (asked.id, done.id)}
    items = c.responses.input_items.with_raw_response.list(done.id).content
    first.close()
    assert b"secret" not in b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())

    again, c = opened()
    assert {r: c.responses.with_raw_response.retrieve(r).content for r in shown} == shown
    assert c.responses.input_items.with_raw_response.list(done.id).content == items
    more = c.responses.create(model="mcp-bot", input="weather in Rome", tools=[mcp(url, require_approval="never")],
                              previous_response_id=done.id)  # fmt: skip
    assert [i.type for i in more.output] == ["mcp_call", "message"] and more.output_text == "The server said: Sunny."
    again.close()
