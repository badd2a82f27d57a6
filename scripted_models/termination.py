"""Termination conventions the instructions ask for, and replies that follow them.

Agent frameworks end a chat when a reply holds an agreed word: AutoGen's default system
message says `Reply "TERMINATE" in the end when everything is done.`, others "say DONE" or
"finish your answer with: FINAL ANSWER: ...". `convention(instructions)` finds such a rule
(the run's instructions hold the assistant's, the run's and the additional ones) and
`follow(text, rule)` makes a reply obey it:
- a word to end with (an upper-case word a reply verb asks for: `Reply TERMINATE when done`,
  `say DONE`, `end with the word APPROVE`): the reply ends with that word on its own line;
- a prefix (an upper-case label ending in a colon: `FINAL ANSWER:`): the reply ends with a line
  `FINAL ANSWER: <the answer>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: "Reply "TERMINATE" in the end", "say DONE", "end your reply with the word STOP", "respond with 'APPROVE'".
_WORD = re.compile(
    r"\b(?i:reply|respond|say|answer|end|finish|conclude|write|output|type|return|terminate|include)\b"
    r"[^.\n]{0,60}?[\"'`“]?\b([A-Z][A-Z_]{2,})\b(?![:\w])[\"'`”]?"
)
#: "FINAL ANSWER:" (a label of upper-case words ending in a colon), as a template to answer with.
_PREFIX = re.compile(r"[\"'`“]?\b([A-Z]{2,}(?: [A-Z]{2,}){0,3}):")
#: Upper-case words that are not a convention's word.
_NOT_WORDS = frozenset(
    "JSON API URL HTML SQL CSV XML YAML HTTP HTTPS ID IDS UTC AI LLM GPT PDF NOT ONLY ALWAYS NEVER".split()
)


@dataclass(frozen=True)
class Convention:
    word: str = ""  # the reply ends with this word
    prefix: str = ""  # the reply ends with a line "<prefix> <answer>"


def convention(instructions: str) -> Convention | None:
    """The termination rule the instructions set, if any."""
    if not instructions:
        return None
    for match in _PREFIX.finditer(instructions):
        if match.group(1) not in _NOT_WORDS:
            return Convention(prefix=match.group(1) + ":")
    for match in _WORD.finditer(instructions):
        if match.group(1) not in _NOT_WORDS:
            return Convention(word=match.group(1))
    return None


def follow(text: str, rule: Convention | None, answer: str = "") -> str:
    """`text` obeying `rule`; `answer` is the short answer a prefix introduces (else the last line)."""
    if rule is None:
        return text
    if rule.word:
        return text if text.rstrip().endswith(rule.word) else f"{text.rstrip()}\n\n{rule.word}"
    if rule.prefix in text:
        return text
    return f"{text.rstrip()}\n\n{rule.prefix} {answer or _last_line(text)}"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("```")]
    last = lines[-1] if lines else ""
    last = re.sub(r"^(?:Result|Answer):\s*", "", last)
    return last if len(last) <= 200 else last[:197] + "..."
