"""The API's HTTP core, free of any web framework: a `Call` in, routed through the gate to
its view, a `Reply` out, with every error in the real envelope.

    dispatcher = Dispatcher(emulator)
    reply = dispatcher.handle(Call("GET", "/v1/assistants/asst_1", headers={"authorization": "Bearer k"}))

OpenAI shape: `/v1/...` with `Authorization: Bearer KEY` (and `OpenAI-Beta: assistants=v2` on
assistants and threads). Azure shape: `/openai/...?api-version=V` with `api-key: KEY` (or a
Bearer token). Foundry shape (`azure-ai-agents`): `/api/projects/{project}/...?api-version=v1`
with a Bearer token (see `emulator/foundry.py`). Project shape (the new Foundry agents, `azure-ai-projects`
2.x): `/api/projects/{project}/agents...` and the OpenAI v1 API under `/api/projects/{project}/openai/v1`
(see `emulator/project.py`). The admin API is under `/_emulator`, with no gate. The Flask app (the dev
server) and the in-process transport (the pytest fixtures) both answer through `handle`.
"""

from __future__ import annotations

import functools
import itertools
import logging
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map

from . import activity, azure, errors, foundry, project, validation, wire
from .core import Emulator
from .routes import admin, agents, api_routes, project_lists
from .routes import foundry as foundry_routes
from .routes._http import Call, Reply, Route, render
from .routing import Matcher, MatchOnlyRule
from .spec.responses import installed_checker

log = logging.getLogger("assistants_emulator")

#: Shapes and where they are mounted.
SHAPES = {"openai": "/v1", "azure": "/openai"}
#: Azure OpenAI's v1 API (`{resource}/openai/v1/...`, no api-version): the Azure shape, mounted
#: again, without the Assistants API (Azure serves it on dated api-versions only).
AZURE_V1 = "/openai/v1"
#: The Foundry project shape: a rule, its `project` part one path segment (emulator/foundry.py).
FOUNDRY_PREFIX = foundry.PREFIX
ADMIN_PREFIX = "/_emulator"
#: Paths that the real OpenAI service serves only with `OpenAI-Beta: assistants=v2`.
BETA_PATHS = ("/assistants", "/threads")
#: Paths served only by the v1 APIs (OpenAI's `/v1`, Azure's `/openai/v1`): the Containers API came
#: (2025-05) after Azure's last dated api-version (2025-04-01-preview), and classic Foundry projects have none.
V1_ONLY_PATHS = ("/containers",)
#: Routes whose body is a multipart file upload, and what a form may add to the file's bytes.
UPLOAD_RULES = frozenset({"/files", "/containers/<container_id>/files"})
FORM_ALLOWANCE = 1024 * 1024
#: The request dialect (`validation.dialect`) of each shape; any other shape speaks OpenAI's.
DIALECTS = {"foundry": "foundry", "project": "project"}
#: Headers on every answer, as the real service sends them.
OPENAI_VERSION = "2020-10-01"
#: Methods that change nothing (the admin API takes the others from its own origin only).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _openapi(call: Call) -> Reply:
    """The emulator's own OpenAPI document (see emulator/openapi.py)."""
    from .openapi import document_bytes

    return Reply(document_bytes())


OPENAPI = Route("/openapi.json", "GET", _openapi)


def shape_of(path: str) -> str | None:
    for shape, prefix in SHAPES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return shape
    if project.is_project_path(path):
        return "project"
    if foundry.project_prefix(path) is not None:
        return "foundry"
    return None


def mounts() -> list[tuple[str, str, Route]]:
    """(shape, prefix rule, route) for every API route of every shape."""
    table = [("openai", SHAPES["openai"], route) for route in api_routes()]
    table += [("azure", SHAPES["azure"], route) for route in api_routes() if not route.rule.startswith(V1_ONLY_PATHS)]
    table += [("azure", AZURE_V1, route) for route in api_routes() if not route.rule.startswith(BETA_PATHS)]
    table += [
        ("foundry", FOUNDRY_PREFIX, route)
        for route in api_routes() + foundry_routes.routes.table
        if (route.rule, route.method) not in foundry.NOT_SERVED and not route.rule.startswith(V1_ONLY_PATHS)
    ]
    table += [("project", project.OPENAI_V1, r) for r in api_routes() if r.rule.startswith(project.OPENAI_V1_PATHS)]
    table += [
        ("project", mount, route)
        for mount in (project.OPENAI_PREVIEW, project.AGENT_ENDPOINT)
        for route in api_routes()
        if route.rule.startswith(project.OPENAI_PREVIEW_PATHS)
    ]
    table += [("project", project.AGENTS, route) for route in agents.routes.table]
    table += [("project", project.OPENAI_V1, route) for route in project_lists.routes.table]
    return table


