"""Deterministic values valid against a JSON schema, for function-call arguments.

`example(schema, words)` walks the schema: required properties are filled (all of them
for strict functions), enums and consts honoured, numbers kept within their bounds (and
multiples of `multipleOf`), taken from the user's numbers where one fits, arrays given
their minimum number of items (at least one; distinct ones under `uniqueItems`), strings
taken from `words` (the user's words) where they fit the string's constraints, else a
placeholder that fits. Patterns are satisfied by a small deterministic generator over the
regex syntax. `anyOf`/`oneOf` take the first branch whose value is valid (a `null` branch
last, or first once the value is deeply nested, so that recursive schemas end).
The result is checked with `jsonschema`; a schema no value can satisfy raises
`UnsatisfiableSchema` naming the path.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .dates import date_in, is_date

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
#: From this depth on, optional properties are left out (even for strict functions), arrays
#: take only their minimum number of items and `anyOf`/`oneOf` try a `null` branch first:
#: recursive schemas end.
SHALLOW_DEPTH = 6
#: A schema nesting deeper than this has no finite value (a recursion with no way out).
MAX_DEPTH = 64
#: Values tried for one array item before `uniqueItems` is given up on.
UNIQUE_ATTEMPTS = 24
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: Characters tried, in order, for a negated character class, `.` or a regex category.
POOL = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_ .,:/@"


class UnsatisfiableSchema(ValueError):
    pass


class _Words:
    """The user's words, handed out in order so that different fields get different words."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.used = 0
        self.numbers = [w for w in words if NUMBER.fullmatch(w)]
        self.numbers_used = 0

    def take(self, fits: Any) -> str | None:
        for n in range(len(self.words)):
            word = self.words[(self.used + n) % len(self.words)]
            if fits(word):
                self.used += n + 1
                return word
        return None

    def take_number(self, fits: Any) -> float | None:
        """The next number of the message (`3`, `-4`, `2.5`) that `fits`; never inf or nan."""
        for n in range(len(self.numbers)):
            number = float(self.numbers[(self.numbers_used + n) % len(self.numbers)])
            if fits(number):
                self.numbers_used += n + 1
                return number
        return None


def candidate_words(text: str, *, sentence_start: bool = True) -> list[str]:
    """Words worth putting in an argument, best first: quoted phrases, runs of capitalised words
    ("San Francisco"), capitalised words that do not start a sentence (names of places and
    people), numbers, then the other longer words. `sentence_start=False`: the text is part of a
    sentence (its first word, if capitalised, is a name)."""
    names, numbers, others = _classified(text, sentence_start)
    return _unique(names + numbers + others)


def names_in(text: str, *, sentence_start: bool = True) -> list[str]:
    """The names a text gives: quoted phrases, runs of capitalised words, capitalised words that
    do not start a sentence; in that order, each once."""
    return _unique(_classified(text, sentence_start)[0])


def _unique(words: list[str]) -> list[str]:
    seen: set[str] = set()
    ordered = []
    for word in words:
        if word not in seen:
            seen.add(word)
            ordered.append(word)
    return ordered


def _classified(text: str, sentence_start: bool) -> tuple[list[str], list[str], list[str]]:
    """(names: quoted phrases, runs, capitalised words), numbers, other longer words."""
    quoted = re.findall(r'"([^"]+)"|“([^”]+)”', text)
    phrases = [a or b for a, b in quoted]
    tokens = re.findall(r"-?\d+\.\d+(?!\.?[\w-])|[\w'-]+|[.!?,;:]", text)
    capitalised, numbers, others, runs = [], [], [], []
    run: list[str] = []
    for token in [*tokens, "."]:
        name = token[:1].isupper() and not sentence_start and not NUMBER.fullmatch(token)
        if not name and len(run) > 1:
            runs.append(" ".join(run))
        run = [*run, token] if name else []
        if token in ".!?":
            sentence_start = True
            continue
        if token in ",;:":
            continue
        if NUMBER.fullmatch(token):
            numbers.append(token)
        elif name:
            capitalised.append(token)
        elif len(token) > 3 and token.lower() not in STOPWORDS:
            others.append(token)
        sentence_start = False
    return phrases + runs + capitalised, numbers, others


