"""Foundry's own tools in runs (issue 12): a scripted `bing_grounding` call with `url_citation`
annotations, a `connected_agent` running its sub-agent, an `openapi` tool calling a local
server, and the clear failures of an unscripted or unreachable tool."""

from __future__ import annotations

import json

import pytest
from grounded import GROUNDED

from conftest import LoopbackHandler, local_server, needed

needed("azure.ai.agents")

from azure.ai.agents.models import (  # noqa: E402
    AzureAISearchTool,
    AzureFunctionStorageQueue,
    AzureFunctionTool,
    BingGroundingTool,
    ConnectedAgentTool,
    MessageRole,
    OpenApiAnonymousAuthDetails,
    OpenApiConnectionAuthDetails,
    OpenApiConnectionSecurityScheme,
    OpenApiManagedAuthDetails,
    OpenApiManagedSecurityScheme,
    OpenApiTool,
    RunStatus,
)

WEATHER_API = {
    "name": "weather-api",
    "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "The service said {{ last_tool.output }}"}]},
        {
            "do": [{
                "tool": "openapi", "name": "weather", "operation": "getWeather",
                "arguments": {"city": "{{ match.city }}", "units": "metric"},
            }],
            "when": {"user": "(?i)weather in (?P<city>\\w+)"},
        },
    ],
}  # fmt: skip


def ask(client, agent_id: str, text: str, **run_options):
    thread = client.threads.create()
    client.messages.create(thread_id=thread.id, role="user", content=text)
    run = client.runs.create_and_process(thread_id=thread.id, agent_id=agent_id, polling_interval=0, **run_options)
    return thread, run


def test_every_tool_the_sdk_builds_is_accepted_as_it_sends_it(agents_client) -> None:
    """The settings checks (emulator/foundry.py) take what the SDK's own tool classes send."""
    spec = {"openapi": "3.0.0", "paths": {}}
    queue = AzureFunctionStorageQueue(queue_name="in", storage_service_endpoint="https://q.example")
    tools = [
        BingGroundingTool(connection_id="conn", market="en-GB", count=3, freshness="week"),
        ConnectedAgentTool(id="asst_x", name="helper", description="helps"),
        OpenApiTool(name="a", description="d", spec=spec, auth=OpenApiAnonymousAuthDetails()),
        OpenApiTool(name="c", description="d", spec=spec, default_parameters=["format"],
                    auth=OpenApiConnectionAuthDetails(security_scheme=OpenApiConnectionSecurityScheme(
                        connection_id="conn")),),
        OpenApiTool(name="m", description="d", spec=spec, auth=OpenApiManagedAuthDetails(
            security_scheme=OpenApiManagedSecurityScheme(audience="https://api.example"))),
        AzureFunctionTool(name="f", description="d", parameters={"type": "object"}, input_queue=queue,
                          output_queue=queue),
        AzureAISearchTool(index_connection_id="conn", index_name="docs"),
    ]  # fmt: skip
    for tool in tools:
        agent = agents_client.create_agent(model="gpt-4o", tools=tool.definitions, tool_resources=tool.resources)
        sent = [d.as_dict() for d in tool.definitions]
        assert [d.as_dict() for d in agents_client.get_agent(agent.id).tools] == sent


@pytest.mark.emulator(models=[GROUNDED])
def test_bing_grounding_scripted_with_url_citations(agents_client) -> None:
    bing = BingGroundingTool(connection_id="/subscriptions/x/connections/bing")
    agent = agents_client.create_agent(model="grounded", tools=bing.definitions)
    assert agent.tools[0].as_dict() == bing.definitions[0].as_dict()  # stored as given
    thread, run = ask(agents_client, agent.id, "Why are there tides?")
    assert run.status == RunStatus.COMPLETED, run.last_error
    step = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    call = step.step_details.tool_calls[0]
    assert call.type == "bing_grounding"
    assert call.bing_grounding["requesturl"].endswith("search?q=Why%20are%20there%20tides%3F")
    reply = agents_client.messages.get_last_message_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    text = reply.text_messages[0].text.value
    citations = reply.url_citation_annotations
    assert [(c.url_citation.url, c.url_citation.title) for c in citations] == [
        ("https://example.org/moon", "The moon and tides"),
        ("https://example.org/sun", "Solar tides"),
    ]
    assert [text[c.start_index : c.end_index] for c in citations] == [c.text for c in citations]
    assert citations[0].text == "【100:0†source】"
    # streamed, the same run shape passes the SDK's parser (and the spec check of every event)
    agents_client.messages.create(thread_id=thread.id, role="user", content="And again?")
    with agents_client.runs.stream(thread_id=thread.id, agent_id=agent.id) as stream:
        events = [event for event, _, _ in stream]
    assert "thread.run.step.delta" in events and events[-2] == "thread.run.completed"


