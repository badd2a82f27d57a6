"""Tools and tool_resources as the real service echoes them, each fact with its recording
(../shared/recordings/, named per test)."""

from __future__ import annotations

import json

from conftest import BETA, error_of
from emulator.runs.code_tool import code_files


def test_function_without_parameters_or_strict_gets_both(http):
    """azure-openai AssistantTests/StreamingToolCall.json (2025-01): a function given only a name and a
    description comes back with `parameters: {type: object, properties: {}}` and `strict: false`, keys in
    this order; azure-ai-agents test_submit_tool_outputs_to_run.json (2025-05): `strict: false` is added
    to a function that has parameters."""
    tools = [
        {"type": "function", "function": {"description": "Gets the user's current weather", "name": "get_current_weather"}},
        {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}, "required": []}}},
    ]  # fmt: skip
    body = http.post("/v1/assistants", json={"model": "gpt-4o-mini", "tools": tools}, headers=BETA).get_json()
    first, second = (tool["function"] for tool in body["tools"])
    assert list(first.items()) == [
        ("name", "get_current_weather"), ("description", "Gets the user's current weather"),
        ("parameters", {"type": "object", "properties": {}}), ("strict", False),
    ]  # fmt: skip
    assert second == {"name": "f", "parameters": {"type": "object", "properties": {}, "required": []}, "strict": False}
    assert body["tool_resources"] == {}


def test_a_null_strict_is_echoed_as_false_not_a_500(http):
    """The spec lets `strict` be null; the answer shows the default, as for a function without it."""
    tools = [{"type": "function", "function": {"name": "f", "strict": None}}]
    made = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": tools}, headers=BETA)
    assert made.status_code == 200, made.get_json()
    assert made.get_json()["tools"][0]["function"]["strict"] is False
    thread = http.post("/v1/threads", json={"messages": [{"role": "user", "content": "hi"}]}, headers=BETA).get_json()
    run = http.post(f"/v1/threads/{thread['id']}/runs", headers=BETA,
                    json={"assistant_id": made.get_json()["id"], "tools": tools})  # fmt: skip
    assert run.status_code == 200 and run.get_json()["tools"][0]["function"]["strict"] is False


def test_file_search_accepts_hybrid_search(http):
    """`ranking_options.hybrid_search` is accepted and echoed; its two weights are required numbers."""
    ranking = {"score_threshold": 0.5, "hybrid_search": {"embedding_weight": 0.7, "text_weight": 0.3}}
    tool = {"type": "file_search", "file_search": {"ranking_options": ranking}}
    body = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": [tool]}, headers=BETA).get_json()
    assert body["tools"][0]["file_search"]["ranking_options"] == {"ranker": "default_2024_08_21", **ranking}
    assert body["tool_resources"] == {"file_search": {"vector_store_ids": []}}
    ranking["hybrid_search"] = {"embedding_weight": 0.7}
    response = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": [tool]}, headers=BETA)
    assert response.status_code == 400
    assert error_of(response)["param"] == "tools[0].file_search.ranking_options.hybrid_search.text_weight"


def test_a_run_shows_its_own_tool_resources_not_the_assistants(openai_client, http, emulator):
    """azure-ai-agents test_code_interpreter_tool.json (2025-08): the assistant has code_interpreter files,
    its runs answer `tool_resources: {}` (create and retrieve); the code still sees the files."""
    f = openai_client.files.create(file=("data.txt", b"1,2,3"), purpose="assistants")
    a = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}], tool_resources={"code_interpreter": {"file_ids": [f.id]}}
    )
    t = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    created = http.post(f"/v1/threads/{t.id}/runs", json={"assistant_id": a.id}, headers=BETA).get_json()
    assert created["tool_resources"] == {}
    assert http.get(f"/v1/threads/{t.id}/runs/{created['id']}", headers=BETA).get_json()["tool_resources"] == {}
    backend = emulator.backend()
    run = backend.runs.get(t.id, created["id"])
    assert [c.file_id for c in code_files(backend, run)] == [f.id]


def test_streams_show_the_empty_code_interpreter_slot(http, openai_client):
    """ruby-openai runs_streamed_create.yml (2024-04), azure-openai StreamingToolCall.json (2025-01):
    thread.created and every thread.run.* event carry `{"code_interpreter": {"file_ids": []}}` where the
    REST answers show `{}`."""
    a = openai_client.beta.assistants.create(model="gpt-4o")
    body = {"assistant_id": a.id, "stream": True, "thread": {"messages": [{"role": "user", "content": "hi"}]}}
    text = http.post("/v1/threads/runs", json=body, headers=BETA).get_data(as_text=True)

    seen = []
    for frame in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in frame.splitlines() if ": " in line)
        if lines.get("event", "").startswith(("thread.created", "thread.run.")) and "step" not in lines["event"]:
            seen.append((lines["event"], json.loads(lines["data"])["tool_resources"]))
    assert seen[0] == ("thread.created", {"code_interpreter": {"file_ids": []}})
    assert {str(r) for _, r in seen} == {str({"code_interpreter": {"file_ids": []}})} and len(seen) >= 4
    thread_id = json.loads(text.split("data: ", 1)[1].split("\n", 1)[0])["id"]
    assert http.post(f"/v1/threads/{thread_id}", json={}, headers=BETA).get_json()["tool_resources"] == {}


def test_deleting_a_vector_store_takes_it_out_of_tool_resources(openai_client):
    keep, gone = openai_client.vector_stores.create(), openai_client.vector_stores.create()
    ids = [keep.id, gone.id]
    a = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}], tool_resources={"file_search": {"vector_store_ids": [gone.id]}}
    )
    t = openai_client.beta.threads.create(tool_resources={"file_search": {"vector_store_ids": [gone.id]}})
    t2 = openai_client.beta.threads.create(tool_resources={"file_search": {"vector_store_ids": ids[:1]}})
    openai_client.vector_stores.delete(gone.id)
    assert openai_client.beta.assistants.retrieve(a.id).tool_resources.file_search.vector_store_ids == []
    assert openai_client.beta.threads.retrieve(t.id).tool_resources.file_search.vector_store_ids == []
    assert openai_client.beta.threads.retrieve(t2.id).tool_resources.file_search.vector_store_ids == [keep.id]