STOPWORDS = frozenset(
    "what which where when with about from that this there their them they have will would could should "
    "please tell give show call find look lookup into your the and for are make create generate write".split()
)


def example(
    schema: dict[str, Any],
    words: list[str] | None = None,
    *,
    strict: bool = False,
    fill_optional: bool = False,
    message: str = "",
) -> Any:
    """A value valid against `schema`; `fill_optional` (or `strict`): optional properties too.
    `message`: the user's words as written: an array property it counts ("two questions") gets
    that many items, and enum values it names ("multiple choice") come first, the items of an
    array taking the values in turn."""
    import jsonschema.exceptions  # on first use: a process that never calls a function need not import it
    import jsonschema.validators

    root = schema or {"type": "object", "properties": {}}
    cls = jsonschema.validators.validator_for(root)
    try:
        cls.check_schema(root)
    except jsonschema.SchemaError as exc:
        raise UnsatisfiableSchema(f"invalid JSON schema: {exc.message}") from None
    value = _Generator(root, cls, _Words(words or []), strict or fill_optional, message).value(root, (), 0, 0)
    error = jsonschema.exceptions.best_match(cls(root).iter_errors(value))
    if error is not None:
        raise UnsatisfiableSchema(f"no value found for {_where(error.absolute_path)}: {error.message}")
    return value


def _where(path: Any) -> str:
    return "/".join(str(p) for p in path) or "(root)"


def _canonical(value: Any) -> str:
    """Equal for values JSON Schema calls equal (`1 == 1.0`, but `true != 1`)."""

    def norm(v: Any) -> Any:
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return ["#n", float(v)]
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return repr(v)

    return json.dumps(norm(value), sort_keys=True)


