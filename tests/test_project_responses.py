"""Responses that run a Foundry agent version (issue 23, emulator/responses/agents.py): the stock `openai.OpenAI`
on a project's `/openai/v1` (what azure-ai-projects 2.x `get_openai_client()` gives), on the dated preview route and
on an agent's own endpoint, in-process."""

from __future__ import annotations

import json

import openai
import pytest

from emulator.transport import sdk_http_module, sync_transport

PROJECT = "http://emulator.local/api/projects/p"
REF = {"agent_reference": {"name": "MyAgent", "type": "agent_reference"}}
WEATHER = {"type": "function", "name": "get_weather", "description": "The weather in a city.", "strict": True,
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                          "additionalProperties": False}}  # fmt: skip


def client(session, base: str, **options) -> openai.OpenAI:
    """A stock `openai.OpenAI` on `base`, bound in-process to the session's emulator."""
    http = sdk_http_module()
    transport = sync_transport(session.dispatcher, http)
    return openai.OpenAI(api_key="an-entra-token", base_url=base,
                         http_client=http.Client(transport=transport, trust_env=False), **options)  # fmt: skip


@pytest.fixture
def project(emulator, _emulator_session) -> openai.OpenAI:
    with client(_emulator_session, PROJECT + "/openai/v1") as c:
        yield c


def agent(emulator, name: str = "MyAgent", **definition):
    body = {"definition": {"kind": "prompt", "model": "gpt-4o", **definition}}
    return emulator.backend().agents.create_version(name, body)


def raw(c: openai.OpenAI, **body) -> dict:
    return json.loads(c.responses.with_raw_response.create(**body).text)


def test_a_response_runs_the_agents_definition(project, emulator):
    agent(emulator, instructions="You are terse.", temperature=0.5, top_p=0.9)
    body = raw(project, input="Hello", extra_body=REF)
    assert (body["model"], body["instructions"], body["temperature"], body["top_p"]) == ("gpt-4o", "You are terse.",
                                                                                           0.5, 0.9)  # fmt: skip
    stamp = {"type": "agent_reference", "name": "MyAgent", "version": "1"}
    assert body["agent_reference"] == stamp and list(body)[-1] == "agent_reference"
    (message,) = body["output"]
    # as recorded (azure-ai-projects test_agent_responses_crud.json, 2026-03)
    assert list(message) == ["type", "id", "agent_reference", "response_id", "role", "content", "status"]
    assert message["agent_reference"] == stamp and message["response_id"] == body["id"]
    assert list(body)[:3] == ["metadata", "top_logprobs", "temperature"] and "billing" not in body
    again = project.responses.retrieve(body["id"])  # the stamp is stored with the response
    assert again.model_extra["agent_reference"] == stamp and again.output[0].model_extra["response_id"] == body["id"]


def test_a_reasoning_agent_shows_its_effort_only(project, emulator):
    agent(emulator, model="gpt-5", reasoning={"effort": "low"})
    assert raw(project, input="Hi", extra_body=REF)["reasoning"] == {"effort": "low"}


def test_a_pinned_version_or_the_latest(project, emulator):
    agent(emulator, instructions="first")
    agent(emulator, instructions="second")
    latest = project.responses.create(input="Hi", extra_body=REF)
    pinned = project.responses.create(input="Hi", extra_body={"agent_reference": {**REF["agent_reference"],
                                                                                  "version": "1"}})  # fmt: skip
    assert (latest.instructions, latest.model_extra["agent_reference"]["version"]) == ("second", "2")
    assert (pinned.instructions, pinned.model_extra["agent_reference"]["version"]) == ("first", "1")


def test_unknown_agent_or_version_is_a_404(project, emulator):
    with pytest.raises(openai.NotFoundError):
        project.responses.create(input="Hi", extra_body={"agent_reference": {"name": "Nobody"}})
    agent(emulator)
    with pytest.raises(openai.NotFoundError):
        project.responses.create(input="Hi", extra_body={"agent_reference": {"name": "MyAgent", "version": "9"}})


