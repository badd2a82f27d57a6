"""azure-ai-projects 2.x clients bound to the emulator (emulator/project_clients.py): the `project_client` /
`async_project_client` fixtures in-process, whose `get_openai_client()` (the SDK's own: base URL, api-version,
Foundry-Features header, bearer-token provider) is bound in-process too; `http_project_client` against the dev
server over http and https; and the 2.0.x form apps of early 2026 use (the recordings' form): one OpenAI client on
`{project}/openai/v1` naming the agent in `extra_body={"agent_reference": ...}`."""

from __future__ import annotations

import asyncio

import pytest

from conftest import needed

needed("azure.ai.projects")

import openai  # noqa: E402
from azure.ai.projects.models import CodeInterpreterTool, PromptAgentDefinition  # noqa: E402
from azure.core.exceptions import ClientAuthenticationError  # noqa: E402

from emulator.project_clients import http_project_client, in_process_project_client  # noqa: E402

AGENT = "MyAgent"


def reference(name: str = AGENT) -> dict:
    return {"agent_reference": {"name": name, "type": "agent_reference"}}


def test_the_2_0_form_a_conversation_with_an_agent_named_in_extra_body(project_client):
    version = project_client.agents.create_version(
        agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o", instructions="Answer general questions.")
    )
    with project_client.get_openai_client() as openai_client:
        assert str(openai_client.base_url) == "https://emulator.local/api/projects/emulator-project/openai/v1/"
        conversation = openai_client.conversations.create(
            items=[{"type": "message", "role": "user", "content": "What is the size of France in square miles?"}]
        )
        first = openai_client.responses.create(conversation=conversation.id, extra_body=reference())
        assert first.output_text.startswith('You said: "What is the size of France in square miles?"')
        assert first.instructions == "Answer general questions." and first.model == "gpt-4o"
        assert first.model_extra["agent_reference"] == {"type": "agent_reference", "name": AGENT,
                                                        "version": version.version}  # fmt: skip
        second = openai_client.responses.create(
            conversation=conversation.id, input="And what is the capital city?", extra_body=reference()
        )
        assert second.output_text.startswith('You said: "And what is the capital city?"')
        items = openai_client.conversations.items.list(conversation.id, order="asc").data
        assert [(i.type, i.role) for i in items] == [("message", "user"), ("message", "assistant")] * 2
        openai_client.conversations.delete(conversation.id)
    project_client.agents.delete_version(agent_name=AGENT, agent_version=version.version)


def test_get_openai_client_with_agent_name_is_the_agents_endpoint(project_client):
    project_client.agents.create_version(agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o"))
    second = project_client.agents.create_version(
        agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o", instructions="the second")
    )
    with project_client.get_openai_client(agent_name=AGENT) as openai_client:
        assert str(openai_client.base_url).endswith(
            f"/api/projects/emulator-project/agents/{AGENT}/endpoint/protocols/openai/"
        )
        assert (
            openai_client.default_query == {"api-version": "v1"} and "Foundry-Features" in openai_client.default_headers
        )
        response = openai_client.responses.create(input="Hello")
    assert (
        response.instructions == "the second" and response.model_extra["agent_reference"]["version"] == second.version
    )


def test_the_async_clients(async_project_client):
    async def flow() -> tuple:
        async with async_project_client as project:
            await project.agents.create_version(agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o"))
            async with project.get_openai_client() as openai_client:
                conversation = await openai_client.conversations.create()
                response = await openai_client.responses.create(
                    conversation=conversation.id, input="Hello there", extra_body=reference()
                )
                stream = await openai_client.responses.create(input="Stream it", stream=True, extra_body=reference())
                kinds = [event.type async for event in stream]
        return response, kinds

    response, kinds = asyncio.run(flow())
    assert response.output_text.startswith('You said: "Hello there"') and response.model_extra["agent_reference"]
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"


@pytest.mark.emulator(api_keys=["project-key"])
def test_the_fixture_uses_the_emulators_key_as_its_token(project_client, _emulator_session):
    project_client.agents.create_version(agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o"))
    with project_client.get_openai_client() as openai_client:
        assert openai_client.responses.create(input="Hi", extra_body=reference()).output_text
    stranger = in_process_project_client(_emulator_session.dispatcher, token="other")
    with pytest.raises(ClientAuthenticationError):
        stranger.agents.list().next()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_http_project_client_against_the_dev_server(scheme, request):
    server = request.getfixturevalue("emulator_server" if scheme == "http" else "emulator_https_server")
    assert server.project_endpoint.startswith(f"{scheme}://127.0.0.1:")
    with http_project_client(server.project_endpoint, server.api_key, ca_file=server.ca_file) as project:
        project.agents.create_version(agent_name=AGENT, definition=PromptAgentDefinition(model="gpt-4o"))
        assert [a.name for a in project.agents.list()] == [AGENT]
        with project.get_openai_client() as openai_client:
            assert openai_client.responses.create(input="Over the wire", extra_body=reference()).output_text


def test_code_interpreter_without_container_is_auto_on_a_project(project_client, openai_client):
    """Foundry assumes an `auto` container when the tool names none (azure-ai-projects 2.10 `CodeInterpreterTool`;
    Azure's sample_agent_code_interpreter.py); OpenAI's own shape still requires it."""
    definition = PromptAgentDefinition(model="gpt-4o", tools=[CodeInterpreterTool()])
    project_client.agents.create_version(agent_name=AGENT, definition=definition)
    with project_client.get_openai_client() as client:
        response = client.responses.create(input="What is 6 * 7?", tool_choice="required", extra_body=reference())
        direct = client.responses.create(model="gpt-4o", input="What is 6 * 7?", tools=[{"type": "code_interpreter"}])
    for answer in (response, direct):
        assert answer.tools[0].container.type == "auto" and answer.output[0].type == "code_interpreter_call"
        assert "42" in answer.output_text
    with pytest.raises(openai.BadRequestError, match="tools\\[0\\].container"):
        openai_client.responses.create(model="gpt-4o", input="Hi", tools=[{"type": "code_interpreter"}])
