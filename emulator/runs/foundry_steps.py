"""Foundry tool calls (a scripted model's `UseTool`) as steps of a run: the engine's side of
`azure_tools` (what each tool does) and `mcp` (approvals and the MCP server call), as the
engine's `run_code` is of `code_tool`.

- A tool call is one `tool_calls` step; once it has its output the step completes and the
  model is asked again (with the output in `ModelInput.tool_uses`).
- An MCP call whose server settings ask for an approval waits: the run goes to
  `requires_action` with `submit_tool_approval`; once the app answers (`approve`), the run's
  next move makes the approved calls (a denied one is not made, its output says so) before the
  model goes on.
- A reply's `【k:n†source】` markers of grounding results become `url_citation` annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scripted_models.base import ToolUse, UseTool

from ..agent import search, tokens
from ..models.message import UrlCitation, UrlCitationAnnotation
from ..models.run import SubmitToolApproval, ToolApprovalAction
from . import azure_tools, mcp

if TYPE_CHECKING:
    from ..models.run import Run
    from .engine import Emit, RunEngine, RunState


def use_tool(engine: RunEngine, run: Run, state: RunState, at: int, action: UseTool, prompt: int,
             emit: Emit) -> Run | tuple[Run, int]:  # fmt: skip
    """A Foundry tool call (see azure_tools): the step shows it; the model is asked again (an
    MCP call may wait for the app's approval first)."""
    if action.type == "mcp":
        return _use_mcp(engine, run, state, at, action, prompt, emit)
    tool = azure_tools.find_tool(run, action)
    if tool is None:
        return engine.fail(run, state, at, emit, f"Scripted model '{run.model}' called the {action.type} tool "
                           f"'{action.name}', which the run does not have.", prompt=prompt)  # fmt: skip
    state.executing = True  # a sub-agent's run, or an HTTP call: nothing else moves this run meanwhile
    try:
        outcome = azure_tools.use(engine.backend, run, action, tool, len(state.tool_uses),
                                  engine.emulator.lock.suspended)  # fmt: skip
    finally:
        state.executing = False
    resumed = engine.resumed(run, state, at)
    if not isinstance(resumed, tuple):
        return resumed
    run, at = resumed
    if isinstance(outcome, str):
        return engine.fail(run, state, at, emit, outcome, prompt=prompt)
    call, used = outcome
    state.tool_uses.append(used)
    step = engine.open_step(run, at, [call], emit)
    engine.complete_step(run, step, at, engine.charge(state, prompt, tokens.count(used.arguments)), emit)
    return run, at


def _use_mcp(engine: RunEngine, run: Run, state: RunState, at: int, action: UseTool, prompt: int,
             emit: Emit) -> Run | tuple[Run, int]:  # fmt: skip
    """An MCP call (see mcp.py): the step shows it; the run waits for its approval if the
    server's settings ask for one, else the call is made and the model is asked again."""
    tool = mcp.find_tool(run, action.server_label)
    planned = (f"Scripted model '{run.model}' called a tool on the MCP server '{action.server_label}', which "
               "the run does not have." if tool is None
               else mcp.plan(engine.emulator.ids.new("call"), run, action, tool))  # fmt: skip
    if isinstance(planned, str):
        return engine.fail(run, state, at, emit, planned, prompt=prompt)
    planned.usage = engine.charge(state, prompt, tokens.count(planned.arguments_json))
    step = engine.open_step(run, at, [planned.step_call()], emit)
    planned.step_id = step.id
    if not planned.approval:
        return _finish_mcp(engine, run, state, at, planned, emit)
    state.mcp_calls, state.pending_step = [planned], step.id
    required = ToolApprovalAction(submit_tool_approval=SubmitToolApproval(tool_calls=[planned.required()]))
    return engine.require_action(run, state, at, required, emit)


def make_answered_calls(engine: RunEngine, run: Run, state: RunState, at: int, emit: Emit) -> Run | tuple[Run, int]:
    """The MCP calls the app has just approved (or not), made before the model goes on."""
    calls, state.mcp_calls = state.mcp_calls, []
    for call in calls:
        outcome = _finish_mcp(engine, run, state, at, call, emit)
        if not isinstance(outcome, tuple):
            return outcome
        run, at = outcome
    return run, at


def _finish_mcp(engine: RunEngine, run: Run, state: RunState, at: int, call: mcp.McpCall,
                emit: Emit) -> Run | tuple[Run, int]:  # fmt: skip
    """Make the call (with the lock let go) unless it was denied; its step completes with the
    output, or the run fails with what the server said."""
    if call.approved is False:
        output = mcp.denied(call)
    elif call.canned is not None:
        output = call.canned
    else:
        try:
            with engine.released(state, f"mcp {call.server_label} {run.id}"):
                output = mcp.call_tool(call)
        except mcp.McpFailure as exc:
            output = exc
        resumed = engine.resumed(run, state, at)
        if not isinstance(resumed, tuple):
            return resumed
        run, at = resumed
        if isinstance(output, mcp.McpFailure):
            message = f"The MCP server '{call.server_label}' failed the call of '{call.name}': {output}"
            return engine.fail(run, state, at, emit, message)
    state.tool_uses.append(ToolUse("mcp", call.name, call.arguments_json, output, server_label=call.server_label,
                                   denied=call.approved is False))  # fmt: skip
    step = engine.ns.steps[run.id].get(call.step_id)
    engine.complete_step(run, step, at, call.usage, emit, call=call.step_call(output))
    return run, at


def record_approvals(state: RunState, approvals: list[dict[str, Any]]) -> None:
    """The app's checked answers on the waiting MCP calls (with the headers it adds)."""
    by_id = {a["tool_call_id"]: a for a in approvals}
    for call in state.mcp_calls:
        call.approved = by_id[call.id]["approve"]
        call.headers.update(by_id[call.id].get("headers") or {})


def url_citations(text: str, uses: list[ToolUse]) -> list[UrlCitationAnnotation]:
    """A `url_citation` for each marker of a grounding result in the reply."""
    sources = ((result.cite, result) for use in uses for result in use.results)
    return [UrlCitationAnnotation(text=marker, start_index=start, end_index=start + len(marker),
                                  url_citation=UrlCitation(url=result.url, title=result.title))
            for start, marker, result in search.marked(text, sources)]  # fmt: skip
