"""tests/side_envs.py: side environments are made once, reused while unchanged, remade when
their requirements change, and a failure says how to make them (with wheels built here, so
nothing leaves the machine)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import side_envs


def _wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel of a module `name` whose VERSION is `version`."""
    dist = f"{name}-{version}.dist-info"
    path = folder / f"{name}-{version}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    wheel = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}.py", f"VERSION = {version!r}\n")
        archive.writestr(f"{dist}/METADATA", metadata)
        archive.writestr(f"{dist}/WHEEL", wheel)
        archive.writestr(f"{dist}/RECORD", "")
    return path


@pytest.fixture
def envs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMULATOR_SIDE_ENVS_DIR", str(tmp_path / "envs"))
    monkeypatch.setattr(side_envs, "ENVS", {})
    monkeypatch.setattr(side_envs, "_ready", {})
    return tmp_path


def _declare(name: str, *requirements: str) -> None:
    side_envs.ENVS[name] = side_envs.SideEnv(name, "overlay", requirements, "sidepkg", "a test")


def _version_in(installed: side_envs.Installed) -> str:
    code = "import sidepkg; print(sidepkg.VERSION)"
    env = {"PYTHONPATH": installed.pythonpath(), "PATH": "/usr/bin:/bin"}
    return subprocess.run([installed.python, "-c", code], env=env, capture_output=True, text=True).stdout.strip()


def test_made_once_reused_then_remade_when_its_requirements_change(envs: Path) -> None:
    one, two = _wheel(envs, "sidepkg", "1.0"), _wheel(envs, "sidepkg", "2.0")
    _declare("side", str(one))
    installed = side_envs.ensure("side")
    assert _version_in(installed) == "1.0"
    marker = installed.path / "left-by-the-first-install"
    marker.touch()
    assert side_envs.ensure("side").path == installed.path and marker.exists()  # reused as it is

    _declare("side", str(two))
    assert _version_in(side_envs.ensure("side")) == "2.0"
    assert not marker.exists()  # made anew, not installed over the old one


def test_a_failed_install_leaves_no_stamp_and_says_why(envs: Path) -> None:
    _declare("broken", str(envs / "no-such.whl"))
    with pytest.raises(side_envs.SideEnvError, match="installing broken failed"):
        side_envs.ensure("broken")
    assert not (side_envs.root() / ".broken.installed").exists()


def test_a_package_that_cannot_be_imported_is_a_failure(envs: Path) -> None:
    side_envs.ENVS["odd"] = side_envs.SideEnv("odd", "overlay", (str(_wheel(envs, "sidepkg", "1.0")),), "nope", "x")
    with pytest.raises(side_envs.SideEnvError, match="import nope"):
        side_envs.ensure("odd")


def test_require_names_the_command_when_it_cannot_make_one(envs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    _declare("broken", str(envs / "no-such.whl"))
    with pytest.raises(pytest.skip.Exception, match=r"Make it with: python3 tests/side_envs.py broken"):
        side_envs.require("broken")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        side_envs.require("broken")


def test_the_command_makes_the_named_environments(envs: Path) -> None:
    wheel = _wheel(envs, "sidepkg", "3.0")
    script = Path(side_envs.__file__)
    setup = f"import side_envs; side_envs.ENVS['cmd'] = side_envs.SideEnv('cmd', 'overlay', ({str(wheel)!r},), 'sidepkg', 'x')"
    run = f"{setup}; raise SystemExit(side_envs.main(__import__('sys').argv[1:]))"
    env = {"EMULATOR_SIDE_ENVS_DIR": str(side_envs.root()), "PYTHONPATH": str(script.parent), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", run, "cmd"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cmd: {side_envs.root() / 'cmd'}"
    unknown = subprocess.run([sys.executable, str(script), "nope"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "known: openai2, agents-beta" in unknown.stderr
