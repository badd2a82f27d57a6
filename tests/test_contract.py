"""The contract checker (emulator/contract): recorded scenarios replayed against the emulator.

Every fixture in fixtures/*.yaml and every sample in tests/contract_samples/*.yaml must check
clean; altered copies of the samples must fail with the expected readable difference.

The samples were recorded from the emulator itself with `Recorder` below, seeded 1234, so
that their ids differ from those of the fresh `Emulator(seed=0)` they are replayed against
(the id mapping is exercised by every sample). `python3 tests/test_contract.py` records them
again.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulator import Emulator, create_app
from emulator.contract import fixture
from emulator.contract.checker import (
    Difference,
    Reply,
    check_file,
    check_scenario,
    format_differences,
    parse_sse,
    squeeze,
    werkzeug_sender,
)
from emulator.contract.command import add_contract_command, run_contract_command
from emulator.contract.fixture import FixtureError, Multipart

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "contract_samples"
SCENARIOS = sorted(ROOT.glob("fixtures/*.yaml")) + sorted(SAMPLES.glob("*.yaml"))
AZURE_VERSION = "2024-05-01-preview"
BETA = {"OpenAI-Beta": "assistants=v2"}


# --- recording (for the samples and the stream tests) ----------------------------------------


class Recorder:
    """Calls an in-process emulator and writes each exchange down in the fixture format."""

    def __init__(self, shape: str = "openai", seed: int = 1234) -> None:
        self.shape = shape
        self.emulator = Emulator(seed=seed)
        self.send = werkzeug_sender(create_app(self.emulator))
        self.exchanges: list[dict[str, Any]] = []

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        multipart: dict[str, Any] | None = None,
    ) -> Any:
        """Send one request; record it and its answer; return the answer's JSON (or events)."""
        prefix = "/v1" if self.shape == "openai" else "/openai"
        query = dict(query or {})
        if self.shape == "azure":
            query.setdefault("api-version", AZURE_VERSION)
        headers = dict(BETA if self.shape == "openai" and headers is None else headers or {})
        auth = {"api-key": "test"} if self.shape == "azure" else {"Authorization": "Bearer test"}
        request: dict[str, Any] = {"method": method, "path": prefix + path}
        if query:
            request["query"] = query
        if headers:
            request["headers"] = headers
        payload: Any = body
        if multipart is not None:
            request["multipart"] = multipart
            payload = (
                fixture.from_dict(
                    {
                        "source": "-",
                        "shape": self.shape,
                        "exchanges": [{"request": request, "response": {"status": 200}}],
                    }
                )
                .exchanges[0]
                .request.multipart
            )
        elif body is not None:
            request["body"] = body
        reply = Reply.of(self.send(method, prefix + path, query, {**headers, **auth}, payload))
        response: dict[str, Any] = {"status": reply.status, "headers": {"content-type": reply.headers["content-type"]}}
        result: Any
        if reply.media_type == "text/event-stream":
            result = [{"event": name, "data": data} for name, data in parse_sse(reply.content.decode())]
            response["events"] = result
        elif reply.media_type == "application/json":
            result = response["body"] = json.loads(reply.content)
        else:
            try:
                result = response["text"] = reply.content.decode()
            except UnicodeDecodeError:
                result = response["base64"] = base64.b64encode(reply.content).decode()
        self.exchanges.append({"request": request, "response": response})
        return result

    def scenario(self, note: str) -> dict[str, Any]:
        self.emulator.close()
        return {
            "source": "recorded from assistants-emulator (Emulator(seed=1234), virtual clock) by tests/test_contract.py",
            "note": note,
            "shape": self.shape,
            "exchanges": self.exchanges,
        }


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, for fixtures a person can read."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None),
)


