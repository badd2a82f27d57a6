"""The two request validators agree: a body the fast compiled check (fastjsonschema) accepts is
one jsonschema accepts too, for every request schema, on valid bodies and on generated
mutations of them. (The fast check may refuse more: jsonschema then has the last word.)"""

from __future__ import annotations

import copy
import json
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import validation
from emulator.errors import APIError

FUNCTION = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        "strict": False,
    },
}
TOOLS = [{"type": "code_interpreter"}, {"type": "file_search", "file_search": {"max_num_results": 5}}, FUNCTION]
RESOURCES = {"code_interpreter": {"file_ids": ["file-abc"]}, "file_search": {"vector_store_ids": ["vs_1"]}}
MESSAGE = {
    "role": "user",
    "content": [
        {"type": "text", "text": "Plot this"},
        {"type": "image_file", "image_file": {"file_id": "file-img", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
    ],
    "attachments": [{"file_id": "file-abc", "tools": [{"type": "code_interpreter"}]}],
    "metadata": {"k": "v"},
}
RUN = {
    "assistant_id": "asst_1",
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "additional_messages": [MESSAGE, {"role": "assistant", "content": "Hi"}],
    "tools": TOOLS,
    "temperature": 0.5,
    "top_p": 1,
    "max_prompt_tokens": 500,
    "max_completion_tokens": 300,
    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "parallel_tool_calls": False,
    "response_format": {"type": "json_schema", "json_schema": {"name": "out", "schema": {"type": "object"}}},
    "stream": False,
    "metadata": {},
}
CHUNKING = {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}
FILTER = {
    "type": "and",
    "filters": [
        {"type": "eq", "key": "author", "value": "Ann"},
        {"type": "or", "filters": [{"type": "gt", "key": "year", "value": 2020}]},
    ],
}

#: Valid bodies for each request schema the emulator validates.
SEEDS: dict[str, list[dict[str, Any]]] = {
    "CreateAssistantRequest": [
        {"model": "gpt-4o"},
        {
            "model": "gpt-4o",
            "name": "Analyst",
            "description": None,
            "instructions": "You analyse.",
            "tools": TOOLS,
            "tool_resources": {"code_interpreter": {"file_ids": []}, "file_search": {"vector_stores": [{}]}},
            "metadata": {"team": "data"},
            "temperature": 1,
            "response_format": "auto",
            "reasoning_effort": "low",
        },
    ],
    "ModifyAssistantRequest": [{}, {"name": "x", "tools": [], "tool_resources": RESOURCES, "response_format": None}],
    "CreateThreadRequest": [{}, {"messages": [MESSAGE], "tool_resources": RESOURCES, "metadata": None}],
    "ModifyThreadRequest": [{"metadata": {"a": "b"}, "tool_resources": RESOURCES}],
    "CreateMessageRequest": [{"role": "user", "content": "Hello"}, MESSAGE],
    "ModifyMessageRequest": [{"metadata": {"a": "b"}}],
    "CreateRunRequest": [{"assistant_id": "asst_1"}, RUN],
    "CreateThreadAndRunRequest": [
        {"assistant_id": "asst_1", "thread": {"messages": [MESSAGE]}, "tool_choice": "required"},
        {**{k: v for k, v in RUN.items() if k != "additional_messages"}, "tool_resources": RESOURCES},
    ],
    "ModifyRunRequest": [{"metadata": {"x": "y"}}],
    "SubmitToolOutputsRunRequest": [{"tool_outputs": [{"tool_call_id": "call_1", "output": "42"}], "stream": True}],
    "CreateVectorStoreRequest": [
        {},
        {
            "name": "docs",
            "file_ids": ["file-a"],
            "expires_after": {"anchor": "last_active_at", "days": 7},
            "chunking_strategy": CHUNKING,
            "metadata": {},
        },
    ],
    "UpdateVectorStoreRequest": [{"name": "d", "expires_after": None, "metadata": {"k": "v"}}],
    "CreateVectorStoreFileRequest": [{"file_id": "file-a", "chunking_strategy": {"type": "auto"}, "attributes": {}}],
    "CreateVectorStoreFileBatchRequest": [{"file_ids": ["file-a", "file-b"], "attributes": {"year": 2024}}],
    "UpdateVectorStoreFileAttributesRequest": [{"attributes": {"author": "Ann", "draft": True, "n": 1.5}}],
    "VectorStoreSearchRequest": [
        {"query": "refund policy"},
        {
            "query": ["a", "b"],
            "filters": FILTER,
            "max_num_results": 3,
            "ranking_options": {"ranker": "auto", "score_threshold": 0.2},
            "rewrite_query": True,
        },
    ],
}

#: Values a mutation puts somewhere: the JSON types, and the edges the schemas care about.
ODD_VALUES = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            1,
            -1,
            1.0,
            0.5,
            2.5,
            1e300,
            "",
            "x",
            "x" * 600,
            "a b!",
            "auto",
            "none",
            "function",
            "text",
            "user",
            "static",
            "last_messages",
            [],
            {},
            [None],
            [{}],
            {"type": "function"},
            {"type": "code_interpreter"},
            {"type": "text", "text": "t"},
            {"file_id": "file-x", "tools": []},
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=70),
    st.dictionaries(st.text(max_size=70), st.text(max_size=520) | st.integers(), max_size=18),
)


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*here, i))
    return found


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated(draw: Any) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    body = copy.deepcopy(draw(st.sampled_from(SEEDS[name])))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(body)))
        target = _get(body, path[:-1]) if path else None
        edit = draw(st.sampled_from(["replace", "add", "delete"]))
        if edit == "replace" and path:
            target[path[-1]] = copy.deepcopy(draw(ODD_VALUES))
        elif edit == "delete" and path and isinstance(target, dict):
            del target[path[-1]]
        else:
            node = _get(body, path)
            if isinstance(node, dict):
                key = draw(st.sampled_from(["type", "foo", "metadata", "name", "file_id", "tools"]))
                node[key] = copy.deepcopy(draw(ODD_VALUES))
            elif isinstance(node, list):
                node.append(copy.deepcopy(draw(ODD_VALUES)))
    return name, body


