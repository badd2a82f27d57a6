"""Which functions the default model calls for a message, when the message does not force one.

Each function is scored against the latest user message: the words of its name (split at
snake_case, camelCase, kebab-case and qualified names: `MenuPlugin-get_specials`,
`plugin.function`, `namespace__function`), of its description, and of its parameters' names,
descriptions and enum values. Words are compared lower-cased, with plural and verb endings
dropped ("specials" fits "special"), and through a small table of related words ("how much"
fits "price"). A name word counts 3, a description or parameter-name word 1, a parameter
description word 0.5; words every function name has (`get`, `list`, `plugin`, ...) count 1
and never make a match alone. A function fits when a word of its name (other than those)
is in the message, or two words of its description and parameters are.

The message is split into clauses (at commas, semicolons, "and", "then", "also"); each
clause calls its best fitting function (the first declared on a tie), with the clause's
words as arguments; a clause that fits none but only names more things (a capitalised word,
a number, a quoted phrase, its other words stop words or words of the function's parameters)
calls the previous clause's function again ("weather in Paris, Tokyo and Lima" is three
calls; "weather in Paris, thanks Bob" is one). A clause that fits the previous clause's
function only through its parameters, naming nothing, refines that call instead of making
another ("a quiz with two questions, one multiple choice" is one call). A function whose only required parameter takes a free-form
query (`query`, `question`, `q`, `input`, `prompt`, `text`, `search`) fits any question or
request when nothing else does. Greetings and thanks call nothing.
"""

from __future__ import annotations

import re
from typing import Any

#: Words every kind of function name has: they add to a score but never make a match alone.
GENERIC = frozenset(
    "get set fetch retrieve list create make do run call find lookup look query search check show return "
    "compute calculate tool tools function func plugin plugins api by for of the a an to in on with and or "
    "from info information data value values current item items details handle process".split()
)
#: Words that say nothing about which function fits.
STOP = frozenset(
    "a an and are as at be been by can could did do does doing for from had has have how i in is it its me my "
    "of on or our please tell that the their there this to was we were what whats when where which who why will "
    "with you your yours would should shall may might us let lets know want need like some any just also then "
    "than into about give s t d ll re ve m".split()
)
GREETING = frozenset("hello hi hey thanks thank bye goodbye ok okay great cool yes no sure welcome morning".split())
#: Related words: a message word on the left fits a function word on the right.
RELATED: dict[str, frozenset[str]] = {
    "much": frozenset({"price", "cost"}),
    "cost": frozenset({"price"}),
    "price": frozenset({"cost"}),
    "expensive": frozenset({"price", "cost"}),
    "temperature": frozenset({"weather"}),
    "hot": frozenset({"weather", "temperature"}),
    "cold": frozenset({"weather", "temperature"}),
    "rain": frozenset({"weather", "forecast"}),
    "sunny": frozenset({"weather", "forecast"}),
    "forecast": frozenset({"weather"}),
    "weather": frozenset({"forecast", "temperature"}),
    "time": frozenset({"clock", "hour"}),
    "today": frozenset({"date", "day"}),
    "email": frozenset({"mail", "message"}),
    "mail": frozenset({"email"}),
    "sum": frozenset({"add", "addition"}),
    "plus": frozenset({"add", "addition"}),
    "total": frozenset({"add", "sum"}),
    "product": frozenset({"multiply"}),
    "times": frozenset({"multiply"}),
    "special": frozenset({"specials"}),
    "stock": frozenset({"share", "ticker"}),
    "buy": frozenset({"order", "purchase"}),
    "purchase": frozenset({"order", "buy"}),
}
QUERY_PARAMETERS = frozenset(
    "query question q input prompt text search request search_query user_query query_text ask".split()
)
_CLAUSE = re.compile(r"[,;]|\?\s+|\.\s+|\b(?:and|then|also|as well as)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|\d+")


def stem(word: str) -> str:
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_words(name: str) -> list[str]:
    """`MenuPlugin-get_specials` -> menu, plugin, get, specials; `getHTTPStatus` -> get, http, status."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def message_terms(text: str) -> set[str]:
    """The message's words that can show a function fits, with their related words."""
    terms = {stem(w) for w in _WORD.findall(text) if w.lower() not in STOP}
    for term in list(terms):
        terms |= {stem(w) for w in RELATED.get(term, ())}
    return terms


def _terms(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text or "") if w.lower() not in STOP}


