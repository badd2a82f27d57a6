"""Instructions per request of the scripted lifecycle (benchmarks/lifecycle.py), on the emulator's side.

    python3 -m benchmarks.instructions            # 10 lifecycles under callgrind, about 30 s
    python3 -m benchmarks.instructions --lifecycles 20

The lifecycle's 12 requests are captured once through the SDK, then replayed into the in-process
transport after an `Emulator.reset` (the same ids and times every round), `PYTHONHASHSEED=0`. The
interpreter starts under callgrind with instrumentation off (`--instr-atstart=no`, start-up at a
fraction of callgrind's cost) and the replay switches it on and dumps the count after the reset and
after each request through callgrind's client requests, made by a five-line C library built with
`cc` and loaded with `ctypes`. Counts repeat to the instruction from run to run, whatever the load:
what a change saves is measured, not guessed from timings of a busy machine. Needs valgrind and a C
compiler; not part of `benchmarks.run`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HELPER = """#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void cg_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""
INSIDE = "ASSISTANTS_EMULATOR_INSTRUCTIONS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=10)
    args = parser.parse_args()
    if os.environ.get(INSIDE):
        replay(Path(os.environ[INSIDE]), args.lifecycles)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_helper(work)
        under_callgrind(
            work, work / "cg.out", "benchmarks.instructions", ["--lifecycles", str(args.lifecycles)], INSIDE
        )
        report(work, args.lifecycles)


def build_helper(work: Path) -> Path:
    """The client-request library (`work/cg.so`) a replay under callgrind loads with ctypes."""
    (work / "cg.c").write_text(HELPER)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(work / "cg.so"), str(work / "cg.c")], check=True)
    return work / "cg.so"


def under_callgrind(work: Path, out: Path, module: str, args: list[str], inside: str, *flags: str) -> None:
    """Runs `python -m module args` under callgrind (`flags` added), counting nothing until the module starts
    counting (with `work/cg.so`), its output in `out`; `inside` is the environment variable that tells the
    module it runs under callgrind (set to `work`)."""
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", *flags, f"--callgrind-out-file={out}",
               sys.executable, "-m", module, *args]  # fmt: skip
    env = {**os.environ, inside: str(work), "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def replay(work: Path, lifecycles: int) -> None:
    """Under callgrind: capture one lifecycle's requests, replay them `lifecycles` times with a dump after each."""
    from emulator import create_app
    from emulator.transport import sync_transport

    from .common import recording_client, sdk_http_module
    from .lifecycle import WEATHER_BOT, lifecycle

    callgrind = ctypes.CDLL(str(work / "cg.so"))
    emu, client, recorder, _ = recording_client(models=[WEATHER_BOT])
    requests = []
    record = recorder.handle_request

    def captured(request: object) -> object:
        request.read()  # type: ignore[attr-defined]
        requests.append(request)
        return record(request)

    recorder.handle_request = captured  # type: ignore[method-assign]
    lifecycle(client)
    transport = sync_transport(create_app(emu), sdk_http_module())

    def once(dump: bool) -> None:
        emu.reset()
        if dump:
            callgrind.cg_dump(b"reset")
        for n, request in enumerate(requests):
            response = transport.handle_request(request)
            response.read()
            assert response.status_code < 400, (response.status_code, response.content)
            if dump:
                callgrind.cg_dump(f"{n}:{request.method}:{request.url.path}".encode())

    for _ in range(3):  # warm: templates compiled, the spec loaded, caches filled
        once(False)
    callgrind.cg_start()
    for _ in range(lifecycles):
        once(True)
    callgrind.cg_stop()


def report(work: Path, lifecycles: int) -> None:
    counts: Counter[str] = Counter()
    for path in work.glob("cg.out*"):
        text = path.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
        total = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
        if label and total:
            counts[label.group(1)] += int(total.group(1))
    order = sorted(counts, key=lambda k: -1 if k == "reset" else int(k.split(":")[0]))
    for label in order:
        name = label if label == "reset" else " ".join(label.split(":")[1:])
        print(f"{counts[label] / lifecycles / 1e3:10.1f} k  {name}")
    print(f"{sum(counts.values()) / lifecycles / 1e6:10.3f} M  per lifecycle (the reset included)")


if __name__ == "__main__":
    main()
