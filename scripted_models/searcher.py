"""The default model's file_search behaviour: answer from the files, citing them.

When the run has the file_search tool and can see at least one vector store, the default
model searches with the latest user message. Then:
- results: it quotes the sentence of the best chunk that shares the most words with the
  question, citing it (`【4:0†notes.md】`, which the engine turns into a `file_citation`
  annotation); a second file whose best chunk scores at least half as well is quoted too;
- nothing found: it says so, and cites nothing.
"""

from __future__ import annotations

import re

from .base import Action, ModelInput, Reply, Search, SearchFiles

NOTHING_FOUND = "I could not find anything about that in the files I can search."
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
#: Words too common to show which sentence answers a question.
_STOP = frozenset(
    "a an and are as at be by can could did do does for from had has have how i in is it its me my of on or "
    "our please tell that the their there this to was we were what when where which who why will with you your".split()
)


def searchable(model_input: ModelInput) -> bool:
    return "file_search" in model_input.tool_types() and model_input.vector_stores > 0


def respond(model_input: ModelInput) -> list[Action] | None:
    if model_input.searches:
        return [Reply(answer(model_input.last_user_message, model_input.searches[-1]))]
    if not searchable(model_input) or not model_input.last_user_message.strip():
        return None
    return [SearchFiles(model_input.last_user_message.strip())]


def answer(question: str, search: Search) -> str:
    if not search.results:
        return NOTHING_FOUND
    best = search.results[0]
    quoted = [best]
    for result in search.results[1:]:
        if result.file_id not in {q.file_id for q in quoted} and result.score >= best.score / 2:
            quoted.append(result)
            break
    parts = []
    for n, result in enumerate(quoted):
        lead = f"According to {result.filename}" if n == 0 else f"{result.filename} adds"
        parts.append(f'{lead}: "{passage(question, result.text)}"{result.cite}')
    return " ".join(parts)


def passage(question: str, text: str, limit: int = 300) -> str:
    """The sentence of `text` that shares the most words with the question (the first on ties)."""
    wanted = {w for w in _WORD.findall(question.lower()) if w not in _STOP}
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if not sentences:
        return text.strip()[:limit]
    best = max(sentences, key=lambda s: (len(wanted & set(_WORD.findall(s.lower()))), -sentences.index(s)))
    return best if len(best) <= limit else best[: limit - 3].rstrip() + "..."
