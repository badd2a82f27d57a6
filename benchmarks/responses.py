"""8. The Responses API: in-process `responses.create` (a text reply) and a function-call round
trip (a call, then its output by `previous_response_id`) against the same SDK calls answered by
a canned-JSON MockTransport (the emulator's own answers, recorded once and replayed); a streamed
response's events per second against the SSE replay floor (its recorded bytes, parsed by the same
SDK code); `conversations.items.list(limit=20)` with 10,000 and 100,000 items against 100 (the
floor: the smallest conversation, timed in the same rounds)."""

from __future__ import annotations

import time
from typing import Any

from .common import (
    Profile,
    Row,
    floor_client,
    interleaved,
    median,
    recording_client,
    reset_floor,
    row,
    table,
)
from .streaming import long_reply

TARGET_CREATE = 1.3
TARGET_ROUND_TRIP = 1.5
TARGET_FLAT = 1.5
WEATHER_BOT = {
    "name": "weather-bot",
    "turns": [
        {"when": {"tool_outputs": True}, "do": [{"reply": "It is {{ outputs[0].json.temp }} degrees."}]},
        {"when": {"user": "(?i)weather in (?P<city>[A-Za-z ]+)"},
         "do": [{"call": "get_weather", "arguments": {"city": "{{ match.city }}"}}]},
        {"do": [{"reply": "Ask me about the weather."}]},
    ],
}  # fmt: skip
GET_WEATHER = {"type": "function", "name": "get_weather",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}  # fmt: skip


def text_create(client: Any) -> None:
    """A plain text response: the row whose target is ≤ 1.3×."""
    client.responses.create(model="gpt-4o", input="Hello there")


def round_trip(client: Any) -> None:
    """A function call and its output: the loop an app runs with `previous_response_id`."""
    first = client.responses.create(model="weather-bot", input="Weather in Oslo?", tools=[GET_WEATHER])
    call = first.output[0]
    output = {"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 4}'}
    client.responses.create(model="weather-bot", previous_response_id=first.id, input=[output], tools=[GET_WEATHER])


#: The per-request rows: title -> the call timed (benchmarks/cache_misses.py counts the same calls).
PER_REQUEST = {"responses.create (text)": text_create, "function-call round trip (2 creates)": round_trip}


def stream_once(client: Any, model: str) -> tuple[float, int]:
    """(seconds in all, number of events) of one streamed response."""
    start = time.perf_counter()
    count = 0
    with client.responses.create(model=model, input="Talk to me", stream=True) as stream:
        for _event in stream:
            count += 1
    return time.perf_counter() - start, count


def per_request(profile: Profile) -> list[Row]:
    emu, client, recorder, plain = recording_client(models=[WEATHER_BOT])
    rows = []
    targets = {text_create: TARGET_CREATE, round_trip: TARGET_ROUND_TRIP}
    for name, call in PER_REQUEST.items():
        target = targets[call]
        recorder.responses.clear()
        call(client)
        floor = floor_client(list(recorder.responses))
        medians = interleaved(
            {"emulator": lambda: call(plain), "floor": lambda: call(floor)},  # noqa: B023
            profile.rounds,
            profile.calls // 2,
            before_round={"emulator": emu.reset, "floor": lambda: reset_floor(floor)},  # noqa: B023
        )
        rows.append(row(name, medians["emulator"], medians["floor"], target, medians.ratio("emulator", "floor")))
    return rows


def streaming(profile: Profile) -> Row:
    script = {"name": "talker", "chunking": "words", "turns": [{"do": [{"reply": long_reply(profile.stream_words)}]}]}
    emu, client, recorder, plain = recording_client(models=[script])
    recorder.responses.clear()
    stream_once(client, "talker")
    floor = floor_client(list(recorder.responses))
    samples: dict[str, list[float]] = {"emulator": [], "floor": []}
    events = {}
    stream_once(plain, "talker")  # warm up
    for r in range(profile.stream_rounds):
        for side in ("emulator", "floor") if r % 2 == 0 else ("floor", "emulator"):
            if side == "floor":
                reset_floor(floor)
            else:
                emu.reset()
            seconds, events[side] = stream_once(plain if side == "emulator" else floor, "talker")
            samples[side].append(events[side] / seconds)
    assert events["emulator"] == events["floor"], events
    emu_rate, floor_rate = median(samples["emulator"]), median(samples["floor"])
    return Row(f"streamed response: events per second ({events['emulator']:,} events)", f"{emu_rate:,.0f}/s",
               f"{floor_rate:,.0f}/s", f"{floor_rate / emu_rate:.2f}× slower", "-", "-")  # fmt: skip


def items_scale(profile: Profile) -> list[Row]:
    sizes = (100, *(s for s in profile.scale_sizes if s > 100))
    conversations = {}
    emu, _, _, plain = recording_client()
    api = emu.backend()
    for size in sizes:
        conversation = api.conversations.create({})
        with emu.lock:  # `size` items through the domain API, 20 per request as the API allows
            for start in range(0, size, 20):
                batch = [{"role": "user", "content": f"item {n}"} for n in range(start, min(size, start + 20))]
                api.conversations.add_items(conversation.id, {"items": batch})
        conversations[size] = conversation.id
    middle = {size: list(api.ns.conversation_items[cid].values())[size // 2].id for size, cid in conversations.items()}
    medians = interleaved(
        {
            size: (lambda s=size: plain.conversations.items.list(conversations[s], limit=20, after=middle[s]))
            for size in sizes
        },  # fmt: skip
        profile.rounds,
        max(20, profile.calls // 3),
    )
    return [
        row(
            f"conversations.items.list(limit=20) @ {size:,} vs @ 100",
            medians[size],
            medians[100],
            TARGET_FLAT,
            medians.ratio(size, 100),
        )  # fmt: skip
        for size in sizes[1:]
    ]


def run(profile: Profile) -> str:
    rows = [*per_request(profile), streaming(profile), *items_scale(profile)]
    notes = [
        f"{profile.rounds} alternating rounds; creates: {profile.calls // 2} per round, the emulator reset and the "
        "floor rewound before each of its rounds; medians per call",
        "floors: the emulator's recorded answers (JSON, or the stream's SSE bytes) replayed through a MockTransport",
        f"streamed: a reply of {profile.stream_words:,} words, chunking 'words'; reported against the SSE replay floor",
        "items.list pages from the middle of the conversation (`after`); the floor is the conversation of 100 items",
    ]
    return table("8. Responses API: per-request cost, streaming, conversation size", rows, notes)
