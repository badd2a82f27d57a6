"""The turn loop: ask the model, act on its answer, and after a tool it used, ask again.

`play(emulator, front)` plays one stretch of turns for a run or a response. Each turn the
front shows the model its context; an injected fault, or the model's own answer (checked by
`asking`), decides what happens; each action is held to the completion budget and handed to
the front, which makes its API's objects of it. The loop ends when the front says an action
ended the stretch (a reply, function calls for the app, a failure, a stop) and goes round
again when a tool ran (code, a search, a Foundry tool): the model is asked again with what
the tool gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from scripted_models.base import (
    CallFunctions,
    Fail,
    FunctionCall,
    ModelInput,
    Refuse,
    Reply,
    RunCode,
    SearchFiles,
    Stop,
    UseTool,
)

from . import limits, tokens
from .asking import ask

MAX_TOOL_TURNS_PER_RUN = limits.MAX_TOOL_TURNS_PER_RUN  # agent/limits.py counts them per kind


@dataclass(frozen=True)
class Failure:
    """Why a run or response failed: its `last_error` / `error`."""

    code: str
    message: str


#: What a front answers for an action: the stretch is over, or the model is asked again.
DONE = "done"
AGAIN = "again"


class Front(Protocol):
    """An API's side of the loop (Assistants: `runs.turn.RunTurn`; Responses: `responses.turn`)."""

    model: str

    def next_turn(self) -> None:
        """A new turn of the model starts (its ModelInput.turn counts up)."""

    def model_input(self) -> tuple[ModelInput | None, int]:
        """What the model sees and the prompt's tokens; None if the prompt cannot fit."""

    def completion_budget(self) -> int | None:
        """The completion tokens left (None: no limit)."""

    def think(self, model_input: ModelInput, actions: list[Any], prompt: int) -> str | None:
        """The model is about to take `actions`: a reasoning model's thought shows first (Responses:
        a reasoning item); AGAIN, DONE if that spent the whole budget, or None when nothing shows."""

    def reply(self, text: str, prompt: int, *, incomplete: bool, refusal: bool = False) -> None:
        """The model says `text` (cut short by the budget when `incomplete`; declining, when `refusal`)."""

    def call_functions(self, calls: tuple[FunctionCall, ...], prompt: int, cost: int) -> str:
        """The model calls the app's functions (already cut to one unless parallel calls are allowed)."""

    def run_code(self, code: str, prompt: int) -> str: ...

    def search_files(self, queries: tuple[str, ...], prompt: int) -> str:
        """The model searches files with `queries` (one or more, searched at once)."""

    def use_tool(self, action: UseTool, prompt: int) -> str: ...

    def finish(self, *, failure: Failure | None = None, stop: str | None = None, prompt: int = 0) -> str:
        """The stretch ends: failed, stopped (`incomplete` for `stop`), or done."""

    @property
    def parallel_tool_calls(self) -> bool: ...


def play(emulator: Any, front: Front) -> None:
    """Play turns until an action ends the stretch."""
    while True:
        front.next_turn()
        model_input, prompt = front.model_input()
        if model_input is None:  # the prompt cannot fit its limit
            front.finish(stop="max_prompt_tokens", prompt=prompt)
            return
        fault = emulator.faults.take_run_fault(front.model)
        if fault is not None:
            front.finish(failure=Failure(fault.code, fault.message), prompt=prompt)
            return
        actions = ask(emulator.models, front.model, model_input)
        if isinstance(actions, str):
            front.finish(failure=Failure("server_error", actions), prompt=prompt)
            return
        if front.think(model_input, actions, prompt) == DONE:
            return
        if act(front, actions, prompt) == DONE:
            return


def act(front: Front, actions: list[Any], prompt: int) -> str:
    """Hand each action to the front, within the completion budget; DONE or AGAIN (a tool ran)."""
    for action in actions:
        budget = front.completion_budget()
        if isinstance(action, (Reply, Refuse)):
            text, cut = action.text, False
            if budget is not None and tokens.count(text) > budget:
                text, cut = tokens.truncate(text, budget), True
            front.reply(text, prompt, incomplete=cut, refusal=isinstance(action, Refuse))
            prompt = 0
            if cut:
                return front.finish(stop="max_completion_tokens")
        elif isinstance(action, CallFunctions):
            calls = action.calls if front.parallel_tool_calls else action.calls[:1]
            cost = sum(tokens.count(c.name) + tokens.count(c.arguments_json()) for c in calls)
            if budget is not None and cost > budget:
                return front.finish(stop="max_completion_tokens", prompt=prompt)
            return front.call_functions(calls, prompt, cost)
        elif isinstance(action, (RunCode, SearchFiles)):
            spent = action.code if isinstance(action, RunCode) else " ".join(action.queries)
            if budget is not None and tokens.count(spent) > budget:
                return front.finish(stop="max_completion_tokens", prompt=prompt)
            if isinstance(action, RunCode):
                return front.run_code(action.code, prompt)
            return front.search_files(action.queries, prompt)
        elif isinstance(action, UseTool):
            return front.use_tool(action, prompt)
        elif isinstance(action, Fail):
            return front.finish(failure=Failure(action.code, action.message), prompt=prompt)
        elif isinstance(action, Stop):
            if action.text:
                front.reply(action.text, prompt, incomplete=True)
                prompt = 0
            return front.finish(stop=action.reason, prompt=prompt)
    return front.finish(prompt=prompt)