class _Generator:
    def __init__(self, root: Any, cls: Any, words: _Words, strict: bool, message: str = "") -> None:
        self.message = " ".join(message.lower().split())
        self.rotation = 0  # the index of the array item being made: its enums take the values in turn
        self.root = root
        self.cls = cls
        self.words = words
        self.strict = strict
        defs = {k: root[k] for k in ("$defs", "definitions") if isinstance(root, dict) and k in root}
        self.defs = defs

    def valid(self, value: Any, schema: Any) -> bool:
        if isinstance(schema, dict) and self.defs:
            schema = {**self.defs, **schema}
        try:
            return bool(self.cls(schema).is_valid(value))
        except Exception:  # a $ref this shortcut cannot follow: the final check decides
            return True

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#"):
                raise UnsatisfiableSchema(f"only local $ref is supported, got {ref!r}")
            target: Any = self.root
            try:
                for part in ref[1:].lstrip("/").split("/") if ref not in ("#", "#/") else []:
                    target = target[part.replace("~1", "/").replace("~0", "~")]
            except (KeyError, TypeError):
                raise UnsatisfiableSchema(f"$ref {ref!r} points nowhere") from None
            if target is True:
                target = {}
            if not isinstance(target, dict):
                raise UnsatisfiableSchema(f"$ref {ref!r} is not a schema object")
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            seen += 1
        return node

    def value(self, node: Any, path: tuple[Any, ...], depth: int, variant: int) -> Any:
        if depth > MAX_DEPTH:
            shown = _where(path[:8]) + ("/..." if len(path) > 8 else "")
            raise UnsatisfiableSchema(f"no value found for {shown}: the schema nests without end")
        if node is True or node == {}:
            if variant == 0:
                return self.words.take(lambda w: True) or "value"
            return f"value{variant}"
        if not isinstance(node, dict):
            raise UnsatisfiableSchema(f"no value can satisfy {_where(path)}")
        node = self.resolve(node)
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return self.enum(node["enum"], variant)
        for key in ("anyOf", "oneOf"):
            if key in node:
                return self.choice(node, key, path, depth, variant)
        if "allOf" in node:
            merged = {k: v for k, v in node.items() if k != "allOf"}
            for part in node["allOf"]:
                part = self.resolve(part) if isinstance(part, dict) else {}
                props = {**merged.get("properties", {}), **part.get("properties", {})}
                required = list(dict.fromkeys(merged.get("required", []) + part.get("required", [])))
                merged = {**merged, **part, "properties": props, "required": required}
            return self.value(merged, path, depth + 1, variant)
        kind = node.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in node else "array" if "items" in node else "string"
        if kind == "object":
            return self.object(node, path, depth, variant)
        if kind == "array":
            return self.array(node, path, depth, variant)
        if kind == "string":
            return self.string(node, path, variant)
        if kind in ("integer", "number"):
            return self.number(node, path, integer=kind == "integer", variant=variant)
        if kind == "boolean":
            return variant % 2 == 0
        if kind == "null":
            return None
        raise UnsatisfiableSchema(f"unknown type {kind!r} at {_where(path)}")

    def enum(self, options: list[Any], variant: int) -> Any:
        if not options:
            return None  # an empty enum: nothing fits, the final check says where
        if variant:
            return options[variant % len(options)]
        lowered = {str(o).lower(): o for o in options}
        named = [lowered[w.lower()] for w in self.words.words if w.lower() in lowered]
        at = {}
        for option in options:
            phrase = re.sub(r"[\s_-]+", " ", str(option)).lower().strip()
            found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", self.message) if phrase else None
            if found:
                at[phrase] = (found.start(), option)
        named += [option for _, option in sorted(at.values(), key=lambda pair: pair[0])]
        order = [o for n, o in enumerate(named) if o not in named[:n]] + [o for o in options if o not in named]
        return order[self.rotation % len(order)]

    def choice(self, node: dict[str, Any], key: str, path: tuple[Any, ...], depth: int, variant: int) -> Any:
        rest = {k: v for k, v in node.items() if k != key}

        def is_null(branch: Any) -> bool:
            return isinstance(branch, dict) and self.resolve(branch).get("type") == "null"

        nulls = [b for b in node[key] if is_null(b)]
        others = [b for b in node[key] if not is_null(b) and b is not False]
        ordered = nulls + others if depth >= SHALLOW_DEPTH else others + nulls
        fallback: list[Any] = []
        error: UnsatisfiableSchema | None = None
        for branch in ordered:
            part = self.resolve(branch) if isinstance(branch, dict) else {}
            try:
                candidate = self.value({**rest, **part}, path, depth + 1, variant)
            except UnsatisfiableSchema as exc:
                error = error or exc
                continue
            if self.valid(candidate, node):
                return candidate
            fallback = fallback or [candidate]
        if fallback:
            return fallback[0]  # the final check says what is wrong with it
        raise error or UnsatisfiableSchema(f"no branch of {key} at {_where(path)} can be satisfied")

    def object(self, node: dict[str, Any], path: tuple[Any, ...], depth: int, variant: int) -> dict[str, Any]:
        properties = node.get("properties", {})
        required = list(node.get("required", []))
        shallow = depth >= SHALLOW_DEPTH
        names = list(properties) if self.strict and not shallow else [p for p in properties if p in required]
        names += [r for r in required if r not in names]
        extra = node.get("additionalProperties", True)
        want = node.get("minProperties", 0)
        names += [p for p in properties if p not in names][: max(want - len(names), 0)]
        out: dict[str, Any] = {}
        for name in names:
            schema = properties.get(name, extra if isinstance(extra, dict) else {})
            out[name] = self.value(schema, (*path, name), depth + 1, variant)
        n = 1
        while len(out) < want and extra is not False and n <= want:
            name = f"property{n}"
            if name not in out:
                out[name] = self.value(extra if isinstance(extra, dict) else {}, (*path, name), depth + 1, variant)
            n += 1
        return out

    def array(self, node: dict[str, Any], path: tuple[Any, ...], depth: int, variant: int) -> list[Any]:
        low = node.get("minItems", 0)
        count = low if depth >= SHALLOW_DEPTH else max(low, 1)
        counted = _counted(self.message, path[-1]) if path and isinstance(path[-1], str) else None
        if counted is not None and depth < SHALLOW_DEPTH:
            count = max(low, counted)
        count = min(count, node.get("maxItems", count))
        prefix = node.get("prefixItems", [])
        items = node.get("items", {})
        if isinstance(items, list):  # draft 4's tuples
            prefix, items = items, node.get("additionalItems", {})
        values: list[Any] = []
        seen: set[str] = set()
        for n in range(count):
            schema = prefix[n] if n < len(prefix) else items
            if schema is False:
                break
            attempts = UNIQUE_ATTEMPTS if node.get("uniqueItems") else 1
            outer, self.rotation = self.rotation, n
            for attempt in range(attempts):
                candidate = self.value(schema, (*path, n), depth + 1, variant + attempt)
                if _canonical(candidate) not in seen:
                    break
            self.rotation = outer
            seen.add(_canonical(candidate))
            values.append(candidate)
        return values

    def string(self, node: dict[str, Any], path: tuple[Any, ...], variant: int) -> str:
        low, high = node.get("minLength", 0), node.get("maxLength", math.inf)
        pattern = node.get("pattern")
        fmt = node.get("format")
        try:
            compiled = re.compile(pattern) if pattern is not None else None
        except re.error as exc:
            raise UnsatisfiableSchema(f"no value found for {_where(path)}: pattern {pattern!r}: {exc}") from None

        def fits(text: str) -> bool:
            return low <= len(text) <= high and (compiled is None or compiled.search(text) is not None)

        if variant == 0 and is_date(node, path):
            written = date_in(self.message)
            if written is not None and fits(written):
                return written
        if variant == 0:
            if fmt in FORMATS and fits(FORMATS[fmt]):
                return FORMATS[fmt]
            word = self.words.take(fits)
            if word is not None:
                return word
        if pattern is not None:
            text = _pattern_text(pattern, variant, fits, high)
            if text is not None:
                return text
        text = "example" if variant == 0 else _letters(variant)
        if len(text) < low:
            text = text + "x" * (low - len(text))
        return text[: int(high)] if high != math.inf else text

    def number(self, node: dict[str, Any], path: tuple[Any, ...], *, integer: bool, variant: int) -> int | float:
        keys = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
        bounds = {k: node[k] for k in keys if k in node}
        check = self.cls({**bounds, "type": "integer" if integer else "number"}).is_valid

        def convert(x: float) -> int | float | None:
            if not math.isfinite(x) or (integer and x != int(x)):
                return None
            return int(x) if integer else float(x)

        def fits(x: float) -> bool:
            y = convert(x)
            return y is not None and check(y)

        if variant == 0:
            word = self.words.take_number(fits)
            if word is not None:
                return convert(word)  # type: ignore[return-value]
        found: list[int | float] = []
        seen: set[float] = set()
        for x in _number_candidates(bounds):
            y = convert(x)
            if y is None or float(y) in seen or not check(y):
                continue
            seen.add(float(y))
            found.append(y)
            if len(found) > variant:
                return y
        if found:
            return found[variant % len(found)]
        low = bounds.get("minimum", bounds.get("exclusiveMinimum", 1))
        return int(low) if integer else float(low)  # nothing fits: the final check says why


