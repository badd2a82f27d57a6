"""The dev server with a data directory, as a process: killed with SIGKILL in the middle of a
load (runs, files, responses, conversations), it loses nothing that was acknowledged; started on a directory of another format
version, it refuses (exit status 2)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from test_persistence import WEATHER

from emulator import Emulator
from emulator.persistence import INTERRUPTED
from emulator.runs.state_machine import ACTIVE

REPO = Path(__file__).resolve().parents[1]


def test_the_cli_refuses_a_directory_of_another_version(tmp_path):
    Emulator(data_dir=str(tmp_path)).close()
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    done = subprocess.run([sys.executable, "-m", "emulator", "serve", "--port", "0", "--data-dir", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 2 and "format version 0" in done.stderr, done.stderr


URL = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
HEADERS = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"}


def start_server(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", "--quiet", "--threads", "8",
                             "--data-dir", str(data_dir)], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    seen = []
    deadline = time.monotonic() + 20
    for line in proc.stdout:
        seen.append(line)
        match = URL.search(line)
        if match:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc, int(match.group(1))
        assert time.monotonic() < deadline, "".join(seen)
    raise AssertionError("the server did not start:\n" + "".join(seen))


def call(
    port: int, method: str, path: str, body: Any = None, content_type: str = "application/json"
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        conn.request(method, path, data, {**HEADERS, "Content-Type": content_type})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def upload(port: int, name: str, data: bytes) -> tuple[int, bytes]:
    boundary = "persistence-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return call(port, "POST", "/v1/files", body, f"multipart/form-data; boundary={boundary}")


Acked = list[tuple[str, Any, dict[str, Any]]]


def worker(port: int, n: int, acked: Acked, stop: threading.Event) -> None:
    """Creates objects until the server dies; records each one whose answer came back whole."""

    def keep(kind: str, status: int, raw: bytes, extra: Any = None) -> dict[str, Any]:
        assert status == 200, raw
        obj = json.loads(raw)
        acked.append((kind, extra, obj))
        return obj

    try:
        i = 0
        while not stop.is_set() and i < 200:
            i += 1
            tools = [WEATHER] if i % 3 == 0 else []
            a = keep("assistant", *call(port, "POST", "/v1/assistants", {"model": "gpt-4o", "name": f"w{n}-{i}",
                                                                         "tools": tools}))  # fmt: skip
            t = keep("thread", *call(port, "POST", "/v1/threads", {"metadata": {"w": str(n)}}))
            text = "get weather in Lisbon" if tools else f"hello {n} {i}"
            keep("message", *call(port, "POST", f"/v1/threads/{t['id']}/messages", {"role": "user", "content": text}))
            r = keep("run", *call(port, "POST", f"/v1/threads/{t['id']}/runs", {"assistant_id": a["id"]}))
            if i % 2:  # half the runs are read, so they move (to requires_action or completed)
                acked.append(("read", None, {"id": r["id"]}))  # sent: its effect may last, unanswered
                keep("run", *call(port, "GET", f"/v1/threads/{t['id']}/runs/{r['id']}"))
            if i % 4 == 0:
                data = json.dumps({"worker": n, "i": i, "pad": "x" * (1000 * i)}).encode() + b"\n"
                keep("file", *upload(port, f"w{n}-{i}.jsonl", data), data)
            responses(port, n, i, keep)
    except (OSError, http.client.HTTPException):
        return  # the server was killed
    except Exception as exc:  # noqa: BLE001 - the test reports it
        acked.append(("error", None, {"id": repr(exc)}))


def responses(port: int, n: int, i: int, keep: Any) -> None:
    """The Responses side of the load: a conversation, a response in it, one continuing it by
    `previous_response_id`, and every other time a streamed one (acked once read to its end)."""
    c = keep("conversation", *call(port, "POST", "/v1/conversations", {"items": [
        {"role": "user", "content": f"hello {n} {i}"}]}))  # fmt: skip
    first = keep("response", *call(port, "POST", "/v1/responses", {"model": "gpt-4o", "input": f"first {n} {i}",
                                                                  "conversation": c["id"]}))  # fmt: skip
    keep("response", *call(port, "POST", "/v1/responses", {"model": "gpt-4o", "input": "next",
                                                           "previous_response_id": first["id"], "store": True}))  # fmt: skip
    if i % 2 == 0:  # every other of them background: its stream can be read again, after the restart too
        background = i % 4 == 0
        status, raw = call(port, "POST", "/v1/responses", {"model": "gpt-4o", "input": "streamed", "stream": True,
                                                           "background": background})  # fmt: skip
        assert status == 200, raw
        events = _events(raw)
        assert [e["sequence_number"] for e in events] == list(range(len(events)))
        if events and events[-1]["type"] == "response.completed":
            keep("streamed", 200, json.dumps(events[-1]["response"]).encode(), events if background else None)


def _events(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]


def check_responses(port: int, acked: Acked) -> None:
    """Every response answered is there as answered; every conversation holds what its
    answered responses added to it."""
    added: dict[str, list[str]] = {}
    for kind, events, obj in acked:
        if kind not in ("response", "streamed", "conversation"):
            continue
        path = f"/v1/{'conversations' if kind == 'conversation' else 'responses'}/{obj['id']}"
        status, raw = call(port, "GET", path)
        assert status == 200, (path, raw)
        now = json.loads(raw)
        if kind == "response":
            assert now == obj, path
        elif kind == "streamed":
            assert now["status"] == "completed" and [o["id"] for o in now["output"]] == [o["id"] for o in obj["output"]]
            if events is not None:  # a background one's stream, read again: the events it showed
                status, raw = call(port, "GET", f"{path}?stream=true")
                assert status == 200 and _events(raw) == events, path
        if kind == "response" and obj.get("conversation"):
            status, raw = call(port, "GET", f"/v1/responses/{obj['id']}/input_items")
            given = [item["id"] for item in json.loads(raw)["data"]]
            added.setdefault(obj["conversation"]["id"], []).extend([*given, *(o["id"] for o in obj["output"])])
    for conversation_id, ids in added.items():
        status, raw = call(port, "GET", f"/v1/conversations/{conversation_id}/items?limit=100")
        held = {item["id"] for item in json.loads(raw)["data"]}
        assert set(ids) <= held, conversation_id


def _enough(acked: Acked) -> bool:
    """The load has gone far enough to kill: many runs and responses, some streams, acknowledged."""
    counts = {kind: sum(1 for k, _, _ in acked if k == kind) for kind in ("run", "response", "streamed")}
    return counts["run"] >= 60 and counts["response"] >= 60 and counts["streamed"] >= 10


def test_a_sigkill_under_load_loses_nothing_acknowledged(tmp_path):
    data = tmp_path / "data"
    proc, port = start_server(data)
    acked: Acked = []
    stop = threading.Event()
    try:
        workers = [threading.Thread(target=worker, args=(port, n, acked, stop)) for n in range(6)]
        for w in workers:
            w.start()
        # Kill once enough of each kind is acknowledged (a load-independent point, within a generous
        # deadline for a machine under load): what is checked below is that nothing acknowledged is lost.
        deadline = time.monotonic() + 120
        while not _enough(acked) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-load: the workers are still sending
        proc.wait(timeout=10)
        stop.set()
        for w in workers:
            w.join(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [obj for kind, _, obj in acked if kind == "error"] == []
    assert _enough(acked), "the load did not get far enough before the deadline"

    proc, port = start_server(data)
    try:
        last_seen = {obj["id"]: obj for kind, _, obj in acked if kind == "run"}
        read = {obj["id"] for kind, _, obj in acked if kind == "read"}
        acked = [entry for entry in acked if entry[0] != "read"]
        check_responses(port, acked)
        for kind, extra, obj in acked:
            if kind in ("response", "streamed", "conversation"):
                continue
            path = {
                "assistant": f"/v1/assistants/{obj['id']}",
                "thread": f"/v1/threads/{obj['id']}",
                "message": f"/v1/threads/{obj.get('thread_id')}/messages/{obj['id']}",
                "run": f"/v1/threads/{obj.get('thread_id')}/runs/{obj['id']}",
                "file": f"/v1/files/{obj['id']}",
            }[kind]
            status, raw = call(port, "GET", path)
            assert status == 200, (path, raw)
            now = json.loads(raw)
            if kind == "file":
                assert now == obj and call(port, "GET", path + "/content") == (200, extra)
            elif kind == "thread":  # retrieve adds the empty code_interpreter slot (ruby-openai threads_retrieve.yml)
                assert now == {**obj, "tool_resources": {"code_interpreter": {"file_ids": []}}}, path
            elif kind != "run":
                assert now == obj, path
            elif last_seen[obj["id"]]["status"] == "completed":
                assert now["status"] == "completed", now
            elif now["status"] != "failed" or now["last_error"]["message"] != INTERRUPTED:
                # an active run moved only if a read of it was sent (and killed before its answer)
                assert obj["id"] in read and now["status"] == "completed", now
        status, raw = call(port, "GET", "/_emulator/state")
        state = json.loads(raw)["namespaces"]["__shared__"]
        assert not [r for runs in state["runs"].values() for r in runs if r["status"] in ACTIVE]
        # and the server works as before
        assistant_id = next(obj["id"] for kind, _, obj in acked if kind == "assistant" and not obj["tools"])
        status, raw = call(port, "POST", "/v1/threads/runs", {"assistant_id": assistant_id, "thread": {
            "messages": [{"role": "user", "content": "hello again"}]}})  # fmt: skip
        run = json.loads(raw)
        status, raw = call(port, "GET", f"/v1/threads/{run['thread_id']}/runs/{run['id']}")
        assert json.loads(raw)["status"] == "completed"
    finally:
        proc.kill()
        proc.wait(timeout=10)
