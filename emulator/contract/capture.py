"""How an exchange becomes fixture data: which headers are written, how credentials are
redacted, how bodies become the fixture's shapes (JSON, events, text or base64, multipart),
and how the fixture is written as YAML. Used by the recording proxy (`recorder.py`)."""

from __future__ import annotations

import base64
import binascii
import io
import re
import threading
import zlib
from collections.abc import Iterable
from typing import Any

import yaml

from .sse import parse_sse as checker_parse_sse

#: Request headers written to the fixture (compared case-insensitively); all others are only forwarded.
RECORDED_REQUEST_HEADERS = ("OpenAI-Beta",)
#: Response headers written to the fixture (lower-cased, as the format has them).
RECORDED_RESPONSE_HEADERS = ("content-type",)
#: Headers that carry credentials: forwarded upstream, never written, and their values scrubbed from what is.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie",
                            "openai-organization", "openai-project", "ocp-apim-subscription-key"})  # fmt: skip
#: Query parameters that carry credentials: forwarded upstream, never written.
SECRET_QUERY = frozenset({"api-key", "api_key", "key", "access_token", "token", "sig", "signature"})
#: JSON keys whose string values are credentials.
SECRET_KEYS = frozenset({"api_key", "api-key", "apikey", "authorization", "password", "secret", "client_secret",
                         "access_token", "refresh_token", "id_token"})  # fmt: skip
#: A known secret shorter than this is not scrubbed from bodies (it would mangle ordinary text).
MIN_SECRET_LENGTH = 8
REDACTED = "REDACTED"
_KEY_PATTERNS = (
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), "sk-" + REDACTED),
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), REDACTED),
)


class Redactor:
    """Removes credentials from what is written: the values of credential headers seen so far,
    and anything that looks like a key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.known: set[str] = set()

    def learn(self, headers: Iterable[tuple[str, str]]) -> None:
        found = set()
        for name, value in headers:
            if name.lower() not in SECRET_HEADERS:
                continue
            value = value.strip()
            if name.lower() in ("authorization", "proxy-authorization") and " " in value:
                value = value.split(None, 1)[1].strip()
            if name.lower() == "cookie":
                found.update(v.partition("=")[2].strip() for v in value.split(";"))
            else:
                found.add(value)
        with self._lock:
            self.known.update(v for v in found if len(v) >= MIN_SECRET_LENGTH)

    def text(self, text: str) -> str:
        with self._lock:
            known = sorted(self.known, key=len, reverse=True)
        for secret in known:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _KEY_PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def bytes(self, data: bytes) -> bytes:
        with self._lock:
            known = sorted(self.known, key=len, reverse=True)
        for secret in known:
            data = data.replace(secret.encode(), REDACTED.encode())
        for pattern, replacement in _KEY_PATTERNS:
            data = re.sub(pattern.pattern.encode(), replacement.encode(), data)
        return data

    def value(self, value: Any, key: str = "") -> Any:
        """A JSON value with every string scrubbed (and credential-named keys blanked)."""
        if isinstance(value, str):
            return REDACTED if key.lower() in SECRET_KEYS and value else self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v, k) for k, v in value.items()}
        return value


# --- turning bytes into the fixture's shapes -------------------------------------------------------


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def text_or_base64(data: bytes) -> dict[str, str]:
    """`{"text": ...}` for UTF-8 text (no control characters but tab and line ends), else `{"base64": ...}`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        return {"text": text}
    return {"base64": base64.b64encode(data).decode("ascii")}


def parse_sse(text: str) -> list[dict[str, Any]]:
    """Server-Sent Events as fixture `events` entries (`{"event", "data"}`), parsed as the checker
    parses them; an event the stream did not finish (no blank line after it) is left out."""
    finished = max(text.rfind("\n\n"), text.rfind("\r\n\r\n"), text.rfind("\r\r"))
    text = text[: finished + 2] if finished >= 0 else ""
    return [{"event": name, "data": data} for name, data in checker_parse_sse(text)]


def parse_multipart(body: bytes, content_type: str) -> dict[str, Any] | None:
    """`{fields, files}` of a multipart/form-data body, or None if it cannot be read."""
    from werkzeug.formparser import FormDataParser
    from werkzeug.http import parse_options_header

    media, options = parse_options_header(content_type)
    if "boundary" not in options:
        return None
    try:
        _, form, files = FormDataParser().parse(io.BytesIO(body), media, len(body), options)
    except ValueError:
        return None
    out: dict[str, Any] = {}
    fields = {name: form.get(name) for name in form}
    if fields:
        out["fields"] = fields
    parts = {}
    for name in files:
        storage = files[name]
        part: dict[str, Any] = {"filename": storage.filename or ""}
        if storage.content_type:
            part["content_type"] = storage.content_type
        part.update(text_or_base64(storage.read()))
        parts[name] = part
    if parts:
        out["files"] = parts
    return out or None


def decode_content(data: bytes, encoding: str) -> bytes | None:
    """A body the upstream compressed anyway (despite `identity`), decompressed; None if unknown."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(data, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(data)
            except zlib.error:
                return zlib.decompress(data, -zlib.MAX_WBITS)
    except zlib.error:
        return None
    return None


def scrub_base64(encoded: str, redactor: Redactor) -> str:
    try:
        data = base64.b64decode(encoded)
    except (binascii.Error, ValueError):
        return encoded
    return base64.b64encode(redactor.bytes(data)).decode("ascii")


# --- YAML -------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # multi-line text as a block (`|`) where YAML can hold it exactly; PyYAML falls back to quotes otherwise
    style = "|" if "\n" in value and len(value) < 100_000 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """The fixture as YAML: keys in order, Unicode as is, no line folding (a secret is never split)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31 - 1,
                     default_flow_style=False)  # fmt: skip
