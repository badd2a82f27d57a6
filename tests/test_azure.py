"""The Azure shape: `/openai/...?api-version=` with `api-key`, through the AzureOpenAI client."""

from __future__ import annotations

import pytest
from openai import AzureOpenAI

from conftest import error_of


def test_azure_client_drives_every_resource(azure_openai_client):
    c = azure_openai_client
    a = c.beta.assistants.create(model="my-gpt4o-deployment", name="az", tools=[{"type": "code_interpreter"}])
    assert a.model == "my-gpt4o-deployment"
    t = c.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    assert c.beta.threads.messages.list(t.id).data[0].content[0].text.value == "hello"
    f = c.files.create(file=("a.txt", b"abc"), purpose="assistants")
    vs = c.vector_stores.create(file_ids=[f.id])
    assert vs.file_counts.completed == 1
    assert [x.id for x in c.beta.assistants.list()] == [a.id]
    assert c.beta.assistants.delete(a.id).deleted is True


def test_azure_urls_are_what_the_sdk_builds(azure_openai_client):
    seen = []
    azure_openai_client._client.event_hooks["request"].append(lambda r: seen.append(str(r.url)))
    azure_openai_client.beta.assistants.list()
    azure_openai_client.files.list()
    assert seen[0].startswith("http://emulator.local/openai/assistants?")
    assert "api-version=" in seen[0]
    assert seen[1].startswith("http://emulator.local/openai/files?")


@pytest.mark.anyio
async def test_async_azure_client(async_azure_openai_client):
    t = await async_azure_openai_client.beta.threads.create(metadata={"k": "v"})
    assert (await async_azure_openai_client.beta.threads.retrieve(t.id)).metadata == {"k": "v"}


@pytest.mark.parametrize(
    "query, status, code",
    [
        ("", 404, "404"),
        ("?api-version=2031-01-01-preview", 400, "BadRequest"),
        ("?api-version=2024-02-15-preview", 400, "BadRequest"),  # the v1 shape is not emulated
        ("?api-version=2024-10-21", 404, "404"),  # a GA version: no Assistants there
    ],
)
def test_api_version_is_checked(http, query, status, code):
    response = http.get(f"/openai/assistants{query}", headers={"api-key": "k"})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("version", ["2024-05-01-preview", "2024-10-01-preview", "2025-04-01-preview"])
def test_v2_api_versions_work(http, version):
    assert http.get(f"/openai/threads/thread_x?api-version={version}", headers={"api-key": "k"}).status_code == 404
    response = http.post(f"/openai/threads?api-version={version}", headers={"api-key": "k"})
    assert response.status_code == 200


def test_azure_needs_no_beta_header_and_object_errors_keep_the_openai_envelope(http):
    response = http.get("/openai/assistants/asst_x?api-version=2024-05-01-preview", headers={"api-key": "k"})
    assert response.status_code == 404
    assert error_of(response)["message"] == "No assistant found with id 'asst_x'."


def test_deployments_path_is_not_an_assistants_route(http):
    response = http.get("/openai/deployments/gpt/assistants?api-version=2024-05-01-preview", headers={"api-key": "k"})
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_azure_over_real_http(emulator_server):
    client = AzureOpenAI(
        azure_endpoint=emulator_server.azure_endpoint, api_key="k", api_version="2024-05-01-preview", max_retries=0
    )
    a = client.beta.assistants.create(model="dep")
    assert client.beta.assistants.retrieve(a.id).id == a.id


@pytest.mark.emulator(api_keys=["az-key"])
def test_entra_bearer_token_is_accepted_like_a_key(emulator_server):
    client = AzureOpenAI(
        azure_endpoint=emulator_server.azure_endpoint,
        azure_ad_token_provider=lambda: "az-key",
        api_version="2024-05-01-preview",
        max_retries=0,
    )
    assert client.beta.threads.create().object == "thread"
