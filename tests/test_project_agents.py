"""The new Foundry agents (issue 23): `project_client.agents` of azure-ai-projects 2.10, sync and
async, bound in-process (an `AIProjectClient` over the emulator's azure-core transport), and the
domain API the Responses front end runs agents with (`api.agents.resolve`, `endpoint_version`).

The agents API is not in OpenAI's spec: its answers are checked here against the recordings
(azure-ai-projects test_agent_responses_crud.json, test_agent_function_tool.json) and the SDK's models."""

from __future__ import annotations

import asyncio
import functools
import json
from collections import Counter

import pytest

from conftest import needed

needed("azure.ai.projects")

from azure.ai.projects import AIProjectClient  # noqa: E402
from azure.ai.projects.models import (  # noqa: E402
    AgentCard,
    AgentDetails,
    AgentEndpointConfig,
    AgentVersionDetails,
    FixedRatioVersionSelectionRule,
    FunctionTool,
    HostedAgentDefinition,
    PromptAgentDefinition,
    VersionSelector,
    WorkflowAgentDefinition,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError  # noqa: E402

from emulator.app import create_app  # noqa: E402
from emulator.core import Emulator  # noqa: E402
from emulator.dispatch import Dispatcher  # noqa: E402
from emulator.errors import APIError  # noqa: E402
from emulator.project_clients import in_process_project_client  # noqa: E402
from emulator.routes._http import Call  # noqa: E402
from emulator.spec.responses import AGENTS_ERROR  # noqa: E402


def project_client_of(app, **options) -> AIProjectClient:
    return in_process_project_client(app, **options)


@pytest.fixture
def emu(emulator) -> Emulator:
    return emulator


@pytest.fixture
def app(emulator):
    return create_app(emulator)


@pytest.fixture
def agents(project_client):
    return project_client.agents


def raw(emu_or_dispatcher, method: str, path: str, body=None, *, api_version="v1", headers=None, query=None):
    """(status, parsed body, raw bytes) of one request to the agents API of project `p`."""
    dispatcher = emu_or_dispatcher if isinstance(emu_or_dispatcher, Dispatcher) else Dispatcher(emu_or_dispatcher)
    query = query or (f"api-version={api_version}" if api_version else "")
    call = Call(method, "/api/projects/p" + path, query_string=query,
                headers={"authorization": "Bearer t", "content-type": "application/json", **(headers or {})},
                body=json.dumps(body).encode() if body is not None else b"")  # fmt: skip
    reply = dispatcher.handle(call)
    answer = json.loads(reply.body)
    if reply.status == 200 or "details" in answer.get("error", {}):  # the agents API's answers (not the gate's)
        assert reply.headers["api-supported-versions"] == "1.0,2025-05-15-preview,2025-11-15-preview"
    return reply.status, answer, reply.body


def prompt(instructions: str = "Be brief.", **fields) -> PromptAgentDefinition:
    return PromptAgentDefinition(model="gpt-4o", instructions=instructions, **fields)


# --- the wire, as recorded -------------------------------------------------------------------------


def test_create_and_delete_a_version_answer_as_recorded(emu):
    # azure-ai-projects test_agent_function_tool.json (2025-12): the request and the answer's keys, in order
    tool = {"name": "get_weather", "description": "Get the current weather for a location.",
            "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"],
                           "additionalProperties": False}, "strict": True, "type": "function"}  # fmt: skip
    request = {"definition": {"model": "gpt-4o", "instructions": "Use the tool.", "tools": [tool], "kind": "prompt"},
               "description": "Agent for testing function tool capabilities."}  # fmt: skip
    status, body, _ = raw(
        emu, "POST", "/agents/function-tool-agent/versions", request, api_version="2025-11-15-preview"
    )
    assert status == 200
    assert body == {
        "metadata": {}, "object": "agent.version", "id": "function-tool-agent:1", "name": "function-tool-agent",
        "version": "1", "description": "Agent for testing function tool capabilities.",
        "created_at": emu.clock.now(),
        "definition": {"kind": "prompt", "model": "gpt-4o", "instructions": "Use the tool.",
                       "tools": [{"type": "function", **{k: v for k, v in tool.items() if k != "type"}}]},
    }  # fmt: skip
    assert list(body) == ["metadata", "object", "id", "name", "version", "description", "created_at", "definition"]
    assert list(body["definition"]["tools"][0]) == ["type", "name", "description", "parameters", "strict"]
    # test_agent_responses_crud.json (2026-03): no description given -> "", kind first
    status, body, _ = raw(emu, "POST", "/agents/MyAgent/versions", {"definition": {"model": "m", "kind": "prompt"}})
    assert (body["description"], list(body["definition"])) == ("", ["kind", "model"])
    status, body, _ = raw(emu, "DELETE", "/agents/function-tool-agent/versions/1")
    assert (status, body) == (200, {"object": "agent.version.deleted", "name": "function-tool-agent", "version": "1",
                                    "deleted": True})  # fmt: skip


