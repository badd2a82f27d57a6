"""Deterministic values valid against a JSON schema, for function-call arguments.

`example(schema, words)` walks the schema: required properties are filled (all of them
for strict functions), enums and consts honoured, numbers kept within their bounds,
arrays given their minimum number of items (at least one), strings taken from `words`
(the user's words) where they fit the string's constraints, else a placeholder that
fits. Patterns are satisfied by a small deterministic generator over the regex syntax.
The result is checked with `jsonschema`; a schema no value can satisfy raises
`UnsatisfiableSchema` naming the path.
"""

from __future__ import annotations

import math
import re
from typing import Any

import jsonschema

try:  # Python 3.11+: the regex parser lives in re._parser
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

FORMATS = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
    "hostname": "example.com",
}


class UnsatisfiableSchema(ValueError):
    pass


class _Words:
    """The user's words, handed out in order so that different fields get different words."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.used = 0

    def take(self, fits: Any) -> str | None:
        for n in range(len(self.words)):
            word = self.words[(self.used + n) % len(self.words)]
            if fits(word):
                self.used += n + 1
                return word
        return None

    def number(self) -> float | None:
        for word in self.words:
            try:
                return float(word)
            except ValueError:
                continue
        return None


def candidate_words(text: str) -> list[str]:
    """Words worth putting in an argument, best first: quoted phrases, capitalised words that do
    not start a sentence (names of places and people), numbers, then the other longer words."""
    quoted = re.findall(r'"([^"]+)"|“([^”]+)”', text)
    phrases = [a or b for a, b in quoted]
    tokens = re.findall(r"[\w'-]+|[.!?]", text)
    capitalised, numbers, others = [], [], []
    sentence_start = True
    for token in tokens:
        if token in ".!?":
            sentence_start = True
            continue
        if re.fullmatch(r"-?\d+(\.\d+)?", token):
            numbers.append(token)
        elif token[:1].isupper() and not sentence_start:
            capitalised.append(token)
        elif len(token) > 3 and token.lower() not in STOPWORDS:
            others.append(token)
        sentence_start = False
    seen: set[str] = set()
    ordered = []
    for word in phrases + capitalised + numbers + others:
        if word not in seen:
            seen.add(word)
            ordered.append(word)
    return ordered


STOPWORDS = frozenset(
    "what which where when with about from that this there their them they have will would could should "
    "please tell give show call find look lookup into your the and for are".split()
)


def example(schema: dict[str, Any], words: list[str] | None = None, *, strict: bool = False) -> Any:
    root = schema or {"type": "object", "properties": {}}
    value = _value(root, root, _Words(words or []), strict, "")
    try:
        jsonschema.validate(value, root)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise UnsatisfiableSchema(f"no value found for {where}: {exc.message}") from None
    except jsonschema.SchemaError as exc:
        raise UnsatisfiableSchema(f"invalid JSON schema: {exc.message}") from None
    return value


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 32:
        ref = node["$ref"]
        if not ref.startswith("#"):
            raise UnsatisfiableSchema(f"only local $ref is supported, got {ref!r}")
        target: Any = root
        for part in ref.lstrip("#/").split("/") if ref != "#" else []:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _value(node: Any, root: dict[str, Any], words: _Words, strict: bool, path: str) -> Any:
    if node is True or node == {}:
        return words.take(lambda w: True) or "value"
    if not isinstance(node, dict):
        raise UnsatisfiableSchema(f"no value can satisfy {path or '(root)'}")
    node = _resolve(node, root)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return _pick_enum(node["enum"], words)
    for key in ("anyOf", "oneOf"):
        if key in node:
            branches = [b for b in node[key] if _resolve(b, root).get("type") != "null"] or node[key]
            merged = {k: v for k, v in node.items() if k != key}
            return _value({**merged, **_resolve(branches[0], root)}, root, words, strict, path)
    if "allOf" in node:
        merged = {k: v for k, v in node.items() if k != "allOf"}
        for part in node["allOf"]:
            part = _resolve(part, root)
            props = {**merged.get("properties", {}), **part.get("properties", {})}
            required = list(dict.fromkeys(merged.get("required", []) + part.get("required", [])))
            merged = {**merged, **part, "properties": props, "required": required}
        return _value(merged, root, words, strict, path)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in node else "array" if "items" in node else "string"
    if kind == "object":
        return _object(node, root, words, strict, path)
    if kind == "array":
        count = max(node.get("minItems", 1), 1)
        if "maxItems" in node:
            count = min(count, node["maxItems"])
        items = node.get("items", {})
        values = [_value(items, root, words, strict, f"{path}[{n}]") for n in range(count)]
        if node.get("uniqueItems") and len({repr(v) for v in values}) < len(values):
            values = values[:1]
        return values
    if kind == "string":
        return _string(node, words)
    if kind in ("integer", "number"):
        return _number(node, words, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    raise UnsatisfiableSchema(f"unknown type {kind!r} at {path or '(root)'}")


def _pick_enum(options: list[Any], words: _Words) -> Any:
    lowered = {str(o).lower(): o for o in options}
    for word in words.words:
        if word.lower() in lowered:
            return lowered[word.lower()]
    return options[0]


def _object(node: dict[str, Any], root: dict[str, Any], words: _Words, strict: bool, path: str) -> dict[str, Any]:
    properties = node.get("properties", {})
    required = list(node.get("required", []))
    names = list(properties) if strict else [p for p in properties if p in required]
    names += [r for r in required if r not in names]
    out: dict[str, Any] = {}
    for name in names:
        out[name] = _value(properties.get(name, {}), root, words, strict, f"{path}.{name}" if path else name)
    return out


def _string(node: dict[str, Any], words: _Words) -> str:
    low, high = node.get("minLength", 0), node.get("maxLength", math.inf)
    pattern = node.get("pattern")
    fmt = node.get("format")

    def fits(text: str) -> bool:
        return low <= len(text) <= high and (pattern is None or re.search(pattern, text) is not None)

    if fmt in FORMATS and fits(FORMATS[fmt]):
        return FORMATS[fmt]
    word = words.take(fits)
    if word is not None:
        return word
    if pattern is not None:
        text = _from_regex(pattern)
        if fits(text):
            return text
    text = "example"
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text[: int(high)] if high != math.inf else text


def _number(node: dict[str, Any], words: _Words, *, integer: bool) -> int | float:
    low = node.get("minimum", -math.inf)
    high = node.get("maximum", math.inf)
    if "exclusiveMinimum" in node:
        low = max(low, node["exclusiveMinimum"] + (1 if integer else 1e-9))
    if "exclusiveMaximum" in node:
        high = min(high, node["exclusiveMaximum"] - (1 if integer else 1e-9))
    step = node.get("multipleOf")
    candidate = words.number()
    if candidate is None or not (low <= candidate <= high) or (integer and candidate != int(candidate)):
        candidate = 1 if low <= 1 <= high else (low if low != -math.inf else high)
    if step:
        candidate = math.ceil(candidate / step) * step
    return int(candidate) if integer else float(candidate)


def _from_regex(pattern: str) -> str:
    """The shortest string the regex accepts, found by walking its parsed form."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise UnsatisfiableSchema(f"invalid pattern {pattern!r}: {exc}") from None
    return _emit(parsed)


def _emit(items: Any) -> str:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "IN":
            out.append(_class_char(arg))
        elif name == "ANY":
            out.append("a")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            out.append(_emit(sub) * max(low, 0))
        elif name == "SUBPATTERN":
            out.append(_emit(arg[-1]))
        elif name == "BRANCH":
            out.append(_emit(arg[1][0]))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        elif name == "CATEGORY":
            out.append(_category_char(arg))
        else:
            raise UnsatisfiableSchema(f"unsupported regex construct {name}")
    return "".join(out)


def _class_char(items: Any) -> str:
    negate = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif not negate and name == "LITERAL":
            return chr(arg)
        elif not negate and name == "RANGE":
            return chr(arg[0])
        elif not negate and name == "CATEGORY":
            return _category_char(arg)
    return "a" if negate else "a"


def _category_char(category: Any) -> str:
    name = str(category)
    if "DIGIT" in name:
        return "0" if "NOT" not in name else "a"
    if "SPACE" in name:
        return " " if "NOT" not in name else "a"
    return "a" if "NOT" not in name else "-"
