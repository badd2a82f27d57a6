"""What a Foundry tool call (a scripted model's `UseTool`) does in a run.

- `connected_agent`: the sub-agent (the tool's `connected_agent.id`) runs on an internal thread
  (made for the call, deleted after it) with the input as its user message; its reply is the
  call's output. A sub-run that does not complete fails the call. As in Foundry (a depth of 2:
  sub-agents have no sub-agents of their own), a connected agent's run that calls a connected
  agent fails that call with Foundry's `Assistant tool call depth exceeded`: an agent connected
  to itself, or two connected to each other, end there instead of recursing.
- `openapi`: the operation of the tool's OpenAPI spec is called over HTTP, on a loopback
  server only (127.0.0.1, ::1, localhost; no proxy): path parameters, query parameters and a
  JSON body from the arguments. Its answer (an HTTP error too) is the output.
- any other type (`bing_grounding`, `azure_ai_search`, `azure_function`, ...): the emulator
  reaches no Azure service, so the script's canned `output` and `results` are the answer;
  without them the call fails the run, saying so.

A failure is returned as text (the run's `last_error` message); nothing here raises for
what a script or an app asked.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from scripted_models.base import ToolUse, UseTool, WebResult

from .. import errors
from ..models.run_step import AzureToolCall

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.run import Run

#: Grounding citations are `【k:n†source】` with k from here (file_search's markers name the file instead).
CITE_BASE = 100
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
OPENAPI_TIMEOUT = 10.0
METHODS = ("get", "post", "put", "patch", "delete")
#: Whether this thread is running a connected agent's sub-run (its calls go no deeper).
_IN_CONNECTED_AGENT: ContextVar[bool] = ContextVar("assistants_emulator_in_connected_agent", default=False)
DEPTH_EXCEEDED = "assistant_tool_depth_exceeded; Assistant tool call depth exceeded"


def find_tool(run: Run, action: UseTool) -> dict[str, Any] | None:
    for tool in run.tools:
        if tool.type != action.type:
            continue
        data = tool.model_dump(mode="json")
        settings = data.get(action.type) if isinstance(data.get(action.type), dict) else {}
        if action.name and action.type in ("connected_agent", "openapi") and settings.get("name") != action.name:
            continue
        return data
    return None


def latest_user_text(backend: Backend, thread_id: str) -> str:
    for message in reversed(list(backend.ns.messages[thread_id].values())):
        if message.role == "user":
            return "\n\n".join(p.text.value for p in message.content if p.type == "text")
    return ""


def use(
    backend: Backend, run: Run, action: UseTool, tool: dict[str, Any], index: int, unlocked: Callable[[], Any]
) -> tuple[AzureToolCall, ToolUse] | str:
    """The call's step entry and what the model sees, or why the run fails. `unlocked()` is a
    context in which the emulator's lock is let go (for the HTTP of an openapi call)."""
    kind = action.type
    settings = tool.get(kind) if isinstance(tool.get(kind), dict) else {}
    call_id = backend.emulator.ids.new("call")
    if kind == "connected_agent":
        name = settings.get("name") or action.name
        text = action.input or latest_user_text(backend, run.thread_id)
        output = connected_agent(backend, settings.get("id", ""), text)
        if output.startswith("!"):
            return f"The connected agent '{name}' failed: {output[1:]}"
        arguments = json.dumps({"input": text})
        details = {"name": name, "arguments": arguments, "output": output}
        used = ToolUse(kind, name, arguments, output)
    elif kind == "openapi" and action.output is None:
        arguments_dict = action.arguments or {}
        with unlocked():
            outcome = openapi_call(settings, action.operation, arguments_dict)
        if isinstance(outcome, Exception):
            return f"The openapi tool '{settings.get('name')}' could not be called: {outcome}"
        operation, output = outcome
        name = f"{settings.get('name')}_{operation}"
        arguments = json.dumps(arguments_dict)
        details = {"name": name, "arguments": arguments, "output": output}
        used = ToolUse(kind, name, arguments, output)
    else:
        if action.output is None and not action.results:
            return (
                f"The run's {kind} tool has no scripted answer: the emulator reaches no Azure service. Give the "
                f"script's `tool: {kind}` action an `output` (or `results`: sources with url and title)."
            )
        output = action.output if isinstance(action.output, str) else json.dumps(action.output)
        if action.output is None:
            output = json.dumps([{"url": r["url"], "title": r.get("title", "")} for r in action.results])
        query = action.input or latest_user_text(backend, run.thread_id)
        results = tuple(
            WebResult(str(r["url"]), str(r.get("title") or ""), cite=f"【{CITE_BASE + index}:{n}†source】")
            for n, r in enumerate(action.results)
        )
        arguments = json.dumps(action.arguments) if action.arguments is not None else json.dumps({"query": query})
        if kind in ("bing_grounding", "bing_custom_search"):
            details = {
                "requesturl": f"https://api.bing.microsoft.com/v7.0/search?q={quote(query)}",
                "response_metadata": json.dumps({"num_docs_retrieved": len(results)}),
            }
        else:
            details = {"input": arguments, "output": output}
        used = ToolUse(kind, action.name, arguments, output, results)
    return AzureToolCall(id=call_id, type=kind, **{kind: details}), used


