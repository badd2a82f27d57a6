"""Retrieval for the file_search tool: what a vector store does with a file's bytes.

Pure functions, no Flask and no emulator state:

- `extract_text` (`extract.py`): a file's text by its type (text and code, Markdown, HTML,
  JSON, PDF, DOCX, PPTX), or `ExtractionError` with the vector store file's
  `last_error.code` (`unsupported_file`, `invalid_file`);
- `chunk_text` (`chunking.py`): that text in overlapping windows of tokens, the static
  chunking strategy (`auto`: 800 tokens, 400 shared), as `Chunk`s with their offsets;
- `bm25_scores` (`ranking.py`): deterministic BM25 scores of texts for a query,
  normalised into [0, 1] so that a `score_threshold` means something; `tokenize` is the
  ranking's tokeniser.
"""

from .chunking import Chunk, chunk_text
from .extract import ExtractionError, extract_text
from .ranking import bm25_scores, tokenize

__all__ = ["Chunk", "ExtractionError", "bm25_scores", "chunk_text", "extract_text", "tokenize"]
