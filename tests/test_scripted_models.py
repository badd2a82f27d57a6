"""Scripted models: the script format and its errors, matching and templating, and the runs they
drive through the SDK (in-process, and over the dev server with `--models` and the admin API);
the built-in `echo` model and the default catalogue's cooperative model."""

from __future__ import annotations

import json

import jsonschema
import pytest
from test_cli_server import ServerProcess, _no_proxies, raw, serve  # noqa: F401  (fixtures)
from test_cli_server import openai_client as http_client

from scripted_models.base import (
    CallFunctions,
    ChatMessage,
    Fail,
    FunctionCall,
    ModelInput,
    NoMatch,
    Reply,
    Stop,
    ToolOutput,
    UseTool,
)
from scripted_models.script import Script, ScriptError, load_scripts, scripts_from

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_time",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {
                "tz": {"type": "string", "pattern": r"^[A-Z][a-z]+/[A-Z][a-z]+$"},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "format": {"anyOf": [{"type": "string", "enum": ["12h", "24h"]}, {"type": "null"}]},
            },
            "required": ["tz", "days", "format"],
            "additionalProperties": False,
        },
    },
}
WEATHER_BOT = {
    "name": "weather-bot",
    "turns": [
        {
            "when": {"tool_outputs": True},
            "do": [{"reply": "It is {{ outputs[0].json.temp }} degrees in {{ calls[0].arguments.city }}."}],
        },
        {
            "when": {"user": "(?i)weather in (?P<city>[A-Za-z ]+)"},
            "do": [{"call": "get_weather", "arguments": {"city": "{{ match.city }}"}}],
        },
    ],
}
PARALLEL_YAML = """\
name: planner
turns:
  - when: {tool_outputs: true}
    do: [{reply: "{% for c in calls %}{{ c.name }}={{ c.output }};{% endfor %}"}]
  - do:
      - call: get_weather
        arguments: {city: Paris}
      - call: get_time
"""


def model_input(user="", *, turn=1, outputs=(), tools=(WEATHER, TIME), instructions="", tool_choice="auto"):
    return ModelInput(
        model="bot", instructions=instructions, messages=(ChatMessage("user", "earlier"), ChatMessage("user", user)),
        tools=tuple(tools), tool_choice=tool_choice, tool_outputs=tuple(outputs), turn=turn,
    )  # fmt: skip


def texts(actions):
    assert all(isinstance(a, Reply) for a in actions), actions
    return [a.text for a in actions]


# --- the format -----------------------------------------------------------------------------


def test_scripts_from_yaml_json_lists_and_models_key(tmp_path):
    (tmp_path / "one.yaml").write_text(PARALLEL_YAML)
    (tmp_path / "many.json").write_text(json.dumps([WEATHER_BOT, {"name": "b", "turns": [{"do": {"reply": "b"}}]}]))
    (tmp_path / "wrapped.yml").write_text(
        "models:\n  - name: c\n    description: hi\n    turns: [{do: [{reply: c}]}]\n"
    )
    (planner,) = load_scripts(tmp_path / "one.yaml")
    assert planner.name == "planner" and len(planner.turns) == 2 and planner.turns[0].when.tool_outputs is True
    assert [s.name for s in load_scripts(tmp_path / "many.json")] == ["weather-bot", "b"]
    (wrapped,) = load_scripts(str(tmp_path / "wrapped.yml"))
    assert (wrapped.name, wrapped.description) == ("c", "hi")
    assert [s.name for s in scripts_from({"models": [WEATHER_BOT]})] == ["weather-bot"]
    assert Script.from_dict(WEATHER_BOT).turns[1].when.user == WEATHER_BOT["turns"][1]["when"]["user"]


