"""The Responses API through the official SDK: text and function-call responses, chains by
`previous_response_id`, the service's 400s and 404s, `store: false`, structured outputs,
limits and failures, background mode, and the same script driving a run and a response."""

from __future__ import annotations

import json

import openai
import pytest
from pydantic import BaseModel
from weather import WEATHER, WEATHER_BOT

from conftest import error_of


def test_a_text_response_is_completed_with_a_message_and_usage(openai_client):
    response = openai_client.responses.create(model="gpt-4o", input="Hello there")
    assert response.id.startswith("resp_") and len(response.id) == len("resp_") + 50
    assert response.status == "completed" and response.object == "response"
    assert response.completed_at == response.created_at
    (message,) = response.output
    assert message.type == "message" and message.role == "assistant" and message.status == "completed"
    assert message.id.startswith("msg_")
    assert response.output_text == message.content[0].text and "Hello there" in response.output_text
    usage = response.usage
    # the project's token rule: "Hello there" is 2 tokens, plus 3 for the message
    assert usage.input_tokens == 5 and usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert usage.output_tokens_details.reasoning_tokens == 0 and usage.input_tokens_details.cached_tokens == 0
    assert openai_client.responses.retrieve(response.id).model_dump() == response.model_dump()


def test_the_answer_has_the_services_keys_in_its_order(http):
    body = http.post("/v1/responses", json={"model": "gpt-4o", "input": "Hi"}).get_json()
    keys = list(body)
    # azure-openai ResponsesTests (2025-08): id, object, created_at, status, then alphabetical, metadata last;
    # billing is OpenAI's (pydantic-ai cassettes, 2025-10 to 2026-04), conversation only in one
    assert keys[:4] == ["id", "object", "created_at", "status"] and keys[-1] == "metadata"
    assert keys[4:-1] == sorted(keys[4:-1]) and "conversation" not in keys and body["billing"] == {"payer": "developer"}
    assert list(body["output"][0]) == ["id", "type", "status", "content", "role"]
    assert list(body["output"][0]["content"][0]) == ["type", "annotations", "logprobs", "text"]
    assert body["text"] == {"format": {"type": "text"}, "verbosity": "medium"}
    azure = http.post("/openai/responses?api-version=2025-04-01-preview", json={"model": "gpt-4o", "input": "Hi"},
                      headers={"api-key": "sk-test"}).get_json()  # fmt: skip
    assert "billing" not in azure and azure["content_filters"] is None


def test_a_function_call_loop_by_previous_response_id(openai_client, emulator):
    emulator.models.register(WEATHER_BOT)
    first = openai_client.responses.create(model="weather-bot", input="What is the weather in Paris?", tools=[WEATHER])
    (call,) = first.output
    assert first.status == "completed" and call.type == "function_call" and call.status == "completed"
    assert call.id.startswith("fc_") and call.call_id.startswith("call_")
    assert (call.name, json.loads(call.arguments)) == ("get_weather", {"city": "Paris"})
    second = openai_client.responses.create(
        model="weather-bot", previous_response_id=first.id, tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"temp": 21})}],
    )  # fmt: skip
    assert second.previous_response_id == first.id
    assert second.output_text == "It is 21 degrees in Paris."
    items = openai_client.responses.input_items.list(second.id)
    assert [i.type for i in items.data] == ["function_call_output"]


def test_the_same_script_drives_a_run_and_a_response(openai_client, emulator):
    """The migration story: one script, the Assistants test and the Responses test side by side."""
    emulator.models.register(WEATHER_BOT)
    assistant = openai_client.beta.assistants.create(model="weather-bot", tools=[
        {"type": "function", "function": {k: WEATHER[k] for k in ("name", "description", "parameters")}}])  # fmt: skip
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Oslo?"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    (run_call,) = run.required_action.submit_tool_outputs.tool_calls
    run = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": run_call.id, "output": '{"temp": 4}'}]
    )
    reply = openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text.value

    first = openai_client.responses.create(model="weather-bot", input="Weather in Oslo?", tools=[WEATHER])
    second = openai_client.responses.create(model="weather-bot", previous_response_id=first.id, tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": first.output[0].call_id, "output": '{"temp": 4}'}])  # fmt: skip
    assert first.output[0].arguments == run_call.function.arguments
    assert second.output_text == reply == "It is 4 degrees in Oslo."


def test_a_script_can_tell_the_apis_apart(openai_client, emulator):
    emulator.models.register({"name": "which", "turns": [
        {"when": {"api": "responses"}, "do": [{"reply": "responses ({{ api }})"}]},
        {"do": [{"reply": "assistants ({{ api }})"}]}]})  # fmt: skip
    assert openai_client.responses.create(model="which", input="hi").output_text == "responses (responses)"
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=openai_client.beta.assistants.create(model="which").id,
        thread={"messages": [{"role": "user", "content": "hi"}]})  # fmt: skip
    text = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert text == "assistants (assistants)"


