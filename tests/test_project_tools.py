"""Foundry's tools on the Responses API of a project (issue 23): the stock `openai.OpenAI` on
`{project}/openai/v1` gets each tool's settings checked, its calls played (canned answers, `url_citation`
annotations, an OpenAPI operation on a loopback server) as `<kind>_call` / `<kind>_call_output` items, and the
OpenAI shapes keep refusing them."""

from __future__ import annotations

import json

import openai
import pytest
from grounded import GROUNDED

from conftest import LoopbackHandler, local_server, needed
from emulator import Emulator
from emulator.agent import a2a, foundry_tools
from emulator.transport import sdk_http_module, sync_transport

PROJECT = "https://emulator.local/api/projects/p/openai/v1"
BING = {"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"project_connection_id": "conn"}]}}
CANNED = {
    "name": "canned",
    "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "It said: {{ last_tool.output }}"}]},
        {"when": {"user": "(?i)^use (?P<tool>\\w+)"}, "do": [{"tool": "{{ match.tool }}", "output": "sunny, 21C"}]},
        {"when": {"user": "(?i)^call (?P<tool>\\w+)"}, "do": [{"tool": "{{ match.tool }}"}]},
        {"when": {"user": "(?i)^capture"}, "do": [{"tool": "capture_structured_outputs", "output": {"city": "Oslo"}}]},
    ],
}  # fmt: skip
WEATHER_API = {
    "name": "weather-api",
    "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "The service said {{ last_tool.output }}"}]},
        {"do": [{"tool": "openapi", "name": "weather", "operation": "getWeather",
                 "arguments": {"city": "{{ match.city }}", "units": "metric"}}],
         "when": {"user": "(?i)weather in (?P<city>\\w+)"}},
    ],
}  # fmt: skip
#: Each tool as azure-ai-projects 2.10's models send it (`Tool.as_dict()`), and its call item.
TOOLS = {
    "bing_grounding": (BING, "bing_grounding_call"),
    "bing_custom_search_preview": ({"type": "bing_custom_search_preview", "bing_custom_search_preview": {
        "search_configurations": [{"project_connection_id": "c", "instance_name": "i"}]}}, "bing_custom_search_preview_call"),
    "azure_ai_search": ({"type": "azure_ai_search", "azure_ai_search": {"indexes": [
        {"project_connection_id": "c", "index_name": "docs", "query_type": "simple"}]}}, "azure_ai_search_call"),
    "azure_function": ({"type": "azure_function", "azure_function": {
        "function": {"name": "queue_trigger", "parameters": {"type": "object"}},
        "input_binding": {"type": "storage_queue", "storage_queue": {"queue_name": "in", "queue_service_endpoint": "q"}},
        "output_binding": {"type": "storage_queue", "storage_queue": {"queue_name": "out", "queue_service_endpoint": "q"}},
    }}, "azure_function_call"),
    "sharepoint_grounding_preview": ({"type": "sharepoint_grounding_preview", "sharepoint_grounding_preview": {
        "project_connections": [{"project_connection_id": "c"}]}}, "sharepoint_grounding_preview_call"),
    "fabric_dataagent_preview": ({"type": "fabric_dataagent_preview", "fabric_dataagent_preview": {
        "project_connections": [{"project_connection_id": "c"}]}}, "fabric_dataagent_preview_call"),
    "browser_automation_preview": ({"type": "browser_automation_preview", "browser_automation_preview": {
        "connection": {"project_connection_id": "c"}}}, "browser_automation_preview_call"),
    "a2a": ({"type": "a2a", "a2a_version": "1.0", "project_connection_id": "c"}, "a2a_preview_call"),
    "a2a_preview": ({"type": "a2a_preview", "base_url": "http://127.0.0.1:9"}, "a2a_preview_call"),
}  # fmt: skip


def client_of(app) -> openai.OpenAI:
    """The stock client as `project_client.get_openai_client()` makes it: `{project}/openai/v1`, a bearer token."""
    http = sdk_http_module()
    return openai.OpenAI(api_key="entra-token", base_url=PROJECT,
                         http_client=http.Client(transport=sync_transport(app, http)))  # fmt: skip


