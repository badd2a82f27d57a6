"""JSON bodies written as the real service writes them, byte for byte.

Recorded REST answers of api.openai.com (the ruby-openai cassettes keep each body as sent;
`tests/recorded_bodies/` holds a few) are Python's `json.dumps(body, indent=2)`: two-space
indentation, `": "` and `","` separators, one key or item per line, `[]` and `{}` for empty
containers, floats as Python writes them (`1.0`, `1e-05`), and non-ASCII characters escaped
(`\\u2014` in `responses_input_items_setup.yml`, the only recorded REST body with one). Bodies
of `/files` and `/models` end with a newline, others do not. Stream `data:` lines are compact
(`","`, `":"`) with raw UTF-8 (an azure-ai-agents stream has `’` and an emoji unescaped).

Python's encoder indents only in pure Python (about 8x pydantic's cost), so the answers are
written by pydantic-core (Rust), which lays out the same text except in three places,
corrected here: non-ASCII characters, which it writes raw unless asked (`ensure_ascii`, in a
second pass for the bodies that have any); DEL, which it leaves raw (in JSON text it can only
be inside a string, so it is escaped afterwards); and floats in 1e-10 < |x| < 1e-4, which it
writes `0.00005` or `1.5e-7` where Python writes `5e-05` and `1.5e-07`. A body that may hold
such a float (a quick text search, which a string can also trip) is written by the stdlib
instead, as is a non-ASCII body under a pydantic-core too old for `ensure_ascii`.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic_core
from pydantic import BaseModel


def _has_ensure_ascii() -> bool:
    try:
        return pydantic_core.to_json("\u00e9", ensure_ascii=True) == b'"\\u00e9"'
    except TypeError:
        return False


#: pydantic-core escapes non-ASCII characters itself (as Python does: `\\u00e9`, surrogate pairs).
_CAN_ESCAPE = _has_ensure_ascii()


def rest_body(obj: Any, *, newline: bool = False) -> bytes:
    """`obj` (an API object, or JSON data) as the service's indented REST body."""
    body = _pydantic_json(obj)
    if not body.isascii():  # a second pass that escapes: `ensure_ascii` costs a fifth more on every body
        body = _pydantic_json(obj, ensure_ascii=True) if _CAN_ESCAPE else b""
    if not body or _may_hold_short_float(body):
        body = json.dumps(obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj, indent=2).encode()
    elif b"\x7f" in body:
        body = body.replace(b"\x7f", b"\\u007f")
    return body + b"\n" if newline else body


def _pydantic_json(obj: Any, **options: Any) -> bytes:
    if isinstance(obj, BaseModel):
        return obj.__pydantic_serializer__.to_json(obj, indent=2, **options)
    return pydantic_core.to_json(obj, indent=2, **options)


def event_data(obj: Any) -> str:
    """`obj` as a stream event's `data:` line: compact JSON, raw UTF-8."""
    if not isinstance(obj, BaseModel):
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    body = obj.__pydantic_serializer__.to_json(obj)
    if _may_hold_short_float(body):
        return json.dumps(obj.model_dump(mode="json"), separators=(",", ":"), ensure_ascii=False)
    return body.decode()


def _may_hold_short_float(body: bytes) -> bool:
    """Whether pydantic-core may have written a float in 1e-10 < |x| < 1e-4 (`0.0000…`, or a
    one-digit negative exponent `…e-7`), which Python writes otherwise."""
    if b"0.0000" in body:
        return True
    if b"-" not in body:  # memchr: most bodies hold no `-` at all
        return False
    at = body.find(b"e-")
    while at > 0:
        if body[at - 1 : at].isdigit() and body[at + 2 : at + 3].isdigit() and not body[at + 3 : at + 4].isdigit():
            return True
        at = body.find(b"e-", at + 2)
    return False
