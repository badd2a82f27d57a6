"""The conversation object (`object: "conversation"`) and its deleted answer.

Key order as recorded (azure-ai-projects `test_conversation_items_crud.json`, 2026-03: the
Conversations API on a project endpoint; OpenAI's own answers, pydantic-ai
`test_openai_conversation_id_explicit_and_auto.yaml` 2026-04, hold the same keys).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import APIModel, Metadata


class Conversation(APIModel):
    id: str
    object: Literal["conversation"] = "conversation"
    metadata: Metadata = Field(default_factory=dict)
    created_at: int


class ConversationDeleted(APIModel):
    object: Literal["conversation.deleted"] = "conversation.deleted"
    deleted: bool = True
    id: str
