"""`azure-ai-agents` clients bound to the emulator: in-process (an azure-core transport that
calls the dispatcher, no socket) or over HTTP (the dev server).

    from emulator import Emulator, create_app
    from emulator.foundry_clients import in_process_agents_client, http_agents_client

    client = in_process_agents_client(create_app(Emulator()))               # AgentsClient
    aclient = in_process_agents_client(app, asynchronous=True)              # aio.AgentsClient
    client = http_agents_client("http://127.0.0.1:8000/api/projects/p")     # against `serve`

azure-core refuses bearer tokens over plain http; `http_agents_client` is the construction
docs/foundry.md shows: a credential that hands out a fixed token, a per-call policy that sets
`enforce_https` to False in the request context, and `retry_total=0` so a fault is seen at
once. In-process clients use an `https://` endpoint (nothing connects to it), so they need no
such policy. `azure-ai-agents` is imported only here, only when a client is made.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

from .transport import dispatcher_of

#: The project endpoint in-process clients use; nothing resolves or connects to it.
IN_PROCESS_ENDPOINT = "https://emulator.local/api/projects/emulator-project"
DEFAULT_TOKEN = "emulator-entra-token"


class StaticTokenCredential:
    """A `TokenCredential` that hands out one fixed token (the emulator's key, if it has keys)."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self.token, int(time.time()) + 3600)

    def close(self) -> None:
        pass

    def __enter__(self) -> StaticTokenCredential:  # as `with DefaultAzureCredential() as credential:`
        return self

    def __exit__(self, *args: Any) -> None:
        pass


class AsyncStaticTokenCredential(StaticTokenCredential):
    """The same, as an `AsyncTokenCredential`."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> Any:  # type: ignore[override]
        return StaticTokenCredential.get_token(self, *scopes, **kwargs)

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> AsyncStaticTokenCredential:
        return self

    async def __aexit__(self, *args: Any) -> None:
        pass


def allow_http_policy() -> Any:
    """A per-call policy that lets the bearer token policy send a token over plain http."""
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    class AllowHttp(SansIOHTTPPolicy):
        def on_request(self, request: Any) -> None:
            request.context.options["enforce_https"] = False

    return AllowHttp()


def http_agents_client(endpoint: str, token: str = DEFAULT_TOKEN, *, asynchronous: bool = False, **options: Any) -> Any:
    """An `AgentsClient` (or `aio.AgentsClient`) for a project endpoint served over http."""
    options.setdefault("retry_total", 0)
    policies = [allow_http_policy(), *options.pop("per_call_policies", [])]
    if asynchronous:
        from azure.ai.agents.aio import AgentsClient as AsyncAgentsClient

        return AsyncAgentsClient(endpoint, AsyncStaticTokenCredential(token), per_call_policies=policies, **options)
    from azure.ai.agents import AgentsClient

    return AgentsClient(endpoint, StaticTokenCredential(token), per_call_policies=policies, **options)


def in_process_agents_client(
    app: Any, *, asynchronous: bool = False, token: str = DEFAULT_TOKEN, endpoint: str = IN_PROCESS_ENDPOINT,
    **options: Any,
) -> Any:  # fmt: skip
    """An `AgentsClient` (or `aio.AgentsClient`) whose requests go straight to `app`'s dispatcher
    (`app`: the emulator's app, or its `Dispatcher`)."""
    options.setdefault("retry_total", 0)
    if asynchronous:
        from azure.ai.agents.aio import AgentsClient as AsyncAgentsClient

        credential = AsyncStaticTokenCredential(token)
        return AsyncAgentsClient(endpoint, credential, transport=AsyncEmulatorHttpTransport(app), **options)
    from azure.ai.agents import AgentsClient

    return AgentsClient(endpoint, StaticTokenCredential(token), transport=EmulatorHttpTransport(app), **options)


# --- the transports -------------------------------------------------------------------------


def _dispatcher(app: Any) -> Any:
    dispatcher = dispatcher_of(app)
    if dispatcher is None:
        raise TypeError("an in-process agents client needs the emulator's app (emulator.create_app) or its Dispatcher")
    return dispatcher


def _call_of(request: Any) -> Any:
    """An azure-core request as the dispatcher's `Call`: its body encoded as `requests` would
    send it (JSON as is, uploads as multipart)."""
    from urllib.parse import unquote, urlsplit

    import requests

    from .routes._http import Call

    prepared = requests.PreparedRequest()
    prepared.prepare(
        method=request.method, url=request.url, headers=dict(request.headers), data=request.data, files=request.files
    )
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    url = urlsplit(request.url)
    return Call(
        method=request.method,
        path=unquote(url.path, errors="replace"),
        query_string=url.query,
        headers={name.lower(): value for name, value in prepared.headers.items()},
        body=body,
    )


def _answer(reply: Any) -> tuple[str, dict[str, str]]:
    from azure.core.utils import case_insensitive_dict

    headers = {"content-type": reply.content_type, **reply.headers}
    if isinstance(reply.body, bytes):
        headers["content-length"] = str(len(reply.body))
    try:
        reason = HTTPStatus(reply.status).phrase
    except ValueError:
        reason = ""
    return reason, case_insensitive_dict(headers)


class _Body:
    """The reply's body, as what a response closes."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def chunks(self) -> Iterator[bytes]:
        if isinstance(self.body, bytes):
            if self.body:
                yield self.body
            return
        yield from self.body

    def close(self) -> None:
        close = getattr(self.body, "close", None)
        if close is not None:
            close()


class _AsyncBody(_Body):
    async def close(self) -> None:  # type: ignore[override]
        _Body.close(self)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        """The chunks; an event stream's are awaited in a worker thread (the run is driven by
        another), so the event loop never waits on them."""
        parts = self.chunks()
        if isinstance(self.body, bytes):
            for part in parts:
                yield part
            return
        while (part := await asyncio.to_thread(next, parts, None)) is not None:
            yield part


def _handle(dispatcher: Any, request: Any, body_type: type[_Body]) -> tuple[Any, dict[str, Any]]:
    """The dispatcher's answer to an azure-core request: its body, and the keyword arguments
    of the response (sync or async) but its stream generator."""
    from azure.core.pipeline._tools import is_rest

    if not is_rest(request):
        raise TypeError("the emulator's transport takes azure.core.rest.HttpRequest requests")
    reply = dispatcher.handle(_call_of(request))
    reason, headers = _answer(reply)
    body = body_type(reply.body)
    return body, {"request": request, "internal_response": body, "status_code": reply.status, "reason": reason,
                  "content_type": reply.content_type, "headers": headers}  # fmt: skip


def _sync_classes() -> tuple[type, type]:
    from azure.core.pipeline.transport import HttpTransport
    from azure.core.rest._http_response_impl import HttpResponseImpl

    class EmulatorHttpTransport(HttpTransport):
        """An azure-core transport into the emulator's dispatcher (no socket)."""

        def __init__(self, app: Any) -> None:
            self.dispatcher = _dispatcher(app)

        def __enter__(self) -> EmulatorHttpTransport:
            return self

        def __exit__(self, *args: Any) -> None:
            pass

        def open(self) -> None:
            pass

        def close(self) -> None:
            pass

        def send(self, request: Any, *, stream: bool = False, **kwargs: Any) -> Any:
            body, fields = _handle(self.dispatcher, request, _Body)
            response = HttpResponseImpl(**fields, stream_download_generator=lambda *args, **kw: body.chunks())
            if not stream:
                response.read()
            return response

    return EmulatorHttpTransport, HttpResponseImpl


def _async_classes() -> type:
    from azure.core.pipeline.transport import AsyncHttpTransport
    from azure.core.rest._http_response_impl_async import AsyncHttpResponseImpl

    class AsyncEmulatorHttpTransport(AsyncHttpTransport):
        """The async transport (an event stream's chunks: see `_AsyncBody.stream`)."""

        def __init__(self, app: Any) -> None:
            self.dispatcher = _dispatcher(app)

        async def __aenter__(self) -> AsyncEmulatorHttpTransport:
            return self

        async def __aexit__(self, *args: Any) -> None:
            pass

        async def open(self) -> None:
            pass

        async def close(self) -> None:
            pass

        async def send(self, request: Any, *, stream: bool = False, **kwargs: Any) -> Any:
            body, fields = _handle(self.dispatcher, request, _AsyncBody)
            response = AsyncHttpResponseImpl(**fields, stream_download_generator=body.stream)
            if not stream:
                await response.read()
            return response

    return AsyncEmulatorHttpTransport


def EmulatorHttpTransport(app: Any) -> Any:  # noqa: N802 - a class, built on first use
    """The sync in-process transport for `app` (an azure-core `HttpTransport`)."""
    return _classes()["sync"](app)


def AsyncEmulatorHttpTransport(app: Any) -> Any:  # noqa: N802
    """The async in-process transport for `app` (an azure-core `AsyncHttpTransport`)."""
    return _classes()["async"](app)


_cache: dict[str, type] = {}


def _classes() -> dict[str, type]:
    if not _cache:
        _cache["sync"] = _sync_classes()[0]
        _cache["async"] = _async_classes()
    return _cache
