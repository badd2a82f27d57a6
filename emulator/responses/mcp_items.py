"""MCP on the Responses API: the `mcp` tool checked and echoed, its servers' tools listed, its calls
made (or their approval asked first), as output items and stream events.

- The tool `{"type": "mcp", "server_label", "server_url", "allowed_tools", "require_approval",
  "headers", "server_description"}`: a server off loopback (127.0.0.0/8, ::1, localhost) is refused
  with a 400 naming `server_url`, unless the emulator has a stand-in for that url
  (`Emulator.register_mcp_server`). The echo redacts each header's value and the url's path.
- A response lists the tools of each of its MCP servers once, before the model is first asked: an
  `mcp_list_tools` item (only the `allowed_tools`; `read_only` from the tool's `readOnlyHint`), unless
  the context (the chain's or conversation's items, or the input) already holds a listing of that
  server_label; events `output_item.added`, `response.mcp_list_tools.in_progress`, `.completed` (or
  `.failed`, the item's `error` saying why), `output_item.done`.
- The model's call (a script's `tool: mcp`, `agent/mcp.py`'s `needs_approval` reading
  `require_approval`) is an `mcp_call` item: `output_item.added`, `response.mcp_call.in_progress`,
  `response.mcp_call_arguments.delta`..., `.done`, `response.mcp_call.completed` (or `.failed`, with
  `error`), `output_item.done`; the model is asked again with its output (`ModelInput.tool_uses`). A
  call that must be approved is an `mcp_approval_request` item instead, and the response completes;
  the app answers with an `mcp_approval_response` input item (`approve`, `approval_request_id`) in a
  later response of the chain or conversation, which makes the approved call (its `mcp_call` names
  the `approval_request_id`) before the model goes on; a denied call is not made, and the model is
  told so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scripted_models.base import ToolUse, UseTool

from .. import errors
from ..agent import limits, tokens
from ..agent import mcp as core_mcp
from ..agent.loop import AGAIN, Failure
from ..models.items import InputMessage
from ..models.mcp_items import (
    McpApprovalRequestItem,
    McpApprovalResponseItem,
    McpCallItem,
    McpListedTool,
    McpListToolsItem,
    McpToolEcho,
)
from ..runs.stream import chunks

if TYPE_CHECKING:
    from ..domain import Backend
    from .turn import ResponseTurn

APPROVALS = ("always", "never")


# --- the tool ---------------------------------------------------------------------------------


def parse_tool(raw: dict[str, Any], param: str, backend: Backend) -> McpToolEcho:
    """The request's mcp tool as echoed (or the 400 for it)."""
    label = raw.get("server_label")
    if not isinstance(label, str) or not label:
        raise errors.missing_parameter(f"{param}.server_label")
    if raw.get("connector_id") is not None:
        raise errors.bad_request("MCP connectors (`connector_id`) are not served by the emulator; give a "
                                 "`server_url` on loopback.", param=f"{param}.connector_id")  # fmt: skip
    url = raw.get("server_url")
    if not isinstance(url, str) or not url:
        raise errors.missing_parameter(f"{param}.server_url")
    problem = core_mcp.loopback_problem(url)
    if problem and stand_in(backend, url) is None:
        raise errors.bad_request(f"The MCP server '{label}' cannot be reached: {problem}.", param=f"{param}.server_url")
    allowed = raw.get("allowed_tools")
    if allowed is not None and _names(allowed) is None:
        raise errors.invalid_type(f"{param}.allowed_tools", "an array of tool names or an object with tool_names",
                                  type(allowed).__name__)  # fmt: skip
    approval = raw.get("require_approval")
    if approval is not None and approval not in APPROVALS and not isinstance(approval, dict):
        raise errors.invalid_value(f"{param}.require_approval", approval, list(APPROVALS))
    headers = raw.get("headers")
    if headers is not None and (not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values())):
        raise errors.invalid_type(f"{param}.headers", "an object of strings", type(headers).__name__)
    given = {k: raw[k] for k in ("allowed_tools", "require_approval", "server_description") if k in raw}
    echo = McpToolEcho(server_label=label, server_url=_redacted_url(url),
                       headers={k: "<redacted>" for k in headers} if headers is not None else None, **given)  # fmt: skip
    echo._url, echo._headers = url, dict(headers or {})
    return echo