def test_function_calls_and_outputs_must_pair(openai_client, emulator):
    emulator.models.register(WEATHER_BOT)
    first = openai_client.responses.create(model="weather-bot", input="weather in Rome", tools=[WEATHER])
    with pytest.raises(openai.BadRequestError) as missing:
        openai_client.responses.create(model="weather-bot", previous_response_id=first.id, input="never mind")
    assert missing.value.body == {"message": f"No tool output found for function call {first.output[0].call_id}.",
                                  "type": "invalid_request_error", "param": "input", "code": None}  # fmt: skip
    with pytest.raises(openai.BadRequestError) as unknown:
        openai_client.responses.create(
            model="gpt-4o", input=[{"type": "function_call_output", "call_id": "call_x", "output": "1"}]
        )
    assert unknown.value.body["message"] == "No tool call found for function call output with call_id call_x."
    # both sent by the client, as pydantic-ai does: accepted
    echoed = openai_client.responses.create(model="weather-bot", tools=[WEATHER], input=[
        {"role": "user", "content": "weather in Rome"},
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Rome"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temp": 30}'}])  # fmt: skip
    assert echoed.output_text == "It is 30 degrees in Rome."


def test_the_services_400s_and_404s(openai_client, http):
    with pytest.raises(openai.BadRequestError) as both:
        openai_client.responses.create(model="gpt-4o", input="hi", previous_response_id="resp_x", conversation="conv_x")
    assert "Mutually exclusive parameters" in both.value.message
    with pytest.raises(openai.BadRequestError) as previous:
        openai_client.responses.create(model="gpt-4o", input="hi", previous_response_id="resp_nope")
    assert previous.value.body == {"message": "Previous response with id 'resp_nope' not found.",
                                   "type": "invalid_request_error", "param": "previous_response_id",
                                   "code": "previous_response_not_found"}  # fmt: skip
    # azure-openai ResponsesTests/CanDeleteResponse(%gpt-4o-mini%).json: GET after DELETE
    error = error_of(http.get("/v1/responses/resp_gone"))
    assert error == {"message": "Response with id 'resp_gone' not found.", "type": "invalid_request_error",
                     "param": None, "code": None}  # fmt: skip
    with pytest.raises(openai.BadRequestError, match="not supported by the emulator"):
        openai_client.responses.create(model="gpt-4o", input="hi", tools=[{"type": "tool_search"}])
    assert http.post("/v1/responses", json={"input": "hi"}).status_code == 400
    done = openai_client.responses.create(model="gpt-4o", input="hi")
    with pytest.raises(openai.BadRequestError, match="Cannot cancel a synchronous response."):
        openai_client.responses.cancel(done.id)


def test_delete_and_store_false(openai_client):
    response = openai_client.responses.create(model="gpt-4o", input="hi")
    assert openai_client.responses.delete(response.id) is None  # the SDK returns nothing
    with pytest.raises(openai.NotFoundError):
        openai_client.responses.retrieve(response.id)
    unstored = openai_client.responses.create(model="gpt-4o", input="hi", store=False)
    assert unstored.status == "completed" and unstored.store is False
    with pytest.raises(openai.NotFoundError):
        openai_client.responses.retrieve(unstored.id)
    with pytest.raises(openai.BadRequestError, match="Previous response"):
        openai_client.responses.create(model="gpt-4o", input="again", previous_response_id=unstored.id)


def test_instructions_do_not_carry_over_a_chain(openai_client, emulator):
    emulator.models.register(
        {"name": "says", "turns": [{"do": [{"reply": "[{{ instructions }}] {{ messages|length }}"}]}]}
    )
    first = openai_client.responses.create(model="says", input="one", instructions="Be brief.")
    second = openai_client.responses.create(model="says", input="two", previous_response_id=first.id)
    assert (first.output_text, second.output_text) == ("[Be brief.] 1", "[] 3")
    developer = openai_client.responses.create(model="says", input=[
        {"role": "developer", "content": "Speak French."}, {"role": "user", "content": "hi"}])  # fmt: skip
    assert developer.output_text == "[Speak French.] 1"


class Weather(BaseModel):
    city: str
    temperature: float


def test_structured_outputs_and_parse(openai_client):
    schema = {"type": "object", "properties": {"n": {"type": "integer"}, "tags": {"type": "array",
              "items": {"type": "string"}}}, "required": ["n", "tags"], "additionalProperties": False}  # fmt: skip
    response = openai_client.responses.create(model="gpt-4o", input="numbers", text={"format": {
        "type": "json_schema", "name": "numbers", "schema": schema, "strict": True}})  # fmt: skip
    value = json.loads(response.output_text)
    assert isinstance(value["n"], int) and isinstance(value["tags"], list)
    assert response.text.format.type == "json_schema"
    parsed = openai_client.responses.parse(model="gpt-4o", input="weather in Paris", text_format=Weather)
    assert isinstance(parsed.output_parsed, Weather)
    as_json = openai_client.responses.create(
        model="gpt-4o", input="json please", text={"format": {"type": "json_object"}}
    )
    json.loads(as_json.output_text)


def test_limits_failures_and_faults(openai_client, emulator):
    cut = openai_client.responses.create(model="gpt-4o", input="Tell me everything", max_output_tokens=16)
    assert cut.status == "incomplete" and cut.incomplete_details.reason == "max_output_tokens"
    assert cut.output[0].status == "incomplete" and cut.usage.output_tokens == 16
    emulator.models.register({"name": "broken", "turns": [{"do": [{"fail": {"code": "rate_limit_exceeded",
                                                                              "message": "Slow down."}}]}]})  # fmt: skip
    failed = openai_client.responses.create(model="broken", input="hi")
    assert failed.status == "failed" and failed.output == []
    assert (failed.error.code, failed.error.message) == ("rate_limit_exceeded", "Slow down.")
    emulator.faults.fail_runs(1, code="server_error")
    assert openai_client.responses.create(model="gpt-4o", input="hi").status == "failed"
    assert openai_client.responses.create(model="gpt-4o", input="hi").status == "completed"
    no_match = openai_client.responses.create(model="which-never", input="hi")  # unregistered: the default model
    assert no_match.status == "completed"


def test_background_responses_move_as_polled(openai_client, emulator, http):
    queued = openai_client.responses.create(model="gpt-4o", input="hi", background=True)
    # pydantic-ai test_background_mode_reasoning_vcr.yaml (2026-07): store true, and billing once done (not before)
    assert (queued.status, queued.background, queued.usage, queued.store) == ("queued", True, None, True)
    assert "billing" not in queued.model_dump(exclude_unset=True)
    done = openai_client.responses.retrieve(queued.id)
    assert done.status == "completed" and done.to_dict()["billing"] == {"payer": "developer"}
    emulator.config.progression = "reads:2"
    slow = openai_client.responses.create(model="gpt-4o", input="hi", background=True)
    seen = [openai_client.responses.retrieve(slow.id).status for _ in range(4)]
    assert seen == ["queued", "in_progress", "in_progress", "completed"]
    waiting = openai_client.responses.create(model="gpt-4o", input="hi", background=True)
    cancelled = openai_client.responses.cancel(waiting.id)
    assert cancelled.status == "cancelled"
    assert openai_client.responses.cancel(waiting.id).status == "cancelled"  # idempotent
    assert openai_client.responses.retrieve(waiting.id).status == "cancelled"
    # one response's own pace: the create call's X-Emulator-Progression header, or set_progression (per object)
    fast = openai_client.responses.create(model="gpt-4o", input="hi", background=True,
                                          extra_headers={"X-Emulator-Progression": "immediate"})  # fmt: skip
    assert openai_client.responses.retrieve(fast.id).status == "completed"
    slow = openai_client.responses.create(model="gpt-4o", input="hi", background=True)
    assert openai_client.responses.retrieve(slow.id).status == "queued"
    assert (
        http.post(f"/_emulator/responses/{slow.id}/progression", json={"progression": "immediate"}).status_code == 200
    )
    assert openai_client.responses.retrieve(slow.id).status == "completed"
    assert http.post("/_emulator/responses/resp_nope/progression", json={"progression": "reads:1"}).status_code == 404
    with pytest.raises(openai.BadRequestError, match="X-Emulator-Progression"):
        openai_client.responses.create(model="gpt-4o", input="hi", extra_headers={"X-Emulator-Progression": "soon"})
    with pytest.raises(openai.BadRequestError, match="store=true"):
        openai_client.responses.create(model="gpt-4o", input="hi", background=True, store=False)


def test_input_tokens_are_counted_by_the_projects_rule(openai_client):
    counted = openai_client.responses.input_tokens.count(model="gpt-4o", input="Hello there")
    assert counted.input_tokens == 5
    response = openai_client.responses.create(model="gpt-4o", input="Hello there")
    assert response.usage.input_tokens == counted.input_tokens


async def _async_chain(client):
    first = await client.responses.create(model="gpt-4o", input="one")
    second = await client.responses.create(model="gpt-4o", input="two", previous_response_id=first.id)
    return first, second


@pytest.mark.anyio
async def test_async_client(async_openai_client):
    first, second = await _async_chain(async_openai_client)
    assert first.status == second.status == "completed" and second.previous_response_id == first.id


def test_over_the_dev_server(emulator_server, emulator):
    emulator.models.register(WEATHER_BOT)
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    first = client.responses.create(model="weather-bot", input="weather in Lima", tools=[WEATHER])
    second = client.responses.create(model="weather-bot", previous_response_id=first.id, tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": first.output[0].call_id, "output": '{"temp": 18}'}])  # fmt: skip
    assert second.output_text == "It is 18 degrees in Lima."
    azure = openai.AzureOpenAI(azure_endpoint=emulator_server.azure_endpoint, api_key=emulator_server.api_key,
                               api_version="2025-04-01-preview")  # fmt: skip
    assert azure.responses.create(model="gpt-4o-mini", input="hi").status == "completed"
