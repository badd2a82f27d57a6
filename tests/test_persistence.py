"""The data directory (`--data-dir`, `Emulator(data_dir=...)`): a restart shows the same state,
answer for answer; ids go on as if nothing happened; runs caught in progress end `failed`;
a failed write is a 500, never a silent loss. (The server killed under load: test_persistence_crash.py.)"""

from __future__ import annotations

import errno
import json
import sqlite3
import time
from typing import Any

import pytest

from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.persistence import FORMAT_VERSION, INTERRUPTED, DataDirError

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        "strict": False,
    },
}
SCHEMA_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "answer", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
}
CODE = (
    "Please run this:\n```python\nimport matplotlib.pyplot as plt\nplt.plot([1, 4, 9])\n"
    "open('/mnt/data/squares.csv', 'w').write('n,sq\\n1,1\\n2,4\\n')\nprint('done')\n```\n"
    "Link it as sandbox:/mnt/data/squares.csv"
)
NOTES = b"# Office notes\n\nThe coffee machine on the third floor is descaled every Monday.\n"
POLICY = b"<html><body><h1>Returns</h1><p>Customers may return any unused item within 45 days.</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def client_of(emulator: Emulator, key: str = "key-a") -> Any:
    return in_process_client(create_app(emulator), api_key=key)


