"""`scripted_models.schema_values`: values valid against any JSON schema a function may declare,
deterministic, taken from the user's words where they fit; unsatisfiable schemas say where."""

from __future__ import annotations

import copy
import json
import math
import re

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripted_models.schema_values import FORMATS, UnsatisfiableSchema, candidate_words, example

#: (pattern, shortest, longest) lengths of the strings it accepts; None: no upper bound.
PATTERNS = [
    (r"^[A-Z]{3}$", 3, 3),
    (r"^\d{4}-\d{2}$", 7, 7),
    (r"^[a-z]+(-[a-z]+)*$", 1, None),
    (r"^[a-z]{2,5}$", 2, 5),
    (r"^[0-9a-f]{8}$", 8, 8),
    (r"^(red|green|blue)$", 3, 5),
    (r"^[^,]+$", 1, None),
    (r"^\w+@\w+\.com$", 7, None),
]
#: How many different strings a pattern is known to accept (for uniqueItems), capped.
PATTERN_VARIETY = {r"^(red|green|blue)$": 3}
CHECKED_FORMATS = ["date", "email", "ipv4", "uuid"]  # FormatChecker needs no extra library for these
WORDS = ["Paris", "ABC", "2024-05", "42", "-3", "2.5", "red", "blue-green", "New York", "x", "deadbeef", "Infinity"]
NAMES = ["city", "code", "count", "tags", "when", "note", "child", "unit"]
DEFS = ["Address", "Tag"]
SMALL = st.integers(min_value=-40, max_value=40)


@st.composite
def string_schemas(draw):
    kind = draw(st.sampled_from(["plain", "enum", "format", "pattern"]))
    if kind == "enum":
        options = draw(
            st.lists(st.sampled_from(WORDS + ["celsius", "fahrenheit"]), min_size=1, max_size=4, unique=True)
        )
        return {"type": "string", "enum": options}
    if kind == "format":
        return {"type": "string", "format": draw(st.sampled_from(CHECKED_FORMATS))}
    schema: dict = {"type": "string"}
    low, high = 0, None
    if kind == "pattern":
        pattern, low, high = draw(st.sampled_from(PATTERNS))
        schema["pattern"] = pattern
    shortest = draw(st.integers(min_value=low, max_value=(high if high is not None else low + 12)))
    if draw(st.booleans()):
        schema["minLength"] = shortest
    if draw(st.booleans()):
        schema["maxLength"] = draw(st.integers(min_value=shortest, max_value=shortest + 10))
        if high is not None:
            schema["maxLength"] = min(schema["maxLength"], high)
    return schema


@st.composite
def number_schemas(draw, integer: bool):
    """Bounds drawn around a witness value, so that some value always fits."""
    step = draw(st.sampled_from([None, 1, 2, 3, 7] if integer else [None, 0.5, 0.25, 2, 0.1]))
    witness = draw(SMALL) * (step or 1)
    schema: dict = {"type": "integer" if integer else "number"}
    if step is not None:
        schema["multipleOf"] = step
    below, above = draw(st.sampled_from(["minimum", "exclusiveMinimum", None])), draw(st.booleans())
    if below:
        gap = draw(st.integers(0, 5)) + (1 if below == "exclusiveMinimum" else 0)
        schema[below] = witness - gap
    if above:
        schema["maximum"] = witness + draw(st.integers(0, 5))
    return schema


def accepts_null(schema) -> bool:
    return schema.get("type") == "null" or None in schema.get("enum", [1]) or "anyOf" in schema or "oneOf" in schema


