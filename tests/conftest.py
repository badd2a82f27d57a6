"""Shared helpers. The emulator's own pytest plugin (installed with the package) provides
`emulator`, `openai_client`, `async_openai_client`, `azure_openai_client`,
`async_azure_openai_client`, `emulator_server` and `openai_env`."""

from __future__ import annotations

import importlib
import os
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any, NoReturn

import pytest

from emulator import create_app
from emulator.spec import responses


def pytest_configure(config: pytest.Config) -> None:
    """Every answer the emulator gives during the suite is checked against the official spec
    (emulator/spec/responses.py), in this process and in the servers and pytest runs it starts."""
    if not os.environ.get(responses.ENV):
        os.environ[responses.ENV] = tempfile.mkdtemp(prefix="emulator-response-checks-")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    checker = responses.installed_checker()
    if checker is not None:
        terminalreporter.write_line(f"answers and stream events checked against the official spec: {checker.checked:,}")


@pytest.fixture(autouse=True)
def answers_match_the_spec() -> Iterator[None]:
    """Fails the test during which the emulator gave an answer its spec does not allow."""
    checker = responses.installed_checker()
    assert checker is not None
    checker.take()  # nothing left over from outside any test
    yield
    found = checker.take()
    if found:
        pytest.fail("answers that do not match the official spec:\n  " + "\n  ".join(found[:20]), pytrace=False)


BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def http(emulator: Any) -> Any:
    """A raw HTTP client (Flask's test client) on the same emulator, for wire-level checks.
    It sends `Authorization: Bearer sk-test` unless a request names its own."""
    client = create_app(emulator).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer sk-test"
    return client


def unavailable(reason: str) -> NoReturn:
    """Skip the test (or the module), or fail it when `CI` is set: CI installs the test extras,
    Node, Chromium, curl and jq, so something missing there is a broken set-up, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}\n(CI is set: this must run there, so it fails instead of skipping)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def needed(module: str) -> ModuleType:
    """`module`, imported; without it, `unavailable` (the test extras install it)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        unavailable(f"{module} is not installed ({exc}); pip install -e '.[test]'")


def error_of(response: Any) -> dict[str, Any]:
    """The `error` object of an error answer, checking the envelope's four keys."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"message", "type", "param", "code"}, body
    return body["error"]


class LoopbackHandler(BaseHTTPRequestHandler):
    """A request handler for `local_server`: quiet, with one way to answer."""

    def answer(self, status: int = 200, body: bytes = b"", content_type: str | None = None,
               headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on 127.0.0.1 (a free port) in a thread: its base URL, `http://127.0.0.1:PORT`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class SocketUsed(RuntimeError):
    """Raised by `no_sockets` when something connects a socket."""


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to connect a socket raises `SocketUsed` (and is recorded)."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise SocketUsed(f"a socket was connected: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts
