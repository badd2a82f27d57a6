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
DELETE /_emulator/faults                            clear injected faults
POST /_emulator/runs/{run_id}/progression  {"progression": "reads:3"}
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import Blueprint

from .. import errors
from ..validation import type_name
from ._http import emulator, endpoint, json_body

bp = Blueprint("admin", __name__)
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


@endpoint(bp, "/reset", ["POST"])
def reset():
    body = json_body()
    seed = body.get("seed")
    if seed is not None:
        _number(body, "seed", integer=True)
    emulator().reset(seed=seed)
    return {"status": "reset", "seed": emulator().config.seed, "time": emulator().clock.now()}


@endpoint(bp, "/state", ["GET"])
def state():
    return emulator().state()


@endpoint(bp, "/clock", ["GET"])
def clock():
    return {"time": emulator().clock.now(), "kind": emulator().clock.kind}


@endpoint(bp, "/clock/advance", ["POST"])
def advance():
    seconds = _number(json_body(), "seconds")
    if seconds < 0:
        raise errors.bad_request("A clock cannot go backwards: 'seconds' must be >= 0.", param="seconds")
    try:
        now = emulator().advance(seconds)
    except TypeError as exc:
        raise errors.bad_request(str(exc), param="seconds") from None
    return {"time": now, "kind": emulator().clock.kind}


@endpoint(bp, "/seed", ["POST"])
def seed():
    value = _number(json_body(), "seed", integer=True)
    emulator().ids.reseed(value)
    emulator().config.seed = value
    return {"seed": value}


@endpoint(bp, "/models", ["POST"])
def register_models():
    """Register scripted models: a script, a list of scripts, or {"models": [...]}."""
    from scripted_models.script import ScriptError

    try:
        scripts = emulator().models.register_many(json_body())
    except ScriptError as exc:
        raise errors.bad_request(str(exc)) from None
    return {"registered": [s.name for s in scripts]}


@endpoint(bp, "/models", ["GET"])
def list_models():
    return {"models": emulator().models.names()}


@endpoint(bp, "/faults", ["GET"])
def faults():
    return emulator().faults.describe()


@endpoint(bp, "/faults", ["DELETE"])
def clear_faults():
    emulator().faults.clear()
    return emulator().faults.describe()


@endpoint(bp, "/faults/runs", ["POST"])
def fail_runs():
    """{"count": 2, "code": "rate_limit_exceeded", "message": "...", "model": "gpt-4o"}: the next runs fail."""
    body = json_body()
    try:
        emulator().faults.fail_runs(
            int(body.get("count", 1)), code=body.get("code", "server_error"), message=body.get("message"),
            model=body.get("model"),
        )  # fmt: skip
    except (TypeError, ValueError) as exc:
        raise errors.bad_request(str(exc)) from None
    return emulator().faults.describe()


@endpoint(bp, "/faults/http", ["POST"])
def http_faults():
    """{"status": 429, "path": "/threads/.+/runs$", "method": "POST", "times": 1}: the next matching requests fail."""
    body = json_body()
    try:
        emulator().faults.http(
            int(body.get("status", 0)),
            path=body.get("path"),
            method=body.get("method"),
            times=int(body.get("times", 1)),
        )
    except (TypeError, ValueError, re.error) as exc:
        raise errors.bad_request(str(exc)) from None
    return emulator().faults.describe()


@endpoint(bp, "/runs/<run_id>/progression", ["POST"])
def set_progression(run_id: str):
    """{"progression": "reads:3"}: how this run moves from now on."""
    body = json_body()
    try:
        emulator().set_progression(run_id, body.get("progression"), tenant=body.get("tenant"))
    except KeyError as exc:
        raise errors.APIError(404, str(exc).strip("'\"")) from None
    except ValueError as exc:
        raise errors.bad_request(str(exc), param="progression") from None
    return {"run_id": run_id, "progression": str(body.get("progression"))}


@endpoint(bp, "/health", ["GET"])
def health():
    return {"status": "ok"}