def _fast_accepts(name: str, body: Any) -> bool:
    try:
        validation.fast_check_for(name)(body)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _jsonschema_errors(name: str, body: Any) -> list[Any]:
    return list(validation.validator_for(name).iter_errors(body))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_bodies_are_valid_for_both(name: str) -> None:
    for body in SEEDS[name]:
        assert _jsonschema_errors(name, body) == [], body
        assert _fast_accepts(name, body), body


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_fast_check_never_accepts_what_jsonschema_refuses(case: tuple[str, dict[str, Any]]) -> None:
    name, body = case
    if _fast_accepts(name, body):
        assert _jsonschema_errors(name, body) == [], (name, body)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # jsonschema (2020-12) counts 1.0 as an integer; the fast check does not, and defers
        ("CreateRunRequest", {"assistant_id": "a", "max_prompt_tokens": 500.0}),
        ("ModifyThreadRequest", {"metadata": None}),
    ],
)
def test_what_only_jsonschema_accepts_is_still_accepted(name: str, body: dict[str, Any]) -> None:
    assert validation.validate(name, body) is body


def test_a_refused_body_still_gets_the_named_error() -> None:
    with pytest.raises(APIError) as caught:
        validation.validate("CreateAssistantRequest", {"model": "gpt-4o", "tools": [{"type": "browser"}]})
    assert caught.value.body()["error"]["param"] == "tools[0].type"


def test_the_fast_check_fills_in_nothing() -> None:
    body = {"assistant_id": "asst_1"}
    validation.validate("CreateRunRequest", body)
    assert body == {"assistant_id": "asst_1"}


@pytest.mark.parametrize(
    ("branches", "disjoint"),
    [
        ([{"type": "string"}, {"type": "array"}], True),
        ([{"type": "integer"}, {"type": "number"}], False),  # 1 is both
        ([{"type": "string"}, {"type": "string", "maxLength": 3}], False),
        (
            [
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["function"]}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"const": "file_search"}}},
            ],
            True,
        ),
        (  # `type` not required: {} matches both
            [
                {"type": "object", "properties": {"type": {"enum": ["a"]}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["b"]}}},
            ],
            False,
        ),
        (
            [
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["a", "b"]}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["b"]}}},
            ],
            False,
        ),
        ([{"type": "object"}, {"anyOf": [{"type": "string"}]}], False),
        (  # values that cannot be told apart by hashing
            [
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": [["a"]]}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["b"]}}},
            ],
            False,
        ),
    ],
)
def test_only_a_oneof_whose_branches_cannot_overlap_becomes_an_anyof_for_the_fast_check(branches, disjoint) -> None:
    assert validation._disjoint(branches) is disjoint


def test_the_fast_checks_spec_keeps_the_oneofs_that_may_overlap() -> None:
    """The rewrite leaves jsonschema's spec alone, and turns the tool and content unions."""
    fast, spec = validation._fast_spec("openai"), validation.dialect_spec("openai")
    tools = fast["components"]["schemas"]["CreateAssistantRequest"]["properties"]["tools"]["items"]
    assert "anyOf" in tools and "oneOf" not in tools
    assert "oneOf" in spec["components"]["schemas"]["CreateAssistantRequest"]["properties"]["tools"]["items"]
    assert 0 < json.dumps(fast).count('"oneOf"') < json.dumps(spec).count('"oneOf"')