def check_labels(tools: Sequence[Any]) -> None:
    labels = [t.server_label for t in tools if isinstance(t, McpToolEcho)]
    for n, label in enumerate(labels):
        if label in labels[:n]:
            raise errors.bad_request(f"Duplicate MCP server_label '{label}': each MCP tool needs its own.",
                                     param="tools")  # fmt: skip


def _redacted_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/<redacted>" if parts.path.strip("/") or parts.query else url


def _names(allowed: Any) -> list[str] | None:
    """The tool names `allowed_tools` lets through (a list, or `{"tool_names": [...]}`); None if malformed."""
    names = allowed.get("tool_names", []) if isinstance(allowed, dict) else allowed
    if isinstance(names, list) and all(isinstance(n, str) for n in names):
        return names
    return None


def _allows(tool: McpToolEcho, name: str, read_only: bool | None = None) -> bool:
    allowed = tool.allowed_tools
    if allowed is None:
        return True
    if isinstance(allowed, dict) and allowed.get("read_only") and read_only is False:
        return False
    names = _names(allowed) or []
    return name in names if names or not isinstance(allowed, dict) else True


def stand_in(backend: Backend, url: str) -> Any:
    """The emulator's stand-in for the MCP server at `url` (`Emulator.register_mcp_server`), if any."""
    return backend.emulator.mcp_stand_ins.get(url)


def mcp_tools(turn: ResponseTurn) -> list[McpToolEcho]:
    return [t for t in turn.response.tools if isinstance(t, McpToolEcho)]


# --- the server ---------------------------------------------------------------------------------


def _list(turn: ResponseTurn, tool: McpToolEcho) -> list[dict[str, Any]]:
    found = stand_in(turn.engine.backend, tool._url)
    if found is not None:
        return found.list_tools()
    return core_mcp.list_tools(tool._url, tool._headers)


def _call(turn: ResponseTurn, tool: McpToolEcho, name: str, arguments: dict[str, Any]) -> str:
    found = stand_in(turn.engine.backend, tool._url)
    if found is not None:
        return found.call_tool(name, arguments)
    return core_mcp.call_tool(tool._url, tool._headers, name, arguments)


# --- playing ----------------------------------------------------------------------------------


def begin(turn: ResponseTurn) -> None:
    """Before the model is first asked: list the servers not listed in the context, then make the
    calls the app has approved since."""
    context = [*turn.state.items, *turn.output]
    tools = mcp_tools(turn)
    if not tools and not any(isinstance(i, McpApprovalResponseItem) for i in context):
        return  # no server to list, no approved call to make
    listed = {i.server_label for i in context if isinstance(i, McpListToolsItem)}
    for tool in tools:
        if tool.server_label not in listed:
            _list_tools(turn, tool)
    requests = {i.id: i for i in context if isinstance(i, McpApprovalRequestItem)}
    made = {i.approval_request_id for i in context if isinstance(i, McpCallItem)}
    for answer in context:
        if isinstance(answer, McpApprovalResponseItem) and answer.approve and answer.approval_request_id not in made:
            request = requests.get(answer.approval_request_id)
            tool = _tool(turn, request.server_label) if request is not None else None
            if request is not None and tool is not None:
                made.add(request.id)
                _make_call(turn, tool, request.name, request.arguments, approval_request_id=request.id)


def _list_tools(turn: ResponseTurn, tool: McpToolEcho) -> None:
    emit, state = turn.engine.emit, turn.state
    item = McpListToolsItem(id=turn.engine.new_id("mcp_list_tools"), server_label=tool.server_label)
    index = turn._add(item)
    where = {"output_index": index, "item_id": item.id}
    emit(state, "response.output_item.added", output_index=index, item=item)
    emit(state, "response.mcp_list_tools.in_progress", **where)
    try:
        listed = _list(turn, tool)
    except core_mcp.McpFailure as exc:
        done = item.model_copy(update={"error": f"Error retrieving tool list from MCP server: '{tool.server_label}'."
                                                f" {exc}"})  # fmt: skip
        event = "response.mcp_list_tools.failed"
    else:
        shown = [_listed(t) for t in listed]
        done = item.model_copy(
            update={"tools": [t for t in shown if _allows(tool, t.name, t.annotations["read_only"])]}
        )
        event = "response.mcp_list_tools.completed"
    turn._set(index, done)
    emit(state, event, **where)
    emit(state, "response.output_item.done", output_index=index, item=done)


