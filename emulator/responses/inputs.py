"""A response's `input` (and a conversation's `items`) as stored items.

The API takes a string (one user message) or a list of items: messages whose content is a
string or parts (`input_text`, `input_image`, `input_file`; an assistant's earlier
`output_text`), `function_call_output`, earlier output items sent back (`function_call`,
`message`, `reasoning`, `file_search_call`, `code_interpreter_call`, the MCP items of
`mcp_items.py`, and the app's `mcp_approval_response`), and `item_reference` to a stored item. Each becomes an item with
its own id, as the service lists them in `input_items` and conversations. Types the emulator
does not play yet are refused with a 400 that
says so, never stored half-understood.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import errors
from ..models.items import (
    PHASES,
    CompactionItem,
    FunctionCallItem,
    FunctionCallOutputItem,
    InputFile,
    InputImage,
    InputMessage,
    InputText,
    Item,
    OutputMessage,
    OutputText,
    ReasoningItem,
    Refusal,
    SummaryText,
)
from ..models.tool_items import FileSearchCallItem, FileSearchResultEntry
from . import code_items, compaction, foundry_items, mcp_items, web_items

#: Item types an input list may hold here.
SUPPORTED = (
    "message",
    "function_call",
    "function_call_output",
    "reasoning",
    "item_reference",
    "compaction",
    "file_search_call",
    *mcp_items.INPUT_TYPES,
    "code_interpreter_call",
    *web_items.INPUT_TYPES,
    *foundry_items.INPUT_TYPES,
)
NewId = Callable[[str], str]
Lookup = Callable[[str], Any]


def parse(raw: Any, new_id: NewId, lookup: Lookup | None = None, *, param: str = "input") -> list[Item]:
    """The stored items of `raw` (a string, or a list of item objects)."""
    if isinstance(raw, str):
        return [InputMessage(id=new_id("message_item"), role="user", content=[InputText(text=raw)])]
    if not isinstance(raw, list):
        raise errors.invalid_type(param, "a string or an array of input items", type(raw).__name__)
    return [_item(entry, new_id, lookup, f"{param}[{n}]") for n, entry in enumerate(raw)]


def _item(raw: Any, new_id: NewId, lookup: Lookup | None, param: str) -> Item:
    if not isinstance(raw, dict):
        raise errors.invalid_type(param, "an object", type(raw).__name__)
    kind = raw.get("type", "message" if "role" in raw else None)
    if kind is None:
        raise errors.missing_parameter(f"{param}.type")
    if kind not in SUPPORTED:
        raise errors.bad_request(
            f"Input items of type '{kind}' are not supported by the emulator yet; supported types: "
            f"{', '.join(SUPPORTED)}.",
            param=f"{param}.type",
        )
    if kind == "item_reference":
        return _reference(raw, lookup, param)
    if kind == "compaction":
        if not isinstance(raw.get("encrypted_content"), str):
            raise errors.missing_parameter(f"{param}.encrypted_content")
        item = CompactionItem(id=raw.get("id") or new_id("compaction"), encrypted_content=raw["encrypted_content"])
        compaction.opened(item, param=f"{param}.encrypted_content")  # readable, or the 400
        return item
    if kind == "message":
        return _message(raw, new_id, param)
    if kind == "file_search_call":
        return _file_search_call(raw, param)
    if kind in mcp_items.INPUT_TYPES:
        return mcp_items.input_item(raw, new_id, param)
    if kind == "code_interpreter_call":
        return code_items.input_item(raw, param)
    if kind in web_items.INPUT_TYPES:
        return web_items.input_item(raw, new_id, param)
    if kind in foundry_items.INPUT_TYPES:
        return foundry_items.input_item(raw, param)
    if kind == "function_call_output":
        for key in ("call_id", "output"):
            if raw.get(key) is None:
                raise errors.missing_parameter(f"{param}.{key}")
        output = raw["output"]
        if not isinstance(output, (str, list)):
            raise errors.invalid_type(f"{param}.output", "a string or an array", type(output).__name__)
        return FunctionCallOutputItem(id=raw.get("id") or new_id("function_call_output_item"),
                                      call_id=raw["call_id"], output=output)  # fmt: skip
    if kind == "function_call":
        for key in ("call_id", "name", "arguments"):
            if not isinstance(raw.get(key), str):
                raise errors.missing_parameter(f"{param}.{key}")
        return FunctionCallItem(id=raw.get("id") or new_id("function_call_item"), call_id=raw["call_id"],
                                name=raw["name"], arguments=raw["arguments"])  # fmt: skip
    summary = [SummaryText(text=str(s.get("text", ""))) for s in raw.get("summary") or [] if isinstance(s, dict)]
    return ReasoningItem(id=raw.get("id") or new_id("reasoning"), summary=summary,
                         encrypted_content=raw.get("encrypted_content"))  # fmt: skip


def _file_search_call(raw: dict[str, Any], param: str) -> Item:
    """An earlier file_search call sent back (with its results, if the app had them)."""
    if not isinstance(raw.get("id"), str):
        raise errors.missing_parameter(f"{param}.id")
    queries = raw.get("queries") or []
    if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
        raise errors.invalid_type(f"{param}.queries", "an array of strings", type(queries).__name__)
    results = raw.get("results")
    entries = None
    if results is not None:
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise errors.invalid_type(f"{param}.results", "an array of objects", type(results).__name__)
        entries = [_result(r) for r in results]
    status = raw.get("status") if raw.get("status") in ("in_progress", "searching", "incomplete", "failed") else None
    return FileSearchCallItem(id=raw["id"], status=status or "completed", queries=queries, results=entries)


def _result(raw: dict[str, Any]) -> FileSearchResultEntry:
    def text(key: str) -> str:
        return raw[key] if isinstance(raw.get(key), str) else ""

    score = raw.get("score")
    attributes = raw.get("attributes")
    store = raw.get("vector_store_id")
    return FileSearchResultEntry(attributes=attributes if isinstance(attributes, dict) else {},
                                 file_id=text("file_id"), filename=text("filename"),
                                 score=float(score) if isinstance(score, (int, float)) else 0.0, text=text("text"),
                                 vector_store_id=store if isinstance(store, str) else None)  # fmt: skip


def _reference(raw: dict[str, Any], lookup: Lookup | None, param: str) -> Item:
    item_id = raw.get("id")
    if not isinstance(item_id, str):
        raise errors.missing_parameter(f"{param}.id")
    found = lookup(item_id) if lookup is not None else None
    if found is None:
        raise errors.bad_request(f"Item with id '{item_id}' not found.", param=f"{param}.id")
    return found


def _message(raw: dict[str, Any], new_id: NewId, param: str) -> Item:
    role = raw.get("role")
    if role not in ("user", "system", "developer", "assistant"):
        raise errors.invalid_value(f"{param}.role", role, ["user", "system", "developer", "assistant"])
    content = raw.get("content")
    if content is None:
        raise errors.missing_parameter(f"{param}.content")
    parts = [{"type": "output_text" if role == "assistant" else "input_text", "text": content}] if isinstance(
        content, str) else content  # fmt: skip
    if not isinstance(parts, list):
        raise errors.invalid_type(f"{param}.content", "a string or an array of content parts", type(parts).__name__)
    if role == "assistant":
        out = [_output_part(p, f"{param}.content[{n}]") for n, p in enumerate(parts)]
        phase = raw.get("phase")
        if phase is not None and phase not in PHASES:
            raise errors.invalid_value(f"{param}.phase", phase, list(PHASES))
        return OutputMessage(id=raw.get("id") or new_id("message_item"), content=out,
                             status=raw.get("status") or "completed", phase=phase)  # fmt: skip
    given = [_input_part(p, f"{param}.content[{n}]") for n, p in enumerate(parts)]
    return InputMessage(id=new_id("message_item"), role=role, content=given)


def _input_part(raw: Any, param: str) -> Any:
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind in ("input_text", "text"):  # the SDK's EasyInputMessage parts are input_text
        if not isinstance(raw.get("text"), str):
            raise errors.missing_parameter(f"{param}.text")
        return InputText(text=raw["text"])
    if kind == "input_image":
        if not raw.get("image_url") and not raw.get("file_id"):
            raise errors.missing_parameter(f"{param}.image_url")
        return InputImage(
            detail=raw.get("detail") or "auto", file_id=raw.get("file_id"), image_url=raw.get("image_url")
        )
    if kind == "input_file":
        fields = {k: raw.get(k) for k in ("file_data", "file_id", "file_url", "filename")}
        if not any(fields[k] for k in ("file_data", "file_id", "file_url")):
            raise errors.missing_parameter(f"{param}.file_id")
        return InputFile(**fields)
    raise errors.invalid_value(f"{param}.type", kind, ["input_text", "input_image", "input_file"])


def _output_part(raw: Any, param: str) -> Any:
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind in ("output_text", "input_text", "text") and isinstance(raw.get("text"), str):
        return OutputText(text=raw["text"], annotations=list(raw.get("annotations") or []))
    if kind == "refusal" and isinstance(raw.get("refusal"), str):
        return Refusal(refusal=raw["refusal"])
    raise errors.invalid_value(f"{param}.type", kind, ["output_text", "refusal"])
