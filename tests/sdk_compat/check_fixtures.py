"""Run by tests/test_sdk_compat.py in a child pytest, with an older `openai` major (1.x/2.x,
which uses `httpx`) first on PYTHONPATH; named check_*.py so that the main run, which has
openai 3.x (`httpx2`), does not collect it.

Every client fixture of the plugin is exercised with a few calls."""

from __future__ import annotations

import os
from typing import Any

import openai
import pytest

from emulator.transport import sdk_http_module

#: The major the parent test expects (it sets this); "2" unless told.
EXPECTED_MAJOR = os.environ.get("EMULATOR_COMPAT_OPENAI_MAJOR", "2")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_runs_with_the_older_sdk_and_httpx() -> None:
    assert openai.__version__.split(".")[0] == EXPECTED_MAJOR, (openai.__version__, openai.__file__)
    assert sdk_http_module().__name__ == "httpx"


def _sync_tour(client: Any) -> None:
    """Assistants, threads with messages, a file, a vector store, auto-pagination."""
    http = sdk_http_module()
    assert isinstance(client._client, http.Client)

    made = client.beta.assistants.create(model="gpt-4o", name="compat", instructions="be brief")
    assert made.id.startswith("asst_")
    got = client.beta.assistants.retrieve(made.id)
    assert (got.id, got.name, got.instructions) == (made.id, "compat", "be brief")

    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two"}]
    )
    client.beta.threads.messages.create(thread.id, role="user", content="three")
    texts = [m.content[0].text.value for m in client.beta.threads.messages.list(thread.id, order="asc")]
    assert texts == ["one", "two", "three"]

    file = client.files.create(file=("notes.txt", b"hello compat"), purpose="assistants")
    # Azure OpenAI file ids are assistant-… (azure-openai VectorStoreTests/CanCreateGetAndDeleteVectorStores.json)
    prefix = "assistant-" if isinstance(client, openai.AzureOpenAI) else "file-"
    assert file.id.startswith(prefix) and file.bytes == len(b"hello compat") and file.filename == "notes.txt"
    assert client.files.retrieve(file.id).id == file.id
    store = client.vector_stores.create(name="docs", file_ids=[file.id])
    assert store.id.startswith("vs_")
    assert [f.id for f in client.vector_stores.files.list(store.id)] == [file.id]

    for i in range(4):
        client.beta.assistants.create(model="gpt-4o", name=f"page-{i}")
    first = client.beta.assistants.list(limit=2, order="asc")
    pages = list(first.iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1]
    names = [a.name for a in client.beta.assistants.list(limit=2, order="asc")]  # auto-pagination
    assert names == ["compat", "page-0", "page-1", "page-2", "page-3"]

    with pytest.raises(openai.NotFoundError):
        client.beta.assistants.retrieve("asst_missing")


async def _async_tour(client: Any) -> None:
    http = sdk_http_module()
    assert isinstance(client._client, http.AsyncClient)

    made = await client.beta.assistants.create(model="gpt-4o", name="async-compat")
    assert (await client.beta.assistants.retrieve(made.id)).name == "async-compat"

    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    await client.beta.threads.messages.create(thread.id, role="user", content="again")
    page = await client.beta.threads.messages.list(thread.id, order="asc")
    assert [m.content[0].text.value for m in page.data] == ["hello", "again"]

    file = await client.files.create(file=("a.txt", b"async bytes"), purpose="assistants")
    store = await client.vector_stores.create(name="async-docs", file_ids=[file.id])
    assert (await client.vector_stores.retrieve(store.id)).name == "async-docs"

    for i in range(4):
        await client.beta.assistants.create(model="gpt-4o", name=f"page-{i}")
    names = [a.name async for a in client.beta.assistants.list(limit=2, order="asc")]
    assert names == ["async-compat", "page-0", "page-1", "page-2", "page-3"]
    pages = [p async for p in (await client.beta.assistants.list(limit=2)).iter_pages()]
    assert [len(p.data) for p in pages] == [2, 2, 1]

    with pytest.raises(openai.NotFoundError):
        await client.beta.assistants.retrieve("asst_missing")


def test_openai_client(openai_client: Any) -> None:
    _sync_tour(openai_client)


def test_azure_openai_client(azure_openai_client: Any) -> None:
    assert isinstance(azure_openai_client, openai.AzureOpenAI)
    _sync_tour(azure_openai_client)


@pytest.mark.anyio
async def test_async_openai_client(async_openai_client: Any) -> None:
    try:
        await _async_tour(async_openai_client)
    finally:
        await async_openai_client.close()


@pytest.mark.anyio
async def test_async_azure_openai_client(async_azure_openai_client: Any) -> None:
    assert isinstance(async_azure_openai_client, openai.AsyncAzureOpenAI)
    try:
        await _async_tour(async_azure_openai_client)
    finally:
        await async_azure_openai_client.close()


def test_emulator_server(emulator_server: Any) -> None:
    """The real HTTP server, reached by the SDK's default (httpx) client."""
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key, max_retries=0)
    azure = openai.AzureOpenAI(
        azure_endpoint=emulator_server.azure_endpoint,
        api_key=emulator_server.api_key,
        api_version="2024-05-01-preview",
        max_retries=0,
    )
    with client, azure:
        assert isinstance(client._client, sdk_http_module().Client)
        _sync_tour(client)
        made = azure.beta.assistants.create(model="my-deployment", name="over-http")
        assert client.beta.assistants.retrieve(made.id).name == "over-http"


def test_state_is_reset_between_tests(openai_client: Any) -> None:
    assert openai_client.beta.assistants.list().data == []


@pytest.mark.emulator(api_keys=["k1"])
def test_marker_options_apply(openai_client: Any) -> None:
    assert openai_client.api_key == "k1"
    openai_client.beta.assistants.create(model="gpt-4o")
    bad = openai_client.with_options(api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.beta.assistants.list()


@pytest.mark.anyio
async def test_in_process_clients_open_no_socket(
    no_sockets: list[Any], openai_client: Any, azure_openai_client: Any, async_openai_client: Any
) -> None:
    made = openai_client.beta.assistants.create(model="gpt-4o")
    assert azure_openai_client.beta.assistants.retrieve(made.id).id == made.id
    assert (await async_openai_client.beta.assistants.retrieve(made.id)).id == made.id
    await async_openai_client.close()
    assert no_sockets == []


def test_streaming_and_code_interpreter(openai_client: Any) -> None:
    """A streamed function call, its streamed outputs, and a streamed code_interpreter run."""
    weather = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}  # fmt: skip
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[weather, {"type": "code_interpreter"}])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Oslo"}])
    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    run = stream.current_run
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    with openai_client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "cold"}]
    ) as stream:
        stream.until_done()
    assert "cold" in stream.get_final_messages()[0].content[0].text.value

    openai_client.beta.threads.messages.create(thread.id, role="user", content="Plot a sine wave")
    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    message = stream.get_final_messages()[0]
    assert [c.type for c in message.content] == ["image_file", "text"]
    assert openai_client.files.content(message.content[0].image_file.file_id).read()[:4] == b"\x89PNG"


@pytest.mark.anyio
async def test_async_streaming(async_openai_client: Any) -> None:
    try:
        assistant = await async_openai_client.beta.assistants.create(model="gpt-4o")
        thread = await async_openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        async with async_openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as s:
            await s.until_done()
        assert (await s.get_final_run()).status == "completed"
    finally:
        await async_openai_client.close()
