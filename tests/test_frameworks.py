"""The agent frameworks that sit on the Assistants API, each running its documented example
(tests/frameworks/, unchanged but for where the client points) in its own cached environment
(tests/side_envs.py) against the dev server over real HTTP, with the default catalogue: the
tools the example defines are exercised and its loop ends by its own rule."""

from __future__ import annotations

import pytest
from framework_runs import run_example, runs, tool_calls


@pytest.mark.parametrize("runnable", ["OpenAIAssistantRunnable", "OpenAIAssistantV2Runnable"])
def test_langchain_assistant_runnable_and_agent_executor(emulator_server, tmp_path, runnable):
    ran = run_example("langchain", "langchain_assistant.py", emulator_server, tmp_path, runnable)
    calls = tool_calls(emulator_server)
    code = [c for c in calls if c.type == "code_interpreter"]
    assert code and "-32.2" in ran.result["code_interpreter"], (ran.result, code)
    functions = [(c.name, c.arguments, c.output) for c in calls if c.type == "function"]
    assert functions == [("multiply", {"a": 121, "b": 3}, "363"), ("add", {"a": 363, "b": 42}, "405")]
    assert "405" in ran.result["agent_executor"]
    assert all(run["status"] == "completed" for run in runs(emulator_server))
