"""tests/other_pythons.py, the runner `.ci/run` calls for Python 3.12 and 3.13: it finds an
interpreter only where it runs as that version, skips a missing one (fails under CI), and fails
a run that fails or warns. Its real runs are `.ci/run`'s (they take a minute or more)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import other_pythons
import pytest

RUNNER = Path(other_pythons.__file__)
MINE = f"{sys.version_info.major}.{sys.version_info.minor}"


def _runner(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "CI"} | env
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True, env=environ,
                          timeout=120)  # fmt: skip


def test_a_missing_version_is_skipped_with_a_message_and_fails_under_ci(tmp_path: Path) -> None:
    done = _runner("3.99", PYENV_ROOT=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Python 3.99: skipped: no Python 3.99" in done.stdout
    done = _runner("3.99", PYENV_ROOT=str(tmp_path), CI="1")
    assert done.returncode == 1
    assert "Python 3.99: FAILED: no Python 3.99" in done.stdout and "CI is set" in done.stdout


def test_an_interpreter_is_one_that_runs_as_that_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a pyenv-like tree: a build of this version, and one named 3.98.0 that is this Python too
    for name in (f"{MINE}.0", "3.98.0"):
        (tmp_path / "versions" / name / "bin").mkdir(parents=True)
        (tmp_path / "versions" / name / "bin" / "python3").symlink_to(sys.executable)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", "")
    assert other_pythons.interpreter(MINE) == tmp_path / "versions" / f"{MINE}.0" / "bin" / "python3"
    assert other_pythons.interpreter("3.98") is None  # it is not 3.98 when run


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("def test_ok():\n    pass\n", True),
        ("def test_fails():\n    assert False\n", False),
        ("import warnings\n\ndef test_warns():\n    warnings.warn('careful')\n", False),
        ("class Leaky:\n    def __del__(self):\n        raise OSError(9, 'Bad file descriptor')\n\n"
         "keep = Leaky()\n\ndef test_ok():\n    pass\n", False),
    ],
    ids=["passes", "fails", "warns", "a-destructor-raises-at-exit"],
)  # fmt: skip
def test_a_run_passes_only_without_failure_or_warning(tmp_path: Path, body: str, passed: bool) -> None:
    test = tmp_path / "test_sample.py"
    test.write_text(body)
    assert other_pythons.run_tests(MINE, Path(sys.executable), (str(test),)) is passed
