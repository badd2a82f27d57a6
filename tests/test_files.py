"""Files: multipart upload rules, expiry, list/pagination, retrieve, delete, content download."""

from __future__ import annotations

import inspect
import io

import openai
import pytest
from openai import OpenAI

from conftest import BETA, error_of
from emulator.domain.files import ASSISTANTS_EXTENSIONS

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
JSONL = b'{"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {}}\n'
SDK_HAS_EXPIRES_AFTER = "expires_after" in inspect.signature(openai.resources.files.Files.create).parameters
needs_expires_after = pytest.mark.skipif(not SDK_HAS_EXPIRES_AFTER, reason="SDK has no expires_after")


def upload(client, name="notes.txt", content=b"hello world", purpose="assistants", **kw):
    return client.files.create(file=(name, content), purpose=purpose, **kw)


def raw_upload(http, *, name="notes.txt", content=b"hello", **form):
    data = dict(form)
    if name is not None:
        data["file"] = (io.BytesIO(content), name)
    return http.post("/v1/files", data=data, content_type="multipart/form-data", headers=BETA)


def refused(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)
    return error_of(response)


def sdk_error(excinfo):
    body = excinfo.value.body
    return body["message"], body.get("param"), body.get("code")


# --- upload ------------------------------------------------------------------------------


def test_upload_wire_shape(http, emulator):
    response = raw_upload(http, name="notes.txt", content=b"hello there", purpose="assistants")
    assert response.status_code == 200
    body = response.get_json()
    # the order recorded (ruby-openai files_upload_file.yml; azure-openai VectorStoreTests, 2025-01);
    # `expires_at` from pydantic-ai's file_search cassettes (2025-12), its place unconfirmed
    assert list(body) == [
        "object", "id", "purpose", "filename", "bytes", "created_at", "expires_at", "status", "status_details",
    ]  # fmt: skip
    assert body["id"].startswith("file-")
    assert body["object"] == "file"
    assert body["bytes"] == 11
    assert body["created_at"] == emulator.clock.now()
    assert body["expires_at"] is None and body["status_details"] is None
    assert (body["filename"], body["purpose"], body["status"]) == ("notes.txt", "assistants", "processed")


@pytest.mark.parametrize(
    "purpose, name, content",
    [
        ("assistants", "report.pdf", b"%PDF-1.4 fake pdf bytes"),
        ("vision", "cat.png", PNG),
        ("batch", "requests.jsonl", JSONL),
        ("fine-tune", "train.jsonl", JSONL * 3),
        ("user_data", "profile.txt", b"name: Ada\n"),
        ("evals", "eval.jsonl", JSONL * 2),
    ],
)
def test_upload_each_purpose(openai_client, purpose, name, content):
    f = upload(openai_client, name, content, purpose)
    assert (f.object, f.purpose, f.filename, f.status) == ("file", purpose, name, "processed")
    assert f.bytes == len(content)
    assert openai_client.files.retrieve(f.id) == f


def test_every_assistants_extension_is_accepted(openai_client):
    for ext in ASSISTANTS_EXTENSIONS:
        f = upload(openai_client, f"file.{ext.upper()}", b"data")
        assert f.filename == f"file.{ext.upper()}"
    assert len(openai_client.files.list().data) == len(ASSISTANTS_EXTENSIONS)


@pytest.mark.parametrize("name, ext", [("setup.exe", "exe"), ("sheet.xls", "xls"), ("README", "")])
def test_assistants_refuses_unsupported_extension(http, name, ext):
    error = refused(raw_upload(http, name=name, purpose="assistants"))
    assert error["message"].startswith(f"Invalid extension {ext}. Supported formats: ")
    assert '"pdf"' in error["message"] and '"xlsx"' in error["message"]
    assert error["type"] == "invalid_request_error"
    assert http.get("/v1/files").get_json()["data"] == []


