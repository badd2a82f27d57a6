"""The Containers API through the official SDK (`client.containers`, `.files`, `.files.content`):
containers and their files, pagination, expiry on the virtual clock, errors; the domain's code
cells in a container's session (what the Responses API's code_interpreter will use)."""

from __future__ import annotations

import openai
import pytest
from test_persistence import client_of

from emulator import Emulator, errors
from emulator.domain.containers import DEFAULT_MINUTES, EXPIRED_MESSAGE

CSV = b"city,temp\nLima,18\nCusco,12\n"


def _upload(client, name: str = "notes.txt", data: bytes = b"hello") -> openai.types.FileObject:
    return client.files.create(file=(name, data), purpose="assistants")


def test_create_retrieve_list_delete(openai_client, http):
    container = openai_client.containers.create(name="My Container")
    assert container.id.startswith("cntr_") and len(container.id) == len("cntr_") + 48
    assert (container.object, container.status, container.name, container.memory_limit) == (
        "container", "running", "My Container", "1g")  # fmt: skip
    assert container.expires_after.anchor == "last_active_at" and container.expires_after.minutes == DEFAULT_MINUTES
    assert container.last_active_at == container.created_at
    # the spec's example's key order
    assert list(http.get(f"/v1/containers/{container.id}").get_json()) == [
        "id", "object", "created_at", "status", "expires_after", "last_active_at", "memory_limit", "name"]  # fmt: skip
    assert openai_client.containers.retrieve(container.id).id == container.id
    assert [c.id for c in openai_client.containers.list()] == [container.id]
    (dumped,) = http.get("/_emulator/state").get_json()["namespaces"]["__shared__"]["containers"]
    assert dumped["id"] == container.id and dumped["status"] == "running"
    gone = http.delete(f"/v1/containers/{container.id}")
    assert gone.get_json() == {"id": container.id, "object": "container.deleted", "deleted": True}
    with pytest.raises(openai.NotFoundError, match=f"Container with id '{container.id}' not found."):
        openai_client.containers.retrieve(container.id)


def test_options_are_echoed(openai_client):
    container = openai_client.containers.create(
        name="big", memory_limit="4g", expires_after={"anchor": "last_active_at", "minutes": 5},
        network_policy={"type": "allowlist", "allowed_domains": ["example.com"]},
    )  # fmt: skip
    assert container.memory_limit == "4g" and container.expires_after.minutes == 5
    assert container.network_policy.type == "allowlist" and container.network_policy.allowed_domains == ["example.com"]
    openai_client.containers.delete(container.id)
    assert openai_client.containers.list().data == []


def test_list_pagination_order_and_name(openai_client, http):
    ids = [openai_client.containers.create(name=n).id for n in ("a", "b", "c", "b")]
    assert [c.id for c in openai_client.containers.list()] == ids[::-1]  # newest first
    first = openai_client.containers.list(order="asc", limit=2)
    assert [c.id for c in first.data] == ids[:2] and first.has_more
    assert [c.id for c in openai_client.containers.list(order="asc").data] == ids
    assert [c.id for c in openai_client.containers.list(order="asc", limit=1)] == ids  # the SDK pages with `after`
    assert [c.id for c in openai_client.containers.list(name="b", order="asc")] == [ids[1], ids[3]]
    empty = http.get("/v1/containers?name=none").get_json()
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    assert http.get("/v1/containers?limit=101").status_code == 400


