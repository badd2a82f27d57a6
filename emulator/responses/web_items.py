"""web_search, and the tools the emulator cannot play, on the Responses API.

web_search (`web_search`, `web_search_preview` and their dated types): the emulator reaches no web,
so a search finds what a script gives it (`web_search: QUERY` with canned `results: [{url, title,
text}]`, scripted_models/script.py). It is a `web_search_call` item (`output_item.added`,
`response.web_search_call.in_progress`, `.searching`, `.completed`, `output_item.done`) whose action
is the search (`query`; `sources`, the results' urls, only when the request includes
`web_search_call.action.sources`), an `open_page` (`url`) or a `find_in_page` (`pattern`, `url`);
the model is then asked again with the results (`ModelInput.tool_uses`, each with the `cite` a reply
writes where it cites it: `([domain](url))`, as the service's models write their links). Each cite in
the reply is a `url_citation` annotation `{end_index, start_index, title, url}` over it.

Tools the emulator cannot play (computer use, image generation, local shell, shell, apply_patch,
custom tools): accepted as the spec allows them, used only by a script that gives the call's canned
fields (`tool: TYPE`, see `canned`). A call the app carries out (all but image generation) ends the
response `completed`, as function calls do: the app sends its `*_output` item back and the model
reads it as a tool output. Without a canned item the response fails, naming the tool.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scripted_models.base import ToolOutput, ToolUse, UseTool, WebResult

from .. import errors
from ..agent import limits, tokens
from ..agent.loop import AGAIN, Failure
from ..agent.search import marked
from ..models.web_items import (
    CALL_ITEMS,
    OUTPUT_ITEMS,
    UNPLAYABLE,
    WEB_SEARCH,
    WEB_SEARCH_PREVIEW,
    CannedCallItem,
    UnplayableToolEcho,
    UserLocation,
    WebResultEntry,
    WebSearchAction,
    WebSearchCallItem,
    WebSearchPreviewToolEcho,
    WebSearchToolEcho,
    WebSource,
)

if TYPE_CHECKING:
    from .turn import ResponseTurn

WEB_TOOLS = WEB_SEARCH + WEB_SEARCH_PREVIEW
SOURCES = "web_search_call.action.sources"
#: Canned items the app must answer (the response ends for it), and those the service finishes itself.
APP_CARRIES_OUT = tuple(OUTPUT_ITEMS)


# --- tools -------------------------------------------------------------------------------


def echo(raw: dict[str, Any]) -> Any:
    """A web search or unplayable tool as the response echoes it (the spec has checked its fields)."""
    kind = raw["type"]
    if kind in UNPLAYABLE:
        return UnplayableToolEcho(**raw)
    given = raw.get("user_location")
    location = UserLocation(**{k: given.get(k) for k in ("city", "country", "region", "timezone")}) if isinstance(
        given, dict) else UserLocation()  # fmt: skip
    size = raw.get("search_context_size") or "medium"
    if kind in WEB_SEARCH_PREVIEW:
        return WebSearchPreviewToolEcho(type=kind, search_content_types=raw.get("search_content_types"),
                                        search_context_size=size, user_location=location)  # fmt: skip
    return WebSearchToolEcho(type=kind, external_web_access=raw.get("external_web_access"),
                             filters=raw.get("filters"), search_context_size=size, user_location=location)  # fmt: skip


def handles(kind: Any) -> bool:
    return kind in WEB_TOOLS or kind in UNPLAYABLE


def _tool(turn: ResponseTurn, kinds: Sequence[str]) -> Any:
    return next((t for t in turn.response.tools if t.type in kinds), None)


# --- playing -----------------------------------------------------------------------------


def use(turn: ResponseTurn, action: UseTool, prompt: int) -> str | None:
    """Play `action` if it is one of these tools' (None: not theirs)."""
    if action.type not in WEB_TOOLS and action.type not in UNPLAYABLE:
        return None
    used = sum(isinstance(i, WebSearchCallItem) or (isinstance(i, CannedCallItem) and i.type not in APP_CARRIES_OUT)
               for i in turn.response.output)  # fmt: skip
    too_many = limits.exceeded("tool", used, "response")
    if too_many:
        return turn.finish(failure=Failure("server_error", too_many), prompt=prompt)
    if action.type in WEB_TOOLS:
        return search(turn, action, prompt)
    if action.type in UNPLAYABLE:
        return canned(turn, action, prompt)
    return None


