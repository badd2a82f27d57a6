"""The soak (benchmarks/soak.py) at a size for CI: 50 concurrent clients over real HTTP on the
dev server, colliding on shared threads, and every invariant holding. The long version is
`python3 -m benchmarks.soak`."""

from __future__ import annotations

import pytest

from benchmarks.soak import MODELS, PROGRESSION, ActiveRunWatch, SoakResult, run_soak
from emulator import Emulator


@pytest.mark.emulator(models=MODELS, progression=PROGRESSION)
def test_fifty_clients_lose_nothing_and_never_overlap_runs(emulator_server) -> None:
    result = run_soak(emulator_server.openai_base_url, emulator_server.emulator, clients=50, rounds=3)
    assert result.problems() == []
    assert result.server_errors == 0 and result.max_active_per_thread == 1
    assert result.runs > 60 and result.messages > 60 and result.requests > 500
    assert result.refused > 0, "clients on shared threads should have collided"
    assert set(result.statuses) <= {200, 400}


def test_the_watch_sees_two_active_runs_on_a_thread() -> None:
    """The overlap check can fail: two active runs put straight into one thread's table."""
    emulator = Emulator()
    api = emulator.backend()
    thread = api.threads.create({"messages": [{"role": "user", "content": "hi"}]})
    assistant = api.assistants.create({"model": "gpt-4o"})
    run = api.runs.create(thread.id, {"assistant_id": assistant.id})
    twin = run.model_copy(update={"id": "run_twin", "status": "in_progress"})
    result = SoakResult(clients=0)
    with ActiveRunWatch(emulator, result):
        with emulator.lock:
            api.ns.runs[thread.id].replace(run.id, run.model_copy(update={"status": "queued"}))
            api.ns.runs[thread.id].add(twin.id, twin)
    assert result.max_active_per_thread == 2 and result.overlaps
