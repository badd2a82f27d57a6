"""file_search on the Responses API through the official SDK: the tool over vector stores that
really index files, `file_search_call` items (results only with `include`), the service's stream
events, `file_citation` annotations where the model's markers stood, filters, `max_num_results`,
the service's 400s, and the same script searching on both APIs."""

from __future__ import annotations

import openai
import pytest

from conftest import error_of

NOTES = b"""# Office notes

The coffee machine on the third floor is descaled every Monday.
Visitors sign in at the front desk and wear a badge.
"""
TEAMS = {
    "red.txt": (b"The red team ships the mobile app every second Tuesday.", {"team": "red", "year": 2024}),
    "blue.txt": (b"The blue team ships the web app every Thursday.", {"team": "blue", "year": 2025}),
}
QUESTION = "When is the coffee machine descaled?"
INCLUDE = ["file_search_call.results"]


def _store(client, files):
    store = client.vector_stores.create(name="docs")
    for name, (content, attributes) in files.items():
        file = client.files.create(file=(name, content), purpose="assistants")
        client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=file.id, attributes=attributes)
    return store


def _tool(store, **settings):
    return {"type": "file_search", "vector_store_ids": [store.id], **settings}


@pytest.fixture
def notes(openai_client):
    return _store(openai_client, {"notes.md": (NOTES, {"kind": "notes"})})


def test_the_default_model_searches_and_cites_the_file(openai_client, notes):
    response = openai_client.responses.create(model="gpt-4o", input=QUESTION, tools=[_tool(notes)])
    assert response.status == "completed" and [i.type for i in response.output] == ["file_search_call", "message"]
    call, message = response.output
    assert call.id.startswith("fs_") and len(call.id) == len("fs_") + 50
    assert call.status == "completed" and call.queries == [QUESTION] and call.results is None
    (part,) = message.content
    assert "descaled every Monday" in part.text and "【" not in part.text  # the marker is taken out
    (citation,) = part.annotations
    file_id = openai_client.vector_stores.files.list(notes.id).data[0].id
    assert (citation.type, citation.file_id, citation.filename) == ("file_citation", file_id, "notes.md")
    assert citation.index == len(part.text)  # where the marker stood: after the quote
    assert response.tools[0].to_dict() == {"type": "file_search", "filters": None, "max_num_results": 20,
        "ranking_options": {"ranker": "auto", "score_threshold": 0.0}, "vector_store_ids": [notes.id]}  # fmt: skip
    assert response.usage.output_tokens > 0


def test_results_only_with_include_on_create_and_retrieve(openai_client, notes):
    response = openai_client.responses.create(model="gpt-4o", input=QUESTION, tools=[_tool(notes)], include=INCLUDE)
    (result,) = response.output[0].results
    assert result.filename == "notes.md" and result.attributes == {"kind": "notes"} and 0 < result.score < 1
    assert (
        "descaled every Monday" in result.text
        and result.file_id == response.output[1].content[0].annotations[0].file_id
    )
    assert result.to_dict()["vector_store_id"] == notes.id
    assert openai_client.responses.retrieve(response.id).output[0].results is None
    assert openai_client.responses.retrieve(response.id, include=INCLUDE).output[0].results[0].text == result.text


def test_the_stream_has_the_services_events_in_order(openai_client, notes):
    with openai_client.responses.stream(model="gpt-4o", input=QUESTION, tools=[_tool(notes)]) as stream:
        events = list(stream)
        final = stream.get_final_response()
    kinds = [e.type for e in events]
    assert kinds[:8] == ["response.created", "response.in_progress", "response.output_item.added",
                         "response.file_search_call.in_progress", "response.file_search_call.searching",
                         "response.file_search_call.completed", "response.output_item.done",
                         "response.output_item.added"]  # fmt: skip
    added, done = events[2].item, events[6].item
    assert (added.status, added.queries, added.results) == ("in_progress", [], None)
    assert (done.status, done.queries, done.results) == ("completed", [QUESTION], None)
    assert all(e.item_id == added.id and e.output_index == 0 for e in events[3:6])
    (annotation,) = [e for e in events if e.type == "response.output_text.annotation.added"]
    text = final.output[1].content[0].text
    before = "".join(e.delta for e in events[: events.index(annotation)] if e.type == "response.output_text.delta")
    assert annotation.annotation_index == 0 and annotation.annotation.index == len(before) == len(text)
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert final.output[1].content[0].annotations[0].filename == "notes.md"
    with openai_client.responses.stream(model="gpt-4o", input=QUESTION, tools=[_tool(notes)], include=INCLUDE) as s:
        done = [e.item for e in s if e.type == "response.output_item.done"][0]
    assert done.results[0].filename == "notes.md"


