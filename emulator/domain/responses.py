"""Responses: create (played by the agent loop, streamed or not, in the background or not),
retrieve, delete, cancel, list input items, count input tokens. The rules are the real
service's: `previous_response_id` and `conversation` exclude each other; every function call
in the context needs its output and every output its call; a `store: false` response cannot
be read back or continued; only background responses can be cancelled."""

from __future__ import annotations

import contextvars
import logging
import threading
from typing import Any

from .. import errors
from ..agent import progression, tokens
from ..models.items import FunctionCallItem, FunctionCallOutputItem, InputItemList, ReasoningItem
from ..models.response import (
    NO_REASONING,
    PLAIN_TEXT,
    Compaction,
    ConversationRef,
    InputTokens,
    Reasoning,
    Response,
    ResponseDeleted,
    ResponseUsage,
    TextConfig,
)
from ..pagination import ListQuery, paginate
from ..responses import compaction, content_filters, context, inputs, reasoning, tools
from ..responses.engine import ResponseEngine, ResponseState
from ..responses.stream import ResponseStream
from ..store import Table
from ..validation import validate
from .base import Service

logger = logging.getLogger("assistants_emulator")

#: `include` values the service takes (reference/responses.md); the emulator's items carry no
#: more than these ask for, so any of them is accepted.
INCLUDES = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)
#: Request fields echoed on the response as given (when given).
ECHOED = ("instructions", "max_output_tokens", "max_tool_calls", "parallel_tool_calls", "prompt_cache_key",
          "prompt_cache_retention", "safety_identifier", "temperature", "top_p", "top_logprobs", "truncation",
          "user", "frequency_penalty", "presence_penalty", "service_tier")  # fmt: skip