def search(turn: ResponseTurn, action: UseTool, prompt: int) -> str:
    """A web_search call with the script's canned results; the model is asked again."""
    if _tool(turn, WEB_TOOLS) is None:
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' searched the web, but "
                                           "the response has no web_search tool."), prompt=prompt)  # fmt: skip
    given = dict(action.arguments or {})
    kind = given.get("type") or "search"
    results = [WebResultEntry(url=str(r["url"]), title=str(r.get("title") or ""), text=str(r.get("text") or ""))
               for r in action.results]  # fmt: skip
    if kind == "search":
        sources = [WebSource(url=r.url) for r in results] if SOURCES in turn.state.include else None
        done = WebSearchAction(type="search", query=action.input or turn.asked(), sources=sources)
    elif kind == "open_page":
        done = WebSearchAction(type="open_page", url=given.get("url"))
    else:
        done = WebSearchAction(type="find_in_page", pattern=given.get("pattern"), url=given.get("url"))
    turn._charge(prompt, tokens.count(action.input or json.dumps(given)))
    emit, state = turn.engine.emit, turn.state
    item = WebSearchCallItem(id=turn.engine.new_id("web_search_call"), status="in_progress",
                             action=WebSearchAction(type=done.type))  # fmt: skip
    index = turn._add(item)
    where = {"output_index": index, "item_id": item.id}
    emit(state, "response.output_item.added", output_index=index, item=item)
    emit(state, "response.web_search_call.in_progress", **where)
    emit(state, "response.web_search_call.searching", **where)
    finished = item.model_copy(update={"status": "completed", "action": done, "results": results})
    turn._set(index, finished)
    emit(state, "response.web_search_call.completed", **where)
    emit(state, "response.output_item.done", output_index=index, item=finished)
    return AGAIN


def canned(turn: ResponseTurn, action: UseTool, prompt: int) -> str:
    """A call of a tool the emulator cannot play, as the script gave it: `arguments` are the call's
    action (computer use, shells) or operation (apply_patch), `name` and `input` a custom tool's call,
    `output` an image generation's result (base64)."""
    kind = action.type
    tool = _tool(turn, (kind,))
    if tool is None:
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' used the {kind} tool, "
                                           "but the response has no such tool."), prompt=prompt)  # fmt: skip
    fields = _call_fields(kind, action, tool, turn.engine.new_id("call"))
    if fields is None:
        return turn.finish(failure=Failure("server_error", unplayable(kind)), prompt=prompt)
    item_type = CALL_ITEMS[kind]
    turn._charge(prompt, tokens.count(json.dumps(fields)))
    emit, state = turn.engine.emit, turn.state
    item = CannedCallItem(id=turn.engine.new_id(item_type), type=item_type, **fields)  # type: ignore[arg-type]
    index = turn._add(item)
    emit(state, "response.output_item.added", output_index=index, item=item)
    emit(state, "response.output_item.done", output_index=index, item=item)
    return turn.finish() if item_type in APP_CARRIES_OUT else AGAIN


def unplayable(kind: str) -> str:
    return (f"The emulator cannot play the {kind} tool: it reaches no service beyond the machine. A scripted model "
            f"can stand for it with a canned call (`tool: {kind}` in a script; see docs/responses.md).")  # fmt: skip


def _call_fields(kind: str, action: UseTool, tool: Any, call_id: str) -> dict[str, Any] | None:
    arguments = action.arguments
    if kind in ("computer_use_preview", "computer") and arguments:
        return {"status": "completed", "action": arguments, "call_id": call_id, "pending_safety_checks": []}
    if kind == "image_generation" and isinstance(action.output, str) and action.output:
        return {"status": "completed", "result": action.output}
    if kind == "local_shell" and arguments:
        return {"status": "completed", "action": {"type": "exec", **arguments}, "call_id": call_id}
    if kind == "shell" and arguments:
        return {"status": "completed", "action": arguments, "call_id": call_id}
    if kind == "apply_patch" and arguments:
        return {"status": "completed", "call_id": call_id, "operation": arguments}
    if kind == "custom" and (action.input or arguments):
        name = action.name or getattr(tool, "name", "") or ""
        return {"call_id": call_id, "input": action.input or json.dumps(arguments), "name": name}
    return None


