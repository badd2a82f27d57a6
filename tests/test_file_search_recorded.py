"""file_search as recorded from the real service: scores on its scale, citation markers as it
writes them, and the fields of citations in stream deltas and in final messages.

Recordings (`../shared/recordings/`, see its README; the values needed are copied here):
- pydantic-ai `test_openai_responses_model_file_search_tool_with_results.yaml` (api.openai.com,
  2025-12-10): "What is the capital of France?" against a store of the one 65-byte file
  `tmpd_9a5dki.txt` ("Paris is the capital of France. ...") scored `0.9716` (4 decimals);
- Azure OpenAI `ResponsesTests/FileSearch(%gpt-4o-mini%).json` (2025-08-06): the 32-byte
  `test_favorite_foods.txt` ("Travis's favorite food is pizza.", the text of the Azure SDK's
  test) found and cited for "Using the file search tool, what's Travis's favorite food?".
Assistants markers and annotation fields are not in those recordings (they are Responses
traffic); the evidence is public captures of the Assistants v2 service, named at each test.
"""

from __future__ import annotations

import json

from tests.test_file_search import SEARCH, make_store

RECORDED_FILE = ("tmpd_9a5dki.txt", b"Paris is the capital of France. It is known for the Eiffel Tower.")
RECORDED_QUERY = "What is the capital of France?"
AZURE_FILE = ("test_favorite_foods.txt", b"Travis's favorite food is pizza.")
AZURE_QUESTION = "Using the file search tool, what's Travis's favorite food?"


def _assistant(client, store, **file_search):
    tool = {"type": "file_search", "file_search": file_search} if file_search else SEARCH
    return client.beta.assistants.create(
        model="gpt-4o", tools=[tool], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )


def _last_reply(client, thread_id):
    return client.beta.threads.messages.list(thread_id=thread_id).data[0].content[0].text


def test_a_clear_match_scores_as_recorded_and_passes_a_half_threshold(openai_client):
    store = make_store(openai_client, dict([RECORDED_FILE]))
    (hit,) = list(openai_client.vector_stores.search(vector_store_id=store.id, query=RECORDED_QUERY))
    assert 0.75 <= hit.score < 1 and round(hit.score, 4) == hit.score  # recorded: 0.9716
    assistant = _assistant(openai_client, store, ranking_options={"score_threshold": 0.5})
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": RECORDED_QUERY}]}
    )
    step = openai_client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data[0]
    (result,) = step.step_details.tool_calls[0].file_search.results
    assert result.file_name == RECORDED_FILE[0] and result.score == hit.score
    reply = _last_reply(openai_client, run.thread_id)
    assert "Paris" in reply.value and reply.annotations[0].text == "【4:0†tmpd_9a5dki.txt】"


def test_the_azure_recording_finds_and_cites_its_file(azure_openai_client):
    store = make_store(azure_openai_client, dict([AZURE_FILE]))
    # the service searched with the model's rewrites of the question (recorded `queries`)
    rewrites = ["What is Travis's favorite food?", "Travis favorite food", "favorite food of Travis"]
    (hit,) = list(azure_openai_client.vector_stores.search(vector_store_id=store.id, query=rewrites))
    assert hit.score >= 0.75
    run = azure_openai_client.beta.threads.create_and_run_poll(
        assistant_id=_assistant(azure_openai_client, store).id,
        thread={"messages": [{"role": "user", "content": AZURE_QUESTION}]},
    )
    reply = _last_reply(azure_openai_client, run.thread_id)
    assert "pizza" in reply.value
    (citation,) = reply.annotations
    assert reply.value[citation.start_index : citation.end_index] == citation.text == "【4:0†test_favorite_foods.txt】"


def test_what_the_marker_numbers_count(openai_client):
    """`【k:n†name】`: k the message holding the search's results in the model's conversation (4
    on a first turn in every public capture: `【4:0†source】`, `【4:1†source】`, `【4:6†source】` in a
    v2 message of openai-php/client#405, 2024-05; `【4:0†employees.pdf】` in Semantic Kernel's
    OpenAI file-search sample; later turns of a thread show higher k, e.g. `【11:0†...】`,
    `【5:5†...】`), n the result within that search (several n for one file: its chunks)."""
    store = make_store(openai_client, {"notes.md": b"Visitors sign in at the front desk and wear a badge."})
    assistant = _assistant(openai_client, store)
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "How do visitors sign in?"}])
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert _last_reply(openai_client, thread.id).annotations[0].text == "【4:0†notes.md】"
    # second turn: user, assistant, user before the search: 2 + 3 + 1
    openai_client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Do visitors wear a badge?")
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert _last_reply(openai_client, thread.id).annotations[0].text == "【6:0†notes.md】"
    # the model sees one message only: the search's results are again the fifth
    openai_client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Where is the front desk?")
    openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy={"type": "last_messages", "last_messages": 1},
    )
    assert _last_reply(openai_client, thread.id).annotations[0].text == "【4:0†notes.md】"


def test_citation_fields_in_stream_deltas_and_in_the_final_message(openai_client):
    """A delta's `file_citation` carries `quote: ""` (a captured v2 `thread.message.delta`:
    `"file_citation":{"file_id":"file-…","quote":""}`); the message itself has `file_id` alone,
    and its keys come as type, text, start_index, end_index, file_citation (openai-php/client#405)."""
    store = make_store(openai_client, {"notes.md": b"Visitors sign in at the front desk and wear a badge."})
    assistant = _assistant(openai_client, store)
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "How do visitors sign in?"}])
    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = list(stream)
    deltas = [
        a
        for e in events
        if e.event == "thread.message.delta"
        for part in e.data.delta.content or []
        for a in (part.text.annotations or [])
    ]
    (delta,) = deltas
    assert delta.file_citation.quote == "" and delta.text == "【4:0†notes.md】"
    raw = openai_client.beta.threads.messages.with_raw_response.list(thread_id=thread.id)
    (annotation,) = json.loads(raw.http_response.text)["data"][0]["content"][0]["text"]["annotations"]
    assert list(annotation) == ["type", "text", "start_index", "end_index", "file_citation"]
    assert list(annotation["file_citation"]) == ["file_id"]
    completed = next(e.data for e in events if e.event == "thread.message.completed")
    assert "quote" not in completed.content[0].text.annotations[0].file_citation.model_fields_set
