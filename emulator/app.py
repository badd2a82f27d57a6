"""The Flask application (what the dev server serves): every request goes to the dispatcher.

    app = create_app()                       # a fresh emulator
    app = create_app(emulator)               # a view on an existing one
    app = create_app(seed=7, api_keys=["k"]) # options for a fresh one

The API itself (routing, the gate, errors) is `emulator/dispatch.py`, which the in-process
transport calls directly. The app's WSGI entry is `emulator/wsgi.py`'s direct path, which hands
API requests to it without Flask's request machinery; Flask's routes answer the rest (`/`, and
bodies werkzeug must judge), and host whatever else the server shows. OpenAI shape: `/v1/...`; Azure shape: `/openai/...?api-version=V`; admin: `/_emulator`; a
browser opening `/` is sent to the state inspector (`/_emulator/inspector`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, redirect, request
from werkzeug.exceptions import HTTPException

from . import errors
from .activity import RUN_MOVES
from .core import Emulator
from .dispatch import ADMIN_PREFIX, SHAPES, Dispatcher, error_reply, http_error
from .routes._http import Call, Reply
from .transport import dispatcher_of
from .wsgi import DirectWSGI

log = logging.getLogger("assistants_emulator")

__all__ = ["ADMIN_PREFIX", "SHAPES", "app_for", "create_app", "dispatcher_of"]
METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]
#: The state inspector's page (emulator/inspector), where a browser opening `/` is sent.
INSPECTOR = ADMIN_PREFIX + "/inspector"


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
    return app_for(Dispatcher(emulator))


def app_for(dispatcher: Dispatcher) -> Flask:
    """The Flask app answering through `dispatcher` (the pytest plugin's in-process clients
    share their dispatcher, and its request ids, with the server it starts)."""
    emulator = dispatcher.emulator
    app = EmulatorFlask("assistants_emulator")
    app.extensions["emulator"] = emulator
    app.extensions["dispatcher"] = dispatcher

    def api(path: str = "") -> Response:
        # werkzeug stops reading (413) past what any route takes; the dispatcher applies each route's limit
        request.max_content_length = dispatcher.largest_body()
        call = call_of(request)
        response = to_response(dispatcher.handle(call))
        request.environ[RUN_MOVES] = call.run_moves  # for the server's request log
        return response

    def home() -> Response:
        """`/` in a browser is the state inspector; for anything else it is the API's 404."""
        if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
            response = redirect(INSPECTOR, code=302)
            dispatcher.stamp(response.headers)
            return response
        return api()

    app.add_url_rule("/", "home", home, methods=METHODS, provide_automatic_options=False)
    app.add_url_rule("/<path:path>", "api", api, methods=METHODS, provide_automatic_options=False)

    def unexpected(exc: Exception) -> Response:  # raised outside the dispatcher (it answers its own)
        log.exception("unexpected error on %s %s", request.method, request.path)
        reply = error_reply(errors.server_error(type(exc).__name__))
        dispatcher.stamp(reply.headers)
        return to_response(reply)

    def refused(exc: HTTPException) -> Response:  # e.g. a body over the size limit, before the dispatcher
        reply = error_reply(http_error(exc, Call(request.method, request.path)))
        dispatcher.stamp(reply.headers)
        return to_response(reply)

    app.register_error_handler(HTTPException, refused)
    app.register_error_handler(Exception, unexpected)
    # API requests skip Flask's request machinery (a quarter of the dev server's CPU); the
    # routes above answer what the direct path leaves to them (see emulator/wsgi.py)
    app.wsgi_app = DirectWSGI(dispatcher, app.wsgi_app)  # type: ignore[method-assign]
    return app


def call_of(req: Any) -> Call:
    """A WSGI request (werkzeug's), as the dispatcher's `Call`."""
    return Call(
        method=req.method,
        path=req.path,
        query_string=req.query_string.decode("latin-1"),
        headers={name.lower(): value for name, value in req.headers.items()},
        body=req.get_data(),
    )


def to_response(reply: Reply) -> Response:
    return Response(reply.body, status=reply.status, content_type=reply.content_type, headers=reply.headers)
