"""What a scripted model sees of a response: its context items as the API-neutral `ModelInput`.

The same script drives both APIs, so a response is shown to the model as a run would be:
- user messages and assistant messages become its chat (`messages`); system and developer
  messages join the response's `instructions`;
- the function calls made since the latest user message, with their outputs, are the
  run's `tool_outputs`, and `turn` counts the model's answers since that message (1 for the
  first, 2 after the first outputs, ...), as within one run;
- function tools, `tool_choice` and `text.format` are shown in the Assistants (chat) shape
  the models read: `{"type": "function", "function": {"name", ...}}`, `{"type":
  "json_schema", "json_schema": {...}}`;
- the file_search calls made since the latest user message are the run's `searches` (each result
  with its marker `【k:n†filename】`, k the call's place in the context), and `vector_stores`
  counts the stores the response's file_search tool can search;
- `api` is "responses", for a script that must tell the two APIs apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripted_models.base import ChatMessage, ModelInput, Search, SearchResult, ToolOutput

from ..agent import search, tokens
from ..models.items import (
    FunctionCallItem,
    FunctionCallOutputItem,
    InputFile,
    InputMessage,
    InputText,
    OutputMessage,
    ReasoningItem,
)
from ..models.response import Response
from ..models.tool_items import FileSearchCallItem
from . import compaction, foundry_items, mcp_items, web_items

#: The items no hosted tool makes: a context of these alone holds no search, code run or tool use to show.
PLAIN = frozenset({InputMessage, OutputMessage, FunctionCallItem, FunctionCallOutputItem, ReasoningItem})


def hosted(items: Sequence[Any]) -> bool:
    """Whether `items` hold anything but plain messages, function calls and reasoning (a hosted tool's
    item, or a compaction, which may hide some): when not, the hosted tools' passes over them find nothing."""
    return not {type(i) for i in items} <= PLAIN


def model_input(response: Response, items: Sequence[Any], *, extra_turns: int = 0,
                vector_stores: int = 0) -> tuple[ModelInput, int]:  # fmt: skip
    """What the model sees of `items` (the context, then this response's input and output so
    far) and the prompt's token count."""
    found = hosted(items)
    items = compaction.expanded(items) if found else items
    instructions = [response.instructions] if isinstance(response.instructions, str) and response.instructions else []
    messages: list[ChatMessage] = []
    last_user = -1
    for n, item in enumerate(items):
        if isinstance(item, InputMessage):
            text = _text(item)
            if item.role == "user":
                messages.append(ChatMessage(role="user", text=text, id=item.id, attachments=_files(item)))
                last_user = n
            elif text:
                instructions.append(text)
        elif isinstance(item, OutputMessage):
            messages.append(ChatMessage(role="assistant", text=item.text(), id=item.id))
    calls = {i.call_id: i for i in items[last_user + 1 :] if isinstance(i, FunctionCallItem)}
    outputs = [
        ToolOutput(o.call_id, calls[o.call_id].name, calls[o.call_id].arguments, o.output_text())
        for o in items[last_user + 1 :]
        if isinstance(o, FunctionCallOutputItem) and o.call_id in calls
    ]
    if found:  # answers to the calls of tools only scripts play
        outputs += web_items.tool_outputs(items[last_user + 1 :])
    rounds = _call_rounds(items[last_user + 1 :])
    shown = ModelInput(
        model=response.model,
        instructions="\n\n".join(instructions),
        messages=tuple(messages),
        tools=tuple(mcp_items.shown_tool(chat_tool(t.model_dump(mode="json")), items) for t in response.tools),
        tool_choice=chat_tool_choice(response.tool_choice),
        parallel_tool_calls=response.parallel_tool_calls,
        tool_outputs=tuple(outputs),
        turn=rounds + 1 + extra_turns,
        response_format=chat_response_format(response.text.format),
        metadata=dict(response.metadata),
        run_id=response.id,
        searches=_searches(items, last_user) if found else (),
        vector_stores=vector_stores,
        tool_uses=(
            *mcp_items.tool_uses(items),
            *web_items.tool_uses(items[last_user + 1 :]),
            *foundry_items.tool_uses(items[last_user + 1 :]),
        )
        if found
        else (),
        api="responses",
    )
    return shown, prompt_tokens(shown, items)


def prompt_tokens(shown: ModelInput, items: Sequence[Any]) -> int:
    """The project's token rule over what the model reads: instructions, messages, calls and outputs."""
    count = tokens.count(shown.instructions)
    count += sum(tokens.count(m.text) + tokens.PER_MESSAGE for m in shown.messages)
    for item in items:
        if isinstance(item, FunctionCallItem):
            count += tokens.count(item.name) + tokens.count(item.arguments)
        elif isinstance(item, FunctionCallOutputItem):
            count += tokens.count(item.output_text())
        elif isinstance(item, FileSearchCallItem):
            count += sum(tokens.count(r.text) for r in item.results or ())
    return count


def searches_of(items: Sequence[Any]) -> tuple[Search, ...]:
    """The file_search calls the model has seen since the latest user message of `items`, as `model_input`
    shows them (the reply's citation markers are theirs)."""
    items = compaction.expanded(items)
    last_user = max((n for n, i in enumerate(items) if isinstance(i, InputMessage) and i.role == "user"), default=-1)
    return _searches(items, last_user)


def since_user(items: Sequence[Any]) -> list[Any]:
    """The items after the latest user message of `items` (what the model did for it so far)."""
    items = compaction.expanded(items)
    last_user = max((n for n, i in enumerate(items) if isinstance(i, InputMessage) and i.role == "user"), default=-1)
    return list(items[last_user + 1 :])


def _searches(items: Sequence[Any], last_user: int) -> tuple[Search, ...]:
    return tuple(
        Search(query=item.queries[0] if item.queries else "", results=tuple(
            SearchResult(r.file_id, r.filename, r.score, r.text, cite=search.marker(k, n, r.filename))
            for n, r in enumerate(item.results or ())))
        for k, item in enumerate(items)
        if k > last_user and isinstance(item, FileSearchCallItem)
    )  # fmt: skip


def _text(message: InputMessage) -> str:
    return "\n\n".join(part.text for part in message.content if isinstance(part, InputText))


def _files(message: InputMessage) -> tuple[str, ...]:
    return tuple(p.file_id for p in message.content if isinstance(p, InputFile) and p.file_id)


def _call_rounds(items: Sequence[Any]) -> int:
    """How many times the model called functions (each batch of calls one round) in `items`."""
    rounds, in_batch = 0, False
    for item in items:
        is_call = isinstance(item, FunctionCallItem)
        if is_call and not in_batch:
            rounds += 1
        in_batch = is_call
    return rounds


def chat_tool(tool: dict[str, Any]) -> dict[str, Any]:
    """A Responses tool as the models read tools (the chat shape)."""
    if tool.get("type") != "function":
        return tool
    function = {k: tool[k] for k in ("name", "description", "parameters", "strict") if tool.get(k) is not None}
    return {"type": "function", "function": function}


def chat_tool_choice(choice: Any) -> Any:
    if isinstance(choice, dict) and choice.get("type") == "function":
        return {"type": "function", "function": {"name": choice.get("name")}}
    return choice


def chat_response_format(fmt: dict[str, Any]) -> Any:
    kind = fmt.get("type")
    if kind == "json_schema":
        spec = {k: fmt[k] for k in ("name", "description", "schema", "strict") if k in fmt}
        return {"type": "json_schema", "json_schema": spec}
    if kind == "json_object":
        return {"type": "json_object"}
    return "auto"
