"""Vector stores, their files and file batches: shapes, counts, statuses, chunking, expiry, cancel."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI

from conftest import BETA, error_of

DAY = 86_400
STATUSES = ("in_progress", "completed", "failed", "cancelled")


def static(size, overlap):
    return {"type": "static", "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap}}


DEFAULT_CHUNKING = static(800, 400)


def upload(client, name="doc.txt", content=b"hello world"):
    return client.files.create(file=(name, content), purpose="assistants")


def uploads(client, n, size=10):
    return [upload(client, f"doc{i}.txt", bytes([65 + i]) * (size + i)) for i in range(n)]


def counts(obj):
    return {k: getattr(obj.file_counts, k) for k in (*STATUSES, "total")}


def expect_counts(obj, **given):
    expected = {**dict.fromkeys(STATUSES, 0), **given}
    expected["total"] = sum(expected.values())
    assert counts(obj) == expected


def consistent(client, vs_id):
    """The store's counts, usage and status agree with its files; returns the store."""
    vs = client.vector_stores.retrieve(vs_id)
    files = list(client.vector_stores.files.list(vs_id))
    expect_counts(vs, **{s: sum(f.status == s for f in files) for s in STATUSES})
    assert vs.usage_bytes == sum(f.usage_bytes for f in files)
    if vs.status != "expired":
        assert vs.status == ("in_progress" if vs.file_counts.in_progress else "completed")
    for f in files:
        assert f.vector_store_id == vs_id and f.object == "vector_store.file"
        assert f.chunking_strategy.type == "static"
    return vs


def error(excinfo):
    body = excinfo.value.body
    return body["message"], body.get("param"), body.get("code")


def post(http, path, body):
    return http.post(f"/v1/vector_stores{path}", json=body, headers=BETA)


def refused(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)
    return error_of(response)


# --- vector stores ------------------------------------------------------------------------------


def test_create_wire_shape(http, emulator):
    response = post(http, "", {})
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"].startswith("vs_")
    now = emulator.clock.now()
    # keys and their order as recorded (ruby-openai vector_stores_create.yml; `description: null` from
    # pydantic-ai test_openai_responses_model_file_search_tool.yaml, 2025-12, its place unconfirmed)
    expected = {
        "id": body["id"], "object": "vector_store", "name": None, "description": None, "status": "completed",
        "usage_bytes": 0, "created_at": now,
        "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
        "metadata": {}, "expires_after": None, "expires_at": None, "last_active_at": now,
    }  # fmt: skip
    assert body == expected and list(body) == list(expected)
    assert list(body["file_counts"]) == ["in_progress", "completed", "failed", "cancelled", "total"]


def test_create_with_everything(openai_client, emulator):
    files = uploads(openai_client, 2)
    vs = openai_client.vector_stores.create(
        name="docs", metadata={"team": "a"}, file_ids=[f.id for f in files],
        expires_after={"anchor": "last_active_at", "days": 3},
    )  # fmt: skip
    assert (vs.object, vs.name, vs.metadata, vs.status) == ("vector_store", "docs", {"team": "a"}, "completed")
    expect_counts(vs, completed=2)
    assert vs.usage_bytes == files[0].bytes + files[1].bytes == 21
    assert (vs.expires_after.anchor, vs.expires_after.days) == ("last_active_at", 3)
    assert vs.created_at == vs.last_active_at == emulator.clock.now()
    assert vs.expires_at == vs.last_active_at + 3 * DAY
    assert openai_client.vector_stores.retrieve(vs.id) == vs
    vs_files = list(openai_client.vector_stores.files.list(vs.id, order="asc"))
    assert [f.id for f in vs_files] == [f.id for f in files]
    assert [f.chunking_strategy.model_dump() for f in vs_files] == [DEFAULT_CHUNKING] * 2


