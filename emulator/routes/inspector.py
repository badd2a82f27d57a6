"""The state inspector's routes, mounted with the admin API (see emulator/inspector)."""

from __future__ import annotations

from .. import errors
from ..inspector import STATIC, view
from ._http import Call, Reply, Routes, content_type, render
from .files import content_disposition

routes = Routes()
#: The page's files, by name, with their content types; nothing else under static/ is served.
ASSETS = {"index.html": "text/html", "inspector.css": "text/css", "inspector.js": "text/javascript",
          "responses.js": "text/javascript"}  # fmt: skip
#: What the page shows in place (an <img>); SVG is not among them: it may hold scripts.
INLINE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
NO_CACHE = {"Cache-Control": "no-cache"}


def _key(call: Call) -> str | None:
    key = call.args.get("key")
    if not key:
        auth = call.headers.get("authorization", "")
        key = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    return key or None


def _asset(name: str) -> Reply:
    if name not in ASSETS:
        raise errors.APIError(404, f"The inspector has no file {name!r}.")
    return Reply((STATIC / name).read_bytes(), content_type=content_type(ASSETS[name]), headers=dict(NO_CACHE))


@routes.get("/inspector")
def page(call: Call):
    return _asset("index.html")


@routes.get("/inspector/static/<name>")
def asset(call: Call, name: str):
    return _asset(name)


@routes.get("/inspector/state")
def state(call: Call):
    reply = render(view.inspect(call.emulator, _key(call)))
    reply.headers.update(NO_CACHE)
    return reply


@routes.get("/inspector/files/<file_id>/content")
def file_content(call: Call, file_id: str):
    """A file's bytes: a raster image is shown in the page (inline); anything else, or with
    `?download=1`, is saved. Whatever a file holds, it runs nothing on this origin."""
    file, content, mime = view.file_content(call.emulator, file_id, _key(call))
    disposition = content_disposition(file.filename)
    if mime in INLINE and not call.args.get("download"):
        disposition = disposition.replace("attachment", "inline", 1)
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "sandbox; default-src 'none'"}  # fmt: skip
    return Reply(content, content_type=content_type(mime), headers=headers)