def test_an_unscripted_bing_call_fails_the_run_clearly(agents_client) -> None:
    bing = BingGroundingTool(connection_id="conn")
    agent = agents_client.create_agent(model="gpt-4o", tools=bing.definitions)
    _, run = ask(agents_client, agent.id, "latest news?", tool_choice={"type": "bing_grounding"})
    assert run.status == RunStatus.FAILED
    assert run.last_error["code"] == "server_error"
    assert "bing_grounding tool has no scripted answer" in run.last_error["message"]
    # without tool_choice the default model just replies, as a model that chose no tool
    _, run = ask(agents_client, agent.id, "latest news?")
    assert run.status == RunStatus.COMPLETED


@pytest.mark.emulator(models=[GROUNDED])
def test_a_script_calling_a_tool_the_run_lacks(agents_client) -> None:
    agent = agents_client.create_agent(model="grounded")
    _, run = ask(agents_client, agent.id, "tides?")
    assert run.status == RunStatus.FAILED
    assert "a bing_grounding call, but the run has no bing_grounding tool" in run.last_error["message"]


def test_connected_agent_runs_the_sub_agent_on_an_internal_thread(agents_client) -> None:
    sub = agents_client.create_agent(model="echo", name="stock-bot")
    connected = ConnectedAgentTool(id=sub.id, name="stock_price_bot", description="Gets stock prices")
    main = agents_client.create_agent(model="gpt-4o", tools=connected.definitions)
    thread, run = ask(agents_client, main.id, "Ask stock_price_bot for the MSFT price")
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert agents_client.messages.get_last_message_text_by_role(
        thread_id=thread.id, role=MessageRole.AGENT
    ).text.value == ("stock_price_bot answered: Ask stock_price_bot for the MSFT price")
    step = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    details = step.step_details.as_dict()["tool_calls"][0]
    assert details["type"] == "connected_agent"
    assert details["connected_agent"]["name"] == "stock_price_bot"
    assert details["connected_agent"]["output"] == "Ask stock_price_bot for the MSFT price"
    assert [t.id for t in agents_client.threads.list()] == [thread.id]  # the internal thread is gone


def test_connected_agent_that_is_missing(agents_client) -> None:
    connected = ConnectedAgentTool(id="asst_doesnotexist000000000", name="helper", description="helps")
    main = agents_client.create_agent(model="gpt-4o", tools=connected.definitions)
    _, run = ask(agents_client, main.id, "ask helper something")
    assert run.status == RunStatus.FAILED
    assert (
        run.last_error["message"]
        == "The connected agent 'helper' failed: no agent with id 'asst_doesnotexist000000000'"
    )


def test_connected_agents_go_one_level_deep_as_in_foundry(agents_client) -> None:
    """An agent connected to itself (or a sub-agent with sub-agents of its own) ends in
    Foundry's depth error, not in endless recursion and a 500 on every poll."""
    agent = agents_client.create_agent(model="gpt-4o")
    itself = ConnectedAgentTool(id=agent.id, name="helper", description="helps")
    agents_client.update_agent(agent.id, tools=itself.definitions)
    thread, run = ask(agents_client, agent.id, "ask helper what 2 + 2 is")
    assert run.status == RunStatus.FAILED
    assert run.last_error["message"] == (
        "The connected agent 'helper' failed: its run ended failed (The connected agent 'helper' failed: "
        "assistant_tool_depth_exceeded; Assistant tool call depth exceeded (a connected agent's run cannot "
        "call a connected agent))"
    )
    assert [t.id for t in agents_client.threads.list()] == [thread.id]  # no internal thread left behind
    # one level is fine, and the agent's next run starts clean
    sub = agents_client.create_agent(model="echo")
    agents_client.update_agent(
        agent.id, tools=ConnectedAgentTool(id=sub.id, name="helper", description="h").definitions
    )
    _, run = ask(agents_client, agent.id, "ask helper what 2 + 2 is")
    assert run.status == RunStatus.COMPLETED, run.last_error


