"""The tests most sensitive to the interpreter (the code_interpreter sandbox, runs, streaming) on
the other supported Pythons: 3.12 and 3.13 (the README's command runs the whole suite on the
machine's own `python3`, 3.11 here). `.ci/run` calls it after that command:

    python3 tests/other_pythons.py [VERSION ...]

For each version it finds the interpreter (`pythonX.Y` on PATH, else the newest
`$PYENV_ROOT/versions/X.Y.*`, `~/.pyenv` by default), makes or reuses a virtual environment in
`.pyenvs/X.Y/` with the project installed editable from this checkout and its test extra (made
again when pyproject.toml or the interpreter changes: a stamp holds their hash, written only
after the install succeeded), and runs `TESTS` there from the repo root.

It fails when a test fails, and when a run warns: pytest's summary counts a warning, or the
interpreter reports an exception it ignored (a destructor's error at exit, which pytest does not
see). A version whose interpreter is missing is skipped with a message, or fails when `CI` is
set: the machine CI runs on has them (pyenv), so a missing one there is a broken set-up.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from side_envs import INSTALL_TIMEOUT, SideEnvError, locked, run_install

REPO = Path(__file__).resolve().parents[1]
VERSIONS = ("3.12", "3.13")
TESTS = (
    "tests/test_code_interpreter.py",
    "tests/test_code_interpreter_concurrency.py",
    "tests/test_sandbox_escapes.py",
    "tests/test_sandbox_limits.py",
    "tests/test_runs.py",
    "tests/test_run_state_machine.py",
    "tests/test_streaming.py",
)
RUN_TIMEOUT = 600
#: What a run must not print: pytest's count of warnings, or an exception a destructor raised.
WARNED = re.compile(r"^=*\s*\d+ [a-z]+\b.*\b\d+ warnings?\b|^Exception ignored in", re.MULTILINE)


class Unavailable(SideEnvError):
    """The interpreter is missing (an environment that could not be made raises `SideEnvError`)."""


def interpreter(version: str) -> Path | None:
    """The first of `pythonX.Y` on PATH and the pyenv builds of X.Y (newest first) that runs as
    Python X.Y (a pyenv shim for a version not selected does not), as it names itself; else None."""
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    builds = [p for p in versions.glob(f"{version}.*") if re.fullmatch(rf"{re.escape(version)}\.\d+", p.name)]
    builds.sort(key=lambda p: int(p.name.rsplit(".", 1)[1]), reverse=True)
    candidates = [shutil.which(f"python{version}"), *(build / "bin" / "python3" for build in builds)]
    probe = "import sys; print('%d.%d' % sys.version_info[:2], sys.executable)"
    for candidate in filter(None, candidates):
        try:
            done = subprocess.run([str(candidate), "-c", probe], capture_output=True, text=True, timeout=60)
        except OSError:
            continue
        said = done.stdout.split(maxsplit=1)
        if done.returncode == 0 and len(said) == 2 and said[0] == version:
            return Path(said[1].strip())
    return None


def _fingerprint(python: Path) -> str:
    described = subprocess.run([str(python), "-c", "import sys; print(sys.version)"], capture_output=True,
                               text=True, check=True).stdout  # fmt: skip
    return hashlib.sha256(described.encode() + (REPO / "pyproject.toml").read_bytes()).hexdigest()


def environment(version: str, python: Path) -> Path:
    """`.pyenvs/X.Y`'s python, the environment made first if missing or out of date."""
    venv = REPO / ".pyenvs" / version
    venv.parent.mkdir(exist_ok=True)
    with locked(venv.parent / f".{version}.lock", INSTALL_TIMEOUT):  # a concurrent run waits, then reuses it
        return _environment(venv, version, python)


def _environment(venv: Path, version: str, python: Path) -> Path:
    stamp = venv / ".installed"
    fingerprint = _fingerprint(python)
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return venv / "bin" / "python"
    print(f"Python {version}: making {venv.relative_to(REPO)} (the project and its test extra, from PyPI)", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    run_install([str(python), "-m", "venv", str(venv)], f"creating the {version} venv", cwd=REPO)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run_install([*pip, "-e", ".[test]"], f"installing the project into the {version} venv", cwd=REPO)
    stamp.write_text(fingerprint + "\n")
    return venv / "bin" / "python"


def run_tests(version: str, python: Path, tests: tuple[str, ...] = TESTS) -> bool:
    """Run `tests` with `python` from the repo root, echoing the output; True if they passed
    without a warning."""
    command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-q", *tests]
    print(f"Python {version}: {' '.join(command[1:])}", flush=True)
    try:
        done = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=RUN_TIMEOUT)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        print(exc.output or "", f"\nPython {version}: the tests took more than {RUN_TIMEOUT} s", sep="")
        return False
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(f"Python {version}: FAILED (pytest exited {done.returncode})")
        return False
    if WARNED.search(done.stdout):
        print(f"Python {version}: FAILED (the run warned; nothing may warn)")
        return False
    print(f"Python {version}: passed")
    return True


def main(argv: list[str]) -> int:
    versions = argv or list(VERSIONS)
    failed = []
    for version in versions:
        python = interpreter(version)
        try:
            if python is None:
                raise Unavailable(f"no Python {version}: neither python{version} on PATH nor a pyenv build "
                                  f"(e.g. `pyenv install {version}`)")  # fmt: skip
            passed = run_tests(version, environment(version, python))
        except SideEnvError as exc:  # Unavailable among them
            if os.environ.get("CI"):
                print(f"Python {version}: FAILED: {exc}\n(CI is set: it must run there, so this fails)")
                passed = False
            else:
                print(f"Python {version}: skipped: {exc}")
                passed = True
        if not passed:
            failed.append(version)
    if failed:
        print(f"failed on Python {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
