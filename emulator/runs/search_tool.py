"""The file_search tool inside a run: which vector stores it searches, with which settings,
what its step shows, and how a reply's citation markers become `file_citation` annotations.

- Stores: the run's `tool_resources.file_search.vector_store_ids` (the assistant's, or
  thread-and-run's) and the thread's, each once; expired stores are skipped.
- Settings: the run's file_search tool: `max_num_results` (default 20, or 5 for gpt-3.5
  models, as the real service documents) and `ranking_options.score_threshold`.
- Markers: `【k:n†filename】`, as the real service writes them: n is the result's place in
  its search (0 = best) and k the place, in the model's conversation, of the message holding
  that search's results: 0 the system prompt, 1 the instructions, then the thread's messages
  (after a `last_messages` truncation), then each search of the run as its call and its
  results. So the first search after one user message is k = 4: `【4:0†favorite_foods.txt】`,
  the number every first-turn citation of the real service shows. Each marker of a known
  result becomes a `file_citation` annotation over exactly the marker's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scripted_models.base import Search

from ..agent import search as core
from ..models.common import RankingOptions
from ..models.message import FileCitation, FileCitationAnnotation
from ..models.run_step import FileSearchCall, FileSearchResult, FileSearchResultContent, FileSearchToolCall

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.run import Run

#: Before the thread's messages in the model's conversation: the system prompt, the instructions.
LEADING_MESSAGES = 2


def store_ids(backend: Backend, run: Run) -> list[str]:
    ids: list[str] = []
    for resources in (run.resources, backend.ns.threads.get(run.thread_id).tool_resources):
        if resources.file_search is not None:
            ids.extend(resources.file_search.vector_store_ids)
    return core.usable_stores(backend, ids)


def settings(run: Run) -> tuple[int, RankingOptions]:
    tool = next((t for t in run.tools if t.type == "file_search"), None)
    default = 5 if run.model.startswith("gpt-3.5") else 20
    if tool is None:
        return default, RankingOptions()
    given = tool.file_search.ranking_options
    options = RankingOptions(ranker=given.ranker, score_threshold=given.score_threshold) if given else RankingOptions()
    return tool.file_search.max_num_results or default, options


def conversation_index(backend: Backend, run: Run, index: int) -> int:
    """k of the run's `index`-th search (from 0): where its results sit in the model's conversation."""
    shown = len(backend.ns.messages[run.thread_id])
    strategy = run.truncation_strategy
    if strategy.type == "last_messages" and strategy.last_messages is not None:
        shown = min(shown, strategy.last_messages)
    return LEADING_MESSAGES + shown + 2 * index + 1


def search(backend: Backend, run: Run, queries: tuple[str, ...], index: int) -> tuple[FileSearchToolCall, Search]:
    """Run the run's `index`-th search: the step's tool call (with contents), and what the model sees."""
    limit, options = settings(run)
    hits = core.search(backend, store_ids(backend, run), queries,
                       core.Settings(limit, score_threshold=options.score_threshold))  # fmt: skip
    call = FileSearchToolCall(
        id=backend.emulator.ids.new("call"),
        file_search=FileSearchCall(
            ranking_options=options,
            results=[FileSearchResult(file_id=h.file_id, file_name=h.filename, score=h.score,
                                      content=[FileSearchResultContent(text=h.text)]) for h in hits],
        ),
    )  # fmt: skip
    return call, core.seen(queries, hits, conversation_index(backend, run, index))


def citations(text: str, searches: list[Search]) -> list[FileCitationAnnotation]:
    """A `file_citation` for each marker in `text` that is the `cite` of a result of the run's searches."""
    return [FileCitationAnnotation(text=c.cite, start_index=c.start, end_index=c.start + len(c.cite),
                                   file_citation=FileCitation(file_id=c.result.file_id))
            for c in core.cited(text, searches)]  # fmt: skip


def delta_annotation(annotation: dict[str, Any]) -> dict[str, Any]:
    """An annotation as a `thread.message.delta` carries it: a file citation's `file_citation`
    has `quote: ""` there (the final message's has `file_id` alone)."""
    if annotation.get("type") != "file_citation":
        return annotation
    return {**annotation, "file_citation": {**annotation["file_citation"], "quote": ""}}


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