def test_every_project_name_sees_the_same_agents(emu):
    raw(emu, "POST", "/agents/shared/versions", {"definition": {"model": "gpt-4o", "kind": "prompt"}})
    reply = Dispatcher(emu).handle(Call("GET", "/api/projects/another/agents/shared", query_string="api-version=v1",
                                        headers={"authorization": "Bearer other"}))  # fmt: skip
    assert reply.status == 200 and json.loads(reply.body)["versions"]["latest"]["id"] == "shared:1"
    status, body, _ = raw(emu, "GET", "/agents/shared", api_version="2024-01-01")
    assert status == 400 and "api-version" in body["error"]["message"]


def test_with_api_keys_each_key_has_its_own_agents():
    emu = Emulator(api_keys=["key-a", "key-b"])
    dispatcher = Dispatcher(emu)

    def ask(key: str, method: str, path: str, body: bytes = b"") -> int:
        call = Call(method, "/api/projects/p" + path, query_string="api-version=v1",
                    headers={"authorization": f"Bearer {key}"}, body=body)  # fmt: skip
        return dispatcher.handle(call).status

    assert ask("key-a", "POST", "/agents/mine/versions", b'{"definition": {"kind": "prompt", "model": "m"}}') == 200
    assert (ask("key-a", "GET", "/agents/mine"), ask("key-b", "GET", "/agents/mine")) == (200, 404)
    assert ask("key-c", "GET", "/agents/mine") == 401
    emu.close()


# --- every operation through the SDK ---------------------------------------------------------------


def test_versions_count_per_name_and_are_never_reused(agents, emu):
    first = agents.create_version(agent_name="MyAgent", definition=prompt("one"))
    second = agents.create_version(agent_name="MyAgent", definition=prompt("two"), metadata={"team": "a"},
                                   description="second")  # fmt: skip
    assert isinstance(first, AgentVersionDetails)
    assert (first.id, first.version, second.id, second.version) == ("MyAgent:1", "1", "MyAgent:2", "2")
    assert (second.metadata, second.description, second.definition.instructions) == ({"team": "a"}, "second", "two")
    assert second.created_at.timestamp() == emu.clock.now()
    got = agents.get_version(agent_name="MyAgent", agent_version="1")
    assert got.as_dict() == first.as_dict()
    # deleting a version never frees its number, not even the last one (which deletes the agent)
    agents.delete_version(agent_name="MyAgent", agent_version="2")
    assert agents.create_version(agent_name="MyAgent", definition=prompt()).version == "3"
    agents.delete(agent_name="MyAgent")
    assert agents.create_version(agent_name="MyAgent", definition=prompt()).version == "4"


