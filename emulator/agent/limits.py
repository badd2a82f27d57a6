"""How many tool turns one run (or response) may take, counted per kind, before it fails.

A script that never replies would loop for ever: each kind of tool turn (running code,
searching files, using another tool) is allowed `MAX_TOOL_TURNS_PER_RUN` times in one run or
response; the next one fails it with `exceeded`'s message.
"""

from __future__ import annotations

#: How many times one run (or response) may run code, search files or use a tool before it fails.
MAX_TOOL_TURNS_PER_RUN = 20

_DONE = {"code": "ran code", "search": "searched", "tool": "used tools"}


def exceeded(kind: str, done: int, where: str = "run") -> str | None:
    """Why one more `kind` turn ("code", "search" or "tool") after `done` of them fails the
    run (`where`: "run" or "response"), or None while it is allowed."""
    if done < MAX_TOOL_TURNS_PER_RUN:
        return None
    return (f"Scripted model {_DONE[kind]} more than {MAX_TOOL_TURNS_PER_RUN} times in one {where}; does its script "
            "ever reply?")  # fmt: skip
