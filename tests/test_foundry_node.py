"""Foundry Agents (issue 12) with `@azure/ai-agents` from npm, under Node, over HTTP against the
dev server: the construction docs/foundry.md gives for JS (allowInsecureConnection, the bearer
policy replaced), an agent, a polled run, the threads list, a streamed run, an upload; and the
page's example itself (tests/node/foundry_quickstart.mjs is that block, byte for byte).
Installed by tests/node_env.py; skipped with the reason when Node is missing (failed with CI)."""

from __future__ import annotations

import node_env
from node_env import NODE_DIR


def test_azure_ai_agents_for_node_drives_the_foundry_shape(emulator_server, emulator) -> None:
    node = node_env.node_sdk()
    result = node.run(NODE_DIR / "foundry_agents.mjs", emulator_server.foundry_endpoint, emulator_server.api_key)
    summary = result.json()
    assert summary["run"]["status"] == "completed"
    assert summary["messages"] == [
        {"role": "user", "text": "Hello from Node"},
        {"role": "assistant", "text": "You said: \"Hello from Node\". This is a scripted reply from the emulator's "
                                      "default model."},
    ]  # fmt: skip
    assert summary["threads"] == [summary["thread"]]
    assert summary["events"][0] == "thread.run.created" and summary["events"][-2:] == ["thread.run.completed", "done"]
    assert summary["streamed"].startswith('You said: "stream this please"')
    assert summary["file"] == {**summary["file"], "filename": "notes.md", "bytes": 17, "status": "processed"}
    prefix = "/api/projects/emulator-project/"
    assert all(r.split(" ", 1)[1].startswith(prefix) and "api-version=v1" in r for r in summary["requests"])
    api = emulator.backend()
    assert api.assistants.get(summary["agent"]["id"]).name == "node-agent"
    assert api.files.get(summary["file"]["id"]).filename == "notes.md"


def test_the_javascript_example_of_docs_foundry_md(emulator_server, emulator) -> None:
    node = node_env.node_sdk()
    result = node.run(
        NODE_DIR / "foundry_quickstart.mjs", replace={"http://127.0.0.1:8000": emulator_server.url.rstrip("/")}
    )
    assert result.returncode == 0, result.stderr
    (agent_id,) = result.stdout.split()
    assert emulator.backend().assistants.get(agent_id).name == "helper"
