"""file_search through the SDK: vector stores that really index files, deterministic retrieval,
run steps with the retrieved chunks, and replies citing them with file_citation annotations."""

from __future__ import annotations

import io
import json

import pytest

from emulator import Emulator
from emulator.app import create_app
from emulator.clients import in_process_client

SEARCH = {"type": "file_search"}

NOTES = b"""# Office notes

The coffee machine on the third floor is descaled every Monday.
Visitors sign in at the front desk and wear a badge.
"""
POLICY_HTML = b"""<html><head><style>p {color: red}</style><script>var x = 1;</script></head><body>
<h1>Returns</h1><p>Customers may return any unused item within 45 days for a full refund.</p>
<p>Refunds are paid to the original card.</p></body></html>"""
FACTS_JSON = json.dumps({"mascot": "a purple octopus named Inky", "founded": 1998}).encode()


def pdf_bytes(text: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure()
    figure.text(0.1, 0.5, text)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    plt.close(figure)
    return buffer.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pptx_bytes(title: str, body: str) -> bytes:
    import pptx

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


DOCUMENTS = {
    "notes.md": NOTES,
    "policy.html": POLICY_HTML,
    "facts.json": FACTS_JSON,
    "launch.pdf": pdf_bytes("The rocket launch window opens at dawn on Tuesday."),
    "handbook.docx": docx_bytes("Holiday requests go to the team lead.", "Parking permits are renewed in March."),
    "deck.pptx": pptx_bytes("Roadmap", "The glacier sensor ships in autumn."),
}


def make_store(client, documents=DOCUMENTS, *, sequential=False, **kwargs):
    """A store of `documents`, through `file_batches.upload_and_poll` (which uploads in parallel
    threads, so file ids come in any order), or one upload after another (`sequential`)."""
    store = client.vector_stores.create(name="docs", **kwargs)
    if sequential:
        ids = [client.files.create(file=item, purpose="assistants").id for item in documents.items()]
        batch = client.vector_stores.file_batches.create_and_poll(vector_store_id=store.id, file_ids=ids)
    else:
        batch = client.vector_stores.file_batches.upload_and_poll(
            vector_store_id=store.id, files=[(name, content) for name, content in documents.items()]
        )
    assert batch.status == "completed" and batch.file_counts.completed == len(documents), batch
    return store


def ask(client, assistant, question, **thread):
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": question}], **thread}
    )
    assert run.status == "completed", run.last_error
    message = client.beta.threads.messages.list(thread_id=run.thread_id).data[0]
    return run, message


def filename_of(client, file_id: str) -> str:
    return client.files.retrieve(file_id).filename


@pytest.mark.parametrize(
    ("question", "source", "words"),
    [
        ("When is the coffee machine descaled?", "notes.md", "every Monday"),
        ("How many days do customers have to return an item?", "policy.html", "45 days"),
        ("What is the mascot?", "facts.json", "purple octopus"),
        ("When does the rocket launch window open?", "launch.pdf", "dawn on Tuesday"),
        ("When are parking permits renewed?", "handbook.docx", "March"),
        ("When does the glacier sensor ship?", "deck.pptx", "autumn"),
    ],
)
def test_the_answer_comes_from_the_one_file_that_has_it_and_cites_it(openai_client, question, source, words):
    store = make_store(openai_client)
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    run, message = ask(openai_client, assistant, question)
    text = message.content[0].text
    assert words in text.value
    citation = text.annotations[0]
    assert citation.type == "file_citation"
    assert text.value[citation.start_index : citation.end_index] == citation.text
    # 【4:0†file name】: the real service's first-turn marker (see test_citation_markers_as_the_service_writes_them)
    assert citation.text == f"【4:0†{source}】"
    assert filename_of(openai_client, citation.file_citation.file_id) == source

    steps = openai_client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    call = steps[0].step_details.tool_calls[0]
    assert call.type == "file_search"
    assert call.file_search.results[0].file_name == source and 0.7 <= call.file_search.results[0].score < 1
    assert call.file_search.results[0].content is None  # only with include[]
    with_content = openai_client.beta.threads.runs.steps.retrieve(
        thread_id=run.thread_id, run_id=run.id, step_id=steps[0].id,
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    )  # fmt: skip
    assert words in with_content.step_details.tool_calls[0].file_search.results[0].content[0].text


