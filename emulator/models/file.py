"""The file object (`object: "file"`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from .common import APIModel, Reordered

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


class FileDeleted(Reordered):
    """A deleted file's answer: `object, deleted, id` on Azure (azure-openai VectorStoreTests, 2025-01;
    ResponsesTests/FileSearch, 2025-08), `object, id, deleted` on OpenAI (ruby-openai files_delete.yml,
    2023-11-14; the later pydantic-ai cassettes sort their keys, so they say nothing of the order)."""

    KEY_ORDER: ClassVar[dict[str, tuple[str, ...]]] = {"openai": ("object", "id", "deleted")}

    object: Literal["file"] = "file"
    deleted: bool = True
    id: str
