"""6. Streaming: time to the first event and events per second for a long text reply (a script
replying with thousands of words, chunked in words), through the fixture's client and the SDK's
`runs.stream`, vs the floor: the same SSE bytes (recorded from the emulator) replayed by a
MockTransport, parsed by the same SDK code."""

from __future__ import annotations

import time
from typing import Any

from .common import Profile, Row, floor_client, fmt_time, median, recording_client, reset_floor, table

TARGET_FIRST = None  # no target in the issue: reported
TARGET_RATE = None


def long_reply(words: int) -> str:
    vocabulary = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog,", "again."]
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


def stream_once(client: Any, thread_id: str, assistant_id: str) -> tuple[float, float, int]:
    """(seconds to the first event, seconds in all, number of events)."""
    start = time.perf_counter()
    first = None
    count = 0
    with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id) as stream:
        for _event in stream:
            if first is None:
                first = time.perf_counter() - start
            count += 1
    return first or 0.0, time.perf_counter() - start, count


def run(profile: Profile) -> str:
    script = {"name": "talker", "chunking": "words", "turns": [{"do": [{"reply": long_reply(profile.stream_words)}]}]}
    emu, client, recorder, plain = recording_client(models=[script])
    assistant = plain.beta.assistants.create(model="talker")

    def new_thread() -> str:
        return plain.beta.threads.create(messages=[{"role": "user", "content": "Talk to me"}]).id

    recorder.responses.clear()
    thread_id = client.beta.threads.create(messages=[{"role": "user", "content": "Talk to me"}]).id
    recorder.responses.clear()
    stream_once(client, thread_id, assistant.id)
    floor = floor_client(list(recorder.responses))

    samples: dict[str, list[tuple[float, float, int]]] = {"emulator": [], "floor": []}
    stream_once(plain, new_thread(), assistant.id)  # warm up
    for r in range(profile.stream_rounds):
        for side in ("emulator", "floor") if r % 2 == 0 else ("floor", "emulator"):
            if side == "emulator":
                samples[side].append(stream_once(plain, new_thread(), assistant.id))
            else:
                reset_floor(floor)
                samples[side].append(stream_once(floor, thread_id, assistant.id))

    def stats(side: str) -> tuple[float, float, int]:
        s = samples[side]
        return median([x[0] for x in s]), median([x[2] / x[1] for x in s]), s[0][2]

    emu_first, emu_rate, events = stats("emulator")
    floor_first, floor_rate, floor_events = stats("floor")
    assert events == floor_events, (events, floor_events)
    rows = [
        Row(
            "time to first event",
            fmt_time(emu_first),
            fmt_time(floor_first),
            f"{emu_first / floor_first:.2f}×",
            "-",
            "-",
        ),
        Row(
            "events per second",
            f"{emu_rate:,.0f}/s",
            f"{floor_rate:,.0f}/s",
            f"{floor_rate / emu_rate:.2f}× slower",
            "-",
            "-",
        ),
        Row(
            "whole stream",
            fmt_time(events / emu_rate),
            fmt_time(events / floor_rate),
            f"{floor_rate / emu_rate:.2f}×",
            "-",
            "-",
        ),
    ]
    notes = [
        f"a reply of {profile.stream_words:,} words, chunking 'words': {events:,} events per run; "
        f"{profile.stream_rounds} alternating rounds, medians",
        "floor: the emulator's recorded SSE bytes replayed through a MockTransport (the SDK's own parsing cost)",
        "no target in the issue for streaming: reported only",
    ]
    return table("6. streaming: a long text reply through runs.stream", rows, notes)
