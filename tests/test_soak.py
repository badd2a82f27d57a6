"""The soak (benchmarks/soak.py) at a size for CI: 50 concurrent clients over real HTTP on the
dev server, colliding on shared threads and conversations, runs and responses (created, streamed,
in the background, cancelled), and every invariant holding. The long version is
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
    assert result.responses > 100 and result.streams > 10 and result.conversation_items >= 150


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


def test_the_responses_checks_see_a_lost_item_and_a_response_left_under_way() -> None:
    """The checks after the load can fail: an acknowledged item deleted behind the clients'
    backs, and a background response nobody polled."""
    from benchmarks import soak_responses
    from emulator import create_app
    from emulator.clients import in_process_client

    emulator = Emulator(models=MODELS, progression=PROGRESSION)
    client = in_process_client(create_app(emulator))
    tracker = soak_responses.setup(client)
    conversation = tracker.shared[0]
    added = client.conversations.items.create(conversation, items=[{"role": "user", "content": "a"},
                                                                   {"role": "user", "content": "b"}])  # fmt: skip
    tracker.items[conversation] += [(1, 0, added.data[0].id), (1, 1, added.data[1].id), (2, 0, added.data[1].id)]
    client.conversations.items.delete(added.data[0].id, conversation_id=conversation)
    client.responses.create(model=soak_responses.REPLY, input="later", background=True)
    result = SoakResult(clients=0)
    soak_responses.verify(client, emulator, tracker, result)
    assert result.items_lost == [added.data[0].id] and len(result.not_terminal) == 1
    assert result.items_duplicated == [] and result.items_out_of_order == []
    assert any(problem.startswith("items_lost") for problem in result.problems())
