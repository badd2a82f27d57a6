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
class CodeRun:
    """One code_interpreter execution in the thread, as the model saw it."""

    code: str
    logs: str
    #: file ids of the images the code produced (its open figures), in order
    images: tuple[str, ...] = ()
    #: files the code wrote under /mnt/data: (name relative to /mnt/data, file id)
    files: tuple[tuple[str, str], ...] = ()
    #: the code raised (its traceback is in `logs`) or hit a limit
    failed: bool = False
    run_id: str = ""


@dataclass(frozen=True)
class CodeFile:
    """A file the code_interpreter can read, at `path` (/mnt/data/<file_id>, as on the real service)."""

    file_id: str
    filename: str

    @property
    def path(self) -> str:
        return f"/mnt/data/{self.file_id}"


@dataclass(frozen=True)
class SearchResult:
    """One retrieved chunk. `cite` is the marker a reply puts where it cites it (`【4:1†notes.md】`);
    the engine turns each marker into a `file_citation` annotation."""

    file_id: str
    filename: str
    score: float
    text: str
    cite: str = ""


@dataclass(frozen=True)
class Search:
    """One file_search call in this run and what it found, best first."""

    query: str
    results: tuple[SearchResult, ...] = ()


@dataclass(frozen=True)
class WebResult:
    """A grounding source (Bing and the like): `cite` is the marker a reply puts where it cites
    it (`【100:0†source】`); the engine turns each marker into a `url_citation` annotation."""

    url: str
    title: str = ""
    cite: str = ""
    #: What the source says (a web search's canned result on the Responses API).
    text: str = ""


@dataclass(frozen=True)
class ToolUse:
    """One call of a Foundry (Azure) tool in this run and what it gave back."""

    type: str  # bing_grounding, connected_agent, openapi, mcp, ...
    name: str = ""  # the connected agent's or openapi tool's name (openapi: `tool_operation`; mcp: the tool's)
    arguments: str = ""
    output: str = ""
    results: tuple[WebResult, ...] = ()
    server_label: str = ""  # mcp: the server's label
    denied: bool = False  # mcp: the app did not approve the call (it was not made)


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
    #: code_interpreter executions in this thread so far (earlier runs included), oldest first.
    code_runs: tuple[CodeRun, ...] = ()
    #: Files the code_interpreter can read under /mnt/data.
    code_files: tuple[CodeFile, ...] = ()
    #: The id of the run being played (to tell this run's code_runs from earlier ones).
    run_id: str = ""
    #: file_search calls made in this run so far, oldest first.
    searches: tuple[Search, ...] = ()
    #: How many vector stores the run's file_search can see (the assistant's and the thread's).
    vector_stores: int = 0
    #: Foundry tools used in this run so far (bing_grounding, connected_agent, openapi, ...), oldest first.
    tool_uses: tuple[ToolUse, ...] = ()
    #: Which API asks: "assistants" (a run) or "responses" (a response), for a script that must
    #: tell them apart; everything else is shown the same way to both.
    api: str = "assistants"

    def code_runs_this_run(self) -> tuple[CodeRun, ...]:
        return tuple(r for r in self.code_runs if r.run_id == self.run_id)

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

    def azure_tools(self) -> list[dict[str, Any]]:
        """The run's Foundry tools (anything but function, code_interpreter, file_search)."""
        return [t for t in self.tools if t.get("type") not in ("function", "code_interpreter", "file_search")]


#: The Foundry tools a project's Responses API plays (the emulator's models/foundry_items.py names the call item
#: of each). Its `tool_choice` cannot name them (Foundry's `ToolChoiceParamType`): Azure's samples force them with
#: `tool_choice="required"`.
RESPONSES_FOUNDRY_TOOLS = (
    "bing_grounding", "bing_custom_search_preview", "azure_ai_search", "azure_function", "openapi",
    "sharepoint_grounding_preview", "fabric_dataagent_preview", "browser_automation_preview", "a2a_preview", "a2a",
)  # fmt: skip


# --- actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """An assistant message with this text."""

    text: str


@dataclass(frozen=True)
class Refuse:
    """The model declines: a message whose content is this refusal (a `refusal` part on both APIs)."""

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


@dataclass(frozen=True)
class RunCode:
    """Run this Python in the thread's code_interpreter session. The engine records a
    code_interpreter tool call, runs the code in the sandbox, then asks the model again
    (with the result in `ModelInput.code_runs`) within the same run."""

    code: str


@dataclass(frozen=True)
class SearchFiles:
    """Search the vector stores the run can see (file_search), then ask the model again with
    the results in `ModelInput.searches`, within the same run."""

    query: str
    #: More queries searched at once (the Responses API shows them all in `queries`; each result
    #: scores its best over them).
    also: tuple[str, ...] = ()

    @property
    def queries(self) -> tuple[str, ...]:
        return (self.query, *self.also)


@dataclass(frozen=True)
class UseTool:
    """Call one of the run's Foundry tools, then ask the model again with what it gave in
    `ModelInput.tool_uses`, within the same run. `connected_agent` runs the sub-agent (named by
    `name`, else the first) on `input`; `openapi` calls `operation` of the tool's spec on a
    local server with `arguments`; `mcp` calls the tool `name` of the MCP server `server_label`
    (else the run's first) with `arguments`, once the app approves if its settings ask for it
    (a canned `output` stands for the server's answer); any other type (bing_grounding,
    azure_ai_search, ...) answers the canned `output` and `results` ({url, title}: sources
    replies cite), and without them the run fails: the emulator reaches no Azure service."""

    type: str
    name: str = ""
    input: str = ""
    operation: str = ""
    arguments: dict[str, Any] | None = None
    output: Any = None
    results: tuple[dict[str, Any], ...] = ()
    server_label: str = ""


@dataclass(frozen=True)
class Think:
    """What a reasoning model shows of its thinking this turn (the Responses API's reasoning item): `summary`, the
    summary's parts (shown when the request asks for a summary; empty: the emulator's own thought), or, when not
    `shown`, no reasoning at all (as a real model that answers at once). Other models and the Assistants API ignore
    it."""

    summary: tuple[str, ...] = ()
    shown: bool = True


Action = Reply | Refuse | CallFunctions | Fail | Stop | RunCode | SearchFiles | UseTool | Think


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