def test_vision_needs_an_image(openai_client):
    with pytest.raises(openai.BadRequestError) as info:
        upload(openai_client, "notes.txt", b"text", "vision")
    assert info.value.status_code == 400
    assert info.value.body["message"].startswith("Invalid extension txt.")
    assert upload(openai_client, "photo.webp", b"RIFF....WEBP", "vision").purpose == "vision"


def test_batch_refuses_other_formats(http):
    message = "Invalid file format for Batch API. Must be .jsonl"
    assert refused(raw_upload(http, name="data.json", content=b"{}", purpose="batch"))["message"] == message


def test_fine_tune_takes_any_name(http):
    """The service took a fine-tune upload named `local.path` (recorded: ruby-openai files_upload_stringio.yml)."""
    response = raw_upload(http, name="local.path", content=b'{"prompt": "a", "completion": "b"}\n', purpose="fine-tune")
    assert response.status_code == 200
    assert (response.get_json()["filename"], response.get_json()["purpose"]) == ("local.path", "fine-tune")


def test_delete_answer_keys(http):
    """`object, id, deleted` on OpenAI (recorded: ruby-openai files_delete.yml, 2023-11); `object, deleted, id`
    on Azure, whose file ids are `assistant-…` (azure-openai VectorStoreTests/CanCreateGetAndDeleteVectorStores.json,
    2025-01)."""
    file_id = raw_upload(http, name="a.txt", content=b"x", purpose="assistants").get_json()["id"]
    body = http.delete(f"/v1/files/{file_id}").get_json()
    assert list(body.items()) == [("object", "file"), ("id", file_id), ("deleted", True)]
    azure = {"api-version": "2024-05-01-preview"}
    made = http.post("/openai/files", query_string=azure, headers={"api-key": "k"},
                     data={"purpose": "assistants", "file": (io.BytesIO(b"x"), "a.txt")}).get_json()  # fmt: skip
    assert made["id"].startswith("assistant-")
    body = http.delete(f"/openai/files/{made['id']}", query_string=azure, headers={"api-key": "k"}).get_json()
    assert list(body.items()) == [("object", "file"), ("deleted", True), ("id", made["id"])]


def test_missing_file(http):
    error = refused(raw_upload(http, name=None, purpose="assistants"))
    assert error["message"] == "Missing required parameter: 'file'."
    assert (error["param"], error["code"]) == ("file", "missing_required_parameter")


def test_missing_purpose(http):
    error = refused(raw_upload(http))
    assert error["message"] == "Missing required parameter: 'purpose'."
    assert (error["param"], error["code"]) == ("purpose", "missing_required_parameter")


def test_invalid_purpose(http):
    error = refused(raw_upload(http, purpose="answers"))
    assert error["message"] == (
        "Invalid value: 'answers'. Supported values are: "
        "'assistants', 'batch', 'fine-tune', 'vision', 'user_data', and 'evals'."
    )
    assert (error["param"], error["code"]) == ("purpose", "invalid_value")


def test_service_purposes_cannot_be_uploaded(openai_client):
    with pytest.raises(openai.BadRequestError) as info:
        upload(openai_client, "plot.png", PNG, "assistants_output")
    assert sdk_error(info)[1:] == ("purpose", "invalid_value")


def test_unknown_form_field(http):
    error = refused(raw_upload(http, purpose="assistants", colour="blue"))
    assert (error["message"], error["param"], error["code"]) == (
        "Unknown parameter: 'colour'.",
        "colour",
        "unknown_parameter",
    )


def test_files_need_no_beta_header(http):
    data = {"purpose": "assistants", "file": (io.BytesIO(b"x"), "a.txt")}
    assert http.post("/v1/files", data=data, content_type="multipart/form-data").status_code == 200
    assert len(http.get("/v1/files").get_json()["data"]) == 1


# --- expiry --------------------------------------------------------------------------------


