"""The response object (`object: "response"`) and what it holds.

Keys are in the real service's order: `id`, `object`, `created_at`, `status`, then the rest
alphabetically, `metadata` last (the streams of pydantic-ai `test_background_mode_streaming_vcr.yaml`,
2026-02, and `test_openai_responses_model_file_search_tool_stream.yaml`, 2025-12, which keep the
service's order; azure-openai `ResponsesTests/*.json`, 2025-08, with Azure's `content_filters`
after `background`). `billing` is OpenAI's only, after `background`, and there once the response is
over (a background one gains it when done: pydantic-ai `test_background_mode_vcr.yaml`, 2026-02, and
`test_background_mode_reasoning_vcr.yaml`, 2026-07, which answers them `store: true` where 2026-02
answered `store: false`); `conversation` is there only for a
response in one, after `completed_at` (`test_openai_conversation_id_streaming_provider_details.yaml`,
2026-04, which also shows `moderation: null`). From 2026-07 OpenAI adds `tool_usage` (placed alphabetically, after
`tool_choice`: the recording is sorted) and `usage.input_tokens_details.cache_write_tokens`; Azure's v1 route
(`/openai/v1`) answers `content_filters` as a list of filter results, its dated api-versions null.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .. import wire
from .code_items import CodeInterpreterToolEcho
from .common import OPENAI_ONLY, APIModel, Metadata, Shaped
from .foundry_items import FoundryToolEcho
from .items import Item, OutputItem
from .mcp_items import McpToolEcho
from .tool_items import FileSearchToolEcho
from .web_items import UnplayableToolEcho, WebSearchPreviewToolEcho, WebSearchToolEcho

ResponseStatus = Literal["queued", "in_progress", "completed", "failed", "cancelled", "incomplete"]
TERMINAL = frozenset({"completed", "failed", "cancelled", "incomplete"})
AZURE_ONLY = frozenset({"azure"})


def _absent_if_none(value: Any) -> bool:
    return value is None


def _absent_or_streamed(value: Any) -> bool:
    """`billing` is left out when null, and in stream events (pydantic-ai streams, 2025-12 to 2026-04)."""
    return value is None or wire.READER.get()[1]


class InputTokensDetails(Shaped):
    """`cache_write_tokens` is OpenAI's, from 2026-07 (pydantic-ai `test_background_mode_reasoning_vcr.yaml`; the
    Azure v1 answer of 2026-07 has none); after `cached_tokens` as in the spec's example (the recording is sorted)."""

    ONLY_ON = {"cache_write_tokens": OPENAI_ONLY}

    cached_tokens: int = 0
    cache_write_tokens: int = 0


class OutputTokensDetails(APIModel):
    reasoning_tokens: int = 0


class ResponseUsage(APIModel):
    input_tokens: int
    input_tokens_details: InputTokensDetails = Field(default_factory=lambda: NO_CACHED_TOKENS)
    output_tokens: int
    output_tokens_details: OutputTokensDetails = Field(default_factory=lambda: NO_REASONING_TOKENS)
    total_tokens: int

    def __add__(self, other: ResponseUsage) -> ResponseUsage:
        return ResponseUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            output_tokens_details=OutputTokensDetails(
                reasoning_tokens=self.output_tokens_details.reasoning_tokens
                + other.output_tokens_details.reasoning_tokens
            ),
            total_tokens=self.total_tokens + other.total_tokens,
        )


class ResponseError(APIModel):
    code: str
    message: str


class IncompleteDetails(APIModel):
    reason: Literal["max_output_tokens", "content_filter"]


class Reasoning(APIModel):
    """A reasoning model's effective settings: `context` and `mode` from 2026-07 (pydantic-ai
    `test_background_mode_reasoning_vcr.yaml`, `test_azure_responses_reasoning_context_default_wire_contract[gpt-5.4]`;
    sorted there, so in alphabetical order here), absent for other models (which show effort and summary null)."""

    context: str | None = Field(default=None, exclude_if=_absent_if_none)
    effort: str | None = None
    mode: str | None = Field(default=None, exclude_if=_absent_if_none)
    summary: str | None = None


class TextConfig(APIModel):
    format: dict[str, Any] = Field(default_factory=lambda: {"type": "text"})
    verbosity: str = "medium"


class Billing(APIModel):
    payer: str = "developer"


class ImageTokens(APIModel):
    image_tokens: int = 0
    text_tokens: int = 0


class ImageGenUsage(APIModel):
    input_tokens: int = 0
    input_tokens_details: ImageTokens = Field(default_factory=ImageTokens)
    output_tokens: int = 0
    output_tokens_details: ImageTokens = Field(default_factory=ImageTokens)
    total_tokens: int = 0


class WebSearchUsage(APIModel):
    num_requests: int = 0