def build(c: Any, other: Any, emu: Emulator) -> None:
    """One of every kind of object, with rich content; every run ends at rest."""
    notes = c.files.create(file=("notes.md", NOTES), purpose="assistants")
    policy = c.files.create(file=("policy.html", POLICY), purpose="assistants")
    image = c.files.create(file=("photo.png", PNG), purpose="vision")
    c.files.create(file=("batch.jsonl", b'{"custom_id": "1"}\n'), purpose="batch")
    c.files.create(file=("tune.jsonl", b'{"messages": []}\n'), purpose="fine-tune")
    c.files.create(file=("mine.md", b"user data"), purpose="user_data",
                   expires_after={"anchor": "created_at", "seconds": 7200})  # fmt: skip
    doomed = c.files.create(file=("doomed.txt", b"gone soon"), purpose="assistants")
    emu.advance(5)
    store = c.vector_stores.create(name="docs", file_ids=[notes.id], metadata={"team": "red"},
                                   expires_after={"anchor": "last_active_at", "days": 7})  # fmt: skip
    c.vector_stores.files.create(vector_store_id=store.id, file_id=policy.id, attributes={"kind": "policy", "n": 2},
                                 chunking_strategy={"type": "static", "static": {"max_chunk_size_tokens": 100,
                                                                                 "chunk_overlap_tokens": 20}})  # fmt: skip
    batch_store = c.vector_stores.create(name="batched")
    # a file that fails in ingestion, `unsupported_file` (a .png would be refused when added: test_vector_stores.py)
    broken = c.files.create(file=("README", b"no extension"), purpose="user_data")
    c.vector_stores.file_batches.create(vector_store_id=batch_store.id, file_ids=[notes.id, broken.id, doomed.id])
    c.files.delete(doomed.id)
    helper = c.beta.assistants.create(
        model="gpt-4o",
        name="helper",
        instructions="Be brief.",
        metadata={"tier": "gold"},
        temperature=0.5,
        tools=[{"type": "code_interpreter"}, {"type": "file_search"}, WEATHER],
        tool_resources={"code_interpreter": {"file_ids": [notes.id]}, "file_search": {"vector_store_ids": [store.id]}},
    )
    c.beta.assistants.create(model="gpt-4o-mini", name="json", response_format=SCHEMA_FORMAT, top_p=0.9)
    gone = c.beta.assistants.create(model="gpt-4o", name="deleted later")
    c.beta.assistants.delete(gone.id)
    emu.advance(60)
    # file_search: a step with results, a reply with file_citation annotations
    thread = c.beta.threads.create(metadata={"topic": "office"}, messages=[
        {"role": "user", "content": "When is the coffee machine descaled?",
         "attachments": [{"file_id": policy.id, "tools": [{"type": "file_search"}]}]},
    ])  # fmt: skip
    c.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id, tools=[{"type": "file_search"}],
                                        metadata={"k": "v"}, truncation_strategy={"type": "last_messages",
                                                                                  "last_messages": 5})  # fmt: skip
    # function calling: requires_action, then outputs, then the reply
    c.beta.threads.messages.create(thread.id, role="user", content="get weather in Lisbon", metadata={"m": "1"})
    run = c.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id, tools=[WEATHER])
    outputs = [
        {"tool_call_id": call.id, "output": '{"temp": 19}'}
        for call in run.required_action.submit_tool_outputs.tool_calls
    ]
    c.beta.threads.runs.submit_tool_outputs_and_poll(run_id=run.id, thread_id=thread.id, tool_outputs=outputs)
    # a cancelled run, an incomplete one
    c.beta.threads.messages.create(thread.id, role="user", content="get weather in Oslo")
    run = c.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id, tools=[WEATHER])
    c.beta.threads.runs.cancel(run_id=run.id, thread_id=thread.id)
    c.beta.threads.runs.retrieve(run_id=run.id, thread_id=thread.id)
    c.beta.threads.messages.create(thread.id, role="user", content=[
        {"type": "text", "text": "Describe this picture at length please " + "and more " * 150},
        {"type": "image_file", "image_file": {"file_id": image.id, "detail": "high"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
    ])  # fmt: skip
    c.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id, max_prompt_tokens=256, tools=[])
    doomed_message = c.beta.threads.messages.create(thread.id, role="user", content="never mind")
    c.beta.threads.messages.delete(message_id=doomed_message.id, thread_id=thread.id)
    # code_interpreter: code, logs, an image output, a written file linked by a file_path annotation
    c.beta.threads.create_and_run_poll(
        assistant_id=helper.id, tools=[{"type": "code_interpreter"}],
        thread={"messages": [{"role": "user", "content": CODE}], "tool_resources": {"code_interpreter": {"file_ids": [notes.id]}}},
    )  # fmt: skip
    emu.advance(30)
    for n in range(5):  # enough for several pages
        c.beta.threads.create(messages=[{"role": "user", "content": f"hello {n}"}])
    other.beta.assistants.create(model="gpt-4o", name="another tenant's")


def answers(c: Any, emu: Emulator, key: str = "key-a") -> dict[str, Any]:
    """Every answer the API gives about the state (raw bytes), each list page by page."""
    out: dict[str, Any] = {"state": json.dumps(emu.state(), sort_keys=True)}

    def walk(label: str, lister: Any, **options: Any) -> None:
        after, n = None, 0
        while True:
            raw = lister(limit=2, **options, **({"after": after} if after else {}))
            out[f"{label} p{n}"] = raw.content
            body = json.loads(raw.content)
            if not body["has_more"]:
                return
            after, n = body["last_id"], n + 1

    state = emu.state()["namespaces"].get(key, {})
    walk("assistants", c.beta.assistants.with_raw_response.list)
    walk("assistants asc", c.beta.assistants.with_raw_response.list, order="asc")
    walk("files", c.files.with_raw_response.list)
    walk("vision files", c.files.with_raw_response.list, purpose="vision")
    walk("vector stores", c.vector_stores.with_raw_response.list)
    out["models"] = c.models.with_raw_response.list().content
    for a in state.get("assistants", []):
        out[a["id"]] = c.beta.assistants.with_raw_response.retrieve(a["id"]).content
    for f in state.get("files", []):
        out[f["id"]] = c.files.with_raw_response.retrieve(f["id"]).content
        if f["purpose"] not in ("assistants", "user_data"):
            out[f["id"] + " content"] = c.files.with_raw_response.content(f["id"]).content
    for t in state.get("threads", []):
        out[t["id"]] = c.beta.threads.with_raw_response.retrieve(t["id"]).content
        walk(f"{t['id']} messages", c.beta.threads.messages.with_raw_response.list, thread_id=t["id"])
        walk(f"{t['id']} messages asc", c.beta.threads.messages.with_raw_response.list, thread_id=t["id"], order="asc")
        walk(f"{t['id']} runs", c.beta.threads.runs.with_raw_response.list, thread_id=t["id"])
        for m in state["messages"][t["id"]]:
            out[m["id"]] = c.beta.threads.messages.with_raw_response.retrieve(m["id"], thread_id=t["id"]).content
        for r in state["runs"][t["id"]]:
            out[r["id"]] = c.beta.threads.runs.with_raw_response.retrieve(r["id"], thread_id=t["id"]).content
            walk(f"{r['id']} steps", c.beta.threads.runs.steps.with_raw_response.list, thread_id=t["id"], run_id=r["id"],
                 include=["step_details.tool_calls[*].file_search.results[*].content"])  # fmt: skip
            for s in state["steps"][r["id"]]:
                out[s["id"]] = c.beta.threads.runs.steps.with_raw_response.retrieve(
                    s["id"], thread_id=t["id"], run_id=r["id"]).content  # fmt: skip
    for vs in state.get("vector_stores", []):
        out[vs["id"]] = c.vector_stores.with_raw_response.retrieve(vs["id"]).content
        walk(f"{vs['id']} files", c.vector_stores.files.with_raw_response.list, vector_store_id=vs["id"])
        walk(f"{vs['id']} failed", c.vector_stores.files.with_raw_response.list, vector_store_id=vs["id"],
             filter="failed")  # fmt: skip
        for f in state["vector_store_files"][vs["id"]]:
            out[f"{vs['id']}/{f['id']}"] = c.vector_stores.files.with_raw_response.retrieve(
                f["id"], vector_store_id=vs["id"]).content  # fmt: skip
        for b in state["file_batches"][vs["id"]]:
            out[b["id"]] = c.vector_stores.file_batches.with_raw_response.retrieve(
                b["id"], vector_store_id=vs["id"]).content  # fmt: skip
            walk(f"{b['id']} files", c.vector_stores.file_batches.with_raw_response.list_files, batch_id=b["id"],
                 vector_store_id=vs["id"])  # fmt: skip
        out[f"{vs['id']} search"] = c.vector_stores.with_raw_response.search(
            vs["id"], query="coffee machine returns", max_num_results=5).content  # fmt: skip
    return out


def continue_(c: Any, emu: Emulator) -> list[Any]:
    """What happens next: new ids, a file expiring, a new run using the old objects."""
    emu.advance(7200)
    helper = next(a for a in c.beta.assistants.list() if a.name == "helper")
    thread = c.beta.threads.create(messages=[{"role": "user", "content": "When is the coffee machine descaled?"}])
    run = c.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id,
                                              tools=[{"type": "file_search"}])  # fmt: skip
    reply = c.beta.threads.messages.list(thread.id).data[0]
    return [thread.id, run.id, reply.model_dump(), [f.id for f in c.files.list()], c.files.create(
        file=("later.md", b"later"), purpose="assistants").id]  # fmt: skip


