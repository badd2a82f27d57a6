"""What every route shares: the request as a `Call`, the answer as a `Reply`, route tables.

Routes know no web framework: a view takes the `Call` (method, path, query, headers, body,
and the caller's backend once the gate has let it in) and the URL's parts, and returns an API
object, a dict, or a `Reply`. `emulator/dispatch.py` routes calls to views; the Flask app
(the dev server) and the in-process transport (the pytest fixtures) both hand it their
requests, so both get the very same answers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header
from werkzeug.utils import get_content_type

from .. import errors
from ..jsonbody import rest_body
from ..pagination import ListQuery, parse_query

JSON = "application/json"
#: Bounds of a multipart form besides its files: the bytes of its other fields, and its parts.
MAX_FORM_FIELDS_BYTES = 1024 * 1024
MAX_FORM_PARTS = 100
View = Callable[..., Any]


class QueryArgs(MultiDict):
    """werkzeug's `MultiDict`, whose `get` of an absent key answers the default without raising (and
    catching) a `BadRequestKeyError` first: a list request asks for four parameters it seldom has."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002 (werkzeug's name)
        if key not in self:
            return default
        return super().get(key, default, type)


@dataclass
class Call:
    """One HTTP request, as the routes see it. `headers` has lower-case names."""

    method: str
    path: str
    query_string: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: Set by the dispatcher: the emulator, the caller's services (see `domain.Backend`), shape, tenant.
    emulator: Any = None
    route: Route | None = None
    api: Any = None
    shape: str | None = None
    tenant: str | None = None
    #: Set by the dispatcher on the Foundry shapes: the project named in the path (not checked).
    project: str | None = None
    #: Set by the dispatcher: the prefix rule the route is mounted under (`emulator/project.py`'s mounts),
    #: and on an agent's own endpoint (`/agents/NAME/endpoint/protocols/openai`) the agent's name.
    mount: str = ""
    agent_endpoint: str | None = None
    #: Set by the dispatcher: the runs this request moved (id -> newest status), for the console.
    run_moves: dict[str, str] = field(default_factory=dict)
    _args: MultiDict | None = None
    _json: Any = None

    @property
    def args(self) -> MultiDict:
        """The query string's parameters (repeated ones kept: `include[]=a&include[]=b`)."""
        if self._args is None:
            self._args = QueryArgs(parse_qsl(self.query_string, keep_blank_values=True))
        return self._args

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (`{}` when empty), or the real service's 400."""
        if self._json is None:
            self._json = _parse_json(self.body)
        return self._json

    def list_query(self, **limits: Any) -> ListQuery:
        return parse_query(self.args, **limits)

    def include(self) -> list[str]:
        """The query's `include` values: `include[]` (the SDKs' spelling) or `include`."""
        return self.args.getlist("include[]") + self.args.getlist("include")

    def form(self, *, file_parts: tuple[str, ...] = ()) -> tuple[MultiDict, MultiDict]:
        """A multipart (or urlencoded) body: its fields and its files (werkzeug's parser).
        `file_parts`: parts that are files even without a file name (azure-core sends one so)."""
        mimetype, options = parse_options_header(self.headers.get("content-type", ""))
        if file_parts and mimetype == "multipart/form-data":
            return _multipart(self.body, options.get("boundary", ""), file_parts)
        parser = FormDataParser(max_form_memory_size=MAX_FORM_FIELDS_BYTES, max_form_parts=MAX_FORM_PARTS)
        _, form, files = parser.parse(io.BytesIO(self.body), mimetype, len(self.body), options)
        return form, files


