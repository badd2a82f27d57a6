"""The assistant object (`object: "assistant"`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import APIModel, Metadata, ResponseFormat, Tool, ToolResources


class Assistant(APIModel):
    id: str
    object: Literal["assistant"] = "assistant"
    created_at: int
    name: str | None = None
    description: str | None = None
    model: str
    instructions: str | None = None
    tools: list[Tool] = Field(default_factory=list)
    tool_resources: ToolResources = Field(default_factory=ToolResources)
    metadata: Metadata = Field(default_factory=dict)
    temperature: float | None = 1.0
    top_p: float | None = 1.0
    response_format: ResponseFormat | None = "auto"