def test_nothing_found_says_so_and_cites_nothing(openai_client):
    store = make_store(openai_client)
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    _run, message = ask(openai_client, assistant, "Zebra quantum xylophone?")
    assert message.content[0].text.value == "I could not find anything about that in the files I can search."
    assert message.content[0].text.annotations == []


@pytest.mark.emulator(
    models=[
        {
            "name": "librarian",
            "turns": [
                {
                    "when": {"searched": True, "found": False},
                    "do": [{"reply": "No luck with '{{ searches[0].query }}'."}],
                },
                {"when": {"searched": True}, "do": [{"reply": "Top: {{ results[0].filename }} {{ results[0].cite }}"}]},
                {"do": [{"search": "{{ match.topic if match.topic is defined else user }}"}]},
            ],
        }
    ]
)
def test_a_script_searches_and_templates_over_the_results(openai_client):  # fmt: skip
    store = make_store(openai_client, {"notes.md": NOTES})
    assistant = openai_client.beta.assistants.create(
        model="librarian", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    _run, message = ask(openai_client, assistant, "badge visitors")
    text = message.content[0].text
    assert text.value == "Top: notes.md 【4:0†notes.md】"
    assert text.annotations[0].start_index == len("Top: notes.md ")
    _run, message = ask(openai_client, assistant, "penguins")
    assert message.content[0].text.value == "No luck with 'penguins'."


def test_failed_ingestion_is_visible(openai_client):
    store = openai_client.vector_stores.create(name="broken")
    good = openai_client.vector_stores.files.upload_and_poll(vector_store_id=store.id, file=("ok.txt", b"fine text"))
    bad = openai_client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("broken.pdf", b"%PDF-1.7 this is not really a pdf")
    )
    assert good.status == "completed"
    assert bad.status == "failed" and bad.last_error.code == "invalid_file" and "PDF" in bad.last_error.message
    store = openai_client.vector_stores.retrieve(store.id)
    assert (store.file_counts.completed, store.file_counts.failed, store.status) == (1, 1, "completed")


def test_vector_store_search_endpoint(openai_client):
    store = make_store(openai_client)
    page = openai_client.vector_stores.search(vector_store_id=store.id, query="refund unused item")
    results = list(page)
    assert results[0].filename == "policy.html" and "45 days" in results[0].content[0].text
    assert all(0 < r.score <= 1 for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert (
        len(list(openai_client.vector_stores.search(vector_store_id=store.id, query="refund", max_num_results=1))) == 1
    )
    none = openai_client.vector_stores.search(vector_store_id=store.id, query="refund unused item",
                                              ranking_options={"score_threshold": 0.999})  # fmt: skip
    assert list(none) == []


def test_search_filters_on_attributes(openai_client):
    store = openai_client.vector_stores.create(name="tagged")
    for name, team in (("a.txt", "red"), ("b.txt", "blue")):
        file = openai_client.files.create(file=(name, b"quarterly budget review notes"), purpose="assistants")
        openai_client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=file.id,
                                                          attributes={"team": team})  # fmt: skip
    found = list(openai_client.vector_stores.search(vector_store_id=store.id, query="budget",
                                                    filters={"type": "eq", "key": "team", "value": "blue"}))  # fmt: skip
    assert [r.filename for r in found] == ["b.txt"] and found[0].attributes == {"team": "blue"}


def test_static_chunking_makes_chunks_of_the_asked_size(openai_client):
    words = " ".join(f"word{i}" for i in range(400)) + " needle sentence here."
    store = openai_client.vector_stores.create(name="chunky")
    openai_client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("long.txt", words.encode()),
        chunking_strategy={"type": "static", "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 20}},
    )  # fmt: skip
    (top,) = list(openai_client.vector_stores.search(vector_store_id=store.id, query="needle", max_num_results=1))
    assert "needle" in top.content[0].text and len(top.content[0].text.split()) <= 100


