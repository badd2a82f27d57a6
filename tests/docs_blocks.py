"""The fenced code blocks of README.md and docs/*.md, with their language, line and directives.

A directive is an HTML comment on the line just before a block, `<!-- docs: key=value ... -->`
(see docs/development.md, "How the examples in the docs are tested", and tests/test_docs.py).
Tests that run a page's block themselves (`tested-by=`) find it here: `find("docs/x.md", "text")`;
`fetches` reads, from a test's source, which blocks it finds that way.
"""

from __future__ import annotations

import ast
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


# --- which blocks a test fetches (the `tested-by=PATH::TEST` check) -------------------------------


def fetches(path: Path | str, test: str) -> set[tuple[str, str]]:
    """(page, snippet) of every `find(page, snippet)` the function `test` of the module at `path`
    makes: directly, through a function of the module that passes one of its parameters to `find`
    as the snippet, or for each literal of a `for` loop; in its body or in those of the module's
    fixtures it takes and functions it calls. Pages and snippets are literals, or the module's string constants.
    Raises `DocsError` when the module has no such function."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    if test not in functions:
        raise DocsError(f"{path} has no function {test}")
    constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                 for target in node.targets if isinstance(target, ast.Name)}  # fmt: skip
    helpers: dict[str, tuple[ast.expr, int]] = {}  # function -> (its find's page, the parameter passed as snippet)
    for name, function in functions.items():
        parameters = [a.arg for a in function.args.args]
        for call in _calls(function, "find"):
            if len(call.args) == 2 and isinstance(call.args[1], ast.Name) and call.args[1].id in parameters:
                helpers[name] = (call.args[0], parameters.index(call.args[1].id))
    found: set[tuple[str, str]] = set()
    taken = [a.arg for a in functions[test].args.args] + [_callee(c) for c in _calls(functions[test], None)]
    bodies = [functions[test], *(functions[name] for name in dict.fromkeys(taken) if name in functions)]
    for function in bodies:
        loops = {node.target.id: [_literal(e, constants) for e in node.iter.elts] for node in ast.walk(function)
                 if isinstance(node, ast.For) and isinstance(node.target, ast.Name)
                 and isinstance(node.iter, ast.Tuple | ast.List)}  # fmt: skip
        for call in _calls(function, None):
            callee = _callee(call)
            if callee == "find" and len(call.args) == 2:
                page, snippet = call.args
            elif callee in helpers and len(call.args) > helpers[callee][1]:
                page, snippet = helpers[callee][0], call.args[helpers[callee][1]]
            else:
                continue
            pages_ = [_literal(page, constants)]
            snippets = loops.get(snippet.id, []) if isinstance(snippet, ast.Name) and snippet.id in loops else []
            snippets = snippets or [_literal(snippet, constants)]
            found |= {(p, s) for p in pages_ for s in snippets if p is not None and s is not None}
    return found


def _callee(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        return function.attr if function.value.id == "docs_blocks" else None
    return None


def _calls(function: ast.AST, name: str | None) -> list[ast.Call]:
    return [node for node in ast.walk(function)
            if isinstance(node, ast.Call) and (name is None or _callee(node) == name)]  # fmt: skip


def _literal(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None
