"""Running an agent framework's example script (tests/frameworks/) in its side environment
against the dev server, and reading back what the model did there (tests/test_frameworks.py)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import side_envs

EXAMPLES = Path(__file__).resolve().parent / "frameworks"
TIMEOUT = 300  # seconds for one example (each takes a few once its environment exists)


@dataclass(frozen=True)
class Ran:
    """An example's run: its last stdout line as JSON, how long it took, what it printed."""

    result: Any
    seconds: float
    stdout: str
    stderr: str


def run_example(env_name: str, script: str, server: Any, cwd: Path, *args: str, azure: bool = False) -> Ran:
    """Run `tests/frameworks/<script>` in the side environment `env_name`, with the client
    settings a user would export (OPENAI_BASE_URL, OPENAI_API_KEY, Semantic Kernel's OPENAI_CHAT_MODEL_ID, AutoGen 0.2's OAI_CONFIG_LIST,
    proxies off)."""
    venv = side_envs.require(env_name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_")) and "proxy" not in k.lower()}
    env.update(OPENAI_BASE_URL=server.openai_base_url, OPENAI_API_KEY=server.api_key, OPENAI_CHAT_MODEL_ID="gpt-4o")
    env.update(NO_PROXY="127.0.0.1,localhost")
    config = [{"model": "gpt-4-1106-preview", "api_key": server.api_key, "base_url": server.openai_base_url}]
    env.update(OAI_CONFIG_LIST=json.dumps(config), AUTOGEN_USE_DOCKER="False", PYTHONUNBUFFERED="1")
    started = time.monotonic()
    done = subprocess.run(
        [venv.python, str(EXAMPLES / script), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, (
        f"{script} failed (exit {done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-6000:]}"
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"{script} printed nothing:\n{done.stderr[-4000:]}"
    return Ran(json.loads(lines[-1]), seconds, done.stdout, done.stderr)


@dataclass(frozen=True)
class ToolCall:
    """One tool call of a run step, as the emulator recorded it."""

    run_id: str
    type: str
    name: str  # the function's name, or the tool type
    arguments: dict[str, Any]  # a function's parsed arguments; {"input": code} for code_interpreter
    output: str | None


class Seen:
    """The runs and run steps of the server, also those of threads the example deleted when it
    cleaned up (`watch` keeps them as each thread is deleted)."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self._runs: dict[str, dict[str, Any]] = {}
        self._steps: dict[str, dict[str, Any]] = {}

    def watch(self, monkeypatch: Any) -> Seen:
        from emulator.domain.threads import Threads

        delete = Threads.delete

        def keeping(service: Threads, thread_id: str) -> Any:
            self._take()
            return delete(service, thread_id)

        monkeypatch.setattr(Threads, "delete", keeping)
        return self

    def _take(self) -> None:
        for ns in self.server.emulator.state()["namespaces"].values():
            self._runs.update((run["id"], run) for table in ns["runs"].values() for run in table)
            self._steps.update((step["id"], step) for table in ns["steps"].values() for step in table)

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first (ids are random: those of one second stay in the order they were made)."""
        self._take()
        return sorted(self._runs.values(), key=lambda r: r["created_at"])

    def tool_calls(self) -> list[ToolCall]:
        """Every tool call of every run step, in the order the steps were made."""
        self._take()
        calls: list[ToolCall] = []
        for step in sorted(self._steps.values(), key=lambda s: s["created_at"]):
            if step["step_details"]["type"] == "tool_calls":
                calls.extend(_call(step["run_id"], call) for call in step["step_details"]["tool_calls"])
        return calls


def _call(run_id: str, call: dict[str, Any]) -> ToolCall:
    if call["type"] == "function":
        fn = call["function"]
        return ToolCall(run_id, "function", fn["name"], json.loads(fn["arguments"]), fn.get("output"))
    if call["type"] == "code_interpreter":
        ci = call["code_interpreter"]
        logs = "".join(o.get("logs", "") for o in ci.get("outputs") or [])
        return ToolCall(run_id, "code_interpreter", "code_interpreter", {"input": ci["input"]}, logs)
    return ToolCall(run_id, call["type"], call["type"], {}, None)
