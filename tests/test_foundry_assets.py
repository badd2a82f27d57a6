"""Foundry's `tool_resources.code_interpreter.data_sources` (emulator/domain/assets.py): a data asset, registered
with the emulator, becomes an `assistant-…` file the code really reads, as the service answered in azure-ai-agents
test_code_interpreter_tool.json (2025-08-21: the uri_asset came back as `file_ids`, `data_sources` not echoed)."""

from __future__ import annotations

import base64
import re

import pytest

from conftest import error_of, needed
from emulator import Emulator
from emulator.contract import fixture

needed("azure.ai.agents")

from azure.ai.agents.models import (  # noqa: E402
    CodeInterpreterToolDefinition,
    CodeInterpreterToolResource,
    MessageRole,
    ToolResources,
    VectorStoreDataSource,
)
from azure.core.exceptions import HttpResponseError  # noqa: E402
from test_foundry_wire import call  # noqa: E402

SALES = "azureai://accounts/acct/projects/proj/data/sales/versions/1"
CSV = "region,units\nnorth,12\nsouth,30\n"


def sources(uri: str = SALES, kind: str = "uri_asset") -> dict:
    return {"code_interpreter": {"data_sources": [{"uri": uri, "type": kind}]}}


def test_a_registered_asset_becomes_a_file_the_code_reads(agents_client, emulator) -> None:
    emulator.register_asset(SALES, CSV, filename="sales.csv")
    resources = ToolResources(
        code_interpreter=CodeInterpreterToolResource(
            data_sources=[VectorStoreDataSource(asset_identifier=SALES, asset_type="uri_asset")]
        )
    )
    agent = agents_client.create_agent(
        model="gpt-4o", tools=[CodeInterpreterToolDefinition()], tool_resources=resources
    )
    assert set(agent.as_dict()["tool_resources"]["code_interpreter"]) == {"file_ids"}  # data_sources not echoed
    (file_id,) = agent.tool_resources.code_interpreter.file_ids
    assert file_id.startswith("assistant-")
    file = agents_client.files.get(file_id)
    assert (file.filename, file.purpose, file.bytes) == ("sales.csv", "assistants", len(CSV))
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="Summarise the data in the file")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == "completed", run.last_error
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert "2 rows, 2 columns: region, units" in reply.text.value  # describe() ran on the asset's rows
    assert "21.0" in reply.text.value  # the mean of units


def test_each_use_makes_its_own_file_and_the_name_comes_from_the_uri(http, emulator) -> None:
    emulator.register_asset(SALES, CSV)  # no filename: the asset's name in the URI
    emulator.register_asset("azureai://x/data/notes.md", b"# notes\n")
    tools = [{"type": "code_interpreter"}]
    first = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": tools, "tool_resources": sources()})
    message = {"role": "user", "content": "hi"}
    thread = call(http, "POST", "/threads", json={"messages": [message], "tool_resources": sources(SALES, "id_asset")})
    assert first.status_code == thread.status_code == 200, (first.get_json(), thread.get_json())
    ids = [first.get_json()["tool_resources"]["code_interpreter"]["file_ids"][0],
           thread.get_json()["tool_resources"]["code_interpreter"]["file_ids"][0]]  # fmt: skip
    assert ids[0] != ids[1]
    names = {emulator.backend().files.get(i).filename for i in ids}
    assert names == {"sales"}
    run = call(http, "POST", f"/threads/{thread.get_json()['id']}/runs",
               json={"assistant_id": first.get_json()["id"], "tool_resources": sources("azureai://x/data/notes.md")})  # fmt: skip
    assert run.status_code == 200, run.get_json()
    (notes,) = run.get_json()["tool_resources"]["code_interpreter"]["file_ids"]
    assert emulator.backend().files.get(notes).filename == "notes.md"


def test_bad_data_sources_are_refused_with_the_envelope(http, emulator) -> None:
    tools = [{"type": "code_interpreter"}]
    unknown = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": tools, "tool_resources": sources()})
    assert unknown.status_code == 400
    error = error_of(unknown)
    assert error["param"] == "tool_resources.code_interpreter.data_sources[0]"
    assert SALES in error["message"] and "register_asset" in error["message"]
    emulator.register_asset(SALES, CSV)
    file = emulator.backend().files.store(filename="a.csv", content=b"a\n1\n", purpose="assistants")
    both = {"code_interpreter": {"file_ids": [file.id], "data_sources": [{"uri": SALES, "type": "uri_asset"}]}}
    answer = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": tools, "tool_resources": both})
    assert answer.status_code == 400 and "mutually exclusive" in error_of(answer)["message"]
    kind = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tool_resources": sources(SALES, "blob")})
    assert kind.status_code == 400 and error_of(kind)["param"].startswith("tool_resources.code_interpreter")
    # the OpenAI shape has no data_sources, as OpenAI does not
    openai = http.post("/v1/assistants", json={"model": "gpt-4o", "tool_resources": sources()},
                       headers={"OpenAI-Beta": "assistants=v2"})  # fmt: skip
    assert openai.status_code == 400 and "data_sources" in error_of(openai)["message"]
    later = {**sources(), "file_search": {"vector_store_ids": ["vs_nope"]}}  # refused after the asset was found
    answer = call(http, "POST", "/threads", json={"tool_resources": later})
    assert answer.status_code == 404 and error_of(answer)["param"] == "tool_resources.file_search.vector_store_ids[0]"
    assert emulator.backend().ns.files.get(file.id) and len(emulator.backend().ns.files) == 1  # nothing half made