REPLY = {"reply": "hi"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"turns": [{"do": [REPLY]}]}, "script: 'name' must be a non-empty string"),
        ({"name": "bot"}, "script (bot): 'turns' must be a non-empty list"),
        ({"name": "bot", "turns": []}, "script (bot): 'turns' must be a non-empty list"),
        ({"name": "bot", "turns": [{"do": [REPLY]}], "colour": 1}, "script: unknown keys ['colour']"),
        ({"name": "bot", "turns": [{"when": {}}]}, "script (bot) turn 1: a turn is a mapping with 'do'"),
        ({"name": "bot", "turns": [{"do": [REPLY], "then": 1}]}, "script (bot) turn 1: unknown keys ['then']"),
        ({"name": "bot", "turns": [{"do": [REPLY]}, {"when": {"usr": "x"}, "do": [REPLY]}]},
         "script (bot) turn 2: 'when' keys must be among"),
        ({"name": "bot", "turns": [{"do": [REPLY]}, {"when": {"user": "(unclosed"}, "do": [REPLY]}]},
         "script (bot) turn 2: 'when.user' is not a valid regex"),
        ({"name": "bot", "turns": [{"when": {"instructions": "[z-a]"}, "do": [REPLY]}]},
         "script (bot) turn 1: 'when.instructions' is not a valid regex"),
        ({"name": "bot", "turns": [{"do": [{}]}]}, "script (bot) turn 1 action 1: each action has exactly one of"),
        ({"name": "bot", "turns": [{"do": [REPLY, {"reply": "a", "call": "f"}]}]},
         "script (bot) turn 1 action 2: each action has exactly one of ['call', 'fail', 'incomplete', 'refuse', 'reply', 'run_code', 'search', 'think', 'tool', 'web_search']"),
        ({"name": "bot", "turns": [{"do": [{"reply": "a", "arguments": {}}]}]},
         "script (bot) turn 1 action 1: 'arguments' goes with 'call'"),
        ({"name": "bot", "turns": [{"do": [{"reply": "a", "delay": 1}]}]}, "action 1: unknown keys ['delay']"),
        ({"name": "bot", "turns": [{"do": []}]}, "turn 1: 'do' needs at least one action"),
        ({"name": "bot", "turns": [{"when": {"turn": "one"}, "do": [REPLY]}]}, "'when.turn' must be a whole number"),
        ({"name": "bot", "turns": [{"do": [{"fail": {"code": "oops"}}]}]}, "'fail.code' must be one of"),
        ({"name": "bot", "turns": [{"do": [{"incomplete": "tired"}]}]}, "'incomplete.reason' must be one of"),
    ],
)  # fmt: skip
def test_script_errors_say_where(data, message):
    with pytest.raises(ScriptError) as info:
        Script.from_dict(data)
    assert message in str(info.value)


def test_file_errors_name_the_file_and_the_script(tmp_path):
    bad_list = tmp_path / "two.json"
    bad_list.write_text(json.dumps([WEATHER_BOT, {"name": "second", "turns": [{"do": [{"call": "f", "reply": "x"}]}]}]))
    with pytest.raises(ScriptError, match=r"two\.json\[1\] \(second\) turn 1 action 1: each action"):
        load_scripts(bad_list)
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n")
    with pytest.raises(ScriptError, match=r"bad\.yaml: not valid YAML"):
        load_scripts(tmp_path / "bad.yaml")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ScriptError, match=r"bad\.json: not valid JSON"):
        load_scripts(tmp_path / "bad.json")
    with pytest.raises(ScriptError, match=r"missing\.yaml: cannot read"):
        load_scripts(tmp_path / "missing.yaml")


# --- matching and templating ------------------------------------------------------------------

MATCHER = Script.from_dict({"name": "matcher", "turns": [
    {"when": {"tool_outputs": True, "turn": 3}, "do": [{"reply": "third turn"}]},
    {"when": {"tool_outputs": True}, "do": [{"reply": "outputs"}]},
    {"when": {"user": r"(?i)weather in (?P<city>\w+)( please)?", "tools": "get_weather"},
     "do": [{"reply": "{{ match.city }}|{{ match['1'] }}|{{ match['0'] }}"}]},
    {"when": {"user": "weather"}, "do": [{"reply": "no weather tool"}]},
    {"when": {"instructions": "(?i)pirate"}, "do": [{"reply": "arr"}]},
    {"when": {"tool_choice": "none"}, "do": [{"reply": "told not to"}]},
    {"when": {"tool_choice": "get_time", "tools": ["get_time", "code_interpreter"]}, "do": [{"reply": "time"}]},
    {"when": {"tool_choice": "get_time"}, "do": [{"reply": "no interpreter"}]},
    {"do": [{"reply": "fallback"}]},
]})  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"user": "Weather in Oslo please"}, "Oslo|Oslo|Weather in Oslo please"),
        ({"user": "weather in Oslo", "tools": [TIME]}, "no weather tool"),
        ({"user": "weather in Oslo", "instructions": "Talk like a pirate"}, "Oslo|Oslo|weather in Oslo"),  # first wins
        ({"user": "hello", "instructions": "Talk like a PIRATE"}, "arr"),
        ({"user": "hello", "tool_choice": "none"}, "told not to"),
        ({"user": "hi", "tool_choice": {"type": "function", "function": {"name": "get_time"}}}, "no interpreter"),
        ({"user": "hi", "tool_choice": {"type": "function", "function": {"name": "get_time"}},
          "tools": [TIME, {"type": "code_interpreter"}]}, "time"),
        ({"user": "weather in Oslo", "turn": 2, "outputs": [ToolOutput("c1", "get_weather", "{}", "1")]}, "outputs"),
        ({"user": "x", "turn": 3, "outputs": [ToolOutput("c1", "get_weather", "{}", "1")]}, "third turn"),
        ({"user": "hello"}, "fallback"),
    ],
)  # fmt: skip
def test_when_conditions_in_order(kwargs, expected):
    assert texts(MATCHER.respond(model_input(**kwargs))) == [expected]


