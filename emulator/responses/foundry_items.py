"""Foundry's own tools on the Responses API of a project (`call.shape == "project"`, azure-ai-projects 2.x).

The tools (`bing_grounding`, `bing_custom_search_preview`, `azure_ai_search`, `azure_function`, `openapi`,
`sharepoint_grounding_preview`, `fabric_dataagent_preview`, `browser_automation_preview`, `a2a` / `a2a_preview`,
`capture_structured_outputs`) come in a request's `tools` or an agent version's definition; the request's schema
checks their settings (`spec/project_tools.py`, the "project" dialect: the OpenAI shapes refuse them at that check)
and the response echoes them as given. The tools of azure-ai-projects 2.10 whose wire no source shows, or that reach
what the emulator does not serve (`memory_search_preview`, the IQ and Copilot tools, `browser_automation`), are
refused with a 400 naming `tools[n].type`.

A call (a script's `tool: TYPE`, `scripted_models/base.py` `UseTool`) is played as the Assistants front end plays it
(the core, `agent/foundry_tools.py`): `openapi` calls the operation of the tool's spec on a loopback server
(127.0.0.1, ::1, localhost; the emulator's lock is let go meanwhile, as while a code cell runs); every other tool
answers the script's canned `output` and `results` (sources `{url, title}`), and without them the response fails,
naming the tool. `a2a` / `a2a_preview` (the successor of classic Foundry's connected agents: an agent at `base_url`
reached with the Agent2Agent protocol) sends the call's input to that agent when it runs on loopback (`agent/a2a.py`,
v1.0 or v0.3 as its card says), its card's name naming the call; a canned `output` stands for it; an `a2a` tool
with only a `project_connection_id` (a connection the emulator cannot resolve) fails the response, saying so.

On the wire (models/foundry_items.py gives the sources): a `<kind>_call` item (`call_id`, `arguments`, `status`;
`name` for azure_function, openapi and a2a), streamed `response.output_item.added` (in_progress) and
`response.output_item.done` (completed), then its `<kind>_call_output` item (`output`), added and done; Foundry's
Responses protocol defines no other event for them (azure-ai-agentserver-responses 2.3.0 `ResponseStreamEventType`).
The model is then asked again with the output (`ModelInput.tool_uses`, each source with the marker a reply writes
where it cites it: `【k:n†source】`, as classic Foundry's grounding, and as the AI Search sample's instructions ask);
each marker in the reply is a `url_citation` annotation `{end_index, start_index, title, url}` over it (the samples
read `url`, `start_index`, `end_index`). `capture_structured_outputs` makes a `structured_outputs` item of the
script's `output` (added and done), and the model goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from scripted_models.base import ToolUse, UseTool, WebResult

from .. import activity, errors
from ..agent import a2a, foundry_tools, limits, tokens
from ..agent.loop import AGAIN, DONE, Failure
from ..models.foundry_items import (
    CALL_ITEMS,
    CAPTURE,
    ITEM_TYPES,
    KINDS,
    NAMED,
    REFUSED,
    STRUCTURED_OUTPUTS,
    FoundryCallItem,
    FoundryCallOutputItem,
    FoundryToolEcho,
    StructuredOutputsItem,
)
from . import state_machine, web_items

if TYPE_CHECKING:
    from .turn import ResponseTurn

#: The item types an input list may hold (earlier output sent back).
INPUT_TYPES = ITEM_TYPES
#: What each call item's kind of tool is, for what the model reads (`a2a` and `a2a_preview` make the same item).
TOOL_OF_CALL = {call: kind for kind, call in reversed(CALL_ITEMS.items())}
A2A = ("a2a", "a2a_preview")


def handles(kind: Any) -> bool:
    return kind in KINDS or kind in REFUSED


def parse_tool(raw: dict[str, Any], param: str) -> FoundryToolEcho:
    """A Foundry tool of the request as the response echoes it (the request's schema has checked its settings)."""
    kind = raw["type"]
    if kind in REFUSED:
        raise errors.bad_request(f"The emulator does not serve the {kind} tool: {REFUSED[kind]}.",
                                 param=f"{param}.type")  # fmt: skip
    return FoundryToolEcho(**raw)


# --- playing ------------------------------------------------------------------------------


def _settings(tool: FoundryToolEcho) -> dict[str, Any]:
    given = (tool.model_extra or {}).get(tool.type)
    return given if isinstance(given, dict) else {}


def _name(tool: FoundryToolEcho, action: UseTool) -> str:
    """What the call names: the function (azure_function), the tool (openapi), the agent (a2a)."""
    settings = _settings(tool)
    if tool.type == "azure_function":
        return str(foundry_tools.mapping(settings.get("function")).get("name") or "")
    if tool.type == "openapi":
        return str(settings.get("name") or "")
    return action.name or str((tool.model_extra or {}).get("name") or "") or "agent"


def _find(turn: ResponseTurn, action: UseTool) -> FoundryToolEcho | None:
    for tool in turn.response.tools:
        if isinstance(tool, FoundryToolEcho) and tool.type == action.type:
            if action.name and tool.type in ("openapi", "azure_function") and _name(tool, action) != action.name:
                continue
            return tool
    return None


def use(turn: ResponseTurn, action: UseTool, prompt: int) -> str | None:
    """Play `action` if it calls a Foundry tool (None: not one)."""
    if action.type not in KINDS:
        return None
    tool = _find(turn, action)
    if tool is None:
        named = f" '{action.name}'" if action.name else ""
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' called the {action.type} "
                                           f"tool{named}, which the response does not have."), prompt=prompt)  # fmt: skip
    done = sum(isinstance(i, (FoundryCallItem, StructuredOutputsItem)) for i in turn.output)
    too_many = limits.exceeded("tool", done, "response")
    if too_many:
        return turn.finish(failure=Failure("server_error", too_many), prompt=prompt)
    if action.type == CAPTURE:
        return _capture(turn, action, prompt)
    name = _name(tool, action)
    arguments = action.arguments or {}
    results: tuple[WebResult, ...] = ()
    if action.type == "openapi" and action.output is None:
        called = foundry_tools.play_openapi(_settings(tool), action, name, lambda: _let_go(turn, f"openapi {name}"))
        if state_machine.gone(turn.engine.ns, turn.response):
            return DONE
        if isinstance(called, str):
            return turn.finish(failure=Failure("server_error", called), prompt=prompt)
        name, output = called
    elif action.type in A2A and action.output is None:
        played = _a2a(turn, tool, action)
        if state_machine.gone(turn.engine.ns, turn.response):
            return DONE
        if isinstance(played, str):
            return turn.finish(failure=Failure("server_error", played), prompt=prompt)
        name, arguments, output = played
    else:
        answer = foundry_tools.canned(action, 0)
        if answer is None:
            return turn.finish(failure=Failure("server_error", foundry_tools.no_answer(action.type, "response")),
                               prompt=prompt)  # fmt: skip
        output, results = answer.output, answer.results
        if action.arguments is None:
            arguments = {"input" if action.type in A2A else "query": action.input or turn.asked()}
    _play(turn, action.type, name, json.dumps(arguments), output, results, prompt)
    return AGAIN