def test_the_agent_property_is_refused_on_v1_and_what_the_agent_owns_too(project, emulator):
    agent(emulator)
    with pytest.raises(openai.BadRequestError) as deprecated:
        project.responses.create(input="Hi", extra_body={"agent": {"name": "MyAgent", "type": "agent_reference"}})
    assert deprecated.value.body["message"] == "The 'agent' property is deprecated. Use 'agent_reference' instead."
    assert deprecated.value.body["param"] == "agent"
    for extra in ({"instructions": "x"}, {"tools": [WEATHER]}, {"model": "gpt-4o"}):
        with pytest.raises(openai.BadRequestError) as owned:
            project.responses.create(input="Hi", extra_body={**REF, **extra})
        assert owned.value.body["param"] == next(iter(extra))
    with pytest.raises(openai.BadRequestError) as shape:
        project.responses.create(input="Hi", extra_body={"agent_reference": {"name": "MyAgent", "kind": "x"}})
    assert shape.value.body["param"].startswith("agent_reference")


def test_a_function_call_round_trip_with_the_agents_tool(project, emulator):
    agent(emulator, tools=[WEATHER], tool_choice="auto")
    first = project.responses.create(input="What is the weather in Paris? Use get_weather.", extra_body=REF)
    (call,) = first.output
    assert call.type == "function_call" and call.name == "get_weather" and first.tools[0].name == "get_weather"
    second = project.responses.create(previous_response_id=first.id, extra_body=REF, input=[
        {"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 21}'}])  # fmt: skip
    assert second.previous_response_id == first.id and second.output[0].type == "message"
    assert second.output[0].model_extra["agent_reference"]["name"] == "MyAgent"


def test_a_conversation_with_an_agent(project, emulator):
    agent(emulator, instructions="Answer.")
    conversation = project.conversations.create(items=[{"type": "message", "role": "user", "content": "Hi there"}])
    first = project.responses.create(conversation=conversation.id, extra_body=REF)
    assert first.conversation.id == conversation.id and first.output_text
    project.conversations.items.create(conversation.id, items=[{"type": "message", "role": "user", "content": "More"}])
    project.responses.create(conversation=conversation.id, extra_body=REF)
    items = project.conversations.items.list(conversation.id, order="asc").data
    assert [i.type for i in items] == ["message"] * 4


def test_a_stream_names_the_agent(project, emulator):
    agent(emulator)
    events = list(project.responses.create(input="Hello", stream=True, extra_body=REF))
    done = events[-1].response
    assert done.model_extra["agent_reference"]["name"] == "MyAgent"
    added = next(e for e in events if e.type == "response.output_item.done")
    assert added.item.model_extra["response_id"] == done.id


def test_a_background_response_of_an_agent(project, emulator):
    agent(emulator, instructions="Later.")
    queued = project.responses.create(input="Hello", background=True, extra_body=REF)
    assert queued.status in ("queued", "in_progress")
    done = project.responses.retrieve(queued.id)
    while done.status in ("queued", "in_progress"):
        done = project.responses.retrieve(queued.id)
    assert done.status == "completed" and done.instructions == "Later."
    assert done.model_extra["agent_reference"]["version"] == "1"


def test_the_agents_hosted_tools_run(project, emulator):
    agent(emulator, tools=[{"type": "code_interpreter", "container": {"type": "auto", "file_ids": []}}])
    response = project.responses.create(input="Compute 12 * 34 with Python.", extra_body=REF)
    assert [i.type for i in response.output] == ["code_interpreter_call", "message"]
    assert "408" in response.output_text


def test_structured_inputs_fill_the_definition(project, emulator):
    agent(emulator, instructions="Files: {{file_id}}.", structured_inputs={
        "file_id": {"description": "a file", "required": True, "schema": {"type": "string"}}})  # fmt: skip
    response = project.responses.create(input="Hi", extra_body={**REF, "structured_inputs": {"file_id": "f-1"}})
    assert response.instructions == "Files: f-1."
    with pytest.raises(openai.BadRequestError):
        project.responses.create(input="Hi", extra_body=REF)


def test_the_preview_route_takes_agent(emulator, _emulator_session):
    agent(emulator, "function-tool-agent", tools=[WEATHER])
    with client(_emulator_session, PROJECT + "/openai", default_query={"api-version": "2025-11-15-preview"}) as c:
        body = raw(c, input="What's the weather in Seattle?",
                   extra_body={"agent": {"name": "function-tool-agent", "type": "agent_reference"}})  # fmt: skip
    # as recorded (azure-ai-projects test_agent_function_tool.json, 2025-12)
    assert body["agent"] == {"type": "agent_id", "name": "function-tool-agent", "version": "1"}
    assert body["user"] is None and body["conversation"] is None and "agent_reference" not in body
    assert list(body["output"][0]) == ["type", "id", "status", "call_id", "name", "arguments", "created_by"]
    # items as of 2026-02 (azure-sdk-assets test_prompt_agent_with_responses_non_streaming.json)
    assert body["output"][0]["created_by"] == {"agent": body["agent"], "response_id": body["id"]}


@pytest.mark.parametrize(
    "named, param, message",
    [
        ("MyAgent", "agent", "expected an object, but got a string instead"),
        ({"type": "agent_reference"}, "agent.name", "Missing required parameter"),
        ({"name": 7}, "agent.name", "expected a string, but got an integer instead"),
        ({"name": "MyAgent", "version": 2}, "agent.version", "expected a string, but got an integer instead"),
    ],
)
def test_the_preview_refuses_a_bad_agent_naming_the_field(emulator, _emulator_session, named, param, message):
    agent(emulator)
    with client(_emulator_session, PROJECT + "/openai", default_query={"api-version": "2025-11-15-preview"}) as c:
        with pytest.raises(openai.BadRequestError) as refused:
            c.responses.create(input="hi", extra_body={"agent": named})
    assert refused.value.param == param and message in refused.value.message


def test_a_preview_stream_names_the_agent_as_recorded(emulator, _emulator_session):
    agent(emulator, "PromptTestAgentStreaming")
    with client(_emulator_session, PROJECT + "/openai", default_query={"api-version": "2025-11-15-preview"}) as c:
        with c.responses.with_streaming_response.create(input="What is the capital of France?", stream=True,
                extra_body={"agent": {"name": "PromptTestAgentStreaming", "type": "agent_reference"}}) as raw:  # fmt: skip
            events = [json.loads(line[6:]) for line in raw.iter_lines() if line.startswith("data: ")]
    # as recorded (azure-sdk-assets test_prompt_agent_with_responses_streaming.json, 2026-02): OpenAI's order, the
    # agent last; items with created_by {agent} after their id
    created, done = events[0]["response"], events[-1]["response"]
    assert list(created)[:4] == ["id", "object", "created_at", "status"] and list(created)[-1] == "agent"
    added = next(e for e in events if e["type"] == "response.output_item.added")["item"]
    assert list(added)[:3] == ["type", "id", "created_by"] and added["created_by"] == {"agent": created["agent"]}
    assert done["output"][0]["created_by"] == {"agent": done["agent"]} and "frequency_penalty" not in done


def test_the_preview_agent_may_name_its_version_by_id(emulator, _emulator_session):
    agent(emulator, "PromptTestAgent", instructions="one")
    agent(emulator, "PromptTestAgent", instructions="two")
    named = {"name": "PromptTestAgent", "id": "PromptTestAgent:1", "type": "agent_reference"}  # as 2.0.0b4 sent it
    with client(_emulator_session, PROJECT + "/openai", default_query={"api-version": "2025-11-15-preview"}) as c:
        body = raw(c, input="Hi", extra_body={"agent": named})
    assert (body["instructions"], body["agent"]["version"]) == ("one", "1")


def test_an_agents_own_endpoint_runs_its_selected_version(emulator, _emulator_session):
    agent(emulator, instructions="one")
    agent(emulator, instructions="two")
    base = PROJECT + "/agents/MyAgent/endpoint/protocols/openai"
    with client(_emulator_session, base, default_query={"api-version": "v1"}) as c:
        response = c.responses.create(input="Hi")
        assert response.instructions == "two" and response.model_extra["agent_reference"]["version"] == "2"
        conversation = c.conversations.create()
        c.responses.create(conversation=conversation.id, input="Hello")
        with pytest.raises(openai.BadRequestError):
            c.responses.create(input="Hi", extra_body={"agent_reference": {"name": "Other"}})
    with client(_emulator_session, PROJECT + "/openai/v1") as v1:  # the same conversations
        assert len(v1.conversations.items.list(conversation.id).data) == 2


def test_a_response_without_agent_runs_as_on_openai(project):
    response = project.responses.create(model="gpt-4o", input="Hello")
    assert response.output_text and "agent_reference" not in (response.model_extra or {})


def test_foundrys_list_operations_filter_by_agent(project, emulator):
    agent(emulator, "A")
    agent(emulator, "A")
    agent(emulator, "B")
    conversation = project.conversations.create()
    made = [
        project.responses.create(input="1", extra_body={"agent_reference": {"name": "A", "version": "1"}}),
        project.responses.create(input="2", extra_body={"agent_reference": {"name": "A"}}),
        project.responses.create(
            conversation=conversation.id, input="3", extra_body={"agent_reference": {"name": "B"}}
        ),
        project.responses.create(model="gpt-4o", input="4"),
    ]
    project.conversations.create()

    def ids(path: str, **query) -> list[str]:
        return [o["id"] for o in project.get(path, cast_to=object, options={"params": query})["data"]]

    assert ids("/responses") == [r.id for r in reversed(made)]
    assert ids("/responses", agent_name="A", order="asc") == [made[0].id, made[1].id]
    assert ids("/responses", agent_id="A:2") == [made[1].id]
    assert ids("/responses", conversation_id=conversation.id) == [made[2].id]
    page = project.get("/responses", cast_to=object, options={"params": {"limit": 1}})
    assert page["has_more"] and page["data"][0]["id"] == made[3].id and "billing" not in page["data"][0]
    assert list(page) == ["object", "data", "first_id", "last_id", "has_more"]  # OpenAI's list envelope's order
    assert ids("/conversations", agent_name="B") == [conversation.id]
    assert len(ids("/conversations")) == 2 and ids("/conversations", agent_name="A") == []
    with pytest.raises(openai.BadRequestError):
        ids("/responses", agent_id="no-version")


def test_conversation_items_filtered_by_type(project, emulator):
    agent(emulator, tools=[WEATHER])
    conversation = project.conversations.create()
    project.responses.create(conversation=conversation.id, input="Weather in Rome? Use get_weather.", extra_body=REF)
    listed = project.get(f"/conversations/{conversation.id}/items", cast_to=object,
                         options={"params": {"item_type": "function_call"}})  # fmt: skip
    assert [i["type"] for i in listed["data"]] == ["function_call"]


def test_the_list_operations_are_foundrys_only(openai_client):
    with pytest.raises(openai.APIStatusError) as refused:
        openai_client.get("/responses", cast_to=object)
    assert refused.value.status_code in (404, 405)


def test_what_a_response_says_of_its_agent_survives_a_restart(tmp_path):
    from emulator import Emulator, create_app

    def project_of(emu: Emulator) -> openai.OpenAI:
        http = sdk_http_module()
        transport = sync_transport(create_app(emu), http)
        return openai.OpenAI(api_key="t", base_url=PROJECT + "/openai/v1",
                             http_client=http.Client(transport=transport, trust_env=False))  # fmt: skip

    first = Emulator(data_dir=str(tmp_path))
    agent(first, instructions="Kept.")
    made = project_of(first).responses.create(input="Hi", extra_body=REF)
    first.close()
    again = Emulator(data_dir=str(tmp_path))
    kept = project_of(again).responses.retrieve(made.id)
    assert kept.model_extra["agent_reference"] == made.model_extra["agent_reference"]
    assert kept.output[0].model_extra["response_id"] == made.id and kept.instructions == "Kept."
    again.close()


def test_an_agent_over_the_dev_server(emulator_server):
    agent(emulator_server.emulator, instructions="Over HTTP.")
    base = emulator_server.url + "/api/projects/p/openai/v1"
    with openai.OpenAI(api_key=emulator_server.api_key, base_url=base) as c:
        events = list(c.responses.create(input="Hello", stream=True, extra_body=REF))
        assert events[-1].type == "response.completed" and events[-1].response.instructions == "Over HTTP."
        kept = c.responses.retrieve(events[-1].response.id)
    assert kept.model_extra["agent_reference"]["name"] == "MyAgent"