def test_templates_see_user_outputs_calls_and_more():
    script = Script.from_dict({"name": "t", "turns": [{"do": [
        {"reply": "{{ user }}/{{ turn }}/{{ instructions }}/{{ messages|length }}/{{ tools|join(',') }}"},
        {"reply": "{{ outputs[0].json.temp + 1 }} {{ calls[0].arguments.city }} {{ calls[0].name }}"},
        {"reply": "{{ outputs[1].output }}|{{ outputs[1].json }}|{{ outputs[1].arguments }}|{{ calls|tojson }}"},
    ]}]})  # fmt: skip
    outputs = [
        ToolOutput("call_1", "get_weather", '{"city": "Rome"}', '{"temp": 20}'),
        ToolOutput("call_2", "get_time", "not json", "ten o'clock"),
    ]
    first, second, third = texts(script.respond(model_input("hi", turn=2, outputs=outputs, instructions="be nice")))
    assert first == "hi/2/be nice/2/get_weather,get_time"
    assert second == "21 Rome get_weather"
    head, dumped = third.split("|")[:3], json.loads(third.split("|", 3)[3])
    assert head == ["ten o'clock", "ten o'clock", "not json"]
    assert dumped[0] == {"tool_call_id": "call_1", "name": "get_weather", "arguments": {"city": "Rome"},
                         "output": '{"temp": 20}', "json": {"temp": 20}}  # fmt: skip


def test_templates_read_only_the_names_they_use_and_scoping_holds():
    # the context is worked out per name a template reads: loops, `set` and later reads of the same name all hold
    script = Script.from_dict({"name": "t", "turns": [{"when": {"user": "in (?P<city>\\w+)"}, "do": [
        {"reply": "{% for user in messages %}{{ user.text }},{% endfor %}{{ user }}"},
        {"reply": "{% set turn = 7 %}{{ turn }}/{{ last_code }}/{{ results|length }}/{{ last_tool }}"},
        {"call": "get_weather", "arguments": {"city": "{{ match.city }}", "n": "{{ calls|length }}"}},
    ]}]})  # fmt: skip
    first, second, calls = script.respond(model_input("weather in Oslo"))
    assert [first, second] == [Reply("earlier,weather in Oslo,weather in Oslo"), Reply("7/None/0/None")]
    assert calls == CallFunctions((FunctionCall("get_weather", {"city": "Oslo", "n": "0"}),))
    unknown = Script.from_dict({"name": "u", "turns": [{"do": [{"reply": "{{ nobody }}"}]}]})
    with pytest.raises(NoMatch, match="a template did not render.*'nobody' is undefined"):
        unknown.respond(model_input("x"))


def test_no_match_says_what_was_expected_and_what_came():
    script = Script.from_dict({"name": "strict-bot", "turns": [
        {"when": {"user": "^hi$"}, "do": [REPLY]}, {"when": {"turn": 2, "tool_outputs": True}, "do": [REPLY]},
    ]})  # fmt: skip
    with pytest.raises(NoMatch) as info:
        script.respond(model_input("bye now", tool_choice="required"))
    message = str(info.value)
    assert message.startswith("Scripted model 'strict-bot': no turn matched. Expected one of: ")
    assert "user message matching /^hi$/; turn 2 and tool outputs submitted." in message
    assert message.endswith("Got: latest user message 'bye now', turn 1, tool outputs none, tool_choice required")
    assert info.value.expected == ["user message matching /^hi$/", "turn 2 and tool outputs submitted"]


