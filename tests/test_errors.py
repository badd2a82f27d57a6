"""Every client mistake gets the real envelope and status; never a 500."""

from __future__ import annotations

import openai
import pytest

from conftest import BETA, error_of
from emulator import errors


@pytest.mark.parametrize(
    "body, status, param, code, message",
    [
        ({}, 400, "model", "missing_required_parameter", "Missing required parameter: 'model'."),
        ({"model": None}, 400, "model", "invalid_type",
         "Invalid type for 'model': expected a string, but got null instead."),
        ({"model": "gpt-4o", "foo": 1}, 400, "foo", "unknown_parameter", "Unknown parameter: 'foo'."),
        ({"model": "gpt-4o", "name": 7}, 400, "name", "invalid_type",
         "Invalid type for 'name': expected a string, but got an integer instead."),
        ({"model": "gpt-4o", "name": "n" * 257}, 400, "name", "string_above_max_length",
         "Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with "
         "length 257 instead."),
        ({"model": "gpt-4o", "description": "d" * 513}, 400, "description", "string_above_max_length", None),
        ({"model": "gpt-4o", "instructions": "i" * 256_001}, 400, "instructions", "string_above_max_length", None),
        ({"model": "gpt-4o", "tools": [{"type": "code_interpreter"}] * 129}, 400, "tools",
         "array_above_max_length", None),
        ({"model": "gpt-4o", "tools": [{"type": "browser"}]}, 400, "tools[0].type", "invalid_value",
         "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'file_search', and 'function'."),
        ({"model": "gpt-4o", "tools": [{"type": "function", "function": {"name": "bad name"}}]}, 400,
         "tools[0].function.name", "invalid_value",
         "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the "
         "pattern '^[a-zA-Z0-9_-]+$'."),
        ({"model": "gpt-4o", "tools": [{"type": "function", "function": {"name": "f" * 65}}]}, 400,
         "tools[0].function.name", "string_above_max_length", None),
        ({"model": "gpt-4o", "tools": [{"type": "function"}]}, 400, "tools[0].function",
         "missing_required_parameter", None),
        ({"model": "gpt-4o", "temperature": 2.5}, 400, "temperature", "decimal_above_max_value",
         "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead."),
        ({"model": "gpt-4o", "temperature": -1}, 400, "temperature", "decimal_below_min_value", None),
        ({"model": "gpt-4o", "top_p": 1.1}, 400, "top_p", "decimal_above_max_value", None),
        ({"model": "gpt-4o", "temperature": "hot"}, 400, "temperature", "invalid_type", None),
        ({"model": "gpt-4o", "metadata": {f"k{i}": "v" for i in range(17)}}, 400, "metadata",
         "object_above_max_properties",
         "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an "
         "object with 17 properties instead."),
        ({"model": "gpt-4o", "metadata": {"k" * 65: "v"}}, 400, "metadata", "string_above_max_length", None),
        ({"model": "gpt-4o", "metadata": {"k": "v" * 513}}, 400, "metadata.k", "string_above_max_length", None),
        ({"model": "gpt-4o", "metadata": "x"}, 400, "metadata", "invalid_type", None),
        ({"model": "gpt-4o", "response_format": {"type": "json_schema"}}, 400, "response_format.json_schema",
         "missing_required_parameter", None),
        ({"model": "gpt-4o", "tool_resources": {"code_interpreter": {"file_ids": ["f"] * 21}}}, 400,
         "tool_resources.code_interpreter.file_ids", "array_above_max_length", None),
        ({"model": "gpt-4o", "tool_resources": {"file_search": {"vector_store_ids": ["a", "b"]}}}, 400,
         "tool_resources.file_search.vector_store_ids", "array_above_max_length", None),
    ],
)  # fmt: skip
def test_assistant_validation(http, body, status, param, code, message):
    response = http.post("/v1/assistants", json=body, headers=BETA)
    assert response.status_code == status
    error = error_of(response)
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")
    if message is not None:
        assert error["message"] == message


def test_limits_at_the_edge_are_accepted(http):
    body = {
        "model": "gpt-4o",
        "name": "n" * 256,
        "description": "d" * 512,
        "metadata": {f"{i:064d}": "v" * 512 for i in range(16)},
        "tools": [{"type": "function", "function": {"name": f"f_{i}"}} for i in range(128)],
        "temperature": 2,
        "top_p": 0,
    }
    assert http.post("/v1/assistants", json=body, headers=BETA).status_code == 200


