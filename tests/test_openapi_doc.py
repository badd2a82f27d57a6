"""The emulator's own OpenAPI document at /openapi.json: served, valid OpenAPI 3.1, covering every
route, and describing the answers the emulator really gives."""

from __future__ import annotations

import io
import json

import jsonschema
import openai
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import BETA
from emulator.app import dispatcher_of
from emulator.openapi import BYTES, OPERATIONS, document
from emulator.routes import api_routes

FUNCTION = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}
CALLER = {"name": "caller", "turns": [
    {"when": {"tool_outputs": True}, "do": [{"reply": "Got {{ outputs[0].output }}"}]},
    {"do": [{"call": "lookup", "arguments": {}}]},
]}  # fmt: skip


def test_the_document_is_served_and_valid(openai_client, emulator_server) -> None:
    doc = openai_client.get("/../openapi.json", cast_to=object)
    validate(doc)
    over_http = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key="k").get(
        "/../openapi.json", cast_to=object
    )
    assert over_http == doc == json.loads(json.dumps(document()))
    assert doc["info"]["title"] == "assistants-emulator" and doc["servers"] == [{"url": "/v1"}]


def test_every_route_is_described_once() -> None:
    views = {route.view.__name__ for route in api_routes()}
    assert views == set(OPERATIONS), "emulator/openapi.py OPERATIONS must name every route's view"
    ids = [op["operationId"] for ops in document()["paths"].values() for op in ops.values()]
    assert sorted(ids) == sorted(views)


def _checker():
    doc = document()
    registry = Registry().with_resource("urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012))
    by_view = {
        op["operationId"]: op["responses"]["200"]["content"].get("application/json", {}).get("schema")
        for ops in doc["paths"].values()
        for op in ops.values()
    }

    def check(http, response, method: str, path: str) -> None:
        assert response.status_code == 200, response.get_data()[:300]
        (route, _shape, _mount), _ = dispatcher_of(http.application).adapter.match(path.split("?")[0], method)
        schema = by_view[route.view.__name__]
        if OPERATIONS[route.view.__name__][0] is BYTES:
            return
        ref = {"$ref": "urn:doc#/components/schemas/" + schema["$ref"].rsplit("/", 1)[1]}
        jsonschema.Draft202012Validator(ref, registry=registry).validate(response.get_json())

    return check


def test_the_document_describes_real_answers(http, emulator) -> None:
    """A session over every kind of object; each answer validated against the document."""
    emulator.models.register_many([CALLER])
    check = _checker()

    def call(method: str, path: str, **kwargs):
        response = http.open(path, method=method, headers=BETA, **kwargs)
        check(http, response, method, path)
        return response.get_json() if response.content_type.startswith("application/json") else None

    asst = call("POST", "/v1/assistants", json={"model": "caller", "tools": [FUNCTION, {"type": "file_search"}],
                                                 "metadata": {"k": "v"}})  # fmt: skip
    call("GET", "/v1/assistants?limit=2")
    call("GET", f"/v1/assistants/{asst['id']}")
    call("POST", f"/v1/assistants/{asst['id']}", json={"name": "renamed"})
    thread = call("POST", "/v1/threads", json={"messages": [{"role": "user", "content": "hi"}]})
    message = call("POST", f"/v1/threads/{thread['id']}/messages", json={"role": "user", "content": "more"})
    call("GET", f"/v1/threads/{thread['id']}/messages")
    call("POST", f"/v1/threads/{thread['id']}/messages/{message['id']}", json={"metadata": {"a": "b"}})
    run = call("POST", f"/v1/threads/{thread['id']}/runs", json={"assistant_id": asst["id"]})
    run = call("GET", f"/v1/threads/{thread['id']}/runs/{run['id']}")
    assert run["status"] == "requires_action"
    tool_call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    call("POST", f"/v1/threads/{thread['id']}/runs/{run['id']}/submit_tool_outputs",
         json={"tool_outputs": [{"tool_call_id": tool_call["id"], "output": "42"}]})  # fmt: skip
    steps = call("GET", f"/v1/threads/{thread['id']}/runs/{run['id']}/steps")
    call("GET", f"/v1/threads/{thread['id']}/runs/{run['id']}/steps/{steps['data'][0]['id']}")
    call("GET", f"/v1/threads/{thread['id']}/runs")
    upload = call("POST", "/v1/files", data={"purpose": "assistants", "file": (io.BytesIO(b"refund policy"), "p.txt")})
    call("GET", "/v1/files")
    store = call("POST", "/v1/vector_stores", json={"name": "docs", "file_ids": [upload["id"]]})
    call("GET", f"/v1/vector_stores/{store['id']}/files")
    call("POST", f"/v1/vector_stores/{store['id']}/files/{upload['id']}", json={"attributes": {"year": 2024}})
    batch = call("POST", f"/v1/vector_stores/{store['id']}/file_batches", json={"file_ids": [upload["id"]]})
    call("GET", f"/v1/vector_stores/{store['id']}/file_batches/{batch['id']}/files")
    call("POST", f"/v1/vector_stores/{store['id']}/search", json={"query": "refund"})
    call("GET", "/v1/models")
    call("GET", "/v1/models/gpt-4o")
    call("DELETE", f"/v1/vector_stores/{store['id']}")
    call("DELETE", f"/v1/threads/{thread['id']}")
    call("DELETE", f"/v1/assistants/{asst['id']}")