def _number_candidates(bounds: dict[str, Any]) -> Any:
    """Numbers worth trying, best first: 1, 0, then around the bounds, then a sweep."""
    low = max(bounds.get("minimum", -math.inf), bounds.get("exclusiveMinimum", -math.inf))
    high = min(bounds.get("maximum", math.inf), bounds.get("exclusiveMaximum", math.inf))
    step = bounds.get("multipleOf")
    bases = [1.0, 0.0]
    for edge, inward in ((low, math.inf), (high, -math.inf)):
        if math.isfinite(edge):
            bases += [edge, math.nextafter(edge, inward), edge + (1 if inward > 0 else -1)]
            bases += [math.ceil(edge), math.floor(edge)]
    if math.isfinite(low) and math.isfinite(high):
        bases.append((low + high) / 2)
    unit = step or 1
    start = next((b for b in bases if low <= b <= high), bases[-1])
    sweep = [start + sign * j * unit for j in range(1, 64) for sign in (1, -1)]
    for base in bases + sweep:
        if not step:
            yield base
            continue
        try:
            k = base / step
            ks = {math.ceil(k), math.floor(k)} | {math.ceil(k) + d for d in (-2, -1, 1, 2)}
        except (OverflowError, ValueError):
            continue
        for k in sorted(ks, key=lambda k: abs(k * step - base)):
            yield repr_multiple(k, step)
            yield k * step


