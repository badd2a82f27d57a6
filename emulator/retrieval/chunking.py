"""Splitting extracted text into the chunks a vector store indexes.

The real service's `static` chunking strategy: windows of at most `max_tokens` tokens,
consecutive windows sharing exactly `overlap` tokens (`auto` is 800 / 400). Tokens are
the emulator's documented count (`emulator.agent.tokens.TOKEN`: a run of word characters
or one other non-space character), so a chunk's `tokens` is what `usage` would count
for its text.

A chunk starts at a token's start and ends at a token's end; its text is that slice of
the source, whitespace between its tokens included. Chunk k covers tokens
`[k * step, k * step + max_tokens)` with `step = max_tokens - overlap`, the last one
cut at the end of the text; chunking stops once a chunk reaches the end, so the last
chunk is never contained in the one before it. Text without tokens has no chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..agent.tokens import TOKEN
from .ranking import TermCounts, term_counts

__all__ = ["AUTO_MAX_TOKENS", "AUTO_OVERLAP", "Chunk", "chunk_text"]

#: The `auto` strategy's values.
AUTO_MAX_TOKENS = 800
AUTO_OVERLAP = 400
#: The limits of `static.max_chunk_size_tokens`.
MIN_MAX_TOKENS = 100
MAX_MAX_TOKENS = 4096


@dataclass(frozen=True)
class Chunk:
    """`text == source[start:end]`, holding `tokens` tokens; `terms`, what the ranking reads of
    it, is made from the text when the chunk is (not stored, not compared)."""

    text: str
    start: int
    end: int
    tokens: int
    terms: TermCounts = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", term_counts(self.text))


def chunk_text(text: str, max_tokens: int = AUTO_MAX_TOKENS, overlap: int = AUTO_OVERLAP) -> list[Chunk]:
    """`text` in windows of at most `max_tokens` tokens, consecutive ones sharing `overlap`.

    Raises ValueError unless `100 <= max_tokens <= 4096` and `0 <= overlap <= max_tokens / 2`
    (the real service's limits on a static chunking strategy).
    """
    validate(max_tokens, overlap)
    spans = [match.span() for match in TOKEN.finditer(text)]
    step = max_tokens - overlap
    chunks = []
    first = 0
    while first < len(spans):
        last = min(first + max_tokens, len(spans)) - 1
        start, end = spans[first][0], spans[last][1]
        chunks.append(Chunk(text[start:end], start, end, last - first + 1))
        if last == len(spans) - 1:
            break
        first += step
    return chunks


def validate(max_tokens: int, overlap: int) -> None:
    """ValueError unless the pair is a valid static chunking strategy."""
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int):
        raise ValueError(f"max_tokens must be an integer, not {max_tokens!r}.")
    if isinstance(overlap, bool) or not isinstance(overlap, int):
        raise ValueError(f"overlap must be an integer, not {overlap!r}.")
    if not MIN_MAX_TOKENS <= max_tokens <= MAX_MAX_TOKENS:
        raise ValueError(f"max_tokens must be between {MIN_MAX_TOKENS} and {MAX_MAX_TOKENS}, not {max_tokens}.")
    if not 0 <= overlap * 2 <= max_tokens:
        raise ValueError(f"overlap must be between 0 and half of max_tokens ({max_tokens // 2}), not {overlap}.")
