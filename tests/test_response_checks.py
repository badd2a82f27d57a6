"""The suite's guard on answers (emulator/spec/responses.py): it is on, it catches what the spec
does not allow, and each known difference from the spec is one the spec really rejects."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.dispatch import Dispatcher, url_map
from emulator.spec import responses
from emulator.spec.responses import KNOWN_DIFFERENCES, ResponseChecker, schema_problem

ASSISTANT = {
    "id": "asst_1", "object": "assistant", "created_at": 1, "name": None, "description": None, "model": "gpt-4o",
    "instructions": None, "tools": [], "metadata": {},
}  # fmt: skip


def test_the_suite_checks_every_answer() -> None:
    checker = responses.installed_checker()
    assert checker is not None and Dispatcher(Emulator()).checker is checker
    before = checker.checked
    client = in_process_client(create_app(Emulator()))
    client.models.list()
    assert checker.checked == before + 1


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ({**ASSISTANT, "id": 1}, "must be string"),
        ({**ASSISTANT, "colour": "red"}, "must not contain"),  # objects are closed to unlisted keys
        ({k: v for k, v in ASSISTANT.items() if k != "model"}, "must contain"),
        ({**ASSISTANT, "tools": [{"type": "browser"}]}, "must be valid exactly by one"),
    ],
)
def test_a_body_the_spec_does_not_allow_is_reported(body: dict, wanted: str) -> None:
    checker = ResponseChecker()
    checker.check("GET", "/assistants/<assistant_id>", 200, "application/json", json.dumps(body).encode())
    assert len(checker.problems) == 1 and wanted in checker.problems[0], checker.problems
    ok = ResponseChecker()
    ok.check("GET", "/assistants/<assistant_id>", 200, "application/json", json.dumps(ASSISTANT).encode())
    assert ok.problems == []


def test_errors_need_the_envelope_and_operations_the_spec() -> None:
    checker = ResponseChecker()
    checker.check("GET", "/assistants", 400, "application/json", b'{"error": {"message": "x"}}')
    checker.check("GET", None, 404, "application/json", b'{"detail": "not found"}')
    checker.check("GET", "/nowhere", 200, "application/json", b"{}")
    assert [p.split(": ", 1)[1][:24] for p in checker.problems] == [
        "an error envelope with k",
        "an error answer without ",
        "an operation the spec do",
    ]
    fine = ResponseChecker()
    fine.check("GET", "/assistants", 400, "application/json", b'{"error": {"message": "x", "type": "t", "param": null, "code": null}}')  # fmt: skip
    fine.check("GET", None, 404, "application/json", b'{"error": {"code": "404", "message": "Resource not found"}}')
    assert fine.problems == []


def test_stream_events_are_checked_when_the_stream_ends() -> None:
    checker = ResponseChecker()
    frames = [
        b'event: thread.run.created\ndata: {"id": "run_1"}\n\n',
        b"event: thread.unknown\ndata: {}\n\n",
        b"event: done\ndata: [DONE]\n\n",
    ]
    passed = list(checker.stream("POST", "/threads/runs", iter(frames)))
    assert passed == frames
    assert len(checker.problems) == 2
    assert "thread.run.created" in checker.problems[0] and "RunObject" in checker.problems[0]
    assert "'thread.unknown'" in checker.problems[1]


def _rest_message(message: dict) -> None:
    for key in responses.REST_MESSAGE_OMITS:
        del message[key]


def _recorded_step(step: dict) -> None:
    step["expires_at"] = step.pop("expired_at")
    del step["metadata"]


#: One answer per known difference: the raw spec refuses it, the patched one accepts it
#: (a key set to a value, or the answer changed by a function).
EXAMPLES = {
    ("AssistantObject", "reasoning_effort"): ("reasoning_effort", None),
    ("RunObject", "reasoning_effort"): ("reasoning_effort", None),
    ("RunObject", "max_completion_tokens"): ("max_completion_tokens", 16),
    ("MessageObject", "status, incomplete_details, completed_at, incomplete_at"): _rest_message,
    ("RunStepObject", "expired_at, metadata"): _recorded_step,
    ("RunObject", "instructions"): ("instructions", None),
    ("RunObject", "tool_resources"): ("tool_resources", {"code_interpreter": {"file_ids": []}}),
    ("OpenAIFile", "status_details"): ("status_details", None),
    ("OpenAIFile", "expires_at"): ("expires_at", None),
    ("OpenAIFile", "purpose"): ("purpose", "evals"),
    ("VectorStoreObject", "name"): ("name", None),
    ("VectorStoreObject", "expires_after"): ("expires_after", None),
    ("VectorStoreObject", "description"): ("description", None),
    ("VectorStoreFileBatchObject", "object"): ("object", "vector_store.file_batch"),
    ("FileSearchRankingOptions", "hybrid_search"): ("hybrid_search", {"embedding_weight": 1.0, "text_weight": 0.5}),
    ("List*Response", "first_id, last_id"): ("first_id", None),
    ("ErrorEvent", "data"): ("data", {"error": {"message": "m", "type": "t", "param": None, "code": None}}),
}
VALID = {
    "AssistantObject": {**ASSISTANT, "top_p": 1.0, "temperature": 1.0, "tool_resources": {}, "response_format": "auto"},
    "MessageObject": {
        "id": "msg_1", "object": "thread.message", "created_at": 1, "assistant_id": None, "thread_id": "t",
        "run_id": None, "status": "completed", "incomplete_details": None, "incomplete_at": None,
        "completed_at": None, "role": "user", "content": [], "attachments": [], "metadata": {},
    },
    "RunStepObject": {
        "id": "step_1", "object": "thread.run.step", "created_at": 1, "run_id": "r", "assistant_id": "a",
        "thread_id": "t", "type": "message_creation", "status": "completed", "cancelled_at": None,
        "completed_at": 2, "expired_at": None, "failed_at": None, "last_error": None,
        "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_1"}},
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}, "metadata": {},
    },
    "RunObject": {
        "id": "run_1", "object": "thread.run", "created_at": 1, "thread_id": "t", "assistant_id": "a",
        "status": "completed", "required_action": None, "last_error": None, "expires_at": None, "started_at": 1,
        "cancelled_at": None, "failed_at": None, "completed_at": 2, "incomplete_details": None, "model": "m",
        "instructions": "i", "tools": [], "metadata": {}, "usage": None, "temperature": 1.0, "top_p": 1.0,
        "max_prompt_tokens": None, "max_completion_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None}, "tool_choice": "auto",
        "parallel_tool_calls": True, "response_format": "auto",
    },
    "OpenAIFile": {
        "id": "file-1", "object": "file", "bytes": 1, "created_at": 1, "expires_at": 2, "filename": "a.txt",
        "purpose": "assistants", "status": "processed", "status_details": "",
    },
    "VectorStoreObject": {
        "id": "vs_1", "object": "vector_store", "created_at": 1, "name": "n", "usage_bytes": 0,
        "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
        "status": "completed", "expires_after": {"anchor": "last_active_at", "days": 1}, "expires_at": None,
        "last_active_at": 1, "metadata": {},
    },
    "VectorStoreFileBatchObject": {
        "id": "vsfb_1", "object": "vector_store.files_batch", "created_at": 1, "vector_store_id": "vs_1",
        "status": "completed", "file_counts": {"in_progress": 0, "completed": 1, "failed": 0, "cancelled": 0, "total": 1},
    },
    "FileSearchRankingOptions": {"ranker": "auto", "score_threshold": 0.0},
    "ListAssistantsResponse": {"object": "list", "data": [], "first_id": "a", "last_id": "a", "has_more": False},
    "ErrorEvent": {"event": "error", "data": {"error": {"message": "m", "type": "t", "param": None, "code": None}}},
}  # fmt: skip


@pytest.mark.parametrize("difference", KNOWN_DIFFERENCES, ids=lambda d: f"{d.schema}.{d.field}")
def test_each_known_difference_is_needed_and_enough(difference, monkeypatch) -> None:
    example = EXAMPLES[(difference.schema, difference.field)]
    schema = "ListAssistantsResponse" if difference.schema == "List*Response" else difference.schema
    instance = copy.deepcopy(VALID[schema])
    if callable(example):
        example(instance)
    else:
        assert schema_problem(schema, instance) is None  # the baseline passes
        field, value = example
        instance[field] = value
    assert schema_problem(schema, instance) is None, "the patched spec accepts the real answer"
    # without this difference (the others kept), the spec refuses it
    monkeypatch.setattr(responses, "KNOWN_DIFFERENCES", [d for d in KNOWN_DIFFERENCES if d is not difference])
    monkeypatch.setattr(responses, "_compiled", {})
    responses._patched_spec.cache_clear()
    try:
        assert schema_problem(schema, instance) is not None
    finally:
        responses._patched_spec.cache_clear()


def test_a_wrong_answer_through_the_dispatcher_is_caught(monkeypatch) -> None:
    """As the autouse fixture in conftest.py would see it (here taken by the test itself)."""
    from emulator.routes import models as model_routes

    checker = responses.installed_checker()
    checker.take()
    route = model_routes.routes.table[0]
    assert route.rule == "/models"
    bad = replace(route, view=lambda call: {"object": "list", "data": 1})
    monkeypatch.setattr(model_routes.routes, "table", [bad, *model_routes.routes.table[1:]])
    url_map.cache_clear()  # the map is built once per process, from the tables as they were
    try:
        answer = create_app(Emulator()).test_client().get("/v1/models", headers={"Authorization": "Bearer k"})
    finally:
        monkeypatch.undo()
        url_map.cache_clear()
    assert answer.status_code == 200  # the answer goes out as it is: only the test fails
    found = checker.take()
    assert len(found) == 1 and "ListModelsResponse" in found[0] and "GET /models -> 200" in found[0], found
