"""7. Fixture overhead: a generated suite of N tests each taking `openai_client`, run with pytest
in a subprocess (`-p no:cacheprovider -q`), vs the same suite whose conftest defines its own
`openai_client`: a plain SDK client on a canned-JSON MockTransport (the floor: what a test of an
openai app pays anyway, the SDK's import included). Also reported: the suite with no client at
all. The plugin is loaded in every run (it is installed)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Profile, Row, median, table

TARGET_MS = 1.0

PLAIN_CLIENT = """import pytest


@pytest.fixture
def openai_client():
    import openai
    from emulator.transport import sdk_http_module

    http = sdk_http_module()
    transport = http.MockTransport(lambda request: http.Response(200, json={}))
    client = openai.OpenAI(api_key="k", base_url="http://floor.local/v1", http_client=http.Client(transport=transport))
    yield client
    client.close()
"""


def write_suite(folder: Path, n: int, client: str) -> Path:
    """n tests taking `openai_client` (the plugin's, or the conftest's plain SDK client), or none."""
    folder.mkdir(parents=True, exist_ok=True)
    if client == "none":
        tests = "".join(f"def test_{i}():\n    assert True\n\n\n" for i in range(n))
    else:
        tests = "".join(f"def test_{i}(openai_client):\n    assert openai_client is not None\n\n\n" for i in range(n))
    (folder / "test_generated.py").write_text(tests)
    (folder / "conftest.py").write_text(PLAIN_CLIENT if client == "plain" else "")
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
        suites = {name: write_suite(Path(tmp) / name, n, name) for name in ("emulator", "plain", "none")}
        samples: dict[str, list[float]] = {name: [] for name in suites}
        for r in range(profile.fixture_rounds):
            for name in list(suites) if r % 2 == 0 else list(reversed(suites)):
                samples[name].append(pytest_seconds(suites[name]))
    emu_s, plain_s, none_s = (median(samples[name]) for name in ("emulator", "plain", "none"))
    per_test_ms = (emu_s - plain_s) / n * 1e3
    rows = [
        Row(
            f"{n:,} tests, per test, vs a plain SDK client",
            f"{emu_s / n * 1e3:.2f} ms",
            f"{plain_s / n * 1e3:.2f} ms",
            f"{per_test_ms:+.2f} ms/test",
            f"< {TARGET_MS:g} ms/test",
            "PASS" if per_test_ms < TARGET_MS else "MISS",
        ),
        Row(
            f"{n:,} tests, per test, vs no client at all",
            f"{emu_s / n * 1e3:.2f} ms",
            f"{none_s / n * 1e3:.2f} ms",
            f"{(emu_s - none_s) / n * 1e3:+.2f} ms/test",
            "-",
            "-",
        ),
        Row(
            f"{n:,} tests, whole pytest run", f"{emu_s:.2f} s", f"{plain_s:.2f} s", f"{emu_s / plain_s:.2f}×", "-", "-"
        ),
    ]
    notes = [
        "emulator = the suite taking the plugin's openai_client; floor = the same tests with a conftest "
        "openai_client: a plain SDK client on a canned-JSON MockTransport",
        f"{profile.fixture_rounds} alternating round(s), medians of wall time including pytest start-up",
        f"the plain SDK client's own cost over no client at all (importing openai, a client per test): "
        f"{(plain_s - none_s) * 1e3:.0f} ms in all, {(plain_s - none_s) / n * 1e3:.2f} ms/test",
    ]
    return table("7. fixture overhead: openai_client per test", rows, notes)
