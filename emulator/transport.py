"""In-process transports: the official SDK talks to the emulator with no socket at all.

The SDK's HTTP client is `httpx2` in openai 3.x and `httpx` in 1.x/2.x; both have the
same transport interface, so one implementation is built for whichever module is given:

    transport = sync_transport(app, httpx2)        # or httpx
    client = OpenAI(base_url="http://emulator.local/v1", api_key="test",
                    http_client=httpx2.Client(transport=transport))

Requests go straight to the emulator's dispatcher (`emulator/dispatch.py`), the same one
the dev server's Flask app hands its requests to, so in-process clients get the answers a
client of the dev server gets, without paying for a web framework on every call. `app` is
the emulator's app (`create_app`) or its `Dispatcher`; any other WSGI app is called through WSGI.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

WSGIApp = Callable[..., Iterable[bytes]]


def sdk_http_module() -> ModuleType:
    """The HTTP client module the installed `openai` SDK uses (`httpx2` or `httpx`)."""
    import openai._base_client as base

    for name in ("httpx2", "httpx"):
        module = getattr(base, name, None)
        if isinstance(module, ModuleType):
            return module
    raise RuntimeError("cannot tell which HTTP client the installed openai SDK uses")


def _environ(method: str, url: Any, headers: Any, body: bytes) -> dict[str, Any]:
    raw_path = url.raw_path  # path and query, still percent-encoded
    path, _, query = raw_path.partition(b"?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "SERVER_NAME": url.host or "emulator.local",
        "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "in-process",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = value
    return environ


def _call(app: WSGIApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], Iterable[bytes]]:
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = headers
        return lambda data: None  # the legacy write() callable; Flask never uses it

    result = app(environ, start_response)
    iterator = iter(result)
    first = next(iterator, b"")  # makes a lazy app call start_response
    return started["status"], started["headers"], _Body(first, iterator, result)


class _Body:
    def __init__(self, first: bytes, rest: Iterator[bytes], result: Any) -> None:
        self._first, self._rest, self._result = first, rest, result

    def __iter__(self) -> Iterator[bytes]:
        if self._first:
            yield self._first
        yield from self._rest

    def close(self) -> None:
        close = getattr(self._result, "close", None)
        if close is not None:
            close()


def dispatcher_of(target: Any) -> Any:
    """The emulator's dispatcher behind `target`: `target` itself if it is one, the one of an
    app made by `create_app`, or None (any other WSGI app, called through WSGI)."""
    dispatch = sys.modules.get(f"{__package__}.dispatch")  # loaded if `target` can be a dispatcher
    if dispatch is not None and isinstance(target, dispatch.Dispatcher):
        return target
    extensions = getattr(target, "extensions", None)
    return extensions.get("dispatcher") if isinstance(extensions, dict) else None


def _call_of(call_type: type, request: Any, body: bytes) -> Any:
    """An SDK request as the dispatcher's `Call` (`call_type`): the path percent-decoded (as WSGI servers
    do), the query string as sent, header names in lower case."""
    path, _, query = request.url.raw_path.partition(b"?")
    return call_type(
        method=request.method,
        path=unquote(path.decode("latin-1"), errors="replace"),
        query_string=query.decode("latin-1"),
        headers=_header_dict(request.headers.raw),
        body=body,
    )


def _call_type(dispatcher: Any) -> Any:
    """The dispatcher's `Call`, when there is a dispatcher (importing this module loads no routes)."""
    if dispatcher is None:
        return None
    from .routes._http import Call

    return Call


#: A header line (name, value as bytes) as read: (lower-case name, value), both latin-1. An SDK sends the same
#: lines on every request (its ~18 headers: user agent, key, beta, ...): decoding them again cost twice the lookup.
_DECODED: dict[tuple[bytes, bytes], tuple[str, str]] = {}
#: Lines that change on every request (an idempotency key, say) must not grow it without end.
_DECODED_MAX = 1024


def _header_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header names in lower case, repeated headers joined with ", ", bytes read as latin-1
    (as WSGI servers read them). `Headers.items()` does the same for several times the cost."""
    headers: dict[str, str] = {}
    decoded = _DECODED
    for line in raw:
        got = decoded.get(line)
        if got is None:
            if len(decoded) >= _DECODED_MAX:
                decoded.clear()
            got = decoded[line] = (line[0].decode("latin-1").lower(), line[1].decode("latin-1"))
        name, value = got
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _headers(reply: Any) -> list[tuple[str, str]]:
    """What the dev server would send: the reply's headers, its content type, and a length."""
    headers = [("content-type", reply.content_type), *reply.headers.items()]
    if isinstance(reply.body, bytes):
        headers.append(("content-length", str(len(reply.body))))
    return headers