def variety(schema) -> float:
    """A lower bound on how many distinct values the schema has (1 when unsure)."""
    if "enum" in schema:
        return len(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return 2
    if kind == "string" and "format" not in schema and "pattern" not in schema:
        return math.inf if schema.get("maxLength", 1) >= 1 else 1
    if kind == "string" and "pattern" in schema:
        return PATTERN_VARIETY.get(schema["pattern"], 8) if {"minLength", "maxLength"}.isdisjoint(schema) else 1
    if kind == "integer" and {"minimum", "exclusiveMinimum", "maximum"}.isdisjoint(schema):
        return math.inf
    return 1


LEAVES = st.one_of(
    string_schemas(),
    number_schemas(integer=True),
    number_schemas(integer=False),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.just({"enum": [1, "one", None, True]}),
)


def extend(children):
    objects = st.dictionaries(st.sampled_from(NAMES), children, max_size=4).flatmap(
        lambda props: st.fixed_dictionaries(
            {"type": st.just("object"), "properties": st.just(props)},
            optional={
                "required": st.lists(st.sampled_from(sorted(props)), unique=True) if props else st.just([]),
                "additionalProperties": st.booleans(),
            },
        )
    )

    @st.composite
    def arrays(draw):
        items = draw(children)
        low = draw(st.integers(0, 3))
        schema = {"type": "array", "items": items, "minItems": low}
        if draw(st.booleans()):
            schema["maxItems"] = low + draw(st.integers(0, 2))
        if draw(st.booleans()) and (low <= 1 or variety(items) >= low):
            schema["uniqueItems"] = True
        return schema

    nullable = st.tuples(children, st.sampled_from(["anyOf", "oneOf"]), st.booleans()).map(
        lambda t: t[0] if accepts_null(t[0]) else {t[1]: [t[0], {"type": "null"}][:: 1 if t[2] else -1]}
    )
    return st.one_of(objects, arrays(), nullable)


TREES = st.recursive(LEAVES, extend, max_leaves=10)
REFS = st.sampled_from(DEFS).map(lambda name: {"$ref": f"#/$defs/{name}"})
WITH_REFS = st.recursive(st.one_of(LEAVES, REFS), extend, max_leaves=10)


@st.composite
def root_schemas(draw):
    """A schema that may $ref its $defs (defs never refer to each other, never accept null)."""
    schema = copy.deepcopy(draw(WITH_REFS))
    defs = {name: draw(TREES.filter(lambda s: not accepts_null(s))) for name in DEFS}
    return {**schema, "$defs": defs}


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


@FUZZ
@given(schema=root_schemas(), words=st.lists(st.sampled_from(WORDS), max_size=6), strict=st.booleans())
def test_generated_values_are_valid_and_deterministic(schema, words, strict):
    value = example(schema, list(words), strict=strict)
    jsonschema.validate(value, schema, format_checker=FORMAT_CHECKER)
    json.dumps(value, allow_nan=False)  # plain JSON: no inf, no nan
    assert example(copy.deepcopy(schema), list(words), strict=strict) == value
    assert json.dumps(example(schema, list(words), strict=strict)) == json.dumps(value)  # same types too


@FUZZ
@given(
    props=st.dictionaries(st.sampled_from(NAMES), TREES, min_size=1, max_size=5), words=st.lists(st.sampled_from(WORDS))
)
def test_strict_fills_every_property_and_non_strict_only_the_required(props, words):
    required = sorted(props)[:1]
    schema = {"type": "object", "properties": props, "required": required, "additionalProperties": False}
    assert list(example(schema, words, strict=True)) == list(props)
    assert list(example(schema, words)) == required


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PATTERNS), st.integers(0, 5))
def test_patterns_are_satisfied_with_the_lengths_they_allow(spec, extra):
    pattern, low, high = spec
    length = low + extra if high is None else min(low + extra, high)
    value = example({"type": "string", "pattern": pattern, "minLength": length, "maxLength": length})
    assert re.search(pattern, value) and len(value) == length


# --- the user's words ----------------------------------------------------------------------

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    "required": ["city", "unit"],
}


