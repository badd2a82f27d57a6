"""Retrieval for the file_search tool: what a vector store does with a file's bytes.

Pure functions, no Flask and no emulator state:

- `extract_text` (`extract.py`): a file's text by its type (text and code, Markdown, HTML,
  JSON, PDF, DOCX, PPTX), or `ExtractionError` with the vector store file's
  `last_error.code` (`unsupported_file`, `invalid_file`);
- `chunk_text` (`chunking.py`): that text in overlapping windows of tokens, the static
  chunking strategy (`auto`: 800 tokens, 400 shared), as `Chunk`s with their offsets;
- `relevance_scores` (`ranking.py`): deterministic lexical scores of texts for a query,
  in [0, 1) on the real service's scale (a clear match above 0.7), so that a
  `score_threshold` means what it means there; `tokenize` is the ranking's tokeniser.
"""

from .chunking import Chunk, chunk_text
from .extract import ExtractionError, extract_text
from .ranking import relevance_scores, tokenize

__all__ = ["Chunk", "ExtractionError", "chunk_text", "extract_text", "relevance_scores", "tokenize"]