def test_get_list_and_delete_agents(agents):
    for name in ("alpha", "beta", "gamma", "delta", "eps"):
        agents.create_version(agent_name=name, definition=prompt(name))
    agents.create_version(agent_name="alpha", definition=prompt("alpha again"))
    agent = agents.get(agent_name="alpha")
    assert isinstance(agent, AgentDetails)
    assert (agent.object, agent.id, agent.name, agent.state) == ("agent", "alpha", "alpha", "enabled")
    assert (agent.versions.latest.version, agent.versions.latest.definition.instructions) == ("2", "alpha again")
    # newest first by default; the SDK follows last_id page after page
    assert [a.name for a in agents.list(limit=2)] == ["eps", "delta", "gamma", "beta", "alpha"]
    assert [a.name for a in agents.list(order="asc", limit=2)] == ["alpha", "beta", "gamma", "delta", "eps"]
    assert [a.name for a in agents.list(kind="prompt", order="asc")][:2] == ["alpha", "beta"]
    assert list(agents.list(kind="workflow")) == []
    assert [v.version for v in agents.list_versions(agent_name="alpha")] == ["2", "1"]
    assert [v.version for v in agents.list_versions(agent_name="alpha", order="asc", limit=1)] == ["1", "2"]
    deleted = agents.delete(agent_name="beta")
    assert (deleted.object, deleted.name, deleted.deleted) == ("agent.deleted", "beta", True)
    assert "beta" not in [a.name for a in agents.list()]
    with pytest.raises(ResourceNotFoundError):
        agents.get_version(agent_name="beta", agent_version="1")
    deleted = agents.delete_version(agent_name="gamma", agent_version="1")
    assert (deleted.object, deleted.name, deleted.version, deleted.deleted) == ("agent.version.deleted", "gamma",
                                                                                   "1", True)  # fmt: skip
    with pytest.raises(ResourceNotFoundError):
        agents.get(agent_name="gamma")  # its last version went: so did the agent


def test_update_details_is_a_merge_patch(agents):
    agents.create_version(agent_name="card", definition=prompt())
    card = AgentCard(version="1.0", description="Answers questions", skills=[])
    agent = agents.update_details(agent_name="card", agent_card=card)
    assert agent.agent_card.as_dict() == {"version": "1.0", "description": "Answers questions", "skills": []}
    assert agent.agent_endpoint is None
    agent = agents.update_details(agent_name="card", body={"agent_card": {"description": None},
                                                           "agent_endpoint": {"protocol_configuration": {}}})  # fmt: skip
    assert agent.agent_card.as_dict() == {"version": "1.0", "skills": []}
    assert agent.agent_endpoint.as_dict() == {"protocol_configuration": {}}
    assert agents.get(agent_name="card").agent_card.version == "1.0"
    agent = agents.update_details(agent_name="card", body={"agent_card": None})
    assert agent.agent_card is None


def test_the_endpoint_splits_traffic_by_its_percentages(agents, emu):
    for n in range(3):
        agents.create_version(agent_name="split", definition=prompt(f"v{n + 1}"))
    api = emu.backend()
    assert api.agents.endpoint_version("split").version == "3"  # no configuration: the latest
    rules = [FixedRatioVersionSelectionRule(agent_version="1", traffic_percentage=70),
             FixedRatioVersionSelectionRule(agent_version="2", traffic_percentage=30)]  # fmt: skip
    config = AgentEndpointConfig(version_selector=VersionSelector(version_selection_rules=rules))
    agent = agents.update_details(agent_name="split", agent_endpoint=config)
    assert agent.agent_endpoint.version_selector.version_selection_rules[0].traffic_percentage == 70
    served = [api.agents.endpoint_version("split").version for _ in range(100)]
    assert Counter(served) == {"1": 70, "2": 30}
    assert served[:10] == list("1211121121")  # interleaved, not 70 then 30 (as docs/foundry-agents.md says)
    assert api.agents.resolve("split").version == "3" and api.agents.resolve("split", "2").definition == {
        "kind": "prompt", "model": "gpt-4o", "instructions": "v2"}  # fmt: skip
    agents.delete_version(agent_name="split", agent_version="1")  # a rule naming a deleted version is skipped
    assert {api.agents.endpoint_version("split").version for _ in range(5)} == {"2"}


# --- errors ------------------------------------------------------------------------------------------