def _a2a(turn: ResponseTurn, tool: FoundryToolEcho, action: UseTool) -> tuple[str, dict[str, Any], str] | str:
    """An A2A agent on loopback asked the call's input (`agent/a2a.py`): (its card's name, the arguments, its reply),
    or why the response fails."""
    given = tool.model_extra or {}
    base = given.get("base_url")
    if not isinstance(base, str) or not base:
        return (f"The {tool.type} tool has no base_url: the emulator resolves no project connections. Give it a "
                f"base_url on loopback, or the script's `tool: {tool.type}` action a canned `output`.")  # fmt: skip
    text = action.input or turn.asked()
    card_path = given.get("agent_card_path")
    message_id = turn.engine.new_id("call")
    with _let_go(turn, f"a2a {base}"):
        reply = a2a.send(base, card_path if isinstance(card_path, str) else None, text, message_id)
    if isinstance(reply, Exception):
        return f"The A2A agent at {base} could not be called: {reply}"
    return reply.name or _name(tool, action), {"input": text}, reply.text


@contextmanager
def _let_go(turn: ResponseTurn, work: str) -> Iterator[None]:
    """The emulator's lock let go while a call goes out over HTTP (as a code cell's run, domain/containers.py): the
    server keeps answering meanwhile, the called server may call the emulator back, and the response is not moved
    (it is `playing`); `state_machine.gone` says afterwards whether it was cancelled or deleted meanwhile."""
    with turn.engine.emulator.lock.suspended(), activity.work(work):
        yield


