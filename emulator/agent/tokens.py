"""Deterministic token counts for `usage` and the token limits.

A token is a run of word characters or a single other non-space character
(`re.findall(r"\\w+|[^\\w\\s]")`): "Hello, world!" is 4 tokens. Real tokenisers differ;
what matters here is that counts are reproducible and grow with the text.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"\w+|[^\w\s]")
#: Tokens the real service adds per message for roles and separators.
PER_MESSAGE = 3


def count(text: str | None) -> int:
    return len(TOKEN.findall(text)) if text else 0


def truncate(text: str, limit: int) -> str:
    """The longest prefix of `text` that has at most `limit` tokens."""
    if limit <= 0:
        return ""
    for n, match in enumerate(TOKEN.finditer(text)):
        if n == limit:
            return text[: match.start()].rstrip()
    return text
