"""The Flask application: URL shapes, the gate (auth, api-version, beta header), errors.

    app = create_app()                       # a fresh emulator
    app = create_app(emulator)               # a view on an existing one
    app = create_app(seed=7, api_keys=["k"]) # options for a fresh one

OpenAI shape: `/v1/...` with `Authorization: Bearer KEY`.
Azure shape:  `/openai/...?api-version=V` with `api-key: KEY` (or a Bearer token).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import azure, errors, validation
from .core import Emulator
from .routes import admin, api_blueprint
from .routes._http import render

log = logging.getLogger("assistants_emulator")

#: Shapes and where they are mounted.
SHAPES = {"openai": "/v1", "azure": "/openai"}
ADMIN_PREFIX = "/_emulator"
#: Paths that the real OpenAI service serves only with `OpenAI-Beta: assistants=v2`.
BETA_PATHS = ("/assistants", "/threads")


class EmulatorFlask(Flask):
    """Flask, minus a per-request cost the emulator does not need: no view or hook is async,
    so `ensure_sync` need not inspect each one on every request."""

    def ensure_sync(self, func: Any) -> Any:
        return func


def create_app(emulator: Emulator | None = None, **options: Any) -> Flask:
    if emulator is None:
        emulator = Emulator(**options)
    elif options:
        raise TypeError("pass options to Emulator(...) or to create_app(...), not both")
    validation.warm()  # the spec is parsed once per process, before the first request
    app = EmulatorFlask("assistants_emulator")
    app.extensions["emulator"] = emulator
    app.json.sort_keys = False  # type: ignore[attr-defined]
    request_ids = itertools.count(1)

    api = api_blueprint()
    api.before_request(_gate)
    for shape, prefix in SHAPES.items():
        app.register_blueprint(api, url_prefix=prefix, name=shape)
    app.register_blueprint(admin.bp, url_prefix=ADMIN_PREFIX)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["x-request-id"] = f"req_{next(request_ids):024d}"
        response.headers["openai-version"] = "2020-10-01"
        return response

    app.register_error_handler(errors.APIError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _shape(path: str | None = None) -> str | None:
    path = request.path if path is None else path
    for prefix_shape, prefix in SHAPES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return prefix_shape
    return None


def _gate() -> None:
    """Before any API route: who is calling (namespace), with which shape, and is it allowed."""
    emu = _emulator()
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not ten
    headers = req.headers
    shape = _shape(req.path)
    g.shape = shape
    if shape == "azure":
        azure.check_api_version(req.args.get("api-version"))
        key = headers.get("api-key") or _bearer()
        tenant = emu.tenant_for(key) if key else None
        if tenant is None:
            raise errors.azure_access_denied()
    else:
        key = _bearer()
        if not key:
            raise errors.missing_api_key()
        tenant = emu.tenant_for(key)
        if tenant is None:
            raise errors.incorrect_api_key(key)
        if emu.config.require_beta_header:
            sub = req.path[len(SHAPES["openai"]) :]
            if sub.startswith(BETA_PATHS):
                beta = headers.get("OpenAI-Beta", "")
                if "assistants=v1" in beta:
                    raise errors.v1_beta_header()
                if "assistants=v2" not in beta:
                    raise errors.missing_beta_header()
    g.tenant = tenant
    prefix = SHAPES.get(shape or "openai", "")
    fault = emu.faults.take_http_fault(req.method, req.path[len(prefix) :])
    if fault is not None:
        raise fault


def _emulator() -> Emulator:
    from flask import current_app

    return current_app.extensions["emulator"]


def _bearer() -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def _api_error(exc: errors.APIError) -> Response:
    response = render(exc.body(), exc.status)
    for name, value in exc.headers.items():
        response.headers[name] = value
    return response


def _http_error(exc: HTTPException) -> Response:
    if isinstance(exc, MethodNotAllowed):
        return _api_error(errors.method_not_allowed(request.method, request.path))
    if isinstance(exc, NotFound):
        if _shape() == "azure":
            return _api_error(errors.azure_resource_not_found())
        return _api_error(errors.unknown_route(request.method, request.path))
    status = exc.code or 400
    if status == 413:
        return _api_error(errors.APIError(413, "Request entity too large."))
    return _api_error(errors.APIError(status, exc.description or exc.name))


def _unexpected(exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _api_error(errors.server_error(type(exc).__name__))