def dump(scenario: dict[str, Any], path: Path) -> Path:
    text = yaml.dump(scenario, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(text, encoding="utf-8")
    return path


def record_assistants() -> dict[str, Any]:
    rec = Recorder()
    tutor = rec("POST", "/assistants", {"model": "gpt-4o", "name": "Math Tutor",
                                         "instructions": "You are a personal math tutor.",
                                         "tools": [{"type": "code_interpreter"}]})  # fmt: skip
    rec("GET", f"/assistants/{tutor['id']}")
    helper = rec("POST", "/assistants", {"model": "gpt-4o", "name": "HR Helper", "tools": [{"type": "file_search"}]})
    rec("POST", f"/assistants/{tutor['id']}", {"name": "Math Tutor 2", "metadata": {"team": "maths"}})
    rec("GET", "/assistants", query={"limit": "1", "order": "asc"})
    rec("DELETE", f"/assistants/{helper['id']}")
    rec("GET", f"/assistants/{helper['id']}")
    rec("GET", "/assistants/asst_doesnotexist0")
    rec("POST", "/assistants", {"model": "gpt-4o"}, headers={})
    return rec.scenario("assistants: create, retrieve, modify, list (a page of one), delete; 404s; no beta header")


def record_run() -> dict[str, Any]:
    rec = Recorder()
    assistant = rec("POST", "/assistants", {"model": "gpt-4o", "instructions": "Answer briefly."})
    thread = rec("POST", "/threads", {"messages": [{"role": "user", "content": "Hello there"}]})
    run = rec("POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"]})
    rec("GET", f"/threads/{thread['id']}/runs/{run['id']}")
    rec("GET", f"/threads/{thread['id']}/messages")
    steps = rec("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps")
    rec("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps/{steps['data'][0]['id']}")
    rec("POST", f"/threads/{thread['id']}/runs/{run['id']}/cancel")
    return rec.scenario("a run on the default model: create (queued), retrieve (completed), its messages and steps")


def record_stream() -> dict[str, Any]:
    rec = Recorder()
    assistant = rec("POST", "/assistants", {"model": "gpt-4o"})
    thread = rec("POST", "/threads", {"messages": [{"role": "user", "content": "Say hello"}]})
    rec("POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"], "stream": True})
    rec("GET", f"/threads/{thread['id']}/messages", query={"limit": "1"})
    return rec.scenario("a streamed run on the default model: the events of a text reply, then the reply")


#: A 1x1 PNG.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def record_files_azure() -> dict[str, Any]:
    rec = Recorder("azure")
    notes = rec("POST", "/files", multipart={"fields": {"purpose": "assistants"},
                                             "files": {"file": {"filename": "notes.md", "text": "# Notes\nhello\n"}}})  # fmt: skip
    batch = rec("POST", "/files", multipart={"fields": {"purpose": "batch"}, "files": {"file": {
        "filename": "requests.jsonl", "text": '{"custom_id": "a"}\n', "content_type": "application/jsonl"}}})  # fmt: skip
    image = rec("POST", "/files", multipart={"fields": {"purpose": "vision"},
                                             "files": {"file": {"filename": "pixel.png", "base64": PIXEL}}})  # fmt: skip
    rec("GET", f"/files/{notes['id']}")
    rec("GET", f"/files/{notes['id']}/content")
    rec("GET", f"/files/{batch['id']}/content")
    rec("GET", f"/files/{image['id']}/content")
    store = rec("POST", "/vector_stores", {"name": "docs", "file_ids": [notes["id"]]})
    rec("GET", f"/vector_stores/{store['id']}/files")
    rec("GET", f"/vector_stores/{store['id']}/files/{notes['id']}")
    rec("DELETE", f"/vector_stores/{store['id']}")
    rec("DELETE", f"/files/{notes['id']}")
    return rec.scenario(
        "Azure shape: upload files (multipart); an assistants file cannot be downloaded, batch and vision files can;"
        " a vector store over the notes; delete"
    )


SAMPLE_RECORDERS = {
    "assistants.yaml": record_assistants,
    "run.yaml": record_run,
    "stream.yaml": record_stream,
    "files_azure.yaml": record_files_azure,
}


# --- helpers ---------------------------------------------------------------------------------


def sample(name: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8"))


def check(data: dict[str, Any]) -> list[Difference]:
    """Check a scenario (a parsed mapping) against a fresh emulator."""
    emulator = Emulator(seed=0)
    try:
        return check_scenario(fixture.from_dict(data), werkzeug_sender(create_app(emulator)))
    finally:
        emulator.close()


def lines(diffs: list[Difference]) -> list[str]:
    return [str(diff) for diff in diffs]


def exchange_of(data: dict[str, Any], method: str, path_end: str) -> int:
    """Index of the first exchange whose request has this method and a path ending so."""
    for i, exchange in enumerate(data["exchanges"]):
        if exchange["request"]["method"] == method and exchange["request"]["path"].endswith(path_end):
            return i
    raise AssertionError(f"no {method} ...{path_end} in the scenario")


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
    data["exchanges"][0]["response"]["body"]["reasoning_effort"] = None
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body: expected key 'reasoning_effort' is missing"
    ]


