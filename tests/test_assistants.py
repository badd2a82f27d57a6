"""Assistants: the real object, defaults, tools, tool_resources, modify semantics, delete."""

from __future__ import annotations

import openai
import pytest

from conftest import BETA, error_of

FUNCTION = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def test_create_returns_the_real_object_with_defaults(http, emulator):
    response = http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA)
    assert response.status_code == 200
    body = response.get_json()
    # the keys and their order as recorded (ruby-openai run_steps_retrieve_assistant_setup.yml, 2025-03-14)
    assert list(body) == [
        "id", "object", "created_at", "name", "description", "model", "instructions", "tools", "top_p",
        "temperature", "reasoning_effort", "tool_resources", "metadata", "response_format",
    ]  # fmt: skip
    assert body["reasoning_effort"] is None
    assert body["id"].startswith("asst_") and len(body["id"]) == len("asst_") + 24
    assert body["object"] == "assistant"
    assert body["created_at"] == emulator.clock.now()
    assert body["name"] is None and body["description"] is None and body["instructions"] is None
    assert body["tools"] == [] and body["tool_resources"] == {} and body["metadata"] == {}
    assert body["temperature"] == 1.0 and body["top_p"] == 1.0 and body["response_format"] == "auto"


def test_create_echoes_every_field(openai_client):
    a = openai_client.beta.assistants.create(
        model="gpt-4o-mini",
        name="Math Tutor",
        description="Helps with maths",
        instructions="You are a personal math tutor.",
        tools=[{"type": "code_interpreter"}, FUNCTION, {"type": "file_search", "file_search": {"max_num_results": 5}}],
        metadata={"team": "a"},
        temperature=0.2,
        top_p=0.9,
        response_format={"type": "json_object"},
    )
    assert (a.model, a.name, a.description, a.instructions) == (
        "gpt-4o-mini",
        "Math Tutor",
        "Helps with maths",
        "You are a personal math tutor.",
    )
    assert [t.type for t in a.tools] == ["code_interpreter", "function", "file_search"]
    assert a.tools[1].function.name == "get_weather"
    assert a.tools[1].function.parameters["required"] == ["city"]
    assert a.tools[2].file_search.max_num_results == 5
    assert a.tools[2].file_search.ranking_options.ranker == "default_2024_08_21"
    assert a.tools[2].file_search.ranking_options.score_threshold == 0.0
    assert a.metadata == {"team": "a"}
    assert (a.temperature, a.top_p) == (0.2, 0.9)
    assert a.response_format.type == "json_object"
    assert openai_client.beta.assistants.retrieve(a.id) == a


def test_json_schema_response_format_round_trips(openai_client):
    fmt = {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True}}
    a = openai_client.beta.assistants.create(model="gpt-4o", response_format=fmt)
    assert a.response_format.type == "json_schema"
    assert a.response_format.json_schema.name == "answer"
    assert a.response_format.json_schema.schema_ == {"type": "object"}
    assert a.response_format.json_schema.strict is True


def test_tool_resources_reference_real_objects(openai_client):
    f = openai_client.files.create(file=("data.csv", b"a,b\n1,2\n"), purpose="assistants")
    vs = openai_client.vector_stores.create(name="docs")
    a = openai_client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "code_interpreter"}, {"type": "file_search"}],
        tool_resources={"code_interpreter": {"file_ids": [f.id]}, "file_search": {"vector_store_ids": [vs.id]}},
    )
    assert a.tool_resources.code_interpreter.file_ids == [f.id]
    assert a.tool_resources.file_search.vector_store_ids == [vs.id]


def test_vector_stores_helper_creates_a_store(openai_client):
    f = openai_client.files.create(file=("notes.md", b"# Notes\nhello"), purpose="assistants")
    a = openai_client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [f.id], "metadata": {"k": "v"}}]}},
    )
    (store_id,) = a.tool_resources.file_search.vector_store_ids
    store = openai_client.vector_stores.retrieve(store_id)
    assert store.file_counts.completed == 1 and store.metadata == {"k": "v"}
    assert store.expires_after is None  # only a thread's helper stores expire by default


