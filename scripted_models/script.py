"""Declarative scripts: a list of turns, each matched on the conversation, each doing actions.

    name: weather-bot
    turns:
      - when: {tool_outputs: true}
        do:
          - reply: "It is {{ outputs[0].output }} in {{ calls[0].arguments.city }}."
      - when: {user: "(?i)weather in (?P<city>[A-Za-z ]+)"}
        do:
          - call: get_weather
            arguments: {city: "{{ match.city }}"}
      - do:
          - reply: "Ask me about the weather."

`when` keys (all optional, all must hold): `user` (regex searched in the latest user
message; named groups become `match`), `turn` (the model's turn in this run: 1, then 2
after the first tool outputs or code execution, ...), `tool_outputs` (true: outputs were
submitted in this run), `code_ran` (true: code ran in this run), `code_failed` (true: the
last code run in this run failed), `searched` (true: files were searched in this run),
`found` (true: the last search found something), `instructions` (regex on the run's instructions),
`api` (`assistants` or `responses`: which API asks; a script needs it only to answer them differently),
`tools` (names of functions, or tool types, that must be available), `tool_choice`
(`auto`, `none`, `required` or a function name). The first turn whose `when` holds is
played, so put the turns that answer tool outputs or code results before the ones that
call tools or run code (the user message is the same on both turns).

`do` actions: `reply: TEXT`; `refuse: TEXT` (a message whose content is a refusal); `call: NAME` with `arguments` (omitted: generated from the
function's JSON schema); several `call`s in one turn are parallel calls; `run_code: CODE`
(runs in the thread's code_interpreter session, then the model is asked again);
`search: QUERY` (file_search over the run's vector stores, or a response's file_search tool's;
empty: the latest user message; a list: several queries at once; then the model is asked again);
`tool: TYPE` (a Foundry tool of the run: `connected_agent` with `name` and `input` runs the
sub-agent; `openapi` with `name`, `operation` and `arguments` calls a local server; `mcp` with
`name` (the MCP tool), `arguments` and `server_label` (omitted: the run's, or the response's,
first MCP server) calls a local MCP server (a tool's `arguments`: a mapping, or a string holding a JSON object), after the app's approval if its settings ask for one (a canned
`output` stands for the server's answer); any other type answers the canned `output` and
`results` (`{url, title}` sources); then the model is asked again, with `tool_uses` /
`last_tool` (`type`, `name`, `arguments`, `output`, `results` each with `url`, `title`,
`cite`: the marker that becomes a `url_citation`; mcp: `server_label`, and `denied`: the app
did not approve the call);
`when: {tool_used: true}` holds after one);
`web_search: QUERY` (the Responses API's web_search tool; empty: the latest user message) with the
canned `results` it finds (`{url, title, text}`), or `web_search: {open_page: URL}` / `{find: PATTERN,
url: URL}`; then the model is asked again with it in `tool_uses` / `last_tool` (`type` web_search, its
`results` each with `url`, `title`, `text` and `cite`: the link a reply writes, which becomes a
`url_citation`); on the Responses API `tool: TYPE` also gives the canned call of a tool the emulator
cannot play (`computer_use_preview` / `local_shell` / `shell`: `arguments` is its action; `apply_patch`:
`arguments` is its operation; `custom`: `name` and `input`; `image_generation`: `output` is the
base64 image);
`fail: {code, message}`; `incomplete: {reason, text}`; `think: [TEXT, ...]` (a reasoning model's summary
parts for this turn, shown when the request asks for a summary) or `think: false` (it does not reason this
turn: no reasoning item; Responses API only). Strings are Jinja2 templates over
`user`, `match`, `turn`, `api`, `instructions`, `messages`, `outputs`, `calls` (each output/call
has `name`, `arguments` (parsed), `output`, `json` (parsed output)), `tools`,
`code_blocks` (the fenced code blocks of the latest user message), `code_runs` (the
thread's code runs, oldest first: `code`, `logs`, `images`, `files`, `failed`),
`last_code` (the newest of them, or none), `files` (what the code can read:
`file_id`, `filename`, `path`), `searches` (this run's file searches: `query`, `results`) and
`results` (the last search's results, best first: `file_id`, `filename`, `score`, `text`,
`cite`: the marker that cites it, which becomes a `file_citation` annotation).

When no turn matches, the run fails and its `last_error` says which turns were tried
and what came (strict by default).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base import (
    Action,
    CallFunctions,
    Fail,
    FunctionCall,
    ModelInput,
    NoMatch,
    Refuse,
    Reply,
    RunCode,
    SearchFiles,
    Stop,
    Think,
    UseTool,
)
from .browsing import WEB_TOOLS
from .schema_values import candidate_words, example
from .templates import TEMPLATE, Context, json_object, render

WHEN_KEYS = {"user", "turn", "tool_outputs", "code_ran", "code_failed", "searched", "found", "instructions", "tools",
             "tool_choice", "tool_used", "api"}  # fmt: skip
#: The APIs a script can tell apart (`when: {api: responses}`).
APIS = ("assistants", "responses")
ACTION_KEYS = {"reply", "refuse", "call", "run_code", "search", "fail", "incomplete", "tool", "think", "web_search"}
#: The forms of `web_search:` besides a query: what a mapping may hold.
WEB_SEARCH_KEYS = {"query", "open_page", "find", "url"}
#: Keys that go with `tool:` (a Foundry tool's call).
TOOL_KEYS = {"name", "input", "operation", "output", "results", "server_label"}
#: What the API allows in `last_error.code` and `incomplete_details.reason`.
FAIL_CODES = ("server_error", "rate_limit_exceeded", "invalid_prompt")
INCOMPLETE_REASONS = ("max_completion_tokens", "max_prompt_tokens")


class ScriptError(ValueError):
    """A script that cannot be read: says where and why."""


@dataclass(frozen=True)
class When:
    user: str | None = None
    turn: int | None = None
    tool_outputs: bool | None = None
    instructions: str | None = None
    tools: tuple[str, ...] = ()
    tool_choice: str | None = None
    code_ran: bool | None = None
    code_failed: bool | None = None
    searched: bool | None = None
    found: bool | None = None
    tool_used: bool | None = None
    api: str | None = None

    def describe(self) -> str:
        parts = [f"the {self.api} API"] if self.api is not None else []
        if self.user is not None:
            parts.append(f"user message matching /{self.user}/")
        if self.turn is not None:
            parts.append(f"turn {self.turn}")
        if self.tool_outputs is not None:
            parts.append("tool outputs submitted" if self.tool_outputs else "no tool outputs yet")
        if self.code_ran is not None:
            parts.append("code ran in this run" if self.code_ran else "no code ran yet")
        if self.code_failed is not None:
            parts.append("the last code run failed" if self.code_failed else "the last code run succeeded")
        if self.searched is not None:
            parts.append("files searched in this run" if self.searched else "no file search yet")
        if self.found is not None:
            parts.append("the last file search found results" if self.found else "the last file search found nothing")
        if self.tool_used is not None:
            parts.append("a Foundry tool used in this run" if self.tool_used else "no Foundry tool used yet")
        if self.instructions is not None:
            parts.append(f"instructions matching /{self.instructions}/")
        if self.tools:
            parts.append(f"tools {list(self.tools)} available")
        if self.tool_choice is not None:
            parts.append(f"tool_choice {self.tool_choice}")
        return " and ".join(parts) or "anything"

    def match(self, model_input: ModelInput) -> dict[str, Any] | None:
        """The regex groups of `user` if every condition holds, else None."""
        groups: dict[str, Any] = {}
        if self.user is not None:
            found = re.search(self.user, model_input.last_user_message)
            if found is None:
                return None
            groups = {**{str(n): g for n, g in enumerate(found.groups(), 1)}, **found.groupdict(), "0": found.group(0)}
        if self.turn is not None and model_input.turn != self.turn:
            return None
        if self.api is not None and model_input.api != self.api:
            return None
        if self.tool_outputs is not None and bool(model_input.tool_outputs) != self.tool_outputs:
            return None
        if self.code_ran is not None or self.code_failed is not None:
            ran = model_input.code_runs_this_run()
            if self.code_ran is not None and bool(ran) != self.code_ran:
                return None
            if self.code_failed is not None and (not ran or ran[-1].failed != self.code_failed):
                return None
        searches = model_input.searches
        if self.searched is not None and bool(searches) != self.searched:
            return None
        if self.found is not None and (not searches or bool(searches[-1].results) != self.found):
            return None
        if self.tool_used is not None and bool(model_input.tool_uses) != self.tool_used:
            return None
        if self.instructions is not None and not re.search(self.instructions, model_input.instructions or ""):
            return None
        if self.tools:
            available = set(model_input.functions()) | model_input.tool_types()
            if any(t not in available for t in self.tools):
                return None
        if self.tool_choice is not None and _choice_name(model_input.tool_choice) != self.tool_choice:
            return None
        return groups


def _choice_name(choice: Any) -> str:
    if isinstance(choice, dict):
        return choice.get("function", {}).get("name") or choice.get("type", "")
    return str(choice or "auto")


@dataclass(frozen=True)
class Turn:
    do: tuple[dict[str, Any], ...]
    when: When = field(default_factory=When)


@dataclass
class Script:
    """A scripted model made of turns. Build it from a dict (`Script.from_dict`) or a file
    (`load_scripts`), or directly: `Script("bot", [Turn(do=({"reply": "hi"},))])`."""

    name: str
    turns: list[Turn]
    description: str = ""
    #: optional progression policy for runs of this model: "immediate", {"reads": N}, {"seconds": S}
    progression: Any = None
    #: how streamed text (and arguments, code) is cut into deltas: "words", "whole" or N characters
    chunking: Any = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "script") -> Script:
        if not isinstance(data, dict):
            raise ScriptError(f"{source}: a script is a mapping with 'name' and 'turns'")
        unknown = set(data) - {"name", "turns", "description", "progression", "chunking"}
        if unknown:
            raise ScriptError(f"{source}: unknown keys {sorted(unknown)}")
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ScriptError(f"{source}: 'name' must be a non-empty string")
        raw_turns = data.get("turns")
        if not isinstance(raw_turns, list) or not raw_turns:
            raise ScriptError(f"{source} ({name}): 'turns' must be a non-empty list")
        turns = [_turn(t, f"{source} ({name}) turn {n}") for n, t in enumerate(raw_turns, 1)]
        chunking = data.get("chunking")
        if not (chunking in (None, "words", "whole") or (type(chunking) is int and chunking > 0)):
            raise ScriptError(f"{source} ({name}): 'chunking' must be words, whole or a positive number of characters")
        return cls(name, turns, str(data.get("description", "")), data.get("progression"), chunking)

    def respond(self, model_input: ModelInput) -> list[Action]:
        for turn in self.turns:
            groups = turn.when.match(model_input)
            if groups is not None:
                return _merge_calls([_action(a, model_input, groups, self.name) for a in turn.do])
        raise NoMatch(self.name, [t.when.describe() for t in self.turns], _describe_input(model_input))


def _merge_calls(actions: list[Action]) -> list[Action]:
    """The `call`s of one turn are one set of parallel calls (where the first `call` stood)."""
    calls = [c for a in actions if isinstance(a, CallFunctions) for c in a.calls]
    merged: list[Action] = []
    for action in actions:
        if not isinstance(action, CallFunctions):
            merged.append(action)
        elif calls:
            merged.append(CallFunctions(tuple(calls)))
            calls = []
    return merged


def _turn(raw: Any, where: str) -> Turn:
    if not isinstance(raw, dict) or "do" not in raw:
        raise ScriptError(f"{where}: a turn is a mapping with 'do' (and optionally 'when')")
    unknown = set(raw) - {"when", "do"}
    if unknown:
        raise ScriptError(f"{where}: unknown keys {sorted(unknown)}")
    when_raw = raw.get("when") or {}
    if not isinstance(when_raw, dict) or set(when_raw) - WHEN_KEYS:
        raise ScriptError(f"{where}: 'when' keys must be among {sorted(WHEN_KEYS)}")
    for key in ("user", "instructions"):
        if key in when_raw:
            try:
                re.compile(when_raw[key])
            except (re.error, TypeError) as exc:
                raise ScriptError(f"{where}: 'when.{key}' is not a valid regex: {exc}") from None
    if "turn" in when_raw and (not isinstance(when_raw["turn"], int) or isinstance(when_raw["turn"], bool)
                               or when_raw["turn"] < 1):  # fmt: skip
        raise ScriptError(f"{where}: 'when.turn' must be a whole number from 1")
    for key in ("tool_outputs", "code_ran", "code_failed", "searched", "found"):
        if key in when_raw and not isinstance(when_raw[key], bool):
            raise ScriptError(f"{where}: 'when.{key}' must be true or false")
    if "api" in when_raw and when_raw["api"] not in APIS:
        raise ScriptError(f"{where}: 'when.api' must be one of {', '.join(APIS)}")
    if "tool_choice" in when_raw and not isinstance(when_raw["tool_choice"], str):
        raise ScriptError(f"{where}: 'when.tool_choice' must be auto, none, required or a function name")
    tools = when_raw.get("tools") or ()
    tools = [tools] if isinstance(tools, str) else tools
    if not isinstance(tools, (list, tuple)) or any(not isinstance(t, str) for t in tools):
        raise ScriptError(f"{where}: 'when.tools' must be a name or a list of names")
    when = When(
        user=when_raw.get("user"),
        turn=when_raw.get("turn"),
        tool_outputs=when_raw.get("tool_outputs"),
        instructions=when_raw.get("instructions"),
        tools=tuple(tools),
        tool_choice=when_raw.get("tool_choice"),
        code_ran=when_raw.get("code_ran"),
        code_failed=when_raw.get("code_failed"),
        searched=when_raw.get("searched"),
        found=when_raw.get("found"),
        tool_used=when_raw.get("tool_used"),
        api=when_raw.get("api"),
    )
    actions = raw["do"] if isinstance(raw["do"], list) else [raw["do"]]
    if not actions:
        raise ScriptError(f"{where}: 'do' needs at least one action")
    for n, action in enumerate(actions, 1):
        if not isinstance(action, dict) or len(set(action) & ACTION_KEYS) != 1:
            raise ScriptError(f"{where} action {n}: each action has exactly one of {sorted(ACTION_KEYS)}")
        extra = set(action) - ACTION_KEYS - {"arguments"} - (TOOL_KEYS if "tool" in action else set()) - (
            {"results"} if "web_search" in action else set())  # fmt: skip
        if extra:
            raise ScriptError(f"{where} action {n}: unknown keys {sorted(extra)}")
        if "arguments" in action and "call" not in action and "tool" not in action:
            raise ScriptError(f"{where} action {n}: 'arguments' goes with 'call' or 'tool'")
        if "tool" in action and (not isinstance(action["tool"], str) or not action["tool"]):
            raise ScriptError(f"{where} action {n}: 'tool' names a Foundry tool type (bing_grounding, ...)")
        if "results" in action and not isinstance(action["results"], list):
            raise ScriptError(f"{where} action {n}: 'results' is a list of {{url, title}}")
        search = action.get("search")
        if (
            "search" in action
            and not isinstance(search, (str, type(None)))
            and not (isinstance(search, list) and search and all(isinstance(q, str) for q in search))
        ):
            raise ScriptError(f"{where} action {n}: 'search' is the query (a template; empty: the user's message), "
                              "or a list of queries searched at once")  # fmt: skip
        think = action.get("think", [])
        if not (think is False or isinstance(think, list) and all(isinstance(t, str) for t in think)):
            raise ScriptError(f"{where} action {n}: 'think' is a list of summary parts (templates), or false")
        web = action.get("web_search")
        if "web_search" in action and not isinstance(web, (str, type(None))) and not (
            isinstance(web, dict) and web and set(web) <= WEB_SEARCH_KEYS
            and ("find" not in web or "url" in web) and len(set(web) & {"query", "open_page", "find"}) == 1
        ):  # fmt: skip
            raise ScriptError(f"{where} action {n}: 'web_search' is the query (a template; empty: the user's message), "
                              "or {open_page: URL}, or {find: PATTERN, url: URL}")  # fmt: skip
        if "run_code" in action and not isinstance(action["run_code"], str):
            raise ScriptError(f"{where} action {n}: 'run_code' is the code to run (a template)")
        if "call" in action and (not isinstance(action["call"], str) or not action["call"]):
            raise ScriptError(f"{where} action {n}: 'call' names a function")
        if "arguments" in action and not isinstance(action["arguments"], (dict, str)):
            raise ScriptError(f"{where} action {n}: 'arguments' is a mapping (or a JSON string)")
        if "tool" in action and isinstance(action.get("arguments"), str) and not TEMPLATE.search(action["arguments"]):
            if json_object(action["arguments"]) is None:
                raise ScriptError(f"{where} action {n}: a 'tool' action's 'arguments' is a mapping, or a string "
                                  f"holding a JSON object; got {action['arguments']!r}")  # fmt: skip
        for key, fields, known, allowed in (
            ("fail", ("code", "message"), "code", FAIL_CODES),
            ("incomplete", ("reason", "text"), "reason", INCOMPLETE_REASONS),
        ):
            if key not in action:
                continue
            spec = action[key] if isinstance(action[key], dict) else {fields[1 if key == "fail" else 0]: action[key]}
            if set(spec) - set(fields):
                raise ScriptError(f"{where} action {n}: '{key}' keys must be among {list(fields)}")
            if known in spec and spec[known] not in allowed:
                raise ScriptError(f"{where} action {n}: '{key}.{known}' must be one of {list(allowed)}")
    return Turn(do=tuple(actions), when=when)


def _action(raw: dict[str, Any], model_input: ModelInput, groups: dict[str, Any], script: str) -> Any:
    context = Context(model_input, groups)
    if "reply" in raw:
        return Reply(str(render(raw["reply"], context, script)))
    if "refuse" in raw:
        return Refuse(str(render(raw["refuse"], context, script)))
    if "call" in raw:
        name = render(raw["call"], context, script)
        function = model_input.functions().get(name)
        if function is None:
            raise NoMatch(
                script,
                [f"a function named {name!r} among the run's tools"],
                f"function tools {list(model_input.functions())}",
                problem=f"it calls the function {name!r}, which the run does not have",
            )
        if "arguments" in raw:
            arguments = render(raw["arguments"], context, script)
        else:
            arguments = example(function.get("parameters") or {}, candidate_words(model_input.last_user_message),
                                strict=bool(function.get("strict")))  # fmt: skip
        return CallFunctions((FunctionCall(name, arguments),))
    if "think" in raw:
        if raw["think"] is False:
            return Think(shown=False)
        return Think(tuple(str(render(part, context, script)) for part in raw["think"]))
    if "run_code" in raw:
        return RunCode(str(render(raw["run_code"], context, script)))
    if "search" in raw:
        given = raw["search"] if isinstance(raw["search"], list) else [raw["search"] or ""]
        queries = [q for q in (str(render(q, context, script)).strip() for q in given) if q]
        return SearchFiles(queries[0], tuple(queries[1:])) if queries else SearchFiles(model_input.last_user_message)
    if "tool" in raw:
        spec = render({k: v for k, v in raw.items() if k != "tool"}, context, script)
        results = spec.get("results") or []
        if any(not isinstance(r, dict) or not isinstance(r.get("url"), str) for r in results):
            raise NoMatch(
                script, ["results each with a 'url'"], repr(results)[:200], problem="a tool result has no url"
            )
        arguments = spec.get("arguments")
        if isinstance(arguments, str):  # a JSON string (a template), as `call:` takes too: parsed once rendered
            parsed = json_object(arguments)
            if parsed is None:
                raise NoMatch(script, ["tool arguments that are a JSON object"], repr(arguments)[:200],
                              problem="its tool arguments are not a JSON object")  # fmt: skip
            arguments = parsed
        return UseTool(
            type=str(render(raw["tool"], context, script)), name=str(spec.get("name") or ""),
            input=str(spec.get("input") or ""), operation=str(spec.get("operation") or ""),
            arguments=arguments if isinstance(arguments, dict) else None, output=spec.get("output"),
            results=tuple(results), server_label=str(spec.get("server_label") or ""),
        )  # fmt: skip
    if "web_search" in raw:
        return _web_search(raw, model_input, context, script)
    if "fail" in raw:
        spec = raw["fail"] if isinstance(raw["fail"], dict) else {"message": raw["fail"]}
        spec = render(spec, context, script)
        return Fail(spec.get("code", "server_error"), spec.get("message", Fail.message))
    spec = raw["incomplete"] if isinstance(raw["incomplete"], dict) else {"reason": raw["incomplete"]}
    spec = render(spec, context, script)
    return Stop(spec.get("reason", "max_completion_tokens"), spec.get("text", ""))


def _web_search(raw: dict[str, Any], model_input: ModelInput, context: dict[str, Any], script: str) -> UseTool:
    """A web search with canned results: the search (its query), or an open_page / find_in_page."""
    spec = render({"web_search": raw["web_search"], "results": raw.get("results") or []}, context, script)
    results = spec["results"]
    if any(not isinstance(r, dict) or not isinstance(r.get("url"), str) for r in results):
        raise NoMatch(script, ["results each with a 'url'"], repr(results)[:200], problem="a web result has no url")
    given = spec["web_search"]
    kind = next((t for t in WEB_TOOLS if t in model_input.tool_types()), "web_search")  # the response's own type
    if isinstance(given, dict) and "open_page" in given:
        return UseTool(type=kind, arguments={"type": "open_page", "url": str(given["open_page"])},
                       results=tuple(results))  # fmt: skip
    if isinstance(given, dict) and "find" in given:
        return UseTool(type=kind, arguments={"type": "find_in_page", "pattern": str(given["find"]),
                                                     "url": str(given["url"])}, results=tuple(results))  # fmt: skip
    query = str((given.get("query") if isinstance(given, dict) else given) or "").strip()
    return UseTool(type=kind, input=query or model_input.last_user_message,
                   arguments={"type": "search"}, results=tuple(results))  # fmt: skip


def _describe_input(model_input: ModelInput) -> str:
    message = model_input.last_user_message
    shown = message if len(message) <= 80 else message[:77] + "..."
    outputs = [o.name for o in model_input.tool_outputs]
    ran = model_input.code_runs_this_run()
    code = f", {len(ran)} code run(s) in this run" if ran else ""
    code += " (the last failed)" if ran and ran[-1].failed else ""
    return (
        f"latest user message {shown!r}, turn {model_input.turn}, "
        f"tool outputs {outputs if outputs else 'none'}{code}, tool_choice {_choice_name(model_input.tool_choice)}"
    )


def load_scripts(path: str | Path) -> list[Script]:
    """Scripts from a YAML or JSON file: one script, a list of scripts, or `{"models": [...]}`."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ScriptError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
    return scripts_from(data, source=str(path))


def scripts_from(data: Any, *, source: str = "scripts") -> list[Script]:
    if isinstance(data, dict) and "models" in data:
        data = data["models"]
    items = data if isinstance(data, list) else [data]
    return [
        Script.from_dict(item, source=f"{source}[{n}]" if len(items) > 1 else source) for n, item in enumerate(items)
    ]
