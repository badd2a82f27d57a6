"""Searching vector stores: the search endpoint, and what the file_search tool retrieves.

Every completed file of the searched stores has chunks (made at ingestion, see
`ingestion.py`); a query ranks them all (`emulator.retrieval.ranking`), scores in [0, 1)
rounded to 4 decimals as the service sends them (`"score": 0.9716` in pydantic-ai's
`test_openai_responses_model_file_search_tool_with_results.yaml`). Results are the chunks
with a (rounded) score above 0 and at least the
`score_threshold`, best first (ties: store order, file order, chunk order), at most
`max_num_results`; the same chunk reached through two stores counts once. Deterministic:
same files, same query, same scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import errors
from ..models.search import SearchResult, SearchResultContent, SearchResultsPage
from ..retrieval import Chunk, relevance_scores
from ..validation import validate
from .base import Service

#: Scores as the service writes them: 4 decimals.
SCORE_DECIMALS = 4


@dataclass(frozen=True)
class Hit:
    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]
    vector_store_id: str
    chunk: int


class FileSearch(Service):
    def search(self, vector_store_ids: list[str], query: str | list[str], *, max_num_results: int = 10,
               score_threshold: float = 0.0, filters: dict[str, Any] | None = None) -> list[Hit]:  # fmt: skip
        candidates: list[tuple[str, str, int, Chunk]] = []  # (store, file, chunk index, chunk)
        seen: set[tuple[str, int]] = set()
        for vs_id in vector_store_ids:
            files = self.ns.vector_store_files.get(vs_id)
            if files is None:
                continue
            for vs_file in files.values():
                if vs_file.status != "completed" or (filters and not matches(filters, vs_file.attributes or {})):
                    continue
                for n, chunk in enumerate(self.ns.chunks.get((vs_id, vs_file.id), ())):
                    if (vs_file.id, n) not in seen:
                        seen.add((vs_file.id, n))
                        candidates.append((vs_id, vs_file.id, n, chunk))
        if not candidates:
            return []
        scores = [
            round(s, SCORE_DECIMALS) for s in relevance_scores(query, [chunk.terms for *_rest, chunk in candidates])
        ]
        ranked = sorted(range(len(candidates)), key=lambda i: -scores[i])  # stable: ties keep their order
        hits = []
        for i in ranked:
            if scores[i] <= 0 or scores[i] < score_threshold:
                break
            vs_id, file_id, n, chunk = candidates[i]
            attributes = self.ns.vector_store_files[vs_id].get(file_id).attributes or {}
            hits.append(Hit(file_id, self.ns.files.get(file_id).filename, scores[i], chunk.text, attributes,
                            vs_id, n))  # fmt: skip
            if len(hits) == max_num_results:
                break
        return hits

    def search_store(self, vector_store_id: str, body: dict[str, Any]) -> SearchResultsPage:
        """POST /vector_stores/{id}/search: `vector_store.search_results.page`."""
        self.backend.vector_stores.get(vector_store_id)
        validate("VectorStoreSearchRequest", body)
        query = body["query"]
        queries = [query] if isinstance(query, str) else list(query)
        if not any(q.strip() for q in queries):
            raise errors.bad_request("query must not be empty.", param="query")
        ranking = body.get("ranking_options") or {}
        hits = self.search([vector_store_id], queries, max_num_results=body.get("max_num_results") or 10,
                           score_threshold=ranking.get("score_threshold") or 0.0, filters=body.get("filters"))  # fmt: skip
        results = [
            SearchResult(file_id=h.file_id, filename=h.filename, score=h.score, attributes=h.attributes,
                         content=[SearchResultContent(text=h.text)])
            for h in hits
        ]  # fmt: skip
        return SearchResultsPage(search_query=queries, data=results)


def matches(spec: dict[str, Any], attributes: dict[str, Any]) -> bool:
    """A comparison filter (`{type: eq|ne|gt|gte|lt|lte|in|nin, key, value}`) or a compound one
    (`{type: and|or, filters: [...]}`) on a vector store file's attributes."""
    kind = spec.get("type")
    if kind in ("and", "or"):
        results = (matches(f, attributes) for f in spec.get("filters") or [])
        return all(results) if kind == "and" else any(results)
    if spec.get("key") not in attributes:
        return kind in ("ne", "nin")
    have, want = attributes[spec["key"]], spec.get("value")
    try:
        if kind == "eq":
            return have == want
        if kind == "ne":
            return have != want
        if kind == "in":
            return have in want
        if kind == "nin":
            return have not in want
        return {"gt": have > want, "gte": have >= want, "lt": have < want, "lte": have <= want}[kind]
    except (TypeError, KeyError):
        return False