def test_files_upload_copy_list_retrieve_content_delete(openai_client, http):
    source = _upload(openai_client, "data.csv", CSV)
    container = openai_client.containers.create(name="files", file_ids=[source.id])
    (copied,) = openai_client.containers.files.list(container.id).data
    assert copied.id.startswith("cfile_") and len(copied.id) == len("cfile_") + 32
    assert (copied.object, copied.path, copied.source, copied.bytes, copied.container_id) == (
        "container.file", "/mnt/data/data.csv", "user", len(CSV), container.id)  # fmt: skip
    uploaded = openai_client.containers.files.create(container.id, file=("report.md", b"# Report\n"))
    assert uploaded.path == "/mnt/data/report.md" and uploaded.bytes == 9 and uploaded.source == "user"
    by_id = openai_client.containers.files.create(container.id, file_id=_upload(openai_client).id)
    assert by_id.path == "/mnt/data/notes.txt" and by_id.bytes == 5
    assert list(http.get(f"/v1/containers/{container.id}/files/{by_id.id}").get_json()) == [
        "id", "object", "created_at", "bytes", "container_id", "path", "source"]  # fmt: skip
    listed = openai_client.containers.files.list(container.id, order="asc")
    assert [f.id for f in listed] == [copied.id, uploaded.id, by_id.id]
    got = openai_client.containers.files.retrieve(uploaded.id, container_id=container.id)
    assert got.to_dict() == uploaded.to_dict()
    content = openai_client.containers.files.content.retrieve(copied.id, container_id=container.id)
    assert content.read() == CSV
    raw = http.get(f"/v1/containers/{container.id}/files/{copied.id}/content")
    assert (
        raw.headers["Content-Type"] == "application/octet-stream" and "data.csv" in raw.headers["Content-Disposition"]
    )
    # one file per path: the same name again replaces it
    again = openai_client.containers.files.create(container.id, file=("report.md", b"v2"))
    assert [f.path for f in openai_client.containers.files.list(container.id, order="asc")] == [
        "/mnt/data/data.csv", "/mnt/data/notes.txt", "/mnt/data/report.md"]  # fmt: skip
    with pytest.raises(openai.NotFoundError):
        openai_client.containers.files.retrieve(uploaded.id, container_id=container.id)
    deleted = http.delete(f"/v1/containers/{container.id}/files/{again.id}")
    assert deleted.get_json() == {"id": again.id, "object": "container.file.deleted", "deleted": True}
    openai_client.containers.files.delete(by_id.id, container_id=container.id)
    assert [f.id for f in openai_client.containers.files.list(container.id)] == [copied.id]
    # the source file is copied: deleting it leaves the container's copy
    openai_client.files.delete(source.id)
    assert openai_client.containers.files.content.retrieve(copied.id, container_id=container.id).read() == CSV


def test_expiry_on_the_virtual_clock(openai_client, http):
    container = openai_client.containers.create(name="short", expires_after={"anchor": "last_active_at", "minutes": 2})
    file = openai_client.containers.files.create(container.id, file=("a.txt", b"a"))
    http.post("/_emulator/clock/advance", json={"seconds": 90})
    touched = openai_client.containers.retrieve(container.id)  # activity: the idle time starts again
    assert touched.status == "running" and touched.last_active_at == container.last_active_at + 90
    http.post("/_emulator/clock/advance", json={"seconds": 90})
    assert openai_client.containers.files.retrieve(file.id, container_id=container.id).id == file.id
    http.post("/_emulator/clock/advance", json={"seconds": 120})
    expired = openai_client.containers.retrieve(container.id)
    assert expired.status == "expired" and expired.last_active_at == touched.last_active_at + 90
    assert [c.status for c in openai_client.containers.list()] == ["expired"]
    for use in (lambda: openai_client.containers.files.list(container.id),
                lambda: openai_client.containers.files.content.retrieve(file.id, container_id=container.id),
                lambda: openai_client.containers.files.create(container.id, file=("b.txt", b"b"))):  # fmt: skip
        with pytest.raises(openai.BadRequestError, match=EXPIRED_MESSAGE) as caught:
            use()
        assert caught.value.body["type"] == "invalid_request_error"
    openai_client.containers.delete(container.id)  # an expired container can still be deleted
    assert openai_client.containers.list().data == []


def test_a_listing_does_not_keep_a_container_alive(openai_client, http):
    container = openai_client.containers.create(name="idle", expires_after={"anchor": "last_active_at", "minutes": 1})
    for _ in range(3):
        http.post("/_emulator/clock/advance", json={"seconds": 30})
        openai_client.containers.list()
    assert openai_client.containers.retrieve(container.id).status == "expired"


