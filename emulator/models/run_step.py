"""The run step object (`object: "thread.run.step"`) and its step details."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_serializer

from .. import wire
from .common import APIModel, RankingOptions, Sparse
from .run import Usage


class MessageCreation(APIModel):
    message_id: str


class MessageCreationDetails(APIModel):
    type: Literal["message_creation"] = "message_creation"
    message_creation: MessageCreation


class FunctionCallDetails(APIModel):
    name: str
    arguments: str
    output: str | None = None


class FunctionToolCall(APIModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCallDetails


class CodeLogs(APIModel):
    type: Literal["logs"] = "logs"
    logs: str


class CodeImageFile(APIModel):
    file_id: str


class CodeImage(APIModel):
    type: Literal["image"] = "image"
    image: CodeImageFile


CodeOutput = Annotated[CodeLogs | CodeImage, Field(discriminator="type")]


class CodeInterpreterCall(APIModel):
    """Foundry's REST answers leave out the `logs` outputs: a step whose code printed a value and one whose code
    raised both show `outputs: []` (recorded: azure-ai-agents test_code_interpreter_tool.json, 2025-08-21);
    Azure OpenAI's show image outputs (BasicRunStepFunctionalityWorks.json), and stream events keep everything."""

    input: str
    outputs: list[CodeOutput] = Field(default_factory=list)

    @field_serializer("outputs", mode="wrap")
    def _outputs_for_reader(self, value: Any, handler: Any) -> Any:
        data = handler(value)
        if wire.READER.get() == ("foundry", False):
            return [output for output in data if output.get("type") != "logs"]
        return data


class CodeInterpreterToolCall(APIModel):
    id: str
    type: Literal["code_interpreter"] = "code_interpreter"
    code_interpreter: CodeInterpreterCall


class FileSearchResultContent(APIModel):
    type: Literal["text"] = "text"
    text: str


class FileSearchResult(Sparse):
    """`content` is shown only when the request asks for it with `include[]`."""

    file_id: str
    file_name: str
    score: float
    content: list[FileSearchResultContent] | None = None


class FileSearchCall(APIModel):
    ranking_options: RankingOptions = Field(default_factory=RankingOptions)
    results: list[FileSearchResult] = Field(default_factory=list)


class FileSearchToolCall(APIModel):
    id: str
    type: Literal["file_search"] = "file_search"
    file_search: FileSearchCall


class AzureToolCall(APIModel):
    """A call of a Foundry tool: `{"id", "type": T, T: {...}}` (string values, as the SDK types them)."""

    model_config = ConfigDict(extra="allow")
    id: str
    type: Literal[
        "azure_ai_search", "azure_function", "bing_grounding", "bing_custom_search", "connected_agent", "openapi",
        "sharepoint_grounding", "fabric_dataagent", "deep_research", "browser_automation",
    ]  # fmt: skip


class McpToolCall(APIModel):
    """A call of a tool on an MCP server (the 1.2 betas' RunStepMcpToolCall: flat, no `mcp` key).
    `output` is null while the call waits for its approval or runs."""

    id: str
    type: Literal["mcp"] = "mcp"
    name: str
    arguments: str
    server_label: str
    output: str | None = None


ToolCall = Annotated[
    FunctionToolCall | CodeInterpreterToolCall | FileSearchToolCall | AzureToolCall | McpToolCall,
    Field(discriminator="type"),
]


class ToolCallsDetails(APIModel):
    type: Literal["tool_calls"] = "tool_calls"
    tool_calls: list[ToolCall] = Field(default_factory=list)


StepDetails = Annotated[MessageCreationDetails | ToolCallsDetails, Field(discriminator="type")]


class StepError(APIModel):
    code: Literal["server_error", "rate_limit_exceeded"]
    message: str


class RunStep(APIModel):
    """Keys as the real service writes them (azure-openai `BasicRunStepFunctionalityWorks.json`,
    2024-06-24; azure-ai-agents `test_code_interpreter_tool.json`, 2025-08-21; ruby-openai
    `runs_streamed_create.yml`): `expires_at` (the spec says `expired_at`), the run's while it is
    active and null once it is over; no `metadata` (the spec lists one)."""

    id: str
    object: Literal["thread.run.step"] = "thread.run.step"
    created_at: int
    run_id: str
    assistant_id: str
    thread_id: str
    type: Literal["message_creation", "tool_calls"]
    status: Literal["in_progress", "cancelled", "failed", "completed", "expired"] = "in_progress"
    cancelled_at: int | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    failed_at: int | None = None
    last_error: StepError | None = None
    step_details: StepDetails
    usage: Usage | None = None
