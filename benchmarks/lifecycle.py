"""2. A full scripted lifecycle through the fixture's client (assistant, thread, message, run,
`create_and_poll`, list messages, a function-call round trip) vs the same requests answered by
a canned-JSON MockTransport (the emulator's own answers, recorded once and replayed)."""

from __future__ import annotations

import json
from typing import Any

from .common import Profile, floor_client, interleaved, recording_client, reset_floor, row, table

TARGET = 1.5

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
        {"do": [{"reply": "Hello! Ask me about the weather in a city."}]},
    ],
}
GET_WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def lifecycle(client: Any) -> None:
    beta = client.beta
    assistant = beta.assistants.create(model="weather-bot", name="bench", tools=[GET_WEATHER])
    thread = beta.threads.create()
    beta.threads.messages.create(thread.id, role="user", content="Hello")
    run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1)
    beta.threads.messages.list(thread.id)
    beta.threads.messages.create(thread.id, role="user", content="Weather in Oslo?")
    run = beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    run = beta.threads.runs.poll(run.id, thread_id=thread.id, poll_interval_ms=1)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    json.loads(call.function.arguments)
    beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": '{"temp": 4}'}],
        poll_interval_ms=1,
    )
    beta.threads.messages.list(thread.id)


def run(profile: Profile) -> str:
    emu, client, recorder, plain = recording_client(models=[WEATHER_BOT])
    lifecycle(client)
    responses = list(recorder.responses)
    floor = floor_client(responses)

    def emulator_side() -> None:
        lifecycle(plain)

    def floor_side() -> None:
        reset_floor(floor)
        lifecycle(floor)

    floor_side()
    assert floor._floor_state["i"] == len(responses), "the floor replayed a different number of requests"
    # each round starts from an empty store, as each test does with the fixture (which resets it)
    medians = interleaved(
        {"emulator": emulator_side, "floor": floor_side},
        profile.lifecycle_rounds,
        profile.lifecycles,
        before_round={"emulator": emu.reset},
    )
    notes = [
        f"{len(responses)} requests per lifecycle (assistant, thread, 2 messages, 2 runs polled, a function call "
        "round trip, 2 lists); the floor replays the emulator's recorded answers",
        f"{profile.lifecycle_rounds} alternating rounds × {profile.lifecycles} lifecycles, the emulator reset before each of "
        "its rounds (as the fixture resets it before each test); medians per lifecycle",
        f"per request: emulator {medians['emulator'] / len(responses) * 1e6:.0f} µs, "
        f"floor {medians['floor'] / len(responses) * 1e6:.0f} µs",
    ]
    return table(
        "2. scripted lifecycle vs the same number of floor requests",
        [row("lifecycle", medians["emulator"], medians["floor"], TARGET, medians.ratio("emulator", "floor"))],
        notes,
    )