def test_every_object_and_answer_survives_a_restart_byte_for_byte(tmp_path):
    options = {"seed": 11, "api_keys": ["key-a", "key-b"]}
    first = Emulator(data_dir=str(tmp_path / "data"), **options)
    build(client_of(first), client_of(first, "key-b"), first)
    before = answers(client_of(first), first)
    for shown in (
        "file_citation",
        "file_path",
        '"type": "image"',
        '"logs"',
        '"file_search"',
        '"incomplete"',
        '"cancelled"',
        "unsupported_file",
        "image_url",
        '"schema"',
        '"max_chunk_size_tokens": 100',
    ):
        assert shown in before["state"], shown  # the scenario has it all
    before_b = answers(client_of(first, "key-b"), first, "key-b")
    first.close()

    again = Emulator(data_dir=str(tmp_path / "data"), **options)
    after = answers(client_of(again), again)
    assert list(after) == list(before)
    for label in before:
        assert after[label] == before[label], label
    assert answers(client_of(again, "key-b"), again, "key-b") == before_b
    assert again.clock.now() == first.clock.now()

    # the same calls on an emulator that never stopped give the same answers and the same new ids
    memory = Emulator(**options)
    build(client_of(memory), client_of(memory, "key-b"), memory)
    assert answers(client_of(memory), memory) == before
    went_on = continue_(client_of(again), again)
    assert went_on == continue_(client_of(memory), memory)
    assert went_on[-1] not in json.dumps(before["state"])
    again.close()
    memory.close()

    # and that is on disk too
    third = Emulator(data_dir=str(tmp_path / "data"), **options)
    assert json.loads(answers(client_of(third), third)["state"]) == json.loads(
        answers(client_of(memory), memory)["state"]
    )
    third.close()


