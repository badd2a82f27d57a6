"""The fenced code blocks of README.md and docs/*.md, with their language, line and directives.

A directive is an HTML comment on the line just before a block, `<!-- docs: key=value ... -->`
(see docs/development.md, "How the examples in the docs are tested", and tests/test_docs.py).
Tests that run a page's block themselves (`tested-by=`) find it here: `find("docs/x.md", "text")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVES = ("tested-by", "same-as", "file", "outcomes", "synopsis-of", "skip")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*docs:(?P<body>.*?)-->\s*$")
_PAIR = re.compile(r"(?P<key>[a-z][\w-]*)=(?P<value>.*?)(?=\s+[a-z][\w-]*=|\s*$)")


class DocsError(ValueError):
    """A page the harness cannot read: an unclosed fence, an unknown or malformed directive."""


@dataclass(frozen=True)
class Block:
    page: str  # relative to the repository root, e.g. "docs/pytest.md"
    line: int  # 1-based line of the opening fence
    lang: str  # "" when the fence names none
    text: str  # the block's content, dedented to its fence, ending with a newline
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return f"{self.page}:{self.line}:{self.lang or 'plain'}:{first[:40]}"


def pages() -> list[Path]:
    """README.md, then every page of docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def parse_directives(comment: str, where: str) -> dict[str, str]:
    body = _DIRECTIVE.match(comment)
    if body is None:
        return {}
    text = body.group("body").strip()
    pairs = {m.group("key"): m.group("value").strip() for m in _PAIR.finditer(text)}
    if not pairs or re.sub(_PAIR, "", text).strip():
        raise DocsError(f"{where}: malformed directive {comment.strip()!r} (want <!-- docs: key=value ... -->)")
    unknown = set(pairs) - set(DIRECTIVES)
    if unknown:
        raise DocsError(f"{where}: unknown directive(s) {sorted(unknown)}; known: {', '.join(DIRECTIVES)}")
    return pairs


def blocks(path: Path | str) -> list[Block]:
    path = Path(path)
    if not path.is_absolute():
        path = ROOT / path
    page = path.relative_to(ROOT).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    n = 0
    while n < len(lines):
        opening = _FENCE.match(lines[n])
        if opening is None:
            if _DIRECTIVE.match(lines[n]) and not (n + 1 < len(lines) and _FENCE.match(lines[n + 1])):
                raise DocsError(f"{page}:{n + 1}: a docs directive must be on the line just before a code block")
            n += 1
            continue
        indent, fence = opening.group("indent"), opening.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((k for k in range(n + 1, len(lines)) if closing.match(lines[k])), None)
        if end is None:
            raise DocsError(f"{page}:{n + 1}: code block never closed")
        body = [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[n + 1 : end]]
        directives = parse_directives(lines[n - 1], f"{page}:{n}") if n else {}
        found.append(Block(page, n + 1, opening.group("lang").lower(), "\n".join(body) + "\n", directives))
        n = end + 1
    return found


def all_blocks() -> list[Block]:
    return [block for path in pages() for block in blocks(path)]


def find(page: str, containing: str) -> Block:
    """The one block of `page` whose text contains `containing`."""
    matches = [block for block in blocks(page) if containing in block.text]
    if len(matches) != 1:
        raise DocsError(f"{page}: {len(matches)} blocks contain {containing!r}, expected 1")
    return matches[0]