@needs_expires_after
def test_expires_after_sets_expires_at_and_file_disappears(openai_client, emulator):
    f = upload(openai_client, expires_after={"anchor": "created_at", "seconds": 3600})
    assert f.expires_at == f.created_at + 3600
    keep = upload(openai_client, "keep.txt")
    emulator.advance(3599)
    assert openai_client.files.retrieve(f.id).expires_at == f.expires_at
    emulator.advance(1)
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.files.retrieve(f.id)
    assert sdk_error(info)[:2] == (f"No such File object: {f.id}", "id")
    assert [x.id for x in openai_client.files.list()] == [keep.id]


@needs_expires_after
def test_expired_files_leave_vector_stores_and_cannot_be_attached(openai_client, emulator):
    def short_lived(n, hours):
        return upload(
            openai_client, f"t{n}.txt", b"x" * 10, expires_after={"anchor": "created_at", "seconds": hours * 3600}
        )

    a, b, c = short_lived(1, 1), short_lived(2, 2), short_lived(3, 3)
    kept = upload(openai_client, "kept.txt", b"kept")
    vs = openai_client.vector_stores.create(file_ids=[a.id, b.id, c.id, kept.id])
    assert (vs.file_counts.total, vs.usage_bytes) == (4, 34)
    emulator.advance(3600)  # each first call after an expiry below is a vector-store call
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.vector_stores.create(file_ids=[a.id])
    assert sdk_error(info)[:2] == (f"No such File object: {a.id}", "file_ids[0]")
    emulator.advance(3600)
    now = openai_client.vector_stores.retrieve(vs.id)
    assert (now.file_counts.completed, now.file_counts.total, now.usage_bytes) == (2, 2, 14)
    emulator.advance(3600)
    (now,) = openai_client.vector_stores.list().data
    assert (now.file_counts.completed, now.file_counts.total, now.usage_bytes) == (1, 1, 4)
    assert [f.id for f in openai_client.vector_stores.files.list(vs.id)] == [kept.id]


@needs_expires_after
@pytest.mark.parametrize(
    "seconds, code, detail",
    [
        (3599, "integer_below_min_value", "Expected a value >= 3600, but got 3599 instead."),
        (2_592_001, "integer_above_max_value", "Expected a value <= 2592000, but got 2592001 instead."),
    ],
)
def test_expires_after_bounds(openai_client, seconds, code, detail):
    with pytest.raises(openai.BadRequestError) as info:
        upload(openai_client, expires_after={"anchor": "created_at", "seconds": seconds})
    message, param, got_code = sdk_error(info)
    assert (param, got_code) == ("expires_after.seconds", code)
    assert message.startswith("Invalid 'expires_after.seconds': integer ") and message.endswith(detail)


def test_expires_after_upper_bound_is_accepted(openai_client):
    f = upload(openai_client, expires_after={"anchor": "created_at", "seconds": 2_592_000})
    assert f.expires_at - f.created_at == 2_592_000


@pytest.mark.parametrize(
    "form, param, code",
    [
        ({"expires_after[anchor]": "last_active_at", "expires_after[seconds]": "3600"},
         "expires_after.anchor", "invalid_value"),
        ({"expires_after[anchor]": "created_at"}, "expires_after.seconds", "missing_required_parameter"),
        ({"expires_after[seconds]": "3600"}, "expires_after.anchor", "missing_required_parameter"),
        ({"expires_after[anchor]": "created_at", "expires_after[seconds]": "soon"},
         "expires_after.seconds", "invalid_type"),
    ],
)  # fmt: skip
def test_expires_after_form_errors(http, form, param, code):
    error = refused(raw_upload(http, purpose="assistants", **form))
    assert (error["param"], error["code"]) == (param, code)


# --- list ----------------------------------------------------------------------------------


def make_files(client, emulator, n, purpose="assistants"):
    ids = []
    for i in range(n):
        name = f"f{i}.jsonl" if purpose in ("batch", "fine-tune", "evals") else f"f{i}.txt"
        ids.append(upload(client, name, b"x" * (i + 1), purpose).id)
        emulator.advance(1)
    return ids