@pytest.mark.parametrize(
    "strategy, reported",
    [
        ({"type": "auto"}, DEFAULT_CHUNKING),
        (static(1000, 500), static(1000, 500)),
        (static(100, 0), static(100, 0)),
        (static(4096, 2048), static(4096, 2048)),
    ],
)
def test_create_chunking_strategy(openai_client, strategy, reported):
    f = upload(openai_client)
    vs = openai_client.vector_stores.create(file_ids=[f.id], chunking_strategy=strategy)
    vs_file = openai_client.vector_stores.files.retrieve(f.id, vector_store_id=vs.id)
    assert vs_file.chunking_strategy.model_dump() == reported


def test_chunking_strategy_needs_file_ids(http):
    for body in ({"chunking_strategy": {"type": "auto"}}, {"file_ids": [], "chunking_strategy": {"type": "auto"}}):
        e = refused(post(http, "", body))
        assert (e["message"], e["param"]) == ("chunking_strategy is only applicable if file_ids is non-empty",
                                              "chunking_strategy")  # fmt: skip
    assert http.get("/v1/vector_stores", headers=BETA).get_json()["data"] == []


@pytest.mark.parametrize(
    "size, overlap, param, code",
    [
        (99, 0, "max_chunk_size_tokens", "integer_below_min_value"),
        (4097, 0, "max_chunk_size_tokens", "integer_above_max_value"),
        (1000, 501, "chunk_overlap_tokens", "invalid_value"),
        (1000, -1, "chunk_overlap_tokens", "integer_below_min_value"),
        (1000, None, "chunk_overlap_tokens", "missing_required_parameter"),
    ],
)
def test_static_chunking_limits(http, openai_client, size, overlap, param, code):
    f = upload(openai_client)
    strategy = static(size, overlap)
    if overlap is None:
        del strategy["static"]["chunk_overlap_tokens"]
    vs = openai_client.vector_stores.create()
    for path, body in [("", {"file_ids": [f.id], "chunking_strategy": strategy}),
                       (f"/{vs.id}/files", {"file_id": f.id, "chunking_strategy": strategy}),
                       (f"/{vs.id}/file_batches", {"file_ids": [f.id], "chunking_strategy": strategy})]:  # fmt: skip
        e = refused(post(http, path, body))
        assert (e["param"], e["code"]) == (f"chunking_strategy.static.{param}", code)
        if code == "invalid_value":
            assert e["message"] == (f"Invalid 'chunking_strategy.static.chunk_overlap_tokens': chunk_overlap_tokens "
                                    f"({overlap}) must not exceed half of max_chunk_size_tokens ({size}).")  # fmt: skip
    expect_counts(consistent(openai_client, vs.id))
    assert len(openai_client.vector_stores.list().data) == 1


def test_create_with_unknown_file(http):
    e = refused(post(http, "", {"file_ids": ["file-nope"]}), 404)
    assert (e["message"], e["param"]) == ("No such File object: file-nope", "file_ids[0]")


def test_list_orders_and_pages(openai_client, emulator):
    ids = []
    for n in range(5):
        ids.append(openai_client.vector_stores.create(name=str(n)).id)
        emulator.advance(1)
    page = openai_client.vector_stores.list(limit=2)
    assert [v.id for v in page.data] == ids[::-1][:2] and page.has_more is True
    last = openai_client.vector_stores.list(limit=2, after=ids[1])
    assert [v.id for v in last.data] == [ids[0]] and last.has_more is False
    assert [v.id for v in openai_client.vector_stores.list(order="asc")] == ids
    assert [v.id for v in openai_client.vector_stores.list(limit=2)] == ids[::-1]
    assert [v.id for v in openai_client.vector_stores.list(before=ids[1], order="asc").data] == [ids[0]]


