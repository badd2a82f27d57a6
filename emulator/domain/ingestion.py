"""What happens to a file when it is added to a vector store.

As on the real service, its text is extracted and chunked (the file's chunking strategy:
`max_chunk_size_tokens` with `chunk_overlap_tokens` of overlap; `auto` is 800/400); a file
that cannot be read ends `failed` with `last_error` (`unsupported_file` for a type file_search
does not read, `invalid_file` for one it cannot read or that holds no text). The chunks are
what file_search ranks (see file_search.py); embeddings are not made: ranking is lexical.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models.vector_store import VectorStoreFileError
from ..retrieval import Chunk, ExtractionError, chunk_text, extract_text
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
    chunks: list[Chunk] = field(default_factory=list)


def ingest(filename: str, content: bytes, max_tokens: int = 800, overlap: int = 400) -> IngestResult:
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
    try:
        text = extract_text(filename, content)
    except ExtractionError as exc:
        return IngestResult("failed", last_error=VectorStoreFileError(code=exc.code, message=exc.message))
    return IngestResult("completed", usage_bytes=len(content), chunks=chunk_text(text, max_tokens, overlap))
