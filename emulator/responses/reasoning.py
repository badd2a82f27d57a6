"""What a reasoning model shows of its thinking on the Responses API: a `reasoning` item before
what it does, with a summary when `reasoning.summary` asks for one, and its opaque
`encrypted_content` when `include` asks for it (an app that does not store responses sends
the item back with it, and the emulator reads it again).

The thought is deterministic: it says what the model was asked and what it is about to do.
Its tokens are the response's `reasoning_tokens`, part of its output tokens and its budget.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from scripted_models.base import CallFunctions, ModelInput, Refuse, RunCode, SearchFiles, UseTool

from .. import errors

#: Model names that reason (o1, o3, o4-mini, gpt-5 and its variants, as the service's own names go).
REASONING_MODELS = re.compile(r"^(o\d|gpt-5)(?!.*-chat)", re.IGNORECASE)
#: `reasoning.summary` values that ask for a summary.
SUMMARIES = ("auto", "concise", "detailed")
#: What every encrypted content starts with (the service's start with the same Fernet-like prefix).
PREFIX = "gAAAAA"


#: Models whose effort is `none` unless asked (gpt-5.1 to gpt-5.5, base names: the Azure v1 answer of gpt-5.4,
#: pydantic-ai 2026-07-27, shows `effort: "none"` and no reasoning item; gpt-5 and gpt-5.6-sol show `medium`).
NO_EFFORT_BY_DEFAULT = re.compile(r"^gpt-5\.[1-5](-\d{4}-\d{2}-\d{2})?$", re.IGNORECASE)
#: Models whose reasoning context is `all_turns` unless asked (the gpt-5.6 family; earlier ones `current_turn`, as
#: openai-python's `Reasoning.context` says).
ALL_TURNS_BY_DEFAULT = re.compile(r"^gpt-5\.6", re.IGNORECASE)
#: Models that label their messages with a `phase` (gpt-5.3 and later: pydantic-ai 2026-07 recordings of gpt-5.4 and
#: gpt-5.6-sol show `phase: final_answer`; openai-python's `ResponseOutputMessage.phase` names gpt-5.3-codex on).
PHASED = re.compile(r"^gpt-5\.([3-9]|\d\d)", re.IGNORECASE)


def reasons(model: str) -> bool:
    return bool(REASONING_MODELS.match(model))


def default_effort(model: str) -> str:
    return "none" if NO_EFFORT_BY_DEFAULT.match(model) else "medium"


def context_of(model: str, asked: Any) -> str:
    """The effective reasoning context: as asked, else (`auto` or not given) the model's default."""
    if asked in ("current_turn", "all_turns"):
        return asked
    return "all_turns" if ALL_TURNS_BY_DEFAULT.match(model) else "current_turn"


def phased(model: str) -> bool:
    return bool(PHASED.match(model))


def thought(model_input: ModelInput, actions: list[Any]) -> tuple[str, str]:
    """(title, text) of the model's thought before `actions`."""
    asked = model_input.last_user_message.strip().replace("\n", " ")
    asked = asked if len(asked) <= 80 else asked[:77] + "..."
    plan = _plan(model_input, actions)
    if model_input.tool_outputs and model_input.turn > 1:
        return "Using the results", f"The tools answered; {plan}"
    return "Considering the request", f'The user asks: "{asked}". {plan[0].upper()}{plan[1:]}'


def _plan(model_input: ModelInput, actions: list[Any]) -> str:
    for action in actions:
        if isinstance(action, CallFunctions):
            names = ", ".join(dict.fromkeys(c.name for c in action.calls))
            return f"I will call {names} and answer from what it returns."
        if isinstance(action, Refuse):
            return "I cannot help with this, so I will decline."
        if isinstance(action, (RunCode, SearchFiles, UseTool)):
            return "I will use a tool before answering."
    return "I will answer directly."


def summary_text(title: str, text: str) -> str:
    return f"**{title}**\n\n{text}"


def encrypt(item_id: str, text: str) -> str:
    """The opaque content of a reasoning item: the emulator can read it back, an app cannot rely on it."""
    payload = json.dumps({"id": item_id, "thought": text}, separators=(",", ":")).encode()
    return PREFIX + base64.urlsafe_b64encode(payload).decode()


def decrypt(item_id: str, content: str, param: str) -> str:
    """The thought in `content`, or the service's 400 when it is not the emulator's."""
    try:
        if not content.startswith(PREFIX):
            raise ValueError("no prefix")
        found = json.loads(base64.urlsafe_b64decode(content[len(PREFIX) :].encode()))
        return str(found["thought"])
    except (ValueError, KeyError, TypeError):
        raise errors.bad_request(f"The encrypted content for item {item_id} could not be verified.", param=param,
                                 code="invalid_encrypted_content") from None  # fmt: skip