def test_modify(http, openai_client, emulator):
    vs = openai_client.vector_stores.create(name="a", metadata={"x": "1"})
    emulator.advance(10)
    v2 = openai_client.vector_stores.update(vs.id, expires_after={"anchor": "last_active_at", "days": 2})
    assert (v2.name, v2.metadata, v2.expires_after.days) == ("a", {"x": "1"}, 2)
    assert v2.expires_at == v2.last_active_at + 2 * DAY
    v3 = openai_client.vector_stores.update(vs.id, name="b", metadata={"y": "2"})
    assert (v3.name, v3.metadata, v3.expires_after.days) == ("b", {"y": "2"}, 2)
    v4 = openai_client.vector_stores.update(vs.id, expires_after=None, name=None)
    assert (v4.name, v4.expires_after, v4.expires_at, v4.metadata) == (None, None, None, {"y": "2"})
    assert openai_client.vector_stores.retrieve(vs.id) == v4
    assert v4.created_at == vs.created_at
    e = refused(post(http, f"/{vs.id}", {"file_ids": []}))
    assert (e["param"], e["code"]) == ("file_ids", "unknown_parameter")


def test_delete_and_not_found(http, openai_client):
    f = upload(openai_client)
    vs = openai_client.vector_stores.create(file_ids=[f.id])
    deleted = openai_client.vector_stores.delete(vs.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (vs.id, "vector_store.deleted", True)
    for method, path in [("get", ""), ("post", ""), ("delete", ""), ("get", "/files"), ("post", "/files")]:
        response = getattr(http, method)(f"/v1/vector_stores/{vs.id}{path}", json={}, headers=BETA)
        # param as recorded (azure-openai VectorStoreTests/CanCreateGetAndDeleteVectorStores.json, ex 16-17)
        assert refused(response, 404) == {"message": f"No vector store found with id '{vs.id}'.",
                                      "type": "invalid_request_error", "param": "vector_store_id", "code": None}  # fmt: skip
    assert openai_client.files.retrieve(f.id).id == f.id  # the file itself survives
    assert openai_client.vector_stores.list().data == []


# --- files of a vector store ----------------------------------------------------------------------


def test_file_lifecycle(http, openai_client):
    f = upload(openai_client, "guide.md", b"# Guide\n\nSome text.")
    vs = openai_client.vector_stores.create(name="kb")
    vs_file = openai_client.vector_stores.files.create(vs.id, file_id=f.id, attributes={"lang": "en", "v": 2})
    assert (vs_file.id, vs_file.object, vs_file.vector_store_id) == (f.id, "vector_store.file", vs.id)
    assert (vs_file.status, vs_file.usage_bytes, vs_file.last_error) == ("completed", f.bytes, None)
    assert vs_file.chunking_strategy.model_dump() == DEFAULT_CHUNKING
    assert vs_file.attributes == {"lang": "en", "v": 2}
    expect_counts(consistent(openai_client, vs.id), completed=1)
    assert openai_client.vector_stores.files.retrieve(f.id, vector_store_id=vs.id) == vs_file
    assert openai_client.vector_stores.files.create(vs.id, file_id=f.id) == vs_file  # added once only
    expect_counts(consistent(openai_client, vs.id), completed=1)
    changed = openai_client.vector_stores.files.update(f.id, vector_store_id=vs.id, attributes={"lang": "fr"})
    assert changed.attributes == {"lang": "fr"} and changed.status == "completed"
    deleted = openai_client.vector_stores.files.delete(f.id, vector_store_id=vs.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (f.id, "vector_store.file.deleted", True)
    assert consistent(openai_client, vs.id).usage_bytes == 0
    assert openai_client.files.retrieve(f.id).bytes == f.bytes
    response = http.get(f"/v1/vector_stores/{vs.id}/files/{f.id}", headers=BETA)
    assert refused(response, 404)["message"] == f"No file found with id '{f.id}' in vector store '{vs.id}'."


def test_adding_unknown_file(http, openai_client):
    vs = openai_client.vector_stores.create()
    e = refused(post(http, f"/{vs.id}/files", {"file_id": "file-nope"}), 404)
    assert (e["message"], e["param"]) == ("No such File object: file-nope", "file_id")
    e = refused(post(http, f"/{vs.id}/files", {}))
    assert (e["param"], e["code"]) == ("file_id", "missing_required_parameter")


def test_create_and_poll_and_upload_and_poll(openai_client):
    vs = openai_client.vector_stores.create()
    f = upload(openai_client, "a.py", b"print('hi')\n")
    polled = openai_client.vector_stores.files.create_and_poll(f.id, vector_store_id=vs.id, attributes={"k": "v"})
    assert (polled.id, polled.status, polled.usage_bytes, polled.attributes) == (f.id, "completed", 12, {"k": "v"})
    uploaded = openai_client.vector_stores.files.upload_and_poll(
        vector_store_id=vs.id, file=("b.txt", b"more text"),
        chunking_strategy=static(400, 200),
    )  # fmt: skip
    assert (uploaded.status, uploaded.usage_bytes) == ("completed", 9)
    assert uploaded.chunking_strategy.static.max_chunk_size_tokens == 400
    assert openai_client.files.retrieve(uploaded.id).filename == "b.txt"
    vs = consistent(openai_client, vs.id)
    expect_counts(vs, completed=2)
    assert vs.usage_bytes == 21


def test_unreadable_files_fail_and_filter(http, openai_client):
    good = upload(openai_client, "ok.txt", b"readable text")
    broken = upload(openai_client, "broken.pdf", b"not a pdf at all")
    empty = upload(openai_client, "empty.txt", b"  \n")
    vs = openai_client.vector_stores.create(file_ids=[good.id, broken.id, empty.id])
    expect_counts(vs, completed=1, failed=2)
    assert (vs.status, vs.usage_bytes) == ("completed", good.bytes)
    errors = {f.id: f.last_error for f in openai_client.vector_stores.files.list(vs.id, filter="failed")}
    assert set(errors) == {broken.id, empty.id}
    assert errors[broken.id].code == "invalid_file"
    assert (errors[empty.id].code, errors[empty.id].message) == ("invalid_file", "The file is empty.")
    failed = openai_client.vector_stores.files.retrieve(broken.id, vector_store_id=vs.id)
    assert (failed.status, failed.usage_bytes) == ("failed", 0)
    completed = openai_client.vector_stores.files.list(vs.id, filter="completed").data
    assert [f.id for f in completed] == [good.id]
    for status in ("in_progress", "cancelled"):
        assert openai_client.vector_stores.files.list(vs.id, filter=status).data == []
    e = refused(http.get(f"/v1/vector_stores/{vs.id}/files?filter=done", headers=BETA))
    assert (e["param"], e["code"]) == ("filter", "invalid_value")
    openai_client.vector_stores.files.delete(broken.id, vector_store_id=vs.id)
    expect_counts(consistent(openai_client, vs.id), completed=1, failed=1)


def test_types_file_search_does_not_read_are_refused_when_added(http, openai_client):
    """Refused at once, not failed in ingestion, with the service's message, param and code
    (POST /v1/vector_stores/{id}/files with a .png, quoted from api.openai.com in
    stdapi-ai/stdapi.ai#275); uploading them for `assistants` is fine."""
    good = upload(openai_client, "ok.txt", b"readable text")
    csv = upload(openai_client, "table.csv", b"a,b\n1,2\n")
    png = upload(openai_client, "pic.png", b"\x89PNG\r\n\x1a\n")
    vs = openai_client.vector_stores.create()
    e = refused(post(http, f"/{vs.id}/files", {"file_id": png.id}))
    assert e == {
        "message": "Files with extensions [.png] are not supported for retrieval. "
        "See https://platform.openai.com/docs/assistants/tools/file-search/supported-files",
        "type": "invalid_request_error", "param": "file_ids", "code": "unsupported_file",
    }  # fmt: skip
    e = refused(post(http, "", {"file_ids": [good.id, csv.id, png.id]}))
    assert e["message"].startswith("Files with extensions [.csv, .png] are not supported for retrieval.")
    assert (e["param"], e["code"]) == ("file_ids", "unsupported_file")
    e = refused(post(http, f"/{vs.id}/file_batches", {"file_ids": [csv.id]}))
    assert (e["param"], e["code"]) == ("file_ids", "unsupported_file")
    assert openai_client.vector_stores.files.list(vs.id).data == []


@pytest.mark.emulator(ingestion_seconds=60)
def test_ingestion_takes_time(openai_client, emulator):
    f = upload(openai_client)
    vs = openai_client.vector_stores.create()
    vs_file = openai_client.vector_stores.files.create(vs.id, file_id=f.id)
    assert (vs_file.status, vs_file.usage_bytes) == ("in_progress", 0)
    vs = consistent(openai_client, vs.id)
    assert vs.status == "in_progress"
    expect_counts(vs, in_progress=1)
    emulator.advance(59)
    assert consistent(openai_client, vs.id).status == "in_progress"
    emulator.advance(1)
    vs = consistent(openai_client, vs.id)
    assert (vs.status, vs.usage_bytes) == ("completed", f.bytes)
    expect_counts(vs, completed=1)


# --- file batches --------------------------------------------------------------------------------


def test_batch_with_file_ids(http, openai_client):
    files = uploads(openai_client, 3)
    vs = openai_client.vector_stores.create()
    body = {"file_ids": [f.id for f in files], "attributes": {"src": "b"}, "chunking_strategy": static(600, 100)}
    response = post(http, f"/{vs.id}/file_batches", body)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"].startswith("vsfb_")
    # `vector_store.file_batch` and this key order as recorded (ruby-openai vector_store_file_batches_create.yml)
    expected = {
        "id": body["id"], "object": "vector_store.file_batch", "created_at": vs.created_at, "status": "completed",
        "vector_store_id": vs.id,
        "file_counts": {"in_progress": 0, "completed": 3, "failed": 0, "cancelled": 0, "total": 3},
    }  # fmt: skip
    assert body == expected and list(body) == list(expected)
    batch = openai_client.vector_stores.file_batches.retrieve(body["id"], vector_store_id=vs.id)
    assert (batch.id, batch.status) == (body["id"], "completed")
    for f in openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id):
        assert f.attributes == {"src": "b"}
        assert f.chunking_strategy.static.max_chunk_size_tokens == 600
    expect_counts(consistent(openai_client, vs.id), completed=3)


def test_batch_with_files_and_per_file_attributes(openai_client):
    a, b = uploads(openai_client, 2)
    bad = upload(openai_client, "x.pdf", b"1,2")
    vs = openai_client.vector_stores.create()
    batch = openai_client.vector_stores.file_batches.create(
        vs.id,
        files=[{"file_id": a.id, "attributes": {"n": 1}},
               {"file_id": b.id, "attributes": {"n": 2}, "chunking_strategy": {"type": "auto"}},
               {"file_id": bad.id}],
        attributes={"ignored": True},
    )  # fmt: skip
    assert batch.status == "completed"
    expect_counts(batch, completed=2, failed=1)
    by_id = {f.id: f for f in openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id)}
    assert (by_id[a.id].attributes, by_id[b.id].attributes, by_id[bad.id].attributes) == ({"n": 1}, {"n": 2}, {})
    failed = openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id, filter="failed")
    assert [f.id for f in failed] == [bad.id]
    other = upload(openai_client, "other.txt", b"not in batch")
    openai_client.vector_stores.files.create(vs.id, file_id=other.id)
    listed = openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id, order="asc")
    assert [f.id for f in listed] == [a.id, b.id, bad.id]
    expect_counts(consistent(openai_client, vs.id), completed=3, failed=1)


