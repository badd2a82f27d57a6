"""The benchmark suite in one command; prints one table per measurement, each with the machine.

    python3 -m benchmarks.run                        # everything (about 3 minutes on 2 cores)
    python3 benchmarks/run.py --quick                # a fast smoke profile
    python3 benchmarks/run.py --only requests,scale  # pick measurements

Every measurement times the emulator and its floor side by side in alternating rounds of the
same run and reports medians and their ratio (absolute times vary on shared machines; ratios
hold), with PASS/MISS against the target of the issue.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import from the repository, not from benchmarks/
    _root = Path(__file__).resolve().parent.parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _root / "benchmarks"]
    sys.path.insert(0, str(_root))

import argparse  # noqa: E402
import importlib  # noqa: E402
import time  # noqa: E402

MEASUREMENTS = [
    "requests", "lifecycle", "scale", "server", "code_interpreter", "streaming", "fixture_overhead", "soak",
    "responses",
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import PROFILES, machine_info

    parser = argparse.ArgumentParser(prog="benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke profile (fewer rounds, smaller sizes)")
    parser.add_argument("--only", default="", help=f"comma-separated, from: {','.join(MEASUREMENTS)}")
    args = parser.parse_args(argv)
    chosen = [m.strip() for m in args.only.split(",") if m.strip()] or MEASUREMENTS
    unknown = set(chosen) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s) {sorted(unknown)}; known: {','.join(MEASUREMENTS)}")
    profile = PROFILES["quick" if args.quick else "default"]
    print(f"# assistants-emulator benchmarks ({profile.name} profile)")
    print(machine_info())
    print()
    started = time.perf_counter()
    for name in MEASUREMENTS:
        if name not in chosen:
            continue
        t0 = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        print(module.run(profile), flush=True)
        print(f"  ({name}: {time.perf_counter() - t0:.1f} s)\n", flush=True)
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