def score(function: dict[str, Any], terms: set[str]) -> tuple[float, bool]:
    """The function's score against a message's terms, and whether it clearly fits."""
    names = {stem(w) for w in name_words(function.get("name", ""))}
    specific = {w for w in names if w not in GENERIC}
    name_hits = names & terms
    described = _terms(function.get("description", "")) - names
    parameters = (function.get("parameters") or {}).get("properties") or {}
    param_names: set[str] = set()
    param_texts: set[str] = set()
    for key, schema in parameters.items() if isinstance(parameters, dict) else ():
        param_names |= {stem(w) for w in name_words(key) if w not in STOP}
        if isinstance(schema, dict):
            param_texts |= _terms(str(schema.get("description", "")))
            param_texts |= {stem(str(v)) for v in schema.get("enum", []) if isinstance(v, (str, int))}
    other_hits = (described | param_names) & terms
    weak_hits = (param_texts - described - param_names) & terms
    value = sum(3 if w in specific else 1 for w in name_hits) + len(other_hits) + 0.5 * len(weak_hits)
    fits = bool(name_hits & specific) or len(other_hits) + 0.5 * len(weak_hits) >= 2
    return value, fits


def best(functions: dict[str, dict[str, Any]], text: str) -> str | None:
    """The best fitting function for `text` (the first declared on a tie), else None."""
    terms = message_terms(text)
    found: tuple[float, str] | None = None
    for name, function in functions.items():
        value, fits = score(function, terms)
        if fits and (found is None or value > found[0]):
            found = (value, name)
    return found[1] if found else None


def choose(functions: dict[str, dict[str, Any]], message: str) -> list[tuple[str, str]]:
    """The calls a message asks for: (function name, the text its arguments come from), in order."""
    clauses = [c.strip() for c in _CLAUSE.split(message) if c and c.strip()]
    calls: list[tuple[str, str]] = []
    previous: str | None = None
    for clause in clauses:
        name = best(functions, clause)
        if name is None and previous is not None and _more_of_the_same(clause, functions[previous]):
            name = previous
        elif name is not None and name == previous and not _names_the_function(functions[name], clause):
            if not any(w[:1].isupper() or w[:1].isdigit() or w[:1] in '"“' for w in clause.split()):
                calls[-1] = (name, f"{calls[-1][1]}, {clause}")  # "one multiple choice": the same call, refined
                continue
        if name is not None:
            calls.append((name, clause))
            previous = name
    if len({name for name, _ in calls}) == 1 and len(calls) == 1:
        return [(calls[0][0], message)]  # one call: its arguments come from the whole message
    if not calls:
        name = best(functions, message) or _query_function(functions, message)
        return [(name, message)] if name else []
    return calls


def _names_the_function(function: dict[str, Any], clause: str) -> bool:
    """A word of the function's name (other than the generic ones) is in the clause."""
    specific = {stem(w) for w in name_words(function.get("name", ""))} - GENERIC
    return bool(specific & message_terms(clause))


def _more_of_the_same(clause: str, function: dict[str, Any]) -> bool:
    """A clause that only names more things for the previous clause's function ("Tokyo", "and
    for New York", "Paris in fahrenheit"): it names something (a capitalised word, a number, a
    quoted phrase), and its other words say nothing else: they are stop words or words of the
    function's parameters (names, descriptions, enum values). "thanks Bob" is not: "thanks" is
    none of those."""
    words = [w for w in re.findall(r"[\w'’-]+|\"[^\"]*\"|“[^”]*”", clause) if w]
    named = [w for w in words if w[:1].isupper() or w[:1].isdigit() or w[:1] in '"“']
    if not named:
        return False
    vocabulary = _parameter_words(function)
    rest = [w for w in words if w not in named]
    return all(w.lower() in STOP or stem(w) in vocabulary for w in rest)


def _parameter_words(function: dict[str, Any]) -> set[str]:
    properties = (function.get("parameters") or {}).get("properties") or {}
    words: set[str] = set()
    for key, schema in properties.items() if isinstance(properties, dict) else ():
        words |= {stem(w) for w in name_words(key)}
        if isinstance(schema, dict):
            words |= _terms(str(schema.get("description", "")))
            words |= {stem(str(v)) for v in schema.get("enum", []) if isinstance(v, (str, int))}
    return words


def _query_function(functions: dict[str, dict[str, Any]], message: str) -> str | None:
    """A function taking a free-form query, for a message that asks something (not a greeting)."""
    words = [w.lower() for w in _WORD.findall(message)]
    content = [w for w in words if w not in STOP and w not in GREETING]
    if not content:
        return None
    for name, function in functions.items():
        parameters = function.get("parameters") or {}
        required = parameters.get("required") or list(parameters.get("properties") or {})[:1]
        if len(required) == 1 and required[0].lower() in QUERY_PARAMETERS:
            return name
    return None