def _listed(raw: dict[str, Any]) -> McpListedTool:
    annotations = raw.get("annotations") if isinstance(raw.get("annotations"), dict) else {}
    description = raw.get("description")
    return McpListedTool(annotations={"read_only": bool(annotations.get("readOnlyHint", False))},
                         description=description if isinstance(description, str) else None,
                         input_schema=raw.get("inputSchema") or {"type": "object"}, name=raw["name"])  # fmt: skip


def _tool(turn: ResponseTurn, label: str) -> McpToolEcho | None:
    return next((t for t in mcp_tools(turn) if not label or t.server_label == label), None)


def use_tool(turn: ResponseTurn, action: UseTool, prompt: int) -> str:
    """The model calls an MCP tool: the call is made (the model is asked again), or its approval asked."""
    tool = _tool(turn, action.server_label)
    if tool is None:
        where = f"the MCP server '{action.server_label}'" if action.server_label else "an MCP server"
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' called a tool on {where}, "
                                           "which the response does not have."), prompt=prompt)  # fmt: skip
    if not action.name:
        return turn.finish(failure=Failure("server_error", f"The MCP call on server '{tool.server_label}' names no "
                                           "tool: give the script's `tool: mcp` action a `name`."), prompt=prompt)  # fmt: skip
    if not _allows(tool, action.name):
        return turn.finish(failure=Failure("server_error", f"The MCP server '{tool.server_label}' does not allow the "
                                           f"tool '{action.name}' (its allowed_tools: {tool.allowed_tools})."),
                           prompt=prompt)  # fmt: skip
    done = sum(isinstance(i, (McpCallItem, McpApprovalRequestItem)) for i in turn.output)
    too_many = limits.exceeded("tool", done, "response")
    if too_many:
        return turn.finish(failure=Failure("server_error", too_many), prompt=prompt)
    arguments = json.dumps(action.arguments or {}, separators=(",", ":"))
    turn._charge(prompt, tokens.count(action.name) + tokens.count(arguments))
    canned = action.output if isinstance(action.output, str) or action.output is None else json.dumps(action.output)
    if core_mcp.needs_approval(tool.require_approval or "always", action.name):
        item = McpApprovalRequestItem(id=turn.engine.new_id("mcp_approval_request"), arguments=arguments,
                                      name=action.name, server_label=tool.server_label)  # fmt: skip
        index = turn._add(item)
        turn.engine.emit(turn.state, "response.output_item.added", output_index=index, item=item)
        turn.engine.emit(turn.state, "response.output_item.done", output_index=index, item=item)
        return turn.finish()
    _make_call(turn, tool, action.name, arguments, canned=canned)
    return AGAIN


def _make_call(turn: ResponseTurn, tool: McpToolEcho, name: str, arguments: str, *,
               approval_request_id: str | None = None, canned: str | None = None) -> None:  # fmt: skip
    emit, state = turn.engine.emit, turn.state
    item = McpCallItem(id=turn.engine.new_id("mcp_call"), approval_request_id=approval_request_id, arguments="",
                       name=name, server_label=tool.server_label, status="in_progress")  # fmt: skip
    index = turn._add(item)
    where = {"output_index": index, "item_id": item.id}
    emit(state, "response.output_item.added", output_index=index, item=item)
    emit(state, "response.mcp_call.in_progress", **where)
    for _offset, piece in chunks(arguments, state.chunking) if state.heard else ():
        emit(state, "response.mcp_call_arguments.delta", **where, delta=piece)  # no obfuscation: the spec has none
    emit(state, "response.mcp_call_arguments.done", **where, arguments=arguments)
    try:
        parsed = json.loads(arguments or "{}")
        output = canned if canned is not None else _call(turn, tool, name, parsed if isinstance(parsed, dict) else {})
    except core_mcp.McpFailure as exc:
        done = item.model_copy(update={"arguments": arguments, "error": exc.error, "status": "failed"})
        event = "response.mcp_call.failed"
    else:
        done = item.model_copy(update={"arguments": arguments, "output": output, "status": "completed"})
        event = "response.mcp_call.completed"
    turn._set(index, done)
    emit(state, event, **where)
    emit(state, "response.output_item.done", output_index=index, item=done)


