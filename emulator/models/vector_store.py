"""Vector stores, their files and file batches."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import APIModel, Metadata


class FileCounts(APIModel):
    in_progress: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    total: int = 0


class ExpiresAfter(APIModel):
    anchor: Literal["last_active_at"] = "last_active_at"
    days: int


class VectorStore(APIModel):
    id: str
    object: Literal["vector_store"] = "vector_store"
    created_at: int
    name: str | None = None
    usage_bytes: int = 0
    file_counts: FileCounts = Field(default_factory=FileCounts)
    status: Literal["expired", "in_progress", "completed"] = "completed"
    expires_after: ExpiresAfter | None = None
    expires_at: int | None = None
    last_active_at: int | None = None
    metadata: Metadata = Field(default_factory=dict)


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
    id: str
    object: Literal["vector_store.files_batch"] = "vector_store.files_batch"
    created_at: int
    vector_store_id: str
    status: Literal["in_progress", "completed", "cancelled", "failed"] = "in_progress"
    file_counts: FileCounts = Field(default_factory=FileCounts)