def test_unknown_agents_and_versions_are_404s(agents, emu):
    with pytest.raises(ResourceNotFoundError) as missing:
        agents.get(agent_name="nobody")
    assert missing.value.error.code == "not_found" and "nobody" in missing.value.message
    agents.create_version(agent_name="somebody", definition=prompt())
    for call in (lambda: agents.get_version(agent_name="somebody", agent_version="9"),
                 lambda: agents.delete_version(agent_name="somebody", agent_version="9"),
                 lambda: agents.delete(agent_name="nobody"),
                 lambda: agents.list_versions(agent_name="nobody").next(),
                 lambda: agents.update_details(agent_name="nobody", agent_card=AgentCard(version="1", skills=[]))):  # fmt: skip
        with pytest.raises(ResourceNotFoundError):
            call()
    with pytest.raises(APIError) as domain:
        emu.backend().agents.resolve("somebody", "2")
    assert domain.value.status == 404
    status, body, _ = raw(emu, "GET", "/agents/nobody")
    assert status == 404 and list(body["error"]) == ["code", "message", "param", "type", "details"]
    # a bad query or body is in the same envelope
    for path in ("/agents?limit=0", "/agents?order=up", "/agents?kind=robot", "/agents/somebody/versions?after=x"):
        status, body, _ = raw(
            emu, "GET", path.split("?")[0], api_version=None, query=path.split("?")[1] + "&api-version=v1"
        )
        assert status == 400 and list(body["error"]) == ["code", "message", "param", "type", "details"], body
    reply = Dispatcher(emu).handle(Call("POST", "/api/projects/p/agents/somebody/versions", query_string="api-version=v1",
                                        headers={"authorization": "Bearer t"}, body=b"{not json"))  # fmt: skip
    assert reply.status == 400 and set(json.loads(reply.body)["error"]) == AGENTS_ERROR


def test_only_prompt_agents_are_served(agents, app):
    # the service's 403 for a preview kind without its opt-in, and the SDK's hint added to it
    with pytest.raises(HttpResponseError) as preview:
        agents.create_version(agent_name="flow", definition=WorkflowAgentDefinition(workflow="kind: workflow"))
    assert preview.value.status_code == 403 and preview.value.model.error.code == "preview_feature_required"
    assert "WorkflowAgents=V1Preview" in preview.value.message and "allow_preview=True" in preview.value.message
    # with the opt-in (allow_preview sends Foundry-Features), and for hosted agents: the emulator's 400
    preview_agents = project_client_of(app, allow_preview=True).agents
    with pytest.raises(HttpResponseError) as refused:
        preview_agents.create_version(agent_name="flow", definition=WorkflowAgentDefinition(workflow="kind: workflow"))
    assert refused.value.status_code == 400 and "prompt agents only" in refused.value.message
    hosted = HostedAgentDefinition(cpu="1", memory="2Gi")
    with pytest.raises(HttpResponseError) as refused:
        agents.create_version(agent_name="hosted", definition=hosted)
    assert refused.value.status_code == 400 and refused.value.model.error.param == "definition.kind"
    with pytest.raises(ResourceNotFoundError):
        agents.get(agent_name="flow")


@pytest.mark.parametrize(
    "name, body, param",
    [
        ("-dash", {"definition": {"kind": "prompt", "model": "m"}}, "agent_name"),
        ("a" * 64, {"definition": {"kind": "prompt", "model": "m"}}, "agent_name"),
        ("under_score", {"definition": {"kind": "prompt", "model": "m"}}, "agent_name"),
        ("ok", {}, "definition"),
        ("ok", {"definition": {"model": "m"}}, "definition.kind"),
        ("ok", {"definition": {"kind": "prompt"}}, "definition.model"),
        ("ok", {"definition": {"kind": "robot", "model": "m"}}, "definition.kind"),
        ("ok", {"definition": {"kind": "prompt", "model": "m", "temperature": 3}}, "definition.temperature"),
        ("ok", {"definition": {"kind": "prompt", "model": "m", "tools": [{"name": "x"}]}}, "definition.tools[0].type"),
        # what a response takes from the definition is checked as a request's fields, Foundry's tools among them
        (
            "ok",
            {"definition": {"kind": "prompt", "model": "m", "tools": [{"type": "bing_grounding"}]}},
            "definition.tools[0].bing_grounding",
        ),
        (
            "ok",
            {"definition": {"kind": "prompt", "model": "m", "tools": [{"type": "function"}]}},
            "definition.tools[0].name",
        ),
        ("ok", {"definition": {"kind": "prompt", "model": "m", "tool_choice": "sometimes"}}, "definition.tool_choice"),
        (
            "ok",
            {"definition": {"kind": "prompt", "model": "m", "text": {"format": {"type": "json_schema"}}}},
            "definition.text.format.schema",
        ),
        (
            "ok",
            {"definition": {"kind": "prompt", "model": "m", "reasoning": {"effort": "ultra"}}},
            "definition.reasoning.effort",
        ),
        ("ok", {"definition": {"kind": "prompt", "model": "m", "colour": "red"}}, "definition.colour"),
        ("ok", {"definition": {"kind": "prompt", "model": "m"}, "metadata": {"k": 1}}, "metadata"),
        ("ok", {"definition": {"kind": "prompt", "model": "m"}, "name": "ok"}, "name"),
        # nested deeper than an answer can be written back (routes/_http.py MAX_JSON_DEPTH): refused, not stored
        (
            "ok",
            {
                "definition": {
                    "kind": "prompt",
                    "model": "m",
                    "rai_config": functools.reduce(lambda inner, _: {"a": inner}, range(250), {}),
                }
            },
            "",
        ),
    ],
)
def test_bad_versions_are_400s(emu, name, body, param):
    status, answer, _ = raw(emu, "POST", f"/agents/{name}/versions", body)
    assert (status, answer["error"]["param"]) == (400, param), answer
    assert emu.backend().ns.counts()["agents"] == 0


