"""/files: multipart upload (parsed by werkzeug), list, retrieve, delete, content."""

from urllib.parse import quote

from flask import Blueprint, Response, request

from ..domain.files import FILES_MAX_LIMIT
from ._http import api, endpoint, list_query

bp = Blueprint("files", __name__)


@endpoint(bp, "/files", ["POST"])
def create_file():
    upload = request.files.get("file")
    form = {k: v for k, v in request.form.items() if k != "filename"}
    return api().files.create(
        filename=(upload.filename or request.form.get("filename") or "upload") if upload else None,
        content=upload.read() if upload else None,
        purpose=form.get("purpose"),
        form=form,
    )


@endpoint(bp, "/files", ["GET"])
def list_files():
    query = list_query(default_limit=FILES_MAX_LIMIT, max_limit=FILES_MAX_LIMIT, allow_before=False)
    return api().files.list(query, purpose=request.args.get("purpose") or None)


@endpoint(bp, "/files/<file_id>", ["GET"])
def get_file(file_id: str):
    return api().files.get(file_id)


@endpoint(bp, "/files/<file_id>", ["DELETE"])
def delete_file(file_id: str):
    return api().files.delete(file_id)


@endpoint(bp, "/files/<file_id>/content", ["GET"])
def file_content(file_id: str):
    file, content, mime = api().files.content(file_id)
    return Response(content, mimetype=mime, headers={"Content-Disposition": content_disposition(file.filename)})


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII-safe `filename` and the exact name as RFC 6266 `filename*`."""
    printable = "".join(c for c in filename if c.isprintable())
    ascii_name = printable.encode("ascii", "replace").decode("ascii").replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(printable, safe='')}"
