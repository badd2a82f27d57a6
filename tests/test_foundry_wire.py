"""Foundry Agents' shape on the wire (issue 12): `/api/projects/{project}/...?api-version=v1`
with a bearer token, and what differs from the OpenAI shape. Raw requests, as the
azure-ai-agents SDK sends them (see emulator/foundry.py for the source of each rule)."""

from __future__ import annotations

import io
import json

import pytest

from conftest import error_of
from emulator.contract.sse import parse_sse

BASE = "/api/projects/my-project"
V1 = {"api-version": "v1"}
TOKEN = {"Authorization": "Bearer an-entra-token", "Accept": "application/json"}
BING = {"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"connection_id": "conn-1"}]}}


def call(http, method: str, path: str, *, query=None, headers=None, **kwargs):
    query = V1 if query is None else query
    return http.open(
        BASE + path, method=method, query_string=query, headers=TOKEN if headers is None else headers, **kwargs
    )


def gateway_error(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]


def test_api_version_is_required_and_checked(http) -> None:
    missing = call(http, "GET", "/assistants", query={})
    assert missing.status_code == 400
    assert gateway_error(missing)["message"] == "Missing required query parameter: api-version"
    wrong = call(http, "GET", "/assistants", query={"api-version": "2024-05-01-preview"})
    assert wrong.status_code == 400 and "Unsupported api-version" in gateway_error(wrong)["message"]
    # 1.x, the 1.2 betas, and the hub endpoint's version (azure-ai-agents test_submit_tool_outputs_to_run.json)
    for version in ("v1", "2025-05-15-preview", "2025_05_01"):
        assert call(http, "GET", "/assistants", query={"api-version": version}).status_code == 200


def test_a_bearer_token_is_needed_and_no_beta_header(http) -> None:
    http.environ_base.pop("HTTP_AUTHORIZATION")
    for headers in ({}, {"api-key": "k"}, {"Authorization": "Basic abc"}):
        refused = call(http, "GET", "/assistants", headers=headers)
        assert refused.status_code == 401 and gateway_error(refused)["code"] == "PermissionDenied"
    assert call(http, "POST", "/threads", json={}).status_code == 200  # no OpenAI-Beta header sent


@pytest.mark.emulator(api_keys=["key-a", "key-b"])
def test_with_keys_the_token_is_the_key(http, agents_client) -> None:
    assert call(http, "GET", "/assistants", headers={"Authorization": "Bearer not-a-key"}).status_code == 401
    mine = call(http, "POST", "/assistants", headers={"Authorization": "Bearer key-b"}, json={"model": "gpt-4o"})
    assert mine.status_code == 200
    assert [a.id for a in agents_client.list_agents()] == []  # the fixture's token is the first key
    listed = call(http, "GET", "/assistants", headers={"Authorization": "Bearer key-b"}).get_json()
    assert [a["id"] for a in listed["data"]] == [mine.get_json()["id"]]


def test_the_project_name_selects_nothing(http) -> None:
    agent = call(http, "POST", "/assistants", json={"model": "gpt-4o"}).get_json()
    other = http.get(f"/api/projects/another/assistants/{agent['id']}", query_string=V1, headers=TOKEN)
    assert other.status_code == 200
    # and the OpenAI shape of the same key sees it too (same namespace)
    same = http.get(f"/v1/assistants/{agent['id']}", headers={"OpenAI-Beta": "assistants=v2"})
    assert same.get_json()["id"] == agent["id"]


def test_threads_list_pages_end_with_null_ids(http) -> None:
    empty = call(http, "GET", "/threads").get_json()
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    ids = [call(http, "POST", "/threads", json={}).get_json()["id"] for _ in range(3)]
    page = call(http, "GET", "/threads", query={**V1, "limit": "2", "order": "asc"}).get_json()
    assert [t["id"] for t in page["data"]] == ids[:2] and page["has_more"] is True
    last = call(http, "GET", "/threads", query={**V1, "order": "asc", "after": ids[-1]}).get_json()
    assert (last["data"], last["first_id"], last["last_id"], last["has_more"]) == ([], None, None, False)


def test_the_openai_shape_keeps_its_routes(http) -> None:
    beta = {"OpenAI-Beta": "assistants=v2"}
    assert http.get("/v1/threads", headers=beta).status_code == 405  # no threads list there
    assert http.get("/v1/models").status_code == 200


def test_routes_a_project_does_not_serve(http) -> None:
    thread = call(http, "POST", "/threads", json={"messages": [{"role": "user", "content": "hi"}]}).get_json()
    message = call(http, "GET", f"/threads/{thread['id']}/messages").get_json()["data"][0]
    store = call(http, "POST", "/vector_stores", json={}).get_json()
    for method, path in (
        ("DELETE", f"/threads/{thread['id']}/messages/{message['id']}"),
        ("POST", f"/vector_stores/{store['id']}/search"),
        ("GET", "/models"),
    ):
        answer = call(http, method, path, json={"query": "x"} if method == "POST" else None)
        assert answer.status_code == 404, (method, path)
        assert answer.get_json()["error"]["message"].startswith("Invalid URL")


def queue(name: str) -> dict:
    return {"type": "storage_queue", "storage_queue": {"queue_service_endpoint": "https://q", "queue_name": name}}


#: As azure-ai-agents' AzureFunctionTool sends it (its endpoint is `queue_service_endpoint` on the wire).
AZURE_FUNCTION = {"function": {"name": "f", "description": "d", "parameters": {"type": "object"}},
                  "input_binding": queue("in"), "output_binding": queue("out")}  # fmt: skip


def test_azure_tools_are_stored_as_given_on_foundry_only(http) -> None:
    tools = [
        BING,
        {"type": "azure_ai_search"},
        {"type": "connected_agent", "connected_agent": {"id": "asst_x", "name": "helper", "description": "helps"}},
        {"type": "openapi", "openapi": {"name": "w", "spec": {"openapi": "3.0.0"}, "auth": {"type": "anonymous"}}},
        {"type": "azure_function", "azure_function": AZURE_FUNCTION},
        {"type": "mcp", "server_label": "docs", "server_url": "http://127.0.0.1:1/mcp", "allowed_tools": []},
    ]
    resources = {"azure_ai_search": {"indexes": [{"index_connection_id": "c", "index_name": "i"}]}}
    body = {"model": "gpt-4o", "tools": tools, "tool_resources": resources}
    agent = call(http, "POST", "/assistants", json=body).get_json()
    assert agent["tools"] == tools and agent["tool_resources"] == resources
    again = call(http, "GET", f"/assistants/{agent['id']}").get_json()
    assert again["tools"] == tools
    beta = {"OpenAI-Beta": "assistants=v2"}
    for tool in tools:  # the OpenAI shape refuses them, as the real service does
        refused = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": [tool]}, headers=beta)
        assert refused.status_code == 400 and refused.get_json()["error"]["param"] == "tools[0].type"
    refused = http.post("/v1/assistants", json={"model": "gpt-4o", "tool_resources": resources}, headers=beta)
    assert refused.get_json()["error"]["message"] == "Unknown parameter: 'tool_resources.azure_ai_search'."
    wrong = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": [{"type": "bing_grounding"}]})
    assert wrong.get_json()["error"]["message"] == "Missing required parameter: 'tools[0].bing_grounding'."


CONNECTED = {"id": "asst_x", "name": "helper", "description": "helps"}
OPENAPI = {"name": "w", "spec": {"openapi": "3.0.0"}, "auth": {"type": "anonymous"}}


@pytest.mark.parametrize(
    "tool, param, problem",
    [
        ({"type": "connected_agent", "connected_agent": {**CONNECTED, "id": 5}}, "connected_agent.id", "invalid_type"),
        ({"type": "connected_agent", "connected_agent": {"id": "asst_x"}}, "connected_agent.name",
         "missing_required_parameter"),
        ({"type": "openapi", "openapi": {**OPENAPI, "spec": "openapi.json"}}, "openapi.spec", "invalid_type"),
        ({"type": "openapi", "openapi": {**OPENAPI, "auth": {}}}, "openapi.auth.type", "missing_required_parameter"),
        ({"type": "openapi", "openapi": {**OPENAPI, "name": None}}, "openapi.name", "invalid_type"),
        ({"type": "bing_grounding", "bing_grounding": {}}, "bing_grounding.search_configurations",
         "missing_required_parameter"),
        ({"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"connection_id": 7}]}},
         "bing_grounding.search_configurations[0].connection_id", "invalid_type"),
        ({"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"connection_id": "c", "count": "5"}]}},
         "bing_grounding.search_configurations[0].count", "invalid_type"),
        ({"type": "bing_custom_search", "bing_custom_search": {"search_configurations": [{"connection_id": "c"}]}},
         "bing_custom_search.search_configurations[0].instance_name", "missing_required_parameter"),
        ({"type": "azure_function", "azure_function": {**AZURE_FUNCTION, "output_binding": {**queue("o"), "type": "x"}}},
         "azure_function.output_binding.type", "invalid_value"),
        ({"type": "azure_function", "azure_function": {**AZURE_FUNCTION, "function": {"name": "f"}}},
         "azure_function.function.parameters", "missing_required_parameter"),
        ({"type": "mcp", "server_label": ["docs"], "server_url": "http://127.0.0.1:1/mcp"}, "server_label",
         "invalid_type"),
    ],
)  # fmt: skip
def test_azure_tool_settings_of_the_wrong_shape_are_refused_naming_the_param(http, tool, param, problem) -> None:
    """The settings the SDK's models (azure-ai-agents `_models.py`) require, of their types: a
    400 in the envelope naming the parameter, on create, update, and a run's own tools."""
    for tools in ([tool], [{"type": "code_interpreter"}, tool]):
        at = f"tools[{len(tools) - 1}].{param}"
        refused = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": tools})
        assert refused.status_code == 400
        assert (error_of(refused)["param"], error_of(refused)["code"]) == (at, problem), error_of(refused)
    agent = call(http, "POST", "/assistants", json={"model": "gpt-4o"}).get_json()
    updated = call(http, "POST", f"/assistants/{agent['id']}", json={"tools": [tool]})
    assert updated.status_code == 400 and error_of(updated)["param"] == f"tools[0].{param}"
    thread = call(http, "POST", "/threads", json={}).get_json()
    run = call(http, "POST", f"/threads/{thread['id']}/runs", json={"assistant_id": agent["id"], "tools": [tool]})
    assert run.status_code == 400 and error_of(run)["param"] == f"tools[0].{param}"


def test_runs_take_tool_resources_and_a_comma_joined_include(http) -> None:
    file = call(http, "POST", "/files", data={"purpose": "assistants", "file": (io.BytesIO(b"x = 1"), "a.py")})
    assert file.status_code == 200, file.get_json()
    agent = call(http, "POST", "/assistants", json={"model": "echo", "tools": [{"type": "code_interpreter"}]})
    thread = call(http, "POST", "/threads", json={"messages": [{"role": "user", "content": "hi"}]}).get_json()
    include = "step_details.tool_calls[*].file_search.results[*].content"
    body = {
        "assistant_id": agent.get_json()["id"],
        "tool_resources": {"code_interpreter": {"file_ids": [file.get_json()["id"]]}},
    }
    run = call(http, "POST", f"/threads/{thread['id']}/runs", query={**V1, "include[]": include}, json=body)
    assert run.status_code == 200, run.get_json()
    assert run.get_json()["tool_resources"] == {"code_interpreter": {"file_ids": [file.get_json()["id"]]}}
    # the value is cut at its commas: each part is checked (the OpenAI shape takes the whole as one value)
    for joined, status in ((f"{include},{include}", 200), (f"{include},bogus", 400)):
        thread = call(http, "POST", "/threads", json={"messages": [{"role": "user", "content": "hi"}]}).get_json()
        answer = call(http, "POST", f"/threads/{thread['id']}/runs", query={**V1, "include[]": joined}, json=body)
        assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["error"]["message"].startswith("Invalid value: 'bogus'.")
    beta = {"OpenAI-Beta": "assistants=v2"}
    refused = http.post(f"/v1/threads/{thread['id']}/runs", json=body, headers=beta)
    assert refused.status_code == 400 and refused.get_json()["error"]["param"] == "tool_resources"


def test_an_upload_named_by_its_filename_field(http) -> None:
    """azure-core sends `file` as a part without a file name, and the name in `filename`."""
    png = b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary"
    boundary = "b0undary"
    parts = [("purpose", None, b"assistants"), ("filename", None, b"chart.png"), ("file", None, png)]
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
            for name, _, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    headers = {**TOKEN, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    uploaded = call(http, "POST", "/files", headers=headers, data=body)
    assert uploaded.status_code == 200, uploaded.get_json()
    assert (uploaded.get_json()["filename"], uploaded.get_json()["bytes"]) == ("chart.png", len(png))
    # the filename field wins over the part's own name
    form = {"purpose": "assistants", "filename": "b.md", "file": (io.BytesIO(b"# b"), "a.md")}
    named = call(http, "POST", "/files", data=form)
    assert named.get_json()["filename"] == "b.md"
    missing = call(http, "POST", "/files", data={"purpose": "assistants"})
    assert missing.status_code == 400


def test_streams_are_asked_by_the_body_and_framed_for_the_sdk(http) -> None:
    agent = call(http, "POST", "/assistants", json={"model": "gpt-4o"}).get_json()
    thread = call(http, "POST", "/threads", json={"messages": [{"role": "user", "content": "a b c"}]}).get_json()
    body = {"assistant_id": agent["id"], "stream": True}
    answer = call(http, "POST", f"/threads/{thread['id']}/runs", json=body)  # Accept: application/json
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    text = answer.get_data(as_text=True)
    frames = [frame for frame in text.split("\n\n") if frame.strip()]
    for frame in frames:  # the SDK's parser: an event line, then one data line of JSON
        event, data = frame.split("\n")
        assert event.startswith("event: ") and data.startswith("data: ")
        if event != "event: done":
            json.loads(data[len("data: ") :])
    events = [name for name, _ in parse_sse(text)]
    assert events[0] == "thread.run.created" and events[-2:] == ["thread.run.completed", "done"]


def test_rest_steps_leave_out_code_logs_but_streams_and_openai_keep_them(http) -> None:
    """azure-ai-agents test_code_interpreter_tool.json (2025-08-21): two cells that printed a value and raised show
    `outputs: []` in the steps list; the emulator's logs stay in stream events and on the other shapes."""
    code = "Run this:\n```python\nprint(6 * 7)\n```"
    agent = call(http, "POST", "/assistants", json={"model": "gpt-4o", "tools": [{"type": "code_interpreter"}]})
    thread = call(http, "POST", "/threads", json={"messages": [{"role": "user", "content": code}]}).get_json()
    text = call(http, "POST", f"/threads/{thread['id']}/runs",
                json={"assistant_id": agent.get_json()["id"], "stream": True}).get_data(as_text=True)  # fmt: skip
    done = [data for name, data in parse_sse(text) if name == "thread.run.step.completed"]
    streamed = [d["step_details"]["tool_calls"][0] for d in done if d["type"] == "tool_calls"]
    assert streamed[0]["code_interpreter"]["outputs"] == [{"type": "logs", "logs": "42\n"}]
    steps = call(http, "GET", f"/threads/{thread['id']}/runs/{done[0]['run_id']}/steps").get_json()["data"]
    (listed,) = [s["step_details"]["tool_calls"][0] for s in steps if s["type"] == "tool_calls"]
    assert listed["code_interpreter"] == {"input": streamed[0]["code_interpreter"]["input"], "outputs": []}
    beta = {"OpenAI-Beta": "assistants=v2"}
    openai = http.get(f"/v1/threads/{thread['id']}/runs/{done[0]['run_id']}/steps", headers=beta).get_json()["data"]
    (shown,) = [s["step_details"]["tool_calls"][0] for s in openai if s["type"] == "tool_calls"]
    assert shown["code_interpreter"]["outputs"] == [{"type": "logs", "logs": "42\n"}]
