"""Soak: many concurrent clients over real HTTP on 127.0.0.1, and the invariants that must hold.

Each client (a thread with its own SDK client, `max_retries=0` so no 5xx is hidden) makes its
own thread and, round after round, adds a message to it or to one of a few shared threads
(where clients collide), then starts a run: a plain reply, a function call answered with
`submit_tool_outputs`, or one it cancels at once; it polls the run until it ends. Runs move
on every second read (`reads:2`), so they stay active long enough to collide.
Each round also makes a response and adds conversation items (soak_responses.py).

Checked: no answer >= 500; every acknowledged message is in its thread's list exactly once,
each client's in the order it made them; never two active runs on one thread at any instant
(checked from the store each time the emulator's lock is let go); every run and response
ends terminal; streams numbered without a gap; conversation items neither lost, doubled nor
reordered; all ids unique. The test suite runs it small (tests/test_soak.py); as a benchmark:

    python3 -m benchmarks.soak --clients 50 --rounds 20
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from emulator.runs.state_machine import ACTIVE

from . import soak_responses

REPLY = {"name": "soak-reply", "turns": [{"do": [{"reply": "Noted: {{ user }}"}]}]}
CALLER = {
    "name": "soak-caller",
    "turns": [
        {"when": {"tool_outputs": True}, "do": [{"reply": "Done: {{ outputs[0].output }}"}]},
        {"do": [{"call": "record", "arguments": {"note": "{{ user }}"}}]},
    ],
}
RECORD = {
    "type": "function",
    "function": {"name": "record", "parameters": {"type": "object", "properties": {"note": {"type": "string"}}}},
}
MODELS = [REPLY, CALLER]
PROGRESSION = "reads:2"
SHARED_THREADS = 5


@dataclass
class SoakResult:
    clients: int
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    refused: int = 0  # 400s the API owes a collision (a run active on a shared thread)
    runs: int = 0
    messages: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    max_active_per_thread: int = 0
    overlaps: list[str] = field(default_factory=list)
    not_terminal: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    client_errors: list[str] = field(default_factory=list)
    # the Responses rounds (soak_responses.py)
    responses: int = 0
    streams: int = 0
    conversation_items: int = 0
    bad_streams: list[str] = field(default_factory=list)
    items_lost: list[str] = field(default_factory=list)
    items_duplicated: list[str] = field(default_factory=list)
    items_out_of_order: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def problems(self) -> list[str]:
        found = [f"{self.server_errors} answers >= 500"] if self.server_errors else []
        for name in (
            "lost",
            "duplicated",
            "out_of_order",
            "overlaps",
            "not_terminal",
            "duplicate_ids",
            "client_errors",
            "bad_streams",
            "items_lost",
            "items_duplicated",
            "items_out_of_order",
        ):
            values = getattr(self, name)
            if values:
                found.append(f"{name}: {len(values)} (e.g. {values[:3]})")
        return found


class ActiveRunWatch:
    """Counts the active runs of every thread each time the emulator's lock is let go for good:
    the store is only ever seen (by anyone) between two such moments."""

    def __init__(self, emulator: Any, result: SoakResult) -> None:
        self.emulator, self.result = emulator, result
        self.lock = emulator.lock
        self._release = self.lock.release

    def __enter__(self) -> ActiveRunWatch:
        def release() -> None:
            if self.lock._depth == 1:
                self.check()
            self._release()

        self.lock.release = release
        return self

    def __exit__(self, *exc: object) -> None:
        del self.lock.release

    def check(self) -> None:
        for ns in list(self.emulator._namespaces.values()):
            for thread_id, runs in list(ns.runs.items()):
                active = [run.id for run in runs.values() if run.status in ACTIVE]
                if len(active) > self.result.max_active_per_thread:
                    self.result.max_active_per_thread = len(active)
                if len(active) > 1:
                    self.result.overlaps.append(f"{thread_id}: {active}")


def run_soak(base_url: str, emulator: Any, clients: int = 50, rounds: int = 3, seed: int = 1) -> SoakResult:
    """Drive the server at `base_url` (over `emulator`, whose models include MODELS)."""
    import openai

    from emulator.transport import sdk_http_module

    http = sdk_http_module()
    result = SoakResult(clients=clients)
    counted = threading.Lock()

    def count(response: Any) -> None:
        with counted:
            result.requests += 1
            result.statuses[response.status_code] += 1

    def make_client() -> Any:
        return openai.OpenAI(
            base_url=base_url, api_key="k", max_retries=0, timeout=60,
            http_client=http.Client(event_hooks={"response": [count]}, timeout=60),
        )  # fmt: skip

    setup = make_client()
    plain = setup.beta.assistants.create(model=REPLY["name"]).id
    caller = setup.beta.assistants.create(model=CALLER["name"], tools=[RECORD]).id
    shared = [setup.beta.threads.create().id for _ in range(SHARED_THREADS)]
    tracker = soak_responses.setup(setup)
    acknowledged: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # thread -> (client, n, message id)
    run_ids: list[str] = []
    ack_lock = threading.Lock()

    def client_loop(me: int) -> None:
        rng = random.Random(seed * 1000 + me)
        client = make_client()
        try:
            own = client.beta.threads.create().id
            conversation = client.conversations.create().id
            for n in range(rounds):
                soak_responses.responses_round(client, rng, me, n, conversation, tracker)
                thread = own if rng.random() < 0.6 else rng.choice(shared)
                try:
                    message = client.beta.threads.messages.create(thread, role="user", content=f"client {me} #{n}")
                except openai.BadRequestError:
                    with ack_lock:
                        result.refused += 1
                    continue
                with ack_lock:
                    acknowledged[thread].append((me, n, message.id))
                kind = rng.choice(["plain", "function", "cancel"])
                try:
                    run = client.beta.threads.runs.create(thread, assistant_id=caller if kind == "function" else plain)
                except openai.BadRequestError:
                    with ack_lock:
                        result.refused += 1
                    continue
                with ack_lock:
                    run_ids.append(run.id)
                if kind == "cancel":
                    try:
                        client.beta.threads.runs.cancel(run.id, thread_id=thread)
                    except openai.BadRequestError:  # it ended first
                        with ack_lock:
                            result.refused += 1
                _finish(client, thread, run.id)
        except Exception as exc:  # a client that cannot go on is a finding, not a crash of the soak
            with ack_lock:
                result.client_errors.append(f"client {me}: {type(exc).__name__}: {exc}")
        finally:
            client.close()

    started = time.perf_counter()
    with ActiveRunWatch(emulator, result):
        workers = [threading.Thread(target=client_loop, args=(i,), name=f"soak-{i}") for i in range(clients)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    result.seconds = time.perf_counter() - started
    _verify(setup, emulator, acknowledged, run_ids, result)
    soak_responses.verify(setup, emulator, tracker, result)
    setup.close()
    return result


def _finish(client: Any, thread: str, run_id: str) -> None:
    """Poll a run until it ends, answering its function calls."""
    for _ in range(1000):
        run = client.beta.threads.runs.retrieve(run_id, thread_id=thread)
        if run.status == "requires_action":
            calls = run.required_action.submit_tool_outputs.tool_calls
            outputs = [{"tool_call_id": call.id, "output": "ok"} for call in calls]
            client.beta.threads.runs.submit_tool_outputs(run_id, thread_id=thread, tool_outputs=outputs)
        elif run.status not in ACTIVE:
            return
    raise RuntimeError(f"run {run_id} never ended")


def _verify(client: Any, emulator: Any, acknowledged: dict, run_ids: list[str], result: SoakResult) -> None:
    for thread, acks in acknowledged.items():
        listed = [m.id for m in client.beta.threads.messages.list(thread, order="asc", limit=100)]
        counts = Counter(listed)
        position = {message_id: i for i, message_id in enumerate(listed)}
        for _client, _n, message_id in acks:
            if counts[message_id] == 0:
                result.lost.append(message_id)
            elif counts[message_id] > 1:
                result.duplicated.append(message_id)
        by_client: dict[int, list[int]] = defaultdict(list)
        for client_id, _n, message_id in sorted(acks, key=lambda a: (a[0], a[1])):
            if message_id in position:
                by_client[client_id].append(position[message_id])
        for client_id, places in by_client.items():
            if places != sorted(places):
                result.out_of_order.append(f"{thread}: client {client_id}")
        result.messages += len(acks)
    result.runs = len(run_ids)
    with emulator.lock:
        ids: list[str] = []
        for ns in emulator._namespaces.values():
            ids += [a.id for a in ns.assistants.values()] + [t.id for t in ns.threads.values()]
            for table in [*ns.messages.values(), *ns.runs.values(), *ns.steps.values()]:
                ids += [obj.id for obj in table.values()]
            ids += soak_responses.ids_of(ns)
            for runs in ns.runs.values():
                result.not_terminal += [run.id for run in runs.values() if run.status in ACTIVE]
        result.duplicate_ids = [i for i, n in Counter(ids).items() if n > 1]


def serve(threads: int = 16) -> tuple[Any, Any]:
    """A dev server on 127.0.0.1 over a fresh emulator with the soak's models."""
    from emulator import Emulator, create_app
    from emulator.server import Server

    emulator = Emulator(models=MODELS, progression=PROGRESSION)
    server = Server(create_app(emulator), host="127.0.0.1", port=0, threads=threads, log_requests=False)
    return server.start_in_thread(), emulator


