"""The contract checker on streamed runs: events compared by name and order, deltas squeezed,
their data compared; SSE parsing; any HTTP client as the sender."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_recording import (
    check,
    dump,
    record_stream,
    sample,
)

from emulator import Emulator, create_app
from emulator.contract import fixture
from emulator.contract.checker import (
    check_file,
    check_scenario,
    parse_sse,
    squeeze,
)
from emulator.contract.fixture import Multipart

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
