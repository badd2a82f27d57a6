"""The recorded-fixture converter (fixtures/recorded/common.py) writes bodies with the recording proxy's
helpers (emulator/contract/capture.py): a body recorded by either becomes the same fixture data."""

from __future__ import annotations

import fixtures.recorded.common as common
from emulator.contract import capture

BOUNDARY = "b0undary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def _form(*parts: tuple[str, str | None, str | None, bytes]) -> bytes:
    """A multipart/form-data body of (name, filename, content type, content) parts."""
    out = b""
    for name, filename, content_type, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"Content-Disposition: {disposition}\r\n" + (f"Content-Type: {content_type}\r\n" if content_type else "")
        out += f"--{BOUNDARY}\r\n{head}\r\n".encode() + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def _recorded(body: object, *, response_type: str = "application/json", answer: object = "{}") -> common.Recorded:
    return common.Recorded(method="post", path="/v1/files", query=[], headers={"Content-Type": CONTENT_TYPE},
                           body=body, status=200, response_headers={"Content-Type": response_type},
                           response_body=answer)  # fmt: skip


def test_multipart_requests_are_read_as_the_recording_proxy_reads_them():
    body = _form(("purpose", None, None, b"assistants"), ("file", "notes.txt", "text/plain", b"caf\xc3\xa9\nline"),
                 ("blob", "data.bin", None, b"\x00\x01tab\x07bell"), ("ctrl", "ctrl.txt", None, b"a\x1bb"))  # fmt: skip
    expected = capture.parse_multipart(body, CONTENT_TYPE)
    assert expected["files"]["ctrl"] == {"filename": "ctrl.txt", "base64": "YRti"}  # control characters: base64
    for recorded_as in (body, body.decode("utf-8", errors="surrogateescape")):
        assert common.exchange(_recorded(recorded_as))["request"]["multipart"] == expected


def test_test_proxy_multipart_lists_of_strings_are_read_alike():
    body = _form(("purpose", None, None, b"assistants"), ("file", "a.md", "text/markdown", b"# title\n"))
    text = body.decode("utf-8")
    split = [text[:40], text[40:]]  # the test proxy keeps a multipart body as a list of strings
    assert common.exchange(_recorded(split))["request"]["multipart"] == capture.parse_multipart(body, CONTENT_TYPE)


def test_non_json_answers_are_text_or_base64_as_the_proxy_writes_them():
    for content in (b"plain text\n", b"\xff\xfe\x00binary", b"escape \x1b here"):
        answer = common.exchange(_recorded(b"", response_type="application/octet-stream", answer=content))["response"]
        assert {k: v for k, v in answer.items() if k in ("text", "base64")} == capture.text_or_base64(content)
    sse = 'event: thread.created\ndata: {"id": "thread_1"}\n\nevent: done\ndata: [DONE]\n\n'
    events = common.exchange(_recorded(b"", response_type="text/event-stream", answer=sse))["response"]["events"]
    assert events == capture.parse_sse(sse)
