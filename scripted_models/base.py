"""What a scripted model sees (`ModelInput`) and what it answers (actions).

A scripted model is anything with `name` and `respond(input) -> list[Action]`. It never
touches the emulator: the run engine builds the input from the run and thread, and turns
the actions into run steps, messages and run statuses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "user" | "assistant"
    text: str  # the text parts, joined by blank lines
    id: str = ""
    attachments: tuple[str, ...] = ()  # file ids


@dataclass(frozen=True)
class ToolOutput:
    tool_call_id: str
    name: str
    arguments: str
    output: str

    def parsed(self) -> Any:
        """The output as JSON if it is JSON, else the text."""
        try:
            return json.loads(self.output)
        except ValueError:
            return self.output


@dataclass(frozen=True)
class ModelInput:
    model: str
    instructions: str
    messages: tuple[ChatMessage, ...]
    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: Any = "auto"
    parallel_tool_calls: bool = True
    #: Outputs submitted in this run so far, oldest first.
    tool_outputs: tuple[ToolOutput, ...] = ()
    #: 1 for the model's first answer in a run, 2 after the first tool outputs, ...
    turn: int = 1
    response_format: Any = "auto"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def last_user_message(self) -> str:
        for message in reversed(self.messages):
            if message.role == "user":
                return message.text
        return ""

    def functions(self) -> dict[str, dict[str, Any]]:
        """The function tools by name: `{"name", "description", "parameters", ...}`."""
        return {t["function"]["name"]: t["function"] for t in self.tools if t.get("type") == "function"}

    def tool_types(self) -> set[str]:
        return {t.get("type", "") for t in self.tools}


# --- actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """An assistant message with this text."""

    text: str


@dataclass(frozen=True)
class FunctionCall:
    name: str
    arguments: dict[str, Any] | str  # a dict is serialised as JSON

    def arguments_json(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, separators=(", ", ": "))


@dataclass(frozen=True)
class CallFunctions:
    """Ask the app to run these functions (several at once: parallel calls); the run waits
    in `requires_action` for their outputs."""

    calls: tuple[FunctionCall, ...]


@dataclass(frozen=True)
class Fail:
    """End the run `failed` with this `last_error`."""

    code: str = "server_error"  # server_error | rate_limit_exceeded | invalid_prompt
    message: str = "The server had an error while processing your request."


@dataclass(frozen=True)
class Stop:
    """End the run `incomplete` (as when a token limit is hit), after an optional partial reply."""

    reason: str = "max_completion_tokens"  # or max_prompt_tokens
    text: str = ""


Action = Reply | CallFunctions | Fail | Stop


class NoMatch(Exception):
    """No turn of a script fits the conversation: says what was expected and what came."""

    def __init__(self, script: str, expected: list[str], got: str, problem: str = "no turn matched") -> None:
        self.script = script
        self.expected = expected
        self.got = got
        lines = "; ".join(expected) if expected else "no turns left"
        super().__init__(f"Scripted model '{script}': {problem}. Expected one of: {lines}. Got: {got}")


class ScriptedModel(Protocol):
    name: str

    def respond(self, model_input: ModelInput) -> list[Action]: ...