# --- what the model reads ----------------------------------------------------------------


def cite(url: str) -> str:
    """The marker a reply writes where it cites `url`: a link named by its domain."""
    domain = urlsplit(url).netloc.removeprefix("www.") or url
    return f"([{domain}]({url}))"


def tool_uses(items: Sequence[Any]) -> tuple[ToolUse, ...]:
    """The web searches and image generations of `items` (the model's context since the latest user message), as
    the model reads them."""
    uses = []
    for item in items:
        if isinstance(item, WebSearchCallItem):
            action = item.action
            results = tuple(WebResult(r.url, r.title, cite=cite(r.url), text=r.text) for r in item.results)
            output = "\n\n".join(f"{r.title}\n{r.url}\n{r.text}".strip() for r in item.results)
            arguments = action.model_dump(mode="json", exclude={"sources"})
            uses.append(ToolUse("web_search", name=action.query or action.url or "", arguments=json.dumps(arguments),
                                output=output, results=results))  # fmt: skip
        elif isinstance(item, CannedCallItem) and item.type == "image_generation_call":
            uses.append(ToolUse("image_generation", output=str(item.fields().get("result") or "")))
    return tuple(uses)


def tool_outputs(items: Sequence[Any]) -> list[ToolOutput]:
    """The app's answers to canned calls in `items`, as tool outputs (name: the custom tool's, else the item type)."""
    calls = {i.call_id: i for i in items if isinstance(i, CannedCallItem) and i.type in OUTPUT_ITEMS}
    found = []
    for item in items:
        call = calls.get(item.call_id) if isinstance(item, CannedCallItem) and item.type not in OUTPUT_ITEMS else None
        if call is None:
            continue
        given = call.fields()
        arguments = given.get("input") or given.get("action") or given.get("operation") or {}
        output = item.fields().get("output")
        found.append(ToolOutput(call.call_id, str(given.get("name") or call.type),
                                arguments if isinstance(arguments, str) else json.dumps(arguments),
                                output if isinstance(output, str) else json.dumps(output)))  # fmt: skip
    return found


def citations(text: str, items: Sequence[Any]) -> list[dict[str, Any]]:
    """A `url_citation` for each place the reply cites a web result of `items`, in order."""
    return url_citations(text, {cite(r.url): r for i in items if isinstance(i, WebSearchCallItem) for r in i.results})


def url_citations(text: str, sources: dict[str, Any]) -> list[dict[str, Any]]:
    """A `url_citation` over each place `text` writes a marker of `sources` (marker -> a source with `url` and
    `title`), in order: the web's results and the Foundry tools' sources are cited alike."""
    found = [{"type": "url_citation", "end_index": start + len(marker), "start_index": start, "title": source.title,
              "url": source.url} for start, marker, source in marked(text, sources.items())]  # fmt: skip
    return sorted(found, key=lambda a: a["start_index"])


# --- input items -------------------------------------------------------------------------

INPUT_TYPES = ("web_search_call", *CALL_ITEMS.values(), *OUTPUT_ITEMS.values())


def input_item(raw: dict[str, Any], new_id: Any, param: str) -> Any:
    """An earlier web search or canned call sent back, or the app's answer to a canned call."""
    kind = raw["type"]
    if kind == "web_search_call":
        if not isinstance(raw.get("id"), str):
            raise errors.missing_parameter(f"{param}.id")
        action = raw.get("action") if isinstance(raw.get("action"), dict) else {"type": "search"}
        kept = {k: action.get(k) for k in ("type", "pattern", "query", "url") if isinstance(action.get(k), str)}
        status = (
            raw.get("status") if raw.get("status") in ("in_progress", "searching", "incomplete", "failed") else None
        )
        return WebSearchCallItem(id=raw["id"], status=status or "completed", action=WebSearchAction(**kept))
    if kind in OUTPUT_ITEMS.values() or kind == "custom_tool_call":
        if not isinstance(raw.get("call_id"), str):
            raise errors.missing_parameter(f"{param}.call_id")
    fields = {k: v for k, v in raw.items() if k not in ("id", "type", "status")}
    status = raw.get("status") if isinstance(raw.get("status"), str) else None
    item_id = raw.get("id") if isinstance(raw.get("id"), str) else new_id(kind)
    return CannedCallItem(id=item_id, type=kind, status=status, **dict(sorted(fields.items())))
