"""How the checker words values in its differences: their JSON type, and a short description."""

from __future__ import annotations

import json
from typing import Any


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def article(kind: str) -> str:
    return {"null": "null", "object": "an object"}.get(kind, f"a {kind}")


def describe(value: Any) -> str:
    kind = json_type(value)
    if kind == "null":
        return "null"
    if kind == "object" and not value:
        return "an empty object"
    if kind == "list" and not value:
        return "an empty list"
    if kind == "object":
        return f"an object with {len(value)} key{'s' if len(value) != 1 else ''}"
    if kind == "list":
        return f"a list of {len(value)}"
    return f"{article(kind)} ({short(value)})"


def short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def names(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)
