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
    settings a user would export (OPENAI_BASE_URL and OPENAI_API_KEY, AutoGen 0.2's OAI_CONFIG_LIST,
    proxies off)."""
    venv = side_envs.require(env_name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_")) and "proxy" not in k.lower()}
    env.update(OPENAI_BASE_URL=server.openai_base_url, OPENAI_API_KEY=server.api_key, NO_PROXY="127.0.0.1,localhost")
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


def tool_calls(server: Any) -> list[ToolCall]:
    """Every tool call of every run on the server, in the order the runs and steps were made."""
    calls: list[ToolCall] = []
    for namespace in server.emulator.state()["namespaces"].values():
        steps = [step for run_steps in namespace["steps"].values() for step in run_steps]
        for step in sorted(steps, key=lambda s: (s["created_at"], s["id"])):
            if step["step_details"]["type"] != "tool_calls":
                continue
            for call in step["step_details"]["tool_calls"]:
                if call["type"] == "function":
                    fn = call["function"]
                    calls.append(
                        ToolCall(step["run_id"], "function", fn["name"], json.loads(fn["arguments"]), fn.get("output"))
                    )
                elif call["type"] == "code_interpreter":
                    ci = call["code_interpreter"]
                    logs = "".join(o.get("logs", "") for o in ci.get("outputs") or [])
                    calls.append(
                        ToolCall(step["run_id"], "code_interpreter", "code_interpreter", {"input": ci["input"]}, logs)
                    )
                else:
                    calls.append(ToolCall(step["run_id"], call["type"], call["type"], {}, None))
    return calls


def runs(server: Any) -> list[dict[str, Any]]:
    """Every run on the server, oldest first."""
    found = [run for ns in server.emulator.state()["namespaces"].values() for t in ns["runs"].values() for run in t]
    return sorted(found, key=lambda r: (r["created_at"], r["id"]))
