"""The agent frameworks that sit on the Assistants API, each running its documented example
(tests/frameworks/, unchanged but for where the client points) in its own cached environment
(tests/side_envs.py) against the dev server over real HTTP, with the default catalogue: the
tools the example defines are exercised and its loop ends by its own rule."""

from __future__ import annotations

import openai
import pytest
from framework_runs import Seen, run_example


@pytest.fixture
def seen(emulator_server, monkeypatch) -> Seen:
    return Seen(emulator_server).watch(monkeypatch)


@pytest.mark.parametrize("runnable", ["OpenAIAssistantRunnable", "OpenAIAssistantV2Runnable"])
def test_langchain_assistant_runnable_and_agent_executor(emulator_server, seen, tmp_path, runnable):
    ran = run_example("langchain", "langchain_assistant.py", emulator_server, tmp_path, runnable)
    calls = seen.tool_calls()
    code = [c for c in calls if c.type == "code_interpreter"]
    assert code and "-32.2" in ran.result["code_interpreter"], (ran.result, code)
    functions = [(c.name, c.arguments, c.output) for c in calls if c.type == "function"]
    assert functions == [("multiply", {"a": 121, "b": 3}, "363"), ("add", {"a": 363, "b": 42}, "405")]
    assert "405" in ran.result["agent_executor"]
    assert all(run["status"] == "completed" for run in seen.runs())


def test_llamaindex_openai_assistant_agent(emulator_server, seen, tmp_path):
    ran = run_example("llamaindex", "llamaindex_assistant.py", emulator_server, tmp_path)
    calls = seen.tool_calls()
    fibonacci = "0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181"
    code = [c for c in calls if c.type == "code_interpreter"]
    assert code and "4181" in (code[0].output or ""), code  # the program ran in the sandbox
    assert fibonacci.replace(" ", "") in ran.result["code_interpreter"].replace(" ", ""), ran.result
    functions = [(c.name, c.arguments, c.output) for c in calls if c.type == "function"]
    assert functions == [("multiply", {"a": 121, "b": 3}, "363"), ("add", {"a": 363, "b": 42}, "405")]
    assert "405" in ran.result["functions"]
    assert all(run["status"] == "completed" for run in seen.runs())


def test_autogen02_gpt_assistant_agent_with_code_interpreter(emulator_server, seen, tmp_path):
    ran = run_example("autogen02", "autogen02_gpt_assistant.py", emulator_server, tmp_path)
    code = [c for c in seen.tool_calls() if c.type == "code_interpreter"]
    assert code and "-48" in (code[-1].output or ""), code  # the system was solved by code that ran
    chat = ran.result
    assert "TERMINATE" in chat[-1] and "-48" in "\n".join(chat[1:]), chat
    assert len(chat) <= 4, chat  # ended by its termination rule, not by running out of turns


def test_autogen_ext_openai_assistant_agent_in_a_round_robin_team(emulator_server, seen, tmp_path):
    ran = run_example("autogen-ext", "autogen_ext_assistant.py", emulator_server, tmp_path)
    code = [c for c in seen.tool_calls() if c.type == "code_interpreter"]
    assert code and "11" in (code[-1].output or ""), code  # the mean of the uploaded column, computed by code
    result = ran.result
    assert "TERMINATE" in result["stop_reason"], result  # ended by its own rule, not by max_turns
    assert len(result["messages"]) <= 4 and "11" in "\n".join(result["messages"][1:]), result


def test_a_thread_update_may_name_an_unused_tool_resource_slot_as_null(openai_client):
    """What autogen-ext sends when it attaches a file for code_interpreter: the other slot is null,
    taken as absent (the file_search slot the thread had stays)."""
    file = openai_client.files.create(file=("data.csv", b"a,b\n1,2\n"), purpose="assistants")
    store = openai_client.vector_stores.create(name="kept")
    thread = openai_client.beta.threads.create(tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    resources = {"code_interpreter": {"file_ids": [file.id]}, "file_search": None}
    updated = openai_client.beta.threads.update(thread.id, tool_resources=resources)
    assert updated.tool_resources.code_interpreter.file_ids == [file.id]
    assert updated.tool_resources.file_search.vector_store_ids == [store.id]
    with pytest.raises(openai.BadRequestError, match="tool_resources.file_search"):
        openai_client.beta.threads.update(thread.id, tool_resources={"file_search": "none"})


def test_semantic_kernel_openai_assistant_agent_with_a_plugin(emulator_server, seen, tmp_path):
    ran = run_example("semantic-kernel", "semantic_kernel_assistant.py", emulator_server, tmp_path)
    replies = dict(ran.result)  # user input -> the agent's reply
    assert list(replies) == ["Hello", "What is the special soup?", "What is the special drink?", "How much is that?",
                             "Thank you"], ran.result  # fmt: skip
    by_run = {}
    for call in seen.tool_calls():
        by_run.setdefault(call.run_id, []).append((call.name, call.arguments))
    per_turn = [by_run.get(run["id"], []) for run in seen.runs()]
    assert len(per_turn) == 5 and per_turn[0] == per_turn[4] == [], per_turn  # greetings get text, no call
    assert per_turn[1] == [("MenuPlugin-get_specials", {})], per_turn  # the plugin function, by its qualified name
    assert "Clam Chowder" in replies["What is the special soup?"]
    assert "Chai Tea" in replies["What is the special drink?"]
    (name, arguments), *_ = per_turn[3]
    assert name == "MenuPlugin-get_item_price" and isinstance(arguments["menu_item"], str), per_turn
    assert "$9.99" in replies["How much is that?"]