def test_batch_refuses_both_file_ids_and_files(http, openai_client):
    f = upload(openai_client)
    vs = openai_client.vector_stores.create()
    e = refused(post(http, f"/{vs.id}/file_batches", {"file_ids": [f.id], "files": [{"file_id": f.id}]}))
    assert e["message"] == "Only one of 'file_ids' or 'files' may be provided."
    e = refused(post(http, f"/{vs.id}/file_batches", {"files": [{"file_id": "file-nope"}]}), 404)
    assert (e["message"], e["param"]) == ("No such File object: file-nope", "files[0].file_id")
    e = refused(post(http, f"/{vs.id}/file_batches", {"file_ids": [f.id, "file-nope"]}), 404)
    assert e["param"] == "file_ids[1]"
    expect_counts(consistent(openai_client, vs.id))
    e = refused(http.get(f"/v1/vector_stores/{vs.id}/file_batches/vsfb_nope", headers=BETA), 404)
    assert e["message"] == "No file batch found with id 'vsfb_nope'."


def test_batch_create_and_poll_and_upload_and_poll(openai_client):
    files = uploads(openai_client, 2)
    vs = openai_client.vector_stores.create()
    batch = openai_client.vector_stores.file_batches.create_and_poll(vs.id, file_ids=[f.id for f in files])
    assert batch.status == "completed"
    expect_counts(batch, completed=2)
    up = openai_client.vector_stores.file_batches.upload_and_poll(
        vs.id, files=[("u1.txt", b"one"), ("u2.md", b"# two")], file_ids=[files[0].id]
    )
    assert up.status == "completed"
    expect_counts(up, completed=3)
    vs = consistent(openai_client, vs.id)
    expect_counts(vs, completed=4)
    assert vs.usage_bytes == files[0].bytes + files[1].bytes + 3 + 5


