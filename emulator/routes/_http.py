"""What every route shares: the request's backend, JSON in, JSON out, list queries."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from pydantic import BaseModel

from .. import errors
from ..pagination import ListQuery, parse_query

JSON = "application/json"


def emulator() -> Any:
    return current_app.extensions["emulator"]


def api() -> Any:
    """The services of the caller's namespace (set by the gate in `app.py`)."""
    return g.backend


def json_body(*, optional: bool = False) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)  # strict UTF-8
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise errors.invalid_json() from None
    if b"\\u" in raw and not _encodable(body):
        raise errors.invalid_json()
    if not isinstance(body, dict):
        raise errors.body_not_object()
    return body


def _encodable(body: Any) -> bool:
    """JSON may escape lone UTF-16 surrogates (`"\\ud800"`), which no answer could carry back."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_constants(name: str) -> Any:
    """NaN and Infinity are not JSON: refuse them as the real service does."""
    raise ValueError(name)


def list_query(**limits: Any) -> ListQuery:
    return parse_query(request.args, **limits)


def render(obj: Any, status: int = 200) -> Response:
    if isinstance(obj, Response):
        return obj
    if isinstance(obj, BaseModel):
        body = obj.model_dump_json()
    else:
        body = json.dumps(obj, separators=(",", ":"))
    return Response(body, status=status, mimetype=JSON)


def endpoint(bp: Blueprint, rule: str, methods: list[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view that runs under the emulator's lock and renders what it returns."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            emu = emulator()
            with emu.lock:
                # resolved under the lock, so a concurrent reset cannot hand us a discarded namespace
                g.backend = emu.backend(g.tenant) if "tenant" in g else None
                return render(view(**kwargs))

        bp.add_url_rule(rule, view.__name__, wrapper, methods=methods)
        return view

    return decorate
