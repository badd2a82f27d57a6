"""The weather tool and scripted bot the Responses tests share (tests/test_responses.py, test_persistence_responses.py
and sdk_compat/check_responses.py, which the openai 2.x child pytest runs: it finds this module as the tests'
conftest.py does, beside it)."""

from __future__ import annotations

#: A Responses API function tool.
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Get the weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
#: Calls get_weather when asked the weather in a city, answers with the output's temperature, else says how
#: many messages it read.
WEATHER_BOT = {
    "name": "weather-bot",
    "turns": [
        {"when": {"tool_outputs": True},
         "do": [{"reply": "It is {{ outputs[0].json.temp }} degrees in {{ calls[0].arguments.city }}."}]},
        {"when": {"user": "(?i)weather in (?P<city>[A-Za-z ]+)"},
         "do": [{"call": "get_weather", "arguments": {"city": "{{ match.city }}"}}]},
        {"do": [{"reply": "{{ messages|length }} messages"}]},
    ],
}  # fmt: skip