@functools.cache
def url_map() -> Map:
    """Every route of every shape, the admin API and `/openapi.json`: the same for every
    dispatcher, so built once per process (werkzeug's `Map` is safe to share across threads)."""
    rules = [
        MatchOnlyRule(prefix + route.rule, methods=[route.method], endpoint=(route, shape, prefix))
        for shape, prefix, route in mounts()
    ]
    rules += [
        MatchOnlyRule(ADMIN_PREFIX + r.rule, methods=[r.method], endpoint=(r, None, ADMIN_PREFIX))
        for r in admin.routes.table
    ]
    rules.append(MatchOnlyRule(OPENAPI.rule, methods=[OPENAPI.method], endpoint=(OPENAPI, None, "")))
    # `//` is not merged into `/` (and redirected): an unknown URL is a 404, as any other
    return Map(rules, merge_slashes=False, redirect_defaults=False)


class Dispatcher:
    """Routes calls to the views of `emulator/routes`, for one emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        validation.warm()  # the spec is parsed once per process, before the first request
        self.url_map = url_map()
        self.adapter = self.url_map.bind("emulator")
        self.matcher = Matcher(self.adapter)
        self._request_ids = itertools.count(1)
        #: Set in the test suite: every answer is checked against the spec (see spec/responses.py).
        self.checker = installed_checker()

    def handle(self, call: Call) -> Reply:
        """The answer to `call`; never raises for anything a client sends."""
        try:
            with activity.recording() as call.run_moves:
                reply = self._dispatch(call)
        except errors.APIError as exc:
            reply = error_reply(exc)
        except HTTPException as exc:
            reply = error_reply(self._refusal(exc, call))
        except Exception as exc:  # a bug of ours: the real service's 500, and the traceback in the log
            log.exception("unexpected error on %s %s", call.method, call.path)
            reply = error_reply(errors.server_error(type(exc).__name__))
        if call.method == "HEAD":
            reply.body = b""
        elif self.checker is not None and (call.shape is not None or call.route is None):
            self._check(call, reply, call.shape or shape_of(call.path))
        self.stamp(reply.headers)
        return reply

    def _refusal(self, exc: HTTPException, call: Call) -> errors.APIError:
        """A route of the OpenAI shape that a Foundry project does not serve is unknown there
        (404), even where the path has other methods (not the 405 of a wrong method)."""
        if isinstance(exc, MethodNotAllowed) and shape_of(call.path) == "foundry":
            try:
                self.adapter.match(SHAPES["openai"] + api_path(call.path, "foundry"), call.method)
            except HTTPException:
                pass
            else:
                return errors.unknown_route(call.method, call.path)
        return http_error(exc, call)

    def _check(self, call: Call, reply: Reply, shape: str | None) -> None:
        rule = call.route.rule if call.route is not None else None
        if isinstance(reply.body, bytes):
            self.checker.check(call.method, rule, reply.status, reply.content_type, reply.body, shape=shape)
        else:
            reply.body = self.checker.stream(call.method, rule, reply.body, shape=shape)

    def body_limit(self, rule: str | None) -> int:
        """The largest body a route takes: a file upload's limit (and room for its form) on
        `/files`, the JSON body limit anywhere else."""
        config = self.emulator.config
        if rule in UPLOAD_RULES:
            return config.max_upload_bytes + FORM_ALLOWANCE
        return config.max_body_bytes

    def largest_body(self) -> int:
        """The most any route takes: a server need not read more before refusing."""
        config = self.emulator.config
        return max(config.max_body_bytes, config.max_upload_bytes + FORM_ALLOWANCE)

    def stamp(self, headers: dict[str, str] | Any) -> None:
        """The headers every answer carries (also those of the Flask app's own pages)."""
        headers["x-request-id"] = f"req_{next(self._request_ids):024d}"
        headers["openai-version"] = OPENAI_VERSION

    def _dispatch(self, call: Call) -> Reply:
        (route, shape, mount), url_args = self.matcher.match(call.path, call.method)
        emu = self.emulator
        call.emulator, call.route, call.mount = emu, route, mount
        if shape in ("foundry", "project"):
            call.project = url_args.pop("project")
        if mount == project.AGENT_ENDPOINT:
            call.agent_endpoint = url_args.pop("agent_name")
        if shape is None and call.method not in SAFE_METHODS:
            _same_origin_only(call)
        limit = self.body_limit(route.rule if shape is not None else None)
        if len(call.body) > limit:
            raise errors.too_large(len(call.body), limit)
        if shape is not None:
            call.shape = shape
            call.tenant = self._gate(call, shape)
        with emu.lock, validation.dialect(DIALECTS.get(shape, "openai")), wire.reading(shape):
            # resolved under the lock, so a concurrent reset cannot hand us a discarded namespace
            call.api = emu.backend(call.tenant) if shape is not None else None
            return render(route.view(call, **url_args), newline=route.newline)

    def _gate(self, call: Call, shape: str) -> str:
        """Who is calling (their tenant), and may they: keys, api-version, beta header, faults."""
        emu = self.emulator
        headers = call.headers
        if shape == "azure":
            if not call.path.startswith(AZURE_V1 + "/"):
                azure.check_api_version(call.args.get("api-version"))
            key = headers.get("api-key") or _bearer(headers)
            tenant = emu.tenant_for(key) if key else None
            if tenant is None:
                raise errors.azure_access_denied()
        elif shape == "foundry":
            key = _bearer(headers)  # an Entra token; with API keys configured, one of them
            tenant = emu.tenant_for(key) if key else None
            if tenant is None:
                raise errors.foundry_unauthorized()
            foundry.check_api_version(call.args.get("api-version"))
        elif shape == "project":
            key = _bearer(headers)
            tenant = emu.tenant_for(key) if key else None
            if tenant is None:
                raise errors.foundry_unauthorized()
            project.check_api_version(call.mount, call.args.get("api-version"))
        else:
            key = _bearer(headers)
            if not key:
                raise errors.missing_api_key()
            tenant = emu.tenant_for(key)
            if tenant is None:
                raise errors.incorrect_api_key(key)
            if emu.config.require_beta_header and call.path[len(SHAPES["openai"]) :].startswith(BETA_PATHS):
                beta = headers.get("openai-beta", "")
                if "assistants=v1" in beta:
                    raise errors.v1_beta_header()
                if "assistants=v2" not in beta:
                    raise errors.missing_beta_header()
        fault = emu.faults.take_http_fault(call.method, api_path(call.path, shape))
        if fault is not None:
            raise fault
        return tenant


def api_path(path: str, shape: str) -> str:
    """The path after its shape's prefix: `/threads/thread_x/runs`."""
    if shape == "foundry":
        return path[len(foundry.project_prefix(path) or "") :]
    if shape == "project":
        return path[len(project.mount_of(path)) :]
    if shape == "azure" and path.startswith(AZURE_V1 + "/"):
        return path[len(AZURE_V1) :]
    return path[len(SHAPES[shape]) :]


def _same_origin_only(call: Call) -> None:
    """The admin API has no key, and takes a POST of any content type: a page of another site
    open in the developer's browser could reset the emulator or register models with a form or
    a no-cors fetch. Browsers name the page's origin in `Origin`; the inspector's own requests
    come from this server's origin, and clients that are not browsers (SDKs, curl) send none."""
    origin = call.headers.get("origin")
    if origin is None:
        return
    try:
        netloc = urlsplit(origin).netloc.lower()
    except ValueError:  # not a URL ("null", a sandboxed page, or garbage): not this server either
        netloc = None
    if netloc != call.headers.get("host", "").lower():
        raise errors.APIError(403, f"The admin API takes no requests from another site's page (Origin: {origin}).")


def _bearer(headers: Any) -> str | None:
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def error_reply(exc: errors.APIError) -> Reply:
    reply = render(exc.body(), exc.status)
    reply.headers.update(exc.headers)
    return reply


def http_error(exc: HTTPException, call: Call) -> errors.APIError:
    """An HTTP-level refusal (no such route, wrong method, body too large) in the API's terms: under a
    project's `/agents` (but an agent's OpenAI endpoint), in the agents API's envelope."""
    error = _http_error(exc, call)
    return agents.refusal(error) if project.is_agents_path(call.path) else error


def _http_error(exc: HTTPException, call: Call) -> errors.APIError:
    if isinstance(exc, MethodNotAllowed):
        return errors.method_not_allowed(call.method, call.path)
    if isinstance(exc, NotFound):
        if shape_of(call.path) == "azure":
            return errors.azure_resource_not_found()
        return errors.unknown_route(call.method, call.path)
    status = exc.code or 400
    if status == 413:
        return errors.APIError(413, "Request entity too large.")
    return errors.APIError(status, exc.description or exc.name)
