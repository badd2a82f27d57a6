"""The assistant object (`object: "assistant"`).

Keys in the order the real service writes them (ruby-openai `assistants_create.yml`, 2024-04-27;
`run_steps_retrieve_assistant_setup.yml`, 2025-03-14, which adds `reasoning_effort`): `top_p`
before `temperature`, both before `tool_resources`. `reasoning_effort` is OpenAI's only
(`emulator/wire.py`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import OPENAI_ONLY, Metadata, ResponseFormat, Shaped, Tool, ToolResources

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]


class Assistant(Shaped):
    ONLY_ON = {"reasoning_effort": OPENAI_ONLY}

    id: str
    object: Literal["assistant"] = "assistant"
    created_at: int
    name: str | None = None
    description: str | None = None
    model: str
    instructions: str | None = None
    tools: list[Tool] = Field(default_factory=list)
    top_p: float | None = 1.0
    temperature: float | None = 1.0
    reasoning_effort: ReasoningEffort | None = None
    tool_resources: ToolResources = Field(default_factory=ToolResources)
    metadata: Metadata = Field(default_factory=dict)
    response_format: ResponseFormat | None = "auto"
