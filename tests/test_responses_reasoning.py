"""Reasoning models and refusals on the Responses API (and refusals on runs): the reasoning item,
its summary when asked, its encrypted content round-tripping, the service's 400s about them;
`obfuscation` padding on deltas."""

from __future__ import annotations

import json

import openai
import pytest
from weather import WEATHER, WEATHER_BOT

from emulator.responses import reasoning


def test_a_reasoning_model_thinks_first(openai_client):
    response = openai_client.responses.create(model="o4-mini", input="What is the meaning of life?")
    thought, message = response.output
    assert thought.type == "reasoning" and thought.id.startswith("rs_") and thought.summary == []
    assert thought.encrypted_content is None  # not asked for
    assert message.type == "message" and response.reasoning.effort == "medium"
    details = response.usage.output_tokens_details
    assert 0 < details.reasoning_tokens < response.usage.output_tokens
    plain = openai_client.responses.create(model="gpt-4o", input="What is the meaning of life?")
    assert [i.type for i in plain.output] == ["message"] and plain.reasoning.effort is None
    assert plain.usage.output_tokens_details.reasoning_tokens == 0


def test_a_summary_when_asked_and_its_stream_events(openai_client):
    with openai_client.responses.stream(model="gpt-5", input="Why is the sky blue?",
                                        reasoning={"effort": "low", "summary": "auto"}) as stream:  # fmt: skip
        events = list(stream)
        final = stream.get_final_response()
    (summary,) = final.output[0].summary
    assert summary.text.startswith("**Considering the request**") and "Why is the sky blue?" in summary.text
    types = [e.type for e in events]
    assert types[2:5] == ["response.output_item.added", "response.reasoning_summary_part.added",
                          "response.reasoning_summary_text.delta"]  # fmt: skip
    deltas = "".join(e.delta for e in events if e.type == "response.reasoning_summary_text.delta")
    assert deltas == summary.text and final.reasoning.summary == "auto" and final.reasoning.effort == "low"


def test_encrypted_content_round_trips_without_storing(openai_client, emulator):
    emulator.models.register({**WEATHER_BOT, "name": "o3"})  # a script under a reasoning model's name
    first = openai_client.responses.create(model="o3", input="weather in Bergen", tools=[WEATHER], store=False,
                                           include=["reasoning.encrypted_content"])  # fmt: skip
    thought, call = first.output
    assert thought.encrypted_content.startswith("gAAAAA") and call.type == "function_call"
    second = openai_client.responses.create(model="o3", store=False, tools=[WEATHER], input=[
        {"role": "user", "content": "weather in Bergen"}, thought.model_dump(exclude_none=True),
        call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 9}'}])  # fmt: skip
    assert second.output[-1].content[0].text == "It is 9 degrees in Bergen."
    assert reasoning.decrypt(thought.id, thought.encrypted_content, "input").startswith("The user asks")
    forged = {**thought.model_dump(exclude_none=True), "encrypted_content": "not ours"}
    with pytest.raises(openai.BadRequestError, match="could not be verified"):
        openai_client.responses.create(model="o3", tools=[WEATHER], input=[
            {"role": "user", "content": "weather in Bergen"}, forged, call.model_dump(exclude_none=True),
            {"type": "function_call_output", "call_id": call.call_id, "output": "9"}])  # fmt: skip


def test_a_reasoning_item_needs_the_item_that_followed_it(openai_client):
    """pydantic-ai test_openai_responses_thinking_with_modified_history.yaml: the history's answer rewritten."""
    first = openai_client.responses.create(model="gpt-5", input="What is the meaning of life?")
    thought = first.output[0].model_dump(exclude_none=True)
    with pytest.raises(openai.BadRequestError) as refused:
        openai_client.responses.create(model="gpt-5", input=[
            {"role": "user", "content": "What is the meaning of life?"}, thought,
            {"role": "assistant", "content": "The meaning of life is 42"},
            {"role": "user", "content": "Anything to add?"}])  # fmt: skip
    assert refused.value.body == {"message": f"Item '{thought['id']}' of type 'reasoning' was provided without its "
                                             "required following item.", "type": "invalid_request_error",
                                  "param": "input", "code": None}  # fmt: skip
    kept = openai_client.responses.create(model="gpt-5", input=[
        {"role": "user", "content": "What is the meaning of life?"}, thought,
        first.output[1].model_dump(exclude_none=True), {"role": "user", "content": "Anything to add?"}])  # fmt: skip
    assert kept.status == "completed"


def test_reasoning_effort_is_for_reasoning_models(openai_client):
    with pytest.raises(openai.BadRequestError, match="'reasoning.effort' is not supported with this model"):
        openai_client.responses.create(model="gpt-4o", input="hi", reasoning={"effort": "high"})


def test_the_thought_counts_against_max_output_tokens(openai_client):
    response = openai_client.responses.create(model="o3", input="Tell me a long story please", max_output_tokens=16)
    assert response.status == "incomplete" and response.incomplete_details.reason == "max_output_tokens"
    assert response.usage.output_tokens_details.reasoning_tokens > 0


REFUSER = {"name": "careful", "turns": [{"do": [{"refuse": "I can't help with that."}]}]}


def test_a_refusal_on_both_apis(openai_client, emulator):
    emulator.models.register(REFUSER)
    response = openai_client.responses.create(model="careful", input="something bad")
    (part,) = response.output[0].content
    assert (part.type, part.refusal) == ("refusal", "I can't help with that.") and response.output_text == ""
    with openai_client.responses.stream(model="careful", input="something bad") as stream:
        types = [e.type for e in stream]
    assert "response.refusal.delta" in types and "response.refusal.done" in types
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=openai_client.beta.assistants.create(model="careful").id,
        thread={"messages": [{"role": "user", "content": "something bad"}]})  # fmt: skip
    (block,) = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content
    assert (block.type, block.refusal) == ("refusal", "I can't help with that.")