def test_calls_generated_merged_missing_and_broken_templates():
    script = Script.from_dict({"name": "caller", "turns": [
        {"when": {"user": "both"}, "do": [{"reply": "on it"}, {"call": "get_time"}, {"call": "get_weather"}]},
        {"when": {"user": "missing"}, "do": [{"call": "get_stock"}]},
        {"when": {"user": "broken"}, "do": [{"reply": "{{ outputs[0].json }}"}]},
    ]})  # fmt: skip
    reply, calls = script.respond(model_input('both: time in "Europe/Paris" and weather in Lisbon for 3 days'))
    assert reply == Reply("on it") and isinstance(calls, CallFunctions)  # the calls of a turn are parallel calls
    assert [c.name for c in calls.calls] == ["get_time", "get_weather"]
    for call, tool in zip(calls.calls, (TIME, WEATHER), strict=True):
        jsonschema.validate(call.arguments, tool["function"]["parameters"])
    assert calls.calls[0].arguments == {"tz": "Europe/Paris", "days": 3, "format": "12h"}  # strict: all filled
    assert calls.calls[1].arguments == {"city": "Europe/Paris"}  # each call takes words from the first
    with pytest.raises(NoMatch, match="it calls the function 'get_stock', which the run does not have"):
        script.respond(model_input("missing"))
    with pytest.raises(NoMatch, match="a template did not render.*template error"):
        script.respond(model_input("broken"))
    fail = Script.from_dict({"name": "f", "turns": [{"do": [{"fail": "down: {{ user }}"}]}]})
    assert fail.respond(model_input("x")) == [Fail("server_error", "down: x")]
    stop = Script.from_dict({"name": "s", "turns": [{"do": [{"incomplete": {"text": "part"}}]}]})
    assert stop.respond(model_input("x")) == [Stop("max_completion_tokens", "part")]


# --- runs through the SDK -------------------------------------------------------------------


def start(client, model, text, tools=(WEATHER, TIME), **run):
    assistant = client.beta.assistants.create(model=model, tools=list(tools))
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return thread, client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, **run)


def last_reply(client, thread):
    return client.beta.threads.messages.list(thread.id).data[0]


def weather_conversation(client):
    thread, run = start(client, "weather-bot", "What's the weather in Lisbon?")
    assert run.status == "requires_action", run.last_error
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("get_weather", {"city": "Lisbon"})
    done = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": '{"temp": 19}'}]
    )
    assert done.status == "completed"
    assert last_reply(client, thread).content[0].text.value == "It is 19 degrees in Lisbon."
    return thread, done


def test_tool_arguments_as_a_json_string_are_parsed_or_refused():
    # as a mapping or as a JSON string (a template too, rendered first): the tool gets the same object
    as_string = {"tool": "mcp", "name": "get_weather", "arguments": '{"city": "{{ user }}", "days": 2}'}
    as_mapping = {"tool": "mcp", "name": "get_weather", "arguments": {"city": "{{ user }}", "days": 2}}
    for action in (as_string, as_mapping):
        (use,) = Script.from_dict({"name": "bot", "turns": [{"do": [action]}]}).respond(model_input("Oslo"))
        assert isinstance(use, UseTool) and use.arguments == {"city": "Oslo", "days": 2}
    # plain text that is no JSON object is refused when the script is loaded
    for text in ('{"city": ', '["Oslo"]', "city=Oslo"):
        with pytest.raises(ScriptError, match=r"action 1: a 'tool' action's 'arguments' is a mapping, or a string"):
            Script.from_dict({"name": "bot", "turns": [{"do": [{"tool": "openapi", "arguments": text}]}]})
    # a template is checked once rendered: the run fails saying so
    broken = Script.from_dict({"name": "bot", "turns": [{"do": [{"tool": "mcp", "arguments": "{{ user }}"}]}]})
    with pytest.raises(NoMatch, match="its tool arguments are not a JSON object"):
        broken.respond(model_input("Oslo"))
    # `call:` keeps its string as the call's arguments, as given
    as_given = Script.from_dict({"name": "bot", "turns": [{"do": [{"call": "get_weather", "arguments": "{oops"}]}]})
    (calls,) = as_given.respond(model_input("x"))
    assert calls.calls[0].arguments_json() == "{oops"


@pytest.mark.emulator(models=[WEATHER_BOT])
def test_a_function_calling_conversation_from_the_marker(openai_client):
    thread, run = weather_conversation(openai_client)
    steps = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [("tool_calls", "completed"), ("message_creation", "completed")]


