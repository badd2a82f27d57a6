"""Deterministic lexical ranking with scores on the real service's scale.

The real service ranks by embeddings and reranking; what an app sees is a score in [0, 1]
where a passage that plainly answers the question scores high: recorded, 0.9716 for
"What is the capital of France?" against the one chunk "Paris is the capital of France. It
is known for the Eiffel Tower." (pydantic-ai's
`test_openai_responses_model_file_search_tool_with_results.yaml`, 2025-12-10), and apps set
`score_threshold` around 0.5 expecting clear matches to pass. A raw BM25 score squeezed into
[0, 1] gives such a match about 0.2, so the emulator scores differently:

Tokens (`tokenize`): runs of Unicode word characters (`\\w+`) after NFKC normalisation (so
PDF ligatures such as "ﬁ" match "fi") and case folding. Terms (`term`): tokens with a plural
or third-person -s folded ("ships", "days", "policies" match "ship", "day", "policy"); no
other stemming ("refunded" is not "refund").

A query's *content terms* are its distinct tokens minus function words (`STOP_WORDS`) and
single letters ("s" of "Travis's"); a query made only of those keeps them all. Each term
weighs its IDF over the searched chunks, Lucene's `ln(1 + (N - n + 0.5) / (n + 0.5))` for a
term in n of N chunks (always > 0); a word no chunk has weighs as one in a single chunk.

For a chunk:

    coverage = weight of the content terms the chunk has / weight of all content terms
    strength = weighted mean, over the terms it has, of BM25's saturated term frequency
               tf / (tf + k1 * (1 - b + b * length / average length))   (k1 = 1.2, b = 0.75)
    score    = coverage * (FLOOR + (1 - FLOOR) * strength),  FLOOR = 0.7

so a chunk holding every content term scores at least 0.7 (one occurrence each in a chunk of
average length: 0.84; more occurrences or a shorter chunk: more), one holding some of them
scores about that share of it (rarer words count more), one holding none scores exactly 0;
always < 1. A chunk's score depends on the query, the chunk and the corpus statistics only,
never on the other chunks' scores (no min-max or top-1 scaling), so `score_threshold` is an
absolute bar and `max_num_results` cuts a stable order.

A chunk's term counts and length (`term_counts`) are made once, when the chunk is (at
ingestion, or when a data directory is loaded); a search reads only them and the query.

A list of queries scores each query on its own and keeps each chunk's best score (the
queries are alternatives, e.g. the rewrites the file_search tool makes).

Same inputs, same floats: no sets or hashing decide any order, sums run in query order.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence

__all__ = ["FLOOR", "STOP_WORDS", "TermCounts", "content_terms", "relevance_scores", "term", "term_counts", "tokenize"]

#: The score of a chunk holding every content term, as its strength tends to 0.
FLOOR = 0.7
#: BM25's term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
#: Function words: they say little about which passage answers a question.
STOP_WORDS = frozenset(
    "a about after all also am an and any are as at be been before being but by can could did do does doing for "
    "from had has have having he her here hers him his how i if in into is it its itself just many me more most much "
    "my no nor not of off on once only or other our ours out over own same she should so some such than that the their "
    "theirs them then there these they this those through to too under until up very was we were what when where "
    "which while who whom why will with would you your yours".split()
)

_WORD = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """The ranking's tokens: `\\w+` runs of the NFKC-normalised, case-folded text."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def term(token: str) -> str:
    """`token` with a final -s folded: -ies to -y, -s dropped (not -ss, -us, -is, nor from words of 3 letters)."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def content_terms(query: str) -> list[str]:
    """The query's distinct terms that carry meaning, in order (all of them if none does)."""
    tokens = tokenize(query)
    meaningful = [t for t in tokens if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]
    return list(dict.fromkeys(term(t) for t in meaningful or tokens))


class TermCounts:
    """A text as the ranking sees it: its distinct terms (sorted, interned: the many chunks sharing a
    word share one string), how often each occurs, and how many tokens it holds. Kept compact (a
    chunk's stays in memory as long as its store): two arrays and a binary search, not a dict."""

    __slots__ = ("counts", "length", "terms")

    def __init__(self, counts: dict[str, int]) -> None:
        self.terms = tuple(sorted(counts))
        self.counts = array("I", (counts[t] for t in self.terms))
        self.length = sum(self.counts)

    def count(self, name: str) -> int:
        """How often the term `name` occurs (0: not at all)."""
        at = bisect_left(self.terms, name)
        return self.counts[at] if at < len(self.terms) and self.terms[at] == name else 0


def term_counts(text: str) -> TermCounts:
    """The terms of `text`, counted once (a chunk's: when the chunk is made)."""
    counts: dict[str, int] = {}
    for token in tokenize(text):
        name = sys.intern(term(token))
        counts[name] = counts.get(name, 0) + 1
    return TermCounts(counts)


def relevance_scores(query: str | list[str], documents: Sequence[str | TermCounts]) -> list[float]:
    """Each document's score for `query` (a list: the best over its queries), in [0, 1).
    A document is a text, or its `term_counts` made beforehand (a chunk's, so no search re-reads it)."""
    queries = [query] if isinstance(query, str) else list(query)
    scores = [0.0] * len(documents)
    indexed = [d if isinstance(d, TermCounts) else term_counts(d) for d in documents]
    lengths = [d.length for d in indexed]
    if not any(lengths):
        return scores
    average = sum(lengths) / len(lengths)
    n = len(documents)
    for text in queries:
        terms = content_terms(text)
        if not terms:
            continue
        found_in = [[d.count(t) for t in terms] for d in indexed]  # each document's tf of each term
        frequency = [sum(1 for tfs in found_in if tfs[k]) for k in range(len(terms))]
        weights = [math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for df in (max(f, 1) for f in frequency)]
        total = sum(weights)
        for i, tfs in enumerate(found_in):
            norm = K1 * (1 - B + B * lengths[i] / average)
            found = strong = 0.0
            for tf, weight in zip(tfs, weights, strict=True):
                if tf:
                    found += weight
                    strong += weight * tf / (tf + norm)
            if found:
                score = found / total * (FLOOR + (1 - FLOOR) * strong / found)
                scores[i] = max(scores[i], score)
    return scores
