"""The real service's recorded traffic (fixtures/recorded/, converted from ../shared/recordings by
`python3 -m fixtures.recorded.convert`) replayed against the emulator, which plays the recorded model.

Every fixture must check clean; those that do not yet are listed in PENDING with what differs (the full
catalogue: /tmp/recorded-diffs.md of issue 18). Their tests are strict xfails: when a fix makes one pass,
its XPASS fails the suite until its PENDING entry is removed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recorded_replay import FIXTURES, ROOT, check_recorded, name_of

from emulator.contract.checker import format_differences

RECORDINGS = ROOT.parent / "shared" / "recordings"

# What each recorded fixture still shows that the emulator answers otherwise (the recording wins).
PENDING: dict[str, str] = {}


def _params() -> list[object]:
    params = []
    for path in FIXTURES:
        name = name_of(path)
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
        params.append(pytest.param(path, id=name, marks=marks))
    return params


def test_there_are_recorded_fixtures_of_every_source():
    assert {path.parent.name for path in FIXTURES} == {
        "ruby-openai", "azure-openai", "azure-ai-agents", "azure-ai-projects", "pydantic+pydantic-ai"
    }  # fmt: skip


def test_pending_names_only_fixtures_that_exist():
    assert set(PENDING) <= {name_of(path) for path in FIXTURES}


@pytest.mark.skipif(not RECORDINGS.is_dir(), reason="../shared/recordings is not beside the checkout")
def test_the_committed_fixtures_are_what_the_converter_writes():
    done = subprocess.run(
        [sys.executable, "-m", "fixtures.recorded.convert", str(RECORDINGS), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", _params())
def test_recorded_fixture_checks_clean(path: Path):
    diffs = check_recorded(path)
    assert not diffs, format_differences(path.relative_to(ROOT), diffs)
