"""What a Foundry tool call (a scripted model's `UseTool`) does in a run.

- `connected_agent`: the sub-agent (the tool's `connected_agent.id`) runs on an internal thread
  (made for the call, deleted after it) with the input as its user message; its reply is the
  call's output. A sub-run that does not complete fails the call. As in Foundry (a depth of 2:
  sub-agents have no sub-agents of their own), a connected agent's run that calls a connected
  agent fails that call with Foundry's `Assistant tool call depth exceeded`: an agent connected
  to itself, or two connected to each other, end there instead of recursing.
- `openapi`: the operation of the tool's OpenAPI spec is called on a loopback server
  (`agent/foundry_tools.py`, shared with the Responses API of a project).
- any other type (`bing_grounding`, `azure_ai_search`, `azure_function`, ...): the emulator
  reaches no Azure service, so the script's canned `output` and `results` are the answer
  (`agent/foundry_tools.canned`); without them the call fails the run, saying so.

A failure is returned as text (the run's `last_error` message); nothing here raises for
what a script or an app asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scripted_models.base import ToolUse, UseTool

from .. import errors
from ..agent import foundry_tools
from ..models.run_step import AzureToolCall

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.run import Run

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
        played = foundry_tools.play_openapi(settings, action, settings.get("name"), unlocked)
        if isinstance(played, str):
            return played
        name, output = played
        arguments = json.dumps(action.arguments or {})
        details = {"name": name, "arguments": arguments, "output": output}
        used = ToolUse(kind, name, arguments, output)
    else:
        answer = foundry_tools.canned(action, index)
        if answer is None:
            return foundry_tools.no_answer(kind)
        output, results = answer.output, answer.results
        query = action.input or latest_user_text(backend, run.thread_id)
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
