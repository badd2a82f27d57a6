"""Vector stores, their files and file batches."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from .common import APIModel, Metadata, Shaped


class FileCounts(APIModel):
    in_progress: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    total: int = 0


class ExpiresAfter(APIModel):
    anchor: Literal["last_active_at"] = "last_active_at"
    days: int


class VectorStore(Shaped):
    """Keys in the order the service sends them (ruby-openai vector_stores_*.yml, azure-openai
    VectorStoreTests, 2024-2025); `description: null` is in OpenAI's recent answers
    (pydantic-ai test_openai_responses_model_file_search_tool.yaml, 2025-12), whose key order
    is not kept: it is placed after `name` (unconfirmed). Azure OpenAI's answers have none
    (VectorStoreTests, 2025-01; ResponsesTests/FileSearch(%gpt-4o-mini%).json, 2025-08); Foundry's
    are not recorded and keep it."""

    ONLY_ON: ClassVar[dict[str, frozenset[str]]] = {"description": frozenset({"openai", "foundry"})}

    id: str
    object: Literal["vector_store"] = "vector_store"
    name: str | None = None
    description: str | None = None
    status: Literal["expired", "in_progress", "completed"] = "completed"
    usage_bytes: int = 0
    created_at: int
    file_counts: FileCounts = Field(default_factory=FileCounts)
    metadata: Metadata = Field(default_factory=dict)
    expires_after: ExpiresAfter | None = None
    expires_at: int | None = None
    last_active_at: int | None = None


class StaticChunking(APIModel):
    max_chunk_size_tokens: int = 800
    chunk_overlap_tokens: int = 400


class StaticChunkingStrategy(APIModel):
    type: Literal["static"] = "static"
    static: StaticChunking = Field(default_factory=StaticChunking)


class OtherChunkingStrategy(APIModel):
    type: Literal["other"] = "other"


ChunkingStrategy = Annotated[StaticChunkingStrategy | OtherChunkingStrategy, Field(discriminator="type")]


class VectorStoreFileError(APIModel):
    code: Literal["server_error", "unsupported_file", "invalid_file"]
    message: str


class VectorStoreFile(APIModel):
    """Keys in the service's order (ruby-openai vector_store_files_*.yml; `chunking_strategy` after
    `last_error` as in openai/openai-openapi#300); `attributes: {}` is in the recent answers
    (pydantic-ai file_search cassettes, 2025-12), placed last (unconfirmed)."""

    id: str
    object: Literal["vector_store.file"] = "vector_store.file"
    usage_bytes: int = 0
    created_at: int
    vector_store_id: str
    status: Literal["in_progress", "completed", "cancelled", "failed"] = "in_progress"
    last_error: VectorStoreFileError | None = None
    chunking_strategy: ChunkingStrategy = Field(default_factory=StaticChunkingStrategy)
    attributes: dict[str, str | bool | int | float] | None = Field(default_factory=dict)


class VectorStoreFileBatch(APIModel):
    """`object` is `vector_store.file_batch` on the service, not the spec's `vector_store.files_batch`
    (ruby-openai vector_store_file_batches_*.yml, 2024-04 and 2024-10)."""

    id: str
    object: Literal["vector_store.file_batch"] = "vector_store.file_batch"
    created_at: int
    status: Literal["in_progress", "completed", "cancelled", "failed"] = "in_progress"
    vector_store_id: str
    file_counts: FileCounts = Field(default_factory=FileCounts)
