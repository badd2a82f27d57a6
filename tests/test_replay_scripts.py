"""How a recorded scenario becomes a scripted model (`emulator/contract/replay.py`): turns keyed by
the message, the turn and what came before; failures, streamed calls, literal text; and the
Responses API's recorded loops. Synthetic scenarios played in-process (tests/test_record_replay.py
records a real session through the proxy and replays it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.contract.replay import jinja_literal, scenario_to_script
from scripted_models.script import Script


def _run_exchange(thread: str, run: str, user: str, *, instructions: str = "", status: str = "completed",
                  new_thread: bool = False) -> list[dict[str, Any]]:  # fmt: skip
    obj = {"id": run, "object": "thread.run", "thread_id": thread, "status": status, "instructions": instructions,
           "tool_choice": "auto", "created_at": 1}  # fmt: skip
    exchanges = []
    if new_thread:
        exchanges.append({"request": {"method": "POST", "path": "/v1/threads", "body": {}},
                          "response": {"status": 200, "body": {"id": thread, "object": "thread"}}})  # fmt: skip
    exchanges.append({"request": {"method": "POST", "path": f"/v1/threads/{thread}/messages",
                                  "body": {"role": "user", "content": user}},
                      "response": {"status": 200, "body": {"id": f"msg_u{run}", "object": "thread.message"}}})  # fmt: skip
    exchanges.append({"request": {"method": "POST", "path": f"/v1/threads/{thread}/runs", "body": {"assistant_id": "a"}},
                      "response": {"status": 200, "body": obj}})  # fmt: skip
    return exchanges


def _messages(thread: str, *texts: tuple[str, str]) -> dict[str, Any]:
    data = [{"id": f"msg_{run}", "object": "thread.message", "thread_id": thread, "run_id": run, "role": "assistant",
             "created_at": 2, "status": "completed", "content": [{"type": "text", "text": {"value": t}}]}
            for run, t in texts]  # fmt: skip
    return {"request": {"method": "GET", "path": f"/v1/threads/{thread}/messages", "query": {"order": "asc"}},
            "response": {"status": 200, "body": {"object": "list", "data": data}}}  # fmt: skip


def _scenario(*exchanges: Any) -> dict[str, Any]:
    return {"source": "hand-made", "shape": "openai", "exchanges": [e for group in exchanges for e in
                                                                      (group if isinstance(group, list) else [group])]}  # fmt: skip


def _play(script: dict[str, Any], conversation: list[tuple[str, str]], thread_per_message: bool = False) -> list[str]:
    """Replies of the replay to each (instructions, user message)."""
    emulator = Emulator(models=[script])
    client = in_process_client(create_app(emulator))
    assistant = client.beta.assistants.create(model=script["name"])
    thread = client.beta.threads.create()
    replies = []
    for instructions, user in conversation:
        if thread_per_message:
            thread = client.beta.threads.create()
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content=user)
        run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id,
                                                       instructions=instructions or None)  # fmt: skip
        assert run.status == "completed", run.last_error
        replies.append(client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text.value)
    return replies


def test_the_same_message_is_told_apart_by_instructions():
    scenario = _scenario(
        _run_exchange("thread_1", "run_1", "hello", instructions="Speak French.", new_thread=True),
        _messages("thread_1", ("run_1", "Bonjour")),
        _run_exchange("thread_1", "run_2", "hello", instructions="Speak English."),
        _messages("thread_1", ("run_1", "Bonjour"), ("run_2", "Hello {{ you }}")),
    )
    script = scenario_to_script(scenario, "polyglot")
    assert [t["when"].get("instructions") for t in script["turns"]] == [r"^Speak\ French\.$", r"^Speak\ English\.$"]
    assert _play(script, [("Speak English.", "hello"), ("Speak French.", "hello")]) == ["Hello {{ you }}", "Bonjour"]


def test_the_same_message_is_told_apart_by_what_the_thread_held():
    scenario = _scenario(
        _run_exchange("thread_1", "run_1", "again", new_thread=True),
        _run_exchange("thread_1", "run_2", "again"),
        _run_exchange("thread_1", "run_3", "again"),
        _messages("thread_1", ("run_1", "first {% time %}"), ("run_2", "second"), ("run_3", "third")),
    )
    script = scenario_to_script(scenario, "counter")
    assert len(script["turns"]) == 1 and "messages|length == 3" in script["turns"][0]["do"][0]["reply"]
    assert _play(script, [("", "again")] * 3) == ["first {% time %}", "second", "third"]


def test_answers_nothing_tells_apart_replay_the_first_and_say_so():
    scenario = _scenario(
        _run_exchange("thread_1", "run_1", "hi", new_thread=True),
        _run_exchange("thread_2", "run_2", "hi", new_thread=True),
        _messages("thread_1", ("run_1", "Hi!")),
        _messages("thread_2", ("run_2", "Hey.")),
    )
    script = scenario_to_script(scenario, "greeter")
    assert len(script["turns"]) == 1 and "run run_1's is replayed" in script["description"]
    assert _play(script, [("", "hi"), ("", "hi")], thread_per_message=True) == ["Hi!", "Hi!"]


def test_calls_streamed_before_their_step_completes_and_steps_listed_newest_first():
    run = _run_exchange("thread_1", "run_1", "weather in Oslo, then plot it", new_thread=True)
    created = run[-1]["response"].pop("body")
    step = {"object": "thread.run.step", "run_id": "run_1", "created_at": 1, "status": "in_progress",
            "type": "tool_calls", "step_details": {"type": "tool_calls", "tool_calls": []}}  # fmt: skip
    calls = [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'}}]
    waiting = {**created, "status": "requires_action",
               "required_action": {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}}}  # fmt: skip
    run[-1]["request"]["body"]["stream"] = True
    run[-1]["response"]["events"] = [
        {"event": "thread.run.created", "data": created},
        {"event": "thread.run.step.created", "data": {**step, "id": "step_1"}},
        {"event": "thread.run.requires_action", "data": waiting},
        {"event": "done", "data": "[DONE]"},
    ]
    submit = {"request": {"method": "POST", "path": "/v1/threads/thread_1/runs/run_1/submit_tool_outputs",
                          "body": {"tool_outputs": [{"tool_call_id": "call_1", "output": "3C"}]}},
              "response": {"status": 200, "body": {**created, "status": "queued"}}}  # fmt: skip
    code = {"id": "step_2", **step, "created_at": 2, "status": "completed", "step_details": {"type": "tool_calls",
            "tool_calls": [{"id": "call_2", "type": "code_interpreter",
                            "code_interpreter": {"input": "plot({{x}})", "outputs": []}}]}}  # fmt: skip
    message = {"id": "step_3", **step, "created_at": 2, "status": "completed", "type": "message_creation",
               "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_run_1"}}}  # fmt: skip
    steps = {"request": {"method": "GET", "path": "/v1/threads/thread_1/runs/run_1/steps"},
             "response": {"status": 200, "body": {"object": "list", "data": [message, code]}}}  # newest first  # fmt: skip
    script = scenario_to_script(_scenario(run, submit, steps, _messages("thread_1", ("run_1", "Done."))), "x")
    assert [(t["when"]["turn"], t["do"]) for t in script["turns"]] == [
        (1, [{"call": "get_weather", "arguments": '{"city":"Oslo"}'}]),
        (2, [{"run_code": "plot({{ '{{' }}x}})"}]),
        (3, [{"reply": "Done."}]),
    ]
    assert [t["when"]["code_ran"] for t in script["turns"]] == [False, False, True]


def test_a_failed_run_replays_as_a_failure():
    run = _run_exchange("thread_1", "run_1", "break", status="failed", new_thread=True)
    run[-1]["response"]["body"]["last_error"] = {"code": "rate_limit_exceeded", "message": "Slow down."}
    script = scenario_to_script(_scenario(run), "failing")
    assert script["turns"][0]["do"] == [{"fail": {"code": "rate_limit_exceeded", "message": "Slow down."}}]


@pytest.mark.parametrize("text", ["{{ x }}", "{% if %}", "{# c #}", "{{{", "{%}", "a {{ '{{' }} b", "}} %} #}",
                                  "{% endraw %}{% raw %}", "{", "x{\n{{\n"])  # fmt: skip
def test_jinja_literal_renders_back_to_the_text(text):
    script = Script.from_dict({"name": "t", "turns": [{"do": [{"reply": jinja_literal(text)}]}]})
    from scripted_models.base import ModelInput

    assert script.respond(ModelInput(model="t", instructions="", messages=()))[0].text == text


def test_a_recorded_responses_function_loop_replays_the_real_models_call_and_reply():
    """azure-openai ResponsesTests/FunctionCall: the replay calls the recorded function with the recorded
    arguments on the user's message, then answers the recorded text once its output came back."""
    import yaml as _yaml

    from emulator.contract.replay import scenario_to_script

    path = Path(__file__).resolve().parents[1] / "fixtures" / "recorded" / "azure-openai" / "FunctionCall.yaml"
    recorded = _yaml.safe_load(path.read_text(encoding="utf-8"))
    reply = next(p["text"] for p in recorded["exchanges"][1]["response"]["body"]["output"][0]["content"])
    turns = scenario_to_script(path, name="replay-function-call")["turns"]
    assert [t["when"] for t in turns] == [
        {"api": "responses", "user": "^What\\ should\\ I\\ wear\\ for\\ the\\ weather\\ in\\ San\\ Francisco,\\ CA\\?$",
         "turn": 1, "tool_outputs": False},
        {"api": "responses", "user": "^What\\ should\\ I\\ wear\\ for\\ the\\ weather\\ in\\ San\\ Francisco,\\ CA\\?$",
         "turn": 2, "tool_outputs": True},
    ]  # fmt: skip
    assert turns[0]["do"] == [{"call": "get_weather_at_location", "arguments": '{"location":"San Francisco, CA"}'}]
    assert turns[1]["do"] == [{"reply": reply}]


def test_recorded_reasoning_replays_as_think():
    """pydantic-ai test_openai_responses_thinking_with_tool_calls (2025-09): the first response reasoned with a
    summary of five parts (replayed as `think:` with them), the second answered with no reasoning item (`think:
    false`)."""
    import yaml as _yaml

    path = Path(__file__).resolve().parents[1] / "fixtures" / "recorded" / "pydantic+pydantic-ai"
    path = path / "openai_responses_thinking_with_tool_calls.yaml"
    recorded = _yaml.safe_load(path.read_text(encoding="utf-8"))
    summary = [p["text"] for p in recorded["exchanges"][0]["response"]["body"]["output"][0]["summary"]]
    first, second = scenario_to_script(path, name="replay-thinking")["turns"]
    assert len(summary) == 5 and first["do"][0] == {"think": [jinja_literal(text) for text in summary]}
    assert [next(iter(a)) for a in first["do"]] == ["think", "call"]
    assert [next(iter(a)) for a in second["do"]] == ["think", "reply"] and second["do"][0] == {"think": False}
