"""The Responses side of the inspector's JSON: conversations as chats, responses with their chain.

A conversation shows its items in order (messages, function calls and their outputs,
reasoning), and the responses made in it. A response shows its input items and its output,
its status, usage and error, and its chain: the responses it continues (`previous_response_id`,
oldest first) and those that continue it. Read-only, as the rest of the inspector: nothing
here moves a background response (they move when the API is called).
"""

from __future__ import annotations

from typing import Any

from .. import wire
from ..store import Namespace
from .text import segments


def item_view(item: Any) -> dict[str, Any]:
    """An item as the API shows it, an output text's annotations cut into segments and footnotes."""
    with wire.reading(None, stream=True):
        view = item.to_json()
    for part in view.get("content") or ():
        if part.get("type") == "output_text":
            # the Responses API's annotations are flat ({"type", "file_id", "url", ...}); the
            # footnotes read a target under the annotation's type, as the Assistants API nests it;
            # a file_citation marks the place (`index`) its marker stood, named by its filename
            nested = [{**a, a.get("type", ""): a, **_place(a)} for a in part.get("annotations") or ()]
            part["segments"], part["footnotes"] = segments(part["text"], nested)
    return view


def _place(annotation: dict[str, Any]) -> dict[str, Any]:
    index = annotation.get("index")
    if not isinstance(index, int) or "start_index" in annotation:
        return {}
    return {"start_index": index, "end_index": index, "text": annotation.get("filename") or ""}


def _chain(ns: Namespace, response: Any) -> list[str]:
    """The ids of the stored responses `response` continues, oldest first (a deleted or
    unstored link ends the walk; the page shows the id it knows as gone)."""
    chain: list[str] = []
    seen = {response.id}
    previous = response.previous_response_id
    while previous is not None and previous not in seen:
        chain.append(previous)
        seen.add(previous)
        found = ns.responses.get(previous)
        previous = found.previous_response_id if found is not None else None
    return chain[::-1]


def response_view(ns: Namespace, response: Any, continued_by: dict[str, list[str]]) -> dict[str, Any]:
    state = ns.response_states.get(response.id)
    table = ns.response_inputs.get(response.id)
    with wire.reading(None, stream=True):
        view = response.to_json()
    view["output"] = [item_view(item) for item in response.output]
    return {
        **view,
        "input_items": [item_view(item) for item in table.values()] if table is not None else [],
        "chain": _chain(ns, response),
        "continued_by": continued_by.get(response.id, []),
        "progression": str(state.policy) if state is not None and not response.is_terminal() else None,
        "events": state.made if state is not None else None,
    }


def responses_view(ns: Namespace) -> list[dict[str, Any]]:
    continued_by: dict[str, list[str]] = {}
    for response in ns.responses.values():
        if response.previous_response_id is not None:
            continued_by.setdefault(response.previous_response_id, []).append(response.id)
    return [response_view(ns, response, continued_by) for response in ns.responses.values()]


def conversations_view(ns: Namespace) -> list[dict[str, Any]]:
    made_in: dict[str, list[str]] = {}
    for response in ns.responses.values():
        if response.conversation is not None:
            made_in.setdefault(response.conversation.id, []).append(response.id)
    return [conversation_view(ns, c, made_in.get(c.id, [])) for c in ns.conversations.values()]


def conversation_view(ns: Namespace, conversation: Any, responses: list[str]) -> dict[str, Any]:
    table = ns.conversation_items.get(conversation.id)
    return {
        **conversation.to_json(),
        "items": [item_view(item) for item in table.values()] if table is not None else [],
        "responses": responses,
    }