def connected_agent(backend: Backend, agent_id: str, text: str) -> str:
    """The sub-agent's reply, or `!` and why there is none."""
    if _IN_CONNECTED_AGENT.get():
        return f"!{DEPTH_EXCEEDED} (a connected agent's run cannot call a connected agent)"
    try:
        backend.assistants.get(agent_id)
    except errors.APIError:
        return f"!no agent with id '{agent_id}'"
    thread = backend.threads.create({"messages": [{"role": "user", "content": text or "(empty)"}]})
    nested = _IN_CONNECTED_AGENT.set(True)
    try:
        sub = backend.runs.create(thread.id, {"assistant_id": agent_id})
        sub = backend.runs.engine.settle_run(sub.id, thread.id, force=True)
        if sub.status != "completed":
            detail = f" ({sub.last_error.message})" if sub.last_error is not None else ""
            return f"!its run ended {sub.status}{detail}"
        for message in reversed(list(backend.ns.messages[thread.id].values())):
            if message.role == "assistant":
                return "\n\n".join(p.text.value for p in message.content if p.type == "text")
        return ""
    except errors.APIError as exc:
        return f"!{exc.message}"
    finally:
        _IN_CONNECTED_AGENT.reset(nested)
        if thread.id in backend.ns.threads:
            backend.threads.delete(thread.id)


def openapi_call(settings: dict[str, Any], operation_id: str, arguments: dict[str, Any]) -> tuple[str, str] | Exception:
    """(operationId, the answer's text) of one call on a loopback server, or the problem."""
    # the spec is the app's, stored as given: any part of it may be missing or of the wrong type
    spec = _mapping(settings.get("spec"))
    found = []
    for path, item in _mapping(spec.get("paths")).items():
        for method, op in _mapping(item).items():
            if method in METHODS and isinstance(op, dict):
                if not operation_id or op.get("operationId") == operation_id:
                    found.append((path, method, op))
    if len(found) != 1:
        what = f"operation '{operation_id}'" if operation_id else "a single operation (name one with `operation`)"
        return ValueError(f"its spec has no {what}")
    path, method, op = found[0]
    servers = spec.get("servers") if isinstance(spec.get("servers"), list) else []
    base = str(_mapping(servers[0] if servers else None).get("url") or "")
    left = dict(arguments)
    query: dict[str, Any] = {}
    parameters = op.get("parameters") if isinstance(op.get("parameters"), list) else []
    for param in map(_mapping, parameters):
        name, where = param.get("name"), param.get("in")
        if not isinstance(name, str):
            continue
        if name in left and where == "path":
            path = path.replace("{" + name + "}", quote(str(left.pop(name)), safe=""))
        elif name in left and where == "query":
            query[name] = left.pop(name)
    url = base.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        return ValueError(f"it points at {url!r}; the emulator calls only servers on 127.0.0.1, ::1 or localhost")
    data = json.dumps(left).encode() if left and "requestBody" in op else None
    request = urllib.request.Request(url, data=data, method=method.upper())
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=OPENAPI_TIMEOUT) as answer:
            return op.get("operationId") or method, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:  # the model sees the service's error, as the real tool does
        return op.get("operationId") or method, f"HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')}"
    except (OSError, ValueError) as exc:
        return exc


def _mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}