def _multipart(body: bytes, boundary: str, file_parts: tuple[str, ...]) -> tuple[MultiDict, MultiDict]:
    """werkzeug's multipart parsing (its sans-IO decoder, the same bounds), except that the
    parts named in `file_parts` are files whether or not they carry a file name."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.exceptions import RequestEntityTooLarge
    from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

    fields: list[tuple[str, str]] = []
    files: list[tuple[str, FileStorage]] = []
    try:
        decoder = MultipartDecoder(
            boundary.encode("ascii"), max_form_memory_size=MAX_FORM_FIELDS_BYTES, max_parts=MAX_FORM_PARTS
        )
        if not boundary:
            raise ValueError("Missing boundary")
        current: Any = None
        parts: list[bytes] = []
        size = 0
        chunk = 64 * 1024
        for data in [*(body[i : i + chunk] for i in range(0, len(body), chunk)), None]:
            decoder.receive_data(data)
            event = decoder.next_event()
            while not isinstance(event, (Epilogue, NeedData)):
                if isinstance(event, (Field, File)):
                    current, parts, size = event, [], 0
                elif isinstance(event, Data):
                    parts.append(event.data)
                    is_file = isinstance(current, File) or current.name in file_parts
                    size += 0 if is_file else len(event.data)
                    if size > MAX_FORM_FIELDS_BYTES:
                        raise RequestEntityTooLarge()
                    if not event.more_data:
                        content = b"".join(parts)
                        if is_file:
                            name = getattr(current, "filename", None)
                            storage = FileStorage(io.BytesIO(content), name, current.name, headers=current.headers)
                            files.append((current.name, storage))
                        else:
                            fields.append((current.name, content.decode("utf-8", "replace")))
                event = decoder.next_event()
    except (ValueError, UnicodeEncodeError):  # a malformed body reads as an empty form, as werkzeug's does
        return MultiDict(), MultiDict()
    return MultiDict(fields), MultiDict(files)


@dataclass
class Reply:
    """An answer that is not a plain JSON object: a status, headers, bytes or a stream of them."""

    body: bytes | Iterable[bytes]
    status: int = 200
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


def content_type(mimetype: str) -> str:
    """The Content-Type werkzeug would send for `mimetype` (text types get `; charset=utf-8`)."""
    return get_content_type(mimetype, "utf-8")


def _parse_json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        body = _DECODER.decode(raw.decode("utf-8"))  # strict UTF-8
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise errors.invalid_json() from None
    if b"\\u" in raw and not _encodable(body):
        raise errors.invalid_json()
    if raw.count(b"{") + raw.count(b"[") > MAX_JSON_DEPTH and _deeper_than(body, MAX_JSON_DEPTH):
        raise errors.invalid_json()
    if not isinstance(body, dict):
        raise errors.body_not_object()
    return body


#: How deep a request's JSON may nest: pydantic's serializer writes at most 254 levels ("Circular reference detected
#: (depth exceeded)" beyond), and an answer carries a request's values some levels down (a stored agent version's
#: definition, a response's tools), so a deeper body could be taken but never answered (a 500).
MAX_JSON_DEPTH = 200


def _deeper_than(body: Any, limit: int) -> bool:
    """Whether `body` (decoded JSON) nests objects and arrays more than `limit` deep: only containers are
    walked, and the walk stops at the first one past the limit."""
    todo = [(body, 1)] if type(body) is dict or type(body) is list else []
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return True
        for child in value.values() if type(value) is dict else value:
            if type(child) is dict or type(child) is list:
                todo.append((child, depth + 1))
    return False


def _encodable(body: Any) -> bool:
    """JSON may escape lone UTF-16 surrogates (`"\\ud800"`), which no answer could carry back."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_constants(name: str) -> Any:
    """NaN and Infinity are not JSON: refuse them as the real service does."""
    raise ValueError(name)


#: `json.loads(text, parse_constant=...)` would build this decoder (and its scanner) per call.
_DECODER = json.JSONDecoder(parse_constant=_no_constants)


def render(obj: Any, status: int = 200, *, newline: bool = False) -> Reply:
    """An API object, a dict or a `Reply`, as a `Reply`: JSON as the service writes it
    (indented; see emulator/jsonbody.py), with a final newline where the route has one."""
    if isinstance(obj, Reply):
        return obj
    return Reply(rest_body(obj, newline=newline), status)


@dataclass(frozen=True)
class Route:
    rule: str
    method: str
    view: View
    #: The service ends this route's JSON answers with a newline (`/files`, `/models`).
    newline: bool = False


class Routes:
    """A resource's routes: `@routes.get("/assistants/<assistant_id>")` over a view
    `def get_assistant(call, assistant_id)`. `newline`: the service ends their JSON answers
    with a newline (its files and models answers do, recorded; the others do not)."""

    def __init__(self, *, newline: bool = False) -> None:
        self.table: list[Route] = []
        self.newline = newline

    def add(self, rule: str, method: str) -> Callable[[View], View]:
        def register(view: View) -> View:
            self.table.append(Route(rule, method, view, self.newline))
            return view

        return register

    def get(self, rule: str) -> Callable[[View], View]:
        return self.add(rule, "GET")

    def post(self, rule: str) -> Callable[[View], View]:
        return self.add(rule, "POST")

    def delete(self, rule: str) -> Callable[[View], View]:
        return self.add(rule, "DELETE")
