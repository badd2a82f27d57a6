"""Bounded input: bodies and uploads over the configured limits answer 413 in the envelope and
store nothing; multipart forms are bounded; slow or half-closed clients do not hold up others."""

from __future__ import annotations

import io
import socket
import threading
import time

import openai
import pytest

from conftest import BETA, error_of
from emulator.routes._http import MAX_FORM_FIELDS_BYTES, MAX_FORM_PARTS

SMALL = pytest.mark.emulator(max_body_bytes=2000, max_upload_bytes=1000)


@SMALL
def test_a_json_body_over_the_limit_is_413_and_stores_nothing(http, emulator) -> None:
    big = {"model": "gpt-4o", "instructions": "x" * 3000}
    answer = http.post("/v1/assistants", json=big, headers=BETA)
    assert answer.status_code == 413
    error = error_of(answer)
    assert error["code"] == "request_too_large" and "limit is 2,000 bytes" in error["message"]
    assert len(emulator.backend().ns.assistants) == 0
    assert (
        http.post("/v1/assistants", json={"model": "gpt-4o", "instructions": "x" * 100}, headers=BETA).status_code
        == 200
    )


@SMALL
def test_the_sdk_raises_on_413_in_process_and_over_http(openai_client, emulator_server) -> None:
    over_http = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
    for client in (openai_client, over_http):
        with pytest.raises(openai.APIStatusError) as caught:
            client.beta.assistants.create(model="gpt-4o", instructions="y" * 3000)
        assert caught.value.status_code == 413
        with pytest.raises(openai.APIStatusError) as caught:
            client.files.create(file=("big.txt", b"z" * 1500), purpose="assistants")
        assert caught.value.status_code == 413 and "The file is too large" in caught.value.message
        assert client.files.create(file=("ok.txt", b"z" * 900), purpose="assistants").bytes == 900
    assert len(openai_client.files.list().data) == 2


@SMALL
def test_a_chunked_body_over_the_limit_is_refused_over_http(emulator_server) -> None:
    """No Content-Length: the server stops reading at the limit and answers 413."""
    host, port = emulator_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            "POST /v1/assistants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nOpenAI-Beta: assistants=v2\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b'{"model": "gpt-4o", "instructions": "' + b"x" * 5000 + b'"}'
        sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"type": "invalid_request_error"' in answer  # the service's indented layout


def test_multipart_fields_and_parts_are_bounded(http, emulator) -> None:
    data = {"purpose": "assistants", "note": "n" * (MAX_FORM_FIELDS_BYTES + 10), "file": (io.BytesIO(b"a"), "a.txt")}
    assert http.post("/v1/files", data=data).status_code == 413
    many = {f"f{i}": "x" for i in range(MAX_FORM_PARTS + 5)}
    assert http.post("/v1/files", data={**many, "file": (io.BytesIO(b"a"), "a.txt")}).status_code == 413
    assert len(emulator.backend().ns.files) == 0


def _read_answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        if not part:
            return data
        data += part
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(
        next((line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), b"0")
    )
    while len(rest) < length:
        part = sock.recv(65536)
        if not part:
            break
        rest += part
    return head + b"\r\n\r\n" + rest


def test_slow_and_half_closed_clients_do_not_block_others(emulator_server) -> None:
    """A few clients that send half a request and stall, or half a body and close their side:
    meanwhile others are answered at once (each connection has its own worker thread)."""
    host, port = emulator_server.url.removeprefix("http://").split(":")
    stalled = []
    for _ in range(3):  # headers never finished
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(b"POST /v1/assistants HTTP/1.1\r\nHost: x\r\nAuthorization: Bear")
        stalled.append(sock)
    half = socket.create_connection((host, int(port)), timeout=10)  # a body promised, half sent, then EOF
    half.sendall(b"POST /v1/threads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nOpenAI-Beta: assistants=v2\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"metad")  # fmt: skip
    half.shutdown(socket.SHUT_WR)
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0, timeout=5)
    try:
        started = time.monotonic()
        results: list[str] = []

        def work() -> None:
            thread = client.beta.threads.create()
            results.append(client.beta.threads.messages.create(thread.id, role="user", content="hi").id)

        workers = [threading.Thread(target=work) for _ in range(3)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=10)
        assert len(results) == 3
        assert time.monotonic() - started < 4  # answered without waiting for the stalled clients
        half.settimeout(15)  # cheroot gives up on the missing body after its socket timeout (10 s)
        answer = half.recv(65536)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:100]
    finally:
        for sock in [*stalled, half]:
            sock.close()
        client.close()
    assert len(emulator_server.emulator.backend().ns.threads) == 3  # the half-sent one stored nothing
