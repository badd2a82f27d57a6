"""The soak's Responses rounds (benchmarks/soak.py): each client, round after round, also makes
a response of one kind: a plain one in its own conversation or in a shared one (where clients
collide), a function-call round trip by `previous_response_id`, a streamed one, a background
one polled to its end, or a background one it cancels at once; and adds items to a
conversation.

Checked after the load: every stream's `sequence_number`s run 0, 1, 2, ... without a gap, from
`response.created` to a final event; every acknowledged conversation item is listed exactly
once, each client's in the order it made them; every completed response made in a
conversation has its output there; no response is left `queued` or `in_progress`.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

#: A response function tool (the Responses API's flat form of soak.RECORD).
RECORD = {
    "type": "function",
    "name": "record",
    "parameters": {"type": "object", "properties": {"note": {"type": "string"}}},
}
FINAL = ("response.completed", "response.failed", "response.incomplete", "response.cancelled")
KINDS = ("conversation", "shared", "function", "stream", "background", "cancel")
SHARED_CONVERSATIONS = 3
#: The soak's scripted models (soak.MODELS), by name.
REPLY, CALLER = "soak-reply", "soak-caller"


@dataclass
class Tracker:
    """What the clients were answered, for the checks after the load."""

    shared: list[str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: conversation id -> (client, n, item id) of every item a client was answered as added
    items: dict[str, list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    #: conversation id -> output item ids of the completed responses made in it
    outputs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    responses: list[str] = field(default_factory=list)
    streams: int = 0
    bad_streams: list[str] = field(default_factory=list)


def setup(client: Any) -> Tracker:
    return Tracker(shared=[client.conversations.create().id for _ in range(SHARED_CONVERSATIONS)])


def responses_round(client: Any, rng: random.Random, me: int, n: int, own: str, tracker: Tracker) -> None:
    """One round: items added to a conversation, then a response of a kind picked at random."""
    conversation = own if rng.random() < 0.6 else rng.choice(tracker.shared)
    added = client.conversations.items.create(conversation, items=[{"role": "user", "content": f"client {me} #{n}"}])
    with tracker.lock:
        tracker.items[conversation].extend((me, n, item.id) for item in added.data)
    kind = rng.choice(KINDS)
    if kind in ("conversation", "shared"):
        where = own if kind == "conversation" else rng.choice(tracker.shared)
        response = client.responses.create(model=REPLY, conversation=where, input=f"say {me} {n}")
        _made(tracker, response, where)
    elif kind == "function":
        first = client.responses.create(model=CALLER, input=f"note {me} {n}", tools=[RECORD])
        calls = [item for item in first.output if item.type == "function_call"]
        outputs = [{"type": "function_call_output", "call_id": c.call_id, "output": "ok"} for c in calls]
        second = client.responses.create(model=CALLER, previous_response_id=first.id, input=outputs,
                                         tools=[RECORD])  # fmt: skip
        _made(tracker, first, None)
        _made(tracker, second, None)
    elif kind == "stream":
        numbers, types, response_id = [], [], None
        with client.responses.create(model=REPLY, input=f"stream {me} {n}", stream=True) as stream:
            for event in stream:
                numbers.append(event.sequence_number)
                types.append(event.type)
                response_id = response_id or getattr(getattr(event, "response", None), "id", None)
        with tracker.lock:
            tracker.streams += 1
            if numbers != list(range(len(numbers))) or types[:1] != ["response.created"] or types[-1:][0] not in FINAL:
                tracker.bad_streams.append(f"{response_id}: {types[:2]}...{types[-1:]} {numbers[:3]}...")
            if response_id:
                tracker.responses.append(response_id)
    else:
        response = client.responses.create(model=REPLY, input=f"later {me} {n}", background=True)
        if kind == "cancel":
            client.responses.cancel(response.id)  # one that ended first answers as it ended
        for _ in range(1000):
            response = client.responses.retrieve(response.id)
            if response.status not in ("queued", "in_progress"):
                break
        _made(tracker, response, None)


def _made(tracker: Tracker, response: Any, conversation: str | None) -> None:
    with tracker.lock:
        tracker.responses.append(response.id)
        if conversation is not None and response.status == "completed":
            tracker.outputs[conversation].extend(item.id for item in response.output)


def verify(client: Any, emulator: Any, tracker: Tracker, result: Any) -> None:
    result.responses = len(tracker.responses)
    result.streams = tracker.streams
    result.bad_streams = list(tracker.bad_streams)
    for conversation, acks in tracker.items.items():
        listed = [item.id for item in client.conversations.items.list(conversation, order="asc", limit=100)]
        counts = Counter(listed)
        position = {item_id: i for i, item_id in enumerate(listed)}
        for _me, _n, item_id in acks:
            if counts[item_id] == 0:
                result.items_lost.append(item_id)
            elif counts[item_id] > 1:
                result.items_duplicated.append(item_id)
        by_client: dict[int, list[int]] = defaultdict(list)
        for me, _n, item_id in sorted(acks, key=lambda a: (a[0], a[1])):
            if item_id in position:
                by_client[me].append(position[item_id])
        result.items_out_of_order += [f"{conversation}: client {me}" for me, p in by_client.items() if p != sorted(p)]
        result.items_lost += [i for i in tracker.outputs.get(conversation, ()) if counts[i] == 0]
        result.conversation_items += len(acks)
    with emulator.lock:
        for ns in emulator._namespaces.values():
            result.not_terminal += [r.id for r in ns.responses.values() if not r.is_terminal()]


def ids_of(ns: Any) -> list[str]:
    """The ids of the Responses side of a namespace that must be unique: responses,
    conversations, and the items of all conversations (an item is in one conversation only)."""
    ids = [r.id for r in ns.responses.values()] + [c.id for c in ns.conversations.values()]
    for table in ns.conversation_items.values():
        ids += [item.id for item in table.values()]
    return ids
