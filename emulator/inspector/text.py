"""A message's text with its annotations, as the inspector shows it: footnotes.

    segments("See 【4:0†source】.", [citation at 4..14])
    -> [{"text": "See "}, {"text": "【4:0†source】", "note": 1}, {"text": "."}],
       [{"note": 1, "type": "file_citation", "file_id": "file-1", "text": "【4:0†source】"}]

The page shows a `note` segment as a superscript `[1]` (a `file_path` one also as a
download link) and the footnotes under the message. Indexes are Python string indexes, as
the emulator counts them; annotations that overlap or fall outside the text are listed as
footnotes without a mark in the text.
"""

from __future__ import annotations

from typing import Any


def segments(value: str, annotations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The text cut at its annotations, and one footnote per annotation (numbered from 1)."""
    parts: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    cursor = 0
    for n, annotation in enumerate(sorted(annotations, key=lambda a: a.get("start_index", 0)), start=1):
        kind = annotation.get("type", "")
        target = annotation.get(kind) or {}
        note = {"note": n, "type": kind, "file_id": target.get("file_id"), "text": annotation.get("text", "")}
        if "url" in target:  # a url_citation (Foundry's grounding tools)
            note.update(url=target["url"], title=target.get("title"))
        notes.append(note)
        start, end = annotation.get("start_index"), annotation.get("end_index")
        if not isinstance(start, int) or not isinstance(end, int) or not cursor <= start <= end <= len(value):
            continue  # nowhere to mark it: the footnote alone tells
        if start > cursor:
            parts.append({"text": value[cursor:start]})
        parts.append({"text": value[start:end], "note": n, "type": kind, "file_id": target.get("file_id")})
        cursor = end
    if cursor < len(value) or not parts:
        parts.append({"text": value[cursor:]})
    return parts, notes