def test_filters_and_max_num_results(openai_client):
    store = _store(openai_client, TEAMS)
    question = "When does the team ship the app?"
    both = openai_client.responses.create(model="gpt-4o", input=question, tools=[_tool(store)], include=INCLUDE)
    assert sorted(r.filename for r in both.output[0].results) == ["blue.txt", "red.txt"]
    blue = {"type": "eq", "key": "team", "value": "blue"}
    only = openai_client.responses.create(model="gpt-4o", input=question, include=INCLUDE,
                                          tools=[_tool(store, filters=blue)])  # fmt: skip
    assert [r.filename for r in only.output[0].results] == ["blue.txt"]
    assert "Thursday" in only.output_text and only.tools[0].filters.to_dict() == blue
    newer = {"type": "and", "filters": [{"type": "gte", "key": "year", "value": 2024},
                                        {"type": "ne", "key": "team", "value": "blue"}]}  # fmt: skip
    red = openai_client.responses.create(model="gpt-4o", input=question, include=INCLUDE,
                                         tools=[_tool(store, filters=newer)])  # fmt: skip
    assert [r.filename for r in red.output[0].results] == ["red.txt"]
    one = openai_client.responses.create(model="gpt-4o", input=question, include=INCLUDE,
                                         tools=[_tool(store, max_num_results=1)])  # fmt: skip
    assert len(one.output[0].results) == 1 and one.tools[0].max_num_results == 1
    strict = openai_client.responses.create(model="gpt-4o", input=question, include=INCLUDE,
                                            tools=[_tool(store, ranking_options={"score_threshold": 0.99})])  # fmt: skip
    assert strict.output[0].results == [] and not strict.output[1].content[0].annotations
    assert "could not find" in strict.output_text


def test_the_services_400s(openai_client, notes, http):
    def refused(tool):
        answer = http.post("/v1/responses", json={"model": "gpt-4o", "input": "hi", "tools": [tool]})
        assert answer.status_code == 400, answer.get_json()
        return error_of(answer)

    assert refused({"type": "file_search"})["param"] == "tools[0].vector_store_ids"
    assert "vs_nope" in refused({"type": "file_search", "vector_store_ids": ["vs_nope"]})["message"]
    assert refused(_tool(notes, max_num_results=0))["code"] == "integer_below_min_value"
    assert refused(_tool(notes, max_num_results=51))["code"] == "integer_above_max_value"
    assert refused(_tool(notes, filters={"type": "zz", "key": "a", "value": 1}))["param"] == "tools[0].filters.type"
    assert "not supported" in refused({"type": "tool_search"})["message"]


def test_a_script_searches_with_several_queries_and_cites(openai_client, emulator, notes):
    emulator.models.register({"name": "librarian", "turns": [
        {"when": {"searched": True},
         "do": [{"reply": "Mondays{% for r in results %}{{ r.cite }}{% endfor %}, says {{ searches[0].query }}."}]},
        {"do": [{"search": ["coffee machine", "descaling day"]}]},
    ]})  # fmt: skip
    response = openai_client.responses.create(model="librarian", input="When?", tools=[_tool(notes)])
    call, message = response.output
    assert call.queries == ["coffee machine", "descaling day"]
    assert message.content[0].text == "Mondays, says coffee machine."
    assert message.content[0].annotations[0].index == len("Mondays")
    # the same script on a run: the step searches, the marker stays under its annotation
    assistant = openai_client.beta.assistants.create(model="librarian", tools=[{"type": "file_search"}],
                                                     tool_resources={"file_search": {"vector_store_ids": [notes.id]}})  # fmt: skip
    run = openai_client.beta.threads.create_and_run_poll(assistant_id=assistant.id,
                                                         thread={"messages": [{"role": "user", "content": "When?"}]})  # fmt: skip
    reply = openai_client.beta.threads.messages.list(run.thread_id).data[0].content[0].text
    assert reply.value.startswith("Mondays【") and reply.annotations[0].type == "file_citation"


def test_a_search_without_the_tool_fails_the_response(openai_client, emulator):
    emulator.models.register({"name": "seeker", "turns": [{"do": [{"search": "anything"}]}]})
    response = openai_client.responses.create(model="seeker", input="hi")
    assert response.status == "failed" and "no file_search tool" in response.error.message


def test_over_the_dev_server_streamed(emulator_server, notes):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    stream = client.responses.create(model="gpt-4o", input=QUESTION, tools=[_tool(notes)], include=INCLUDE,
                                     stream=True)  # fmt: skip
    events = list(stream)
    final = events[-1].response
    assert events[-1].type == "response.completed" and final.output[0].results[0].filename == "notes.md"
    assert final.output[1].content[0].annotations[0].filename == "notes.md"
    again = client.responses.create(model="gpt-4o", previous_response_id=final.id, input=QUESTION, tools=[_tool(notes)])
    assert again.output[0].type == "file_search_call" and again.output[1].content[0].annotations


def test_a_search_sent_back_as_input_is_read(openai_client, notes):
    first = openai_client.responses.create(model="gpt-4o", input=QUESTION, tools=[_tool(notes)], include=INCLUDE)
    history = [{"role": "user", "content": QUESTION}, *[i.to_dict() for i in first.output]]
    again = openai_client.responses.create(model="gpt-4o", input=[*history, {"role": "user", "content": "Thanks!"}],
                                           tools=[_tool(notes)])  # fmt: skip
    assert again.status == "completed"
    items = openai_client.responses.input_items.list(again.id, order="asc").data
    assert [i.type for i in items] == ["message", "file_search_call", "message", "message"]
    assert items[1].id == first.output[0].id and items[1].queries == [QUESTION]


def test_a_conversation_keeps_the_search_results_for_include(openai_client, notes):
    conversation = openai_client.conversations.create()
    openai_client.responses.create(model="gpt-4o", input=QUESTION, tools=[_tool(notes)], conversation=conversation.id)
    items = openai_client.conversations.items.list(conversation.id, order="asc").data
    assert [i.type for i in items] == ["message", "file_search_call", "message"] and items[1].results is None
    shown = openai_client.conversations.items.list(conversation.id, order="asc", include=INCLUDE).data
    assert shown[1].results[0].filename == "notes.md"
    one = openai_client.conversations.items.retrieve(items[1].id, conversation_id=conversation.id, include=INCLUDE)
    assert one.results[0].text == shown[1].results[0].text
