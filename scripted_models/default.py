"""The default catalogue's model: a cooperative assistant that makes any app's loop work.

- `tool_choice` naming a function: that function is called.
- Functions named in the latest user message (`get_weather`, or "get weather") are called,
  several at once when `parallel_tool_calls` allows, else the first one named.
- Otherwise the function the request is about (see `choosing`: the message against the
  functions' names split into words, descriptions and parameters), one per clause that asks
  for one; an arithmetic expression over add / multiply / ... tools is computed with them,
  step by step (see `calculator`). Nothing fits ("hello"): a text reply.
- `tool_choice: "required"` with nothing fitting: the first function is called.
- Arguments are valid against the function's JSON schema (see `schema_values`), every declared
  property filled (optional ones too); strings and numbers come from the user's words.
- Calls not possible at once (`parallel_tool_calls: false`) are made one per turn; after the
  outputs, a reply that uses them. A run on a thread whose latest user message was already
  answered (an assistant message after it) replies in text instead of doing the work again.
- With the code_interpreter tool: runs fenced python blocks, plots named functions and
  attached data, shows the code that ran, restyles plots in dark mode, computes math and
  writes small programs (see `analyst`, `programs`); anything else gets a reply saying what
  it can do.
- With the file_search tool and a vector store to search: searches with the user's message
  and answers by quoting the best passage, citing its file (see `searcher`).
- Foundry tools: a `tool_choice` naming one (`{"type": "bing_grounding"}`; on a project's Responses
  API, `"required"` with no function tool: the first), or a connected agent named in the user
  message, is used (a connected agent runs; canned tools such as
  Bing need a script, so the run fails saying so); then a reply quoting what it gave. An MCP
  tool of a server's `allowed_tools` named in the user message (or the first, when
  tool_choice forces `mcp`) is called, with the JSON object the message holds as arguments.
- With a web search tool (Responses API) and nothing else to do: a reply saying it cannot search
  the web offline, with no sources (see `browsing`); the same after a forced search (nothing found).
- Otherwise (`tool_choice: "none"`, nothing to call): maths answered in text (see `tutor`: a
  linear equation solved, an expression computed, the steps when asked to explain), else a
  deterministic reply to the user's message; valid JSON when `response_format` asks for JSON.
- Every text reply follows the termination convention the instructions set (see `termination`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import analyst, browsing, calculator, choosing, conversation, searcher, termination, tutor
from .base import RESPONSES_FOUNDRY_TOOLS, Action, CallFunctions, FunctionCall, ModelInput, Reply, UseTool
from .schema_values import candidate_words, example


class DefaultModel:
    """One instance per model name: `name` is what the run asked for."""

    progression: Any = None
    chunking: Any = "words"

    def __init__(self, name: str = "default") -> None:
        self.name = name

    def respond(self, model_input: ModelInput) -> list[Action]:
        actions, answer = self._respond(model_input)
        rule = termination.convention(model_input.instructions)
        if rule is None or _json_format(model_input):
            return actions
        return [Reply(termination.follow(a.text, rule, answer)) if isinstance(a, Reply) else a for a in actions]

    def _respond(self, model_input: ModelInput) -> tuple[list[Action], str]:
        """The actions, and the short answer a reply gives (for a `FINAL ANSWER:` convention)."""
        functions = model_input.functions()
        choice = model_input.tool_choice
        if model_input.tool_uses:
            used = model_input.tool_uses[-1]
            if browsing.found_nothing(used):
                return [Reply(self._format(model_input, browsing.offline(model_input.last_user_message)))], ""
            if used.denied:
                return [Reply(self._format(model_input, f"I did not use {used.name}: the call was not approved."))], ""
            cites = "".join(f" {r.cite}" for r in used.results)
            return [Reply(self._format(model_input, f"{used.name or used.type} answered: {used.output}{cites}"))], ""
        if _already_answered(model_input):
            previous = _previous_answer(model_input)
            return [Reply(self._format(model_input, f"I have already answered that: {previous}"))], previous
        foundry = _foundry_tool(model_input)
        if foundry is not None:
            return [foundry], ""
        if (choice != "none" and functions and not isinstance(choice, dict)) or _forced_function(choice):
            outcome = calculator.plan(model_input, functions) if not _forced_function(choice) else None
            if outcome is not None:
                if outcome.calls:
                    return [CallFunctions(outcome.calls)], ""
                return [Reply(self._format(model_input, outcome.text))], outcome.answer
            calls = self._next_calls(model_input, functions)
            if calls:
                return [CallFunctions(tuple(calls))], ""
        if model_input.tool_outputs:
            return [Reply(self._format(model_input, _results(model_input)))], ""
        if model_input.searches:
            return searcher.respond(model_input) or [], ""
        if choice != "none" or model_input.code_runs_this_run():
            actions = analyst.respond(model_input, math=not searcher.searchable(model_input))
            if actions is not None:
                return actions, _code_answer(model_input)
            actions = searcher.respond(model_input)
            if actions is not None:
                return actions, ""
            if "code_interpreter" in model_input.tool_types():
                return [Reply(self._format(model_input, analyst.CAPABILITIES))], ""
        maths = tutor.answer(model_input)
        if maths is not None:
            return [Reply(self._format(model_input, maths))], maths.rsplit("=", 1)[-1].strip(" .")
        if browsing.offered(model_input):  # the question was for the web, which the emulator has not
            return [Reply(self._format(model_input, browsing.offline(model_input.last_user_message)))], ""
        return [Reply(self._format(model_input, _answer(model_input.last_user_message)))], ""

    def _next_calls(self, model_input: ModelInput, functions: dict[str, Any]) -> list[FunctionCall]:
        """The calls the request asks for that this run has not made yet (one when not parallel)."""
        planned = self._planned_calls(model_input, functions)
        made = [o.name for o in model_input.tool_outputs]
        remaining = []
        for call in planned:
            if call.name in made:
                made.remove(call.name)
            else:
                remaining.append(call)
        return remaining if model_input.parallel_tool_calls else remaining[:1]

    def _planned_calls(self, model_input: ModelInput, functions: dict[str, Any]) -> list[FunctionCall]:
        choice = model_input.tool_choice
        message = model_input.last_user_message
        if _forced_function(choice):
            wanted = [(choice["function"]["name"], message)]
        else:
            named = [n for n in functions if _mentioned(n, message.lower())]
            wanted = [(n, message) for n in named] or choosing.choose(functions, message)
            if not wanted and choice == "required":
                wanted = [(next(iter(functions)), message)]
        calls: list[FunctionCall] = []
        for name, text in wanted:
            if name not in functions:
                continue
            function = functions[name]
            words = candidate_words(text, sentence_start=message.lstrip().startswith(text))
            if conversation.refers_back(text):  # "How much is that?": the thing the previous reply named
                words = [*conversation.referents(model_input, functions), *words]
            arguments = example(function.get("parameters") or {}, words, strict=bool(function.get("strict")),
                                fill_optional=True, message=text)  # fmt: skip
            call = FunctionCall(name, arguments)
            if call not in calls:
                calls.append(call)
        return calls

    @staticmethod
    def _format(model_input: ModelInput, text: str) -> str:
        fmt = model_input.response_format
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            spec = fmt.get("json_schema") or {}
            schema = spec.get("schema") or {}
            return json.dumps(
                example(schema, candidate_words(text), strict=True, message=model_input.last_user_message)
            )
        if isinstance(fmt, dict) and fmt.get("type") == "json_object":
            return json.dumps({"response": text})
        return text


def _forced_function(choice: Any) -> bool:
    return isinstance(choice, dict) and choice.get("type") == "function"


def _json_format(model_input: ModelInput) -> bool:
    fmt = model_input.response_format
    return isinstance(fmt, dict) and fmt.get("type") in ("json_schema", "json_object")


def _already_answered(model_input: ModelInput) -> bool:
    """A new run (nothing done in it yet) on a thread whose latest user message has an answer after it."""
    if model_input.turn != 1 or model_input.tool_outputs or model_input.code_runs_this_run() or model_input.searches:
        return False
    roles = [m.role for m in model_input.messages]
    if "user" not in roles:
        return False
    latest = len(roles) - 1 - roles[::-1].index("user")
    return "assistant" in roles[latest + 1 :]


def _previous_answer(model_input: ModelInput) -> str:
    text = " ".join(next(m.text for m in reversed(model_input.messages) if m.role == "assistant").split())
    return text if len(text) <= 300 else text[:297] + "..."


def _code_answer(model_input: ModelInput) -> str:
    """What the last code run of this run printed last (the answer of a small program)."""
    ran = model_input.code_runs_this_run()
    if not ran or ran[-1].failed:
        return ""
    lines = [line.strip() for line in ran[-1].logs.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _foundry_tool(model_input: ModelInput) -> UseTool | None:
    """A Foundry tool forced by tool_choice, or a connected agent (or allowed MCP tool) the user names."""
    choice = model_input.tool_choice
    tools = model_input.azure_tools()
    forced = isinstance(choice, dict) and choice.get("type") == "mcp"
    if not forced and isinstance(choice, dict) and choice.get("type") in {t["type"] for t in tools}:
        return UseTool(type=choice["type"])
    if model_input.api == "responses" and choice == "required" and not model_input.functions():
        found = next((t["type"] for t in tools if t["type"] in RESPONSES_FOUNDRY_TOOLS), None)
        if found is not None:  # tool_choice cannot name them there: `required` calls the first
            return UseTool(type=found)
    message = model_input.last_user_message.lower()
    for tool in tools:
        name = (tool.get("connected_agent") or {}).get("name") if tool["type"] == "connected_agent" else None
        if choice != "none" and isinstance(name, str) and name and _mentioned(name, message):
            return UseTool(type="connected_agent", name=name)
        allowed = tool.get("allowed_tools") or [] if tool["type"] == "mcp" else []
        allowed = allowed.get("tool_names") or [] if isinstance(allowed, dict) else allowed  # the filter form
        allowed = [t for t in allowed if isinstance(t, str)]
        named = [t for t in allowed if _mentioned(t, message)] or (allowed[:1] if forced else [])
        if choice != "none" and named:
            return UseTool(type="mcp", name=named[0], server_label=str(tool.get("server_label") or ""),
                           arguments=_json_object(model_input.last_user_message))  # fmt: skip
    return UseTool(type="mcp") if forced else None  # a server without allowed_tools: the run says a name is needed


def _json_object(text: str) -> dict[str, Any]:
    """The first JSON object written in a message (`{"city": "Oslo"}`), else {}."""
    start = text.find("{")
    while start != -1:
        try:
            value, _ = json.JSONDecoder().raw_decode(text[start:])
        except ValueError:
            value = None
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return {}


def _mentioned(name: str, message: str) -> bool:
    spaced = re.sub(r"[_-]+", " ", name).lower()
    return re.search(rf"\b{re.escape(name.lower())}\b", message) is not None or (" " in spaced and spaced in message)


def _answer(message: str) -> str:
    message = " ".join(message.split())
    if not message:
        return "Hello! How can I help you today?"
    shown = message if len(message) <= 200 else message[:197] + "..."
    return f'You said: "{shown}". This is a scripted reply from the emulator\'s default model.'


def _results(model_input: ModelInput) -> str:
    latest = model_input.tool_outputs
    asked = [conversation.answer_from(model_input.last_user_message, o.output) for o in latest]
    if asked and all(asked):  # each output has the lines the question asks about: those, in a sentence
        return " ".join(a for a in asked if a)
    parts = [f"{o.name} returned {o.output}" for o in latest]
    return "Here is what I found: " + "; ".join(parts) + "."


class EchoModel:
    """`echo`: replies with the latest user message, word for word."""

    name = "echo"
    progression: Any = None

    def respond(self, model_input: ModelInput) -> list[Action]:
        return [Reply(model_input.last_user_message or "(empty message)")]