@pytest.mark.parametrize(
    "patch, param",
    [
        ({"name": "x"}, "name"),
        ({"agent_endpoint": {"colour": 1}}, "agent_endpoint.colour"),
        # what a client could not read back (azure-ai-projects 2.10 AgentEndpointConfig, AgentCard)
        ({"agent_endpoint": {"authorization_schemes": "Entra"}}, "agent_endpoint.authorization_schemes"),
        ({"agent_endpoint": {"authorization_schemes": [{}]}}, "agent_endpoint.authorization_schemes[0]"),
        ({"agent_endpoint": {"protocol_configuration": []}}, "agent_endpoint.protocol_configuration"),
        ({"agent_card": {"description": "no version"}}, "agent_card.version"),
        ({"agent_card": {"version": 1, "skills": []}}, "agent_card.version"),
        ({"agent_card": {"version": "1", "skills": ["search"]}}, "agent_card.skills[0]"),
        ({"agent_endpoint": {"version_selector": {"version_selection_rules": []}}},
         "agent_endpoint.version_selector.version_selection_rules"),
        ({"agent_endpoint": {"version_selector": {"version_selection_rules": [
            {"type": "FixedRatio", "agent_version": "1", "traffic_percentage": 60}]}}},
         "agent_endpoint.version_selector.version_selection_rules"),
        ({"agent_endpoint": {"version_selector": {"version_selection_rules": [
            {"type": "FixedRatio", "agent_version": "1", "traffic_percentage": 101}]}}},
         "agent_endpoint.version_selector.version_selection_rules[0].traffic_percentage"),
        ({"agent_endpoint": {"version_selector": {"version_selection_rules": [
            {"type": "Random", "agent_version": "1", "traffic_percentage": 100}]}}},
         "agent_endpoint.version_selector.version_selection_rules[0].type"),
    ],
)  # fmt: skip
def test_bad_updates_are_400s(emu, patch, param):
    raw(emu, "POST", "/agents/upd/versions", {"definition": {"kind": "prompt", "model": "m"}})
    status, answer, _ = raw(emu, "PATCH", "/agents/upd", patch)
    assert (status, answer["error"]["param"]) == (400, param), answer
    assert raw(emu, "GET", "/agents/upd")[1].get("agent_endpoint") is None
    # a rule naming a version the agent does not have
    rules = [{"type": "FixedRatio", "agent_version": "7", "traffic_percentage": 100}]
    status, _, _ = raw(emu, "PATCH", "/agents/upd", {"agent_endpoint": {"version_selector": {
        "version_selection_rules": rules}}})  # fmt: skip
    assert status == 404


