"""The dispatcher's URL matcher (emulator/routing.py) answers exactly as werkzeug's adapter:
the same endpoint and arguments, or the same refusal (404, 405 and its methods, redirect)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from emulator import Emulator
from emulator.dispatch import Dispatcher

METHODS = ("GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "get", "post", "")


def _paths(rules: list[str]) -> list[str]:
    """Every rule with sample values, and the paths around it that werkzeug treats apart."""
    samples = ("x_1", "runs", "messages", "héllo wörld", "a.b", "ft:gpt-4o:acme", "files", "")
    paths = {"", "/", "//", "///v1/assistants", "/v1", "/v1/", "/api/projects", "/api/projects/p", "/nope"}
    for rule in rules:
        for value in samples:
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", value, rule)
            paths |= {path, path + "/", "/" + path, path + "//", path.replace("/", "//", 2), path + "/extra"}
        paths.add(re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "a/b", rule))
    return sorted(paths)


def _answer(match: Any, path: str, method: str) -> Any:
    """What `match` answers: the endpoint and arguments, or the refusal's type, methods and redirect."""
    try:
        return match(path, method)
    except Exception as exc:
        methods = getattr(exc, "valid_methods", None)
        return type(exc), methods and sorted(methods), getattr(exc, "new_url", None)


def test_the_matcher_answers_as_werkzeug_does() -> None:
    dispatcher = Dispatcher(Emulator())
    rules = [rule.rule for rule in dispatcher.url_map.iter_rules()]
    checked = 0
    for path, method in itertools.product(_paths(rules), METHODS):
        ours = _answer(dispatcher.matcher.match, path, method)
        assert ours == _answer(dispatcher.adapter.match, path, method), (method, path)
        checked += 1
    assert checked > 10_000


def test_the_matcher_walks_the_plain_rules_itself() -> None:
    dispatcher = Dispatcher(Emulator())
    dispatcher.adapter = None  # type: ignore[assignment]  # a fallback to werkzeug would fail
    dispatcher.matcher.adapter = None  # type: ignore[assignment]
    (route, shape, _), args = dispatcher.matcher.match("/v1/threads/thread_1/runs/run_2", "GET")
    assert (route.rule, route.method, shape, args) == (
        "/threads/<thread_id>/runs/<run_id>",
        "GET",
        "openai",
        {"thread_id": "thread_1", "run_id": "run_2"},
    )
    (route, shape, _), args = dispatcher.matcher.match("/api/projects/p1/threads/runs", "POST")
    assert (route.rule, shape, args) == ("/threads/runs", "foundry", {"project": "p1"})
    (route, shape, mount), args = dispatcher.matcher.match("/api/projects/p1/openai/v1/responses/resp_1", "GET")
    assert (route.rule, shape, mount, args) == (
        "/responses/<response_id>", "project", "/api/projects/<project>/openai/v1", {"project": "p1", "response_id": "resp_1"}
    )  # fmt: skip


def test_the_api_map_is_built_once_per_process_and_builds_no_url() -> None:
    """Dispatchers share one map (building it is most of a dispatcher's start), and its rules
    skip werkzeug's URL builders: nothing may call `build` on them."""
    first, second = Dispatcher(Emulator()), Dispatcher(Emulator())
    assert first.url_map is second.url_map
    assert first.matcher is not second.matcher  # each its own (a test may patch one)
    endpoint, _ = first.matcher.match("/v1/assistants/asst_1", "GET")
    with pytest.raises(NotImplementedError, match="builds no URL"):
        first.adapter.build(endpoint, {"assistant_id": "asst_1"}, method="GET")


def test_a_werkzeug_with_other_internals_matches_every_url_itself(monkeypatch) -> None:
    """The matcher reads werkzeug's private state machine; if a release changes it, the
    dispatcher must keep working (through werkzeug's own match), not fail to start."""
    from werkzeug.routing import Map, Rule

    from emulator import routing

    def other_internals(state):
        raise AttributeError("'StateMachineMatcher' object has no attribute '_root'")

    monkeypatch.setattr(routing, "_Node", other_internals)
    url_map = Map([Rule("/a/<x>", methods=["GET"], endpoint="e")], merge_slashes=False, redirect_defaults=False)
    matcher = routing.Matcher(url_map.bind("h"))
    assert not matcher.usable
    assert matcher.match("/a/1", "GET") == ("e", {"x": "1"})
