"""What a scripted model sees of a run: the thread's messages as chat (after the run's
truncation strategy), its tools and outputs, the code run and files searched so far, and the
prompt's token count (`max_prompt_tokens`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scripted_models.base import ChatMessage, ModelInput

from ..agent import tokens
from . import code_tool, search_tool

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.message import Message
    from ..models.run import Run
    from .engine import RunState


def model_input(backend: Backend, run: Run, state: RunState) -> tuple[ModelInput | None, int]:
    """What the model sees, after the truncation strategy; None if it cannot fit."""
    messages = [_seen(m, state.chats) for m in backend.ns.messages[run.thread_id].values()]
    strategy = run.truncation_strategy
    if strategy.type == "last_messages" and strategy.last_messages is not None:
        messages = messages[-strategy.last_messages :]
    code_runs = tuple(backend.ns.code_runs.get(run.thread_id, ()))
    fixed = tokens.count(run.instructions) + sum(tokens.count(o.output) for o in state.outputs)
    fixed += sum(tokens.count(r.code) + tokens.count(r.logs) for r in code_runs if r.run_id == run.id)
    fixed += sum(tokens.count(r.text) for s in state.searches for r in s.results)
    fixed += sum(tokens.count(u.output) for u in state.tool_uses)

    def cost(ms: list[tuple[ChatMessage, int]]) -> int:
        return fixed + sum(n for _, n in ms)

    limit = run.max_prompt_tokens
    if limit is not None and strategy.type == "auto":
        while len(messages) > 1 and cost(messages) > limit:
            messages = messages[1:]  # the oldest go first
    prompt = cost(messages)
    if limit is not None and prompt > limit:
        return None, 0
    if state.shown_settings is None:
        state.shown_settings = _settings(run)
    tools, tool_choice, response_format = state.shown_settings
    model_input = ModelInput(
        model=run.model,
        instructions=run.instructions or "",
        messages=tuple(m for m, _ in messages),
        tools=tools,
        tool_choice=tool_choice,
        parallel_tool_calls=run.parallel_tool_calls,
        tool_outputs=tuple(state.outputs),
        turn=state.turn,
        response_format=response_format,
        metadata=dict(run.metadata),
        code_runs=code_runs,
        code_files=tuple(code_tool.code_files(backend, run)) if any(
            t.type == "code_interpreter" for t in run.tools) else (),
        run_id=run.id,
        searches=tuple(state.searches),
        tool_uses=tuple(state.tool_uses),
        vector_stores=len(search_tool.store_ids(backend, run)) if any(
            t.type == "file_search" for t in run.tools) else 0,
    )  # fmt: skip
    return model_input, prompt


def _settings(run: Run) -> tuple[Any, ...]:
    """The run's tools, tool_choice and response_format as JSON data, as models read them."""
    tools = tuple(t.model_dump(mode="json") for t in run.tools)
    tool_choice = run.tool_choice
    if not (isinstance(tool_choice, str) or tool_choice is None):
        tool_choice = tool_choice.model_dump(mode="json")
    response_format = run.response_format
    if not (isinstance(response_format, str) or response_format is None):
        response_format = response_format.model_dump(mode="json", by_alias=True)
    return tools, tool_choice, response_format


def _seen(message: Message, chats: dict[str, tuple[Message, ChatMessage, int]]) -> tuple[ChatMessage, int]:
    """A message as the model sees it and its tokens, worked out once per run for each version
    of the message (a changed message is a new object)."""
    cached = chats.get(message.id)
    if cached is None or cached[0] is not message:
        chat = _chat(message)
        cached = chats[message.id] = (message, chat, tokens.count(chat.text) + tokens.PER_MESSAGE)
    return cached[1], cached[2]


def _chat(message: Message) -> ChatMessage:
    texts = [part.text.value for part in message.content if part.type == "text"]
    return ChatMessage(
        role=message.role,
        text="\n\n".join(texts),
        id=message.id,
        attachments=tuple(a.file_id for a in message.attachments),
    )
