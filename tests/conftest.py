"""Shared helpers. The emulator's own pytest plugin (installed with the package) provides
`emulator`, `openai_client`, `async_openai_client`, `azure_openai_client`,
`async_azure_openai_client`, `emulator_server` and `openai_env`."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from emulator import create_app

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


def error_of(response: Any) -> dict[str, Any]:
    """The `error` object of an error answer, checking the envelope's four keys."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"message", "type", "param", "code"}, body
    return body["error"]


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
