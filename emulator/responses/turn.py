"""The Responses API's front end of the agent loop: one response being played.

`ResponseTurn` turns each action the loop (`emulator/agent/loop.py`) hands it into output
items and stream events, as the real service streams them: a reply is a `message` item
(`output_item.added`, `content_part.added`, `output_text.delta`..., `output_text.done`,
`content_part.done`, `output_item.done`); function calls are `function_call` items (their
arguments in `function_call_arguments.delta`... and `.done`) and end the response
`completed`: the app answers with `function_call_output` items in its next request.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from scripted_models.base import FunctionCall, ModelInput, UseTool

from ..agent import tokens
from ..agent.loop import DONE, Failure
from ..models.items import FunctionCallItem, OutputMessage, OutputText, ReasoningItem, Refusal, SummaryText
from ..models.response import (
    IncompleteDetails,
    OutputTokensDetails,
    Response,
    ResponseError,
    ResponseUsage,
)
from ..runs.stream import chunks
from . import context, reasoning, state_machine

if TYPE_CHECKING:
    from .engine import ResponseEngine, ResponseState

#: Hosted tools come with the next issue (code_interpreter with containers, file_search, MCP).
NO_HOSTED_TOOLS = "The emulator does not run hosted tools on the Responses API yet."
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

    @property
    def model(self) -> str:
        return self.response.model

    @property
    def parallel_tool_calls(self) -> bool:
        return self.response.parallel_tool_calls

    def next_turn(self) -> None:
        self.played += 1

    def model_input(self) -> tuple[ModelInput | None, int]:
        return context.model_input(self.response, [*self.state.items, *self.output], extra_turns=self.played)

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
        """A reasoning model's thought, as a reasoning item (its summary only when asked)."""
        if not reasoning.reasons(self.response.model):
            return None
        title, text = reasoning.thought(model_input, actions)
        spent = tokens.count(text)
        budget = self.completion_budget()
        emit = self.engine.emit
        item_id = self.engine.new_id("reasoning")
        item = ReasoningItem(id=item_id, summary=[], encrypted_content=self._encrypted(item_id, text))
        index = self._add(item)
        emit(self.state, "response.output_item.added", output_index=index, item=item)
        summary = []
        if self.response.reasoning.summary in reasoning.SUMMARIES:
            part = SummaryText(text=reasoning.summary_text(title, text))
            where = {"item_id": item_id, "output_index": index, "summary_index": 0}
            emit(self.state, "response.reasoning_summary_part.added", **where, part=EMPTY_SUMMARY)
            for _offset, piece in chunks(part.text, self.state.chunking) if self.state.heard else ():
                emit(self.state, "response.reasoning_summary_text.delta", **where, delta=piece)
            emit(self.state, "response.reasoning_summary_text.done", **where, text=part.text)
            emit(self.state, "response.reasoning_summary_part.done", **where, part=part)
            summary = [part]
        done = item.model_copy(update={"summary": summary})
        self._set(index, done)
        emit(self.state, "response.output_item.done", output_index=index, item=done)
        self.reasoning_tokens += spent
        self._charge(0, spent)
        if budget is not None and spent >= budget:
            return self.finish(stop="max_output_tokens", prompt=prompt)
        return None

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
        item = OutputMessage(id=self.engine.new_id("message_item"), status="in_progress", content=[])
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
            for _offset, piece in pieces:
                emit(self.state, "response.output_text.delta", **where, delta=piece, logprobs=[],
                     **self._obfuscation(item.id, piece))  # fmt: skip
            emit(self.state, "response.output_text.done", **where, text=text, logprobs=[])
            part = OutputText(text=text)
        emit(self.state, "response.content_part.done", **where, part=part)
        done = item.model_copy(update={"status": "incomplete" if incomplete else "completed", "content": [part]})
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
            done = item.model_copy(update={"status": "completed", "arguments": arguments})
            self._set(index, done)
            emit(self.state, "response.output_item.done", output_index=index, item=done)
        return self.finish()

    def run_code(self, code: str, prompt: int) -> str:
        return self.finish(failure=Failure("server_error", NO_HOSTED_TOOLS), prompt=prompt)

    def search_files(self, query: str, prompt: int) -> str:
        return self.finish(failure=Failure("server_error", NO_HOSTED_TOOLS), prompt=prompt)

    def use_tool(self, action: UseTool, prompt: int) -> str:
        return self.finish(failure=Failure("server_error", NO_HOSTED_TOOLS), prompt=prompt)

    def finish(self, *, failure: Failure | None = None, stop: str | None = None, prompt: int = 0) -> str:
        if prompt:
            self._charge(prompt, 0)
        at = max(self.at, self.engine.emulator.clock.now())
        usage = ResponseUsage(input_tokens=self.input_tokens, output_tokens=self.output_tokens,
                              output_tokens_details=OutputTokensDetails(reasoning_tokens=self.reasoning_tokens),
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
        self.response = changed
        self.engine.save(changed)
        self.engine.emit(self.state, event, response=changed)
        return DONE