@pytest.fixture
def project(emulator, _emulator_session) -> openai.OpenAI:
    with client_of(_emulator_session.dispatcher) as client:
        yield client


@pytest.mark.emulator(models=[GROUNDED])
def test_bing_grounding_call_output_and_url_citations(project) -> None:
    response = project.responses.create(model="grounded", input="Why are there tides?", tools=[BING])
    assert response.status == "completed", response.error
    assert response.tools[0].to_dict() == BING  # echoed as given
    call, done, message = response.output
    assert (call.type, call.status) == ("bing_grounding_call", "completed")
    assert call.id.startswith("bg_") and json.loads(call.arguments) == {"query": "Why are there tides?"}
    assert (done.type, done.call_id, done.id[:4]) == ("bing_grounding_call_output", call.call_id, "bgo_")
    assert done.output == [{"url": "https://example.org/moon", "title": "The moon and tides"},
                           {"url": "https://example.org/sun", "title": "Solar tides"}]  # fmt: skip
    text = message.content[0]
    marks = [a for a in text.annotations if a.type == "url_citation"]
    assert [(a.url, a.title) for a in marks] == [("https://example.org/moon", "The moon and tides"),
                                                 ("https://example.org/sun", "Solar tides")]  # fmt: skip
    assert [text.text[a.start_index : a.end_index] for a in marks] == ["【100:0†source】", "【100:1†source】"]
    # the items are stored: read back by a later turn of the chain, listed as a conversation's
    again = project.responses.create(model="grounded", input="More?", previous_response_id=response.id, tools=[BING])
    assert again.status == "completed" and again.output[0].type == "bing_grounding_call"
    conversation = project.conversations.create()
    project.responses.create(model="grounded", input="Tides?", conversation=conversation.id, tools=[BING])
    listed = [i.type for i in project.conversations.items.list(conversation.id, order="asc")]
    assert listed == ["message", "bing_grounding_call", "bing_grounding_call_output", "message"]


@pytest.mark.emulator(models=[GROUNDED])
def test_streamed_items_and_annotation_events(project) -> None:
    events = list(project.responses.create(model="grounded", input="Why?", tools=[BING], stream=True))
    kinds = [(e.type, getattr(getattr(e, "item", None), "type", None)) for e in events]
    assert kinds[2:6] == [
        ("response.output_item.added", "bing_grounding_call"), ("response.output_item.done", "bing_grounding_call"),
        ("response.output_item.added", "bing_grounding_call_output"),
        ("response.output_item.done", "bing_grounding_call_output"),
    ]  # fmt: skip
    assert events[2].item.status == "in_progress" and events[3].item.status == "completed"
    added = [e.annotation for e in events if e.type == "response.output_text.annotation.added"]
    assert [a.url for a in added] == ["https://example.org/moon", "https://example.org/sun"]
    assert events[-1].type == "response.completed"


@pytest.mark.emulator(models=[CANNED])
@pytest.mark.parametrize("kind", list(TOOLS))
def test_each_tool_plays_a_canned_output(project, kind: str) -> None:
    tool, call_type = TOOLS[kind]
    response = project.responses.create(model="canned", input=f"use {kind}", tools=[tool])
    assert response.status == "completed", response.error
    call, done, message = response.output
    assert (call.type, done.type, done.output) == (call_type, f"{call_type}_output", "sunny, 21C")
    if call_type in ("azure_function_call", "a2a_preview_call"):  # the calls that name what they call
        assert call.name == done.name == ("queue_trigger" if kind == "azure_function" else "agent")
    assert message.content[0].text == "It said: sunny, 21C"


@pytest.mark.emulator(models=[CANNED])
def test_a_tool_without_a_canned_answer_fails_the_response_naming_it(project) -> None:
    search = TOOLS["azure_ai_search"][0]
    response = project.responses.create(model="canned", input="call azure_ai_search", tools=[search])
    assert response.status == "failed" and "azure_ai_search tool has no scripted answer" in response.error.message
    missing = project.responses.create(model="canned", input="use bing_grounding", tools=[])
    assert missing.status == "failed" and "has no bing_grounding tool" in missing.error.message