_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def _counted(message: str, name: str) -> int | None:
    """How many of the property's things the message asks for: "two questions", "3 short
    options" (for `questions`, `options`; at most 20), else None."""
    last = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).lower())[-1]
    if len(last) < 3 or not message:
        return None
    single = last[:-1] if last.endswith("s") else last
    found = re.search(rf"\b(\d+|{'|'.join(_NUMBER_WORDS)})\s+(?:[\w-]+\s+)?{re.escape(single)}s?\b", message)
    if found is None:
        return None
    number = found.group(1)
    return min(int(number) if number.isdigit() else _NUMBER_WORDS[number], 20)


def repr_multiple(k: int, step: float) -> float:
    """k * step computed in decimal (0.1 * 3 is 0.3 here, not 0.30000000000000004)."""
    from decimal import Decimal

    return float(Decimal(k) * Decimal(repr(step)))


def _letters(n: int) -> str:
    out = ""
    while True:
        out = chr(97 + n % 26) + out
        n //= 26
        if n == 0:
            return out


def _pattern_text(pattern: str, variant: int, fits: Any, high: float) -> str | None:
    """A string the regex accepts that `fits`: the shortest first, then with repeats grown."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    for shift in range(8):  # then other alternatives of (a|b|c)
        previous = None
        for extra in range(0, 48):
            try:
                text = _emit(parsed, variant, [extra], shift)
            except UnsatisfiableSchema:
                return None
            if fits(text):
                return text
            if text == previous or len(text) > high:
                break
            previous = text
    return None


def _emit(items: Any, variant: int, extra: list[int], shift: int = 0) -> str:
    """A string `items` (a parsed regex) accepts; `extra[0]` more repeats, spent left to right."""
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(_pick([c for c in POOL if ord(c) != arg], variant))
        elif name == "IN":
            out.append(_class_char(arg, variant))
        elif name == "ANY":
            out.append(_pick([c for c in POOL if c != "\n"], variant))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            grow = min(extra[0], high - low)  # the leftmost repeats grow first
            extra[0] -= grow
            out.append("".join(_emit(sub, variant, extra, shift) for _ in range(max(low, 0) + grow)))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_emit(arg[-1], variant, extra, shift))
        elif name == "BRANCH":
            branches = arg[1]
            out.append(_emit(branches[(variant + shift) % len(branches)], variant, extra, shift))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        elif name == "CATEGORY":
            out.append(_pick([c for c in POOL if _in_category(c, arg)], variant))
        else:
            raise UnsatisfiableSchema(f"unsupported regex construct {name}")
    return "".join(out)


def _pick(chars: list[str], variant: int) -> str:
    if not chars:
        raise UnsatisfiableSchema("no character fits a character class")
    return chars[variant % len(chars)]


def _in_category(char: str, category: Any) -> bool:
    escapes = {"DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w",
               "NOT_WORD": r"\W"}  # fmt: skip
    escape = escapes.get(str(category).removeprefix("CATEGORY_"))
    return escape is not None and re.fullmatch(escape, char) is not None


def _class_char(items: Any, variant: int) -> str:
    """A character of `[...]`: the ones it names first (`[A-Z]` gives A, then B, ...)."""
    negate = any(str(op) == "NEGATE" for op, _ in items)

    def member(char: str) -> bool:
        hit = False
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                hit = hit or ord(char) == arg
            elif name == "RANGE":
                hit = hit or arg[0] <= ord(char) <= arg[1]
            elif name == "CATEGORY":
                hit = hit or _in_category(char, arg)
        return hit != negate

    named: list[str] = []
    if not negate:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                named.append(chr(arg))
            elif name == "RANGE":
                named += [chr(c) for c in range(arg[0], min(arg[1], arg[0] + 63) + 1)]
            elif name == "CATEGORY":
                named += [c for c in POOL if _in_category(c, arg)]
    chars = list(dict.fromkeys(named + [c for c in POOL if member(c)]))
    return _pick(chars, variant)