def test_list_orders_and_filters_by_purpose(openai_client, emulator):
    a = make_files(openai_client, emulator, 2)
    b = make_files(openai_client, emulator, 2, "batch")
    page = openai_client.files.list()
    assert page.object == "list"
    assert [f.id for f in page.data] == (a + b)[::-1]
    assert [f.id for f in openai_client.files.list(order="asc").data] == a + b
    assert [f.id for f in openai_client.files.list(purpose="batch").data] == b[::-1]
    assert [f.id for f in openai_client.files.list(purpose="assistants", order="asc").data] == a
    assert openai_client.files.list(purpose="vision").data == []


def test_list_pages_with_limit_and_after(http, openai_client, emulator):
    ids = make_files(openai_client, emulator, 5)[::-1]
    first = http.get("/v1/files?limit=2").get_json()
    assert [f["id"] for f in first["data"]] == ids[:2]
    assert (first["first_id"], first["last_id"], first["has_more"]) == (ids[0], ids[1], True)
    second = http.get(f"/v1/files?limit=2&after={ids[1]}").get_json()
    assert [f["id"] for f in second["data"]] == ids[2:4] and second["has_more"] is True
    last = http.get(f"/v1/files?limit=2&after={ids[3]}").get_json()
    assert [f["id"] for f in last["data"]] == ids[4:]
    assert (last["first_id"], last["last_id"], last["has_more"]) == (ids[4], ids[4], False)
    exact = http.get(f"/v1/files?limit=3&after={ids[1]}").get_json()
    assert exact["has_more"] is False and len(exact["data"]) == 3
    assert [f.id for f in openai_client.files.list(limit=2)] == ids  # the SDK follows `after`


def test_list_default_limit_is_ten_thousand_and_before_is_ignored(http, openai_client, emulator):
    ids = make_files(openai_client, emulator, 25)[::-1]
    body = http.get("/v1/files").get_json()
    assert [f["id"] for f in body["data"]] == ids and body["has_more"] is False
    assert [f["id"] for f in http.get(f"/v1/files?before={ids[3]}").get_json()["data"]] == ids
    assert len(http.get("/v1/files?limit=10000").get_json()["data"]) == 25
    error = refused(http.get("/v1/files?limit=10001"))
    assert (error["param"], error["code"]) == ("limit", "integer_above_max_value")


def test_empty_list(http):
    body = http.get("/v1/files").get_json()
    assert body == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


# --- retrieve, delete ----------------------------------------------------------------------------


def test_delete_then_gone(http, openai_client):
    f = upload(openai_client)
    response = http.delete(f"/v1/files/{f.id}")
    assert response.status_code == 200
    assert response.get_json() == {"id": f.id, "object": "file", "deleted": True}
    for method, path in [("get", f"/v1/files/{f.id}"), ("delete", f"/v1/files/{f.id}"),
                         ("get", f"/v1/files/{f.id}/content")]:  # fmt: skip
        error = refused(getattr(http, method)(path), 404)
        assert error == {"message": f"No such File object: {f.id}", "type": "invalid_request_error",
                         "param": "id", "code": None}  # fmt: skip
    assert openai_client.files.list().data == []


