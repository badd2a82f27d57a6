"""The default model and the web: it has none. With a web search tool (the Responses API's
`web_search` / `web_search_preview`) and nothing else to do, it says it cannot search the web offline
rather than invent sources; after a search that found nothing (a forced `tool_choice`), the same."""

from __future__ import annotations

from .base import ModelInput, ToolUse

#: The tool types that search the web (the Responses API's).
WEB_TOOLS = ("web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11")


def offered(model_input: ModelInput) -> bool:
    """Whether the model may search the web (a web search tool, and tool_choice not `none`)."""
    return model_input.tool_choice != "none" and bool(model_input.tool_types() & set(WEB_TOOLS))


def found_nothing(use: ToolUse) -> bool:
    return use.type == "web_search" and not use.results


def offline(question: str) -> str:
    shown = question.strip() if len(question.strip()) <= 120 else question.strip()[:117] + "..."
    return (f"I cannot search the web: I am running offline, with no web results to go on, so I cannot look up "
            f"{shown!r} or give sources for it.")  # fmt: skip