def test_strings_come_from_the_users_words():
    assert example(WEATHER, candidate_words("What is the weather in Paris?")) == {"city": "Paris", "unit": "celsius"}
    both = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]}
    assert example(both, candidate_words("Compare Lisbon with Madrid")) == {"a": "Lisbon", "b": "Madrid"}
    code = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": r"^[A-Z]{3}$"}},
        "required": ["code"],
    }
    assert example(code, candidate_words("Convert 10 into EUR please")) == {"code": "EUR"}
    assert example(code, candidate_words("Convert ten euros")) == {"code": "AAA"}  # no word fits: the pattern's own
    assert example({"type": "string", "maxLength": 4}, ["Lisbon"]) == "exam"


def test_an_enum_named_by_the_user_is_chosen():
    assert example(WEATHER, candidate_words("Weather in Oslo in Fahrenheit"))["unit"] == "fahrenheit"
    assert example(WEATHER, candidate_words("weather in Oslo"))["unit"] == "celsius"  # else the first
    assert example({"enum": [1, 2, "three"]}, ["THREE"]) == "three"


def test_numbers_come_from_the_message_within_bounds():
    nights = {"type": "integer", "minimum": 1, "maximum": 30}
    assert example(nights, candidate_words("Book 3 nights")) == 3
    assert example(nights, candidate_words("Book 99 nights")) == 1  # out of bounds: not taken
    assert example(nights, candidate_words("Book 2.5 or 4 nights")) == 4  # an integer needs a whole number
    assert example({"type": "number"}, candidate_words("Pay 2.5 dollars")) == 2.5
    two = {"type": "object", "properties": {"rooms": nights, "nights": nights}, "required": ["rooms", "nights"]}
    assert example(two, candidate_words("2 rooms for 5 nights")) == {"rooms": 2, "nights": 5}
    step = {"type": "integer", "minimum": 0, "maximum": 10, "multipleOf": 3}
    assert example(step, ["9"]) == 9
    assert example(step, ["10"]) in (0, 3, 6, 9)  # regression: 10 was rounded up to 12, past the maximum
    assert example({"type": "integer"}, ["Infinity"]) == 1  # regression: float("Infinity") crashed int()
    assert example({"type": "number"}, ["nan", "inf"]) == 1.0


def test_formats_and_constants():
    for fmt in FORMATS:
        assert example({"type": "string", "format": fmt}) == FORMATS[fmt]
    assert example({"const": {"a": [1]}}) == {"a": [1]}
    assert example({"type": ["null", "integer"], "minimum": 4}) == 4
    assert example({"type": "boolean"}) is True and example({"type": "null"}) is None
    assert example({}) == {} and example({"type": "object"}) == {}


def test_candidate_words_order():
    text = 'Weather in Paris? Tell "New York" about it at 12 or -4.5 degrees. Then ask Bob. Paris again.'
    assert candidate_words(text) == [
        "New York",  # quoted phrases first
        "Paris", "New", "York", "Bob",  # capitalised words not starting a sentence
        "12", "-4.5",  # numbers, decimals whole
        "Weather", "degrees", "Then", "again",  # the other words longer than 3, not stopwords ("about", "Tell")
    ]  # fmt: skip
    assert candidate_words("") == []
    assert candidate_words("please tell them what that is") == []
    assert candidate_words("Due 2024-05-03.") == ["2024-05-03"]


# --- harder shapes (regressions) ------------------------------------------------------------