def test_errors(openai_client, http):
    refusals = {
        "name": {"memory_limit": "1g"},
        "memory_limit": {"name": "x", "memory_limit": "2g"},
        "expires_after.anchor": {"name": "x", "expires_after": {"anchor": "created_at", "minutes": 5}},
        "expires_after.minutes": {"name": "x", "expires_after": {"anchor": "last_active_at", "minutes": 0}},
    }
    for param, body in refusals.items():
        answer = http.post("/v1/containers", json=body)
        assert answer.status_code == 400 and answer.get_json()["error"]["param"] == param, (param, answer.get_json())
    with pytest.raises(openai.BadRequestError, match="Unknown parameter: .colour."):
        openai_client.containers.create(name="x", extra_body={"colour": "red"})
    with pytest.raises(openai.NotFoundError, match="No such File object: file-nope"):
        openai_client.containers.create(name="x", file_ids=["file-nope"])
    assert openai_client.containers.list().data == []  # nothing half made
    container = openai_client.containers.create(name="x")
    with pytest.raises(openai.NotFoundError, match="No such File object"):
        openai_client.containers.files.create(container.id, file_id="file-nope")
    with pytest.raises(openai.BadRequestError, match="Missing required parameter: 'file'"):
        openai_client.containers.files.create(container.id)
    with pytest.raises(openai.NotFoundError, match="not found in container"):
        openai_client.containers.files.retrieve("cfile_nope", container_id=container.id)
    with pytest.raises(openai.NotFoundError, match="Container with id 'cntr_nope' not found."):
        openai_client.containers.files.list("cntr_nope")
    bad_json = http.post(f"/v1/containers/{container.id}/files", json={"file": "text"})
    assert bad_json.status_code == 400 and bad_json.get_json()["error"]["param"] == "file"
    form = http.post(f"/v1/containers/{container.id}/files", data={"colour": "red"}, content_type="multipart/form-data")
    assert form.status_code == 400 and "colour" in form.get_json()["error"]["message"]
    # served on the v1 APIs only: not on Azure's dated paths, nor on a classic Foundry project
    key = {"api-key": "sk-test"}
    assert http.get("/openai/containers?api-version=2025-04-01-preview", headers=key).status_code == 404
    assert http.get("/openai/v1/containers", headers=key).status_code == 200
    assert http.get("/api/projects/p/containers?api-version=v1").status_code == 404


def test_over_the_dev_server_openai_and_azure_v1(emulator_server):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    container = client.containers.create(name="wire")
    uploaded = client.containers.files.create(container.id, file=("plot.png", b"\x89PNG\r\n\x1a\n" + bytes(100)))
    assert client.containers.files.content.retrieve(uploaded.id, container_id=container.id).read()[:4] == b"\x89PNG"
    azure = openai.OpenAI(base_url=f"{emulator_server.url}/openai/v1", api_key=emulator_server.api_key)
    assert azure.containers.retrieve(container.id).name == "wire"
    answer = azure.containers.files.content.with_raw_response.retrieve(uploaded.id, container_id=container.id)
    assert answer.headers["content-type"] == "image/png"  # Azure keeps the file's type (as for /files)
    azure.containers.delete(container.id)
    assert client.containers.list().data == []


@pytest.mark.anyio
async def test_async_client(async_openai_client):
    container = await async_openai_client.containers.create(name="async")
    file = await async_openai_client.containers.files.create(container.id, file=("a.txt", b"abc"))
    content = await async_openai_client.containers.files.content.retrieve(file.id, container_id=container.id)
    assert content.read() == b"abc"
    assert [c.id async for c in async_openai_client.containers.list()] == [container.id]


def test_survives_a_restart(tmp_path):
    first = Emulator(data_dir=str(tmp_path), seed=3)
    client = client_of(first)
    container = client.containers.create(name="kept", file_ids=[_upload(client, "data.csv", CSV).id])
    (file,) = client.containers.files.list(container.id).data
    first.close()
    again = Emulator(data_dir=str(tmp_path), seed=3)
    client = client_of(again)
    assert client.containers.retrieve(container.id).name == "kept"
    assert client.containers.files.content.retrieve(file.id, container_id=container.id).read() == CSV
    again.close()


# --- the domain's code cells (what code_interpreter on the Responses API uses) -------------------


