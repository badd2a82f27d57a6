"""Fuzzing the new Foundry agents API (issue 23), which OpenAI's spec (and so tests/test_fuzz.py's
schemathesis) does not have: every operation of `emulator/routes/agents.py` gets generated
requests, near-valid ones (the SDK's bodies with a field changed) and arbitrary JSON, sent in-process
to the dispatcher, against a store the examples share (as clients would). Each answer must:

- not be a 5xx, and be the agents API's error envelope if a 4xx (bad queries and JSON bodies too);
- if a success, carry what azure-ai-projects 2.10's models require (`AgentVersionDetails`, `AgentDetails`,
  the deleted answers, a list page) and deserialize with them;
- leave nothing for the answer checker (tests/conftest.py turns it on) to report.

Bounded and derandomized, as test_fuzz.py (`FUZZ_EXAMPLES`, `FUZZ_RANDOM=1`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import hypothesis
import pytest
from hypothesis import HealthCheck
from hypothesis import strategies as st

from conftest import needed
from emulator import Emulator
from emulator.dispatch import Dispatcher
from emulator.domain.agents import KINDS
from emulator.routes._http import Call
from emulator.spec import responses
from emulator.spec.responses import AGENTS_ERROR

needed("azure.ai.projects")

from azure.ai.projects._utils.model_base import _deserialize  # noqa: E402
from azure.ai.projects.models import AgentDetails, AgentVersionDetails  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0) or 150
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
#: What azure-ai-projects 2.10's models mark "Required" (models/_models.py).
VERSION_KEYS = {"metadata", "object", "id", "name", "version", "created_at", "definition"}
AGENT_KEYS = {"object", "id", "name", "state", "configuration_state", "versions"}
#: Answers by method and status (what the examples reached).
TALLY: Counter[tuple[str, int]] = Counter()
LIST_KEYS = {"object", "data", "first_id", "last_id", "has_more"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
#: Mostly "alpha" (seeded before every example, so reads, updates and deletes of it can succeed), else
#: names that may or may not exist, or any text.
names = st.one_of(st.just("alpha"), st.just("alpha"), st.just("alpha"), st.sampled_from(["beta-2", "Agent9"]),
                  st.text(min_size=1, max_size=70))  # fmt: skip
versions = st.sampled_from(["1", "2", "3"]) | st.text(min_size=1, max_size=5)


def _maybe(value: Any) -> Any:
    """A field's valid value (most often), or something else of any JSON type."""
    return st.one_of(st.just(value), st.just(value), st.just(value), json_values)


tools = st.lists(
    st.sampled_from([
        {"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": []}},
        {"type": "file_search", "vector_store_ids": []},
    ]) | json_values,
    max_size=2,
)  # fmt: skip
definitions = st.fixed_dictionaries(
    {"kind": st.one_of(st.just("prompt"), st.just("prompt"), st.sampled_from([*KINDS, "robot"]), json_values),
     "model": _maybe("gpt-4o")},
    optional={"instructions": _maybe("Be brief."), "tools": tools, "temperature": _maybe(0.5), "top_p": _maybe(1),
              "tool_choice": _maybe("auto"), "text": _maybe({"format": {"type": "text"}}),
              "reasoning": _maybe({"effort": "low"}), "colour": json_values},
)  # fmt: skip
create_bodies = st.one_of(
    *[st.fixed_dictionaries(
        {"definition": st.one_of(definitions, definitions, json_values)},
        optional={"description": _maybe("about"), "metadata": _maybe({"k": "v"}), "draft": _maybe(False)},
    )] * 3,
    json_values,
)  # fmt: skip
rules = st.lists(
    st.fixed_dictionaries(
        {
            "type": _maybe("FixedRatio"),
            "agent_version": versions | json_values,
            "traffic_percentage": st.sampled_from([0, 50, 100]) | json_values,
        }
    ),  # fmt: skip
    max_size=3,
)
patch_bodies = st.fixed_dictionaries(
    {},
    optional={"agent_endpoint": st.fixed_dictionaries({}, optional={"version_selector": st.fixed_dictionaries(
                  {"version_selection_rules": rules | json_values})}) | json_values,
              "agent_card": _maybe({"version": "1", "skills": []})},
) | json_values  # fmt: skip
queries = st.fixed_dictionaries(
    {},
    optional={key: st.text(max_size=6) | st.sampled_from(values) for key, values in (
        ("limit", ["1", "2", "100", "0"]), ("order", ["asc", "desc"]), ("kind", ["prompt", "hosted"]),
        ("after", ["alpha", "alpha:1"]), ("before", ["beta-2"]))},
)  # fmt: skip