def test_unique_items_are_distinct():
    assert example({"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True}) == [1, 0, 2]
    codes = example({"type": "array", "items": {"pattern": r"^[A-Z]{3}$", "type": "string"}, "minItems": 3,
                     "uniqueItems": True})  # fmt: skip
    assert codes == ["AAA", "BBB", "CCC"]
    assert example({"type": "array", "items": {"type": "boolean"}, "minItems": 2, "uniqueItems": True}) == [True, False]
    words = example({"type": "array", "items": {"type": "string"}, "minItems": 2, "uniqueItems": True}, ["Rome"])
    assert words[0] == "Rome" and len(set(words)) == 2


def test_recursive_schemas_end():
    node = {"type": "object", "properties": {"name": {"type": "string"},
            "child": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]},
            "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            "required": ["name", "child", "children"], "additionalProperties": False}  # fmt: skip
    schema = {"$defs": {"node": node}, "$ref": "#/$defs/node"}
    value = example(schema, strict=True)  # regression: RecursionError
    jsonschema.validate(value, schema)
    assert value["child"] is not None  # not null right away: null only where it must end


@pytest.mark.parametrize(
    "pattern, good",
    [(r"^[^,]+$", "a"), (r"^[^a]$", "b"), (r"^\D\S\W$", "aa-"), (r"^x{2,}$", "xx"), (r"^.{3}$", "aaa")],
)
def test_patterns_with_negated_classes(pattern, good):
    assert example({"type": "string", "pattern": pattern}) == good


def test_multiple_of_fractions_and_tight_bounds():
    for schema in [
        {"type": "number", "multipleOf": 0.3},
        {"type": "number", "minimum": 0.5, "maximum": 2, "multipleOf": 0.1},
        {"type": "number", "exclusiveMinimum": 1e12},
        {"type": "number", "exclusiveMinimum": 5, "exclusiveMaximum": 5.000001},
        {"type": "integer", "minimum": 1.5, "maximum": 2.5},
        {"type": "integer", "exclusiveMinimum": -3, "exclusiveMaximum": -1},
    ]:
        jsonschema.validate(example(schema), schema)
    assert example({"type": "integer", "exclusiveMinimum": -3, "exclusiveMaximum": -1}) == -2


# --- unsatisfiable schemas ------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema, where",
    [
        ({"type": "object", "properties": {"name": {"type": "string", "minLength": 5, "maxLength": 2}},
          "required": ["name"]}, "no value found for name:"),
        ({"type": "object", "properties": {"count": {"type": "integer", "minimum": 5, "maximum": 1}},
          "required": ["count"]}, "no value found for count:"),
        ({"type": "object", "properties": {"rows": {"type": "array", "items": {"type": "object", "properties": {
          "n": {"type": "number", "minimum": 3, "exclusiveMaximum": 3}}, "required": ["n"]}}}, "required": ["rows"]},
         "no value found for rows/0/n:"),
        ({"type": "string", "minLength": 5, "maxLength": 2}, "no value found for (root):"),
        ({"type": "array", "items": {"type": "boolean"}, "minItems": 3, "uniqueItems": True}, "(root)"),
        ({"type": "object", "properties": {"next": {"$ref": "#"}}, "required": ["next"]}, "next/next/next"),
        ({"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}, "required": ["a"]}, "points nowhere"),
        ({"type": "string", "minLength": "five"}, "invalid JSON schema"),
    ],
)  # fmt: skip
def test_unsatisfiable_schemas_say_where(schema, where):
    with pytest.raises(UnsatisfiableSchema) as info:
        example(schema)
    assert where in str(info.value)


def test_a_date_property_takes_the_date_the_message_writes():
    """A property named `date` (or `..._date`, `format: date`, described as YYYY-MM-DD) gets
    the message's date as YYYY-MM-DD, not one of its words (Azure's structured-output sample)."""
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "date": {"type": "string"},
              "due_date": {"type": "string", "format": "date"}}, "required": ["name", "date", "due_date"]}  # fmt: skip
    value = example(schema, ["Alice", "Bob"], message="Alice and Bob meet this Friday, November 7, 2025.")
    assert value["date"] == value["due_date"] == "2025-11-07" and value["name"] == "Alice"
    assert example(schema, ["x"], message="on 3 March 2024")["date"] == "2024-03-03"
    assert example(schema, ["x"], message="no date here")["due_date"] == "2024-01-01"  # the format's placeholder