@pytest.mark.emulator(ingestion_seconds=60)
def test_cancel_batch(openai_client, emulator):
    files = uploads(openai_client, 3)
    vs = openai_client.vector_stores.create()
    done = upload(openai_client, "done.txt", b"already there")
    openai_client.vector_stores.files.create(vs.id, file_id=done.id)
    batch = openai_client.vector_stores.file_batches.create(vs.id, file_ids=[f.id for f in files])
    assert batch.status == "in_progress"
    expect_counts(batch, in_progress=3)
    vs_now = consistent(openai_client, vs.id)
    assert vs_now.status == "in_progress"
    expect_counts(vs_now, in_progress=4)
    emulator.advance(30)
    cancelled = openai_client.vector_stores.file_batches.cancel(batch.id, vector_store_id=vs.id)
    assert cancelled.status == "cancelled"
    expect_counts(cancelled, cancelled=3)
    listed = openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id, filter="cancelled")
    assert sorted(f.id for f in listed) == sorted(f.id for f in files)
    expect_counts(consistent(openai_client, vs.id), in_progress=1, cancelled=3)
    emulator.advance(60)
    assert openai_client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=vs.id).status == "cancelled"
    vs_now = consistent(openai_client, vs.id)
    assert vs_now.status == "completed"
    expect_counts(vs_now, completed=1, cancelled=3)
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.vector_stores.file_batches.cancel(batch.id, vector_store_id=vs.id)
    assert error(info)[0] == "Cannot cancel a vector store file batch with status 'cancelled'."


