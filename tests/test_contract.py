"""The contract checker (emulator/contract): recorded scenarios replayed against the emulator.

Every fixture in fixtures/*.yaml and every sample in tests/contract_samples/*.yaml must check
clean; altered copies of the samples must fail with the expected readable difference; ids are
followed from the answers that made them to later requests. Streams: test_contract_streams.py;
the fixture format and the command: test_contract_format.py; recording: contract_recording.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_recording import (
    BETA,
    ROOT,
    SAMPLE_RECORDERS,
    SAMPLES,
    SCENARIOS,
    check,
    exchange_of,
    lines,
    sample,
)

from emulator import Emulator, create_app
from emulator.contract import fixture
from emulator.contract.checker import (
    check_file,
    check_scenario,
    format_differences,
    werkzeug_sender,
)

# --- every fixture and sample checks clean ---------------------------------------------------


def test_the_committed_fixtures_are_what_their_builder_writes():
    """`fixtures/*.yaml` are built from the spec's examples and recorded shapes: an edit by hand,
    or a change to the spec or the builder without a rebuild, shows here."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "fixtures" / "build_from_spec.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_there_are_scenarios_to_check():
    assert {path.name for path in SAMPLES.glob("*.yaml")} >= set(SAMPLE_RECORDERS)


@pytest.mark.parametrize("path", SCENARIOS, ids=[str(p.relative_to(ROOT)) for p in SCENARIOS])
def test_scenario_checks_clean(path: Path):
    diffs = check_file(path)
    assert not diffs, format_differences(path.relative_to(ROOT), diffs)


def test_the_samples_use_other_ids_than_the_replay():
    """Recorded with seed 1234: a replay on seed 0 passes only if ids are followed through."""
    data = sample("assistants.yaml")
    created = data["exchanges"][0]["response"]["body"]["id"]
    emulator = Emulator(seed=0)
    fresh = (
        create_app(emulator)
        .test_client()
        .post("/v1/assistants", json={"model": "gpt-4o"}, headers={**BETA, "Authorization": "Bearer test"})
    )
    emulator.close()
    assert fresh.get_json()["id"] != created


# --- altered fixtures fail, readably ---------------------------------------------------------


def test_a_changed_http_status_is_reported_alone():
    data = sample("assistants.yaml")
    i = exchange_of(data, "GET", "/assistants/asst_doesnotexist0")
    data["exchanges"][i]["response"]["status"] = 200
    assert lines(check(data)) == [
        f"exchange {i} GET /v1/assistants/{{assistant}}: response.status: expected 200, got 404 "
        "(No assistant found with id 'asst_doesnotexist0'.)"
    ]


def test_a_changed_run_status_is_reported():
    data = sample("run.yaml")
    i = exchange_of(data, "POST", "/runs")
    assert data["exchanges"][i]["response"]["body"]["status"] == "queued"
    data["exchanges"][i]["response"]["body"]["status"] = "completed"
    assert lines(check(data)) == [
        f"exchange {i} POST /v1/threads/{{thread}}/runs: response.body.status: expected 'completed', got 'queued'"
    ]


def test_a_key_the_emulator_lacks_is_reported_missing():
    data = sample("assistants.yaml")
    data["exchanges"][0]["response"]["body"]["colour"] = None
    assert lines(check(data)) == ["exchange 0 POST /v1/assistants: response.body: expected key 'colour' is missing"]


def test_a_key_the_recording_lacks_is_reported_unexpected():
    data = sample("assistants.yaml")
    del data["exchanges"][0]["response"]["body"]["tool_resources"]
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body: unexpected key 'tool_resources' (an object with 1 key)"
    ]


def test_keys_in_another_order_are_reported_unless_the_scenario_says_key_order_false():
    data = sample("assistants.yaml")
    body = data["exchanges"][0]["response"]["body"]
    keys = list(body)
    assert keys[:3] == ["id", "object", "created_at"]
    data["exchanges"][0]["response"]["body"] = {keys[1]: body[keys[1]], keys[0]: body[keys[0]],
                                                **{k: body[k] for k in keys[2:]}}  # fmt: skip
    assert lines(check(data)) == [
        f"exchange 0 POST /v1/assistants: response.body: key order: expected [object, id, {', '.join(keys[2:])}], "
        f"got [{', '.join(keys)}]"
    ]
    assert check({**data, "key_order": False}) == []


