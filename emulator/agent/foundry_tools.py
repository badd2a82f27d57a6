"""What a Foundry tool call does, for both front ends (runs: `runs/azure_tools.py`; responses of a
project: `responses/foundry_items.py`).

- `openapi`: the operation of the tool's OpenAPI spec is called over HTTP, on a loopback server
  only (127.0.0.1, ::1, localhost; no proxy, no redirect): path parameters, query parameters and a JSON body
  from the arguments. Its answer (an HTTP error too) is the output.
- the tools that reach an Azure service (`bing_grounding`, `azure_ai_search`, `azure_function`,
  SharePoint, Fabric, browser automation, ...): the emulator reaches none, so a script's canned
  `output` and `results` (`{url, title}` sources a reply cites) are the answer (`canned`); without
  them the call fails, saying so (`no_answer`).

Nothing here raises for what a script or an app asked: a problem is returned as a value.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from scripted_models.base import UseTool, WebResult

#: Grounding citations are `【k:n†source】` with k from here (file_search's markers name the file instead).
CITE_BASE = 100
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
OPENAPI_TIMEOUT = 10.0
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Canned:
    """A scripted answer: the output's text, and the sources a reply may cite (each with its marker)."""

    output: str
    results: tuple[WebResult, ...]


def cite(index: int, number: int) -> str:
    """The marker of the `number`th source of the `index`th tool call a reply cites: `【100:0†source】`."""
    return f"【{CITE_BASE + index}:{number}†source】"


def canned(action: UseTool, index: int) -> Canned | None:
    """The script's answer to a call of a tool the emulator cannot reach (None: it gave none). `output`
    is the output (JSON text unless a string); without one, the `results` as a JSON list of {url, title}."""
    if action.output is None and not action.results:
        return None
    if action.output is None:
        output = json.dumps([{"url": r["url"], "title": r.get("title", "")} for r in action.results])
    else:
        output = action.output if isinstance(action.output, str) else json.dumps(action.output)
    results = tuple(
        WebResult(str(r["url"]), str(r.get("title") or ""), cite=cite(index, n)) for n, r in enumerate(action.results)
    )
    return Canned(output, results)


def no_answer(kind: str, where: str = "run") -> str:
    """Why a call of `kind` without a canned answer fails the run (or response)."""
    return (
        f"The {where}'s {kind} tool has no scripted answer: the emulator reaches no Azure service. Give the "
        f"script's `tool: {kind}` action an `output` (or `results`: sources with url and title)."
    )


def play_openapi(settings: dict[str, Any], action: UseTool, tool_name: Any,
                 unlocked: Callable[[], AbstractContextManager[Any]]) -> tuple[str, str] | str:  # fmt: skip
    """An openapi tool's call as both front ends play it: (the call's name, `{tool}_{operation}`, and its output), or
    why the run or response fails. The call goes out within `unlocked()` (the emulator's lock let go)."""
    with unlocked():
        outcome = openapi_call(settings, action.operation, action.arguments or {})
    if isinstance(outcome, Exception):
        return f"The openapi tool '{tool_name}' could not be called: {outcome}"
    operation, output = outcome
    return f"{tool_name}_{operation}", output


def openapi_call(settings: dict[str, Any], operation_id: str, arguments: dict[str, Any]) -> tuple[str, str] | Exception:
    """(operationId, the answer's text) of one call on a loopback server, or the problem."""
    # the spec is the app's, stored as given: any part of it may be missing or of the wrong type
    spec = mapping(settings.get("spec"))
    found = []
    for path, item in mapping(spec.get("paths")).items():
        for method, op in mapping(item).items():
            if method in METHODS and isinstance(op, dict):
                if not operation_id or op.get("operationId") == operation_id:
                    found.append((path, method, op))
    if len(found) != 1:
        what = f"operation '{operation_id}'" if operation_id else "a single operation (name one with `operation`)"
        return ValueError(f"its spec has no {what}")
    path, method, op = found[0]
    servers = listed(spec.get("servers"))
    base = str(mapping(servers[0] if servers else None).get("url") or "")
    left = dict(arguments)
    query: dict[str, Any] = {}
    parameters = listed(op.get("parameters"))
    for param in map(mapping, parameters):
        name, where = param.get("name"), param.get("in")
        if not isinstance(name, str):
            continue
        if name in left and where == "path":
            path = path.replace("{" + name + "}", quote(str(left.pop(name)), safe=""))
        elif name in left and where == "query":
            query[name] = left.pop(name)
    url = base.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")
    try:
        loopback(url)
    except ValueError as exc:
        return exc
    data = json.dumps(left).encode() if left and "requestBody" in op else None
    request = urllib.request.Request(url, data=data, method=method.upper())
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with loopback_opener().open(request, timeout=OPENAPI_TIMEOUT) as answer:
            return op.get("operationId") or method, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:  # the model sees the service's error, as the real tool does
        return op.get("operationId") or method, f"HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}"
    except (OSError, ValueError) as exc:
        return exc


class _Unfollowed(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the HTTP error it is, not followed: it could lead off loopback."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def loopback_opener() -> urllib.request.OpenerDirector:
    """An opener for the servers on loopback the tools call: no proxy and no redirect (as agent/mcp.py's client)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _Unfollowed)


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def listed(value: Any) -> list[Any]:
    """`value` if it is a JSON array, else an empty one (a spec or an agent's answer may hold anything)."""
    return value if isinstance(value, list) else []


def loopback(url: str) -> str:
    """`url`, if it is an http(s) URL on loopback; else the ValueError that says why the tool is not called."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        raise ValueError(f"it points at {url!r}; the emulator calls only servers on 127.0.0.1, ::1 or localhost")
    return url
