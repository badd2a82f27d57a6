"""The thread object (`object: "thread"`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import APIModel, Metadata, ToolResources


class Thread(APIModel):
    id: str
    object: Literal["thread"] = "thread"
    created_at: int
    tool_resources: ToolResources = Field(default_factory=ToolResources)
    metadata: Metadata = Field(default_factory=dict)