def test_the_threads_own_store_from_an_attachment_and_deleting_a_file(openai_client):
    file = openai_client.files.create(file=("secret.txt", b"The vault code is orange seven."), purpose="assistants")
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[SEARCH])
    run, message = ask(openai_client, assistant, "What is the vault code?", **{})  # no store yet
    assert message.content[0].text.value.startswith("You said")  # nothing to search: a plain reply
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "What is the vault code?",
                                                          "attachments": [{"file_id": file.id, "tools": [SEARCH]}]}])  # fmt: skip
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    reply = openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text
    assert "orange seven" in reply.value and reply.annotations[0].file_citation.file_id == file.id

    openai_client.files.delete(file.id)  # its chunks leave every store
    openai_client.beta.threads.messages.create(thread_id=thread.id, role="user", content="What is the vault code?")
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    reply = openai_client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text
    assert reply.annotations == []


def test_an_expired_store_is_not_searched(emulator, openai_client):
    store = make_store(openai_client, {"notes.md": NOTES}, expires_after={"anchor": "last_active_at", "days": 1})
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    _run, message = ask(openai_client, assistant, "When is the coffee machine descaled?")
    assert message.content[0].text.annotations
    emulator.advance(2 * 86_400)
    assert openai_client.vector_stores.retrieve(store.id).status == "expired"
    _run, message = ask(openai_client, assistant, "When is the coffee machine descaled?")
    assert message.content[0].text.annotations == []


def test_azure_tutorial_annotation_rendering(azure_openai_client):
    """The Azure file search quickstart's loop: annotation texts become [n] footnotes."""
    client = azure_openai_client
    store = make_store(client)
    assistant = client.beta.assistants.create(
        model="gpt-4o-deployment", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "How do visitors sign in?"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    messages = list(client.beta.threads.messages.list(thread_id=thread.id))
    message_content = messages[0].content[0].text
    annotations = message_content.annotations
    citations = []
    for index, annotation in enumerate(annotations):
        message_content.value = message_content.value.replace(annotation.text, f"[{index}]")
        if file_citation := getattr(annotation, "file_citation", None):
            cited_file = client.files.retrieve(file_citation.file_id)
            citations.append(f"[{index}] {cited_file.filename}")
    assert message_content.value.endswith('front desk and wear a badge."[0]')
    assert citations == ["[0] notes.md"]


def test_streaming_a_file_search_run(openai_client):
    store = make_store(openai_client, {"notes.md": NOTES})
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "visitors badge"}])
    events = []
    with openai_client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        for event in stream:
            events.append(event)
    delta = next(e.data.delta.step_details.tool_calls[0] for e in events if e.event == "thread.run.step.delta")
    assert delta.type == "file_search" and delta.file_search == {}
    final = stream.get_final_messages()[0].content[0].text
    assert final.annotations[0].file_citation.file_id


def _answer_and_scores() -> tuple[str, list[float]]:
    emulator = Emulator()
    client = in_process_client(create_app(emulator))
    try:
        store = make_store(client, sequential=True)
        scores = [r.score for r in client.vector_stores.search(vector_store_id=store.id, query="days refund card")]
        assistant = client.beta.assistants.create(
            model="gpt-4o", tools=[SEARCH], tool_resources={"file_search": {"vector_store_ids": [store.id]}}
        )
        _run, message = ask(client, assistant, "How are refunds paid?")
        return message.model_dump_json(), scores
    finally:
        client.close()
        emulator.close()


def test_same_inputs_same_scores_and_answers():
    assert _answer_and_scores() == _answer_and_scores()


def test_the_tools_max_num_results_and_score_threshold(openai_client):
    store = make_store(openai_client)
    one = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search", "file_search": {"max_num_results": 1}}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )  # fmt: skip
    run, _message = ask(openai_client, one, "refund days card item badge visitors")
    step = openai_client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data[0]
    assert len(step.step_details.tool_calls[0].file_search.results) == 1
    assert step.step_details.tool_calls[0].file_search.ranking_options.score_threshold == 0

    strict = openai_client.beta.assistants.create(
        model="gpt-4o",
        tools=[
            {"type": "file_search", "file_search": {"ranking_options": {"score_threshold": 0.99, "ranker": "auto"}}}
        ],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    run, message = ask(openai_client, strict, "How many days do customers have to return an item?")
    step = openai_client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data[0]
    assert step.step_details.tool_calls[0].file_search.results == []
    assert step.step_details.tool_calls[0].file_search.ranking_options.score_threshold == 0.99
    assert message.content[0].text.annotations == []
