"""The run object (`object: "thread.run"`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from .assistant import ReasoningEffort
from .common import FOUNDRY_ONLY, OPENAI_ONLY, APIModel, Metadata, ResponseFormat, Shaped, Tool, ToolResources

RunStatus = Literal[
    "queued", "in_progress", "requires_action", "cancelling", "cancelled", "failed", "completed", "incomplete",
    "expired",
]  # fmt: skip


class FunctionCall(APIModel):
    name: str
    arguments: str


class RequiredToolCall(APIModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class SubmitToolOutputs(APIModel):
    tool_calls: list[RequiredToolCall]


class RequiredAction(APIModel):
    type: Literal["submit_tool_outputs"] = "submit_tool_outputs"
    submit_tool_outputs: SubmitToolOutputs


class RequiredMcpToolCall(APIModel):
    """Foundry (the 1.2 betas' RequiredMcpToolCall): an MCP call waiting for the app's approval."""

    id: str
    type: Literal["mcp"] = "mcp"
    name: str
    arguments: str
    server_label: str


class SubmitToolApproval(APIModel):
    tool_calls: list[RequiredMcpToolCall]


class ToolApprovalAction(APIModel):
    """Foundry (SubmitToolApprovalAction): the run waits for `tool_approvals`."""

    type: Literal["submit_tool_approval"] = "submit_tool_approval"
    submit_tool_approval: SubmitToolApproval


class LastError(APIModel):
    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
    message: str


class RunIncompleteDetails(APIModel):
    reason: Literal["max_completion_tokens", "max_prompt_tokens"]


class PromptTokenDetails(APIModel):
    #: frozen, so hashable: pydantic shares it as the default of `Usage` instead of building one per usage
    model_config = ConfigDict(frozen=True)

    cached_tokens: int = 0


class Usage(Shaped):
    """A run's or a step's tokens: null until it is over. Foundry's adds `prompt_token_details`
    (azure-ai-agents `test_create_stream.json`, 2025-04-28, and its other recordings); OpenAI's
    and Azure OpenAI's recorded ones have the three counts only (ruby-openai
    `runs_streamed_create.yml`, 2024-04-29; azure-openai `StreamingToolCall.json`, 2025-01-22)."""

    ONLY_ON = {"prompt_token_details": FOUNDRY_ONLY}

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_token_details: PromptTokenDetails = PromptTokenDetails()

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class TruncationStrategy(APIModel):
    type: Literal["auto", "last_messages"] = "auto"
    last_messages: int | None = None


class ToolChoiceFunctionName(APIModel):
    name: str


class ToolChoiceFunction(APIModel):
    type: Literal["function"] = "function"
    function: ToolChoiceFunctionName


class ToolChoiceTool(APIModel):
    type: Literal[
        "file_search", "code_interpreter",
        # Foundry's tools (emulator/foundry.py)
        "azure_ai_search", "azure_function", "bing_grounding", "bing_custom_search", "connected_agent", "openapi",
        "sharepoint_grounding", "fabric_dataagent", "deep_research", "browser_automation", "mcp",
    ]  # fmt: skip


ToolChoice = Literal["none", "auto", "required"] | Annotated[ToolChoiceFunction | ToolChoiceTool, Field()]


class Run(Shaped):
    """Keys in the real service's order (ruby-openai `run_steps_retrieve_run_setup.yml`,
    2025-03-14): `reasoning_effort` (OpenAI's only, `emulator/wire.py`) after `top_p`."""

    ONLY_ON = {"reasoning_effort": OPENAI_ONLY}

    id: str
    object: Literal["thread.run"] = "thread.run"
    created_at: int
    assistant_id: str
    thread_id: str
    status: RunStatus = "queued"
    started_at: int | None = None
    expires_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    required_action: Annotated[RequiredAction | ToolApprovalAction, Field(discriminator="type")] | None = None
    last_error: LastError | None = None
    model: str
    instructions: str | None = None
    tools: list[Tool] = Field(default_factory=list)
    tool_resources: ToolResources = Field(default_factory=ToolResources)
    metadata: Metadata = Field(default_factory=dict)
    temperature: float | None = 1.0
    top_p: float | None = 1.0
    reasoning_effort: ReasoningEffort | None = None
    max_completion_tokens: int | None = None
    max_prompt_tokens: int | None = None
    truncation_strategy: TruncationStrategy = Field(default_factory=TruncationStrategy)
    incomplete_details: RunIncompleteDetails | None = None
    usage: Usage | None = None
    response_format: ResponseFormat | None = "auto"
    tool_choice: ToolChoice | None = "auto"
    parallel_tool_calls: bool = True
    #: The resources its tools use: the run's own, else its assistant's when it was created. Not
    #: on the wire, where `tool_resources` shows only what was given to the run (`{}` in every
    #: recorded run, also of assistants with files: azure-ai-agents test_code_interpreter_tool.json).
    resources: ToolResources = Field(default_factory=ToolResources, exclude=True)

    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "thread_id": self.thread_id}


TERMINAL_STATUSES = frozenset({"cancelled", "failed", "completed", "incomplete", "expired"})