def test_the_sdk_sees_an_unknown_asset_as_a_400(agents_client) -> None:
    resources = ToolResources(
        code_interpreter=CodeInterpreterToolResource(
            data_sources=[VectorStoreDataSource(asset_identifier="azureai://nowhere", asset_type="uri_asset")]
        )
    )
    with pytest.raises(HttpResponseError) as raised:
        agents_client.create_agent(model="gpt-4o", tools=[CodeInterpreterToolDefinition()], tool_resources=resources)
    assert raised.value.status_code == 400 and "azureai://nowhere" in str(raised.value)


def test_the_admin_api_registers_and_lists_assets(http) -> None:
    text = http.post("/_emulator/assets", json={"uri": SALES, "content": CSV, "filename": "sales.csv"})
    assert text.get_json() == {"uri": SALES, "filename": "sales.csv", "bytes": len(CSV)}
    raw = http.post("/_emulator/assets", json={"uri": "u:png", "content_base64": base64.b64encode(b"\x89PNG").decode()})
    assert raw.get_json() == {"uri": "u:png", "filename": "u:png", "bytes": 4}
    assert [a["uri"] for a in http.get("/_emulator/assets").get_json()["assets"]] == [SALES, "u:png"]
    for body, param in (
        ({"uri": SALES}, "content"),
        ({"uri": SALES, "content": "a", "content_base64": "YQ=="}, "content"),
        ({"uri": SALES, "content_base64": "not base64!"}, "content_base64"),
        ({"uri": SALES, "content": 3}, "content"),
        ({"content": "a"}, "uri"),
        ({"uri": SALES, "content": "a", "filename": ""}, "filename"),
        ({"uri": SALES, "content": "a", "tenant": "not-a-key"}, "tenant"),
    ):
        answer = http.post("/_emulator/assets", json=body)
        if body.get("tenant"):  # without API keys every key names the one namespace
            assert answer.status_code == 200
            continue
        assert answer.status_code == 400 and error_of(answer)["param"] == param, (body, answer.get_json())


@pytest.mark.emulator(api_keys=["key-a", "key-b"])
def test_assets_belong_to_a_namespace(http, emulator) -> None:
    answer = http.post("/_emulator/assets", json={"uri": SALES, "content": CSV, "tenant": "key-b"})
    assert answer.status_code == 200
    assert http.post("/_emulator/assets", json={"uri": SALES, "content": CSV, "tenant": "nope"}).status_code == 400
    assert http.get("/_emulator/assets", query_string={"tenant": "key-b"}).get_json()["assets"][0]["uri"] == SALES
    assert http.get("/_emulator/assets").get_json() == {"assets": []}  # key-a's namespace
    body = {"model": "gpt-4o", "tool_resources": sources()}
    assert call(http, "POST", "/assistants", json=body, headers={"Authorization": "Bearer key-a"}).status_code == 400
    assert call(http, "POST", "/assistants", json=body, headers={"Authorization": "Bearer key-b"}).status_code == 200


def test_assets_are_kept_in_the_data_directory_until_a_reset(tmp_path) -> None:
    first = Emulator(data_dir=str(tmp_path))
    first.register_asset(SALES, b"\x00\x01binary", filename="blob.bin")
    first.close()
    again = Emulator(data_dir=str(tmp_path))
    try:
        (asset,) = again.backend().assets.list()
        assert (asset.uri, asset.filename, asset.content) == (SALES, "blob.bin", b"\x00\x01binary")
        again.reset()
        assert again.backend().assets.list() == []
    finally:
        again.close()


def test_a_fixture_registers_its_assets_and_checks_their_form() -> None:
    base = {"source": "s", "shape": "foundry", "exchanges": [{"request": {"method": "GET", "path": "/api/projects/p/x"},
                                                               "response": {"status": 200}}]}  # fmt: skip
    loaded = fixture.from_dict({**base, "emulator": {"assets": [{"uri": SALES, "content": CSV}]}})
    assert loaded.emulator["assets"] == [{"uri": SALES, "content": CSV}]
    for assets, where in (("x", "emulator.assets"), ([{"uri": SALES}], "emulator.assets[0]"),
                          ([{"uri": 1, "content": ""}], "emulator.assets[0].uri")):  # fmt: skip
        with pytest.raises(fixture.FixtureError, match=re.escape(where + ":")):
            fixture.from_dict({**base, "emulator": {"assets": assets}})