@pytest.mark.emulator(ingestion_seconds=60)
def test_batch_completes_when_time_passes(openai_client, emulator):
    files = uploads(openai_client, 2)
    vs = openai_client.vector_stores.create()
    batch = openai_client.vector_stores.file_batches.create(vs.id, file_ids=[f.id for f in files])
    in_progress = openai_client.vector_stores.file_batches.list_files(batch.id, vector_store_id=vs.id,
                                                                       filter="in_progress")  # fmt: skip
    assert len(in_progress.data) == 2
    emulator.advance(60)
    batch = openai_client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=vs.id)
    assert batch.status == "completed"
    expect_counts(batch, completed=2)
    expect_counts(consistent(openai_client, vs.id), completed=2)
    # cancelling a batch that completed answers it as it is (ruby-openai vector_store_file_batches_cancel.yml, 2024-04-30)
    cancelled = openai_client.vector_stores.file_batches.cancel(batch.id, vector_store_id=vs.id)
    assert cancelled.status == "completed"
    expect_counts(cancelled, completed=2)


# --- expiry ----------------------------------------------------------------------------------------


def test_expired_store_refuses_new_files(openai_client, emulator):
    f = upload(openai_client)
    vs = openai_client.vector_stores.create(file_ids=[f.id], expires_after={"anchor": "last_active_at", "days": 1})
    assert vs.expires_at == vs.last_active_at + DAY
    emulator.advance(DAY - 1)
    assert openai_client.vector_stores.retrieve(vs.id).status == "completed"
    emulator.advance(1)
    expired = openai_client.vector_stores.retrieve(vs.id)
    assert (expired.status, expired.expires_at) == ("expired", vs.expires_at)
    assert [v.status for v in openai_client.vector_stores.list()] == ["expired"]
    other = upload(openai_client, "late.txt", b"late")
    message = f"Vector store '{vs.id}' has expired"
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.vector_stores.files.create(vs.id, file_id=other.id)
    assert error(info)[0] == message
    with pytest.raises(openai.BadRequestError) as info:
        openai_client.vector_stores.file_batches.create(vs.id, file_ids=[other.id])
    assert error(info)[0] == message
    expect_counts(consistent(openai_client, vs.id), completed=1)