class ToolUsage(APIModel):
    """What hosted tools used, beside `usage` (OpenAI, 2026-07: pydantic-ai `test_background_mode_reasoning_vcr.yaml`):
    the emulator generates no images and searches no web, so zero counts, as the service shows unused families."""

    image_gen: ImageGenUsage = Field(default_factory=ImageGenUsage)
    web_search: WebSearchUsage = Field(default_factory=WebSearchUsage)


# Objects every response shows alike. Models are replaced, never changed in place (`model_copy`), so one
# object serves every response: a plain create made each anew (ToolUsage alone is six models to validate) and
# kept them all, for the garbage collector to walk.
NO_TOOL_USAGE = ToolUsage()
DEVELOPER_BILLING = Billing()
NO_CACHED_TOKENS = InputTokensDetails()
NO_REASONING_TOKENS = OutputTokensDetails()
#: What a model that does not reason shows, and the plain text format asked when `text` is not.
NO_REASONING = Reasoning()
PLAIN_TEXT = TextConfig()


class ConversationRef(APIModel):
    id: str


class AgentReference(APIModel):
    """The agent a response of the project shape ran (`emulator/responses/agents.py`): `agent_reference` on
    `/openai/v1` (azure-ai-projects test_agent_responses_crud.json, 2026-03), `agent` with `type: agent_id` on the
    dated preview route (test_agent_function_tool.json, 2025-12)."""

    type: Literal["agent_reference", "agent_id"] = "agent_reference"
    name: str
    version: str


class FunctionToolEcho(APIModel):
    """A function tool as the service echoes it: `description` null when not given, `strict`
    true unless the request said otherwise (the Responses API's default)."""

    type: Literal["function"] = "function"
    description: str | None = None
    name: str
    parameters: dict[str, Any] | None = None
    strict: bool | None = True


class Response(Shaped):
    ONLY_ON = {"billing": OPENAI_ONLY, "content_filters": AZURE_ONLY, "tool_usage": OPENAI_ONLY}

    id: str
    object: Literal["response"] = "response"
    created_at: int
    status: ResponseStatus
    agent: AgentReference | None = Field(default=None, exclude_if=_absent_if_none)
    agent_reference: AgentReference | None = Field(default=None, exclude_if=_absent_if_none)
    background: bool = False
    content_filters: list[Any] | None = None
    billing: Billing | None = Field(default=None, exclude_if=_absent_or_streamed)
    completed_at: int | None = None
    conversation: ConversationRef | None = Field(default=None, exclude_if=_absent_if_none)
    error: ResponseError | None = None
    frequency_penalty: float = 0.0
    incomplete_details: IncompleteDetails | None = None
    instructions: str | list[Any] | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    model: str
    moderation: Any = None
    output: list[OutputItem] = Field(default_factory=list)
    parallel_tool_calls: bool = True
    presence_penalty: float = 0.0
    previous_response_id: str | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: str | None = "in_memory"  # from 2026-04 (pydantic-ai, azure 2026-07)
    reasoning: Reasoning = Field(default_factory=lambda: NO_REASONING)
    safety_identifier: str | None = None
    service_tier: str = "default"
    store: bool = True
    temperature: float = 1.0
    text: TextConfig = Field(default_factory=lambda: PLAIN_TEXT)
    tool_choice: str | dict[str, Any] = "auto"
    tool_usage: ToolUsage = Field(default_factory=lambda: NO_TOOL_USAGE)
    tools: list[
        FunctionToolEcho | FileSearchToolEcho | McpToolEcho | CodeInterpreterToolEcho | WebSearchToolEcho
        | WebSearchPreviewToolEcho | UnplayableToolEcho | FoundryToolEcho
    ] = Field(default_factory=list)  # fmt: skip
    top_logprobs: int = 0
    top_p: float = 1.0
    truncation: str = "disabled"
    usage: ResponseUsage | None = None
    user: str | None = None
    metadata: Metadata = Field(default_factory=dict)

    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    def output_text(self) -> str:
        return "".join(item.text() for item in self.output if item.type == "message")


class ResponseDeleted(APIModel):
    id: str
    object: Literal["response.deleted"] = "response.deleted"
    deleted: bool = True


class InputTokens(APIModel):
    """`POST /responses/input_tokens` (pydantic-ai `test_responses_count_tokens_with_tools.yaml`, keys sorted there)."""

    object: Literal["response.input_tokens"] = "response.input_tokens"
    input_tokens: int


class Compaction(APIModel):
    """`POST /responses/compact`: the compacted context, to send as the next response's input
    (the spec's `CompactResource` order; the recording's keys are sorted)."""

    id: str
    object: Literal["response.compaction"] = "response.compaction"
    created_at: int
    output: list[Item]
    usage: ResponseUsage
