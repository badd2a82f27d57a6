"""MCP tools of a Foundry run (the 1.2 betas of azure-ai-agents): the run's side of an MCP call.

A scripted `tool: mcp` call (tool `name`, `arguments`, `server_label`) becomes an `mcp` tool
call of a step. Whether the app must approve it first comes from the run's
`tool_resources.mcp[*]` entry of that server_label (`agent/mcp.py` reads its
`require_approval`). Approval asked, the run waits in `requires_action` with
`submit_tool_approval`; a denied call is not made and its output says so (the model goes on).
The call itself is the core's (`agent/mcp.py`), with the entry's `headers` (and the approval's
over them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scripted_models.base import UseTool

from ..agent.mcp import McpFailure, loopback_problem, needs_approval
from ..agent.mcp import call_tool as _call
from ..models.run import RequiredMcpToolCall
from ..models.run_step import McpToolCall

if TYPE_CHECKING:
    from ..models.run import Run, Usage

__all__ = ["McpCall", "McpFailure", "call_tool", "denied", "find_tool", "needs_approval", "plan", "resource"]


@dataclass
class McpCall:
    """One MCP call of a run, from the model's request to its output."""

    id: str
    server_label: str
    server_url: str
    name: str
    arguments: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    canned: str | None = None  # a script's canned output: the server is not called
    approval: bool = True  # the app must approve it first
    approved: bool | None = None
    step_id: str = ""
    usage: Usage | None = None

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments)

    def step_call(self, output: str | None = None) -> McpToolCall:
        return McpToolCall(id=self.id, name=self.name, arguments=self.arguments_json,
                           server_label=self.server_label, output=output)  # fmt: skip

    def required(self) -> RequiredMcpToolCall:
        return RequiredMcpToolCall(id=self.id, name=self.name, arguments=self.arguments_json,
                                   server_label=self.server_label)  # fmt: skip


def denied(call: McpCall) -> str:
    """The output of a call the app did not approve (the emulator's wording)."""
    return (
        f"The call of the MCP tool '{call.name}' on server '{call.server_label}' was not approved, so it was not made."
    )


def find_tool(run: Run, label: str) -> dict[str, Any] | None:
    for tool in run.tools:
        data = tool.model_dump(mode="json")
        if data.get("type") == "mcp" and (not label or data.get("server_label") == label):
            return data
    return None


def resource(run: Run, label: str) -> dict[str, Any]:
    """The run's `tool_resources.mcp` entry for the server (empty if it has none)."""
    for entry in run.resources.mcp or []:
        if isinstance(entry, dict) and entry.get("server_label") == label:
            return entry
    return {}


def plan(call_id: str, run: Run, action: UseTool, tool: dict[str, Any]) -> McpCall | str:
    """The call the model asks for, or why the run fails."""
    label = str(tool.get("server_label") or "")
    if not action.name:
        return f"The MCP call on server '{label}' names no tool: give the script's `tool: mcp` action a `name`."
    allowed = tool.get("allowed_tools") or []
    if allowed and action.name not in allowed:
        return f"The MCP server '{label}' does not allow the tool '{action.name}' (its allowed_tools: {allowed})."
    url = str(tool.get("server_url") or "")
    canned = action.output if isinstance(action.output, str) or action.output is None else json.dumps(action.output)
    if canned is None:
        problem = loopback_problem(url)
        if problem:
            return f"The MCP server '{label}' could not be called: {problem}."
    entry = resource(run, label)
    headers = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
    return McpCall(id=call_id, server_label=label, server_url=url, name=action.name,
                   arguments=dict(action.arguments or {}), headers=dict(headers), canned=canned,
                   approval=needs_approval(entry.get("require_approval", "always"), action.name))  # fmt: skip


def call_tool(call: McpCall) -> str:
    """The call made on its server (raises McpFailure). Called with the emulator's lock let go."""
    return _call(call.server_url, call.headers, call.name, call.arguments)
