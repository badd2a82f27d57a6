"""The Responses API's hosted tools as a response echoes them, and their output items.

file_search (pydantic-ai `test_openai_responses_model_file_search_tool*.yaml`, api.openai.com,
2025-12): the tool is echoed `{"type", "filters", "max_num_results", "ranking_options": {"ranker",
"score_threshold"}, "vector_store_ids"}` with the service's defaults filled in (null filters, 20
results, ranker `auto`, threshold 0.0); a `file_search_call` item is `{"id": "fs_…", "type",
"status", "queries", "results"}`, `results` null unless the request included
`file_search_call.results`, each result `{"attributes", "file_id", "filename", "score", "text",
"vector_store_id"}`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import APIModel


class FileSearchRanking(APIModel):
    ranker: str = "auto"
    score_threshold: float = 0.0


class FileSearchToolEcho(APIModel):
    type: Literal["file_search"] = "file_search"
    filters: dict[str, Any] | None = None
    max_num_results: int = 20
    ranking_options: FileSearchRanking = Field(default_factory=FileSearchRanking)
    vector_store_ids: list[str]


class FileSearchResultEntry(APIModel):
    attributes: dict[str, Any] = Field(default_factory=dict)
    file_id: str
    filename: str
    score: float
    text: str
    vector_store_id: str | None = None


class FileSearchCallItem(APIModel):
    id: str
    type: Literal["file_search_call"] = "file_search_call"
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"] = "completed"
    queries: list[str] = Field(default_factory=list)
    results: list[FileSearchResultEntry] | None = None