class WeatherHandler(LoopbackHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        WeatherHandler.seen.append(self.path)
        body = json.dumps({"city": self.path.split("/")[2].split("?")[0], "temp": 7}).encode()
        self.answer(200, body, "application/json")


@pytest.fixture
def weather_server():
    with local_server(WeatherHandler) as url:
        yield url


def weather_spec(url: str) -> dict:
    return {
        "openapi": "3.0.0",
        "info": {"title": "weather", "version": "1"},
        "servers": [{"url": url}],
        "paths": {
            "/weather/{city}": {
                "get": {
                    "operationId": "getWeather",
                    "parameters": [
                        {"name": "city", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "units", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


@pytest.mark.emulator(models=[WEATHER_API])
def test_openapi_tool_calls_a_local_server(agents_client, weather_server) -> None:
    auth = OpenApiAnonymousAuthDetails()
    tool = OpenApiTool(name="weather", description="weather", spec=weather_spec(weather_server), auth=auth)
    agent = agents_client.create_agent(model="weather-api", tools=tool.definitions)
    thread, run = ask(agents_client, agent.id, "What is the weather in Oslo?")
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert WeatherHandler.seen[-1] == "/weather/Oslo?units=metric"
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == 'The service said {"city": "Oslo", "temp": 7}'
    step = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    call = step.step_details.tool_calls[0]
    assert call.type == "openapi" and call.open_api["name"] == "weather_getWeather"


@pytest.mark.emulator(models=[WEATHER_API])
def test_openapi_tool_reaches_only_loopback(agents_client) -> None:
    auth = OpenApiAnonymousAuthDetails()
    tool = OpenApiTool(name="weather", description="w", spec=weather_spec("http://weather.example.com"), auth=auth)
    agent = agents_client.create_agent(model="weather-api", tools=tool.definitions)
    _, run = ask(agents_client, agent.id, "weather in Oslo")
    assert run.status == RunStatus.FAILED
    assert "the emulator calls only servers on 127.0.0.1" in run.last_error["message"]


@pytest.mark.emulator(models=[WEATHER_API])
@pytest.mark.parametrize(
    "spec",
    [
        {"paths": {"/weather/{city}": "get"}},
        {"paths": ["/weather/{city}"]},
        {"servers": "http://127.0.0.1:9", "paths": {"/w": {"get": {"operationId": "getWeather"}}}},
        {"servers": ["http://127.0.0.1:9"], "paths": {"/w": {"get": {"operationId": "getWeather"}}}},
        {"paths": {"/w": {"get": {"operationId": "getWeather", "parameters": ["city", {"name": ["city"]}]}}}},
        {"paths": {"/w": {"get": {"operationId": "getWeather", "parameters": {"city": "path"}}}}},
    ],
    ids=["item-not-object", "paths-not-object", "servers-not-list", "server-not-object", "odd-params", "params-object"],
)
def test_an_openapi_spec_of_the_wrong_shape_fails_the_run_not_the_server(agents_client, spec) -> None:
    """The spec is stored as given; a part of the wrong type fails the run, saying so (not a 500
    on every poll of the run)."""
    tool = {"type": "openapi", "openapi": {"name": "weather", "spec": spec, "auth": {"type": "anonymous"}}}
    agent = agents_client.create_agent(model="weather-api", tools=[tool])
    _, run = ask(agents_client, agent.id, "What is the weather in Oslo?")
    assert run.status == RunStatus.FAILED
    assert run.last_error["message"].startswith("The openapi tool 'weather' could not be called: ")