# --- what the model sees ----------------------------------------------------------------------


def shown_tool(tool: dict[str, Any], items: Sequence[Any]) -> dict[str, Any]:
    """An mcp tool as the model reads it: without `allowed_tools`, the tools its server listed in the
    context stand there (so the model knows what it may call)."""
    if tool.get("type") != "mcp" or tool.get("allowed_tools") is not None:
        return tool
    listed = [t.name for i in items if isinstance(i, McpListToolsItem) and i.server_label == tool.get("server_label")
              for t in i.tools]  # fmt: skip
    return {**tool, "allowed_tools": listed}


def tool_uses(items: Sequence[Any]) -> tuple[ToolUse, ...]:
    """The MCP calls made (and the ones the app denied) since the latest user message, oldest first."""
    last_user = max((n for n, i in enumerate(items) if isinstance(i, InputMessage) and i.role == "user"), default=-1)
    recent = items[last_user + 1 :]
    requests = {i.id: i for i in items if isinstance(i, McpApprovalRequestItem)}
    uses = []
    for item in recent:
        if isinstance(item, McpCallItem):
            output = item.output if item.output is not None else _error_text(item.error)
            uses.append(ToolUse("mcp", item.name, item.arguments, output or "", server_label=item.server_label))
        elif isinstance(item, McpApprovalResponseItem) and not item.approve and item.approval_request_id in requests:
            asked = requests[item.approval_request_id]
            uses.append(ToolUse("mcp", asked.name, asked.arguments, "", server_label=asked.server_label, denied=True))
    return tuple(uses)


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        return f"Error: {error.get('message') or json.dumps(error.get('content', error))}"
    return f"Error: {error}" if error else ""


# --- sent back as input -----------------------------------------------------------------------

#: The MCP items an input list may hold.
INPUT_TYPES = ("mcp_list_tools", "mcp_call", "mcp_approval_request", "mcp_approval_response")


def input_item(raw: dict[str, Any], new_id: Any, param: str) -> Any:
    """An MCP item of a request's input (earlier output sent back, or the app's approval answer)."""
    kind = raw["type"]

    def text(key: str, required: bool = True) -> str:
        value = raw.get(key)
        if not isinstance(value, str):
            if required:
                raise errors.missing_parameter(f"{param}.{key}")
            return ""
        return value

    if kind == "mcp_approval_response":
        if not isinstance(raw.get("approve"), bool):
            raise errors.missing_parameter(f"{param}.approve")
        reason = raw.get("reason")
        return McpApprovalResponseItem(id=raw.get("id") or new_id("mcp_approval_response"),
                                       approval_request_id=text("approval_request_id"), approve=raw["approve"],
                                       reason=reason if isinstance(reason, str) else None)  # fmt: skip
    if kind == "mcp_approval_request":
        return McpApprovalRequestItem(id=text("id"), arguments=text("arguments"), name=text("name"),
                                      server_label=text("server_label"))  # fmt: skip
    if kind == "mcp_list_tools":
        tools = raw.get("tools")
        if not isinstance(tools, list) or not all(
            isinstance(t, dict) and isinstance(t.get("name"), str) for t in tools
        ):
            raise errors.invalid_type(f"{param}.tools", "an array of tools", type(tools).__name__)
        listed = [McpListedTool(**{k: t[k] for k in ("annotations", "description", "input_schema", "name") if k in t})
                  for t in tools]  # fmt: skip
        error = raw.get("error")
        return McpListToolsItem(id=text("id"), server_label=text("server_label"), tools=listed,
                                error=error if isinstance(error, str) else None)  # fmt: skip
    status = raw.get("status") if raw.get("status") in ("in_progress", "calling", "incomplete", "failed") else None
    output, error, approval = raw.get("output"), raw.get("error"), raw.get("approval_request_id")
    return McpCallItem(id=text("id"), arguments=text("arguments"), name=text("name"),
                       server_label=text("server_label"), output=output if isinstance(output, str) else None,
                       error=error if isinstance(error, (dict, str)) else None, status=status or "completed",
                       approval_request_id=approval if isinstance(approval, str) else None)  # fmt: skip
