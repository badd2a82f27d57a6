"""Foundry Agents (issue 12): the async `azure-ai-agents` client in-process
(`async_agents_client`), and both clients over HTTP against the dev server, built as the
docs/foundry.md shows (a fixed-token credential, a per-call policy allowing http, `retry_total=0`)."""

from __future__ import annotations

import json

import pytest

from conftest import needed

needed("azure.ai.agents")

from azure.ai.agents.models import (  # noqa: E402
    AsyncAgentEventHandler,
    AsyncFunctionTool,
    CodeInterpreterTool,
    ListSortOrder,
    MessageDeltaChunk,
    MessageRole,
    RunStatus,
    ThreadRun,
)
from azure.core.exceptions import HttpResponseError, ServiceRequestError  # noqa: E402

from emulator.foundry_clients import http_agents_client  # noqa: E402

pytestmark = pytest.mark.anyio


async def get_weather(city: str) -> str:
    """Fetches the weather for a city.

    :param city: The city to look up.
    :return: The weather as JSON.
    """
    return json.dumps({"city": city, "temp": 21})


async def reply_text(client, thread_id: str) -> str:
    message = await client.messages.get_last_message_text_by_role(thread_id=thread_id, role=MessageRole.AGENT)
    return message.text.value


async def test_async_crud_lists_and_runs(async_agents_client) -> None:
    client = async_agents_client
    agents = [await client.create_agent(model="gpt-4o", name=f"a{n}") for n in range(3)]
    assert [a.id async for a in client.list_agents(limit=2, order=ListSortOrder.ASCENDING)] == [a.id for a in agents]
    assert (await client.update_agent(agents[0].id, name="renamed")).name == "renamed"
    await client.delete_agent(agents[2].id)
    thread = await client.threads.create()
    assert [t.id async for t in client.threads.list()] == [thread.id]
    await client.messages.create(thread_id=thread.id, role="user", content="Hello async")
    run = await client.runs.create_and_process(thread_id=thread.id, agent_id=agents[0].id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED
    assert (await reply_text(client, thread.id)).startswith('You said: "Hello async"')
    messages = [m async for m in client.messages.list(thread_id=thread.id, order=ListSortOrder.ASCENDING)]
    assert [m.role for m in messages] == [MessageRole.USER, MessageRole.AGENT]
    await client.close()


async def test_async_auto_function_calls(async_agents_client) -> None:
    client = async_agents_client
    functions = AsyncFunctionTool(functions={get_weather})
    client.enable_auto_function_calls(functions)
    agent = await client.create_agent(model="gpt-4o", tools=functions.definitions)
    thread = await client.threads.create()
    await client.messages.create(thread_id=thread.id, role="user", content="get weather in Porto")
    run = await client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert '"city": "Porto"' in await reply_text(client, thread.id)


class Collector(AsyncAgentEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.deltas: list[str] = []
        self.statuses: list[str] = []

    async def on_message_delta(self, delta: MessageDeltaChunk) -> None:
        self.deltas.append(delta.text)

    async def on_thread_run(self, run: ThreadRun) -> None:
        self.statuses.append(run.status)


async def test_async_streaming_with_an_event_handler(async_agents_client) -> None:
    client = async_agents_client
    agent = await client.create_agent(model="gpt-4o")
    thread = await client.threads.create()
    await client.messages.create(thread_id=thread.id, role="user", content="one two three")
    handler = Collector()
    async with await client.runs.stream(thread_id=thread.id, agent_id=agent.id, event_handler=handler) as stream:
        await stream.until_done()
    assert "".join(handler.deltas) == await reply_text(client, thread.id)
    assert handler.statuses[-1] == "completed"


async def test_async_visualisation_and_files_save(async_agents_client, tmp_path) -> None:
    client = async_agents_client
    code = CodeInterpreterTool()
    agent = await client.create_agent(model="gpt-4o", tools=code.definitions, tool_resources=code.resources)
    thread = await client.threads.create()
    await client.messages.create(thread_id=thread.id, role="user", content="Plot a cosine wave")
    run = await client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = await client.messages.get_last_message_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    await client.files.save(reply.image_contents[0].image_file.file_id, "cosine.png", tmp_path)
    assert (tmp_path / "cosine.png").read_bytes()[:4] == b"\x89PNG"
    uploaded = await client.files.upload_and_poll(file=b"a,b\n1,2\n", filename="t.csv", purpose="assistants")
    assert (uploaded.filename, uploaded.status) == ("t.csv", "processed")


# --- over HTTP -------------------------------------------------------------------------------


def docs_client(endpoint: str, token: str):
    """The construction docs/foundry.md gives, verbatim (the page's block itself runs in tests/test_docs.py)."""
    from azure.ai.agents import AgentsClient
    from azure.core.credentials import AccessToken
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    class FakeCredential:
        def get_token(self, *scopes, **kwargs):
            return AccessToken(token, 4102444800)

    class AllowHttp(SansIOHTTPPolicy):
        def on_request(self, request):
            request.context.options["enforce_https"] = False

    return AgentsClient(endpoint, FakeCredential(), per_call_policies=[AllowHttp()], retry_total=0)


def test_over_http_with_the_docs_construction(emulator_server, tmp_path) -> None:
    client = docs_client(emulator_server.foundry_endpoint, emulator_server.api_key)
    agent = client.create_agent(model="gpt-4o", tools=CodeInterpreterTool().definitions)
    thread = client.threads.create()
    client.messages.create(thread_id=thread.id, role="user", content="Create a visualization of a sinewave")
    run = client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = client.messages.get_last_message_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    client.files.save(reply.image_contents[0].image_file.file_id, "sine.png", tmp_path)
    assert (tmp_path / "sine.png").read_bytes()[:4] == b"\x89PNG"
    uploaded = client.files.upload_and_poll(file=b"# n", filename="n.md", purpose="assistants")
    assert uploaded.filename == "n.md"
    with client.runs.stream(thread_id=thread.id, agent_id=agent.id) as stream:
        assert [event for event, _, _ in stream][-1] == "done"
    client.close()


def test_plain_http_needs_the_policy(emulator_server) -> None:
    from azure.ai.agents import AgentsClient

    from emulator.foundry_clients import StaticTokenCredential

    client = AgentsClient(emulator_server.foundry_endpoint, StaticTokenCredential(), retry_total=0)
    with pytest.raises(ServiceRequestError, match="non-TLS"):
        client.list_agents().next()


def test_over_http_a_fault_is_seen_at_once(emulator_server, emulator) -> None:
    client = http_agents_client(emulator_server.foundry_endpoint, emulator_server.api_key)
    emulator.faults.http(500, path=r"/assistants$", method="POST", times=1)
    with pytest.raises(HttpResponseError) as failed:
        client.create_agent(model="gpt-4o")
    assert failed.value.status_code == 500
    assert client.create_agent(model="gpt-4o").model == "gpt-4o"  # the fault is used up


@pytest.mark.emulator(api_keys=["project-key"])
@pytest.mark.filterwarnings("ignore:In v4, passing bytes:DeprecationWarning")  # aiohttp, on the SDK's upload
async def test_async_over_http_with_aiohttp(emulator_server) -> None:
    needed("aiohttp")
    client = http_agents_client(emulator_server.foundry_endpoint, emulator_server.api_key, asynchronous=True)
    async with client:
        agent = await client.create_agent(model="echo")
        thread = await client.threads.create()
        await client.messages.create(thread_id=thread.id, role="user", content="over aiohttp")
        handler = Collector()
        async with await client.runs.stream(thread_id=thread.id, agent_id=agent.id, event_handler=handler) as stream:
            await stream.until_done()
        assert "".join(handler.deltas) == "over aiohttp"
        uploaded = await client.files.upload_and_poll(file=b"x,y\n", filename="xy.csv", purpose="assistants")
        assert uploaded.filename == "xy.csv"
    wrong = http_agents_client(emulator_server.foundry_endpoint, "not-the-key", asynchronous=True)
    async with wrong:
        with pytest.raises(HttpResponseError) as refused:
            await wrong.get_agent(agent.id)
    assert refused.value.status_code == 401