@pytest.mark.emulator(models=[CANNED])
def test_capture_structured_outputs(project) -> None:
    tool = {"type": "capture_structured_outputs", "outputs": {"name": "place", "description": "where",
                                                             "schema": {"type": "object"}, "strict": True}}  # fmt: skip
    response = project.responses.create(model="canned", input="capture it", tools=[tool])
    item, message = response.output
    assert (item.type, item.output) == ("structured_outputs", {"city": "Oslo"})
    assert message.content[0].text == 'It said: {"city": "Oslo"}'  # then the model goes on


class _Weather(LoopbackHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.answer(200, json.dumps({"path": self.path, "forecast": "sunny"}).encode(), "application/json")


@pytest.mark.emulator(models=[WEATHER_API])
def test_openapi_calls_the_operation_on_a_loopback_server(project) -> None:
    with local_server(_Weather) as base:
        spec = {"openapi": "3.0.0", "servers": [{"url": base}], "paths": {"/weather/{city}": {"get": {
            "operationId": "getWeather",
            "parameters": [{"name": "city", "in": "path"}, {"name": "units", "in": "query"}]}}}}  # fmt: skip
        tool = {"type": "openapi", "openapi": {"name": "weather", "spec": spec, "auth": {"type": "anonymous"}}}
        response = project.responses.create(model="weather-api", input="What is the weather in Oslo?", tools=[tool])
    assert response.status == "completed", response.error
    call, done, message = response.output
    assert (call.type, call.name) == ("openapi_call", "weather_getWeather")
    assert json.loads(call.arguments) == {"city": "Oslo", "units": "metric"}
    assert done.output == {"path": "/weather/Oslo?units=metric", "forecast": "sunny"}
    assert "sunny" in message.content[0].text
    off = {**tool, "openapi": {**tool["openapi"], "spec": {**spec, "servers": [{"url": "https://api.example.com"}]}}}
    failed = project.responses.create(model="weather-api", input="What is the weather in Oslo?", tools=[off])
    assert failed.status == "failed" and "127.0.0.1, ::1 or localhost" in failed.error.message


A2A_SCRIPT = {"name": "a2a", "turns": [
    {"when": {"tool_used": True}, "do": [{"reply": "The helper said: {{ last_tool.output }}"}]},
    {"do": [{"tool": "{{ match.tool }}", "input": "{{ match.ask }}"}], "when": {"user": "(?P<tool>a2a\\w*): (?P<ask>.+)"}},
]}  # fmt: skip


class _A2aAgent(LoopbackHandler):
    """An A2A agent: a v1.0 card and `SendMessage` (answered with a completed task), or v0.3 (`message/send`,
    answered with a message), as the A2A specification writes them."""

    version = "1.0"
    seen: list = []

    def do_GET(self) -> None:  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        card = {"name": "Helper", "version": "1", "skills": []}
        if self.version == "1.0":
            card["supportedInterfaces"] = [
                {"url": base + "/rpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
            ]
        else:
            card.update(url=base + "/rpc", protocolVersion="0.3.0")
        self.answer(200, json.dumps(card).encode(), "application/json")

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((body["method"], self.headers.get("A2A-Version"), body["params"]["message"]))
        asked = body["params"]["message"]["parts"][0]["text"]
        if self.version == "1.0":
            result = {
                "task": {
                    "id": "t1",
                    "contextId": "c1",
                    "status": {"state": "TASK_STATE_COMPLETED"},
                    "artifacts": [{"artifactId": "a1", "parts": [{"text": f"done: {asked}"}]}],
                }
            }
        else:
            result = {
                "kind": "message",
                "messageId": "m2",
                "role": "agent",
                "parts": [{"kind": "text", "text": f"done: {asked}"}],
            }
        self.answer(
            200, json.dumps({"jsonrpc": "2.0", "id": body["id"], "result": result}).encode(), "application/json"
        )


class _OddAgent(LoopbackHandler):
    """An A2A agent answering its card and its JSON-RPC result as given (`card`, `result`)."""

    card: dict = {}
    result: object = None

    def do_GET(self) -> None:  # noqa: N802
        card = {"url": f"http://127.0.0.1:{self.server.server_address[1]}/rpc", **self.card}
        self.answer(200, json.dumps(card).encode(), "application/json")

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.answer(200, json.dumps({"jsonrpc": "2.0", "id": "1", "result": self.result}).encode(), "application/json")


class _CallsBack(LoopbackHandler):
    """A server that, to answer, needs the emulator (as one that calls the emulator's API back would): it takes the
    emulator's lock first, then answers as an OpenAPI operation (GET) or an A2A agent (`_A2aAgent`, POST)."""

    emulator: Emulator

    def do_GET(self) -> None:  # noqa: N802
        with self.emulator.lock:
            pass
        if self.path.startswith("/weather"):
            self.answer(200, json.dumps({"forecast": "sunny"}).encode(), "application/json")
        else:
            _A2aAgent.do_GET(self)  # type: ignore[arg-type]

    def do_POST(self) -> None:  # noqa: N802
        with self.emulator.lock:
            pass
        _A2aAgent.do_POST(self)  # type: ignore[arg-type]


@pytest.mark.emulator(models=[WEATHER_API, A2A_SCRIPT])
def test_a_called_server_may_call_the_emulator_back(project, emulator, monkeypatch) -> None:
    """The emulator's lock is let go while an openapi or A2A call goes out (as while a code cell runs): a server that
    needs the emulator to answer does not wait for the call's timeout."""
    monkeypatch.setattr(foundry_tools, "OPENAPI_TIMEOUT", 3)
    monkeypatch.setattr(a2a, "OPENAPI_TIMEOUT", 3)
    handler = type("Back", (_CallsBack,), {"emulator": emulator, "version": "1.0", "seen": []})
    with local_server(handler) as base:
        spec = {"servers": [{"url": base}], "paths": {"/weather/{city}": {"get": {
            "operationId": "getWeather", "parameters": [{"name": "city", "in": "path"}]}}}}  # fmt: skip
        tool = {"type": "openapi", "openapi": {"name": "weather", "spec": spec, "auth": {"type": "anonymous"}}}
        asked = project.responses.create(model="weather-api", input="What is the weather in Oslo?", tools=[tool])
        helped = project.responses.create(model="a2a", input="a2a: book a table",
                                          tools=[{"type": "a2a", "a2a_version": "1.0", "base_url": base}])  # fmt: skip
    assert asked.status == "completed", asked.error
    assert asked.output[1].output == {"forecast": "sunny"}
    assert helped.status == "completed", helped.error
    assert helped.output[1].output == "done: book a table"


class _Redirecting(LoopbackHandler):
    """Answers every request with a redirect to `/moved` on itself, and records what was asked."""

    asked: list = []

    def do_GET(self) -> None:  # noqa: N802
        self.asked.append(self.path)
        self.answer(302, b"", headers={"Location": "/moved"})

    do_POST = do_GET  # noqa: N815


def test_the_loopback_tools_follow_no_redirect() -> None:
    """A redirect could lead off loopback: neither an A2A agent's nor an OpenAPI operation's is followed (as MCP's)."""
    handler = type("Moved", (_Redirecting,), {"asked": []})
    with local_server(handler) as base:
        reply = a2a.send(base, None, "hello", "m1")
        spec = {"servers": [{"url": base}], "paths": {"/op": {"get": {"operationId": "op"}}}}
        called = foundry_tools.openapi_call({"spec": spec}, "op", {})
    assert isinstance(reply, ValueError) and "HTTP 302" in str(reply)
    assert called == ("op", "HTTP 302: ")
    assert "/moved" not in handler.asked and len(handler.asked) == 2


@pytest.mark.parametrize(
    ("card", "result", "said"),
    [
        ({"supportedInterfaces": 5}, {"kind": "message", "parts": [{"text": "hi"}]}, "hi"),
        ({}, {"kind": "message", "parts": 5}, ""),
        ({}, {"kind": "task", "status": {"state": "completed", "message": {"parts": "x"}}, "artifacts": 5}, ""),
        ({}, {"kind": "task", "status": {"state": "completed"}, "artifacts": [{"parts": [{"text": 1}, {"text": "a"}]}]},
         "a"),
    ],
)  # fmt: skip
def test_an_a2a_agents_odd_answer_is_read_not_raised(card: dict, result: object, said: str) -> None:
    """What the remote agent answers may be of any JSON shape: read as far as it goes (agent/a2a.py raises nothing)."""
    handler = type("Odd", (_OddAgent,), {"card": card, "result": result})
    with local_server(handler) as base:
        reply = a2a.send(base, None, "hello", "m1")
    assert not isinstance(reply, Exception), reply
    assert reply.text == said


@pytest.mark.emulator(models=[A2A_SCRIPT])
@pytest.mark.parametrize(
    ("kind", "version", "method"), [("a2a", "1.0", "SendMessage"), ("a2a_preview", "0.3", "message/send")]
)
def test_a2a_asks_an_agent_on_loopback(project, kind: str, version: str, method: str) -> None:
    handler = type("Agent", (_A2aAgent,), {"version": version, "seen": []})
    with local_server(handler) as base:
        tool = {"type": kind, "base_url": base, **({"a2a_version": "1.0"} if kind == "a2a" else {})}
        response = project.responses.create(model="a2a", input=f"{kind}: book a table", tools=[tool])
    assert response.status == "completed", response.error
    call, done, message = response.output
    assert (call.type, call.name, json.loads(call.arguments)) == (
        "a2a_preview_call",
        "Helper",
        {"input": "book a table"},
    )
    assert (done.type, done.name, done.output) == ("a2a_preview_call_output", "Helper", "done: book a table")
    assert message.content[0].text == "The helper said: done: book a table"
    ((sent_method, header, sent),) = handler.seen
    assert (sent_method, header) == (method, "1.0" if version == "1.0" else None)
    assert sent["role"] == ("ROLE_USER" if version == "1.0" else "user")


def test_the_default_model_calls_the_first_foundry_tool_when_required(project) -> None:
    """Azure's samples force their tool with `tool_choice="required"`: an A2A agent on loopback answers; a tool that
    needs a canned answer fails the response, saying so."""
    handler = type("Agent", (_A2aAgent,), {"seen": []})
    with local_server(handler) as base:
        tool = {"type": "a2a", "a2a_version": "1.0", "base_url": base}
        response = project.responses.create(model="gpt-4o", input="Book a table", tools=[tool], tool_choice="required")
    assert [i.type for i in response.output] == ["a2a_preview_call", "a2a_preview_call_output", "message"]
    assert response.output_text == "Helper answered: done: Book a table"
    grounded = project.responses.create(model="gpt-4o", input="Weather?", tools=[BING], tool_choice="required")
    assert grounded.status == "failed" and "bing_grounding tool has no scripted answer" in grounded.error.message
    assert project.responses.create(model="gpt-4o", input="Weather?", tools=[BING]).status == "completed"


@pytest.mark.emulator(models=[A2A_SCRIPT])
def test_a2a_without_a_reachable_agent_fails_the_response(project) -> None:
    by_connection = project.responses.create(model="a2a", input="a2a: hi", tools=[TOOLS["a2a"][0]])
    assert by_connection.status == "failed" and "has no base_url" in by_connection.error.message
    remote = {"type": "a2a_preview", "base_url": "https://agents.example.com"}
    off = project.responses.create(model="a2a", input="a2a_preview: hi", tools=[remote])
    assert off.status == "failed" and "127.0.0.1, ::1 or localhost" in off.error.message


@pytest.mark.parametrize(
    ("tool", "param"),
    [
        ({"type": "bing_grounding", "bing_grounding": {"search_configurations": "conn"}},
         "tools[0].bing_grounding.search_configurations"),
        ({"type": "bing_grounding"}, "tools[0].bing_grounding"),
        ({"type": "azure_function", "azure_function": {"function": {"name": "f", "parameters": {}},
          "input_binding": {"type": "storage_queue", "storage_queue": {"queue_name": 1, "queue_service_endpoint": "q"}},
          "output_binding": {"type": "storage_queue", "storage_queue": {"queue_name": "o", "queue_service_endpoint": "q"}}}},
         "tools[0].azure_function.input_binding.storage_queue.queue_name"),
        ({"type": "openapi", "openapi": {"name": "a", "spec": {}}}, "tools[0].openapi.auth"),
        ({"type": "a2a"}, "tools[0].a2a_version"),
        ({"type": "memory_search_preview", "memory_store_name": "m", "scope": "s"}, "tools[0].type"),
    ],
)  # fmt: skip
def test_bad_settings_get_a_400_naming_the_param(project, tool: dict, param: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        project.responses.create(model="gpt-4o", input="hi", tools=[tool])
    assert caught.value.body["param"] == param, caught.value.body


def test_the_openai_shapes_keep_refusing_foundry_tools(openai_client, azure_openai_client) -> None:
    for client in (openai_client, azure_openai_client):
        with pytest.raises(openai.BadRequestError):
            client.responses.create(model="gpt-4o", input="hi", tools=[BING])


@pytest.mark.emulator(models=[CANNED])
def test_items_sent_back_as_input_are_read(project) -> None:
    first = project.responses.create(model="canned", input="use bing_grounding", tools=[BING])
    items = [i.to_dict() for i in first.output]
    second = project.responses.create(model="canned", tools=[BING], input=[
        {"role": "user", "content": "use bing_grounding"}, *items])  # fmt: skip
    assert second.status == "completed", second.error
    assert second.output[-1].content[0].text == "It said: sunny, 21C"  # the model read the output sent back


@pytest.mark.emulator(models=[GROUNDED])
def test_an_agent_versions_tools_play_in_a_response_naming_it(project, emulator, _emulator_session) -> None:
    definition = {"kind": "prompt", "model": "grounded", "instructions": "Cite.", "tools": [BING]}
    emulator.backend().agents.create_version("Grounder", {"definition": definition})
    ref = {"agent_reference": {"name": "Grounder", "type": "agent_reference"}}
    response = project.responses.create(input="Why are there tides?", extra_body=ref)
    assert response.status == "completed", response.error
    assert response.tools[0].to_dict() == BING  # the definition's tools, echoed
    call, done, message = response.output
    assert (call.type, done.type) == ("bing_grounding_call", "bing_grounding_call_output")
    assert call.model_extra["agent_reference"]["name"] == "Grounder" and done.model_extra["response_id"] == response.id
    assert [a.url for a in message.content[0].annotations] == ["https://example.org/moon", "https://example.org/sun"]
    # the agent's own endpoint (`get_openai_client(agent_name=...)`, as Azure's bing sample asks) plays them too
    http = sdk_http_module()
    endpoint = PROJECT.removesuffix("/openai/v1") + "/agents/Grounder/endpoint/protocols/openai"
    with openai.OpenAI(
        api_key="token",
        base_url=endpoint,
        default_query={"api-version": "v1"},
        http_client=http.Client(transport=sync_transport(_emulator_session.dispatcher, http)),
    ) as own:
        streamed = list(own.responses.create(input="Why are there tides?", stream=True, tool_choice="required"))
    done = streamed[-1].response
    assert [i.type for i in done.output] == ["bing_grounding_call", "bing_grounding_call_output", "message"]


def raw_state(c: openai.OpenAI, response_id: str, conversation_id: str) -> tuple[str, str]:
    return (c.responses.with_raw_response.retrieve(response_id).text,
            c.conversations.items.with_raw_response.list(conversation_id).text)  # fmt: skip


def test_the_items_survive_a_restart_of_a_data_directory(tmp_path) -> None:
    from emulator.app import create_app

    first = Emulator(data_dir=str(tmp_path), models=[GROUNDED, CANNED])
    with client_of(create_app(first)) as c:
        grounded = c.responses.create(model="grounded", input="Why?", tools=[BING])
        conversation = c.conversations.create()
        tool = {"type": "capture_structured_outputs", "outputs": {"name": "p", "description": "d",
                                                                 "schema": {"type": "object"}, "strict": True}}  # fmt: skip
        c.responses.create(model="canned", input="capture it", tools=[tool], conversation=conversation.id)
        before = raw_state(c, grounded.id, conversation.id)
    first.close()
    again = Emulator(data_dir=str(tmp_path), models=[GROUNDED, CANNED])
    with client_of(create_app(again)) as c:
        after = raw_state(c, grounded.id, conversation.id)
        assert after == before and '"bing_grounding_call_output"' in after[0] and '"structured_outputs"' in after[1]
        # the sources are in the output itself: a chained reply still cites them after the restart
        chained = c.responses.create(model="grounded", input="More?", previous_response_id=grounded.id, tools=[BING])
        assert [a.url for a in chained.output[-1].content[0].annotations][:1] == ["https://example.org/moon"]
    again.close()


def test_every_tool_the_sdk_builds_is_taken_as_it_sends_it(project) -> None:
    """The settings checks (spec/project_tools.py) take what azure-ai-projects 2.10's own tool classes send."""
    m = needed("azure.ai.projects.models")
    queue = m.AzureFunctionStorageQueue(queue_name="q", queue_service_endpoint="https://q.example")
    spec = {"openapi": "3.0.0", "paths": {}}
    connections = [m.ToolProjectConnection(project_connection_id="c")]
    tools = [
        m.BingGroundingTool(bing_grounding=m.BingGroundingSearchToolParameters(search_configurations=[
            m.BingGroundingSearchConfiguration(project_connection_id="c", market="en-GB", count=3)])),
        m.BingCustomSearchPreviewTool(bing_custom_search_preview=m.BingCustomSearchToolParameters(search_configurations=[
            m.BingCustomSearchConfiguration(project_connection_id="c", instance_name="i")])),
        m.AzureAISearchTool(azure_ai_search=m.AzureAISearchToolResource(indexes=[m.AISearchIndexResource(
            project_connection_id="c", index_name="docs", query_type=m.AzureAISearchQueryType.SIMPLE, top_k=3)])),
        m.AzureFunctionTool(azure_function=m.AzureFunctionDefinition(
            function=m.AzureFunctionDefinitionFunction(name="f", description="d", parameters={"type": "object"}),
            input_binding=m.AzureFunctionBinding(storage_queue=queue),
            output_binding=m.AzureFunctionBinding(storage_queue=queue))),
        m.OpenApiTool(openapi=m.OpenApiFunctionDefinition(name="a", spec=spec, auth=m.OpenApiAnonymousAuthDetails())),
        m.OpenApiTool(openapi=m.OpenApiFunctionDefinition(name="p", spec=spec, auth=m.OpenApiProjectConnectionAuthDetails(
            security_scheme=m.OpenApiProjectConnectionSecurityScheme(project_connection_id="c")))),
        m.SharepointPreviewTool(sharepoint_grounding_preview=m.SharepointGroundingToolParameters(
            project_connections=connections)),
        m.MicrosoftFabricPreviewTool(fabric_dataagent_preview=m.FabricDataAgentToolParameters(
            project_connections=connections)),
        m.BrowserAutomationPreviewTool(browser_automation_preview=m.BrowserAutomationToolParameters(
            connection=m.BrowserAutomationToolConnectionParameters(project_connection_id="c"))),
        m.A2ATool(a2a_version="1.0", project_connection_id="c"),
        m.A2APreviewTool(base_url="http://127.0.0.1:9", agent_card_path="/card.json"),
        m.CaptureStructuredOutputsTool(outputs=m.StructuredOutputDefinition(
            name="n", description="d", schema={"type": "object"}, strict=True)),
    ]  # fmt: skip
    for tool in tools:
        sent = tool.as_dict()
        response = project.responses.create(model="gpt-4o", input="Hello", tools=[sent])
        assert [t.to_dict() for t in response.tools] == [sent]
    refused = m.MemorySearchPreviewTool(memory_store_name="m", scope="user")
    with pytest.raises(openai.BadRequestError) as caught:
        project.responses.create(model="gpt-4o", input="Hello", tools=[refused.as_dict()])
    assert caught.value.body["param"] == "tools[0].type" and "memory stores" in caught.value.body["message"]