def test_a_changed_enum_value_is_reported():
    data = sample("run.yaml")
    i = exchange_of(data, "GET", "/messages")
    message = data["exchanges"][i]["response"]["body"]["data"][0]
    assert message["role"] == "assistant"
    message["role"] = "user"
    message["content"][0]["type"] = "image_file"
    assert lines(check(data)) == [
        f"exchange {i} GET /v1/threads/{{thread}}/messages: response.body.data[0].role: expected 'user', got 'assistant'",
        f"exchange {i} GET /v1/threads/{{thread}}/messages: response.body.data[0].content[0].type: "
        "expected 'image_file', got 'text'",
    ]


def test_the_code_of_an_error_is_compared_but_not_its_message():
    data = sample("assistants.yaml")
    i = len(data["exchanges"]) - 1  # no beta header
    error = data["exchanges"][i]["response"]["body"]["error"]
    assert error["code"] == "invalid_beta"
    error["message"] = "some other words"
    assert check(data) == []
    error["type"] = "not_found_error"
    error["code"] = "invalid_beta_header"
    error["param"] = "OpenAI-Beta"
    assert lines(check(data)) == [
        f"exchange {i} POST /v1/assistants: response.body.error.type: "
        "expected 'not_found_error', got 'invalid_request_error'",
        f"exchange {i} POST /v1/assistants: response.body.error.param: expected a string, got null",
        f"exchange {i} POST /v1/assistants: response.body.error.code: expected 'invalid_beta_header', got 'invalid_beta'",
    ]


def test_a_swapped_id_prefix_is_reported():
    data = sample("run.yaml")
    i = exchange_of(data, "POST", "/runs")
    run = data["exchanges"][i]["response"]["body"]
    run["thread_id"] = "asst_" + run["thread_id"].removeprefix("thread_")
    assert lines(check(data)) == [
        f"exchange {i} POST /v1/threads/{{thread}}/runs: response.body.thread_id: "
        "id prefix: expected 'asst_', got 'thread_'"
    ]


def test_json_types_null_and_list_lengths_are_compared():
    data = sample("assistants.yaml")
    body = data["exchanges"][0]["response"]["body"]
    body["created_at"] = "yesterday"
    body["description"] = "a tutor"
    body["temperature"] = 1  # int and float are both numbers
    body["tools"].append({"type": "file_search"})
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body.created_at: expected a string, got a number (1704067200)",
        "exchange 0 POST /v1/assistants: response.body.description: expected a string, got null",
        "exchange 0 POST /v1/assistants: response.body.tools: list length: expected 2, got 1",
    ]


def test_booleans_are_compared_by_value():
    data = sample("assistants.yaml")
    i = exchange_of(data, "DELETE", "")
    data["exchanges"][i]["response"]["body"]["deleted"] = False
    assert lines(check(data)) == [
        f"exchange {i} DELETE /v1/assistants/{{assistant}}: response.body.deleted: expected false, got true"
    ]


def test_free_text_timestamps_and_numbers_are_compared_by_type_only():
    data = sample("run.yaml")
    for exchange in data["exchanges"]:
        body = exchange["response"].get("body") or {}
        if body.get("object") == "thread.run":
            body["instructions"] = "something else entirely"
            body["created_at"] = 1
            body["model"] = "gpt-4.1"
            body["temperature"] = 0.25
    assert check(data) == []


def test_an_ignore_entry_silences_what_is_under_it():
    data = sample("assistants.yaml")
    body = data["exchanges"][0]["response"]["body"]
    del body["tool_resources"]
    body["object"] = "assistant.v2"
    data["ignore"] = [
        {"path": "exchanges[0].response.body.tool_resources", "why": "the recording predates tool_resources"},
        {"path": "exchanges[*].response.body.object", "why": "testing a wildcard"},
    ]
    assert check(data) == []
    data["ignore"].pop()
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body.object: expected 'assistant.v2', got 'assistant'"
    ]


def test_a_key_order_ignore_silences_only_the_order_of_that_object():
    data = sample("assistants.yaml")
    data["key_order"] = True
    body = data["exchanges"][0]["response"]["body"]
    data["exchanges"][0]["response"]["body"] = {"object": body["object"], **body}  # object before id
    order = "exchange 0 POST /v1/assistants: response.body: key order: expected [object, id"
    assert [line[: len(order)] for line in lines(check(data))] == [order]
    data["ignore"] = [{"path": "exchanges[0].response.body", "why": "an older order", "only": "key_order"}]
    assert check(data) == []
    data["exchanges"][0]["response"]["body"]["object"] = "assistant.v2"  # all else is still compared
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body.object: expected 'assistant.v2', got 'assistant'"
    ]
    data["ignore"][0]["only"] = "values"
    with pytest.raises(fixture.FixtureError, match="ignore\\[0\\].only: expected key_order"):
        check(data)


