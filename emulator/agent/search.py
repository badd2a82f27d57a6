"""file_search in the agent-loop core: searching vector stores, and finding a reply's citations.

Both front ends search the same way (the ranking of `domain/file_search.py` over the stores'
chunks) and show the model the same `Search`: each result with the marker (`cite`) a reply puts
where it cites it, `【k:n†filename】` as the real service's models write them (n the result's place
in its search, k where the search sits in the model's conversation: each front end says). Where
the markers of a reply are, and which result each one cites, is `cited`; the Assistants API keeps
the marker in the text under a `file_citation` annotation, the Responses API takes it out and
notes where it stood.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from scripted_models.base import Search, SearchResult

if TYPE_CHECKING:
    from ..domain import Backend
    from ..domain.file_search import Hit

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """How a file_search tool searches: its limit, its score threshold and its attribute filters."""

    max_num_results: int
    score_threshold: float = 0.0
    filters: dict[str, Any] | None = None


@dataclass(frozen=True)
class Cited:
    """A marker of the reply at `start` (its text `cite`) that cites `result`."""

    start: int
    cite: str
    result: SearchResult


def usable_stores(backend: Backend, ids: list[str]) -> list[str]:
    """The stores of `ids` that can be searched, each once: existing and not expired."""
    usable: list[str] = []
    for vs_id in ids:
        if vs_id in usable or backend.ns.vector_stores.get(vs_id) is None:
            continue
        if backend.vector_stores.get(vs_id).status != "expired":  # settles due ingestion too
            usable.append(vs_id)
    return usable


def search(backend: Backend, store_ids: list[str], queries: tuple[str, ...], settings: Settings) -> list[Hit]:
    """The best chunks of the stores for `queries` (each scored its best over them), best first."""
    return backend.file_search.search(store_ids, list(queries), max_num_results=settings.max_num_results,
                                      score_threshold=settings.score_threshold, filters=settings.filters)  # fmt: skip


def marker(k: int, n: int, filename: str) -> str:
    """The marker citing the `n`-th result of the search at place `k` of the model's conversation."""
    return f"【{k}:{n}†{filename}】"


def seen(queries: tuple[str, ...], hits: list[Hit], k: int) -> Search:
    """What the model sees of a search whose results sit at place `k` of its conversation."""
    return Search(query=queries[0], results=tuple(
        SearchResult(h.file_id, h.filename, h.score, h.text, cite=marker(k, n, h.filename)) for n, h in enumerate(hits)
    ))  # fmt: skip


def marked(text: str, sources: Iterable[tuple[str, T]]) -> list[tuple[int, str, T]]:
    """(where, marker, source) of each place `text` writes the marker of one of `sources` ((marker, source) pairs),
    in the order of `sources`, then of the text: how a reply's citations of any tool's results are found."""
    found = []
    for marker, source in sources:
        start = text.find(marker)
        while start >= 0:
            found.append((start, marker, source))
            start = text.find(marker, start + len(marker))
    return found


def cited(text: str, searches: list[Search] | tuple[Search, ...]) -> list[Cited]:
    """Each marker in `text` that is the `cite` of a result of `searches`, in order (markers do not overlap)."""
    results = {result.cite: result for search in searches for result in search.results if result.cite}
    found = marked(text, results.items())
    marks, end = [], 0
    for start, cite, result in sorted(found, key=lambda f: (f[0], f[1])):
        if start >= end:
            end = start + len(cite)
            marks.append(Cited(start, cite, result))
    return marks