def test_registered_in_the_test_and_from_a_yaml_file(openai_client, emulator, tmp_path):
    emulator.models.register(WEATHER_BOT)
    weather_conversation(openai_client)
    (tmp_path / "planner.yaml").write_text(PARALLEL_YAML)
    emulator.models.register(tmp_path / "planner.yaml")
    thread, run = start(openai_client, "planner", "Plan my day in Paris")
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [c.function.name for c in calls] == ["get_weather", "get_time"]
    assert json.loads(calls[0].function.arguments) == {"city": "Paris"}
    jsonschema.validate(json.loads(calls[1].function.arguments), TIME["function"]["parameters"])
    outputs = [{"tool_call_id": c.id, "output": out} for c, out in zip(calls, ("sunny", "noon"), strict=True)]
    openai_client.beta.threads.runs.submit_tool_outputs_and_poll(run_id=run.id, thread_id=thread.id,
                                                                 tool_outputs=outputs)  # fmt: skip
    assert last_reply(openai_client, thread).content[0].text.value == "get_weather=sunny;get_time=noon;"
    _, single = start(openai_client, "planner", "Plan my day", parallel_tool_calls=False)
    assert [c.function.name for c in single.required_action.submit_tool_outputs.tool_calls] == ["get_weather"]


FLAKY = {"name": "flaky", "turns": [
    {"when": {"user": "limit"}, "do": [{"fail": {"code": "rate_limit_exceeded", "message": "Slow down, {{ user }}"}}]},
    {"when": {"user": "cut"}, "do": [{"incomplete": {"reason": "max_prompt_tokens", "text": "Half an ans"}}]},
    {"when": {"user": "stop"}, "do": [{"incomplete": "max_completion_tokens"}]},
    {"when": {"user": "tool"}, "do": [{"call": "get_stock"}]},
    {"when": {"user": "^hello$"}, "do": [REPLY]},
]}  # fmt: skip


@pytest.mark.emulator(models=[FLAKY])
def test_fail_incomplete_and_strictness(openai_client):
    thread, run = start(openai_client, "flaky", "limit")
    assert run.status == "failed" and run.failed_at is not None
    assert (run.last_error.code, run.last_error.message) == ("rate_limit_exceeded", "Slow down, limit")
    thread, run = start(openai_client, "flaky", "cut it")
    assert (run.status, run.incomplete_details.reason) == ("incomplete", "max_prompt_tokens")
    message = last_reply(openai_client, thread)
    # a REST message has no status (ruby-openai messages_retrieve.yml); stream events carry `incomplete`
    assert (message.status, message.content[0].text.value, message.run_id) == (None, "Half an ans", run.id)
    thread, run = start(openai_client, "flaky", "stop")
    assert (run.status, run.incomplete_details.reason) == ("incomplete", "max_completion_tokens")
    assert last_reply(openai_client, thread).role == "user"  # no text: no message
    _, run = start(openai_client, "flaky", "use a tool")
    assert run.status == "failed" and run.last_error.code == "server_error"
    assert "'flaky': it calls the function 'get_stock', which the run does not have" in run.last_error.message
    assert "['get_weather', 'get_time']" in run.last_error.message
    thread, run = start(openai_client, "flaky", "good morning")
    assert run.status == "failed" and run.last_error.code == "server_error"
    assert run.last_error.message.startswith("Scripted model 'flaky': no turn matched. Expected one of: ")
    assert "user message matching /^hello$/" in run.last_error.message
    assert run.last_error.message.endswith("Got: latest user message 'good morning', turn 1, tool outputs none, "
                                           "tool_choice auto")  # fmt: skip
    assert last_reply(openai_client, thread).role == "user"


def test_echo(openai_client):
    thread, run = start(openai_client, "echo", "Repeat   after me, exactly.", tools=())
    assert run.status == "completed"
    assert last_reply(openai_client, thread).content[0].text.value == "Repeat   after me, exactly."


# --- the default catalogue's cooperative model ----------------------------------------------------


def arguments_of(run):
    calls = run.required_action.submit_tool_outputs.tool_calls
    tools = {t["function"]["name"]: t["function"]["parameters"] for t in (WEATHER, TIME)}
    for call in calls:
        jsonschema.validate(json.loads(call.function.arguments), tools[call.function.name])
    return [(c.function.name, json.loads(c.function.arguments)) for c in calls]


