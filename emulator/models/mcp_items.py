"""MCP on the Responses API: the `mcp` tool as a response echoes it, and its items.

pydantic-ai `test_openai_responses_model_mcp_server_tool.yaml` (api.openai.com, 2025-10) shows the echo:
the keys the request gave, each header's value `<redacted>` and the server_url's path `<redacted>`
(`https://mcp.deepwiki.com/<redacted>`); an `mcp_list_tools` item `{"id": "mcpl_…", "server_label",
"tools": [{"annotations": {"read_only"}, "description", "input_schema", "name"}], "type"}` (no `error`
key when listing worked); an `mcp_call` `{"id": "mcp_…", "approval_request_id", "arguments", "error",
"name", "output", "server_label", "status", "type"}`. `mcp_approval_request` and the app's
`mcp_approval_response` follow openai-python's types (`response_output_item.py`, `response_input_item.py`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr

from .common import APIModel, Sparse


class McpToolEcho(Sparse):
    """The tool as echoed (absent keys left out); the real url and headers stay private, for the calls."""

    type: Literal["mcp"] = "mcp"
    server_label: str
    server_url: str | None = None
    allowed_tools: list[str] | dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    require_approval: str | dict[str, Any] | None = None
    server_description: str | None = None
    _url: str = PrivateAttr(default="")
    _headers: dict[str, str] = PrivateAttr(default_factory=dict)


class McpListedTool(Sparse):
    annotations: dict[str, Any] | None = None
    description: str | None = None
    input_schema: Any = Field(default_factory=dict)
    name: str


class McpListToolsItem(Sparse):
    id: str
    type: Literal["mcp_list_tools"] = "mcp_list_tools"
    server_label: str
    tools: list[McpListedTool] = Field(default_factory=list)
    error: str | None = None


class McpCallItem(APIModel):
    id: str
    type: Literal["mcp_call"] = "mcp_call"
    approval_request_id: str | None = None
    arguments: str = ""
    error: dict[str, Any] | str | None = None
    name: str
    output: str | None = None
    server_label: str
    status: Literal["in_progress", "calling", "completed", "incomplete", "failed"] | None = "completed"


class McpApprovalRequestItem(APIModel):
    id: str
    type: Literal["mcp_approval_request"] = "mcp_approval_request"
    arguments: str
    name: str
    server_label: str


class McpApprovalResponseItem(APIModel):
    id: str
    type: Literal["mcp_approval_response"] = "mcp_approval_response"
    approval_request_id: str
    approve: bool
    reason: str | None = None