def _play(turn: ResponseTurn, kind: str, name: str, arguments: str, output: str, results: tuple[WebResult, ...],
          prompt: int) -> None:  # fmt: skip
    """The call and its output, each added then done; what the model sees comes from them (`tool_uses`)."""
    call_type = CALL_ITEMS[kind]
    named = name if call_type in NAMED else None
    turn._charge(prompt, tokens.count(arguments))
    emit, state, engine = turn.engine.emit, turn.state, turn.engine
    call_id = engine.new_id("call")
    call = FoundryCallItem(id=engine.new_id(call_type), type=call_type, status="in_progress", call_id=call_id,  # type: ignore[arg-type]
                           name=named, arguments=arguments)  # fmt: skip
    index = turn._add(call)
    emit(state, "response.output_item.added", output_index=index, item=call)
    call = call.model_copy(update={"status": "completed"})
    turn._set(index, call)
    emit(state, "response.output_item.done", output_index=index, item=call)
    parsed = _json(output)
    done = FoundryCallOutputItem(id=engine.new_id(f"{call_type}_output"), type=f"{call_type}_output",  # type: ignore[arg-type]
                                 call_id=call_id, name=named, output=parsed)  # fmt: skip
    done._results = tuple({"url": r.url, "title": r.title} for r in results)
    index = turn._add(done)
    emit(state, "response.output_item.added", output_index=index, item=done)
    emit(state, "response.output_item.done", output_index=index, item=done)


def _capture(turn: ResponseTurn, action: UseTool, prompt: int) -> str:
    """`capture_structured_outputs`: the script's `output` as a structured_outputs item; the model goes on."""
    if action.output is None:
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' captured structured "
                                           f"outputs without any: give the script's `tool: {CAPTURE}` action an "
                                           "`output`."), prompt=prompt)  # fmt: skip
    turn._charge(prompt, tokens.count(json.dumps(action.output)))
    item = StructuredOutputsItem(id=turn.engine.new_id(STRUCTURED_OUTPUTS), output=action.output)
    index = turn._add(item)
    turn.engine.emit(turn.state, "response.output_item.added", output_index=index, item=item)
    turn.engine.emit(turn.state, "response.output_item.done", output_index=index, item=item)
    return AGAIN


def _json(text: str) -> Any:
    """An output as the item carries it: a JSON object or list as such, anything else as text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (dict, list)) else text


# --- what the model reads, and the reply's citations ------------------------------------------------


def _sources(item: FoundryCallOutputItem) -> tuple[dict[str, Any], ...]:
    """The sources of an output: the script's `results`, or (an item read back from storage) its output when that
    is a list of sources."""
    if item._results:
        return item._results
    output = item.output
    if isinstance(output, list) and all(isinstance(r, dict) and isinstance(r.get("url"), str) for r in output):
        return tuple({"url": r["url"], "title": str(r.get("title") or "")} for r in output)
    return ()


def _outputs(items: Sequence[Any]) -> list[tuple[str, FoundryCallItem]]:
    """(call_id, call) of the Foundry calls of `items`."""
    return [(i.call_id, i) for i in items if isinstance(i, FoundryCallItem)]


def tool_uses(items: Sequence[Any]) -> tuple[ToolUse, ...]:
    """The Foundry tool calls of `items` (the model's context since the latest user message), and the structured
    outputs captured, as the model reads them: the k-th call's n-th source is cited `【(100+k):n†source】`."""
    uses, calls = [], dict(_outputs(items))
    for item in items:
        if isinstance(item, StructuredOutputsItem):
            uses.append(ToolUse(CAPTURE, output=json.dumps(item.output)))
        elif isinstance(item, FoundryCallOutputItem) and item.call_id in calls:
            call, k = calls[item.call_id], sum(u.type != CAPTURE for u in uses)
            output = item.output if isinstance(item.output, str) else json.dumps(item.output)
            results = tuple(WebResult(r["url"], r["title"], cite=foundry_tools.cite(k, n))
                            for n, r in enumerate(_sources(item)))  # fmt: skip
            uses.append(ToolUse(TOOL_OF_CALL[call.type], call.name or "", call.arguments, output, results))
    return tuple(uses)


def citations(text: str, items: Sequence[Any]) -> list[dict[str, Any]]:
    """A `url_citation` over each marker the reply writes for a source of `items`' Foundry calls, in order."""
    return web_items.url_citations(text, {r.cite: r for use in tool_uses(items) for r in use.results})


# --- sent back as input --------------------------------------------------------------------------


def input_item(raw: dict[str, Any], param: str) -> Any:
    """A Foundry item of an earlier response sent back as input (the request's schema has checked its fields' types;
    what the item does not keep, `agent_reference` and `response_id`, is dropped)."""
    kind = raw["type"]
    if kind == STRUCTURED_OUTPUTS:
        return StructuredOutputsItem(id=raw["id"], output=raw.get("output"))
    if kind.removesuffix("_output") in NAMED and not isinstance(raw.get("name"), str):
        raise errors.missing_parameter(f"{param}.name")
    kept = {k: raw[k] for k in ("id", "type", "status", "call_id", "name") if raw.get(k) is not None}
    if kind.endswith("_output"):
        return FoundryCallOutputItem(**kept, output=raw.get("output"))
    return FoundryCallItem(**kept, arguments=raw["arguments"])
