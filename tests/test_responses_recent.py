"""What the Responses API answers since 2026-07 (pydantic-ai's cassettes of 2026-07, the most recent recordings):
a reasoning model's effective context and mode, effort none by default on gpt-5.1 to 5.5, a message's phase,
OpenAI's tool_usage and cache_write_tokens, Azure v1's content filter results; a script's `think` action."""

from __future__ import annotations

import openai
import pytest
from test_responses import WEATHER

from scripted_models.script import ScriptError, scripts_from


def _create(http, path: str = "/v1/responses", headers: dict[str, str] | None = None, **body):
    reply = http.post(path, json=body, headers=headers or {})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


def test_reasoning_shows_its_effective_context_and_mode(http):
    gpt5 = _create(http, model="gpt-5", input="Hi")
    assert gpt5["reasoning"] == {"context": "current_turn", "effort": "medium", "mode": "standard", "summary": None}
    assert [i["type"] for i in gpt5["output"]] == ["reasoning", "message"] and "phase" not in gpt5["output"][1]
    sol = _create(http, model="gpt-5.6-sol", input="Hi", reasoning={"context": "auto", "mode": "pro"})
    assert sol["reasoning"]["context"] == "all_turns" and sol["reasoning"]["mode"] == "pro"
    assert _create(http, model="gpt-5", input="Hi", reasoning={"context": "all_turns"})["reasoning"]["context"] == (
        "all_turns"
    )
    plain = _create(http, model="gpt-4o", input="Hi")
    assert plain["reasoning"] == {"effort": None, "summary": None}


def test_effort_none_is_the_default_of_gpt_5_4_and_shows_no_reasoning(http):
    answer = _create(http, model="gpt-5.4", input="What is the capital of France?")
    assert answer["reasoning"]["effort"] == "none"
    (message,) = answer["output"]
    assert message["phase"] == "final_answer" and list(message)[3:] == ["content", "phase", "role"]
    assert answer["usage"]["output_tokens_details"]["reasoning_tokens"] == 0
    asked = _create(http, model="gpt-5.4", input="Hi", reasoning={"effort": "low"})
    assert [i["type"] for i in asked["output"]] == ["reasoning", "message"]


def test_a_message_before_a_tool_call_is_commentary(openai_client, emulator):
    emulator.models.register({"name": "gpt-5.4", "turns": [
        {"do": [{"reply": "Let me look."}, {"call": "get_weather", "arguments": {"city": "Oslo"}}]}]})  # fmt: skip
    response = openai_client.responses.create(model="gpt-5.4", input="weather?", tools=[WEATHER])
    message, call = response.output
    assert message.phase == "commentary" and call.type == "function_call"
    again = openai_client.responses.create(
        model="gpt-4o",
        input=[  # the phase is taken back as input
            {"role": "assistant", "content": "Let me look.", "phase": "commentary"},
            {"role": "user", "content": "hi"},
        ],
    )
    assert again.status == "completed"
    with pytest.raises(openai.BadRequestError, match="Invalid value: .nope."):
        openai_client.responses.create(model="gpt-4o", input=[{"role": "assistant", "content": "x", "phase": "nope"}])


def test_tool_usage_and_cache_write_tokens_are_openai_s(http):
    openai_answer = _create(http, model="gpt-4o", input="Hi")
    keys = list(openai_answer)
    assert keys.index("tool_choice") + 1 == keys.index("tool_usage") == keys.index("tools") - 1
    assert openai_answer["tool_usage"] == {
        "image_gen": {"input_tokens": 0, "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
                      "output_tokens": 0, "output_tokens_details": {"image_tokens": 0, "text_tokens": 0},
                      "total_tokens": 0},
        "web_search": {"num_requests": 0},
    }  # fmt: skip
    assert openai_answer["usage"]["input_tokens_details"] == {"cached_tokens": 0, "cache_write_tokens": 0}
    azure = _create(http, "/openai/v1/responses", {"api-key": "k"}, model="gpt-4o", input="Hi")
    assert "tool_usage" not in azure and azure["usage"]["input_tokens_details"] == {"cached_tokens": 0}


def test_azure_v1_answers_content_filter_results(http):
    answer = _create(http, "/openai/v1/responses", {"api-key": "k"}, model="gpt-4o", input="Say Paris",
                     instructions="Be brief.")  # fmt: skip
    prompt, completion = answer["content_filters"]
    assert prompt["source_type"] == "prompt" and completion["source_type"] == "completion"
    assert prompt["content_filter_offsets"]["end_offset"] == len("Be brief.") + len("Say Paris")
    assert completion["content_filter_offsets"]["end_offset"] == len(answer["output"][0]["content"][0]["text"])
    assert set(completion["content_filter_results"]) >= {"hate", "protected_material_text", "violence"}
    assert not prompt["blocked"] and prompt["content_filter_results"]["jailbreak"] == {
        "detected": False,
        "filtered": False,
    }
    dated = _create(http, "/openai/responses?api-version=2025-04-01-preview", {"api-key": "k"}, model="gpt-4o",
                    input="Say Paris")  # fmt: skip
    assert dated["content_filters"] is None


def test_a_script_says_what_the_model_thinks_or_that_it_does_not(openai_client, emulator):
    emulator.models.register({"name": "o3", "turns": [
        {"when": {"user": "quick"}, "do": [{"think": False}, {"reply": "4"}]},
        {"do": [{"think": ["**Planning**\n\nFirst {{ user }}.", "**Checking**\n\nThen check."]}, {"reply": "Done."}]},
    ]})  # fmt: skip
    thought = openai_client.responses.create(model="o3", input="plan it", reasoning={"summary": "auto"})
    assert [p.text for p in thought.output[0].summary] == [
        "**Planning**\n\nFirst plan it.",
        "**Checking**\n\nThen check.",
    ]
    assert thought.usage.output_tokens_details.reasoning_tokens > 0
    quick = openai_client.responses.create(model="o3", input="quick sum")
    assert [i.type for i in quick.output] == ["message"] and quick.usage.output_tokens_details.reasoning_tokens == 0
    with pytest.raises(ScriptError, match="'think' is a list of summary parts"):
        scripts_from({"name": "bad", "turns": [{"do": [{"think": "yes"}]}]})
