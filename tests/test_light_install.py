"""A light install (docs/installation.md) lacks the file readers of file_search: here they are
made to look absent; a file that needs one says what to install, and searching still works
(its ranking is pure Python). (The wheel test in test_packaging.py runs
a real light install, where a code_interpreter run fails the same way.)"""

from __future__ import annotations

import pytest

from emulator import optional

ABSENT = {"numpy", "pypdf"}


@pytest.fixture
def light(monkeypatch: pytest.MonkeyPatch):
    real = optional._installed
    monkeypatch.setattr(optional, "_installed", lambda module: module not in ABSENT and real(module))


def test_what_a_feature_lacks_is_named_with_the_command(light) -> None:
    assert optional.missing("file_search") == ["pypdf"]
    assert optional.missing("file_search", "lxml") == []
    with pytest.raises(optional.MissingPackages) as caught:
        optional.require("file_search", "pypdf", what="reading .pdf files")
    assert str(caught.value).startswith("reading .pdf files needs pypdf, not installed here")
    assert str(caught.value).endswith(": python3 -m pip install pypdf")


def test_file_search_without_a_reader_says_what_to_install_and_still_searches(light, openai_client) -> None:
    pdf = openai_client.files.create(file=("report.pdf", b"%PDF-1.4 ..."), purpose="assistants")
    text = openai_client.files.create(file=("notes.txt", b"the launch is on Tuesday"), purpose="assistants")
    store = openai_client.vector_stores.create(file_ids=[pdf.id, text.id])
    files = {f.id: f for f in openai_client.vector_stores.files.list(vector_store_id=store.id)}
    assert files[text.id].status == "completed"  # text needs no package
    assert files[pdf.id].status == "failed" and files[pdf.id].last_error.code == "server_error"
    assert files[pdf.id].last_error.message.startswith("reading .pdf files needs pypdf, not installed here")

    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )  # fmt: skip
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "When is the launch?"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    reply = openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text
    assert "Tuesday" in reply.value and reply.annotations[0].file_citation.file_id == text.id

    results = openai_client.vector_stores.search(vector_store_id=store.id, query="launch")
    assert [r.file_id for r in results] == [text.id]
