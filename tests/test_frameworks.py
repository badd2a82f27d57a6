"""The agent frameworks that sit on the Assistants API, each running its documented example
(tests/frameworks/, unchanged but for where the client points) in its own cached environment
(tests/side_envs.py) against the dev server over real HTTP, with the default catalogue: the
tools the example defines are exercised and its loop ends by its own rule."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import openai
import pytest
from framework_runs import EXAMPLES, Seen, run_example


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
    assert code and "x - y = -48" in (code[-1].output or ""), code  # the system was solved by code that ran
    chat = ran.result
    assert "TERMINATE" in chat[-1] and "x - y = -48" in "\n".join(chat[1:]), chat  # what was asked, answered
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
    assert replies["What is the special soup?"] == "The special soup is Clam Chowder.", replies
    assert per_turn[2] == [("MenuPlugin-get_specials", {})], per_turn
    assert replies["What is the special drink?"] == "The special drink is Chai Tea.", replies  # what was asked
    # "that" is the drink the previous reply named
    assert per_turn[3] == [("MenuPlugin-get_item_price", {"menu_item": "Chai Tea"})], per_turn
    assert "$9.99" in replies["How much is that?"]


NOTEBOOK = EXAMPLES / "assistants_overview.ipynb"  # re-creates the cookbook's "Assistants API Overview (Python SDK)"


def _notebook_run(path: Path, server, cwd: Path) -> tuple[list[list], dict[int, str]]:
    """tests/frameworks/run_notebook.py on `path`, with this environment's openai, against
    `server`: the report (cell number, status) and what each cell that ran printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_") and "proxy" not in k.lower()}
    env.update(OPENAI_BASE_URL=server.openai_base_url, OPENAI_API_KEY=server.api_key)
    done = subprocess.run([sys.executable, str(EXAMPLES / "run_notebook.py"), str(path)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    *printed, last = done.stdout.strip().splitlines()
    outputs: dict[int, str] = {}
    for chunk in "\n".join(printed).split("--- cell ")[1:]:
        number, _, text = chunk.partition("\n")
        outputs[int(number)] = re.sub(r"""(['"])\n\s*(['"])""", "", text)  # pprint's long strings, whole again
    return json.loads(last), outputs


def test_the_notebook_runner_runs_cells_in_order_and_skips_what_cannot_run(emulator_server, seen, tmp_path):
    cells = [
        "!pip install --upgrade openai",
        "import json\n\ndef show_json(obj):\n    display(json.loads(obj.model_dump_json()))",
        "from openai import OpenAI\nclient = OpenAI()\n"
        "assistant = client.beta.assistants.create(name='Tutor', model='gpt-4o')\nthread = client.beta.threads.create()",
        "show_json(assistnt)",  # a typo: an undefined name
        "import requests\npage = requests.get('https://example.com/data.csv')",
        "file = client.files.create(file=open('data/missing.pdf', 'rb'), purpose='assistants')",
        "client.beta.threads.messages.create(thread_id=thread.id, role='user', content='Hello')\n"
        "run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)\nshow_json(run)",
        "client.beta.threads.runs.retrieve(thread_id=thread.id, run_id='run_nope')",
    ]
    notebook = {"cells": [{"cell_type": "code", "source": [c]} for c in cells] + [{"cell_type": "markdown", "source": ["# end"]}]}  # fmt: skip
    path = tmp_path / "tour.ipynb"
    path.write_text(json.dumps(notebook))
    report, outputs = _notebook_run(path, emulator_server, tmp_path)
    assert [status.split(":")[0] for _, status in report] == [
        "skipped", "ran", "ran", "skipped", "skipped", "skipped", "ran", "failed"]  # fmt: skip
    assert report[3][1] == "skipped: undefined name(s): assistnt"
    assert report[4][1] == "skipped: it reads the network"
    assert report[5][1] == "skipped: it opens data/missing.pdf, which is not here"
    assert report[7][1].startswith("failed: NotFoundError")
    assert "'status': 'completed'" in outputs[7]
    assert [run["status"] for run in seen.runs()] == ["completed"]


def test_the_assistants_overview_notebook(emulator_server, seen, tmp_path):
    """Our re-creation of the OpenAI cookbook's "Assistants API Overview (Python SDK)", its code
    cells in order: each step does what it is there to show."""
    report, out = _notebook_run(NOTEBOOK, emulator_server, tmp_path)
    assert report[0] == [1, "skipped: a shell command or magic"]
    assert all(status == "ran" for _, status in report[1:]), report
    sources = _code_cells(NOTEBOOK)

    def printed(start: str) -> str:
        """What the one code cell whose code starts with `start` printed."""
        (number,) = [n for n, source in enumerate(sources, 1) if source.startswith(start)]
        return out[number]

    assert "'status': 'queued'" in printed("run = client.beta.threads.runs.create(")
    assert "x = 1" in printed("page = client.beta.threads.messages.list(")  # the equation, solved
    explained = printed("follow_up = client.beta.threads.messages.create(")
    assert "3x = 3" in explained and "'role': 'user'" not in explained  # only what came after the follow-up
    together = printed("def print_conversation(messages):")
    assert together.count("# Conversation") == 4 and "assistant: Bring x to one side: 3x = 3" in together
    assert "user: Thanks a lot!" in together
    fibonacci = printed('thread, run = start("Write code that generates the first 20 Fibonacci numbers.")')
    assert "0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181" in fibonacci
    steps = printed("steps = client.beta.threads.runs.steps.list(")
    assert steps.index("tool_calls completed") < steps.index("message_creation completed") and "4181" in steps
    assert "Gaussian elimination" in printed('thread, run = start("Which method do my notes recommend')
    assert "file_search" in [c.type for c in seen.tool_calls()]
    asked = printed('thread, run = start(\n    "Make me a quiz').splitlines()
    assert asked[0] == "requires_action", asked
    quiz = [c for c in seen.tool_calls() if c.type == "function"]
    assert [c.name for c in quiz] == ["display_quiz"], quiz  # called once, answered once
    schema = next(t["function"]["parameters"] for t in seen.runs()[-1]["tools"] if t["type"] == "function")
    jsonschema.validate(quiz[0].arguments, schema)
    questions = quiz[0].arguments["questions"]  # "two questions, one open-ended and one multiple choice"
    assert sorted(q["question_type"] for q in questions) == ["FREE_RESPONSE", "MULTIPLE_CHOICE"], questions
    assert all(q["choices"] for q in questions if q["question_type"] == "MULTIPLE_CHOICE"), questions
    shown = printed('answers = display_quiz(arguments["title"], arguments["questions"])').splitlines()[-1]
    assert json.loads(quiz[0].output or "null") == ast.literal_eval(shown.removeprefix("Answers: "))  # submitted
    finished = printed("run = wait_for(run, thread)\nprint(run.status)")
    assert finished.startswith("completed") and "display_quiz returned" in finished
    assert [run["status"] for run in seen.runs()].count("completed") == len(seen.runs())


def _code_cells(notebook: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
