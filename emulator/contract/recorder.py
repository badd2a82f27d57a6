"""`assistants-emulator record`: a recording proxy that writes what it sees as a fixture.

    assistants-emulator record --upstream https://api.openai.com --out fixtures/ --name my-scenario
    client = OpenAI(base_url="http://127.0.0.1:8001/v1", api_key=os.environ["OPENAI_API_KEY"])

Every request (any method, path, query and body, multipart included) is forwarded to the
upstream (the real OpenAI service, an Azure OpenAI endpoint, or another emulator) with the
client's own headers and credentials; the answer comes back unchanged: the status, the
headers (hop-by-hop ones aside) and the body, chunk by chunk as it arrives, so a stream
(Server-Sent Events) stays incremental. The upstream is asked for an uncompressed body
(`Accept-Encoding: identity`), so what the client gets is what the fixture holds.

Each exchange is appended to one YAML file per proxy session (`--name`, or
`recording-<UTC time>.yaml`, in `--out`), in the format of `fixtures/README.md`; the file
is rewritten atomically (a temporary file, then `os.replace`) after every exchange, so a
crash keeps what was recorded. Exchanges are kept in the order their requests arrived, which
is causal order: a request can only use an id that an earlier answer showed.

What is written:

- request: method, path (percent-decoded), `query` (every parameter but those that carry
  credentials: `api-key`, `api_key`, `key`, `access_token`, `token`, `sig`, `signature`),
  `headers` with only `OpenAI-Beta` (`RECORDED_REQUEST_HEADERS`), and the body: JSON as
  `body:` (a YAML mapping), multipart/form-data as `multipart: {fields, files}` (each file
  with `filename`, `content_type` when the client sent one, and `text:` when it is UTF-8
  text, else `base64:`). The request's Content-Type is not written: `body:` and
  `multipart:` say it (and a multipart boundary means nothing once parsed). A body of any
  other type is not written (the format has no place for it); the note says so.
- response: `status`, `headers` with only `content-type` (`RECORDED_RESPONSE_HEADERS`),
  and the body: JSON as `body:`, `text/event-stream` as `events: [{event, data}]` (data
  parsed as JSON; `[DONE]` stays a string), anything else (file downloads) as `text:` when
  it is UTF-8 text, else `base64:`.
- never: `Authorization`, `api-key`, `Cookie`, `Set-Cookie`, `OpenAI-Organization`,
  `OpenAI-Project` (nor any other header: the lists above are allow-lists). Their values
  (the key without `Bearer `), when at least 8 characters long, are replaced by
  `REDACTED` wherever they appear in what is written (bodies, text, base64 content, paths);
  so are strings that look like keys anywhere: `sk-...` (`sk-REDACTED`), `Bearer <token>`,
  JSON web tokens, and the values of JSON keys named like credentials (`api_key`,
  `password`, `client_secret`, ...).

`source:` says `recorded through assistants-emulator record from <upstream host> on <date>`;
`shape:` is `azure` when the paths are under `/openai/`, else `openai`.
"""

from __future__ import annotations

import argparse
import contextlib
import http
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx

from .capture import (
    RECORDED_REQUEST_HEADERS,
    SECRET_QUERY,
    Redactor,
    decode_content,
    dump_yaml,
    is_json,
    media_type,
    parse_multipart,
    parse_sse,
    scrub_base64,
    text_or_base64,
)

log = logging.getLogger("assistants_emulator.record")

#: Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy computes itself: never forwarded.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade"})  # fmt: skip
NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length", "accept-encoding", "expect"}
DEFAULT_TIMEOUT = httpx.Timeout(30.0, read=600.0)

# --- the proxy ------------------------------------------------------------------------------------


