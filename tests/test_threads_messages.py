"""Threads and their messages: creation with initial messages, content parts, attachments,
the run_id filter, modify, delete and the delete cascade."""

from __future__ import annotations

import openai
import pytest

from conftest import BETA, error_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_thread_create_with_messages_tool_resources_metadata(openai_client):
    f = openai_client.files.create(file=("data.csv", b"x\n1\n"), purpose="assistants")
    t = openai_client.beta.threads.create(
        messages=[
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "second", "metadata": {"n": "2"}},
        ],
        tool_resources={"code_interpreter": {"file_ids": [f.id]}},
        metadata={"user": "u1"},
    )
    assert t.id.startswith("thread_") and t.object == "thread"
    assert t.tool_resources.code_interpreter.file_ids == [f.id]
    assert t.metadata == {"user": "u1"}
    messages = openai_client.beta.threads.messages.list(t.id, order="asc").data
    assert [m.content[0].text.value for m in messages] == ["first", "second"]
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].metadata == {"n": "2"}
    assert all(m.thread_id == t.id and m.assistant_id is None and m.run_id is None for m in messages)


def test_thread_body_is_optional(http):
    response = http.post("/v1/threads", headers=BETA)
    assert response.status_code == 200
    body = response.get_json()
    # as recorded: metadata before tool_resources (ruby-openai threads_create.yml, POST /v1/threads, 2024-04-29)
    assert list(body) == ["id", "object", "created_at", "metadata", "tool_resources"]
    assert body["tool_resources"] == {} and body["metadata"] == {}


def test_thread_with_bad_initial_message_creates_nothing(http, emulator):
    bad = {"messages": [{"role": "user", "content": "ok"}, {"role": "robot", "content": "x"}]}
    response = http.post("/v1/threads", json=bad, headers=BETA)
    assert response.status_code == 400
    error = error_of(response)
    assert error["param"] == "messages[1].role" and error["code"] == "invalid_value"
    assert emulator.backend().ns.counts()["threads"] == 0


def test_thread_vector_stores_helper_expires_after_a_week(openai_client):
    f = openai_client.files.create(file=("a.txt", b"hello"), purpose="assistants")
    t = openai_client.beta.threads.create(tool_resources={"file_search": {"vector_stores": [{"file_ids": [f.id]}]}})
    store = openai_client.vector_stores.retrieve(t.tool_resources.file_search.vector_store_ids[0])
    assert store.expires_after.anchor == "last_active_at" and store.expires_after.days == 7


def test_thread_modify_and_retrieve(openai_client):
    t = openai_client.beta.threads.create(metadata={"a": "1"})
    u = openai_client.beta.threads.update(t.id, metadata={"b": "2"})
    assert u.metadata == {"b": "2"} and u.created_at == t.created_at
    got = openai_client.beta.threads.retrieve(t.id)
    # create and modify answer `tool_resources: {}`, retrieve adds an empty code_interpreter slot
    # (recorded: ruby-openai threads_retrieve.yml, threads_modify.yml)
    assert got.model_dump(exclude={"tool_resources"}) == u.model_dump(exclude={"tool_resources"})
    assert u.to_dict()["tool_resources"] == {}
    assert got.to_dict()["tool_resources"] == {"code_interpreter": {"file_ids": []}}


def test_thread_delete_cascades_to_messages(openai_client, emulator):
    t = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    m = openai_client.beta.threads.messages.list(t.id).data[0]
    deleted = openai_client.beta.threads.delete(t.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (t.id, "thread.deleted", True)
    assert t.id not in emulator.backend().ns.messages
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.beta.threads.messages.retrieve(m.id, thread_id=t.id)
    assert info.value.body["message"] == f"No thread found with id '{t.id}'."
    with pytest.raises(openai.NotFoundError):
        openai_client.beta.threads.retrieve(t.id)


def test_message_object_shape(http):
    thread = http.post("/v1/threads", headers=BETA).get_json()
    response = http.post(f"/v1/threads/{thread['id']}/messages", json={"role": "user", "content": "hi"}, headers=BETA)
    body = response.get_json()
    # a REST message has no status, incomplete_details, completed_at, incomplete_at (ruby-openai
    # messages_create.yml, POST /v1/threads/{id}/messages, 2024-04-29): keys in the recorded order
    assert list(body) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content", "attachments",
        "metadata",
    ]  # fmt: skip
    assert body["id"].startswith("msg_") and body["object"] == "thread.message"
    assert body["content"] == [{"type": "text", "text": {"value": "hi", "annotations": []}}]
    assert body["attachments"] == [] and body["metadata"] == {}


