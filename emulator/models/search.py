"""The answer of `POST /vector_stores/{id}/search`."""

from __future__ import annotations

from typing import Any, Literal

from .common import APIModel


class SearchResultContent(APIModel):
    type: Literal["text"] = "text"
    text: str


class SearchResult(APIModel):
    file_id: str
    filename: str
    score: float
    attributes: dict[str, Any] | None
    content: list[SearchResultContent]


class SearchResultsPage(APIModel):
    object: Literal["vector_store.search_results.page"] = "vector_store.search_results.page"
    search_query: list[str]
    data: list[SearchResult]
    has_more: bool = False
    next_page: str | None = None