@pytest.mark.parametrize(
    "resources, message, param",
    [
        ({"code_interpreter": {"file_ids": ["file-nope"]}}, "No such File object: file-nope",
         "tool_resources.code_interpreter.file_ids[0]"),
        ({"file_search": {"vector_store_ids": ["vs_nope"]}}, "No vector store found with id 'vs_nope'.",
         "tool_resources.file_search.vector_store_ids[0]"),
    ],
)  # fmt: skip
def test_tool_resources_with_unknown_objects_are_refused(http, resources, message, param):
    response = http.post("/v1/assistants", json={"model": "gpt-4o", "tool_resources": resources}, headers=BETA)
    assert response.status_code == 404
    error = error_of(response)
    assert (error["message"], error["param"]) == (message, param)


def test_list_orders_and_pages(openai_client, emulator):
    ids = []
    for n in range(5):
        ids.append(openai_client.beta.assistants.create(model="gpt-4o", name=str(n)).id)
        emulator.advance(1)
    page = openai_client.beta.assistants.list(limit=2)
    assert [a.id for a in page.data] == ids[::-1][:2]
    assert page.has_more is True
    assert [a.id for a in openai_client.beta.assistants.list(order="asc")] == ids
    assert [a.id for a in openai_client.beta.assistants.list(limit=2)] == ids[::-1]


def test_modify_changes_only_what_is_given(openai_client):
    a = openai_client.beta.assistants.create(
        model="gpt-4o", name="A", instructions="old", tools=[FUNCTION], metadata={"x": "1"}
    )
    b = openai_client.beta.assistants.update(a.id, instructions="new", metadata={"y": "2"})
    assert b.id == a.id and b.created_at == a.created_at
    assert (b.name, b.instructions, b.model) == ("A", "new", "gpt-4o")
    assert b.metadata == {"y": "2"}  # metadata is replaced as a whole
    assert [t.type for t in b.tools] == ["function"]
    c = openai_client.beta.assistants.update(a.id, tools=[], name=None, model="gpt-4.1")
    assert (c.tools, c.name, c.model) == ([], None, "gpt-4.1")
    assert openai_client.beta.assistants.retrieve(a.id) == c


def test_modify_tool_resources_replaces_per_tool(openai_client):
    f1 = openai_client.files.create(file=("a.py", b"print(1)"), purpose="assistants")
    f2 = openai_client.files.create(file=("b.py", b"print(2)"), purpose="assistants")
    vs = openai_client.vector_stores.create()
    a = openai_client.beta.assistants.create(
        model="gpt-4o",
        tool_resources={"code_interpreter": {"file_ids": [f1.id]}, "file_search": {"vector_store_ids": [vs.id]}},
    )
    b = openai_client.beta.assistants.update(a.id, tool_resources={"code_interpreter": {"file_ids": [f2.id]}})
    assert b.tool_resources.code_interpreter.file_ids == [f2.id]
    assert b.tool_resources.file_search.vector_store_ids == [vs.id]


def test_delete_then_gone(openai_client, http):
    a = openai_client.beta.assistants.create(model="gpt-4o")
    deleted = openai_client.beta.assistants.delete(a.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (a.id, "assistant.deleted", True)
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.beta.assistants.retrieve(a.id)
    assert info.value.body["message"] == f"No assistant found with id '{a.id}'."
    response = http.delete(f"/v1/assistants/{a.id}", headers=BETA)
    assert response.status_code == 404
    assert openai_client.beta.assistants.list().data == []


@pytest.mark.emulator(strict_models=True)
def test_strict_models_refuses_unknown_model(http):
    response = http.post("/v1/assistants", json={"model": "gpt-unknown"}, headers=BETA)
    assert response.status_code == 404
    error = error_of(response)
    assert (error["param"], error["code"]) == ("model", "model_not_found")
    assert http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA).status_code == 200


def test_any_model_name_is_accepted_by_default(openai_client):
    assert openai_client.beta.assistants.create(model="my-azure-deployment").model == "my-azure-deployment"
