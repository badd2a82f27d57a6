"""The file object (`object: "file"`)."""

from __future__ import annotations

from typing import Literal

from .common import APIModel

FilePurpose = Literal[
    "assistants",
    "assistants_output",
    "batch",
    "batch_output",
    "fine-tune",
    "fine-tune-results",
    "vision",
    "user_data",
    "evals",
]


class File(APIModel):
    """Keys in the service's order (ruby-openai files_*.yml 2023-2025, azure-openai VectorStoreTests
    2025-01); `expires_at` is in the recent answers (pydantic-ai file_search cassettes, 2025-12),
    whose key order is not kept: placed after `created_at` (unconfirmed)."""

    object: Literal["file"] = "file"
    id: str
    purpose: FilePurpose
    filename: str
    bytes: int
    created_at: int
    expires_at: int | None = None
    status: Literal["uploaded", "processed", "error"] = "processed"
    status_details: str | None = None


class FileDeleted(APIModel):
    """A deleted file's answer, keys as recorded most recently (azure-openai VectorStoreTests, 2025-01)."""

    object: Literal["file"] = "file"
    deleted: bool = True
    id: str
