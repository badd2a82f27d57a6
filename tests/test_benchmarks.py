"""The benchmark harness runs: `benchmarks/run.py --quick --only requests,lifecycle,scale,streaming,responses` completes
and prints tables with ratios. No timing is asserted (times vary on shared machines)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmarks_print_tables_with_ratios() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--only",
            "requests,lifecycle,scale,streaming,responses",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "## 1. per-request cost" in out and "## 6. streaming" in out
    assert "machine: " in out and "openai " in out and "cheroot " in out
    for call in ("assistants.retrieve", "messages.create", "messages.list(limit=20)"):
        assert re.search(rf"\| {re.escape(call)} +\|.*\| \d+\.\d\d× +\| ≤ 1\.3× +\| (PASS|MISS) +\|", out), out
    assert re.search(r"\| events per second +\|", out), out
    assert re.search(r"\| lifecycle +\|.*\| \d+\.\d\d× +\| ≤ 1\.5× +\| (PASS|MISS) +\|", out), out
    assert re.search(r"\| runs\.retrieve @ [\d,]+ vs @ 100 +\|", out), out
    assert "## 8. Responses API" in out
    for call, target in (("responses.create (text)", "1.3"), ("function-call round trip (2 creates)", "1.5"),
                         (r"conversations.items.list(limit=20) @ 10,000 vs @ 100", "1.5")):  # fmt: skip
        assert re.search(rf"\| {re.escape(call)} +\|.*\| \d+\.\d\d× +\| ≤ {target}× +\| (PASS|MISS) +\|", out), out
    assert re.search(r"\| streamed response: events per second \([\d,]+ events\) +\|.*× slower", out), out


def test_the_fixture_overhead_suites_run(tmp_path: Path) -> None:
    """The generated suites of measurement 7 pass as they are (each in its own pytest process)."""
    from benchmarks.fixture_overhead import pytest_seconds, write_suite

    for client in ("emulator", "plain", "none"):
        assert pytest_seconds(write_suite(tmp_path / client, 3, client)) > 0