def test_what_is_not_served_is_an_unknown_url(emu):
    raw(emu, "POST", "/agents/x/versions", {"definition": {"kind": "prompt", "model": "m"}})
    assert raw(emu, "POST", "/agents/x/versions:import", {"manifest_id": "m"})[0] == 404
    assert raw(emu, "GET", "/agents/x/endpoint/sessions")[0] == 404
    status, body, _ = raw(emu, "POST", "/agents/x:enable")
    assert status == 404 and body["error"]["message"].startswith("Invalid URL (POST ")
    status, body, _ = raw(emu, "POST", "/agents/x/versions", None, headers={"content-type": "multipart/form-data"})
    assert status == 400 and body["error"]["param"] == "definition.kind"
    # a name holding a slash (%2F, read as WSGI servers read it) makes an unknown URL: in the agents' envelope too
    status, body, _ = raw(emu, "POST", "/agents///versions", {"definition": {"kind": "prompt", "model": "m"}})
    assert status == 404 and set(body["error"]) == {"code", "message", "param", "type", "details"}
    assert raw(emu, "PUT", "/agents/x")[0] == 405


# --- async, state, persistence -----------------------------------------------------------------------


def test_the_async_client(async_project_client):
    async def scenario():
        async with async_project_client as client:
            version = await client.agents.create_version(agent_name="async-agent", definition=prompt())
            agent = await client.agents.get(agent_name="async-agent")
            names = [a.name async for a in client.agents.list()]
            versions = [v.version async for v in client.agents.list_versions(agent_name="async-agent")]
            deleted = await client.agents.delete(agent_name="async-agent")
            with pytest.raises(ResourceNotFoundError):
                await client.agents.get_version(agent_name="async-agent", agent_version="1")
        return version, agent, names, versions, deleted

    version, agent, names, versions, deleted = asyncio.run(scenario())
    assert (version.id, agent.versions.latest.id, names, versions, deleted.deleted) == (
        "async-agent:1", "async-agent:1", ["async-agent"], ["1"], True)  # fmt: skip


def test_admin_state_shows_agents_and_reset_forgets_them(emu, agents):
    agents.create_version(agent_name="kept", definition=prompt(tools=[FunctionTool(name="f", parameters={})]))
    reply = Dispatcher(emu).handle(Call("GET", "/_emulator/state"))
    shared = json.loads(reply.body)["namespaces"]["__shared__"]
    assert (shared["counts"]["agents"], shared["counts"]["agent_versions"]) == (1, 1)
    assert shared["agents"][0]["name"] == "kept" and shared["agent_versions"]["kept"][0]["id"] == "kept:1"
    emu.reset()
    with pytest.raises(ResourceNotFoundError):
        agents.get(agent_name="kept")
    assert agents.create_version(agent_name="kept", definition=prompt()).version == "1"  # counts start again


def test_the_inspector_shows_agents_with_their_versions(emu, agents):
    from emulator.inspector.view import inspect

    agents.create_version(agent_name="seen", definition=prompt("one"))
    agents.create_version(agent_name="seen", definition=prompt("two", tools=[FunctionTool(name="f", parameters={})]))
    (agent,) = inspect(emu)["agents"]
    assert (agent["name"], [v["id"] for v in agent["versions"]]) == ("seen", ["seen:1", "seen:2"])
    assert agent["versions"][1]["definition"]["tools"] == [{"type": "function", "name": "f", "parameters": {}}]


def test_agents_survive_a_restart(tmp_path):
    first = Emulator(data_dir=str(tmp_path))
    agents = project_client_of(create_app(first)).agents
    agents.create_version(agent_name="durable", definition=prompt("one"))
    agents.create_version(agent_name="durable", definition=prompt("two"), metadata={"k": "v"})
    agents.create_version(agent_name="gone", definition=prompt())
    agents.delete(agent_name="gone")
    rules = [FixedRatioVersionSelectionRule(agent_version=v, traffic_percentage=50) for v in ("1", "2")]
    agents.update_details(agent_name="durable", agent_endpoint=AgentEndpointConfig(
        version_selector=VersionSelector(version_selection_rules=rules)))  # fmt: skip
    api = first.backend()
    assert api.agents.endpoint_version("durable").version == "1"
    before = agents.get(agent_name="durable").as_dict()
    first.close()
    again = Emulator(data_dir=str(tmp_path))
    agents = project_client_of(create_app(again)).agents
    assert agents.get(agent_name="durable").as_dict() == before
    assert [v.definition.instructions for v in agents.list_versions(agent_name="durable")] == ["two", "one"]
    assert again.backend().agents.endpoint_version("durable").version == "2"  # the round goes on
    assert agents.create_version(agent_name="gone", definition=prompt()).version == "2"
    again.close()
