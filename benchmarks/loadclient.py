"""The load generator of benchmarks/server.py, run as a plain script in child processes (it
imports nothing heavy, so that starting it costs little; the processes start together at an
agreed wall-clock time, so their measuring windows overlap).

    python3 benchmarks/loadclient.py '[port, method, path, body, seconds, threads, start_at]'
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time

HEADERS = {"Authorization": "Bearer sk-bench", "OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"}


def load(port: int, method: str, path: str, body: str, seconds: float, threads: int, start_at: float) -> dict:
    latencies: list[list[float]] = [[] for _ in range(threads)]
    payload = body.encode() if body else None
    conns = [http.client.HTTPConnection("127.0.0.1", port) for _ in range(threads)]
    for conn in conns:
        conn.connect()
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.perf_counter() + seconds

    def worker(conn: http.client.HTTPConnection, mine: list[float]) -> None:
        while True:
            start = time.perf_counter()
            if start >= deadline:
                break
            conn.request(method, path, body=payload, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{method} {path}: HTTP {response.status}")
            mine.append(time.perf_counter() - start)
        conn.close()

    workers = [threading.Thread(target=worker, args=args) for args in zip(conns, latencies, strict=True)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"latencies": [x for mine in latencies for x in mine]}


if __name__ == "__main__":
    print(json.dumps(load(*json.loads(sys.argv[1]))))
