"""The Responses API's front end of the agent loop: one response being played.

`ResponseTurn` turns each action the loop (`emulator/agent/loop.py`) hands it into output
items and stream events, as the real service streams them: a reply is a `message` item
(`output_item.added`, `content_part.added`, `output_text.delta`..., `output_text.done`,
`content_part.done`, `output_item.done`); function calls are `function_call` items (their
arguments in `function_call_arguments.delta`... and `.done`) and end the response
`completed`: the app answers with `function_call_output` items in its next request.

A file search is a `file_search_call` item (`output_item.added`, `file_search_call.in_progress`,
`.searching`, `.completed`, `output_item.done`, as pydantic-ai's
`test_openai_responses_model_file_search_tool_stream.yaml` shows them, 2025-12), searched by the
core (`agent/search.py`); the model is asked again with its results. A reply's citation markers of
those results are taken out of its text, each a `file_citation` annotation `{file_id, filename,
index}` at the place the marker stood, streamed as `output_text.annotation.added` once the text
reaches it (the same recording: "…Paris" then the annotation at 30, then ".").
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from scripted_models.base import CallFunctions, FunctionCall, ModelInput, RunCode, SearchFiles, Think, UseTool

from ..agent import limits, tokens
from ..agent import search as core_search
from ..agent.loop import AGAIN, DONE, Failure
from ..models.common import changed as updated
from ..models.items import FunctionCallItem, OutputMessage, OutputText, ReasoningItem, Refusal, SummaryText
from ..models.response import (
    NO_REASONING_TOKENS,
    IncompleteDetails,
    OutputTokensDetails,
    Response,
    ResponseError,
    ResponseUsage,
)
from ..models.tool_items import FileSearchCallItem, FileSearchResultEntry
from ..runs.stream import chunks
from . import code_items, content_filters, context, foundry_items, mcp_items, reasoning, state_machine, tools, web_items

if TYPE_CHECKING:
    from .engine import ResponseEngine, ResponseState

#: Hosted tools still to come on the Responses API (code_interpreter with containers, MCP).
NO_HOSTED_TOOLS = "The emulator does not run this hosted tool on the Responses API yet."
#: The empty parts `*.added` events show (objects are replaced, never changed: one of each serves every event).
EMPTY_TEXT, EMPTY_REFUSAL, EMPTY_SUMMARY = OutputText(text=""), Refusal(refusal=""), SummaryText(text="")


class ResponseTurn:
    def __init__(self, engine: ResponseEngine, response: Response, state: ResponseState, at: int) -> None:
        self.engine, self.response, self.state, self.at = engine, response, state, at
        #: The output items so far and the tokens spent: the response gets them once, when it ends
        #: (nobody reads it in between), rather than a copy of it per item and per charge.
        self.output: list[Any] = list(response.output)
        self.input_tokens = self.output_tokens = self.reasoning_tokens = 0
        self.played = -1  # turns played in this response, after the first
        #: the actions of the turn being played (for a message's phase)
        self.actions: list[Any] = []

    @property
    def model(self) -> str:
        return self.response.model

    @property
    def parallel_tool_calls(self) -> bool:
        return self.response.parallel_tool_calls

    def next_turn(self) -> None:
        self.played += 1

    def model_input(self) -> tuple[ModelInput | None, int]:
        stores = len(tools.vector_stores(self.engine.backend, self.response)) if tools.file_search_tool(
            self.response) else 0  # fmt: skip
        items = [*self.state.items, *self.output]
        shown, prompt = context.model_input(self.response, items, extra_turns=self.played, vector_stores=stores)
        return code_items.shown_to_model(self.engine.backend, self.response, items, shown, prompt, own=self.output)

    def asked(self) -> str:
        """The latest user message (what a tool called without input is asked)."""
        model_input, _ = self.model_input()
        return model_input.last_user_message if model_input is not None else ""

    def completion_budget(self) -> int | None:
        limit = self.response.max_output_tokens
        return None if limit is None else limit - self.output_tokens

    def _charge(self, prompt: int, completion: int) -> None:
        self.input_tokens += prompt
        self.output_tokens += completion

    def _add(self, item: Any) -> int:
        self.output.append(item)
        return len(self.output) - 1

    def _set(self, index: int, item: Any) -> None:
        self.output[index] = item

    # --- actions --------------------------------------------------------------------------

    def think(self, model_input: ModelInput, actions: list[Any], prompt: int) -> str | None:
        """A reasoning model's thought, as a reasoning item (its summary only when asked): the script's `think`
        parts, or the emulator's own thought; none when the script says the model does not reason this turn."""
        self.actions = actions
        if not reasoning.reasons(self.response.model) or self.response.reasoning.effort == "none":
            return None  # effort none: the model does not reason (gpt-5.4 on Azure v1, 2026-07: no reasoning item)
        scripted = next((a for a in actions if isinstance(a, Think)), None)
        if scripted is not None and not scripted.shown:
            return None
        if scripted is not None and scripted.summary:
            parts, text = list(scripted.summary), "\n\n".join(scripted.summary)
        else:
            title, text = reasoning.thought(model_input, actions)
            parts = [reasoning.summary_text(title, text)]
        spent = tokens.count(text)
        budget = self.completion_budget()
        emit = self.engine.emit
        item_id = self.engine.new_id("reasoning")
        item = ReasoningItem(id=item_id, summary=[], encrypted_content=self._encrypted(item_id, text))
        index = self._add(item)
        emit(self.state, "response.output_item.added", output_index=index, item=item)
        summary = []
        if self.response.reasoning.summary in reasoning.SUMMARIES:
            for number, shown in enumerate(parts):
                part = SummaryText(text=shown)
                where = {"item_id": item_id, "output_index": index, "summary_index": number}
                emit(self.state, "response.reasoning_summary_part.added", **where, part=EMPTY_SUMMARY)
                for _offset, piece in chunks(part.text, self.state.chunking) if self.state.heard else ():
                    emit(self.state, "response.reasoning_summary_text.delta", **where, delta=piece)
                emit(self.state, "response.reasoning_summary_text.done", **where, text=part.text)
                emit(self.state, "response.reasoning_summary_part.done", **where, part=part)
                summary.append(part)
        done = item.model_copy(update={"summary": summary})
        self._set(index, done)
        emit(self.state, "response.output_item.done", output_index=index, item=done)
        self.reasoning_tokens += spent
        self._charge(0, spent)
        if budget is not None and spent >= budget:
            return self.finish(stop="max_output_tokens", prompt=prompt)
        return None

    def _phase(self) -> str | None:
        """A message's phase, for models that label them: `commentary` when the model goes on to a tool in the same
        turn, else `final_answer`."""
        if not reasoning.phased(self.response.model):
            return None
        acts = (CallFunctions, RunCode, SearchFiles, UseTool)
        return "commentary" if any(isinstance(a, acts) for a in self.actions) else "final_answer"

    def _obfuscation(self, item_id: str, delta: str) -> dict[str, str]:
        """The padding OpenAI adds to a delta event (`stream_options.include_obfuscation`, on by default) so
        that its size says nothing of the delta; deterministic here."""
        if not self.state.obfuscate:
            return {}
        size = 16 - len(delta) % 16
        return {"obfuscation": hashlib.sha256(f"{item_id}:{self.state.sequence()}".encode()).hexdigest()[:size]}

    def _encrypted(self, item_id: str, text: str) -> str | None:
        return reasoning.encrypt(item_id, text) if "reasoning.encrypted_content" in self.state.include else None

    def reply(self, text: str, prompt: int, *, incomplete: bool, refusal: bool = False) -> None:
        self._charge(prompt, tokens.count(text))
        emit = self.engine.emit
        annotations: list[dict[str, Any]] = []
        if not refusal and context.hosted(items := [*self.state.items, *self.output]):  # else nothing to cite
            text, annotations = _cited(text, context.searches_of(items))
            annotations += code_items.citations(self.engine.backend, items, text)
            since = context.since_user(items)
            annotations += web_items.citations(text, since) + foundry_items.citations(text, since)
            annotations.sort(key=_at)
        item = OutputMessage(id=self.engine.new_id("message_item"), status="in_progress", content=[],
                             phase=self._phase())  # fmt: skip
        index = self._add(item)
        emit(self.state, "response.output_item.added", output_index=index, item=item)
        where = {"item_id": item.id, "output_index": index, "content_index": 0}
        pieces = chunks(text, self.state.chunking) if self.state.heard else ()  # nobody hears unheard deltas
        if refusal:
            emit(self.state, "response.content_part.added", **where, part=EMPTY_REFUSAL)
            for _offset, piece in pieces:
                emit(self.state, "response.refusal.delta", **where, delta=piece)
            emit(self.state, "response.refusal.done", **where, refusal=text)
            part: Any = Refusal(refusal=text)
        else:
            emit(self.state, "response.content_part.added", **where, part=EMPTY_TEXT)
            told = 0  # annotations streamed so far: each once the text reaches its index (a delta ends there)
            for offset, piece in _split(pieces, [_at(a) for a in annotations]):
                emit(self.state, "response.output_text.delta", **where, delta=piece, logprobs=[],
                     **self._obfuscation(item.id, piece))  # fmt: skip
                while told < len(annotations) and _at(annotations[told]) <= offset + len(piece):
                    emit(self.state, "response.output_text.annotation.added", **where, annotation_index=told,
                         annotation=annotations[told])  # fmt: skip
                    told += 1
            for n in range(told, len(annotations)) if self.state.heard else ():
                emit(self.state, "response.output_text.annotation.added", **where, annotation_index=n,
                     annotation=annotations[n])  # fmt: skip
            emit(self.state, "response.output_text.done", **where, text=text, logprobs=[])
            part = OutputText(text=text, annotations=annotations)
        emit(self.state, "response.content_part.done", **where, part=part)
        done = updated(item, {"status": "incomplete" if incomplete else "completed", "content": [part]})
        self._set(index, done)
        emit(self.state, "response.output_item.done", output_index=index, item=done)

    def call_functions(self, calls: tuple[FunctionCall, ...], prompt: int, cost: int) -> str:
        self._charge(prompt, cost)
        emit = self.engine.emit
        for call in calls:
            arguments = call.arguments_json()
            item = FunctionCallItem(id=self.engine.new_id("function_call_item"), status="in_progress", arguments="",
                                    call_id=self.engine.new_id("call"), name=call.name)  # fmt: skip
            index = self._add(item)
            emit(self.state, "response.output_item.added", output_index=index, item=item)
            for _offset, piece in chunks(arguments, self.state.chunking) if self.state.heard else ():
                emit(self.state, "response.function_call_arguments.delta", item_id=item.id, output_index=index,
                     delta=piece, **self._obfuscation(item.id, piece))  # fmt: skip
            emit(self.state, "response.function_call_arguments.done", item_id=item.id, output_index=index,
                 arguments=arguments)  # fmt: skip
            done = updated(item, {"status": "completed", "arguments": arguments})
            self._set(index, done)
            emit(self.state, "response.output_item.done", output_index=index, item=done)
        return self.finish()

    def run_code(self, code: str, prompt: int) -> str:
        """A code_interpreter call run in the response's container; the model is asked again."""
        return code_items.run(self, code, prompt)

    def search_files(self, queries: tuple[str, ...], prompt: int) -> str:
        """A file_search call over the response's file_search tool's stores; the model is asked again."""
        tool = tools.file_search_tool(self.response)
        if tool is None:
            return self.finish(failure=Failure("server_error", f"Scripted model '{self.model}' searched files, "
                                               "but the response has no file_search tool."), prompt=prompt)  # fmt: skip
        done = sum(isinstance(i, FileSearchCallItem) for i in self.output)
        too_many = limits.exceeded("search", done, "response")
        if too_many:
            return self.finish(failure=Failure("server_error", too_many), prompt=prompt)
        self._charge(prompt, tokens.count(" ".join(queries)))
        emit, include = self.engine.emit, self.state.include
        item = FileSearchCallItem(id=self.engine.new_id("file_search_call"), status="in_progress")
        index = self._add(item)
        where = {"output_index": index, "item_id": item.id}
        emit(self.state, "response.output_item.added", output_index=index, item=item)
        emit(self.state, "response.file_search_call.in_progress", **where)
        emit(self.state, "response.file_search_call.searching", **where)
        backend = self.engine.backend
        hits = core_search.search(backend, tools.vector_stores(backend, self.response), queries,
                                  tools.file_search_settings(tool))  # fmt: skip
        results = [FileSearchResultEntry(attributes=h.attributes, file_id=h.file_id, filename=h.filename,
                                         score=h.score, text=h.text, vector_store_id=h.vector_store_id)
                   for h in hits]  # fmt: skip
        done_item = item.model_copy(update={"status": "completed", "queries": list(queries), "results": results})
        self._set(index, done_item)
        emit(self.state, "response.file_search_call.completed", **where)
        emit(self.state, "response.output_item.done", output_index=index, item=tools.shown_item(done_item, include))
        return AGAIN

    def use_tool(self, action: UseTool, prompt: int) -> str:
        if action.type == "mcp":
            return mcp_items.use_tool(self, action, prompt)
        played = web_items.use(self, action, prompt) or foundry_items.use(self, action, prompt)  # web, Foundry's
        if played is not None:
            return played
        return self.finish(failure=Failure("server_error", NO_HOSTED_TOOLS), prompt=prompt)

    def finish(self, *, failure: Failure | None = None, stop: str | None = None, prompt: int = 0) -> str:
        if prompt:
            self._charge(prompt, 0)
        at = max(self.at, self.engine.emulator.clock.now())
        reasoned = OutputTokensDetails(reasoning_tokens=self.reasoning_tokens) if self.reasoning_tokens else None
        usage = ResponseUsage(input_tokens=self.input_tokens, output_tokens=self.output_tokens,
                              output_tokens_details=reasoned or NO_REASONING_TOKENS,
                              total_tokens=self.input_tokens + self.output_tokens)  # fmt: skip
        ended = {"usage": usage, "output": self.output}
        if failure is not None:
            # unfinished items end with the response (an output item is never left in_progress)
            changed = state_machine.apply(self.response, "fail", at, **ended,
                                          error=ResponseError(code=failure.code, message=failure.message))  # fmt: skip
            event = "response.failed"
        elif stop is not None:
            changed = state_machine.apply(self.response, "stop", at, **ended,
                                          incomplete_details=IncompleteDetails(reason="max_output_tokens"))  # fmt: skip
            event = "response.incomplete"
        else:
            changed = state_machine.apply(self.response, "complete", at, **ended)
            event = "response.completed"
        if changed.content_filters is not None:  # Azure v1: the completion's result joins the prompt's
            done = content_filters.result("completion", len(changed.output_text()))
            changed = changed.model_copy(update={"content_filters": [*changed.content_filters, done]})
        self.response = changed
        self.engine.save(changed)
        self.engine.emit(self.state, event, response=tools.shown(changed, self.state.include))
        return DONE


def _cited(text: str, searches: tuple[Any, ...]) -> tuple[str, list[dict[str, Any]]]:
    """The reply without its citation markers, and a `file_citation` for each where it stood."""
    kept, annotations, at = [], [], 0
    for mark in core_search.cited(text, searches):
        kept.append(text[at : mark.start])
        index = sum(len(k) for k in kept)
        annotations.append({"type": "file_citation", "file_id": mark.result.file_id,
                            "filename": mark.result.filename, "index": index})  # fmt: skip
        at = mark.start + len(mark.cite)
    kept.append(text[at:])
    return "".join(kept), annotations


def _at(annotation: dict[str, Any]) -> int:
    """Where the text must reach before an annotation streams: a file citation's index, a url citation's end."""
    return annotation["index"] if "index" in annotation else annotation["end_index"]


def _split(pieces: Any, cuts: list[int]) -> Any:
    """The text's deltas, each cut where a citation stands inside it (the service's deltas end there)."""
    for offset, piece in pieces:
        start = offset
        for cut in cuts:
            if start < cut < offset + len(piece):
                yield start, piece[start - offset : cut - offset]
                start = cut
        yield start, piece[start - offset :]
