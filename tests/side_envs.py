"""Side environments: Python packages some tests need that cannot live in the test environment
itself (an older SDK major, a beta SDK, a framework whose pins conflict with ours).

Each is made on first use, from the package registry, under `.sdk-compat/<name>/` at the repo
root (or `$EMULATOR_SIDE_ENVS_DIR`), and reused while its requirements and the Python version
are unchanged: a stamp file holds their hash, written only after the install succeeded. An
exclusive `fcntl.flock` makes pytest-xdist workers (and concurrent runs) wait for each other.

Two kinds:
- `overlay`: `pip install --no-deps --target DIR`: DIR goes first on a child's `PYTHONPATH`, so
  the child imports that version of the package over ours, with our dependencies (openai 2.x
  over httpx, the azure-ai-agents beta).
- `venv`: a virtual environment of its own, dependencies included; a child runs its `python`.

Tests call `require(name)`: it installs if needed, and when that cannot be done it skips the
test with the reason and the command below (or fails it when `CI` is set). The same install,
as one command (all environments, or those named), e.g. to prepare a machine ahead of a run:

    python3 tests/side_envs.py [NAME ...]
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parents[1]
COMMAND = "python3 tests/side_envs.py"
INSTALL_TIMEOUT = 900  # seconds for one install, and as long again to wait for another installer


@dataclass(frozen=True)
class SideEnv:
    name: str
    kind: Literal["overlay", "venv"]
    requirements: tuple[str, ...]
    #: A module the environment must be able to import once installed.
    probe: str
    why: str


ENVS: dict[str, SideEnv] = {
    env.name: env
    for env in (
        SideEnv("openai2", "overlay", ("openai>=2,<3",), "openai", "the fixtures with the older SDK major (httpx)"),
        SideEnv(
            "agents-beta",
            "overlay",
            ("azure-ai-agents==1.2.0b6",),
            "azure.ai.agents",
            "the Foundry MCP approval flow, which only the 1.2 betas have",
        ),
        SideEnv(
            "semantic-kernel",
            "venv",
            ("semantic-kernel==1.45.0",),
            "semantic_kernel.agents",
            "Semantic Kernel's AzureAssistantAgent over https (its pins conflict with the test extras)",
        ),
        # The agent frameworks of tests/frameworks/: the last releases that still drive the Assistants API.
        SideEnv(
            "langchain",
            "venv",
            ("langchain==0.3.27", "langchain-community==0.3.31", "openai==1.109.1"),
            "langchain_community.agents.openai_assistant",
            "LangChain's OpenAIAssistantRunnable (moved out of langchain 1.x)",
        ),
        SideEnv(
            "llamaindex",
            "venv",
            ("llama-index-agent-openai==0.4.12", "openai==1.109.1"),
            "llama_index.agent.openai",
            "LlamaIndex's OpenAIAssistantAgent (llama-index-agent-openai 0.4, the last with it)",
        ),
        SideEnv(
            "autogen02",
            "venv",
            ("pyautogen==0.2.35", "openai==1.109.1"),
            "autogen.agentchat.contrib.gpt_assistant_agent",
            "AutoGen 0.2's GPTAssistantAgent",
        ),
        SideEnv(
            "autogen-ext",
            "venv",
            ("autogen-agentchat==0.7.5", "autogen-ext[openai]==0.7.5"),
            "autogen_ext.agents.openai",
            "autogen-ext's OpenAIAssistantAgent in an AgentChat team",
        ),
        SideEnv(
            "openai-agents",
            "venv",
            ("openai-agents==0.24.0", "openai==3.63.0"),
            "agents",
            "the OpenAI Agents SDK (Runner, function tools, OpenAIConversationsSession) over the Responses API",
        ),
    )
}


class SideEnvError(RuntimeError):
    """An environment could not be made; the message says why."""


def root() -> Path:
    return Path(os.environ.get("EMULATOR_SIDE_ENVS_DIR") or REPO / ".sdk-compat")


@dataclass(frozen=True)
class Installed:
    env: SideEnv
    path: Path

    @property
    def python(self) -> str:
        """The interpreter a child runs: the venv's own, or this one (with `pythonpath()`)."""
        return str(self.path / "bin" / "python") if self.env.kind == "venv" else sys.executable

    def pythonpath(self, *extra: Path | str) -> str:
        """A child's PYTHONPATH: the overlay first (for a venv, only `extra`)."""
        parts = [str(self.path)] if self.env.kind == "overlay" else []
        return os.pathsep.join([*parts, *map(str, extra)])


