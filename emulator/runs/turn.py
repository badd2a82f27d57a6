"""The Assistants API's front end of the agent loop: one stretch of a run's turns.

`RunTurn` holds the run being played (a new object after each change), its engine state and
the time, and turns each action the loop hands it into run steps, messages and the run's
next status through the engine's methods. The loop itself is `emulator/agent/loop.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scripted_models.base import FunctionCall, ModelInput, UseTool

from ..agent import limits
from ..agent.loop import AGAIN, DONE, Failure
from ..models.run import LastError, Run
from . import foundry_steps, model_view

if TYPE_CHECKING:
    from .engine import Emit, RunEngine, RunState


class RunTurn:
    def __init__(self, engine: RunEngine, run: Run, state: RunState, at: int, emit: Emit) -> None:
        self.engine, self.run, self.state, self.at, self.emit = engine, run, state, at, emit

    @property
    def model(self) -> str:
        return self.run.model

    @property
    def parallel_tool_calls(self) -> bool:
        return self.run.parallel_tool_calls

    def _went(self, outcome: Run | tuple[Run, int]) -> str:
        """DONE with the run the engine ended at, or AGAIN with the run and time it goes on from."""
        if isinstance(outcome, Run):
            self.run = outcome
            return DONE
        self.run, self.at = outcome
        return AGAIN

    def next_turn(self) -> None:
        self.state.turn += 1

    def model_input(self) -> tuple[ModelInput | None, int]:
        return model_view.model_input(self.engine.backend, self.run, self.state)

    def completion_budget(self) -> int | None:
        if self.run.max_completion_tokens is None:
            return None
        return self.run.max_completion_tokens - self.state.usage.completion_tokens

    def think(self, model_input: ModelInput, actions: list[Any], prompt: int) -> str | None:
        return None  # runs show no reasoning

    def reply(self, text: str, prompt: int, *, incomplete: bool, refusal: bool = False) -> None:
        self.engine.reply(self.run, self.state, self.at, text, prompt, self.emit, incomplete=incomplete,
                          refusal=refusal)  # fmt: skip

    def call_functions(self, calls: tuple[FunctionCall, ...], prompt: int, cost: int) -> str:
        return self._went(self.engine.call_functions(self.run, self.state, self.at, calls, prompt, cost, self.emit))

    def run_code(self, code: str, prompt: int) -> str:
        return self._went(self.engine.run_code(self.run, self.state, self.at, code, prompt, self.emit))

    def search_files(self, queries: tuple[str, ...], prompt: int) -> str:
        return self._went(self.engine.search_files(self.run, self.state, self.at, queries, prompt, self.emit))

    def use_tool(self, action: UseTool, prompt: int) -> str:
        engine, state = self.engine, self.state
        too_many = limits.exceeded("tool", len(state.tool_uses))
        if too_many:
            return self._went(engine.fail(self.run, state, self.at, self.emit, too_many, prompt=prompt))
        return self._went(foundry_steps.use_tool(engine, self.run, state, self.at, action, prompt, self.emit))

    def finish(self, *, failure: Failure | None = None, stop: str | None = None, prompt: int = 0) -> str:
        error = LastError(code=failure.code, message=failure.message) if failure is not None else None
        return self._went(self.engine.finish(self.run, self.state, self.at, self.emit, error=error, stop=stop,
                                             prompt=prompt))  # fmt: skip

    def result(self) -> Run:
        return self.run
