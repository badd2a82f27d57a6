"""Deterministic lexical ranking: BM25 scores normalised into [0, 1].

Tokens (`tokenize`): the word tokens of the emulator's token count
(`emulator.runs.tokens.TOKEN` without its punctuation tokens), i.e. runs of Unicode word
characters (`\\w+`: letters, digits, underscore), after NFKC normalisation (so PDF
ligatures such as "ﬁ" match "fi") and case folding. No stemming, no stop words.

Raw score: BM25 as `rank_bm25.BM25Okapi` computes it (k1 = 1.5, b = 0.75, document
length relative to the corpus average) over the query's distinct terms, with one
change: the IDF is Lucene's, `ln(1 + (N - n + 0.5) / (n + 0.5))` for a term in n of N
documents, always > 0. BM25Okapi's own IDF, `ln((N - n + 0.5) / (n + 0.5))`, is zero or
negative for a term in half the documents or more, and its fix (epsilon times the
average IDF) is itself negative when most terms are common, e.g. in a corpus of one
document; with it, a document containing the query could score 0 or below one that
does not. With Lucene's IDF a document scores > 0 exactly when it contains a query term.

Normalised score, for a query of m distinct terms with raw score s:

    score = s / (s + K * m),  K = 1

Monotonic in s, so it keeps BM25's order; 0.0 exactly when no query term occurs; always
< 1. The mapping depends on the query alone, never on the other documents' scores (no
min-max or top-1 scaling), so a `score_threshold` is an absolute bar, not a share of the
best hit; dividing by m keeps it independent of the query's length, as s / m is the mean
contribution per query term. (s itself still reflects the corpus through BM25's IDF and
average length, as BM25 always does.) 0.5 is reached
when that mean equals K = 1: what one occurrence of every query term in a chunk of
average length scores when each term occurs in about a third (1/e) of the chunks; rarer
terms, more occurrences or shorter chunks score more, commoner terms less. Query terms
missing from the corpus still count in m (a query half made of unknown words scores
lower). Small corpora score lower: with few chunks no term is rare (IDF is small), e.g.
a store of one chunk gives a query whose every term it contains once about 0.22.

A list of queries scores each query on its own and keeps each document's best score
(the queries are alternatives, e.g. the rewrites the file_search tool makes).

Same inputs, same floats: no sets or hashing decide any order, sums run in query order.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

from .. import optional

__all__ = ["K", "bm25_scores", "normalize_score", "tokenize"]

#: The raw score per query term at which the normalised score is 0.5.
K = 1.0

_WORD = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """The ranking's tokens: `\\w+` runs of the NFKC-normalised, case-folded text."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalize_score(raw: float, terms: int) -> float:
    """`raw / (raw + K * terms)`: a raw BM25 score of a query with `terms` distinct terms, in [0, 1)."""
    if raw <= 0 or terms <= 0:
        return 0.0
    return raw / (raw + K * terms)


@functools.cache
def _index_class() -> type:
    """BM25Okapi with Lucene's always-positive IDF (see the module docstring). Built on first
    use: rank_bm25 imports numpy, which a suite that never searches files need not pay for."""
    optional.require("file_search", "rank-bm25", "numpy", what="searching files")
    from rank_bm25 import BM25Okapi

    class LuceneIdfBM25(BM25Okapi):
        def _calc_idf(self, nd: dict[str, int]) -> None:
            n = self.corpus_size
            for word, freq in nd.items():
                self.idf[word] = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5))

    return LuceneIdfBM25


def bm25_scores(query: str | list[str], documents: list[str]) -> list[float]:
    """Each document's normalised BM25 score for `query` (a list: the best over its queries), in [0, 1)."""
    queries = [query] if isinstance(query, str) else list(query)
    scores = [0.0] * len(documents)
    corpus = [tokenize(document) for document in documents]
    if not any(corpus):
        return scores
    index: Any = _index_class()(corpus)
    for text in queries:
        terms = list(dict.fromkeys(tokenize(text)))  # distinct, in order
        if not terms:
            continue
        raw = index.get_scores(terms)
        for i, value in enumerate(raw.tolist()):
            scores[i] = max(scores[i], normalize_score(value, len(terms)))
    return scores