def test_a_key_the_recording_lacks_is_reported_unexpected():
    data = sample("assistants.yaml")
    del data["exchanges"][0]["response"]["body"]["tool_resources"]
    assert lines(check(data)) == [
        "exchange 0 POST /v1/assistants: response.body: unexpected key 'tool_resources' (an object with 1 key)"
    ]


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
    data = yaml.safe_load(yaml.safe_dump(data).replace(recorded, "asst_abc123"))
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


# --- streams ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recorded_stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A streamed run recorded from a fresh emulator just now."""
    return dump(record_stream(), tmp_path_factory.mktemp("stream") / "stream.yaml")


def stream_exchange(data: dict[str, Any]) -> dict[str, Any]:
    return next(ex for ex in data["exchanges"] if "events" in ex["response"])


def test_a_recorded_stream_checks_clean(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    names = [event["event"] for event in stream_exchange(data)["response"]["events"]]
    assert names[0] == "thread.run.created" and names[-1] == "done"
    assert names.count("thread.message.delta") > 1
    assert check_file(recorded_stream) == []


def test_more_or_fewer_deltas_do_not_matter(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    events = stream_exchange(data)["response"]["events"]
    delta = next(i for i, event in enumerate(events) if event["event"] == "thread.message.delta")
    events[delta + 1 : delta + 1] = [copy.deepcopy(events[delta])] * 5
    assert check(data) == []


def test_reordered_stream_events_are_reported(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    i = data["exchanges"].index(stream_exchange(data))
    events = stream_exchange(data)["response"]["events"]
    names = [event["event"] for event in events]
    a, b = names.index("thread.run.queued"), names.index("thread.run.in_progress")
    events[a], events[b] = events[b], events[a]
    diffs = check(data)
    assert [diff.message for diff in diffs] == [
        "unexpected event 'thread.run.queued' (after 'thread.run.created')",
        "missing event 'thread.run.queued' (after 'thread.run.in_progress')",
    ]
    assert [diff.where for diff in diffs] == [f"response.events[{a}]", f"response.events[{b}]"]
    assert all(diff.exchange == i for diff in diffs)


def test_missing_and_unexpected_stream_events_are_reported(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    events = stream_exchange(data)["response"]["events"]
    k = next(k for k, event in enumerate(events) if event["event"] == "thread.run.step.completed")
    del events[k]  # the emulator sends it: unexpected
    events.insert(1, {"event": "thread.run.failed", "data": events[0]["data"]})  # it does not: missing
    assert [f"{d.where}: {d.message}" for d in check(data)] == [
        "response.events[1]: missing event 'thread.run.failed' (after 'thread.run.created')",
        f"response.events[{k + 1}]: unexpected event 'thread.run.step.completed' (after 'thread.message.completed')",
    ]


def test_the_data_of_a_stream_event_is_compared(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    events = stream_exchange(data)["response"]["events"]
    k = next(k for k, event in enumerate(events) if event["event"] == "thread.message.created")
    events[k]["data"]["status"] = "completed"
    del events[k]["data"]["attachments"]
    for event in events:  # later occurrences and deltas are not compared
        if event["event"] in ("thread.run.step.created", "thread.message.delta") and event is not events[k]:
            event["data"]["object"] = "whatever"
    step = next(k for k, event in enumerate(events) if event["event"] == "thread.run.step.created")
    assert [f"{d.where}: {d.message}" for d in check(data)] == [
        f"response.events[{step}].data.object: expected 'whatever', got 'thread.run.step'",
        f"response.events[{k}].data.status: expected 'completed', got 'in_progress'",
        f"response.events[{k}].data: unexpected key 'attachments' (an empty list)",
    ]


def test_a_stream_expected_where_json_comes_back(recorded_stream: Path):
    data = yaml.safe_load(recorded_stream.read_text())
    stream_exchange(data)["request"]["body"]["stream"] = False
    diffs = check(data)
    assert [(d.where, d.message) for d in diffs][:1] == [
        ("response.headers.content-type", "expected 'text/event-stream', got 'application/json'")
    ]
    assert any(d.message == "expected a stream (text/event-stream), got application/json" for d in diffs)


def test_parse_sse():
    text = (
        'event: a\ndata: {"x": 1}\n\n: a comment\r\nevent: b\r\ndata: line one\r\ndata:line two\r\n\r\ndata: [DONE]\n\n'
    )
    assert parse_sse(text) == [("a", {"x": 1}), ("b", "line one\nline two"), ("message", "[DONE]")]
    assert parse_sse("event: empty\n\nevent: done\ndata: [DONE]") == [("done", "[DONE]")]


def test_squeeze_keeps_runs_of_other_events():
    names = ["a", "x.delta", "x.delta", "b", "b", "x.delta", "y.delta", "y.delta"]
    assert squeeze(names) == (["a", "x.delta", "b", "b", "x.delta", "y.delta"], [0, 1, 3, 4, 5, 6])


def test_any_http_client_can_send():
    """`send` may answer with an httpx response (here through the in-process transport)."""
    import httpx

    from emulator.transport import sync_transport

    emulator = Emulator(seed=0)
    client = httpx.Client(base_url="http://emulator.local", transport=sync_transport(create_app(emulator), httpx))

    def send(method, path, query, headers, body):
        assert not isinstance(body, Multipart)
        return client.request(method, path, params=query, headers=headers, json=body)

    try:
        assert check_scenario(fixture.from_dict(sample("stream.yaml")), send) == []
    finally:
        client.close()
        emulator.close()


# --- malformed fixtures ----------------------------------------------------------------------

GOOD = {
    "source": "test",
    "shape": "openai",
    "exchanges": [{"request": {"method": "GET", "path": "/v1/models"}, "response": {"status": 200}}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("source"), "<fixture>: missing required key 'source'"),
        (lambda d: d.update(shape="aws"), "<fixture>: shape: expected 'openai' or 'azure', got 'aws'"),
        (
            lambda d: d.update(exchanges=[]),
            "<fixture>: exchanges: expected a non-empty list of exchanges, got a list ([])",
        ),
        (
            lambda d: d.update(extra=1),
            "<fixture>: unknown key 'extra' (allowed: exchanges, ignore, note, shape, source)",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(bdy={}),
            "<fixture>: exchanges[0].response: unknown key 'bdy' (allowed: base64, body, events, headers, status, text)",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(status="ok"),
            "<fixture>: exchanges[0].response.status: expected an HTTP status (100-599), got 'ok'",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(path="/openai/models"),
            "<fixture>: exchanges[0].request.path: a openai scenario's paths start with /v1/, got '/openai/models'",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(path="/v1/models?limit=2"),
            "<fixture>: exchanges[0].request.path: put the query string under `query:`, not in the path",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(headers={"Authorization": "Bearer sk-123"}),
            "<fixture>: exchanges[0].request.headers.Authorization: never record credentials: the checker sends its own key",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(body={"a": 1}, multipart={"fields": {"a": "b"}}),
            "<fixture>: exchanges[0].request: a request has `body` or `multipart`, not both",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(body={"a": 1}, text="x"),
            "<fixture>: exchanges[0].response: a response has one of body, events, text, base64; got body, text",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(events=[{"event": "done", "data": "DONE"}]),
            "<fixture>: exchanges[0].response.events[0].data: the done event's data is '[DONE]', got 'DONE'",
        ),
        (lambda d: d.update(ignore=[{"path": "response.body"}]), "<fixture>: ignore[0]: missing required key 'why'"),
        (
            lambda d: d.update(ignore=[{"path": "response.body", "why": "x"}]),
            "<fixture>: ignore[0].path: must start with exchanges[N] or exchanges[*], got 'response.body'",
        ),
        (
            lambda d: d.update(ignore=[{"path": "exchanges[3].response", "why": "x"}]),
            "<fixture>: ignore[0].path: exchange 3 does not exist (there are 1)",
        ),
        (
            lambda d: d.update(ignore=[{"path": "exchanges[0].response.bo*dy", "why": "x"}]),
            "<fixture>: ignore[0].path: in 'exchanges[0].response.bo*dy': `*` stands for a whole key, not part of one",
        ),
    ],
)
def test_malformed_fixtures_are_refused_clearly(change, message):
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(FixtureError) as caught:
        fixture.from_dict(data)
    assert str(caught.value) == message


def test_yaml_problems_are_refused_clearly(tmp_path: Path):
    path = tmp_path / "dates.yaml"
    path.write_text(
        yaml.safe_dump(GOOD, sort_keys=False).replace("status: 200", "status: 200\n    body: {at: 2024-01-01}")
    )
    with pytest.raises(FixtureError, match=r"exchanges\[0\]\.response\.body\.at: datetime.date\(2024, 1, 1\) is a "
                                           r"YAML date, not a JSON value: quote it"):  # fmt: skip
        fixture.load(path)
    path.write_text("source: a\nsource: b\nshape: openai\nexchanges: []\n")
    with pytest.raises(FixtureError, match=r"duplicate key 'source' \(line 2\)"):
        fixture.load(path)
    path.write_text("source: [unclosed\n")
    with pytest.raises(FixtureError, match="not valid YAML"):
        fixture.load(path)
    with pytest.raises(FixtureError, match="cannot read"):
        fixture.load(tmp_path / "absent.yaml")


def test_fixture_details_the_checker_relies_on():
    data = copy.deepcopy(GOOD)
    request = data["exchanges"][0]["request"]
    request.update(query={"limit": 2, "include[]": ["a", "b"], "flag": True}, headers={"Content-Length": "3"})
    data["ignore"] = [{"path": 'exchanges[*].response.body.metadata["a.b"][0]', "why": "x"}]
    scenario = fixture.from_dict(data)
    assert scenario.exchanges[0].request.query == {"limit": "2", "include[]": ["a", "b"], "flag": "true"}
    assert scenario.exchanges[0].request.headers == {}
    assert scenario.ignore[0].segments == ("exchanges", "*", "response", "body", "metadata", "a.b", 0)
    assert fixture.render_path(scenario.ignore[0].segments) == scenario.ignore[0].path
    assert scenario.ignored(("exchanges", 0, "response", "body", "metadata", "a.b", 0, "x"))
    assert not scenario.ignored(("exchanges", 0, "response", "body", "metadata", "a.b", 1))
    multipart = (
        fixture.from_dict(
            {
                **GOOD,
                "exchanges": [
                    {
                        "request": {
                            "method": "POST",
                            "path": "/v1/files",
                            "multipart": {
                                "fields": {"purpose": "assistants"},
                                "files": {"file": {"filename": "a.bin", "base64": "AAEC"}},
                            },
                        },
                        "response": {"status": 200},
                    }
                ],
            }  # fmt: skip
        )
        .exchanges[0]
        .request.multipart
    )
    assert multipart == Multipart(fields={"purpose": "assistants"},
                                  files={"file": fixture.FilePart(filename="a.bin", content=b"\0\1\2")})  # fmt: skip


# --- reports and the command -----------------------------------------------------------------


def test_format_differences():
    assert format_differences("fixtures/a.yaml", []) == "fixtures/a.yaml: ok"
    diffs = [
        Difference(3, "response.body.status", "expected 'queued', got 'completed'", "POST /v1/threads/{thread}/runs"),
        Difference(1, "response.status", "expected 200, got 404"),
    ]
    assert format_differences("fixtures/a.yaml", diffs) == (
        "fixtures/a.yaml: 2 differences\n"
        "  exchange 1: response.status: expected 200, got 404\n"
        "  exchange 3 POST /v1/threads/{thread}/runs: response.body.status: expected 'queued', got 'completed'"
    )


def command(*paths: Path | str) -> int:
    parser = argparse.ArgumentParser(prog="assistants-emulator")
    add_contract_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["contract", *map(str, paths)])
    assert args.command == "contract"
    return run_contract_command(args)


def test_the_command_exits_0_1_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    good = dump(sample("assistants.yaml"), tmp_path / "good.yaml")
    assert command(good) == 0
    assert capsys.readouterr().out == f"{good}: ok\n"

    altered = sample("assistants.yaml")
    altered["exchanges"][0]["response"]["body"]["object"] = "thread"
    bad = dump(altered, tmp_path / "bad.yaml")
    assert command(tmp_path) == 1
    assert capsys.readouterr().out == (
        f"{bad}: 1 difference\n"
        f"  exchange 0 POST /v1/assistants: response.body.object: expected 'thread', got 'assistant'\n"
        f"{good}: ok\n"
        "2 scenarios: 1 ok, 1 with differences, 0 unreadable\n"
    )

    broken = tmp_path / "broken.yaml"
    broken.write_text("source: x\nshape: openai\n")
    assert command(good, broken) == 2
    assert capsys.readouterr().out.splitlines()[1] == f"{broken}: unreadable fixture: missing required key 'exchanges'"
    assert command(tmp_path / "nowhere.yaml") == 2
    assert command(tmp_path / "nowhere") == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert command(empty) == 2
    assert "no *.yaml scenario" in capsys.readouterr().out


if __name__ == "__main__":  # records the samples again
    for name, record in SAMPLE_RECORDERS.items():
        print(dump(record(), SAMPLES / name))
