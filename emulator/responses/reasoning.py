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


def reasons(model: str) -> bool:
    return bool(REASONING_MODELS.match(model))


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
