"""The data directory keeps the Responses side: stored responses with their input items, chains,
conversations and their items survive a restart answer for answer; a background response under
way at a restart fails with the documented error; what a response's stream shows is on disk
first. (The dev server killed under load: test_persistence_crash.py.)"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from test_persistence import client_of
from weather import WEATHER

from emulator import Emulator
from emulator.persistence import RESPONSE_INTERRUPTED


def build(c: Any, emu: Emulator) -> dict[str, str]:
    """Responses of every kind, chained and in conversations; every one at rest."""
    text = c.responses.create(model="gpt-4o", input="Hello there", instructions="Be brief", metadata={"k": "v"})
    called = c.responses.create(model="gpt-4o", input="get_weather in Oslo", tools=[WEATHER])
    output = {"type": "function_call_output", "call_id": called.output[0].call_id, "output": '{"temp": 4}'}
    answered = c.responses.create(model="gpt-4o", previous_response_id=called.id, input=[output], tools=[WEATHER])
    c.responses.create(model="gpt-4o", input="not kept", store=False)
    schema = {"type": "json_schema", "name": "a", "strict": True,
              "schema": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                         "additionalProperties": False}}  # fmt: skip
    c.responses.create(model="gpt-4o", input="JSON please", text={"format": schema}, max_output_tokens=500)
    c.responses.create(model="gpt-4o", input=[{"role": "user", "content": [{"type": "input_text", "text": "Hi"}]},
                                              {"role": "developer", "content": "Answer in French"}])  # fmt: skip
    emu.advance(30)
    conversation = c.conversations.create(metadata={"topic": "weather"},
                                          items=[{"role": "user", "content": "I am in Rome"}])  # fmt: skip
    in_conv = c.responses.create(
        model="gpt-4o", conversation=conversation.id, tools=[WEATHER], input="get_weather in Rome"
    )
    output = {"type": "function_call_output", "call_id": in_conv.output[0].call_id, "output": '{"temp": 20}'}
    c.responses.create(model="gpt-4o", conversation=conversation.id, input=[output], tools=[WEATHER])
    added = c.conversations.items.create(conversation.id, items=[{"role": "user", "content": "and tomorrow?"},
                                                                 {"role": "user", "content": "gone"}])  # fmt: skip
    c.conversations.items.delete(added.data[1].id, conversation_id=conversation.id)
    c.conversations.update(conversation.id, metadata={"topic": "weather", "n": "2"})
    other = c.conversations.create()
    c.conversations.delete(other.id)
    background = c.responses.create(model="gpt-4o", input="in the background", background=True)
    assert c.responses.retrieve(background.id).status == "completed"  # immediate: moved when polled
    emu.models.register({"name": "slow", "progression": "reads:5", "turns": [{"do": [{"reply": "late"}]}]})
    cancelled = c.responses.create(model="slow", input="never mind", background=True)
    c.responses.cancel(cancelled.id)
    doomed = c.responses.create(model="gpt-4o", input="delete me")
    c.responses.delete(doomed.id)
    return {"text": text.id, "answered": answered.id, "conversation": conversation.id}


def answers(c: Any, emu: Emulator) -> dict[str, Any]:
    """Every answer the API gives about the Responses state (raw bytes), lists page by page."""
    ns = emu.state()["namespaces"]["__shared__"]
    out: dict[str, Any] = {"state": json.dumps({k: ns[k] for k in ("counts", "responses", "response_input_items",
                                                                   "conversations", "conversation_items")},
                                               sort_keys=True)}  # fmt: skip

    def walk(label: str, lister: Any, *args: Any, **options: Any) -> None:
        after, n = None, 0
        while True:
            raw = lister(*args, limit=2, **options, **({"after": after} if after else {}))
            out[f"{label} p{n}"] = raw.content
            body = json.loads(raw.content)
            if not body["has_more"]:
                return
            after, n = body["last_id"], n + 1

    for r in ns["responses"]:
        out[r["id"]] = c.responses.with_raw_response.retrieve(r["id"]).content
        walk(f"{r['id']} input", c.responses.input_items.with_raw_response.list, r["id"])
        walk(f"{r['id']} input asc", c.responses.input_items.with_raw_response.list, r["id"], order="asc")
    for conv in ns["conversations"]:
        out[conv["id"]] = c.conversations.with_raw_response.retrieve(conv["id"]).content
        walk(f"{conv['id']} items", c.conversations.items.with_raw_response.list, conv["id"])
        walk(f"{conv['id']} items asc", c.conversations.items.with_raw_response.list, conv["id"], order="asc")
        for item in ns["conversation_items"][conv["id"]]:
            out[item["id"]] = c.conversations.items.with_raw_response.retrieve(item["id"],
                                                                               conversation_id=conv["id"]).content  # fmt: skip
    return out


def continue_(c: Any, ids: dict[str, str]) -> list[Any]:
    """What happens next: chains and conversations go on from what was stored."""
    chained = c.responses.create(model="gpt-4o", input="and again", previous_response_id=ids["answered"])
    in_conv = c.responses.create(model="gpt-4o", input="once more", conversation=ids["conversation"])
    tokens = c.responses.input_tokens.count(model="gpt-4o", input="x", previous_response_id=ids["text"])
    return [chained.model_dump(), in_conv.model_dump(), tokens.input_tokens,
            [i.id for i in c.conversations.items.list(ids["conversation"], order="asc")]]  # fmt: skip


def test_responses_and_conversations_survive_a_restart_answer_for_answer(tmp_path):
    first = Emulator(data_dir=str(tmp_path), seed=5)
    ids = build(client_of(first), first)
    before = answers(client_of(first), first)
    for shown in ('"function_call_output"', '"cancelled"', '"developer"', '"json_schema"', '"previous_response_id": "'):
        assert shown in before["state"], shown  # the scenario has it all
    first.close()

    again = Emulator(data_dir=str(tmp_path), seed=5)
    after = answers(client_of(again), again)
    assert list(after) == list(before)
    for label in before:
        assert after[label] == before[label], label
    memory = Emulator(seed=5)
    assert build(client_of(memory), memory) == ids
    assert answers(client_of(memory), memory) == before
    went_on = continue_(client_of(again), ids)
    assert went_on == continue_(client_of(memory), ids)
    again.close()
    third = Emulator(data_dir=str(tmp_path), seed=5)
    assert answers(client_of(third), third) == answers(client_of(memory), memory)
    third.close()


def test_a_background_response_under_way_at_a_restart_fails(tmp_path):
    first = Emulator(data_dir=str(tmp_path), progression="reads:3")
    c = client_of(first)
    conversation = c.conversations.create(items=[{"role": "user", "content": "hello"}])
    queued = c.responses.create(model="gpt-4o", input="later", background=True)
    started = c.responses.create(model="gpt-4o", input="started", background=True, conversation=conversation.id)
    for _ in range(3):
        c.responses.retrieve(started.id)
    assert (c.responses.retrieve(queued.id).status, c.responses.retrieve(started.id).status) == (
        "queued", "in_progress")  # fmt: skip
    first.close()

    again = Emulator(data_dir=str(tmp_path), progression="reads:3")
    c = client_of(again)
    for response in (queued, started):
        shown = c.responses.retrieve(response.id)
        assert shown.status == "failed" and shown.output == [] and shown.usage is None
        assert (shown.error.code, shown.error.message) == ("server_error", RESPONSE_INTERRUPTED)
        assert c.responses.cancel(response.id).status == "failed"  # over: cancelling changes nothing
    # a failed response adds nothing to its conversation, which goes on
    assert [i.type for i in c.conversations.items.list(conversation.id)] == ["message"]
    assert c.responses.create(model="gpt-4o", input="again", conversation=conversation.id).status == "completed"
    again.close()
    third = Emulator(data_dir=str(tmp_path))
    assert client_of(third).responses.retrieve(queued.id).status == "failed"  # the end was written
    third.close()


def test_what_a_response_stream_shows_is_already_on_disk(tmp_path, monkeypatch):
    """Each event of a streamed response reaches the client only once what it shows is written:
    the response with that status (or further), and the item it adds in the stored output. The
    engine takes its time after each event, so a stream running ahead of the writes would be seen."""
    from emulator.responses.engine import ResponseEngine

    emit = ResponseEngine.emit

    def slow_emit(self: Any, *args: Any, **kwargs: Any) -> None:
        emit(self, *args, **kwargs)
        time.sleep(0.02)  # under the lock, the event heard

    monkeypatch.setattr(ResponseEngine, "emit", slow_emit)
    order = ["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"]
    emu = Emulator(data_dir=str(tmp_path))
    c = client_of(emu)
    checked = 0
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:

        def stored(response_id: str) -> dict[str, Any]:
            row = db.execute("SELECT json FROM objects WHERE kind = 'responses' AND id = ?", (response_id,)).fetchone()
            assert row is not None
            return json.loads(row[0])

        for background in (False, True):
            with c.responses.stream(model="gpt-4o", input="get_weather in Oslo", tools=[WEATHER],
                                    background=background) as stream:  # fmt: skip
                for event in stream:
                    response = getattr(event, "response", None)
                    if response is not None:
                        response_id = response.id
                        now = stored(response.id)
                        assert order.index(now["status"]) >= order.index(response.status), event.type
                        checked += 1
                    elif event.type == "response.output_item.done":
                        row = stored(response_id)
                        assert event.item.id in [item["id"] for item in row["output"]], event.type
                        checked += 1
                final = stream.get_final_response()
            assert stored(final.id)["status"] == "completed"
    assert checked >= 6
    emu.close()


def test_a_background_response_stream_is_read_again_after_a_restart(tmp_path):
    """Its events are kept on disk: the stream read again after a restart is the one read before, and one
    that was under way ends with the `response.failed` of its interruption."""
    first = Emulator(data_dir=str(tmp_path))
    c = client_of(first)
    events = list(c.responses.create(model="gpt-4o", input="get_weather in Oslo", tools=[WEATHER], background=True,
                                     stream=True))  # fmt: skip
    done = events[0].response.id
    before = [e.model_dump() for e in c.responses.retrieve(done, stream=True, starting_after=1)]
    waiting = c.responses.create(model="gpt-4o", input="later", background=True,
                                 extra_headers={"X-Emulator-Progression": "reads:3"})  # fmt: skip
    c.responses.retrieve(waiting.id)
    first.close()

    again = Emulator(data_dir=str(tmp_path))
    c = client_of(again)
    after = [e.model_dump() for e in c.responses.retrieve(done, stream=True, starting_after=1)]
    assert after == before == [e.model_dump() for e in events[2:]] and events[-1].type == "response.completed"
    ended = list(c.responses.retrieve(waiting.id, stream=True))
    assert [e.type for e in ended] == ["response.created", "response.queued", "response.failed"]
    assert [e.sequence_number for e in ended] == [0, 1, 2] and ended[-1].response.error.message == RESPONSE_INTERRUPTED
    c.responses.delete(done)
    again.close()
    third = Emulator(data_dir=str(tmp_path))
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as db:  # a deleted response's events are gone from disk
        assert db.execute("SELECT count(*) FROM objects WHERE kind = 'response_events' AND parent = ?",
                          (done,)).fetchone() == (0,)  # fmt: skip
    assert [e.type for e in client_of(third).responses.retrieve(waiting.id, stream=True)][-1] == "response.failed"
    third.close()