class Responses(Service):
    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.engine = ResponseEngine(backend)

    # --- create -----------------------------------------------------------------------------

    def create(self, body: dict[str, Any], *, filtered: bool = False, pace: str | None = None,
               agent: dict[str, Any] | None = None) -> Response:  # fmt: skip
        """A response, played to its end (or `queued`, for a background one, which moves under the policy
        `pace` asks for: the request's `X-Emulator-Progression` header); `filtered`: with Azure's content
        filter results (its v1 route); `agent`: the fields naming the Foundry agent it runs (responses/agents.py)."""
        response, state = self._prepare(body, filtered=filtered, pace=pace, agent=agent)
        self.engine.begin(response, state)
        if response.background:
            return response
        try:
            return tools.shown(self.engine.play(response, state, response.created_at), state.include)
        finally:
            self._forget(response.id)

    def _forget(self, response_id: str) -> None:
        """A response that is not background keeps no engine state once played: only a
        background one's stream can be read again, and its events would stay in memory (and
        in every garbage collection) for good."""
        self.ns.response_states.pop(response_id, None)

    def create_streamed(
        self, body: dict[str, Any], *, filtered: bool = False, pace: str | None = None,
        agent: dict[str, Any] | None = None,
    ) -> ResponseStream:  # fmt: skip
        """A response whose events are heard as they happen: a thread of its own plays it."""
        response, state = self._prepare(body, filtered=filtered, pace=pace, agent=agent)
        stream = self._listen(response.id, state)
        self.engine.begin(response, state)
        if response.background and state.policy.kind != "immediate":
            return stream  # it moves as polled; the stream hears it meanwhile
        run = contextvars.copy_context()
        threading.Thread(target=run.run, args=(self._drive, response, state, stream), daemon=True,
                         name=f"stream-{response.id}").start()  # fmt: skip
        return stream

    def _drive(self, response: Response, state: ResponseState, stream: ResponseStream) -> None:
        try:
            with self.emulator.lock:
                if response.background:
                    self.engine.settle(response.id, force=True)
                else:
                    self.engine.play(response, state, response.created_at)
                    self._forget(response.id)
        except Exception as exc:  # the stream must end even if the engine breaks
            logger.exception("streaming %s failed", response.id)
            stream.error(f"The server had an error while streaming this response ({type(exc).__name__}).",
                         state.made)  # fmt: skip
            stream.release()
        finally:
            with self.emulator.lock:
                if stream in state.listeners:
                    state.listeners.remove(stream)

    def _listen(self, response_id: str, state: ResponseState, *, starting_after: int | None = None) -> ResponseStream:
        stream = self._stream(response_id, starting_after)
        state.listeners.append(stream)
        return stream

    def _stream(self, response_id: str, starting_after: int | None) -> ResponseStream:
        """A stream of the response whose events wait, with a data directory, for what they show to be written."""
        stream = ResponseStream(response_id, starting_after=starting_after)
        if self.emulator.persistence is not None:
            self.emulator.persistence.hold(stream)
        return stream

    def close_stream(self, stream: ResponseStream) -> None:
        """The client went away (or read to the end): stop listening."""
        stream.end()
        state = self.ns.response_states.get(stream.response_id)
        if state is not None and stream in state.listeners:
            state.listeners.remove(stream)

    def _prepare(self, body: dict[str, Any], *, filtered: bool = False, pace: str | None = None,
                 agent: dict[str, Any] | None = None) -> tuple[Response, ResponseState]:  # fmt: skip
        asked = progression.requested(pace)
        validate("CreateResponse", body)
        _check_body(body)
        store = body.get("store", True) is not False
        background = body.get("background") is True
        if background and not store:
            raise errors.bad_request("Background mode requires store=true.", param="background")
        conversation_id = _conversation_id(body.get("conversation"))
        previous_id = body.get("previous_response_id")
        if conversation_id is not None and previous_id is not None:
            raise errors.bad_request(
                "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or "
                "'conversation'.",
                param="conversation",
                code="mutually_exclusive_parameters",
            )
        if previous_id is not None:
            history = self._chain(previous_id)
        elif conversation_id is not None:
            history = self.backend.conversations.items_of(conversation_id)
        else:
            history = []
        include = tuple(body.get("include") or ())
        _check_include(list(include))
        _check_reasoning_inputs(body.get("input"))
        given = inputs.parse(body.get("input", []), self.new_id, self._lookup)
        _check_calls([*history, *given])
        now = self.now()
        response = Response(
            id=self.new_id("response"),
            created_at=now,
            status="queued" if background else "in_progress",
            background=background,
            content_filters=[content_filters.result("prompt", _prompt_length(body, given))] if filtered else None,
            conversation=ConversationRef(id=conversation_id) if conversation_id else None,
            model=body["model"],
            previous_response_id=previous_id,
            reasoning=_reasoning(body.get("model"), body.get("reasoning")),
            store=store,
            text=_text(body.get("text")),
            tool_choice=body.get("tool_choice", "auto"),
            tools=tools.parse(body.get("tools"), self.backend),
            metadata=body.get("metadata") or {},
            **{k: body[k] for k in ECHOED if body.get(k) is not None},
            **(agent or {}),
        )
        model = self.emulator.models.resolve(response.model)
        policy = progression.policy_for(self.emulator, response.model, asked)
        obfuscate = (body.get("stream_options") or {}).get("include_obfuscation") is not False
        state = ResponseState(policy=policy, last_move_at=now, items=[*history, *given], include=include,
                              obfuscate=obfuscate, chunking=getattr(model, "chunking", None) or "words")  # fmt: skip
        if conversation_id is not None:
            state.on_end = lambda done: self.backend.conversations.record(conversation_id, given, done)
        self.ns.response_states[response.id] = state
        if store:
            self.ns.responses.add(response.id, response)
            self.ns.response_inputs[response.id] = _table(given)
        if background:  # background requires store: its stream can be read again, after a restart too
            state.events = self.ns.response_events[response.id] = Table()
        return response, state

    def _chain(self, previous_id: str) -> list[Any]:
        """The items of a chain of responses, oldest first: each one's input, then its output."""
        chain, seen = [], set()
        next_id: str | None = previous_id
        while next_id is not None and next_id not in seen:
            seen.add(next_id)
            found = self.ns.responses.get(next_id)
            if found is None:
                raise errors.bad_request(f"Previous response with id '{next_id}' not found.",
                                         param="previous_response_id", code="previous_response_not_found")  # fmt: skip
            found = self.engine.settle(found.id)
            chain.append(found)
            next_id = found.previous_response_id
        items: list[Any] = []
        for found in reversed(chain):
            if found.conversation is not None and found.conversation.id in self.ns.conversations:
                # its conversation holds its context, its input and its output
                items = self.backend.conversations.items_of(found.conversation.id, through=found)
                continue
            items.extend(self.ns.response_inputs[found.id].values())
            items.extend(found.output)
        return items

    def _lookup(self, item_id: str) -> Any:
        """A stored item by id (an `item_reference`): in a stored response's input or output."""
        for table in self.ns.response_inputs.values():
            found = table.get(item_id)
            if found is not None:
                return found
        for response in self.ns.responses.values():
            for item in response.output:
                if item.id == item_id:
                    return item
        return self.backend.conversations.find_item(item_id)

    # --- read, delete, cancel -------------------------------------------------------------------

    def get(self, response_id: str, *, include: list[str] | None = None, read: bool = True) -> Response:
        _check_include(include)
        response = self.find(self.ns.responses, "response", response_id)
        return _shown(self.engine.settle(response.id, read=read), include or ())

    def stream_stored(self, response_id: str, *, starting_after: int | None = None) -> ResponseStream:
        """`GET /responses/{id}?stream=true`: a background response's events again, from
        `starting_after` on, then the rest as they happen (after a restart, those kept on disk)."""
        response = self.get(response_id, read=False)
        events = self.ns.response_events.get(response_id)
        if not response.background or events is None:
            raise errors.bad_request("Only background responses can be streamed again.", param="stream")
        state = self.ns.response_states.get(response_id)
        moving = state is not None and not response.is_terminal()
        stream = self._listen(response_id, state, starting_after=starting_after) if moving else self._stream(
            response_id, starting_after)  # fmt: skip
        for event in events.values():
            stream(event)
        if not moving:
            stream.end()  # every event replayed (the last, terminal, ended it already)
        elif not stream.closed:
            self.engine.settle(response_id, read=True)
        return stream

    def delete(self, response_id: str) -> ResponseDeleted:
        response = self.find(self.ns.responses, "response", response_id)
        self.ns.responses.remove(response.id)
        self.ns.response_inputs.pop(response.id, None)
        self.ns.response_events.pop(response.id, None)
        self.ns.response_states.pop(response.id, None)
        return ResponseDeleted(id=response.id)

    def cancel(self, response_id: str) -> Response:
        response = self.get(response_id, read=False)
        if not response.background:
            raise errors.bad_request("Cannot cancel a synchronous response.")
        if response.is_terminal():
            return response  # cancelling again is idempotent: the response as it ended
        return self.engine.cancel(response)

    def input_items(self, response_id: str, query: ListQuery, *, include: list[str] | None = None) -> InputItemList:
        _check_include(include)
        response = self.find(self.ns.responses, "response", response_id)
        page = paginate(self.ns.response_inputs[response.id], query)
        return InputItemList(data=page.data, first_id=page.first_id, has_more=page.has_more, last_id=page.last_id)

    def compact(self, body: dict[str, Any]) -> Compaction:
        """`POST /responses/compact`: the context (the chain's and the input's items) compacted."""
        validate("CompactResponseMethodPublicBody", body)
        _check_body(body)
        previous_id = body.get("previous_response_id")
        history = self._chain(previous_id) if previous_id else []
        given = inputs.parse(body.get("input") or [], self.new_id, self._lookup)
        items = [*history, *given]
        probe = Response(id="resp_compact", created_at=0, status="in_progress", model=body["model"],
                         instructions=body.get("instructions"))  # fmt: skip
        _shown, prompt = context.model_input(probe, items)
        output, folded = compaction.compact(compaction.expanded(items), self.new_id)
        spent = tokens.count(folded)
        usage = ResponseUsage(input_tokens=prompt, output_tokens=spent, total_tokens=prompt + spent)
        return Compaction(id=self.new_id("response"), created_at=self.now(), output=output, usage=usage)

    def input_tokens(self, body: dict[str, Any]) -> InputTokens:
        """`POST /responses/input_tokens`: what the input would cost, by the project's token rule."""
        validate("TokenCountsBody", body)
        _check_body(body, model_required=False)
        previous_id = body.get("previous_response_id")
        history = self._chain(previous_id) if previous_id else []
        if body.get("conversation") is not None:
            history = self.backend.conversations.items_of(_conversation_id(body["conversation"]))
        given = inputs.parse(body.get("input", []), self.new_id, self._lookup)
        probe = Response(id="resp_count", created_at=0, status="in_progress", model=body.get("model") or "",
                         instructions=body.get("instructions"))  # fmt: skip
        shown, prompt = context.model_input(probe, [*history, *given])
        return InputTokens(input_tokens=prompt)


