"""Every non-run endpoint, driven by the official SDK through each kind of client:
in-process and over real HTTP, OpenAI and Azure shapes, sync and async."""

from __future__ import annotations

import openai
import pytest
from openai import AsyncAzureOpenAI, AsyncOpenAI, AzureOpenAI, OpenAI


def tour(c) -> None:
    # files
    doc = c.files.create(file=("guide.md", b"# Guide\nUse the API."), purpose="assistants")
    data = c.files.create(file=("data.csv", b"x,y\n1,2\n"), purpose="assistants")
    assert c.files.retrieve(doc.id).bytes == len(b"# Guide\nUse the API.")
    assert {f.id for f in c.files.list(purpose="assistants")} == {doc.id, data.id}
    # vector stores, their files and batches
    store = c.vector_stores.create(name="kb", file_ids=[doc.id], metadata={"v": "1"})
    assert c.vector_stores.retrieve(store.id).file_counts.completed == 1
    assert c.vector_stores.update(store.id, name="kb2").name == "kb2"
    assert [s.id for s in c.vector_stores.list()] == [store.id]
    extra = c.files.create(file=("more.txt", b"more text"), purpose="assistants")
    vs_file = c.vector_stores.files.create(vector_store_id=store.id, file_id=extra.id, attributes={"k": "v"})
    assert c.vector_stores.files.retrieve(file_id=vs_file.id, vector_store_id=store.id).status == "completed"
    assert c.vector_stores.files.update(file_id=extra.id, vector_store_id=store.id, attributes={"k": 2}).attributes == {
        "k": 2
    }
    assert {f.id for f in c.vector_stores.files.list(vector_store_id=store.id, filter="completed")} == {
        doc.id,
        extra.id,
    }
    with pytest.raises(openai.BadRequestError):  # a type file_search does not read is refused when added
        c.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[data.id])
    broken = c.files.create(file=("broken.pdf", b"not a pdf"), purpose="assistants")  # fails in ingestion
    batch = c.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[broken.id])
    assert c.vector_stores.file_batches.retrieve(batch_id=batch.id, vector_store_id=store.id).file_counts.failed == 1
    assert [f.id for f in c.vector_stores.file_batches.list_files(batch_id=batch.id, vector_store_id=store.id)] == [
        broken.id
    ]
    assert c.vector_stores.files.delete(file_id=extra.id, vector_store_id=store.id).deleted is True
    # assistants
    a = c.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}, {"type": "code_interpreter"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}, "code_interpreter": {"file_ids": [data.id]}},
    )
    assert c.beta.assistants.retrieve(a.id).tool_resources.file_search.vector_store_ids == [store.id]
    assert c.beta.assistants.update(a.id, name="tour").name == "tour"
    assert [x.id for x in c.beta.assistants.list()] == [a.id]
    # threads and messages
    t = c.beta.threads.create(messages=[{"role": "user", "content": "hello"}], metadata={"m": "1"})
    assert c.beta.threads.retrieve(t.id).metadata == {"m": "1"}
    assert c.beta.threads.update(t.id, metadata={"m": "2"}).metadata == {"m": "2"}
    m = c.beta.threads.messages.create(t.id, role="user", content=[{"type": "text", "text": "again"}])
    assert c.beta.threads.messages.retrieve(m.id, thread_id=t.id).content[0].text.value == "again"
    assert c.beta.threads.messages.update(m.id, thread_id=t.id, metadata={"a": "b"}).metadata == {"a": "b"}
    assert [x.id for x in c.beta.threads.messages.list(t.id, order="asc")][-1] == m.id
    assert c.beta.threads.messages.delete(m.id, thread_id=t.id).deleted is True
    # models
    assert "gpt-4o" in {x.id for x in c.models.list()}
    assert c.models.retrieve("gpt-4o").object == "model"
    # deletes
    assert c.beta.threads.delete(t.id).deleted is True
    assert c.beta.assistants.delete(a.id).deleted is True
    assert c.vector_stores.delete(store.id).deleted is True
    assert c.files.delete(doc.id).deleted is True


async def atour(c) -> None:
    f = await c.files.create(file=("a.txt", b"abc"), purpose="assistants")
    store = await c.vector_stores.create(file_ids=[f.id])
    a = await c.beta.assistants.create(model="gpt-4o", tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    t = await c.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    await c.beta.threads.messages.create(t.id, role="user", content="more")
    assert [m.content[0].text.value async for m in c.beta.threads.messages.list(t.id, order="asc", limit=1)] == [
        "hi",
        "more",
    ]
    assert (await c.beta.assistants.retrieve(a.id)).id == a.id
    assert (await c.vector_stores.retrieve(store.id)).file_counts.total == 1
    assert (await c.beta.threads.delete(t.id)).deleted is True


def test_in_process_openai(openai_client):
    tour(openai_client)


def test_in_process_azure(azure_openai_client):
    tour(azure_openai_client)


def test_over_http_openai(emulator_server):
    tour(OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0))


def test_over_http_azure(emulator_server):
    tour(
        AzureOpenAI(
            azure_endpoint=emulator_server.azure_endpoint, api_key="k", api_version="2024-05-01-preview", max_retries=0
        )
    )


@pytest.mark.anyio
async def test_async_in_process(async_openai_client, async_azure_openai_client):
    await atour(async_openai_client)
    await atour(async_azure_openai_client)


@pytest.mark.anyio
async def test_async_over_http(emulator_server):
    await atour(AsyncOpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0))
    await atour(
        AsyncAzureOpenAI(
            azure_endpoint=emulator_server.azure_endpoint, api_key="k", api_version="2024-10-01-preview", max_retries=0
        )
    )
