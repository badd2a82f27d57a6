"""The admin API under `/_emulator` (not part of the OpenAI API): reset, state, clock, seed.

POST /_emulator/reset            {"seed": 7}        forget everything (optionally reseed)
GET  /_emulator/state                               every namespace as JSON
GET  /_emulator/clock                               {"time": ..., "kind": "virtual"}
POST /_emulator/clock/advance    {"seconds": 600}   move a virtual clock forward
POST /_emulator/seed             {"seed": 7}        reseed ids without forgetting objects
GET  /_emulator/health                              {"status": "ok"}
POST /_emulator/models           {script}           register scripted models
GET  /_emulator/models                              the model names known
POST /_emulator/faults/runs      {"count": 1, "code": "rate_limit_exceeded"}
POST /_emulator/faults/http      {"status": 429, "path": "/threads/.+/runs$"}
POST /_emulator/faults/code      {"count": 1}      the next code executions crash their sandbox process
DELETE /_emulator/faults                            clear injected faults
POST /_emulator/runs/{run_id}/progression  {"progression": "reads:3"}
POST /_emulator/responses/{response_id}/progression  {"progression": "reads:3"}
POST /_emulator/assets           {"uri": ..., "content": "text", "filename": "a.md"}  register a data asset
GET  /_emulator/assets                              the data assets registered
GET  /_emulator/inspector                           the state inspector (a web page; emulator/inspector)
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Any

from .. import errors
from ..validation import type_name
from . import inspector
from ._http import Call, Routes

routes = Routes()
#: Larger numbers would push a clock past any date the API can express.
MAX_NUMBER = 10**10


def _number(body: dict[str, Any], name: str, *, integer: bool = False) -> Any:
    value = body.get(name)
    if value is None:
        raise errors.missing_parameter(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise errors.invalid_type(name, "an integer" if integer else "a number", type_name(value))
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise errors.bad_request(f"Invalid '{name}': expected a finite number up to {MAX_NUMBER}.", param=name)
    return value


@routes.post("/reset")
def reset(call: Call):
    body = call.json()
    seed = body.get("seed")
    if seed is not None:
        _number(body, "seed", integer=True)
    call.emulator.reset(seed=seed)
    return {"status": "reset", "seed": call.emulator.config.seed, "time": call.emulator.clock.now()}


@routes.get("/state")
def state(call: Call):
    return call.emulator.state()


@routes.get("/clock")
def clock(call: Call):
    return {"time": call.emulator.clock.now(), "kind": call.emulator.clock.kind}


@routes.post("/clock/advance")
def advance(call: Call):
    seconds = _number(call.json(), "seconds")
    if seconds < 0:
        raise errors.bad_request("A clock cannot go backwards: 'seconds' must be >= 0.", param="seconds")
    try:
        now = call.emulator.advance(seconds)
    except TypeError as exc:
        raise errors.bad_request(str(exc), param="seconds") from None
    return {"time": now, "kind": call.emulator.clock.kind}


@routes.post("/seed")
def seed(call: Call):
    value = _number(call.json(), "seed", integer=True)
    call.emulator.ids.reseed(value)
    call.emulator.config.seed = value
    return {"seed": value}


@routes.post("/models")
def register_models(call: Call):
    """Register scripted models: a script, a list of scripts, or {"models": [...]}."""
    from scripted_models.script import ScriptError

    try:
        scripts = call.emulator.models.register_many(call.json())
    except ScriptError as exc:
        raise errors.bad_request(str(exc)) from None
    return {"registered": [s.name for s in scripts]}


@routes.get("/models")
def list_models(call: Call):
    return {"models": call.emulator.models.names()}


@routes.get("/faults")
def faults(call: Call):
    return call.emulator.faults.describe()


@routes.delete("/faults")
def clear_faults(call: Call):
    call.emulator.faults.clear()
    return call.emulator.faults.describe()


@routes.post("/faults/runs")
def fail_runs(call: Call):
    """{"count": 2, "code": "rate_limit_exceeded", "message": "...", "model": "gpt-4o"}: the next runs fail."""
    body = call.json()
    try:
        call.emulator.faults.fail_runs(
            int(body.get("count", 1)), code=body.get("code", "server_error"), message=body.get("message"),
            model=body.get("model"),
        )  # fmt: skip
    except (TypeError, ValueError) as exc:
        raise errors.bad_request(str(exc)) from None
    return call.emulator.faults.describe()


@routes.post("/faults/code")
def crash_code(call: Call):
    """{"count": 1}: the next code_interpreter executions crash their sandbox process."""
    try:
        call.emulator.faults.crash_code(int(call.json().get("count", 1)))
    except (TypeError, ValueError) as exc:
        raise errors.bad_request(str(exc)) from None
    return call.emulator.faults.describe()


@routes.post("/faults/http")
def http_faults(call: Call):
    """{"status": 429, "path": "/threads/.+/runs$", "method": "POST", "times": 1}: the next matching requests fail."""
    body = call.json()
    try:
        call.emulator.faults.http(
            int(body.get("status", 0)),
            path=body.get("path"),
            method=body.get("method"),
            times=int(body.get("times", 1)),
        )
    except (TypeError, ValueError, re.error) as exc:
        raise errors.bad_request(str(exc)) from None
    return call.emulator.faults.describe()


@routes.post("/runs/<run_id>/progression")
def set_progression(call: Call, run_id: str):
    """{"progression": "reads:3"}: how this run moves from now on."""
    return {"run_id": run_id, "progression": _set_progression(call, run_id)}


@routes.post("/responses/<response_id>/progression")
def set_response_progression(call: Call, response_id: str):
    """{"progression": "reads:3"}: how this background response moves from now on."""
    return {"response_id": response_id, "progression": _set_progression(call, response_id)}


def _set_progression(call: Call, object_id: str) -> str:
    body = call.json()
    try:
        call.emulator.set_progression(object_id, body.get("progression"), tenant=body.get("tenant"))
    except KeyError as exc:
        raise errors.APIError(404, str(exc).strip("'\"")) from None
    except ValueError as exc:
        raise errors.bad_request(str(exc), param="progression") from None
    return str(body.get("progression"))


def _asset_tenant(call: Call, key: str | None) -> str | None:
    """The namespace of the API key `key` (None: the default one); a key the emulator does not know is a 400."""
    if key is None:
        return None
    tenant = call.emulator.tenant_for(key)
    if tenant is None:
        raise errors.bad_request("'tenant' is not one of the emulator's API keys.", param="tenant")
    return tenant


@routes.post("/assets")
def register_asset(call: Call):
    """{"uri", "content" (text) or "content_base64", "filename", "tenant" (an API key)}: what a data asset holds."""
    body = call.json()
    if ("content" in body) == ("content_base64" in body):
        raise errors.bad_request("Give the asset's 'content' (text) or its 'content_base64'.", param="content")
    content = body.get("content")
    if "content_base64" in body:
        try:
            content = base64.b64decode(body["content_base64"], validate=True)
        except (TypeError, ValueError, binascii.Error):
            raise errors.bad_request("'content_base64' is not base64.", param="content_base64") from None
    elif not isinstance(content, str):
        raise errors.invalid_type("content", "a string", type_name(content))
    for name in ("uri", "filename"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise errors.invalid_type(name, "a string", type_name(body[name]))
    assets = call.emulator.backend(_asset_tenant(call, body.get("tenant"))).assets
    return assets.describe(assets.register(body.get("uri"), content, filename=body.get("filename")))


@routes.get("/assets")
def list_assets(call: Call):
    """?tenant=KEY: the data assets registered in a namespace."""
    assets = call.emulator.backend(_asset_tenant(call, call.args.get("tenant"))).assets
    return {"assets": [assets.describe(asset) for asset in assets.list()]}


@routes.get("/health")
def health(call: Call):
    return {"status": "ok"}


# The state inspector's page and its JSON are served with the admin API (emulator/inspector).
routes.table.extend(inspector.routes.table)
