"""7. Fixture overhead: a generated suite of N tests each taking `openai_client` vs the same
suite without it, each run with pytest in a subprocess (`-p no:cacheprovider -q`); the
difference in wall time per test. The plugin is loaded in both runs (it is installed), so the
difference is the fixtures' set-up and tear-down (emulator reset, client built and closed)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Profile, Row, median, table

TARGET_MS = 1.0


def write_suite(folder: Path, n: int, fixture: bool, one_with: bool = False) -> Path:
    """n tests taking the fixture, or none (`one_with`: all but the first, which does)."""
    folder.mkdir(parents=True, exist_ok=True)
    tests = ""
    for i in range(n):
        if fixture or (one_with and i == 0):
            tests += f"def test_{i}(openai_client):\n    assert openai_client is not None\n\n\n"
        else:
            tests += f"def test_{i}():\n    assert True\n\n\n"
    (folder / "test_generated.py").write_text(tests)
    (folder / "conftest.py").write_text("")
    return folder


def pytest_seconds(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", str(folder)],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def run(profile: Profile) -> str:
    n = profile.fixture_tests
    with tempfile.TemporaryDirectory(prefix="bench-fixture-") as tmp:
        with_fixture = write_suite(Path(tmp) / "with", n, True)
        without = write_suite(Path(tmp) / "without", n, False)
        one = write_suite(Path(tmp) / "one", n, False, one_with=True)
        samples: dict[str, list[float]] = {"with": [], "without": [], "one": []}
        for r in range(profile.fixture_rounds):
            order = [("with", with_fixture), ("without", without), ("one", one)]
            for name, folder in order if r % 2 == 0 else reversed(order):
                samples[name].append(pytest_seconds(folder))
    with_s, without_s, one_s = median(samples["with"]), median(samples["without"]), median(samples["one"])
    per_test_ms = (with_s - without_s) / n * 1e3
    marginal_ms = (with_s - one_s) / (n - 1) * 1e3
    rows = [
        Row(
            f"{n:,} tests, per test",
            f"{with_s / n * 1e3:.2f} ms",
            f"{without_s / n * 1e3:.2f} ms",
            f"{per_test_ms:+.2f} ms/test",
            f"< {TARGET_MS:g} ms/test",
            "PASS" if per_test_ms < TARGET_MS else "MISS",
        ),
        Row(
            "per test, one-time set-up excluded",
            f"{with_s / n * 1e3:.2f} ms",
            f"{one_s / n * 1e3:.2f} ms",
            f"{marginal_ms:+.2f} ms/test",
            f"< {TARGET_MS:g} ms/test",
            "PASS" if marginal_ms < TARGET_MS else "MISS",
        ),
        Row(
            f"{n:,} tests, whole pytest run",
            f"{with_s:.2f} s",
            f"{without_s:.2f} s",
            f"{with_s / without_s:.2f}×",
            "-",
            "-",
        ),
    ]
    notes = [
        f"emulator = the suite taking openai_client; floor = the same suite without it; "
        f"{profile.fixture_rounds} alternating round(s), medians of wall time including pytest start-up",
        f"one-time set-up (importing openai, Emulator(), create_app: the first test taking the fixture): "
        f"{(one_s - without_s) * 1e3:.0f} ms; the second row's floor is the suite without the fixture but for "
        "its first test",
    ]
    return table("7. fixture overhead: openai_client per test", rows, notes)