@pytest.mark.parametrize(
    "text, run, expected",
    [
        ("Use get_weather for Paris", {}, [("get_weather", {"city": "Paris", "unit": "celsius"})]),
        ("get weather and get time in Tokyo for 2 days", {}, [
            ("get_weather", {"city": "Tokyo", "unit": "celsius"}), ("get_time", {"tz": "Aa/Aa", "days": 2, "format": "12h"})]),
        ("get weather and get time", {"parallel_tool_calls": False}, [("get_weather", {"city": "weather", "unit": "celsius"})]),
        ("Hello Madrid", {"tool_choice": {"type": "function", "function": {"name": "get_time"}}},
         [("get_time", {"tz": "Aa/Aa", "days": 1, "format": "12h"})]),
        ("Hello Madrid", {"tool_choice": "required"}, [("get_weather", {"city": "Madrid", "unit": "celsius"})]),
    ],
)  # fmt: skip
def test_default_model_calls_functions_with_valid_arguments(openai_client, text, run, expected):
    _, made = start(openai_client, "my-deployment", text, **run)
    assert made.status == "requires_action" and made.model == "my-deployment"
    assert arguments_of(made) == expected


def test_default_model_replies(openai_client):
    thread, run = start(openai_client, "my-deployment", "get_weather in Rome", tool_choice="none")
    assert run.status == "completed"
    assert last_reply(openai_client, thread).content[0].text.value.startswith('You said: "get_weather in Rome".')
    thread, run = start(openai_client, "my-deployment", "What is the weather? get_weather")
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    done = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": '{"temp": 19}'}]
    )
    assert done.status == "completed"
    reply = last_reply(openai_client, thread).content[0].text.value
    assert reply == 'Here is what I found: get_weather returned {"temp": 19}.'


def test_default_model_answers_in_json_when_asked(openai_client):
    thread, _ = start(openai_client, "my-deployment", "Hi there", tools=(), response_format={"type": "json_object"})
    assert json.loads(last_reply(openai_client, thread).content[0].text.value)["response"].startswith("You said")
    schema = {"type": "object", "properties": {"answer": {"type": "string"}, "score": {"type": "integer",
              "minimum": 1, "maximum": 5}, "tags": {"type": "array", "items": {"type": "string"}}},
              "required": ["answer", "score", "tags"], "additionalProperties": False}  # fmt: skip
    fmt = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": schema, "strict": True}}
    thread, run = start(openai_client, "my-deployment", "Rate Lisbon 4 of 5", tools=(), response_format=fmt)
    assert run.status == "completed", run.last_error
    value = json.loads(last_reply(openai_client, thread).content[0].text.value)
    jsonschema.validate(value, schema)
    assert value["score"] == 4


# --- the dev server ----------------------------------------------------------------------------


def test_dev_server_models_file_and_admin_registration(serve, tmp_path):  # noqa: F811
    (tmp_path / "bots.yaml").write_text(json.dumps({"models": [WEATHER_BOT]}))  # JSON is YAML too
    server = serve("--port", "0", "--quiet", "--models", str(tmp_path / "bots.yaml"))
    with http_client(server.url) as client:
        weather_conversation(client)
        status, _, body = raw(server.url, "POST", "/_emulator/models", {"models": [FLAKY, {**FLAKY, "name": "f2"}]})
        assert (status, body) == (200, {"registered": ["flaky", "f2"]})
        assert {"weather-bot", "flaky", "f2", "echo"} <= set(raw(server.url, "GET", "/_emulator/models")[2]["models"])
        _, run = start(client, "f2", "limit")
        assert (run.status, run.last_error.message) == ("failed", "Slow down, limit")
        status, _, body = raw(server.url, "POST", "/_emulator/models", {"name": "bad", "turns": [{"do": [{}]}]})
        assert status == 400
        assert "scripts (bad) turn 1 action 1: each action has exactly one of" in body["error"]["message"]
        _, run = start(client, "bad", "hello", tools=())  # not registered: the default model plays it
        assert run.status == "completed"


def test_dev_server_refuses_a_bad_models_file(serve, tmp_path):  # noqa: F811
    path = tmp_path / "bad.yaml"
    path.write_text("name: bot\nturns:\n  - do:\n      - reply: hi\n        arguments: {}\n")
    server = serve("--port", "0", "--models", str(path), wait=False)
    assert server.wait_exit() == 2, server.output()
    err = "\n".join(server.stderr)
    assert f"assistants-emulator: {path} (bot) turn 1 action 1: 'arguments' goes with 'call'" in err
    assert "Traceback" not in server.output() and "listening on" not in server.output()
