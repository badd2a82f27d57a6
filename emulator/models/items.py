"""Items: what responses take and give, and what conversations hold (the Responses API's
counterpart of messages and run steps).

Keys come in the order the real service writes them: `id`, `type`, `status` first, then the
rest alphabetically (azure-openai `ResponsesTests/FunctionCall(%gpt-4o-mini%).json`, 2025-08:
`{"id", "type", "status", "content", "role"}` for a message, `{"id", "type", "status",
"arguments", "call_id", "name"}` for a function call; `output_text` is `{"type",
"annotations", "logprobs", "text"}`, its `logprobs: []` on OpenAI since 2025-10, pydantic-ai
`test_openai_responses_model_simple_response_with_tool_call.yaml`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, RootModel, Tag

from .code_items import CodeInterpreterCallItem
from .common import APIModel, Sparse
from .foundry_items import ITEM_TYPES as FOUNDRY_ITEMS
from .foundry_items import FoundryCallItem, FoundryCallOutputItem, StructuredOutputsItem
from .mcp_items import McpApprovalRequestItem, McpApprovalResponseItem, McpCallItem, McpListToolsItem
from .tool_items import FileSearchCallItem
from .web_items import CANNED, CannedCallItem, WebSearchCallItem

ItemStatus = Literal["in_progress", "completed", "incomplete"]


# --- content parts ----------------------------------------------------------------------


class InputText(APIModel):
    type: Literal["input_text"] = "input_text"
    text: str


class InputImage(Sparse):
    type: Literal["input_image"] = "input_image"
    detail: str = "auto"
    file_id: str | None = None
    image_url: str | None = None


class InputFile(Sparse):
    type: Literal["input_file"] = "input_file"
    file_data: str | None = None
    file_id: str | None = None
    file_url: str | None = None
    filename: str | None = None


class OutputText(APIModel):
    type: Literal["output_text"] = "output_text"
    annotations: list[dict[str, Any]] = Field(default_factory=list)
    logprobs: list[Any] = Field(default_factory=list)
    text: str


class Refusal(APIModel):
    type: Literal["refusal"] = "refusal"
    refusal: str


InputPart = Annotated[InputText | InputImage | InputFile, Field(discriminator="type")]
OutputPart = Annotated[OutputText | Refusal, Field(discriminator="type")]


# --- items ------------------------------------------------------------------------------


class InputMessage(APIModel):
    """A message of the user, the system or the developer (or an earlier assistant message
    sent back as input text)."""

    id: str
    type: Literal["message"] = "message"
    status: ItemStatus = "completed"
    content: list[InputPart]
    role: Literal["user", "system", "developer"]


#: An assistant message's `phase` (gpt-5.3 and later: pydantic-ai 2026-07 recordings show `final_answer`).
PHASES = ("commentary", "final_answer")


class OutputMessage(APIModel):
    """`phase` (from 2026-07, models that label their messages) sits between `content` and `role`, in this module's
    alphabetical order after `status` (the recordings that show it are sorted)."""

    id: str
    type: Literal["message"] = "message"
    status: ItemStatus = "completed"
    content: list[OutputPart]
    phase: Literal["commentary", "final_answer"] | None = Field(default=None, exclude_if=lambda v: v is None)
    role: Literal["assistant"] = "assistant"

    def text(self) -> str:
        return "\n\n".join(p.text for p in self.content if isinstance(p, OutputText))


class FunctionCallItem(APIModel):
    id: str
    type: Literal["function_call"] = "function_call"
    status: ItemStatus = "completed"
    arguments: str
    call_id: str
    name: str


class FunctionCallOutputItem(APIModel):
    """No recording lists one: the spec's order (`FunctionToolCallOutputResource`)."""

    id: str
    type: Literal["function_call_output"] = "function_call_output"
    call_id: str
    output: str | list[dict[str, Any]]
    status: ItemStatus = "completed"

    def output_text(self) -> str:
        if isinstance(self.output, str):
            return self.output
        return "\n".join(str(p.get("text", "")) for p in self.output if isinstance(p, dict))


class SummaryText(APIModel):
    type: Literal["summary_text"] = "summary_text"
    text: str