def test_code_runs_in_the_container_with_its_files(emulator, openai_client, http):
    api = emulator.backend()
    container = api.containers.create_auto(file_ids=[_upload(openai_client, "data.csv", CSV).id])
    assert container.name and container.status == "running"
    first = api.containers.run_code(container.id, "import pandas as pd\n"
                                    "df = pd.read_csv('/mnt/data/data.csv')\n"
                                    "df.to_csv('/mnt/data/out.csv', index=False)\n"
                                    "print(df.temp.sum())")  # fmt: skip
    assert first.error is None and first.logs.strip() == "30"
    (out,) = first.files
    assert (out.path, out.source) == ("/mnt/data/out.csv", "assistant")
    downloaded = openai_client.containers.files.content.retrieve(out.id, container_id=container.id).read()
    assert downloaded.decode().splitlines() == CSV.decode().splitlines()
    # the session keeps its variables; a figure becomes a PNG container file
    second = api.containers.run_code(container.id, "import matplotlib.pyplot as plt\n"
                                     "plt.plot(df.temp)\nprint(len(df))")  # fmt: skip
    assert second.logs.strip() == "2" and second.files == []
    (image,) = second.images
    assert image.path == f"/mnt/data/{image.id}.png" and image.source == "assistant"
    png = openai_client.containers.files.content.retrieve(image.id, container_id=container.id).read()
    assert png.startswith(b"\x89PNG")
    # a file deleted through the API is gone from the session too; an upload is there at once
    openai_client.containers.files.delete(out.id, container_id=container.id)
    openai_client.containers.files.create(container.id, file=("extra.txt", b"more"))
    third = api.containers.run_code(container.id, "def there(name):\n"
                                    "    try:\n        return open('/mnt/data/' + name).read()\n"
                                    "    except FileNotFoundError:\n        return None\n"
                                    "print([there(n) is not None for n in ('data.csv', 'out.csv', 'extra.txt')])")  # fmt: skip
    assert third.logs.strip() == "[True, False, True]"
    failed = api.containers.run_code(container.id, "1/0")
    assert failed.error == "ZeroDivisionError"
    # expiry drops the session and the files; running code is then the service's 400
    http.post("/_emulator/clock/advance", json={"seconds": DEFAULT_MINUTES * 60})
    with pytest.raises(Exception, match=EXPIRED_MESSAGE):
        api.containers.run_code(container.id, "print(1)")
    assert not emulator.sessions.has_session(container.id)


def test_code_that_overwrites_a_file_replaces_it(emulator, openai_client):
    api = emulator.backend()
    container = openai_client.containers.create(name="edit")
    original = openai_client.containers.files.create(container.id, file=("data.csv", CSV))
    run = api.containers.run_code(container.id, "open('/mnt/data/data.csv', 'a').write('Quito,14\\n')")
    (changed,) = run.files
    assert changed.path == "/mnt/data/data.csv" and changed.source == "assistant" and changed.id != original.id
    assert [f.id for f in openai_client.containers.files.list(container.id)] == [changed.id]
    content = openai_client.containers.files.content.retrieve(changed.id, container_id=container.id).read()
    assert content == CSV + b"Quito,14\n"


def test_what_the_responses_engine_uses(emulator, openai_client):
    api = emulator.backend()
    with pytest.raises(errors.APIError) as missing:
        api.containers.create_auto(file_ids=["file-nope"])
    assert (missing.value.status, missing.value.param) == (404, "file_ids")
    with pytest.raises(errors.APIError) as unknown:
        api.containers.require_running("cntr_nope", param="tools[0].container")
    assert (unknown.value.status, unknown.value.param) == (404, "tools[0].container")
    container = api.containers.create_auto(file_ids=[_upload(openai_client, "data.csv", CSV).id], memory_limit="4g")
    assert container.memory_limit == "4g" and [f.path for f in api.containers.files_of(container.id)] == [
        "/mnt/data/data.csv"]  # fmt: skip
    (kept,) = api.containers.files_of(container.id)
    assert kept.id in api.ns.file_contents
    emulator.clock.advance(DEFAULT_MINUTES * 60 - 1)
    assert api.containers.require_running(container.id).last_active_at == emulator.clock.now()
    emulator.clock.advance(DEFAULT_MINUTES * 60)
    with pytest.raises(errors.APIError, match=EXPIRED_MESSAGE) as expired:
        api.containers.require_running(container.id, param="tools[0].container")
    assert (expired.value.status, expired.value.param) == (400, "tools[0].container")
    assert api.containers.files_of(container.id) == [] and kept.id not in api.ns.file_contents
