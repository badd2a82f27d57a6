"""The two ways in give the same answers: the in-process transport (which calls the dispatcher
directly) and the Flask app (what the dev server serves). Two emulators with one seed get the
same requests, one through each; every answer must match byte for byte, headers included."""

from __future__ import annotations

from typing import Any

from emulator import Emulator, create_app
from emulator.transport import sdk_http_module, sync_transport

KEY = {"Authorization": "Bearer sk-test"}
BETA = {**KEY, "OpenAI-Beta": "assistants=v2"}
AZURE = {"api-key": "sk-test"}
SCRIPT = {"name": "echo-bot", "turns": [{"do": [{"reply": "You said: {{ user }}"}]}]}


def _requests() -> list[tuple[str, str, dict[str, str], Any]]:
    """(method, path, headers, body): JSON bodies as dicts, raw bodies as bytes, uploads as `files`."""
    csv = b"x,y\n1,2\n"
    return [
        ("POST", "/v1/assistants", BETA, {"model": "echo-bot", "name": "bot"}),
        ("GET", "/v1/assistants?limit=1&order=asc", BETA, None),
        ("GET", "/v1/assistants/asst_nope", BETA, None),
        ("POST", "/v1/assistants", BETA, {"model": "gpt-4o", "tools": [{"type": "browser"}]}),
        ("POST", "/v1/assistants", BETA, b"{not json"),
        ("GET", "/v1/assistants", KEY, None),  # no beta header
        ("GET", "/v1/assistants", {"OpenAI-Beta": "assistants=v2"}, None),  # no key
        ("DELETE", "/v1/models", KEY, None),  # wrong method
        ("GET", "/v1/nothing/here", KEY, None),
        ("GET", "/v1//assistants", BETA, None),
        ("HEAD", "/v1/models", KEY, None),
        ("GET", "/v1/models/ft%3Agpt-4o%3Aacme", KEY, None),
        ("POST", "/v1/threads", BETA, {"messages": [{"role": "user", "content": "héllo"}]}),
        (
            "POST",
            "/v1/files",
            KEY,
            {"files": {"file": ("data.csv", csv, "text/csv")}, "data": {"purpose": "assistants"}},
        ),
        ("GET", "/v1/files", KEY, None),
        ("GET", "/openai/assistants?api-version=2024-05-01-preview", AZURE, None),
        ("GET", "/openai/assistants?api-version=2024-02-01", AZURE, None),
        ("GET", "/openai/assistants?api-version=2099-01-01", AZURE, None),
        ("GET", "/openai/assistants?api-version=2024-05-01-preview", {}, None),
        ("GET", "/_emulator/health", {}, None),
        ("POST", "/_emulator/clock/advance", {}, {"seconds": -1}),
    ]


def _werkzeug_request(headers: dict[str, str], body: Any) -> dict[str, Any]:
    """The keyword arguments of werkzeug's test client (and EnvironBuilder) for one request."""
    import io

    kwargs: dict[str, Any] = {"headers": headers}
    if isinstance(body, dict) and "files" in body:
        (name, (filename, content, mime)) = next(iter(body["files"].items()))
        kwargs["data"] = {**body["data"], name: (io.BytesIO(content), filename, mime)}
    elif isinstance(body, dict):
        kwargs["json"] = body
    elif isinstance(body, bytes):
        kwargs["data"], kwargs["content_type"] = body, "application/json"
    return kwargs


def _through_flask(emulator: Emulator, requests: list) -> list[tuple[int, dict[str, str], bytes]]:
    client = create_app(emulator).test_client()
    answers = []
    for method, path, headers, body in requests:
        response = client.open(path, method=method, **_werkzeug_request(headers, body))
        answers.append((response.status_code, _headers(response.headers.items()), response.get_data()))
    return answers