def _answerer(http: ModuleType) -> Callable[[int, list[tuple[str, str]], bytes, Any], Any]:
    """How the transports make an answer whose body is all there. `Response(content=body)` reads the body
    through httpx's streaming machinery (generators, a decoder, a chunker and context managers: about 100k
    instructions, three quarters of an answer's cost in the transport) only to leave it in the response. The
    very same response is made by setting what that reading leaves behind, when this httpx leaves what is
    set here: checked once per module on a sample answer, else httpx reads the body itself."""

    def read(status: int, headers: list[tuple[str, str]], body: bytes, request: Any) -> Any:
        return http.Response(status, headers=headers, content=body, request=request)

    def loaded(status: int, headers: list[tuple[str, str]], body: bytes, request: Any) -> Any:
        response = http.Response(status, headers=headers, stream=http.ByteStream(body), request=request)
        response._content = body
        response.is_stream_consumed = response.is_closed = True
        return response

    def state(response: Any) -> dict[str, Any]:
        seen = {k: v for k, v in vars(response).items() if k not in ("headers", "stream", "_decoder")}
        return {**seen, "headers": response.headers.raw, "stream": (type(response.stream), list(response.stream))}

    try:
        request = http.Request("GET", "http://emulator.local/v1/models")
        sample = (200, [("content-type", "application/json"), ("content-length", "10")], b'{"a": "\xc3\xa9"}', request)
        same = state(loaded(*sample)) == state(read(*sample))
    except Exception:  # an httpx unlike the ones known: it reads the body itself
        same = False
    return loaded if same else read


def _transports(http: ModuleType) -> tuple[type, type]:
    answer = _answerer(http)

    class SyncStream(http.SyncByteStream):  # type: ignore[name-defined, misc]
        def __init__(self, body: _Body) -> None:
            self._body = body

        def __iter__(self) -> Iterator[bytes]:
            yield from self._body

        def close(self) -> None:
            self._body.close()

    class AsyncStream(http.AsyncByteStream):  # type: ignore[name-defined, misc]
        def __init__(self, body: _Body, waits: bool = False) -> None:
            self._body = body
            self._waits = waits

        async def __aiter__(self):  # type: ignore[no-untyped-def]
            if not self._waits:
                for chunk in self._body:
                    yield chunk
                return
            # an event stream waits for the run's events: wait in a worker thread, not in the loop
            import anyio.to_thread

            chunks = iter(self._body)
            while (chunk := await anyio.to_thread.run_sync(next, chunks, None)) is not None:
                yield chunk

        async def aclose(self) -> None:
            self._body.close()

    class EmulatorTransport(http.BaseTransport):  # type: ignore[name-defined, misc]
        """Sync transport into a WSGI app."""

        def __init__(self, app: WSGIApp) -> None:
            self.app = app
            self.dispatcher = dispatcher_of(app)
            self.call_type = _call_type(self.dispatcher)

        def handle_request(self, request: Any) -> Any:
            body = request.read()
            if self.dispatcher is not None:
                reply = self.dispatcher.handle(_call_of(self.call_type, request, body))
                if isinstance(reply.body, bytes):
                    return answer(reply.status, _headers(reply), reply.body, request)
                chunks = _Body(b"", iter(reply.body), reply.body)
                return http.Response(reply.status, headers=_headers(reply), stream=SyncStream(chunks), request=request)
            status, headers, chunks = _call(self.app, _environ(request.method, request.url, request.headers, body))
            return http.Response(status, headers=headers, stream=SyncStream(chunks), request=request)

    class AsyncEmulatorTransport(http.AsyncBaseTransport):  # type: ignore[name-defined, misc]
        """Async transport into a WSGI app (the emulator never blocks on I/O, so calling it
        directly from the event loop is safe)."""

        def __init__(self, app: WSGIApp) -> None:
            self.app = app
            self.dispatcher = dispatcher_of(app)
            self.call_type = _call_type(self.dispatcher)

        async def handle_async_request(self, request: Any) -> Any:
            body = await request.aread()
            if self.dispatcher is not None:
                reply = self.dispatcher.handle(_call_of(self.call_type, request, body))
                if isinstance(reply.body, bytes):
                    return answer(reply.status, _headers(reply), reply.body, request)
                chunks = _Body(b"", iter(reply.body), reply.body)
                return http.Response(
                    reply.status, headers=_headers(reply), stream=AsyncStream(chunks, True), request=request
                )
            status, headers, chunks = _call(self.app, _environ(request.method, request.url, request.headers, body))
            waits = any(k.lower() == "content-type" and v.startswith("text/event-stream") for k, v in headers)
            return http.Response(status, headers=headers, stream=AsyncStream(chunks, waits), request=request)

    return EmulatorTransport, AsyncEmulatorTransport


_cache: dict[ModuleType, tuple[type, type]] = {}


def _classes(http: ModuleType) -> tuple[type, type]:
    """Keyed by the module object, not its name: a re-imported httpx2 (as pytester's
    in-process runs do) has new base classes, and its clients check them with isinstance."""
    if http not in _cache:
        _cache[http] = _transports(http)
    return _cache[http]


def sync_transport(app: WSGIApp, http: ModuleType | None = None) -> Any:
    return _classes(http or sdk_http_module())[0](app)


def async_transport(app: WSGIApp, http: ModuleType | None = None) -> Any:
    return _classes(http or sdk_http_module())[1](app)
