"""The file_search tool inside a run: which vector stores it searches, with which settings,
what its step shows, and how a reply's citation markers become `file_citation` annotations.

- Stores: the run's `tool_resources.file_search.vector_store_ids` (the assistant's, or
  thread-and-run's) and the thread's, each once; expired stores are skipped.
- Settings: the run's file_search tool: `max_num_results` (default 20, or 5 for gpt-3.5
  models, as the real service documents) and `ranking_options.score_threshold`.
- Markers: the k-th search of the run (from 0) and its n-th result are cited in a reply as
  `【k:n†source】` (the real service's marker shape); each marker of a known result becomes a
  `file_citation` annotation over exactly the marker's text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scripted_models.base import Search, SearchResult

from ..models.common import RankingOptions
from ..models.message import FileCitation, FileCitationAnnotation
from ..models.run_step import FileSearchCall, FileSearchResult, FileSearchResultContent, FileSearchToolCall

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.run import Run

MARKER = re.compile(r"【(\d+):(\d+)†[^】]*】")


def store_ids(backend: Backend, run: Run) -> list[str]:
    ns = backend.ns
    ids: list[str] = []
    for resources in (run.resources, ns.threads.get(run.thread_id).tool_resources):
        if resources.file_search is not None:
            ids.extend(i for i in resources.file_search.vector_store_ids if i not in ids)
    usable = []
    for vs_id in ids:
        if ns.vector_stores.get(vs_id) is None:
            continue
        if backend.vector_stores.get(vs_id).status != "expired":  # settles due ingestion too
            usable.append(vs_id)
    return usable


def settings(run: Run) -> tuple[int, RankingOptions]:
    tool = next((t for t in run.tools if t.type == "file_search"), None)
    default = 5 if run.model.startswith("gpt-3.5") else 20
    if tool is None:
        return default, RankingOptions()
    given = tool.file_search.ranking_options
    options = RankingOptions(ranker=given.ranker, score_threshold=given.score_threshold) if given else RankingOptions()
    return tool.file_search.max_num_results or default, options


def search(backend: Backend, run: Run, query: str, index: int) -> tuple[FileSearchToolCall, Search]:
    """Run the search: the step's tool call (with contents), and what the model sees."""
    limit, options = settings(run)
    hits = backend.file_search.search(store_ids(backend, run), query, max_num_results=limit,
                                      score_threshold=options.score_threshold)  # fmt: skip
    call_id = backend.emulator.ids.new("call")
    call = FileSearchToolCall(
        id=call_id,
        file_search=FileSearchCall(
            ranking_options=options,
            results=[FileSearchResult(file_id=h.file_id, file_name=h.filename, score=h.score,
                                      content=[FileSearchResultContent(text=h.text)]) for h in hits],
        ),
    )  # fmt: skip
    seen = Search(query=query, results=tuple(
        SearchResult(h.file_id, h.filename, h.score, h.text, cite=f"【{index}:{n}†source】") for n, h in enumerate(hits)
    ))  # fmt: skip
    return call, seen


def citations(text: str, searches: list[Search]) -> list[FileCitationAnnotation]:
    annotations = []
    for match in MARKER.finditer(text):
        k, n = int(match.group(1)), int(match.group(2))
        if k < len(searches) and n < len(searches[k].results):
            annotations.append(FileCitationAnnotation(
                text=match.group(0), start_index=match.start(), end_index=match.end(),
                file_citation=FileCitation(file_id=searches[k].results[n].file_id)))  # fmt: skip
    return annotations


def without_contents(step: Any) -> Any:
    """A step as shown without `include[]=step_details.tool_calls[*].file_search.results[*].content`."""
    details = step.step_details
    if details.type != "tool_calls" or not any(c.type == "file_search" for c in details.tool_calls):
        return step
    calls = []
    for call in details.tool_calls:
        if call.type == "file_search":
            results = [r.model_copy(update={"content": None}) for r in call.file_search.results]
            call = call.model_copy(update={"file_search": call.file_search.model_copy(update={"results": results})})
        calls.append(call)
    return step.model_copy(update={"step_details": details.model_copy(update={"tool_calls": calls})})