def _through_transport(emulator: Emulator, requests: list) -> list[tuple[int, dict[str, str], bytes]]:
    http = sdk_http_module()
    client = http.Client(transport=sync_transport(create_app(emulator), http), base_url="http://emulator.local")
    answers = []
    for method, path, headers, body in requests:
        kwargs: dict[str, Any] = {"headers": headers}
        if isinstance(body, dict) and "files" in body:
            kwargs["files"], kwargs["data"] = body["files"], body["data"]
        elif isinstance(body, dict):
            kwargs["json"] = body
        elif isinstance(body, bytes):
            kwargs["content"], kwargs["headers"] = body, {**headers, "Content-Type": "application/json"}
        response = client.request(method, path, **kwargs)
        answers.append((response.status_code, _headers(response.headers.items()), response.content))
    return answers


def _headers(items: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def test_in_process_answers_are_the_dev_servers_answers() -> None:
    requests = _requests()
    by_flask = _through_flask(Emulator(seed=3, models=[SCRIPT]), requests)
    by_transport = _through_transport(Emulator(seed=3, models=[SCRIPT]), requests)
    for request, flask_answer, transport_answer in zip(requests, by_flask, by_transport, strict=True):
        assert transport_answer == flask_answer, request[:2]
    statuses = [status for status, _, _ in by_flask]
    assert statuses == [200, 200, 404, 400, 400, 400, 401, 405, 404, 404, 200, 404] + [200] * 4 + [
        404,
        400,
        401,
        200,
        400,
    ]
    assert by_flask[10][2] == b""  # HEAD: no body


def test_the_direct_wsgi_path_answers_as_flask_does() -> None:
    """The dev server's WSGI app answers API requests without Flask (emulator/wsgi.py): the
    same status lines, headers (in order) and bodies as through Flask's own routes."""
    requests = _requests() + [
        ("GET", "//v1/models", KEY, None),  # werkzeug's path: one leading slash
        ("GET", "/v1/models/caf%C3%A9", KEY, None),  # UTF-8 in the path
        ("GET", "/v1/models/%FF", KEY, None),  # not UTF-8
        ("GET", "/", {"Accept": "text/html"}, None),  # the inspector's redirect (Flask's own)
        ("GET", "/", KEY, None),
        ("GET", "//", {"Accept": "text/html"}, None),  # werkzeug's path for this is `/` too
    ]
    stream = {"assistant_id": "asst_x", "thread": {"messages": [{"role": "user", "content": "hi"}]}, "stream": True}
    answers = []
    for flask_only in (False, True):
        emulator = Emulator(seed=3, models=[SCRIPT])
        assistant = emulator.backend().assistants.create({"model": "echo-bot"})
        streamed = ("POST", "/v1/threads/runs", BETA, {**stream, "assistant_id": assistant.id})
        answers.append(_raw(emulator, [*requests, streamed], flask_only=flask_only))
    for request, ours, theirs in zip(requests, *answers, strict=False):
        assert ours == theirs, request[:2]
    assert answers[0][-1] == answers[1][-1] and answers[0][-1][2].endswith(b"data: [DONE]\n\n")


def _raw(emulator: Emulator, requests: list, *, flask_only: bool) -> list[tuple[str, list[tuple[str, str]], bytes]]:
    """Status lines, header lists (order kept) and bodies, straight from the WSGI app (or, with
    `flask_only`, from Flask's own routes, which the direct path leaves aside)."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    app = create_app(emulator)
    wsgi_app = app.wsgi_app.fallback if flask_only else app.wsgi_app
    answers = []
    for method, path, headers, body in requests:
        path, _, query = path.partition("?")
        builder = EnvironBuilder(path=path, query_string=query, method=method, **_werkzeug_request(headers, body))
        environ = builder.get_environ()
        chunks, status, response_headers = run_wsgi_app(wsgi_app, environ)
        answers.append((status, list(response_headers.items()), b"".join(chunks)))
    return answers


def test_a_streamed_run_is_the_same_both_ways() -> None:
    body = {"assistant_id": None, "thread": {"messages": [{"role": "user", "content": "hi"}]}, "stream": True}

    def run(answers_of: Any) -> tuple[int, dict[str, str], bytes]:
        emulator = Emulator(seed=9, models=[SCRIPT])
        assistant = emulator.backend().assistants.create({"model": "echo-bot"})
        return answers_of(emulator, [("POST", "/v1/threads/runs", BETA, {**body, "assistant_id": assistant.id})])[0]

    by_flask, by_transport = run(_through_flask), run(_through_transport)
    assert by_transport == by_flask
    status, headers, content = by_flask
    assert status == 200 and headers["content-type"] == "text/event-stream; charset=utf-8"
    assert content.startswith(b"event: thread.created\n") and content.endswith(b"event: done\ndata: [DONE]\n\n")


def test_the_transports_still_serve_any_wsgi_app() -> None:
    """An app without the emulator's dispatcher (a plain WSGI callable) is called through WSGI."""
    import asyncio

    from emulator.transport import async_transport

    def app(environ, start_response):
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [environ["REQUEST_METHOD"].encode(), b" ", environ["PATH_INFO"].encode()]

    http = sdk_http_module()
    with http.Client(transport=sync_transport(app, http), base_url="http://x") as client:
        answer = client.post("/a%20b")
    assert (answer.status_code, answer.text) == (201, "POST /a b")

    async def call() -> Any:
        async with http.AsyncClient(transport=async_transport(app, http), base_url="http://x") as client:
            return await client.get("/c")

    answer = asyncio.run(call())
    assert (answer.status_code, answer.text) == (201, "GET /c")


def test_in_process_headers_read_as_a_wsgi_server_reads_them() -> None:
    """Names in lower case, a repeated header joined with ", ", bytes as latin-1."""
    from emulator.transport import _header_dict

    raw = [(b"Authorization", b"Bearer k"), (b"X-Tag", b"a"), (b"x-tag", b"b"), (b"X-Name", "é".encode())]
    assert _header_dict(raw) == {"authorization": "Bearer k", "x-tag": "a, b", "x-name": "Ã©"}
    assert _header_dict(raw) == {"authorization": "Bearer k", "x-tag": "a, b", "x-name": "Ã©"}  # decoded once, kept
    # lines that change on every request (an idempotency key) do not grow the decoded lines without end
    from emulator import transport

    for n in range(3 * transport._DECODED_MAX):
        assert _header_dict([(b"Idempotency-Key", str(n).encode())]) == {"idempotency-key": str(n)}
    assert len(transport._DECODED) <= transport._DECODED_MAX


def test_in_process_answers_are_the_responses_httpx_makes_of_a_body() -> None:
    """The transport sets what reading a body leaves in a response instead of reading it through httpx's stream
    machinery; the response is the one `Response(content=body)` makes, for each installed httpx (and httpx itself
    reads the body where this check would fail)."""
    import importlib
    import importlib.util

    from emulator.transport import _answerer

    for name in ("httpx2", "httpx"):
        if importlib.util.find_spec(name) is None:
            continue
        http = importlib.import_module(name)
        answer = _answerer(http)
        assert answer.__name__ == "loaded", f"{name}: the transport reads every body through httpx again"
        request = http.Request("GET", "http://emulator.local/v1/threads/t")
        body = '{"id": "t", "text": "caf\\u00e9 \u2014 ok"}'.encode()
        headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
        mine, theirs = (
            answer(200, headers, body, request),
            http.Response(200, headers=headers, content=body, request=request),
        )
        for response in (mine, theirs):
            assert (response.is_closed, response.is_stream_consumed) == (True, True)
        assert (mine.read(), mine.text, mine.json(), list(mine.iter_bytes()), mine.headers.raw) == (
            theirs.read(), theirs.text, theirs.json(), list(theirs.iter_bytes()), theirs.headers.raw,
        )  # fmt: skip
