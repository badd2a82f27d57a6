"""werkzeug's URL matching, walked without werkzeug's per-call cost.

`MapAdapter.match` builds a recursive closure on every call (a reference cycle: garbage that
only the cycle collector frees) and tries each URL part with a regex. `Matcher` walks the very
state machine werkzeug built for the map, in werkzeug's order (static parts first, then
dynamic ones, backtracking), but where a part is a plain `<name>` it only checks that the part
is not empty (what werkzeug's `[^/]{1,}` regex tests of a part of a path split at `/`).

It reads werkzeug's internals (`Map._matcher`, its states and rule parts, 2.2 to 3.1); with a
werkzeug whose internals differ it steps aside and werkzeug matches every URL.
It answers only the matches it is sure of: anything else (no match, a wrong method, a rule
with a path converter, defaults or a redirect, a missing trailing slash) goes to werkzeug,
which answers (or raises) as it always does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import MapAdapter, Rule
from werkzeug.routing.converters import BaseConverter, UnicodeConverter

#: The regex werkzeug tests a `<name>` part with (one part, not empty).
_PLAIN_PART = r"(?P<__werkzeug_0>[^/]{1,})\Z"
#: A rule or a transition this matcher leaves to werkzeug.
_UNSURE = None
#: The walk met something it leaves to werkzeug.
_ASK_WERKZEUG = object()


class MatchOnlyRule(Rule):
    """A werkzeug `Rule` that matches but builds no URL (the emulator never calls `url_for`
    on its API map). werkzeug compiles two URL builders per rule, through `ast` and `compile`:
    over 90% of building the API's map (76 ms of 81), paid by every process that starts one.
    If a werkzeug release stops calling `_compile_builder`, this is a plain `Rule`."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            raise NotImplementedError(f"the emulator builds no URL of {rule.rule!r}")

        return build


class _Node:
    __slots__ = ("static", "dynamic", "rules")

    def __init__(self, state: Any) -> None:
        self.static = {part: _Node(next_state) for part, next_state in state.static.items()}
        self.dynamic = [
            _Node(next_state) if _plain(part) else _UNSURE for part, next_state in state.dynamic
        ]  # in werkzeug's order (by weight)
        self.rules = [_rule(rule) for rule in state.rules]


def _plain(part: Any) -> bool:
    return part.content == _PLAIN_PART and not part.final and not part.suffixed and not part.static


def _rule(rule: Rule) -> tuple[frozenset[str], Any, tuple[str, ...]] | None:
    """(methods, endpoint, argument names) of a rule whose match is only its endpoint and its
    parts as they are; None for anything more (werkzeug decides)."""
    plain_converters = all(
        type(c) is UnicodeConverter and type(c).to_python is BaseConverter.to_python for c in rule._converters.values()
    )
    if (
        rule.methods is None
        or rule.websocket
        or not rule.strict_slashes
        or rule.defaults
        or rule.alias
        or rule.redirect_to is not None
        or not plain_converters
    ):
        return _UNSURE
    return frozenset(rule.methods), rule.endpoint, tuple(str(name) for name in rule._converters)


class Matcher:
    """`match(path, method)` answers as `adapter.match(path, method)` does."""

    def __init__(self, adapter: MapAdapter) -> None:
        url_map = adapter.map
        url_map.update()
        self.adapter = adapter
        self.usable = not url_map.redirect_defaults and not url_map.merge_slashes and not adapter.websocket
        # what werkzeug puts before the path's parts (`MapAdapter.match`)
        self.domain = adapter.server_name
        if not url_map.host_matching and adapter.subdomain is not None:
            self.domain = adapter.subdomain
        try:
            self.root = _Node(url_map._matcher._root)
        except (AttributeError, TypeError):  # a werkzeug whose internals differ: it matches every URL itself
            self.usable = False

    def match(self, path: str, method: str) -> tuple[Any, dict[str, Any]]:
        if self.usable:
            method = (method or self.adapter.default_method).upper()
            path_part = f"/{path.lstrip('/')}" if path else ""
            found = _walk(self.root, [self.domain, *path_part.split("/")], 0, method, [])
            if found is not None and found is not _ASK_WERKZEUG:
                endpoint, names, values = found
                return endpoint, dict(zip(names, values, strict=True))
        return self.adapter.match(path, method)


def _walk(node: _Node, parts: list[str], i: int, method: str, values: list[str]) -> Any:
    """werkzeug's `StateMachineMatcher.match`, for the rules and parts `_Node` knows."""
    if i == len(parts):
        for rule in node.rules:
            if rule is _UNSURE:
                return _ASK_WERKZEUG
            methods, endpoint, names = rule
            if method in methods:
                return endpoint, names, values
        if "" in node.static:  # werkzeug may answer with a redirect to the path with a slash
            return _ASK_WERKZEUG
        return None
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, method, values)
        if found is not None:
            return found
    for child in node.dynamic:
        if child is _UNSURE:
            return _ASK_WERKZEUG
        if part:
            found = _walk(child, parts, i + 1, method, [*values, part])
            if found is not None:
                return found
    if i == len(parts) - 1 and part == "" and _UNSURE in node.rules:  # a rule without strict slashes
        return _ASK_WERKZEUG
    return None
