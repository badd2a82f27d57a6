"""What happens to a file when it is added to a vector store.

The real service extracts the file's text, chunks it and embeds it; a file it cannot read
ends `failed` with `last_error`. Here the file type and content are checked the same way;
text extraction and chunking for retrieval belong to the file_search tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.vector_store import VectorStoreFileError
from .files import extension

#: Extensions file_search reads (the real service's documented list).
FILE_SEARCH_EXTENSIONS = frozenset(
    "c cpp cs css doc docx go html java js json md pdf php pptx py rb sh tex ts txt".split()
)


@dataclass(frozen=True)
class IngestResult:
    status: str  # "completed" | "failed"
    usage_bytes: int = 0
    last_error: VectorStoreFileError | None = None


def ingest(filename: str, content: bytes) -> IngestResult:
    ext = extension(filename)
    if ext not in FILE_SEARCH_EXTENSIONS:
        shown = f".{ext}" if ext else "without an extension"
        return IngestResult(
            "failed",
            last_error=VectorStoreFileError(
                code="unsupported_file", message=f"The file type {shown} is not supported for file search."
            ),
        )
    if not content.strip():
        return IngestResult(
            "failed", last_error=VectorStoreFileError(code="invalid_file", message="The file is empty.")
        )
    return IngestResult("completed", usage_bytes=len(content))