@st.composite
def requests(draw: Any) -> tuple[str, str, dict[str, str], Any]:
    """(method, path after the project, query, body) of one agents operation."""
    op = draw(st.sampled_from(["create", "get", "list", "delete", "update", "versions", "version", "delete_version"]))
    name = draw(names)
    if op == "create":
        return "POST", f"/agents/{name}/versions", {}, draw(create_bodies)
    if op == "list":
        return "GET", "/agents", draw(queries), None
    if op == "versions":
        return "GET", f"/agents/{name}/versions", draw(queries), None
    if op == "update":
        return "PATCH", f"/agents/{name}", {}, draw(patch_bodies)
    if op in ("version", "delete_version"):
        return ("GET" if op == "version" else "DELETE"), f"/agents/{name}/versions/{draw(versions)}", {}, None
    return ("GET" if op == "get" else "DELETE"), f"/agents/{name}", {}, None


def check_answer(method: str, path: str, status: int, body: Any) -> None:
    assert status < 500, body
    if status >= 400:
        assert set(body) == {"error"} and set(body["error"]) == AGENTS_ERROR, body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        return
    if method == "DELETE":
        assert body["deleted"] is True and body["object"] in ("agent.deleted", "agent.version.deleted")
        return
    pages = body["data"] if set(body) == LIST_KEYS else None
    for item in pages if pages is not None else [body]:
        if item["object"] == "agent":
            assert AGENT_KEYS <= set(item) and VERSION_KEYS <= set(item["versions"]["latest"]), item
            assert _deserialize(AgentDetails, item).versions.latest.name == item["name"]
        else:
            assert item["object"] == "agent.version" and VERSION_KEYS <= set(item), item
            assert _deserialize(AgentVersionDetails, item).created_at.timestamp() == item["created_at"]
            assert item["definition"]["kind"] == "prompt" and list(item["definition"])[0] == "kind"


@pytest.fixture(scope="module")
def dispatcher() -> Any:
    emulator = Emulator(seed=23)
    yield Dispatcher(emulator)
    emulator.close()


@hypothesis.settings(max_examples=EXAMPLES, derandomize=not RANDOM, database=None, deadline=None,
                     suppress_health_check=list(HealthCheck))  # fmt: skip
@hypothesis.given(request=requests())
def test_agents_operations(dispatcher: Any, request: tuple[str, str, dict[str, str], Any]) -> None:
    method, path, query, body = request
    seed = Call("POST", "/api/projects/p/agents/alpha/versions", query_string="api-version=v1",
                headers={"authorization": "Bearer t"}, body=b'{"definition": {"kind": "prompt", "model": "m"}}')  # fmt: skip
    dispatcher.handle(seed)  # an agent the examples may aim at (a new version each time)
    call = Call(method, "/api/projects/p" + path, query_string=urlencode({**query, "api-version": "v1"}),
                headers={"authorization": "Bearer t", "content-type": "application/json"},
                body=b"" if body is None else json.dumps(body).encode())  # fmt: skip
    reply = dispatcher.handle(call)
    TALLY[(method, reply.status)] += 1
    check_answer(method, path, reply.status, json.loads(reply.body))
    checker = responses.installed_checker()
    found = checker.take() if checker is not None else []
    assert not found, found


def test_the_examples_reach_past_the_refusals() -> None:
    """The generated requests are not all refused: each kind of success shows up (runs after the fuzz test)."""
    if not TALLY:
        pytest.skip("the fuzz test did not run in this process")
    for method in ("POST", "GET", "PATCH", "DELETE"):
        assert TALLY[(method, 200)] > 0, TALLY