def _fingerprint(env: SideEnv) -> str:
    identity = {"kind": env.kind, "requirements": env.requirements, "python": sys.version.split()[0]}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on `path` (made if missing), waiting up to `timeout` seconds."""
    with path.open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SideEnvError(f"another process has held {path} for more than {timeout} s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_install(command: list[str], what: str, cwd: Path | None = None) -> None:
    """Run an install step (`what` names it in the error); raise `SideEnvError` with the end of
    its output if it fails or takes too long."""
    # pip may use the machine's proxy settings to reach the registry: this is set-up, not a test.
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise SideEnvError(f"{what} took more than {INSTALL_TIMEOUT} s") from None
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise SideEnvError(f"{what} failed (exit {done.returncode}):\n{tail}")


def _install(env: SideEnv, path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if env.kind == "overlay":
        run_install(
            [sys.executable, *pip, "--no-deps", "--target", str(path), *env.requirements], f"installing {env.name}"
        )
    else:
        run_install([sys.executable, "-m", "venv", str(path)], f"creating the {env.name} venv")
        run_install([str(path / "bin" / "python"), *pip, *env.requirements], f"installing {env.name}")


def _probe(installed: Installed) -> str | None:
    """Why the environment cannot import its probe module, or None when it can."""
    env = dict(os.environ, PYTHONPATH=installed.pythonpath())
    code = f"import {installed.env.probe}"
    done = subprocess.run([installed.python, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if done.returncode == 0:
        return None
    said = done.stderr.strip().splitlines()
    return said[-1] if said else f"exit code {done.returncode}"


def ensure(name: str) -> Installed:
    """The environment `name`, installed first if it is missing or out of date."""
    env = ENVS[name]
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    installed = Installed(env, base / name)
    stamp = base / f".{name}.installed"
    fingerprint = _fingerprint(env)
    with locked(base / f".{name}.lock", INSTALL_TIMEOUT):
        current = stamp.read_text().strip() if stamp.is_file() else None
        if current != fingerprint or not installed.path.is_dir():
            stamp.unlink(missing_ok=True)
            _install(env, installed.path)
            problem = _probe(installed)
            if problem:
                raise SideEnvError(f"{env.name} installed, but `import {env.probe}` fails there: {problem}")
            stamp.write_text(fingerprint + "\n")
    return installed


_ready: dict[str, Installed] = {}


def require(name: str) -> Installed:
    """For a test: the environment, or a skip (a failure under `CI`) saying how to make it."""
    from conftest import unavailable

    if name not in _ready:
        try:
            _ready[name] = ensure(name)
        except (SideEnvError, OSError) as exc:
            unavailable(
                f"the side environment {name!r} ({ENVS[name].why}) could not be made in {root() / name}:\n"
                f"{exc}\nMake it with: {COMMAND} {name}"
            )
    return _ready[name]


def main(argv: list[str]) -> int:
    names = argv or list(ENVS)
    unknown = [name for name in names if name not in ENVS]
    if unknown:
        print(f"unknown side environment(s): {', '.join(unknown)}; known: {', '.join(ENVS)}", file=sys.stderr)
        return 2
    for name in names:
        try:
            installed = ensure(name)
        except SideEnvError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 1
        print(f"{name}: {installed.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