def report(result: SoakResult) -> str:
    from .common import machine_info

    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(result.statuses.items()))
    lines = [
        "## soak: concurrent clients over HTTP",
        machine_info(),
        "",
        f"clients {result.clients}; requests {result.requests:,} in {result.seconds:.1f} s "
        f"({result.requests / max(result.seconds, 1e-9):,.0f}/s); statuses {statuses}",
        f"runs {result.runs:,}; acknowledged messages {result.messages:,}; 400s owed to collisions {result.refused:,}",
        f"responses {result.responses:,} ({result.streams:,} streamed; bad streams {len(result.bad_streams)}); "
        f"acknowledged conversation items {result.conversation_items:,} (lost {len(result.items_lost)}, duplicated "
        f"{len(result.items_duplicated)}, out of order {len(result.items_out_of_order)})",
        f"answers >= 500: {result.server_errors}; lost messages: {len(result.lost)}; duplicated: "
        f"{len(result.duplicated)}; out of order: {len(result.out_of_order)}",
        f"most active runs on one thread at once: {result.max_active_per_thread}; runs/responses not terminal: "
        f"{len(result.not_terminal)}; duplicate ids: {len(result.duplicate_ids)}; client errors: "
        f"{len(result.client_errors)}",
        "result: " + ("PASS" if not result.problems() else "FAIL: " + "; ".join(result.problems())),
    ]
    return "\n".join(lines) + "\n"


def run(profile: Any) -> str:
    """As a measurement of `benchmarks.run`: 50 clients, rounds from the profile."""
    server, emulator = serve()
    try:
        return report(run_soak(f"{server.url}/v1", emulator, clients=50, rounds=profile.soak_rounds))
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants deprecation notice
    parser = argparse.ArgumentParser(prog="benchmarks.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20, help="message + run rounds per client")
    parser.add_argument("--threads", type=int, default=16, help="server worker threads")
    args = parser.parse_args(argv)
    server, emulator = serve(args.threads)
    try:
        result = run_soak(f"{server.url}/v1", emulator, clients=args.clients, rounds=args.rounds)
    finally:
        server.stop()
    print(report(result))
    return 1 if result.problems() else 0


if __name__ == "__main__":
    raise SystemExit(main())