def test_in_progress_ingestion_and_a_virtual_clock_go_on_after_a_restart(tmp_path):
    def scenario(emu: Emulator) -> tuple[str, str]:
        c = client_of(emu)
        f = c.files.create(file=("notes.md", NOTES), purpose="assistants")
        store = c.vector_stores.create(name="slow")
        c.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[f.id])
        return store.id, f.id

    options = {"seed": 3, "ingestion_seconds": 100}
    first = Emulator(data_dir=str(tmp_path), **options)
    store_id, _ = scenario(first)
    assert client_of(first).vector_stores.retrieve(store_id).status == "in_progress"
    first.advance(50)
    first.close()
    again, memory = Emulator(data_dir=str(tmp_path), **options), Emulator(**options)
    scenario(memory)
    memory.advance(50)
    for emu in (again, memory):
        assert client_of(emu).vector_stores.retrieve(store_id).status == "in_progress"
        emu.advance(50)
    results = [client_of(emu).vector_stores.with_raw_response.search(store_id, query="coffee").content
               for emu in (again, memory)]  # fmt: skip
    assert results[0] == results[1] and b"descaled" in results[0]
    again.close()


def test_runs_caught_in_progress_end_failed_and_their_steps_with_them(tmp_path):
    first = Emulator(data_dir=str(tmp_path))
    c = client_of(first)
    assistant = c.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    waiting = c.beta.threads.create_and_run_poll(assistant_id=assistant.id, thread={
        "messages": [{"role": "user", "content": "get weather in Lisbon"}]})  # fmt: skip
    queued = c.beta.threads.create_and_run(assistant_id=assistant.id, thread={
        "messages": [{"role": "user", "content": "hello"}]})  # fmt: skip
    cancelling = c.beta.threads.create_and_run_poll(assistant_id=assistant.id, thread={
        "messages": [{"role": "user", "content": "get weather in Paris"}]})  # fmt: skip
    c.beta.threads.runs.cancel(run_id=cancelling.id, thread_id=cancelling.thread_id)
    assert (waiting.status, queued.status) == ("requires_action", "queued")
    first.advance(90)
    first.close()

    again = Emulator(data_dir=str(tmp_path))
    c = client_of(again)
    now = again.clock.now()
    for run in (waiting, queued):
        run = c.beta.threads.runs.retrieve(run_id=run.id, thread_id=run.thread_id)
        assert run.status == "failed" and run.failed_at == now and run.required_action is None
        assert (run.last_error.code, run.last_error.message) == ("server_error", INTERRUPTED)
    run = c.beta.threads.runs.retrieve(run_id=cancelling.id, thread_id=cancelling.thread_id)
    assert (run.status, run.cancelled_at, run.last_error) == ("cancelled", now, None)
    (step,) = c.beta.threads.runs.steps.list(run_id=waiting.id, thread_id=waiting.thread_id)
    assert (step.status, step.failed_at) == ("failed", now)
    assert step.expires_at is None  # a step's expires_at is its run's: null once the run is over
    # the threads are free again, and the change is on disk
    c.beta.threads.messages.create(waiting.thread_id, role="user", content="hello")
    again.close()
    third = Emulator(data_dir=str(tmp_path))
    assert client_of(third).beta.threads.runs.retrieve(run_id=queued.id, thread_id=queued.thread_id).status == "failed"
    third.close()