def test_adding_a_file_moves_last_active_at(openai_client, emulator):
    vs = openai_client.vector_stores.create(expires_after={"anchor": "last_active_at", "days": 2})
    emulator.advance(DAY)
    openai_client.vector_stores.files.create(vs.id, file_id=upload(openai_client).id)
    later = openai_client.vector_stores.retrieve(vs.id)
    assert later.last_active_at == vs.last_active_at + DAY
    assert later.expires_at == later.last_active_at + 2 * DAY


# --- thread attachments ------------------------------------------------------------------------------


def test_message_attachment_creates_the_threads_store(openai_client):
    f1, f2 = uploads(openai_client, 2)
    search = [{"type": "file_search"}]
    thread = openai_client.beta.threads.create(
        messages=[{"role": "user", "content": "read this", "attachments": [{"file_id": f1.id, "tools": search}]}]
    )
    (store_id,) = thread.tool_resources.file_search.vector_store_ids
    assert openai_client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids == [store_id]
    store = consistent(openai_client, store_id)
    expect_counts(store, completed=1)
    assert (store.expires_after.anchor, store.expires_after.days) == ("last_active_at", 7)
    openai_client.beta.threads.messages.create(
        thread.id, role="user", content="and this",
        attachments=[{"file_id": f2.id, "tools": search}, {"file_id": f1.id, "tools": search}],
    )  # fmt: skip
    expect_counts(consistent(openai_client, store_id), completed=2)
    assert len(openai_client.vector_stores.list().data) == 1
    other = openai_client.beta.threads.create()
    openai_client.beta.threads.messages.create(
        other.id, role="user", content="x", attachments=[{"file_id": f1.id, "tools": [{"type": "code_interpreter"}]}]
    )
    assert len(openai_client.vector_stores.list().data) == 1  # code_interpreter attachments make no store


# --- async and real HTTP -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client(async_openai_client):
    f = await async_openai_client.files.create(file=("a.txt", b"async text"), purpose="assistants")
    vs = await async_openai_client.vector_stores.create(name="async")
    vs_file = await async_openai_client.vector_stores.files.create_and_poll(f.id, vector_store_id=vs.id)
    assert (vs_file.status, vs_file.usage_bytes) == ("completed", 10)
    batch = await async_openai_client.vector_stores.file_batches.create_and_poll(vs.id, file_ids=[f.id])
    expect_counts(batch, completed=1)
    assert [x.id async for x in async_openai_client.vector_stores.files.list(vs.id)] == [f.id]
    vs = await async_openai_client.vector_stores.retrieve(vs.id)
    expect_counts(vs, completed=1)
    assert (await async_openai_client.vector_stores.delete(vs.id)).deleted is True


def test_over_real_http(emulator_server):
    with OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key) as client:
        vs = client.vector_stores.create(name="served")
        batch = client.vector_stores.file_batches.upload_and_poll(vs.id, files=[("a.txt", b"alpha"), ("b.pdf", b"1,2")])
        expect_counts(batch, completed=1, failed=1)
        vs = consistent(client, vs.id)
        assert (vs.name, vs.usage_bytes) == ("served", 5)
        with pytest.raises(openai.NotFoundError) as info:
            client.vector_stores.retrieve("vs_missing")
        assert error(info) == ("No vector store found with id 'vs_missing'.", "vector_store_id", None)