def test_deltas_carry_obfuscation_unless_asked_not_to(http):
    def deltas(body):
        text = http.post("/v1/responses", json={"model": "gpt-4o", "input": "hello there", "stream": True,
                                                **body}).get_data(as_text=True)  # fmt: skip
        return [json.loads(f.split("\n")[1][6:]) for f in text.split("\n\n") if "output_text.delta" in f]

    padded = deltas({})
    assert padded and all((len(d["delta"]) + len(d["obfuscation"])) % 16 == 0 for d in padded)
    assert all("obfuscation" not in d for d in deltas({"stream_options": {"include_obfuscation": False}}))


def test_compact_keeps_the_user_messages_and_folds_the_rest(openai_client, emulator):
    """pydantic-ai test_openai_responses_compact_messages.yaml (2026-04): the shape of the service's answer."""
    emulator.models.register({"name": "counter", "turns": [{"do": [{"reply": "{{ messages|length }} messages"}]}]})
    history = [{"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "4."},
               {"role": "user", "content": "And 3+3?"}, {"role": "assistant", "content": "6."}]  # fmt: skip
    compacted = openai_client.responses.compact(model="counter", input=history)
    assert compacted.object == "response.compaction" and compacted.id.startswith("resp_")
    assert [i.type for i in compacted.output] == ["message", "message", "compaction"]
    assert [i.content[0].text for i in compacted.output[:2]] == ["What is 2+2?", "And 3+3?"]
    folded = compacted.output[2]
    assert folded.id.startswith("cmp_") and folded.encrypted_content.startswith("gAAAAA")
    assert compacted.usage.input_tokens > 0 and compacted.usage.output_tokens > 0
    # the next response reads the compaction again (sent alone with the new message, as pydantic-ai does):
    # the 2 questions, the 2 replies, the new question
    after = openai_client.responses.create(model="counter", input=[
        folded.model_dump(exclude_none=True), {"role": "user", "content": "And 5+5?"}])  # fmt: skip
    assert after.output_text == "5 messages" and after.usage.input_tokens > compacted.usage.input_tokens
    first = openai_client.responses.create(model="counter", input="Hello!")
    by_chain = openai_client.responses.compact(model="counter", input=[], previous_response_id=first.id)
    assert [i.type for i in by_chain.output] == ["message", "compaction"]
    with pytest.raises(openai.BadRequestError, match="could not be verified"):
        openai_client.responses.create(model="counter", input=[{"type": "compaction", "encrypted_content": "x"}])
