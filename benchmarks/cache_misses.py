"""Instructions and last-level cache misses per Responses call, answered by the emulator and by the floor.

    python3 -m benchmarks.cache_misses               # about 5 minutes on 2 cores
    python3 -m benchmarks.cache_misses --calls 100 --ll-bytes 1048576

Why: `responses.py` times the SDK's `responses.create` answered by the emulator against the same
call answered by a canned-JSON `MockTransport` (the floor). The emulator's side costs about twice
as much in that loop as it does replayed on its own: the SDK's and the emulator's code and data do
not fit in a core's cache together, so each evicts the other's, and both pay for it on every call.
Timings cannot say how much of a change's effect is that interference, and they move with the
machine's load; these counts repeat whatever the load. Each side runs `--calls` calls in a process
of its own under `valgrind --tool=callgrind --cache-sim=yes`, simulating 32 KiB first-level caches
and a last-level cache of `--ll-bytes` (1 MiB by default: the L2 of a core of the 2-core EPYC that
runs the suite). Counted: instructions, and last-level data misses, over at most 150 calls after a
reset (a round of `responses.py`).

On that machine the two counts predict the benchmark's timings within a few percent, both sides and
both calls: about 0.114 ns an instruction and 20.6 ns a last-level data miss (fitted on `responses.py`'s
medians of 2026-12-07: create 930 µs against 645 µs, round trip 3.20 ms against 2.41 ms). The table's
"modelled" columns apply those two costs, so a change can be judged against the target (≤ 1.3× for
create) without a quiet machine. A larger `--ll-bytes` shows by how much the two sides overflow a
core's cache: a create's misses fall from about 12 k at 1 MiB to 1 k at 2 MiB (docs/benchmarks.md).
Needs valgrind and a C compiler; not part of `benchmarks.run`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import PROFILES
from .instructions import build_helper, under_callgrind

INSIDE = "ASSISTANTS_EMULATOR_CACHE_MISSES"
#: --call -> the per-request row of responses.py it counts
CALLS = {"create": "responses.create (text)", "round_trip": "function-call round trip (2 creates)"}
SIDES = ("emulator", "floor")
#: Bytes of one way of the simulated last level: 1,024 sets of 64-byte lines (1 MiB is 16-way, as the EPYC's L2),
#: so that any multiple of it can be simulated (valgrind wants a power of two sets, not of bytes).
LL_WAY = 1024 * 64
ROUND = PROFILES["default"].calls // 2  # calls of a round of responses.py (the emulator is reset before each)
#: Seconds an instruction and a last-level data miss cost on the suite's machine (see the docstring).
PER_INSTRUCTION, PER_MISS = 0.114e-9, 20.6e-9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=_calls, default=60, help=f"1 to {ROUND}")
    parser.add_argument(
        "--ll-bytes",
        type=_ll_bytes,
        default=1 << 20,
        help="the simulated last-level cache's size: a multiple of 64 KiB (1,024 sets of 64-byte lines)",
    )
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--call", choices=list(CALLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if os.environ.get(INSIDE):
        measure(Path(os.environ[INSIDE]), args.side, args.call, args.calls)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_helper(work)
        runs = [(call, side) for call in CALLS for side in SIDES]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = dict(
                zip(runs, pool.map(lambda run: _run(work, *run, args.calls, args.ll_bytes), runs), strict=True)
            )
    print(f"# per call, {args.calls} calls a side; simulated caches: L1 32 KiB, last level {args.ll_bytes:,} bytes")
    print("| call | instructions: emulator | floor | last-level data misses: emulator | floor "
          "| modelled: emulator | floor | ratio |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for call, title in CALLS.items():
        (ir, ll), (floor_ir, floor_ll) = counts[call, "emulator"], counts[call, "floor"]
        emu_s, floor_s = modelled(ir, ll), modelled(floor_ir, floor_ll)
        print(f"| {title} | {ir:,.0f} | {floor_ir:,.0f} | {ll:,.0f} | {floor_ll:,.0f} | {emu_s * 1e6:,.0f} µs "
              f"| {floor_s * 1e6:,.0f} µs | {emu_s / floor_s:.2f}× |")  # fmt: skip


def modelled(instructions: float, misses: float) -> float:
    """Seconds a call takes on the suite's machine, by its counts."""
    return instructions * PER_INSTRUCTION + misses * PER_MISS


def _calls(text: str) -> int:
    calls = int(text)
    if not 1 <= calls <= ROUND:
        raise argparse.ArgumentTypeError(f"from 1 to {ROUND} (a round of responses.py, after one reset)")
    return calls


def _ll_bytes(text: str) -> int:
    size = int(text)
    if size <= 0 or size % LL_WAY:
        raise argparse.ArgumentTypeError(f"a multiple of {LL_WAY:,} bytes")
    return size


def _run(work: Path, call: str, side: str, calls: int, ll_bytes: int) -> tuple[float, float]:
    """(instructions, last-level data misses) per call of one side, measured in a callgrind process of its own."""
    out = work / f"cg.{call}.{side}"
    under_callgrind(work, out, "benchmarks.cache_misses", ["--side", side, "--call", call, "--calls", str(calls)], INSIDE,
                    "--cache-sim=yes", "--I1=32768,8,64", "--D1=32768,8,64", f"--LL={ll_bytes},{ll_bytes // LL_WAY},64")  # fmt: skip
    text = out.read_text(errors="replace")
    events = re.search(r"^events: (.+)$", text, re.M).group(1).split()  # type: ignore[union-attr]
    # `totals`: `summary` underflows when the counts were zeroed inside calls, as they are here
    totals = re.search(r"^totals: (.+)$", text, re.M).group(1).split()  # type: ignore[union-attr]
    count = dict(zip(events, map(int, totals), strict=True))
    return count["Ir"] / calls, (count["DLmr"] + count["DLmw"]) / calls


def measure(work: Path, side: str, call: str, calls: int) -> None:
    """Under callgrind: record the emulator's answers for the floor, warm both, then count `calls` calls of `side`."""
    from .common import floor_client, recording_client, reset_floor
    from .responses import PER_REQUEST, WEATHER_BOT

    callgrind = ctypes.CDLL(str(work / "cg.so"))
    emu, recording, recorder, plain = recording_client(models=[WEATHER_BOT])

    play = PER_REQUEST[CALLS[call]]
    play(recording)
    floor = floor_client(list(recorder.responses))
    client = plain if side == "emulator" else floor

    callgrind.cg_start()  # the caches are simulated from here: warm them before counting
    for _ in range(3):
        play(client)
    if side == "emulator":  # the round starts from a reset emulator, or a rewound floor
        emu.reset()
    else:
        reset_floor(floor)
    callgrind.cg_start()  # zeroes the counts
    for _ in range(calls):
        play(client)
    callgrind.cg_stop()  # the counts are written when the process ends


if __name__ == "__main__":
    main()
