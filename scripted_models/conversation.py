"""What the conversation so far gives the default model: the thing a message refers back to,
and the lines of a tool's output that a question asks about.

- A message that refers back ("How much is that?", "Order it", "Book those") and names nothing
  of its own (no quoted phrase, capitalised name or number) takes its arguments' words from the
  latest assistant message before it: the names that reply gave ("The special drink is Chai
  Tea." gives "Chai Tea"), ahead of the message's own words, so a string parameter such as
  `menu_item` gets the thing, not "much".
- A tool output written as `Label: value` lines, asked about by a question that names a label's
  words ("What is the special drink?" against `Special Drink: Chai Tea`), is answered with those
  lines ("The special drink is Chai Tea."); otherwise the whole output is quoted.
"""

from __future__ import annotations

import re
from typing import Any

from . import termination
from .base import ModelInput
from .choosing import STOP, stem
from .schema_values import names_in

#: Words that point back at something said before.
REFERRING = frozenset("that it this those them these one ones same".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|\d+")
_LINE = re.compile(r"^\s*[-*•]?\s*([A-Za-z][\w '/&()-]{0,60}?)\s*[:=]\s*(\S.*?)\s*$")


def refers_back(text: str) -> bool:
    """The text points back (`that`, `it`, ...) and names nothing itself."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not REFERRING & set(words):
        return False
    return not names_in(text) and re.search(r"\d", text) is None


def referents(model_input: ModelInput, functions: dict[str, Any]) -> list[str]:
    """The names the latest assistant message before the latest user message gave (not the
    names of the app's functions), in the order it gave them."""
    messages = model_input.messages
    roles = [m.role for m in messages]
    if "user" not in roles:
        return []
    latest = len(roles) - 1 - roles[::-1].index("user")
    before = [m for m in messages[:latest] if m.role == "assistant" and m.text.strip()]
    if not before:
        return []
    text = before[-1].text
    rule = termination.convention(model_input.instructions)
    closing = (rule.word or rule.prefix) if rule is not None else ""
    if closing:  # the closing word or label the instructions asked for is no name
        text = text.replace(closing, " ")
    return [w for w in names_in(text) if w not in functions]


def asked_lines(question: str, output: str) -> list[tuple[str, str]]:
    """The `Label: value` lines of `output` whose label's words are all in the question."""
    terms = {stem(w) for w in _WORD.findall(question) if w.lower() not in STOP}
    found = []
    for line in output.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        label = {stem(w) for w in _WORD.findall(match.group(1)) if w.lower() not in STOP}
        if label and label <= terms:
            found.append((match.group(1).strip(), match.group(2)))
    return found


def answer_from(question: str, output: str) -> str | None:
    """A sentence giving the lines the question asks about ("The special drink is Chai Tea."), or None."""
    lines = asked_lines(question, output)
    if not lines:
        return None
    return " ".join(f"The {label.lower()} is {value.rstrip('.')}." for label, value in lines)
