"""The default catalogue choosing functions (issue 20): the request matched against names split
into words, descriptions and parameters; one call per clause; a text reply when nothing fits;
every property filled; calls one per turn when not parallel; no repeat once answered."""

from __future__ import annotations

import json

import pytest

from scripted_models.base import CallFunctions, ChatMessage, ModelInput, Reply, ToolOutput
from scripted_models.choosing import choose, name_words
from scripted_models.default import DefaultModel


def function(name, description="", properties=None, required=()):
    parameters = {"type": "object", "properties": properties or {}, "required": list(required)}
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


WEATHER = function(
    "get_current_weather",
    "Get the current weather in a given location",
    {"location": {"type": "string", "description": "The city and state"},
     "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    ["location"],
)  # fmt: skip
SPECIALS = function("MenuPlugin-get_specials", "Provides a list of specials from the menu.")
PRICE = function(
    "MenuPlugin-get_item_price",
    "Provides the price of the requested menu item.",
    {"menu_item": {"type": "string", "description": "The name of the menu item."}},
    ["menu_item"],
)
QUIZ = function(
    "create_quiz",
    "Creates a quiz from questions",
    {"title": {"type": "string"}, "question_type": {"type": "string", "enum": ["MULTIPLE_CHOICE", "FREE_RESPONSE"]},
     "choices": {"type": "array", "items": {"type": "string"}}},
    ["title"],
)  # fmt: skip


def ask(text, tools, **extra):
    model_input = ModelInput(
        model="gpt-4o", instructions="", messages=(ChatMessage("user", text),), tools=tools, **extra
    )
    return DefaultModel().respond(model_input)


def calls(actions):
    (action,) = actions
    assert isinstance(action, CallFunctions), action
    return [(c.name, json.loads(c.arguments_json())) for c in action.calls]


@pytest.mark.parametrize(
    ("name", "words"),
    [("get_current_weather", ["get", "current", "weather"]), ("getItemPrice", ["get", "item", "price"]),
     ("MenuPlugin-get_specials", ["menu", "plugin", "get", "specials"]), ("menu.get_specials", ["menu", "get", "specials"]),
     ("tools__lookupHTTPStatus", ["tools", "lookup", "http", "status"]), ("send-email", ["send", "email"])],
)  # fmt: skip
def test_names_split_into_words(name, words):
    assert name_words(name) == words


def test_the_function_the_request_is_about_is_called_though_not_named():
    assert calls(ask("What is the special soup?", (SPECIALS, PRICE))) == [("MenuPlugin-get_specials", {})]
    assert calls(ask("How much is the Clam Chowder?", (SPECIALS, PRICE))) == [
        ("MenuPlugin-get_item_price", {"menu_item": "Clam Chowder"})
    ]
    assert calls(ask("Is it raining in Oslo?", (WEATHER,))) == [
        ("get_current_weather", {"location": "Oslo", "unit": "celsius"})
    ]


@pytest.mark.parametrize("text", ["hello", "Thank you!", "Tell me a joke", ""])
def test_nothing_fits_a_text_reply(text):
    (action,) = ask(text, (WEATHER, SPECIALS))
    assert isinstance(action, Reply)


def test_one_call_per_clause_in_parallel_or_one_per_turn():
    text = "What's the weather like in San Francisco, Tokyo, and Paris in fahrenheit?"
    expected = [("get_current_weather", {"location": city, "unit": "fahrenheit" if city == "Paris" else "celsius"})
                for city in ("San Francisco", "Tokyo", "Paris")]  # fmt: skip
    assert calls(ask(text, (WEATHER,))) == expected
    assert calls(ask(text, (WEATHER,), parallel_tool_calls=False)) == expected[:1]
    done = (ToolOutput("call_1", "get_current_weather", json.dumps(expected[0][1]), '{"temp": 15}'),)
    assert calls(ask(text, (WEATHER,), parallel_tool_calls=False, tool_outputs=done, turn=2)) == expected[1:2]


def test_different_functions_for_different_clauses():
    got = calls(ask("List the specials and tell me the price of the Cobb Salad", (SPECIALS, PRICE)))
    assert got == [("MenuPlugin-get_specials", {}), ("MenuPlugin-get_item_price", {"menu_item": "Cobb Salad"})]


def test_every_declared_property_is_filled_and_valid():
    ((name, arguments),) = calls(ask('Create a quiz titled "Capitals"', (QUIZ,)))
    assert name == "create_quiz" and arguments["title"] == "Capitals"
    assert set(arguments) == {"title", "question_type", "choices"} and arguments["question_type"] in (
        "MULTIPLE_CHOICE", "FREE_RESPONSE")  # fmt: skip


def test_a_query_function_fits_any_question_but_not_a_greeting():
    ask_github = function("ossinsight_data_api", "Retrieve structured data about repositories",
                          {"question": {"type": "string"}}, ["question"])  # fmt: skip
    assert calls(ask("Who has the most followers?", (ask_github,)))[0][0] == "ossinsight_data_api"
    assert isinstance(ask("hi", (ask_github,))[0], Reply)


def test_the_same_choice_every_time():
    text = "price of the soup and the specials"
    assert len({json.dumps(calls(ask(text, (SPECIALS, PRICE)))) for _ in range(3)}) == 1
    assert choose({"a_b": {"name": "a_b"}}, "nothing here") == []


# --- end to end, through the SDK ---------------------------------------------------------------


def test_a_function_loop_runs_to_its_end(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[SPECIALS, PRICE])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "What is the special soup?"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.name == "MenuPlugin-get_specials"
    run = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "Soup: Clam Chowder"}]
    )
    assert run.status == "completed"
    reply = openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert "Clam Chowder" in reply
    # a new run with no new user message: the request was answered, so a text reply, no call
    again = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert again.status == "completed"
    assert "Clam Chowder" in openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value