def test_message_content_parts(openai_client):
    image = openai_client.files.create(file=("cat.png", PNG), purpose="vision")
    t = openai_client.beta.threads.create()
    m = openai_client.beta.threads.messages.create(
        t.id,
        role="user",
        content=[
            {"type": "text", "text": "What is in these images?"},
            {"type": "image_file", "image_file": {"file_id": image.id, "detail": "low"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        ],
    )
    assert [c.type for c in m.content] == ["text", "image_file", "image_url"]
    assert m.content[0].text.value == "What is in these images?"
    assert (m.content[1].image_file.file_id, m.content[1].image_file.detail) == (image.id, "low")
    assert (m.content[2].image_url.url, m.content[2].image_url.detail) == ("https://example.com/cat.png", "auto")


def test_message_attachments(openai_client):
    f = openai_client.files.create(file=("report.pdf", b"%PDF-1.4 fake"), purpose="assistants")
    t = openai_client.beta.threads.create()
    m = openai_client.beta.threads.messages.create(
        t.id, role="user", content="see file", attachments=[{"file_id": f.id, "tools": [{"type": "code_interpreter"}]}]
    )
    assert m.attachments[0].file_id == f.id
    assert m.attachments[0].tools[0].type == "code_interpreter"
    # a code_interpreter attachment makes no vector store
    assert openai_client.beta.threads.retrieve(t.id).tool_resources.file_search is None


@pytest.mark.parametrize(
    "content, param",
    [
        ([{"type": "image_file", "image_file": {"file_id": "file-missing"}}], "content[0].image_file.file_id"),
    ],
)
def test_message_with_unknown_file_is_refused(http, content, param):
    thread = http.post("/v1/threads", headers=BETA).get_json()
    response = http.post(
        f"/v1/threads/{thread['id']}/messages", json={"role": "user", "content": content}, headers=BETA
    )
    assert response.status_code == 404
    assert error_of(response)["param"] == param
    attach = {"role": "user", "content": "x", "attachments": [{"file_id": "file-gone", "tools": []}]}
    response = http.post(f"/v1/threads/{thread['id']}/messages", json=attach, headers=BETA)
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such File object: file-gone"


@pytest.mark.parametrize(
    "body, param, code",
    [
        ({"content": "x"}, "role", "missing_required_parameter"),
        ({"role": "user"}, "content", "missing_required_parameter"),
        ({"role": "system", "content": "x"}, "role", "invalid_value"),
        ({"role": "user", "content": 5}, "content", "invalid_type"),
        ({"role": "user", "content": []}, "content", "empty_array"),
        ({"role": "user", "content": [{"type": "video"}]}, "content[0].type", "invalid_value"),
        ({"role": "user", "content": [{"type": "text"}]}, "content[0].text", "missing_required_parameter"),
        ({"role": "user", "content": "x", "file_ids": []}, "file_ids", "unknown_parameter"),
        ({"role": "user", "content": "x", "metadata": {"k": 1}}, "metadata.k", "invalid_type"),
    ],
)
def test_message_validation(http, body, param, code):
    thread = http.post("/v1/threads", headers=BETA).get_json()
    response = http.post(f"/v1/threads/{thread['id']}/messages", json=body, headers=BETA)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")


def test_message_list_run_id_filter(openai_client, emulator):
    t = openai_client.beta.threads.create(messages=[{"role": "user", "content": "q"}])
    api = emulator.backend()
    answer = api.messages.add(t.id, {"role": "assistant", "content": "a"}, assistant_id="asst_x", run_id="run_1")
    assert [m.id for m in openai_client.beta.threads.messages.list(t.id, run_id="run_1")] == [answer.id]
    assert openai_client.beta.threads.messages.list(t.id, run_id="run_2").data == []
    assert len(openai_client.beta.threads.messages.list(t.id).data) == 2


def test_message_modify_and_delete(openai_client):
    t = openai_client.beta.threads.create()
    m = openai_client.beta.threads.messages.create(t.id, role="user", content="hi")
    u = openai_client.beta.threads.messages.update(m.id, thread_id=t.id, metadata={"seen": "yes"})
    assert u.metadata == {"seen": "yes"} and u.content == m.content
    assert openai_client.beta.threads.messages.retrieve(m.id, thread_id=t.id) == u
    deleted = openai_client.beta.threads.messages.delete(m.id, thread_id=t.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (m.id, "thread.message.deleted", True)
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.beta.threads.messages.retrieve(m.id, thread_id=t.id)
    assert info.value.body["message"] == f"No message found with id '{m.id}'."


def test_message_modify_accepts_only_metadata(http):
    thread = http.post("/v1/threads", headers=BETA).get_json()
    msg = http.post(f"/v1/threads/{thread['id']}/messages", json={"role": "user", "content": "x"}, headers=BETA)
    url = f"/v1/threads/{thread['id']}/messages/{msg.get_json()['id']}"
    response = http.post(url, json={"content": "changed"}, headers=BETA)
    assert response.status_code == 400 and error_of(response)["code"] == "unknown_parameter"


def test_messages_of_another_thread_are_not_found(openai_client):
    t1 = openai_client.beta.threads.create(messages=[{"role": "user", "content": "one"}])
    t2 = openai_client.beta.threads.create()
    m = openai_client.beta.threads.messages.list(t1.id).data[0]
    with pytest.raises(openai.NotFoundError):
        openai_client.beta.threads.messages.retrieve(m.id, thread_id=t2.id)


def test_no_message_while_a_run_is_active(http, emulator):
    """The busy-thread rule (runs come with the run engine; a stored active run is enough here)."""
    from types import SimpleNamespace

    thread = http.post("/v1/threads", headers=BETA).get_json()
    emulator.backend().ns.runs[thread["id"]].add("run_active", SimpleNamespace(id="run_active", status="in_progress"))
    response = http.post(f"/v1/threads/{thread['id']}/messages", json={"role": "user", "content": "x"}, headers=BETA)
    assert response.status_code == 400
    assert error_of(response)["message"] == f"Can't add messages to {thread['id']} while a run run_active is active."