class RecordingProxy:
    """The WSGI app of `assistants-emulator record`: forwards to `upstream`, writes `path`.

    `out` is the directory of the fixture (created if missing); `name` its file name (`.yaml`
    added if it has no suffix; an existing file is never overwritten: `FileExistsError`),
    default `recording-<UTC time>.yaml`. `client` is the httpx.Client used to reach the
    upstream (default: a new one, `trust_env=True`, so proxy variables apply)."""

    def __init__(
        self,
        upstream: str,
        out: str | Path,
        *,
        name: str | None = None,
        client: httpx.Client | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.upstream = validate_upstream(upstream)
        parts = urlsplit(self.upstream)
        self.upstream_host = parts.netloc.rpartition("@")[2]
        self._now = now or (lambda: datetime.now(UTC))
        self.started = self._now()
        self.path = _fixture_path(Path(out), name, self.started)
        self._client = client or httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False, trust_env=True)
        self._own_client = client is None
        self.redactor = Redactor()
        self._lock = threading.Condition()
        self._slots: list[dict[str, Any] | None] = []
        self._notes: dict[int, str] = {}  # slot -> what was not recorded
        self._pending = 0
        self._write_lock = threading.Lock()

    # --- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        raw_path, raw_query = _raw_target(environ)
        headers = _incoming_headers(environ)
        body = _read_body(environ)
        self.redactor.learn(headers)
        forward = [(k, v) for k, v in headers if k.lower() not in NOT_FORWARDED]
        forward.append(("Accept-Encoding", "identity"))
        url = self.upstream.rstrip("/") + raw_path + (f"?{raw_query}" if raw_query else "")
        request_record, note = self._request_record(method, raw_path, raw_query, headers, body)
        slot = self._reserve()
        try:
            request = self._client.build_request(method, url, headers=forward, content=body or None)
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            self._release(slot)
            log.warning("upstream %s unreachable: %s", self.upstream_host, exc)
            error = {"error": {"message": f"assistants-emulator record: cannot reach {self.upstream_host}: {exc}",
                               "type": "proxy_error", "param": None, "code": None}}  # fmt: skip
            data = json.dumps(error).encode()
            start_response(
                "502 Bad Gateway", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
            )
            return [data]
        if note:
            with self._lock:
                self._notes[slot] = note
        reason = response.reason_phrase or _phrase(response.status_code)
        out_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                       if k.decode("latin-1").lower() not in HOP_BY_HOP]  # fmt: skip
        start_response(f"{response.status_code} {reason}", out_headers)
        return _Relay(self, response, slot, request_record)

    # --- records --------------------------------------------------------------------------------

    def _request_record(
        self, method: str, raw_path: str, raw_query: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[dict[str, Any], str]:
        record: dict[str, Any] = {"method": method, "path": self.redactor.text(unquote(raw_path))}
        query: dict[str, Any] = {}
        for key, value in parse_qsl(raw_query, keep_blank_values=True):
            if key.lower() in SECRET_QUERY:
                continue
            value = self.redactor.text(value)
            if key in query:
                query[key] = [*query[key], value] if isinstance(query[key], list) else [query[key], value]
            else:
                query[key] = value
        if query:
            record["query"] = query
        wanted = {h.lower(): h for h in RECORDED_REQUEST_HEADERS}
        kept = {wanted[k.lower()]: v for k, v in headers if k.lower() in wanted}
        if kept:
            record["headers"] = kept
        note = ""
        if body:
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
            media = media_type(content_type)
            parsed: Any = None
            if is_json(media) or not media:
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
            if parsed is not None:
                record["body"] = self.redactor.value(parsed)
            elif media == "multipart/form-data" and (form := parse_multipart(body, content_type)) is not None:
                record["multipart"] = self._scrub_multipart(form)
            else:
                note = f"the request body ({media or 'no content-type'}, {len(body)} bytes) was not recorded"
        return record, note

    def _scrub_multipart(self, form: dict[str, Any]) -> dict[str, Any]:
        fields = {k: self.redactor.value(v, k) for k, v in form.get("fields", {}).items()}
        files = {}
        for name, part in form.get("files", {}).items():
            part = dict(part)
            if "text" in part:
                part["text"] = self.redactor.text(part["text"])
            elif "base64" in part:
                part["base64"] = scrub_base64(part["base64"], self.redactor)
            files[name] = part
        return {**({"fields": fields} if fields else {}), **({"files": files} if files else {})}

    def _response_record(self, response: httpx.Response, raw: bytes) -> dict[str, Any]:
        record: dict[str, Any] = {"status": response.status_code}
        content_type = response.headers.get("content-type")
        if content_type:
            record["headers"] = {"content-type": content_type}
        data = decode_content(raw, response.headers.get("content-encoding", ""))
        if data is None:  # compressed in a way the proxy cannot read: kept as it came
            record.setdefault("headers", {})["content-encoding"] = response.headers["content-encoding"]
            data = raw
        if not data:
            return record
        media = media_type(content_type)
        if media == "text/event-stream":
            events = parse_sse(data.decode("utf-8", errors="replace"))
            if events:
                record["events"] = [{"event": e["event"], "data": self.redactor.value(e["data"])} for e in events]
            return record
        if is_json(media):
            try:
                record["body"] = self.redactor.value(json.loads(data))
                return record
            except ValueError:
                pass
        content = text_or_base64(self.redactor.bytes(data))
        record.update(content)
        return record

    # --- the file -------------------------------------------------------------------------------

    def _reserve(self) -> int:
        with self._lock:
            self._slots.append(None)
            self._pending += 1
            return len(self._slots) - 1

    def _release(self, slot: int) -> None:
        with self._lock:
            self._slots[slot] = {}  # nothing to record: left out
            self._pending -= 1
            self._lock.notify_all()

    def _finish(self, slot: int, request_record: dict[str, Any], response: httpx.Response, raw: bytes) -> None:
        try:
            exchange = {"request": request_record, "response": self._response_record(response, raw)}
        except Exception as exc:  # never let a recording problem break the client's answer
            log.exception("cannot record exchange %s", slot)
            exchange = {}
            with self._lock:
                self._notes[slot] = f"an exchange was not recorded ({type(exc).__name__}: {exc})"
        with self._lock:
            self._slots[slot] = exchange
        try:
            self.write()
        except OSError:
            log.exception("cannot write %s", self.path)
        finally:
            with self._lock:
                self._pending -= 1
                self._lock.notify_all()

    @property
    def exchanges(self) -> list[dict[str, Any]]:
        """The exchanges recorded so far (finished ones, in the order their requests came)."""
        with self._lock:
            return [e for e in self._slots if e]

    def scenario(self) -> dict[str, Any]:
        with self._lock:
            recorded = [(slot, e) for slot, e in enumerate(self._slots) if e]
            position = {slot: n for n, (slot, _) in enumerate(recorded)}
            notes = [f"exchanges[{position[slot]}]: {text}" if slot in position else text
                     for slot, text in sorted(self._notes.items())]  # fmt: skip
        exchanges = [e for _, e in recorded]
        azure = any(e["request"]["path"] == "/openai" or e["request"]["path"].startswith("/openai/") for e in exchanges)
        data: dict[str, Any] = {
            "source": f"recorded through assistants-emulator record from {self.upstream_host} "
            f"on {self.started.strftime('%Y-%m-%d')}",
        }
        if notes:
            data["note"] = "; ".join(notes)
        data["shape"] = "azure" if azure else "openai"
        data["exchanges"] = [{"request": self.redactor.value(e["request"]), "response": e["response"]}
                             for e in exchanges]  # fmt: skip
        return data

    def write(self) -> None:
        """Rewrite the fixture file atomically with every exchange recorded so far."""
        with self._write_lock:
            data = self.scenario()
            if not data["exchanges"]:
                return
            text = self.redactor.text(dump_yaml(data))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every exchange under way is written; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        if self._own_client:
            self._client.close()


class _Relay:
    """The upstream's body for the server, chunk by chunk as it arrives. The exchange is written
    just before the last chunk goes out when the body's end is known (its Content-Length reached,
    or a stream's `[DONE]`), so a client that has its answer finds it in the file; else when the
    body ends or the server closes the answer (a client that went away: what came is written)."""

    def __init__(self, proxy: RecordingProxy, response: httpx.Response, slot: int, request: dict[str, Any]) -> None:
        self.proxy, self.response, self.slot, self.request = proxy, response, slot, request
        self.raw = bytearray()
        self.written = False
        length = response.headers.get("content-length")
        self.expected = int(length) if length and length.isdigit() else None
        self.stream = media_type(response.headers.get("content-type")) == "text/event-stream"

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.response.iter_raw():
                if not chunk:
                    continue
                self.raw.extend(chunk)
                if not self.written and (
                    (self.expected is not None and len(self.raw) >= self.expected)
                    or (self.stream and bytes(self.raw[-64:]).rstrip().endswith(b"data: [DONE]"))
                ):
                    self._write()
                yield chunk
        finally:
            self.close()

    def _write(self) -> None:
        if not self.written:
            self.written = True
            self.proxy._finish(self.slot, self.request, self.response, bytes(self.raw))

    def close(self) -> None:
        self.response.close()
        self._write()


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _raw_target(environ: dict[str, Any]) -> tuple[str, str]:
    """The request's path and query as the client sent them (still percent-encoded)."""
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        if "://" in uri.split("?", 1)[0]:  # absolute-form
            parts = urlsplit(uri)
            return parts.path or "/", parts.query
        path, _, query = uri.partition("?")
        return path or "/", query
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
    return path or "/", environ.get("QUERY_STRING", "")


def _incoming_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
            headers.append((name, value))
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers.append((name, environ[key]))
    return headers


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isdigit():
        return stream.read(int(length)) if int(length) else b""
    if environ.get("wsgi.input_terminated"):  # chunked: read to the end
        return stream.read()
    return b""


def validate_upstream(upstream: str) -> str:
    parts = urlsplit(upstream)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--upstream must be an http(s) URL such as https://api.openai.com, got {upstream!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"--upstream takes no query or fragment, got {upstream!r}")
    return upstream.rstrip("/")


def _fixture_path(out: Path, name: str | None, started: datetime) -> Path:
    if name:
        if "/" in name or "\\" in name or name in (".", ".."):
            raise ValueError(f"--name is a file name, not a path: {name!r}")
        path = out / (name if Path(name).suffix in (".yaml", ".yml") else f"{name}.yaml")
        if path.exists():
            raise FileExistsError(f"{path} exists: choose another --name, or move it away")
        return path
    stem = f"recording-{started.strftime('%Y%m%d-%H%M%S')}"
    path, n = out / f"{stem}.yaml", 1
    while path.exists():
        n += 1
        path = out / f"{stem}-{n}.yaml"
    return path


# --- the command ------------------------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0-65535; 0 for a free one)")
    return value


def add_record_command(subparsers: Any) -> None:
    """`assistants-emulator record --upstream URL --out DIR [--host H] [--port P] [--name NAME]`."""
    record = subparsers.add_parser(
        "record",
        help="run a recording proxy in front of the real service (or another emulator)",
        description="Forward every request to --upstream and write the exchanges as a fixture "
        "(fixtures/README.md) in --out; credentials are never written.",
    )
    record.add_argument("--upstream", required=True, help="base URL to forward to, e.g. https://api.openai.com")
    record.add_argument("--out", required=True, help="directory of the fixture file (created if missing)")
    record.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    record.add_argument("--port", type=_port, default=8001, help="port (default 8001; 0 for a free one)")
    record.add_argument("--name", default=None, help="fixture file name (default recording-<UTC time>.yaml)")
    record.add_argument("--quiet", action="store_true", help="no log line per request")


def run_record_command(args: argparse.Namespace) -> int:
    from ..server import Server, run_in_foreground

    quiet = getattr(args, "quiet", False)
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the request log line says it already
    try:
        proxy = RecordingProxy(args.upstream, args.out, name=args.name)
    except (ValueError, FileExistsError) as exc:
        print(f"assistants-emulator: {exc}", file=sys.stderr)
        return 2
    server = Server(proxy, host=args.host, port=args.port, log_requests=not quiet)

    def banner() -> str:
        return (
            f"assistants-emulator record: {server.url} -> {proxy.upstream}\n\n"
            f"  OpenAI base URL : {server.url}/v1\n"
            f"  Azure endpoint  : {server.url}\n"
            f"  Recording to    : {proxy.path}\n\n"
            "Credentials are forwarded, never written. Press Ctrl-C to stop."
        )

    try:
        if run_in_foreground(server, banner):
            return 1
    finally:
        proxy.wait_idle(timeout=5)
        proxy.close()
    count = len(proxy.exchanges)
    print(f"recorded {count} exchange{'s' if count != 1 else ''} to {proxy.path}" if count else "nothing recorded",
          flush=True)  # fmt: skip
    return 0
