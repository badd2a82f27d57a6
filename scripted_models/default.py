"""The default catalogue's model: a cooperative assistant that makes any app's loop work.

- `tool_choice` naming a function: that function is called.
- Functions named in the latest user message (`get_weather`, or "get weather") are called,
  several at once when `parallel_tool_calls` allows, else the first one named.
- `tool_choice: "required"` with none named: the first function is called.
- Arguments are valid against the function's JSON schema (see `schema_values`): required
  properties, enums, types, nested objects and arrays; strings come from the user's words.
- After tool outputs: a reply that quotes them.
- With the code_interpreter tool: runs fenced python blocks, plots named functions and
  attached data, shows the code that ran, restyles plots in dark mode, computes math
  (see `analyst`).
- With the file_search tool and a vector store to search: searches with the user's message
  and answers by quoting the best passage, citing its file (see `searcher`).
- Foundry tools: a `tool_choice` naming one (`{"type": "bing_grounding"}`), or a connected
  agent named in the user message, is used (a connected agent runs; canned tools such as
  Bing need a script, so the run fails saying so); then a reply quoting what it gave. An MCP
  tool of a server's `allowed_tools` named in the user message (or the first, when
  tool_choice forces `mcp`) is called, with the JSON object the message holds as arguments.
- Otherwise (`tool_choice: "none"`, nothing to call): a deterministic reply to the user's
  message; valid JSON when `response_format` asks for JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import analyst, searcher
from .base import Action, CallFunctions, FunctionCall, ModelInput, Reply, UseTool
from .schema_values import candidate_words, example


class DefaultModel:
    """One instance per model name: `name` is what the run asked for."""

    progression: Any = None
    chunking: Any = "words"

    def __init__(self, name: str = "default") -> None:
        self.name = name

    def respond(self, model_input: ModelInput) -> list[Action]:
        functions = model_input.functions()
        choice = model_input.tool_choice
        if model_input.tool_uses:
            used = model_input.tool_uses[-1]
            if used.denied:
                return [Reply(self._format(model_input, f"I did not use {used.name}: the call was not approved."))]
            cites = "".join(f" {r.cite}" for r in used.results)
            return [Reply(self._format(model_input, f"{used.name or used.type} answered: {used.output}{cites}"))]
        foundry = _foundry_tool(model_input)
        if foundry is not None:
            return [foundry]
        answered = model_input.tool_outputs and model_input.turn > 1
        if not answered and choice != "none" and functions:
            names = self._functions_to_call(model_input, functions)
            if names:
                words = candidate_words(model_input.last_user_message)
                calls = tuple(
                    FunctionCall(
                        name,
                        example(
                            functions[name].get("parameters") or {}, words, strict=bool(functions[name].get("strict"))
                        ),  # fmt: skip
                    )
                    for name in names
                )
                return [CallFunctions(calls)]
        if answered:
            return [Reply(self._format(model_input, _results(model_input)))]
        if model_input.searches:
            return searcher.respond(model_input) or []
        if choice != "none" or model_input.code_runs_this_run():
            actions = analyst.respond(model_input, math=not searcher.searchable(model_input))
            if actions is not None:
                return actions
            actions = searcher.respond(model_input)
            if actions is not None:
                return actions
        return [Reply(self._format(model_input, _answer(model_input.last_user_message)))]

    @staticmethod
    def _functions_to_call(model_input: ModelInput, functions: dict[str, Any]) -> list[str]:
        choice = model_input.tool_choice
        if isinstance(choice, dict) and choice.get("type") == "function":
            return [choice["function"]["name"]]
        if isinstance(choice, dict):  # a forced file_search / code_interpreter: not a function call
            return []
        message = model_input.last_user_message.lower()
        named = [n for n in functions if _mentioned(n, message)]
        if not named and choice == "required":
            named = [next(iter(functions))]
        return named if model_input.parallel_tool_calls else named[:1]

    @staticmethod
    def _format(model_input: ModelInput, text: str) -> str:
        fmt = model_input.response_format
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            spec = fmt.get("json_schema") or {}
            return json.dumps(example(spec.get("schema") or {}, candidate_words(text), strict=True))
        if isinstance(fmt, dict) and fmt.get("type") == "json_object":
            return json.dumps({"response": text})
        return text


def _foundry_tool(model_input: ModelInput) -> UseTool | None:
    """A Foundry tool forced by tool_choice, or a connected agent (or allowed MCP tool) the user names."""
    choice = model_input.tool_choice
    tools = model_input.azure_tools()
    forced = isinstance(choice, dict) and choice.get("type") == "mcp"
    if not forced and isinstance(choice, dict) and choice.get("type") in {t["type"] for t in tools}:
        return UseTool(type=choice["type"])
    message = model_input.last_user_message.lower()
    for tool in tools:
        name = (tool.get("connected_agent") or {}).get("name") if tool["type"] == "connected_agent" else None
        if choice != "none" and isinstance(name, str) and name and _mentioned(name, message):
            return UseTool(type="connected_agent", name=name)
        allowed = [t for t in tool.get("allowed_tools") or [] if isinstance(t, str)] if tool["type"] == "mcp" else []
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
    parts = [f"{o.name} returned {o.output}" for o in latest]
    return "Here is what I found: " + "; ".join(parts) + "."


class EchoModel:
    """`echo`: replies with the latest user message, word for word."""

    name = "echo"
    progression: Any = None

    def respond(self, model_input: ModelInput) -> list[Action]:
        return [Reply(model_input.last_user_message or "(empty message)")]
