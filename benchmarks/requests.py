"""1. Per-request cost in-process: the pytest fixture's client (`in_process_client`) vs the same
SDK calls answered by a canned-JSON MockTransport (the floor: what the SDK itself costs)."""

from __future__ import annotations

from .common import Profile, Row, floor_client, interleaved, recording_client, row, table

TARGET = 1.3


def run(profile: Profile) -> str:
    emu, client, recorder, plain = recording_client()
    assistant = client.beta.assistants.create(model="gpt-4o", name="bench", instructions="Be brief.")
    thread = client.beta.threads.create()
    for n in range(30):
        client.beta.threads.messages.create(thread.id, role="user", content=f"message number {n}")
    recorder.responses.clear()

    calls = {
        "assistants.retrieve": lambda c: c.beta.assistants.retrieve(assistant.id),
        "messages.create": lambda c: c.beta.threads.messages.create(thread.id, role="user", content="Hello there"),
        "messages.list(limit=20)": lambda c: c.beta.threads.messages.list(thread.id, limit=20),
    }
    rows: list[Row] = []
    for name, call in calls.items():
        recorder.responses.clear()
        call(client)  # the emulator's answer, replayed by the floor
        floor = floor_client(list(recorder.responses))
        medians = interleaved(
            {"emulator": lambda: call(plain), "floor": lambda: call(floor)},  # noqa: B023
            profile.rounds,
            profile.calls,
        )
        rows.append(row(name, medians["emulator"], medians["floor"], TARGET, medians.ratio("emulator", "floor")))
    stored = len(emu.backend().ns.messages[thread.id])
    notes = [
        f"{profile.rounds} alternating rounds × {profile.calls} calls; medians per call",
        f"messages.create grows the thread (to {stored} messages); the floor replays one canned answer",
    ]
    return table("1. per-request cost, in-process vs canned-JSON MockTransport", rows, notes)