def _prompt_length(body: dict[str, Any], given: list[Any]) -> int:
    """The characters of the prompt's text: the instructions and the given items' text."""
    instructions = body.get("instructions")
    texts = [instructions] if isinstance(instructions, str) else []
    for item in given:
        content = getattr(item, "content", None)
        texts += [p.text for p in content or [] if isinstance(getattr(p, "text", None), str)]
        texts += [item.output_text()] if isinstance(item, FunctionCallOutputItem) else []
    return sum(len(t) for t in texts)


def _reasoning(model: str, raw: dict[str, Any] | None) -> Reasoning:
    """`reasoning` as echoed: a reasoning model's effective context, effort (its default unless asked), mode
    (`standard` unless asked) and summary setting; other models take none (the service's 400)."""
    raw = raw or {}
    summary = raw.get("summary") or raw.get("generate_summary")
    if not reasoning.reasons(model):
        if raw.get("effort") is not None:
            raise errors.bad_request("Unsupported parameter: 'reasoning.effort' is not supported with this model.",
                                     param="reasoning.effort", code="unsupported_parameter")  # fmt: skip
        return NO_REASONING
    return Reasoning(context=reasoning.context_of(model, raw.get("context")),
                     effort=raw.get("effort") or reasoning.default_effort(model), mode=raw.get("mode") or "standard",
                     summary=summary)  # fmt: skip


