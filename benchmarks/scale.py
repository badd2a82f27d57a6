"""3. Scale: `messages.list(limit=20)`, `runs.retrieve` (and `messages.create`, which checks the
thread for an active run) with 100, 10,000 and 100,000 messages / runs in the store, through the
fixture's client. The cost must stay flat: the floor is the smallest store, timed in the same
rounds. Stores are filled through the domain API (no HTTP); memory per stored message is
measured with tracemalloc."""

from __future__ import annotations

import gc
import time
import tracemalloc
from typing import Any

from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.store import Table

from .common import Profile, Row, interleaved, row, table

TARGET = 1.5


class Store:
    """An emulator holding `size` messages in one thread and `size` runs in another."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.emu = Emulator()
        api = self.emu.backend()
        self.assistant = api.assistants.create({"model": "gpt-4o", "name": "scale"})
        self.msg_thread = api.threads.create({})
        fill_messages(api, self.msg_thread.id, size)
        # a run needs something to answer (the service's invalid_thread otherwise)
        self.run_thread = api.threads.create({"messages": [{"role": "user", "content": "hello"}]})
        self.run_id = fill_runs(api, self.run_thread.id, self.assistant.id, size)
        self.client = in_process_client(create_app(self.emu))
        self.create_thread = api.threads.create({})  # messages.create grows this one, not the listed one


def fill_messages(api: Any, thread_id: str, n: int) -> None:
    for i in range(n):
        api.messages.add(thread_id, {"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}: hello"})


def fill_runs(api: Any, thread_id: str, assistant_id: str, n: int) -> str:
    """One real (completed) run, then n - 1 copies of it with their own ids (playing 100,000
    runs one by one would take minutes). Returns the id of the run in the middle."""
    ns = api.ns
    first = api.runs.create(thread_id, {"assistant_id": assistant_id})
    api.runs.settle(thread_id)
    template = ns.runs[thread_id].get(first.id)
    assert template.status == "completed", template.status
    table_: Table = ns.runs[thread_id]
    middle = first.id
    with api.emulator.lock:
        for i in range(n - 1):
            run_id = api.runs.new_id("run")
            table_.add(run_id, template.model_copy(update={"id": run_id}))
            ns.steps[run_id] = Table()
            if i == n // 2:
                middle = run_id
    return middle


def bytes_per_message(n: int) -> float:
    emu = Emulator()
    api = emu.backend()
    thread = api.threads.create({})
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    fill_messages(api, thread.id, n)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / n


def run(profile: Profile) -> str:
    started = time.perf_counter()
    stores = [Store(size) for size in profile.scale_sizes]
    fill_seconds = time.perf_counter() - started
    calls = {
        "messages.list(limit=20)": lambda s: s.client.beta.threads.messages.list(s.msg_thread.id, limit=20),
        "runs.retrieve": lambda s: s.client.beta.threads.runs.retrieve(s.run_id, thread_id=s.run_thread.id),
        "messages.create (N runs)": lambda s: s.client.beta.threads.messages.create(
            s.run_thread.id, role="user", content="hi"
        ),
    }
    rows: list[Row] = []
    smallest = stores[0]
    for name, call in calls.items():
        medians = interleaved(
            {s.size: (lambda s=s: call(s)) for s in stores},  # noqa: B023
            profile.rounds,
            max(20, profile.calls // 3),
        )
        for s in stores[1:]:
            rows.append(
                row(
                    f"{name} @ {s.size:,} vs @ {smallest.size:,}",
                    medians[s.size],
                    medians[smallest.size],
                    TARGET,
                    medians.ratio(s.size, smallest.size),
                )
            )
    per_message = bytes_per_message(10_000)
    notes = [
        f"floor = the same call on the store of {smallest.size:,}; all sizes timed in alternating rounds",
        f"filled {sum(profile.scale_sizes):,} messages and as many runs through the domain API in {fill_seconds:.1f} s "
        "(runs: one played, the rest copies with their own ids)",
        "messages.create (N runs) adds a message to the thread holding N runs (a create checks for an active run)",
        f"memory per stored message (tracemalloc, 10,000 short text messages): {per_message:,.0f} bytes",
    ]
    return table("3. scale: cost with large stores vs the smallest store", rows, notes)