#: Statuses of runs, steps and messages, each after those it can follow.
LATER = ["queued", "in_progress", "requires_action", "cancelling", "completed", "incomplete", "failed", "cancelled",
         "expired"]  # fmt: skip


def test_what_a_stream_shows_is_already_on_disk(tmp_path, monkeypatch):
    """Each run, step and message event reaches the client only once its object is written
    (with that status): a crash can never lose what a client was shown. The model takes its
    time to reply, so a stream running ahead of the writes would be seen."""
    from emulator.runs.engine import RunEngine

    reply = RunEngine.reply

    def slow_reply(self, *args, **kwargs):
        time.sleep(0.3)  # under the lock, with the run in progress and its step created
        return reply(self, *args, **kwargs)

    monkeypatch.setattr(RunEngine, "reply", slow_reply)
    first = Emulator(data_dir=str(tmp_path))
    c = client_of(first)
    assistant = c.beta.assistants.create(model="gpt-4o")
    thread = c.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    checked = 0
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:
        with c.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            for event in stream:
                if event.event.endswith(".delta") or not hasattr(event.data, "status"):
                    continue
                row = db.execute("SELECT json FROM objects WHERE id = ?", (event.data.id,)).fetchone()
                assert row is not None, event.event
                stored = json.loads(row[0])["status"]
                assert LATER.index(stored) >= LATER.index(event.data.status), (
                    event.event,
                    stored,
                )  # as far, or further
                checked += 1
    assert checked >= 8
    first.close()


def test_a_streamed_run_is_written_by_the_thread_that_drives_it(tmp_path):
    first = Emulator(data_dir=str(tmp_path))
    c = client_of(first)
    assistant = c.beta.assistants.create(model="gpt-4o")
    thread = c.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    with c.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    # nothing else takes the emulator's lock: the driving thread wrote the run's end itself
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:
        deadline = time.monotonic() + 10
        while True:
            (raw,) = db.execute("SELECT json FROM objects WHERE id = ?", (run.id,)).fetchone()
            if json.loads(raw)["status"] == "completed" or time.monotonic() > deadline:
                break
            time.sleep(0.01)
    assert json.loads(raw)["status"] == "completed"
    first.close()
    again = Emulator(data_dir=str(tmp_path))
    c = client_of(again)
    assert c.beta.threads.runs.retrieve(run_id=run.id, thread_id=thread.id).status == "completed"
    assert c.beta.threads.messages.list(thread.id).data[0].content[0].text.value.startswith('You said: "hello there"')
    again.close()


def test_reset_empties_the_data_directory(tmp_path):
    emu = Emulator(data_dir=str(tmp_path))
    c = client_of(emu)
    file = c.files.create(file=("a.jsonl", b"{}\n"), purpose="batch")
    c.beta.assistants.create(model="gpt-4o")
    emu.reset()
    assert not any((tmp_path / "files").rglob("*"))
    fresh = c.files.create(file=("b.jsonl", b"{}\n"), purpose="batch")
    assert fresh.id == file.id  # the id sequence starts again, as in memory
    emu.close()
    again = Emulator(data_dir=str(tmp_path))
    c = client_of(again)
    assert [f.id for f in c.files.list()] == [fresh.id] and list(c.beta.assistants.list()) == []
    assert c.files.content(fresh.id).content == b"{}\n"
    again.close()


def test_deleted_file_contents_leave_the_disk_and_stray_ones_are_swept(tmp_path):
    emu = Emulator(data_dir=str(tmp_path))
    c = client_of(emu)
    keep = c.files.create(file=("keep.jsonl", b"1\n"), purpose="batch")
    drop = c.files.create(file=("drop.jsonl", b"2\n"), purpose="batch")
    names = {p.name for p in (tmp_path / "files").rglob("file-*")}
    assert names == {keep.id, drop.id}
    c.files.delete(drop.id)
    folder = next((tmp_path / "files").iterdir())
    assert {p.name for p in folder.iterdir()} == {keep.id}
    emu.close()
    (folder / "file-stray").write_bytes(b"written, never committed")
    (folder / (keep.id + ".tmp")).write_bytes(b"half")
    again = Emulator(data_dir=str(tmp_path))
    assert {p.name for p in folder.iterdir()} == {keep.id}
    assert client_of(again).files.content(keep.id).content == b"1\n"
    again.close()


