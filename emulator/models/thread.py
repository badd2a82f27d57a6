"""The thread object (`object: "thread"`): `metadata` before `tool_resources`, as the real
service writes them (ruby-openai `threads_create.yml`, 2024-04-29; azure-ai-agents, 2025)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import APIModel, Metadata, ToolResources


class Thread(APIModel):
    id: str
    object: Literal["thread"] = "thread"
    created_at: int
    metadata: Metadata = Field(default_factory=dict)
    tool_resources: ToolResources = Field(default_factory=ToolResources)
