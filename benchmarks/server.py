"""4. Dev server throughput over real HTTP on 127.0.0.1: requests per second and p50/p99
latency for `assistants.retrieve` and `messages.create`, with concurrent keep-alive clients.

The load generator (benchmarks/loadclient.py) runs in separate processes (so it does not share the server's GIL), with
`http.client` keep-alive connections in threads: the lightest Python client there is. It still
competes with the server for the same cores. As a floor, the same load is sent to cheroot
serving one canned JSON answer with a bare WSGI function: what the server and the load
generator cost on this machine, timed in the same run (A B A B ...).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from emulator import Emulator, create_app
from emulator.server import Server

from .common import Profile, Row, median, percentile, table

TARGET_RPS = 1500
CLIENT_PROCESSES = 2
THREADS_PER_PROCESS = 4
SERVER_THREADS = 16
LOAD_CLIENT = Path(__file__).resolve().parent / "loadclient.py"
START_DELAY = 0.4  # seconds for the client processes to start and connect


def canned_app(body: bytes) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ.get("CONTENT_LENGTH"):
            environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


def drive(port: int, method: str, path: str, body: str, seconds: float) -> dict:
    """Run the load from CLIENT_PROCESSES processes at once; requests/s and latencies."""
    args = json.dumps([port, method, path, body, seconds, THREADS_PER_PROCESS, time.time() + START_DELAY])
    procs = [
        subprocess.Popen([sys.executable, str(LOAD_CLIENT), args], stdout=subprocess.PIPE)
        for _ in range(CLIENT_PROCESSES)
    ]
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=seconds + 60)
        if p.returncode != 0:
            raise RuntimeError("load client failed")
        results.append(json.loads(out))
    latencies = [x for r in results for x in r["latencies"]]
    return {"rps": len(latencies) / seconds, "latencies": latencies}


def run(profile: Profile) -> str:
    emu = Emulator()
    server = Server(
        create_app(emu), host="127.0.0.1", port=0, threads=SERVER_THREADS, log_requests=False
    ).start_in_thread()
    api = emu.backend()
    assistant = api.assistants.create({"model": "gpt-4o", "name": "bench", "instructions": "Be brief."})
    thread = api.threads.create({})
    retrieve_body = json.dumps(assistant.model_dump(mode="json")).encode()
    message_body = json.dumps({"role": "user", "content": "Hello there"})
    created = api.messages.create(thread.id, json.loads(message_body))
    floor_servers = {
        "retrieve": Server(canned_app(retrieve_body), port=0, threads=SERVER_THREADS, log_requests=False),
        "create": Server(
            canned_app(json.dumps(created.model_dump(mode="json")).encode()),
            port=0,
            threads=SERVER_THREADS,
            log_requests=False,
        ),
    }
    for s in floor_servers.values():
        s.start_in_thread()
    loads = {
        "retrieve": ("GET", f"/v1/assistants/{assistant.id}", ""),
        "create": ("POST", f"/v1/threads/{thread.id}/messages", message_body),
    }
    rounds = 2 if profile.name == "default" else 1
    seconds = profile.server_seconds / rounds
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        for name, (method, path, body) in loads.items():
            drive(server.port, method, path, body, 0.3)  # warm up
            for r in range(rounds):
                order = [("emulator", server.port), ("floor", floor_servers[name].port)]
                for side, port in order if r % 2 == 0 else reversed(order):
                    results.setdefault((name, side), []).append(drive(port, method, path, body, seconds))
    finally:
        server.stop()
        for s in floor_servers.values():
            s.stop()

    rows: list[Row] = []
    notes = [
        f"{CLIENT_PROCESSES} client processes × {THREADS_PER_PROCESS} keep-alive http.client connections; "
        f"cheroot with {SERVER_THREADS} threads; {rounds} alternating round(s) of {seconds:.1f} s per side",
        "the load generator runs on the same cores as the server (it takes a good share of the CPU)",
        "floor: cheroot serving the same JSON from a bare WSGI function (server + load generator cost)",
    ]
    for name in loads:
        emu_runs, floor_runs = results[(name, "emulator")], results[(name, "floor")]
        emu_rps = median([x["rps"] for x in emu_runs])
        floor_rps = median([x["rps"] for x in floor_runs])
        lat = [x for r_ in emu_runs for x in r_["latencies"]]
        flat = [x for r_ in floor_runs for x in r_["latencies"]]
        label = "assistants.retrieve" if name == "retrieve" else "messages.create"
        target = TARGET_RPS if name == "retrieve" else None
        rows.append(
            Row(
                f"{label} req/s",
                f"{emu_rps:,.0f}/s",
                f"{floor_rps:,.0f}/s",
                f"{emu_rps / floor_rps:.2f}× of floor",
                f"≥ {target:,}/s" if target else "-",
                ("PASS" if emu_rps >= target else "MISS") if target else "-",
            )
        )
        rows.append(
            Row(
                f"{label} p50 / p99",
                f"{percentile(lat, 50) * 1e3:.2f} / {percentile(lat, 99) * 1e3:.2f} ms",
                f"{percentile(flat, 50) * 1e3:.2f} / {percentile(flat, 99) * 1e3:.2f} ms",
                "-",
                "-",
                "-",
            )
        )
    return table("4. dev server throughput over HTTP (127.0.0.1, concurrent keep-alive clients)", rows, notes)