def test_another_format_version_or_a_directory_in_use_is_refused(tmp_path):
    emu = Emulator(data_dir=str(tmp_path))
    with pytest.raises(DataDirError, match="in use by another emulator"):
        Emulator(data_dir=str(tmp_path))
    emu.close()
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'format'")
    with pytest.raises(ValueError, match=f"format version 999; this emulator reads format version {FORMAT_VERSION}"):
        Emulator(data_dir=str(tmp_path))
    (tmp_path / "emulator.sqlite3").unlink()
    for extra in ("-wal", "-shm"):
        (tmp_path / f"emulator.sqlite3{extra}").unlink(missing_ok=True)
    (tmp_path / "emulator.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="cannot be used"):
        Emulator(data_dir=str(tmp_path))


class _FullDisk:
    """A connection whose writes fail as on a full disk, until `heal()`."""

    def __init__(self, db: Any) -> None:
        self.db, self.full = db, True

    def execute(self, sql: str, *args: Any) -> Any:
        if self.full and sql.startswith("COMMIT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> Any:
        return self.db.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_a_failed_write_is_a_500_in_the_real_envelope_and_is_retried(tmp_path, monkeypatch, caplog):
    emu = Emulator(data_dir=str(tmp_path))
    c = in_process_client(create_app(emu), max_retries=0)
    kept = c.beta.assistants.create(model="gpt-4o", name="kept")
    real = emu.persistence._db
    emu.persistence._db = full = _FullDisk(real)
    with pytest.raises(Exception) as caught:
        c.beta.assistants.create(model="gpt-4o", name="pending")
    assert caught.value.status_code == 500
    assert caught.value.body["type"] == "server_error" and "disk is full" in caught.value.body["message"]
    assert "could not be written" in caplog.text
    assert not real.in_transaction  # rolled back, nothing half written

    def no_space(path: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    full.full = False
    monkeypatch.setattr("emulator.persistence.write_file", no_space)
    with pytest.raises(Exception) as caught:
        c.files.create(file=("a.jsonl", b"{}\n"), purpose="batch")
    assert caught.value.status_code == 500 and "No space left" in caught.value.body["message"]
    monkeypatch.undo()
    assert c.beta.assistants.retrieve(kept.id).name == "kept"  # a read: the pending writes go through now
    emu.close()
    again = Emulator(data_dir=str(tmp_path))
    c = client_of(again)
    assert [a.name for a in c.beta.assistants.list(order="asc")] == ["kept", "pending"]
    (file,) = c.files.list()
    assert c.files.content(file.id).content == b"{}\n"
    again.close()


def test_a_reset_can_turn_a_data_directory_on_and_off(emulator, openai_client, tmp_path):
    emulator.reset(data_dir=str(tmp_path))
    kept = openai_client.beta.assistants.create(model="gpt-4o", name="kept")
    emulator.reset(data_dir=None)  # the directory is let go as it is, and memory starts afresh
    assert list(openai_client.beta.assistants.list()) == []
    again = Emulator(data_dir=str(tmp_path))
    assert [a.id for a in client_of(again).beta.assistants.list()] == [kept.id]
    again.close()


def test_persistence_off_keeps_plain_containers(emulator):
    ns = emulator.namespace()
    assert type(ns.messages) is dict and type(ns.batch_files) is dict
    assert ns.assistants._journal is None and emulator.lock.before_release is None
    assert emulator.ids.journal is None and emulator.persistence is None


# --- the acceptance test: SIGKILL under load ------------------------------------------