def test_calls_one_per_turn_when_not_parallel(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Oslo and Rome?"}])
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, parallel_tool_calls=False
    )
    cities = []
    while run.status == "requires_action":
        (call,) = run.required_action.submit_tool_outputs.tool_calls
        city = json.loads(call.function.arguments)["location"]
        cities.append(city)
        run = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
            run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": f"sunny in {city}"}]
        )
    assert cities == ["Oslo", "Rome"] and run.status == "completed"
    reply = openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert "sunny in Oslo" in reply and "sunny in Rome" in reply


def test_a_clause_that_names_someone_but_asks_nothing_calls_nothing_more():
    assert calls(ask("What's the weather in Paris, thanks Bob", (WEATHER,))) == [
        ("get_current_weather", {"location": "Paris", "unit": "celsius"})
    ]
    got = calls(ask("Weather in Paris, and what about Lima in fahrenheit?", (WEATHER,)))
    assert got == [("get_current_weather", {"location": "Paris", "unit": "celsius"}),
                   ("get_current_weather", {"location": "Lima", "unit": "fahrenheit"})]  # fmt: skip


MENU = "\n    Special Soup: Clam Chowder\n    Special Salad: Cobb Salad\n    Special Drink: Chai Tea\n    "


def test_a_reply_gives_the_lines_of_the_output_the_question_asks_about():
    def reply(question, output):
        done = (ToolOutput("call_1", "MenuPlugin-get_specials", "{}", output),)
        (action,) = ask(question, (SPECIALS, PRICE), tool_outputs=done, turn=2)
        return action.text

    assert reply("What is the special drink?", MENU) == "The special drink is Chai Tea."
    assert reply("What are the specials?", MENU).startswith("Here is what I found: MenuPlugin-get_specials returned")


@pytest.mark.parametrize(
    ("before", "question", "expected"),
    [("The special drink is Chai Tea.", "How much is that?", "Chai Tea"),
     ('I found "Clam Chowder" and a salad.', "What is the price of it?", "Clam Chowder"),
     ("The special drink is Chai Tea.", "How much is the Cobb Salad?", "Cobb Salad")],  # names its own: no reference
)  # fmt: skip
def test_a_message_referring_back_takes_the_thing_the_previous_reply_named(before, question, expected):
    messages = (ChatMessage("user", "What is the special?"), ChatMessage("assistant", before),
                ChatMessage("user", question))  # fmt: skip
    model_input = ModelInput(model="gpt-4o", instructions="", messages=messages, tools=(SPECIALS, PRICE))
    assert calls(DefaultModel().respond(model_input)) == [("MenuPlugin-get_item_price", {"menu_item": expected})]


def test_a_counted_array_gets_that_many_items_and_its_enums_take_the_values_in_turn():
    quiz = function("display_quiz", "Shows the student a quiz", {"title": {"type": "string"}, "questions": {
        "type": "array", "items": {"type": "object", "required": ["question_text"], "properties": {
            "question_text": {"type": "string"},
            "question_type": {"type": "string", "enum": ["MULTIPLE_CHOICE", "FREE_RESPONSE"]},
            "choices": {"type": "array", "items": {"type": "string"}}}}}}, ["title", "questions"])  # fmt: skip
    text = "Make a quiz with three questions, one free response, then give me feedback."
    ((name, arguments),) = calls(ask(text, (quiz,)))  # one call: the later clauses refine it
    assert name == "display_quiz" and [q["question_type"] for q in arguments["questions"]] == [
        "FREE_RESPONSE", "MULTIPLE_CHOICE", "FREE_RESPONSE"]  # fmt: skip
    assert all(q["choices"] for q in arguments["questions"])
