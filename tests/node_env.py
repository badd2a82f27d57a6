"""The official Node SDKs for the tests: installed once, cached, and run against the emulator.

`tests/node/package.json` and its `package-lock.json` pin the packages (`openai`,
`@azure/ai-agents` and the Azure core packages it needs). `node_sdk()` installs them with
`npm ci` into `.node-sdk/` at the repo root (or `$EMULATOR_NODE_SDK_DIR`) and reuses that
install while the lockfile, package.json and Node version are unchanged: a stamp file holds
their hash, written only after `npm ci` succeeded. An exclusive `fcntl.flock` on
`.node-sdk/.install.lock` makes pytest-xdist workers (and concurrent pytest runs) wait for
each other instead of installing at once.

Why scripts are copied into the cache folder: ESM `import 'openai'` ignores `NODE_PATH` and
resolves bare names from the importing file's own directory upwards, through the real path
(symlinks resolved). A script under `tests/node/` would never see `.node-sdk/node_modules`,
so `NodeSDK.run` copies it into a fresh folder under `.node-sdk/scripts/` and runs the copy,
from where the lookup walks up to `.node-sdk/node_modules`. The copy is per run, so xdist
workers (and per-test URL substitutions) never share one.

When `node` or `npm` is missing, or the install fails, the tests that need it are skipped
with the reason; with the environment variable `CI` set they fail instead (CI has Node).

The child process gets a clean environment: no proxy variables (and `NO_PROXY=*`), no
`NODE_OPTIONS`, no `OPENAI_*` / `AZURE_*` settings; scripts are given the emulator's URL
explicitly, so nothing they do can leave 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import unavailable  # skip, or fail when `CI` is set: a missing Node SDK must never pass there
from side_envs import SideEnvError, locked

REPO = Path(__file__).resolve().parents[1]
NODE_DIR = REPO / "tests" / "node"
#: Modules of tests/node/ that scripts import (`./loopback.mjs`): copied beside every script run.
SHARED = ("loopback.mjs",)
MANIFESTS = ("package.json", "package-lock.json")
INSTALL_TIMEOUT = 600  # seconds for `npm ci`, and as long again to wait for another installer
RUN_TIMEOUT = 180
#: Environment variables passed on to node (the rest are dropped, proxies and OPENAI_* with them).
PASSED_ENV = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SYSTEMROOT")


def cache_dir() -> Path:
    return Path(os.environ.get("EMULATOR_NODE_SDK_DIR") or REPO / ".node-sdk")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    env.update({"NO_PROXY": "*", "no_proxy": "*"})
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class NodeResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """The last stdout line as JSON; a failed script fails the test with its output."""
        if self.returncode != 0:
            pytest.fail(f"node exited with {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}")
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        if not lines:
            pytest.fail(f"node printed nothing\nstderr:\n{self.stderr}")
        return json.loads(lines[-1])


@dataclass(frozen=True)
class NodeSDK:
    """The installed packages: `root` holds `node_modules`; `run` executes a script beside it."""

    root: Path
    node: str
    node_version: str

    def package_version(self, name: str) -> str:
        return json.loads((self.root / "node_modules" / name / "package.json").read_text())["version"]

    def run(
        self,
        script: Path | str,
        *args: str,
        replace: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = RUN_TIMEOUT,
    ) -> NodeResult:
        """Run `script` (a path, usually under tests/node/) with `args`, after replacing each
        key of `replace` in its text by the value (e.g. the docs' 127.0.0.1:8000 by the
        test server's URL). `cwd` defaults to a temporary folder."""
        source = Path(script).read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in source, f"{script} does not contain {old!r}"
            source = source.replace(old, new)
        scripts = self.root / "scripts"
        scripts.mkdir(exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=scripts, prefix=f"{Path(script).stem}-"))
        work = Path(tempfile.mkdtemp(prefix="node-cwd-")) if cwd is None else cwd
        try:
            copy = folder / Path(script).name
            copy.write_text(source, encoding="utf-8")
            for name in SHARED:  # the modules the scripts import from beside them
                shutil.copyfile(NODE_DIR / name, folder / name)
            try:
                done = subprocess.run(
                    [self.node, str(copy), *args],
                    cwd=work,
                    env=clean_env(env),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
            except subprocess.TimeoutExpired as exc:
                pytest.fail(f"node {Path(script).name} took more than {timeout} s\nstderr:\n{exc.stderr}")
            return NodeResult(done.returncode, done.stdout, done.stderr)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if cwd is None:
                shutil.rmtree(work, ignore_errors=True)


def _fingerprint(node_version: str) -> str:
    digest = hashlib.sha256(node_version.encode())
    for name in MANIFESTS:
        digest.update(b"\0" + (NODE_DIR / name).read_bytes())
    return digest.hexdigest()


def _install(root: Path, npm: str, stamp: Path, fingerprint: str) -> None:
    stamp.unlink(missing_ok=True)
    for name in MANIFESTS:
        shutil.copyfile(NODE_DIR / name, root / name)
    command = [npm, "ci", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error"]
    # npm itself may use the machine's proxy settings to reach the registry: this is the set-up,
    # not the test. Only the scripts run later get the clean environment.
    env = dict(os.environ)
    env.pop("NODE_OPTIONS", None)
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        unavailable(f"`npm ci` in {root} took more than {INSTALL_TIMEOUT} s")
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        unavailable(f"`npm ci` in {root} failed (exit {done.returncode}):\n{tail}")
    if not (root / "node_modules" / "openai" / "package.json").is_file():
        unavailable(f"`npm ci` in {root} succeeded but left no node_modules/openai")
    stamp.write_text(fingerprint + "\n")


_installed: NodeSDK | None = None


def node_sdk() -> NodeSDK:
    """The installed Node SDKs (installing them first if needed); skips or fails without them."""
    global _installed
    if _installed is not None:
        return _installed
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable(f"the Node SDK tests need `node` and `npm` on PATH (node: {node}, npm: {npm})")
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        unavailable(f"`node --version` failed: {exc}")
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / ".installed"
    fingerprint = _fingerprint(version)
    try:
        with locked(root / ".install.lock", INSTALL_TIMEOUT):
            current = stamp.read_text().strip() if stamp.is_file() else None
            if current != fingerprint or not (root / "node_modules" / "openai" / "package.json").is_file():
                _install(root, npm, stamp, fingerprint)
    except SideEnvError as exc:  # another installer held the lock too long (a stuck npm ci?)
        unavailable(str(exc))
    _installed = NodeSDK(root=root, node=node, node_version=version)
    return _installed
