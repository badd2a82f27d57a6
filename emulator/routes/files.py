"""/files: multipart upload (parsed by werkzeug), list, retrieve, delete, content."""

from urllib.parse import quote

from .. import wire
from ..domain.files import FILES_MAX_LIMIT
from ._http import Call, Reply, Routes, content_type

#: What api.openai.com serves every file's content as, a PNG or a JSONL alike (ruby-openai files_content.yml,
#: 2023-11-14; files_fetch_image.yml, 2025-02-14). No Azure or Foundry download is recorded: they keep the file's type.
OPENAI_CONTENT_TYPE = "application/octet-stream"

routes = Routes(newline=True)  # recorded: files_*.yml, models_retrieve.yml (ruby-openai)


@routes.post("/files")
def create_file(call: Call):
    fields, files = call.form(file_parts=("file",) if call.shape == "foundry" else ())
    upload = files.get("file")
    form = {k: v for k, v in fields.items() if k != "filename"}
    if call.shape == "foundry":  # the SDK's `filename` field names the file; its part may have no name
        present = upload is not None
        filename = fields.get("filename") or (upload.filename if present else None)
    else:
        present = bool(upload)  # a part with an empty file name is no file
        filename = upload.filename or fields.get("filename") if present else None
    return call.api.files.create(
        filename=(filename or "upload") if present else None,
        content=upload.read() if present else None,
        purpose=form.get("purpose"),
        form=form,
    )


@routes.get("/files")
def list_files(call: Call):
    query = call.list_query(default_limit=FILES_MAX_LIMIT, max_limit=FILES_MAX_LIMIT, allow_before=False)
    return call.api.files.list(query, purpose=call.args.get("purpose") or None)


@routes.get("/files/<file_id>")
def get_file(call: Call, file_id: str):
    return call.api.files.get(file_id)


@routes.delete("/files/<file_id>")
def delete_file(call: Call, file_id: str):
    return call.api.files.delete(file_id)


@routes.get("/files/<file_id>/content")
def file_content(call: Call, file_id: str):
    file, content, mime = call.api.files.content(file_id)
    if wire.shape() == "openai":
        mime = OPENAI_CONTENT_TYPE
    return Reply(
        content, content_type=content_type(mime), headers={"Content-Disposition": content_disposition(file.filename)}
    )


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII-safe `filename` and the exact name as RFC 6266 `filename*`."""
    printable = "".join(c for c in filename if c.isprintable())
    ascii_name = printable.encode("ascii", "replace").decode("ascii").replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(printable, safe='')}"
