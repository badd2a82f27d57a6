"""The API over WSGI without a framework: what the dev server runs for each request.

Flask's request and response machinery cost the dev server about a quarter of its CPU per
request (a request context, its URL adapter, werkzeug's Request and Response), for an app
whose every API request goes to the dispatcher anyway. `DirectWSGI` turns the WSGI environ
into the dispatcher's `Call` and its `Reply` into the WSGI answer itself, as werkzeug would:

- the path is werkzeug's `request.path` (UTF-8, leading slashes collapsed to one), the query
  string and header values as the server gave them, header names in lower case;
- the answer's headers are the reply's, then `Content-Type` and, for a body in one piece,
  `Content-Length`; the status line is werkzeug's.

Whatever it would have to imitate further goes to the Flask app it wraps (`fallback`): `/`
(the inspector's redirect for browsers), a body sent chunked or larger than any route takes
(werkzeug's 413), a path under a script name. `tests/test_dispatch.py` checks both ways give
the same answers, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import HTTP_STATUS_CODES

from .activity import RUN_MOVES
from .dispatch import Dispatcher
from .routes._http import Call

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class DirectWSGI:
    """A WSGI app answering API requests through `dispatcher`, others through `fallback`."""

    def __init__(self, dispatcher: Dispatcher, fallback: WSGIApp) -> None:
        self.dispatcher = dispatcher
        self.fallback = fallback

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:  # werkzeug's request.path: PATH_INFO's bytes read as UTF-8, one leading slash
            path = "/" + environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace").lstrip("/")
        except UnicodeEncodeError:  # not a WSGI native string: werkzeug decides what that is
            return self.fallback(environ, start_response)
        length = None if path == "/" else self._length(environ)
        if length is None:
            return self.fallback(environ, start_response)
        method = environ["REQUEST_METHOD"]
        body = environ["wsgi.input"].read(length) if length else b""  # what the server's stream gives
        call = Call(method=method, path=path, query_string=environ.get("QUERY_STRING", ""),
                    headers=_headers(environ), body=body)  # fmt: skip
        reply = self.dispatcher.handle(call)
        environ[RUN_MOVES] = call.run_moves  # for the server's request log
        headers = [*reply.headers.items(), ("Content-Type", reply.content_type)]
        status = f"{reply.status} {HTTP_STATUS_CODES.get(reply.status, 'UNKNOWN').upper()}"  # as werkzeug writes it
        if isinstance(reply.body, bytes):
            start_response(status, [*headers, ("Content-Length", str(len(reply.body)))])
            return [reply.body]
        start_response(status, headers)
        return reply.body  # a stream: the server closes it when the client goes away

    def _length(self, environ: dict[str, Any]) -> int | None:
        """The body's length, or None if this request is the Flask app's to answer."""
        if environ.get("SCRIPT_NAME"):
            return None
        if "HTTP_TRANSFER_ENCODING" in environ or environ.get("wsgi.input_terminated"):
            return None
        raw = environ.get("CONTENT_LENGTH") or "0"
        if not raw.isdigit():
            return None
        length = int(raw)
        return length if length <= self.dispatcher.largest_body() else None


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers as werkzeug's `EnvironHeaders` lists them, names in lower case."""
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                headers[key[5:].replace("_", "-").lower()] = value
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers[key.replace("_", "-").lower()] = value
    return headers