def test_sdk_delete_and_unknown_file(openai_client):
    f = upload(openai_client)
    deleted = openai_client.files.delete(f.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (f.id, "file", True)
    with pytest.raises(openai.NotFoundError) as info:
        openai_client.files.retrieve("file-doesnotexist")
    assert sdk_error(info) == ("No such File object: file-doesnotexist", "id", None)


# --- content ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("purpose, name", [("assistants", "notes.txt"), ("user_data", "me.txt")])
def test_download_refused(http, openai_client, purpose, name):
    f = upload(openai_client, name, b"secret", purpose)
    error = refused(http.get(f"/v1/files/{f.id}/content"))
    assert error["message"] == f"Not allowed to download files of purpose: {purpose}"
    with pytest.raises(openai.BadRequestError):
        openai_client.files.content(f.id)


@pytest.mark.parametrize(
    "purpose, name, content",
    [("vision", "cat.png", PNG), ("batch", "requests.jsonl", JSONL), ("evals", "eval.jsonl", JSONL)],
)
def test_download_allowed(http, openai_client, purpose, name, content):
    f = upload(openai_client, name, content, purpose)
    response = http.get(f"/v1/files/{f.id}/content")
    assert response.status_code == 200
    assert response.data == content
    # every download is application/octet-stream (ruby-openai files_fetch_image.yml, a PNG; files_content.yml, JSONL)
    assert response.mimetype == "application/octet-stream"
    assert name in response.headers["Content-Disposition"]
    assert openai_client.files.content(f.id).content == content


def test_download_service_made_output(openai_client, emulator):
    f = emulator.backend().files.store(filename="plot.png", content=PNG, purpose="assistants_output")
    assert f.id.startswith("file-")
    listed = openai_client.files.retrieve(f.id)
    assert (listed.purpose, listed.bytes, listed.filename) == ("assistants_output", len(PNG), "plot.png")
    response = openai_client.files.with_raw_response.content(f.id)
    assert response.headers["content-type"] == "application/octet-stream"  # ruby-openai files_fetch_image.yml
    assert response.content == PNG
    assert [x.id for x in openai_client.files.list(purpose="assistants_output")] == [f.id]


# --- files in vector stores ------------------------------------------------------------------------


def test_deleting_a_file_removes_it_from_every_vector_store(openai_client):
    gone = upload(openai_client, "gone.txt", b"0123456789")
    kept = upload(openai_client, "kept.md", b"# kept")
    stores = [openai_client.vector_stores.create(file_ids=[gone.id, kept.id]) for _ in range(2)]
    for vs in stores:
        assert (vs.file_counts.completed, vs.file_counts.total, vs.usage_bytes) == (2, 2, 16)
    openai_client.files.delete(gone.id)
    for vs in stores:
        now = openai_client.vector_stores.retrieve(vs.id)
        assert (now.file_counts.completed, now.file_counts.total, now.usage_bytes) == (1, 1, 6)
        assert [f.id for f in openai_client.vector_stores.files.list(vs.id)] == [kept.id]
        with pytest.raises(openai.NotFoundError):
            openai_client.vector_stores.files.retrieve(gone.id, vector_store_id=vs.id)


# --- async and real HTTP --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_round_trip(async_openai_client):
    f = await async_openai_client.files.create(file=("cat.png", PNG), purpose="vision")
    assert (f.bytes, f.purpose) == (len(PNG), "vision")
    assert (await async_openai_client.files.retrieve(f.id)).filename == "cat.png"
    assert (await async_openai_client.files.content(f.id)).content == PNG
    assert [x.id async for x in async_openai_client.files.list()] == [f.id]
    assert (await async_openai_client.files.delete(f.id)).deleted is True
    with pytest.raises(openai.NotFoundError):
        await async_openai_client.files.retrieve(f.id)


def test_upload_and_download_over_real_http(emulator_server):
    client = OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    with client:
        f = client.files.create(file=("batch.jsonl", JSONL), purpose="batch")
        assert (f.bytes, f.filename, f.status) == (len(JSONL), "batch.jsonl", "processed")
        assert client.files.content(f.id).content == JSONL
        with pytest.raises(openai.BadRequestError) as info:
            client.files.create(file=("tool.exe", b"MZ"), purpose="assistants")
        assert info.value.body["message"].startswith("Invalid extension exe")
        assert [x.id for x in client.files.list()] == [f.id]


def test_real_http_multipart_with_expiry(emulator_server, emulator):
    client = OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    with client:
        f = client.files.create(
            file=("a.txt", b"abc"), purpose="assistants", expires_after={"anchor": "created_at", "seconds": 7200}
        )
        assert f.expires_at == f.created_at + 7200
        emulator.advance(7200)
        assert client.files.list().data == []