def test_the_sdk_raises_the_matching_exception(openai_client):
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.beta.assistants.create(model="gpt-4o", temperature=5)
    assert info.value.status_code == 400
    assert info.value.param == "temperature" and info.value.code == "decimal_above_max_value"
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.beta.threads.retrieve("thread_missing")
    assert info.value.body == {
        "message": "No thread found with id 'thread_missing'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


@pytest.mark.parametrize(
    "method, path, message, param",
    [
        ("get", "/v1/assistants/asst_x", "No assistant found with id 'asst_x'.", None),
        ("get", "/v1/threads/thread_x", "No thread found with id 'thread_x'.", None),
        ("get", "/v1/files/file-x", "No such File object: file-x", "id"),
        # recorded: azure-openai VectorStoreTests/CanCreateGetAndDeleteVectorStores.json
        ("get", "/v1/vector_stores/vs_x", "No vector store found with id 'vs_x'.", "vector_store_id"),
        ("delete", "/v1/assistants/asst_x", "No assistant found with id 'asst_x'.", None),
        ("post", "/v1/threads/thread_x/messages", "No thread found with id 'thread_x'.", None),
    ],
)
def test_unknown_ids_are_404(http, method, path, message, param):
    response = getattr(http, method)(path, json={} if method == "post" else None, headers=BETA)
    assert response.status_code == 404
    assert (error_of(response)["message"], error_of(response)["param"]) == (message, param)


def test_not_found_answers_come_from_the_catalogue_data(monkeypatch):
    """Each kind's message, param and code are the catalogue's entry, with no per-kind branch in the code."""
    catalogue = errors._NOT_FOUND
    for kind, entry in catalogue.items():
        error = errors.not_found(kind, "x_1", parent="p_1")
        assert (error.status, error.param, error.code) == (404, entry.param, entry.code)
        assert error.message == entry.message.format(id="x_1", parent="p_1")
    for kind in ("vector_store", "file", "model"):
        monkeypatch.setitem(catalogue, kind, catalogue[kind]._replace(param="changed", code="changed_code"))
        assert (errors.not_found(kind, "x_1").param, errors.not_found(kind, "x_1").code) == ("changed", "changed_code")


def test_unknown_route_and_wrong_method(http):
    response = http.get("/v1/not-a-thing", headers=BETA)
    assert response.status_code == 404
    assert error_of(response)["message"] == "Invalid URL (GET /v1/not-a-thing)"
    response = http.put("/v1/assistants", headers=BETA)
    assert response.status_code == 405
    assert error_of(response)["message"] == "Invalid method for URL (PUT /v1/assistants)"
    assert http.patch("/v1/threads/thread_x", headers=BETA).status_code == 405
    assert http.get("/nowhere").status_code == 404


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_malformed_bodies(http, raw):
    response = http.post("/v1/assistants", data=raw, headers={**BETA, "Content-Type": "application/json"})
    assert response.status_code == 400
    error_of(response)


def test_beta_header_is_required_on_assistants_paths(http):
    headers = {"Authorization": "Bearer k"}
    response = http.get("/v1/assistants", headers=headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_beta"
    response = http.get("/v1/threads/thread_x", headers={**headers, "OpenAI-Beta": "assistants=v1"})
    assert response.status_code == 400 and "v1 Assistants API has been deprecated" in error_of(response)["message"]
    # files, vector stores and models do not need it
    assert http.get("/v1/files", headers=headers).status_code == 200
    assert http.get("/v1/vector_stores", headers=headers).status_code == 200
    assert http.get("/v1/models", headers=headers).status_code == 200


@pytest.mark.emulator(require_beta_header=False)
def test_beta_header_requirement_can_be_lifted(http):
    assert http.get("/v1/assistants", headers={"Authorization": "Bearer k"}).status_code == 200


@pytest.mark.emulator(api_keys=["key-one-aaaaaaaaaaaa", "key-two-bbbbbbbbbbbb"])
def test_auth_and_key_isolation(http):
    one = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer key-one-aaaaaaaaaaaa"}
    two = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer key-two-bbbbbbbbbbbb"}
    response = http.get("/v1/assistants", headers={"OpenAI-Beta": "assistants=v2", "Authorization": ""})
    assert response.status_code == 401
    assert error_of(response)["message"].startswith("You didn't provide an API key.")
    response = http.get("/v1/assistants", headers={**one, "Authorization": "Bearer sk-wrong-key-123456789"})
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "invalid_api_key" and "sk-wrong" in error["message"] and "123456789" not in error["message"]
    created = http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=one).get_json()
    assert http.get(f"/v1/assistants/{created['id']}", headers=one).status_code == 200
    assert http.get(f"/v1/assistants/{created['id']}", headers=two).status_code == 404
    assert http.get("/v1/assistants", headers=two).get_json()["data"] == []
    assert [a["id"] for a in http.get("/v1/assistants", headers=one).get_json()["data"]] == [created["id"]]


@pytest.mark.emulator(api_keys=["k-azure"])
def test_azure_auth_failure_has_the_gateway_shape(http):
    response = http.get("/openai/assistants?api-version=2024-05-01-preview", headers={"api-key": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "401"
    ok = http.get("/openai/assistants?api-version=2024-05-01-preview", headers={"api-key": "k-azure"})
    assert ok.status_code == 200


def test_no_client_mistake_is_a_500(http):
    """A sweep of odd inputs over every create endpoint: 4xx, never 5xx."""
    thread = http.post("/v1/threads", headers=BETA).get_json()["id"]
    store = http.post("/v1/vector_stores", json={}, headers=BETA).get_json()["id"]
    paths = [
        "/v1/assistants", "/v1/threads", f"/v1/threads/{thread}", f"/v1/threads/{thread}/messages",
        "/v1/vector_stores", f"/v1/vector_stores/{store}", f"/v1/vector_stores/{store}/files",
        f"/v1/vector_stores/{store}/file_batches", "/v1/files",
    ]  # fmt: skip
    bodies = [
        None, [], "x", 1, {"model": []}, {"messages": "x"}, {"messages": [1]}, {"tool_resources": 3},
        {"role": "user", "content": [{"type": "image_url", "image_url": {}}]}, {"file_ids": [1]},
        {"file_id": None}, {"files": [{}]}, {"chunking_strategy": {"type": "static"}}, {"expires_after": {}},
        {"metadata": None}, {"tool_resources": {"file_search": {}}},
    ]  # fmt: skip
    for path in paths:
        for body in bodies:
            response = http.post(path, json=body, headers=BETA)
            assert response.status_code < 500, (path, body, response.get_data(as_text=True))