class ReasoningItem(APIModel):
    """What a reasoning model thought: a summary when asked, and its opaque content."""

    id: str
    type: Literal["reasoning"] = "reasoning"
    encrypted_content: str | None = Field(default=None, exclude_if=lambda v: v is None)
    summary: list[SummaryText] = Field(default_factory=list)


class CompactionItem(APIModel):
    """What `POST /responses/compact` made of the items it compacted (pydantic-ai
    `test_openai_responses_compact_messages.yaml`, 2026-04: `cmp_` ids)."""

    id: str
    type: Literal["compaction"] = "compaction"
    encrypted_content: str


def _kind(value: Any) -> str | None:
    """An item's tag: its type, and for a message whether the assistant wrote it."""
    get = value.get if isinstance(value, dict) else lambda key: getattr(value, key, None)
    kind = get("type")
    if kind in CANNED:
        return "canned"
    if kind in FOUNDRY_ITEMS:  # Foundry's tools on the Responses API of a project
        return "structured_outputs" if kind == "structured_outputs" else "foundry_" + kind.rsplit("_", 1)[-1]
    return "assistant_message" if kind == "message" and get("role") == "assistant" else kind


Item = Annotated[
    Annotated[InputMessage, Tag("message")]
    | Annotated[OutputMessage, Tag("assistant_message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[CompactionItem, Tag("compaction")]
    | Annotated[FileSearchCallItem, Tag("file_search_call")]
    | Annotated[McpListToolsItem, Tag("mcp_list_tools")]
    | Annotated[McpCallItem, Tag("mcp_call")]
    | Annotated[McpApprovalRequestItem, Tag("mcp_approval_request")]
    | Annotated[McpApprovalResponseItem, Tag("mcp_approval_response")]
    | Annotated[CodeInterpreterCallItem, Tag("code_interpreter_call")]
    | Annotated[WebSearchCallItem, Tag("web_search_call")]
    | Annotated[CannedCallItem, Tag("canned")]
    | Annotated[FoundryCallItem, Tag("foundry_call")]
    | Annotated[FoundryCallOutputItem, Tag("foundry_output")]
    | Annotated[StructuredOutputsItem, Tag("structured_outputs")],
    Discriminator(_kind),
]
OutputItem = (
    OutputMessage | FunctionCallItem | ReasoningItem | FileSearchCallItem | McpListToolsItem | McpCallItem
    | McpApprovalRequestItem | CodeInterpreterCallItem | WebSearchCallItem | CannedCallItem | FoundryCallItem
    | FoundryCallOutputItem | StructuredOutputsItem
)  # fmt: skip
#: Prefixes of item ids, by kind (emulator/ids.py HEX_IDS).
ID_KINDS = {
    "message": "output_message",
    "function_call": "function_call_item",
    "function_call_output": "function_call_output_item",
    "reasoning": "reasoning",
    "file_search_call": "file_search_call",
    "mcp_list_tools": "mcp_list_tools",
    "mcp_call": "mcp_call",
    "mcp_approval_request": "mcp_approval_request",
    "mcp_approval_response": "mcp_approval_response",
    "code_interpreter_call": "code_interpreter_call",
    "web_search_call": "web_search_call",
}


class InputItemList(APIModel):
    """`GET /responses/{id}/input_items` (azure-openai `ResponsesTests/FileSearch(%gpt-4o-mini%).json`, 2025-08)."""

    object: Literal["list"] = "list"
    data: list[Item]
    first_id: str | None
    has_more: bool
    last_id: str | None


class ConversationItemList(APIModel):
    """`GET /conversations/{id}/items` (azure-ai-projects `test_conversation_items_crud.json`, 2026-03)."""

    data: list[Item]
    first_id: str | None
    last_id: str | None
    has_more: bool
    object: Literal["list"] = "list"


class ConversationItemsAdded(APIModel):
    """`POST /conversations/{id}/items` (azure-ai-projects `test_conversation_items_crud.json`, 2026-03)."""

    object: Literal["list"] = "list"
    data: list[Item]
    has_more: bool = False
    first_id: str | None
    last_id: str | None


class ItemAnswer(RootModel[Item]):
    """One item as an answer (`GET /conversations/{id}/items/{item_id}`): the OpenAPI document's model."""