def _check_reasoning_inputs(raw: Any) -> None:
    """A reasoning item sent back must come with the item that followed it in its response (sent back
    with its id): else the service's 400 (pydantic-ai test_openai_responses_thinking_with_modified_history.yaml,
    where the history's assistant message was rewritten). Its encrypted content must be readable."""
    if not isinstance(raw, list):
        return
    for n, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("type") != "reasoning":
            continue
        item_id = str(item.get("id") or "")
        following = raw[n + 1] if n + 1 < len(raw) else None
        if not (isinstance(following, dict) and following.get("id") and following.get("type") != "reasoning"):
            raise errors.bad_request(f"Item '{item_id}' of type 'reasoning' was provided without its required "
                                     "following item.", param="input")  # fmt: skip
        if item.get("encrypted_content") is not None:
            reasoning.decrypt(item_id, str(item["encrypted_content"]), param=f"input[{n}].encrypted_content")


def _text(raw: dict[str, Any] | None) -> TextConfig:
    """`text` as echoed: the format asked (plain text by default) and the verbosity (medium)."""
    if not raw:
        return PLAIN_TEXT
    fmt = dict(raw.get("format") or {"type": "text"})
    if (
        fmt.get("type") == "json_schema"
    ):  # echoed with its description, null when none (pydantic-ai test_native_output.yaml)
        fmt.setdefault("description", None)
    return TextConfig(format=fmt, verbosity=raw.get("verbosity") or "medium")


def _shown(response: Response, include: Any) -> Response:
    """The response as an answer that asked for `include`: reasoning items' encrypted content and file_search
    results only when asked."""
    response = tools.shown(response, include)
    if "reasoning.encrypted_content" in include or not any(
            isinstance(i, ReasoningItem) and i.encrypted_content for i in response.output):  # fmt: skip
        return response
    output = [i.model_copy(update={"encrypted_content": None}) if isinstance(i, ReasoningItem) else i
              for i in response.output]  # fmt: skip
    return response.model_copy(update={"output": output})


def _table(items: list[Any]) -> Table:
    table: Table = Table()
    for item in items:
        if item.id not in table:
            table.add(item.id, item)
    return table


def _check_body(body: dict[str, Any], *, model_required: bool = True) -> None:
    if model_required and not isinstance(body.get("model"), str):
        raise errors.missing_parameter("model")
    for key in ("instructions", "previous_response_id"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise errors.invalid_type(key, "a string", type(body[key]).__name__)


def _conversation_id(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"]
    raise errors.invalid_type("conversation", "a string or an object with an id", type(raw).__name__)


def _check_include(include: list[str] | None) -> None:
    for value in include or ():
        if value not in INCLUDES:
            raise errors.invalid_value("include", value, list(INCLUDES))


def _check_calls(items: list[Any]) -> None:
    """Every function call in the model's context has its output, and every output its call."""
    calls = {i.call_id for i in items if isinstance(i, FunctionCallItem)}
    answered = {i.call_id for i in items if isinstance(i, FunctionCallOutputItem)}
    for item in items:
        if isinstance(item, FunctionCallOutputItem) and item.call_id not in calls:
            raise errors.bad_request(f"No tool call found for function call output with call_id {item.call_id}.",
                                     param="input")  # fmt: skip
    for item in items:
        if isinstance(item, FunctionCallItem) and item.call_id not in answered:
            raise errors.bad_request(f"No tool output found for function call {item.call_id}.", param="input")