# --- ids are followed through ----------------------------------------------------------------


def capturing(app: Any, sent: list[str]) -> Any:
    send = werkzeug_sender(app)

    def wrapped(method, path, query, headers, body):
        sent.append(f"{method} {path} {json.dumps(query)} {json.dumps(body)}")
        return send(method, path, query, headers, body)

    return wrapped


def test_ids_are_followed_from_a_create_to_later_requests_and_answers():
    """The spec's examples call every assistant asst_abc123: a fixture may too."""
    data = sample("assistants.yaml")
    recorded = data["exchanges"][0]["response"]["body"]["id"]
    data = yaml.safe_load(yaml.safe_dump(data, sort_keys=False).replace(recorded, "asst_abc123"))
    modify = copy.deepcopy(data["exchanges"][3])  # POST /assistants/asst_abc123, an id in the body too
    modify["request"]["body"]["metadata"]["twin"] = "asst_abc123"
    modify["response"]["body"]["metadata"]["twin"] = "asst_abc123"
    after = {
        "request": {"method": "GET", "path": "/v1/assistants", "query": {"after": "asst_abc123"}, "headers": BETA},
        "response": {"status": 200, "body": {"object": "list", "data": [], "first_id": None, "last_id": None,
                                             "has_more": False}},
    }  # fmt: skip
    data["exchanges"] = [*data["exchanges"][:2], modify, after]
    emulator = Emulator(seed=0)
    sent: list[str] = []
    try:
        assert check_scenario(fixture.from_dict(data), capturing(create_app(emulator), sent)) == []
    finally:
        emulator.close()
    mine = sent[1].split(" ")[1].removeprefix("/v1/assistants/")
    assert mine.startswith("asst_") and mine != "asst_abc123"
    assert sent[2].startswith(f"POST /v1/assistants/{mine} ") and f'"twin": "{mine}"' in sent[2]
    assert f'"after": "{mine}"' in sent[3]


def test_a_later_answer_must_show_the_mapped_id():
    data = sample("assistants.yaml")
    i = exchange_of(data, "GET", data["exchanges"][0]["response"]["body"]["id"])
    data["exchanges"][i]["response"]["body"]["id"] = data["exchanges"][2]["response"]["body"]["id"]
    [diff] = check(data)
    assert diff.exchange == i and diff.where == "response.body.id"
    assert diff.message.startswith("id: got 'asst_")
    assert "which already stands for the recorded" in diff.message


def test_an_id_only_in_requests_passes_through_unchanged():
    data = sample("assistants.yaml")
    i = exchange_of(data, "GET", "/assistants/asst_doesnotexist0")
    emulator = Emulator(seed=0)
    sent: list[str] = []
    try:
        assert check_scenario(fixture.from_dict(data), capturing(create_app(emulator), sent)) == []
    finally:
        emulator.close()
    assert sent[i].startswith("GET /v1/assistants/asst_doesnotexist0 ")


def test_the_azure_shape_and_multipart_uploads():
    data = sample("files_azure.yaml")
    assert data["shape"] == "azure" and all("multipart" in data["exchanges"][i]["request"] for i in (0, 1, 2))
    assert check(data) == []


def test_a_text_download_is_compared_for_equality():
    data = sample("files_azure.yaml")
    i = next(i for i, ex in enumerate(data["exchanges"]) if "text" in ex["response"])
    data["exchanges"][i]["response"]["text"] = '{"custom_id": "other"}\n'
    [diff] = check(data)
    assert str(diff) == (
        f"exchange {i} GET /openai/files/{{file}}/content: response.text: "
        """expected '{"custom_id": "other"}\\n', got '{"custom_id": "a"}\\n'"""
    )


def test_a_base64_download_is_compared_by_content_type_family():
    data = sample("files_azure.yaml")
    i = next(i for i, ex in enumerate(data["exchanges"]) if "base64" in ex["response"])
    response = data["exchanges"][i]["response"]
    assert response["headers"]["content-type"] == "image/png"
    response["base64"] = "AAAA"
    response["headers"]["content-type"] = "image/jpeg"
    assert check(data) == []
    response["headers"]["content-type"] = "application/octet-stream"
    assert lines(check(data)) == [
        f"exchange {i} GET /openai/files/{{file}}/content: response.headers.content-type: "
        "expected 'application', got 'image'"
    ]
