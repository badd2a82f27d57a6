"""Asking a scripted model: its answer as checked actions, or what is wrong with it.

A model is user code: whatever it raises or answers wrongly becomes the run's (or the
response's) failure with a message that says what went wrong, never the server's.
"""

from __future__ import annotations

from typing import Any

from scripted_models.base import (
    CallFunctions,
    Fail,
    ModelInput,
    NoMatch,
    Refuse,
    Reply,
    RunCode,
    SearchFiles,
    Stop,
    Think,
    UseTool,
)
from scripted_models.schema_values import UnsatisfiableSchema

FAIL_CODES = ("server_error", "rate_limit_exceeded", "invalid_prompt")
STOP_REASONS = ("max_completion_tokens", "max_prompt_tokens")


def ask(models: Any, model_name: str, model_input: ModelInput) -> list[Any] | str:
    """The actions of the model `model_name` (resolved in `models`), or what is wrong with its answer."""
    model = models.resolve(model_name)
    name = getattr(model, "name", model_name)
    try:
        actions = list(model.respond(model_input))
        problem = check_actions(actions)
    except NoMatch as exc:
        return str(exc)
    except UnsatisfiableSchema as exc:
        return f"Scripted model '{name}' could not produce function arguments: {exc}"
    except Exception as exc:  # a model is user code: its failure is the run's, never the server's
        return f"Scripted model '{name}' raised {type(exc).__name__}: {exc}"
    if problem is None:
        problem = _missing_tool(actions, model_input.tool_types())
    return f"Scripted model '{name}' answered {problem}" if problem else actions


def _missing_tool(actions: list[Any], tools: set[str]) -> str | None:
    """An action that uses a tool the run (or response) was not given."""
    if any(isinstance(a, RunCode) for a in actions) and "code_interpreter" not in tools:
        return "a code_interpreter call, but the run has no code_interpreter tool"
    if any(isinstance(a, SearchFiles) for a in actions) and "file_search" not in tools:
        return "a file_search call, but the run has no file_search tool"
    for action in actions:
        if isinstance(action, UseTool) and action.type not in tools:
            named = f" named '{action.name}'" if action.name else ""
            return f"a {action.type} call{named}, but the run has no {action.type} tool"
    return None


def check_actions(actions: list[Any]) -> str | None:
    """What is wrong with a model's answer, if anything (said as 'answered ...')."""
    if not actions:
        return "no action for this turn"
    for action in actions:
        if isinstance(action, (Reply, Refuse)) and not isinstance(action.text, str):
            return f"a reply that is not text: {action.text!r}"
        if isinstance(action, CallFunctions):
            if not action.calls:
                return "a function call action with no calls"
            for call in action.calls:
                try:
                    call.arguments_json()
                except (TypeError, ValueError) as exc:
                    return f"arguments for {call.name!r} that are not JSON: {exc}"
        if isinstance(action, Fail) and action.code not in FAIL_CODES:
            return f"fail with code {action.code!r}; the codes are {', '.join(FAIL_CODES)}"
        if isinstance(action, Stop) and action.reason not in STOP_REASONS:
            return f"incomplete with reason {action.reason!r}; the reasons are {', '.join(STOP_REASONS)}"
        if isinstance(action, RunCode) and not isinstance(action.code, str):
            return f"code that is not text: {action.code!r}"
        if isinstance(action, SearchFiles) and not isinstance(action.query, str):
            return f"a search query that is not text: {action.query!r}"
        if isinstance(action, UseTool) and not isinstance(action.type, str):
            return f"a tool use whose type is not text: {action.type!r}"
        if isinstance(action, Think) and not all(isinstance(part, str) for part in action.summary):
            return f"a thought whose summary parts are not text: {action.summary!r}"
        if not isinstance(action, (Reply, Refuse, CallFunctions, Fail, Stop, RunCode, SearchFiles, UseTool, Think)):
            return f"an action it cannot take: {action!r}"
    return None
