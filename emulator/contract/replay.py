"""Replay a recorded scenario as a scripted model: the emulator does what the real model did.

    from emulator.contract.replay import load_script_from_fixture, scenario_to_script

    script = scenario_to_script("fixtures/my-scenario.yaml", name="replay-my-scenario")  # a dict
    emulator = Emulator(models=[script])      # then runs with model="replay-my-scenario" replay it

What the model did in each run of the scenario (a `POST .../threads/{id}/runs` or
`POST .../threads/runs`, streamed or not, OpenAI or Azure paths) is read from every answer in
the scenario, whatever asked for it:

- run steps (steps lists, a step retrieved, `thread.run.step.*` stream events), in the order
  they happened: a `message_creation` step is a `reply` (the message's text, from message
  objects anywhere: lists, retrieves, `thread.message.*` events), a function `tool_calls`
  step is one `call` per function (name and the recorded `arguments` string, as it was; when a
  `requires_action` run shows the same call id, its arguments win), a `code_interpreter` call
  is `run_code` with the recorded input, a `file_search` call is `search` (the service does not
  show its query: the emulator searches with the user's message);
- the function calls of a `requires_action` that no step shows go where a function step
  with no calls yet stands (a stream shows the step empty until it completes), else at the
  end, in order; without any step, they come first, then the run's assistant messages
  (messages carry `run_id`) as replies: a run whose steps were neither streamed nor listed
  shows no code it ran;
- assistant messages of the run that no step points to are replies at the end;
- a run that ended `failed` ends with `fail: {code, message}` (code `server_error` unless it is
  one the API allows); `incomplete` with `incomplete: {reason, text}` (the incomplete
  message's text).

Each run becomes the turns the emulator plays one after the other: a turn is what the model
does until it waits (for tool outputs, for its code to run, for a search). The turn `n` of a
run whose latest user message was `U` is matched by

    when: {user: "^<re.escape(U)>$", turn: n, tool_outputs: <outputs submitted before>,
           code_ran: <code ran before>}                      # (+ searched: when a run searched)

so at replay the same conversation gets the same calls, code and replies. The latest user
message is followed through the scenario's requests (messages of `threads.create`,
`messages.create`, `thread` of `createThreadAndRun`, `additional_messages`), its text parts
joined by blank lines, as the emulator's scripts see it.

The same user message in two runs with different answers: the turns are told apart, in this
order, by the run's `instructions` (`when.instructions`), by its `tool_choice`
(`when.tool_choice`), then by how many messages the thread held when the model answered
(same kinds of actions only: the texts become `{% if messages|length == N %}...` templates).
When none of these differs (two threads opening with the same message, answered
differently), the replay is a function of what the model sees: the first recorded answer
wins, and the script's `description` says so. Recorded text is made Jinja-literal
(`{{`, `{%`, `{#` become `{{ '{{' }}`, ...), so replies and code come back character for
character.

The scenario's Responses (`POST …/responses`) are replayed the same way, by context: see
`replay_responses.py`.

Limits: code runs for real in the emulator's sandbox, so its outputs (and files) are the
emulator's; citations in replayed text are only annotations where the emulator's own
search finds the cited file; a run whose thread was truncated (`truncation_strategy`) is
told apart by message count as if it were not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripted_models.script import FAIL_CODES, INCOMPLETE_REASONS, Script

from .replay_responses import recorded_mcp_servers, request_models, response_turns

_API_PREFIX = re.compile(r"^/(?:v1|openai|api/projects/[^/]+)(?=/|$)")  # the shapes: OpenAI, Azure, Foundry
_THREADS = re.compile(r"^/threads$")
_THREAD_AND_RUN = re.compile(r"^/threads/runs$")
_MESSAGES = re.compile(r"^/threads/(?P<thread>[^/]+)/messages$")
_MESSAGE = re.compile(r"^/threads/(?P<thread>[^/]+)/messages/(?P<message>[^/]+)$")
_RUNS = re.compile(r"^/threads/(?P<thread>[^/]+)/runs$")
_JINJA_OPEN = re.compile(r"\{[{%#]")


def jinja_literal(text: str) -> str:
    """`text` as a Jinja template that renders to exactly `text`."""
    return _JINJA_OPEN.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)


# --- reading the scenario --------------------------------------------------------------------


@dataclass
class _Run:
    id: str
    obj: dict[str, Any] = field(default_factory=dict)
    #: function calls of each requires_action seen, in order: [{id, name, arguments}]
    required: list[list[dict[str, str]]] = field(default_factory=list)
    call_ids: set[str] = field(default_factory=set)


@dataclass
class _Observed:
    """Every run, step and message any answer of the scenario showed (the latest version of each)."""

    runs: dict[str, _Run] = field(default_factory=dict)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    step_order: list[str] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    message_order: list[str] = field(default_factory=list)

    def see(self, items: list[dict[str, Any]]) -> None:
        """Objects of one answer, oldest first."""
        steps, messages = [], []
        for item in items:
            kind = item.get("object")
            if kind == "thread.run" and isinstance(item.get("id"), str):
                run = self.runs.setdefault(item["id"], _Run(item["id"]))
                run.obj = item
                action = item.get("required_action") or {}
                calls = (action.get("submit_tool_outputs") or {}).get("tool_calls") or []
                group = [{"id": c.get("id", ""), "name": c["function"]["name"], "arguments": c["function"]["arguments"]}
                         for c in calls if c.get("type") == "function" and isinstance(c.get("function"), dict)
                         and c.get("id") not in run.call_ids]  # fmt: skip
                if group:
                    run.required.append(group)
                    run.call_ids.update(c["id"] for c in group)
            elif kind == "thread.run.step" and isinstance(item.get("id"), str):
                self.steps[item["id"]] = item
                steps.append(item["id"])
            elif kind == "thread.message" and isinstance(item.get("id"), str):
                self.messages[item["id"]] = item
                messages.append(item["id"])
        _merge(self.step_order, steps)
        _merge(self.message_order, messages)

    def run_steps(self, run_id: str) -> list[dict[str, Any]]:
        steps = [self.steps[s] for s in self.step_order if self.steps[s].get("run_id") == run_id]
        return sorted(steps, key=lambda s: s.get("created_at") or 0)  # stable: ties keep the observed order

    def run_messages(self, run_id: str) -> list[dict[str, Any]]:
        found = [self.messages[m] for m in self.message_order
                 if self.messages[m].get("run_id") == run_id and self.messages[m].get("role") == "assistant"]  # fmt: skip
        return sorted(found, key=lambda m: m.get("created_at") or 0)


def _merge(order: list[str], seen: list[str]) -> None:
    """Add the ids of `seen` (in the order they happened) to `order`, keeping both orders."""
    seen = list(dict.fromkeys(seen))
    at: int | None = None
    for k, item in enumerate(seen):
        if item in order:
            at = order.index(item)
            continue
        if at is None:
            later = next((order.index(x) for x in seen[k + 1 :] if x in order), None)
            at = later if later is not None else len(order)
        else:
            at += 1
        order.insert(at, item)


def _objects(exchange: dict[str, Any]) -> list[dict[str, Any]]:
    """The API objects of an answer, oldest first (a list's `order`: desc unless asked)."""
    response = exchange.get("response") or {}
    items: list[Any] = []
    body = response.get("body")
    if isinstance(body, dict):
        if body.get("object") == "list" and isinstance(body.get("data"), list):
            query = (exchange.get("request") or {}).get("query") or {}
            items = list(body["data"])
            if str(query.get("order", "desc")) != "asc":
                items.reverse()
        else:
            items = [body]
    for event in response.get("events") or []:
        if isinstance(event, dict) and isinstance(event.get("data"), dict):
            items.append(event["data"])
    return [i for i in items if isinstance(i, dict)]


def _api_path(path: str) -> str:
    return _API_PREFIX.sub("", path.split("?", 1)[0], count=1)


def _request_text(content: Any) -> str:
    """A message's text as the emulator's scripts see it: its text parts joined by blank lines."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, dict) and part.get("type") == "text":
                text = part.get("text")
                texts.append(text.get("value", "") if isinstance(text, dict) else str(text or ""))
        return "\n\n".join(texts)
    return ""


def _message_text(message: dict[str, Any]) -> str:
    return _request_text(message.get("content"))


# --- what each run did -----------------------------------------------------------------------

# An action: ("reply", text) | ("call", name, arguments) | ("code", input) | ("search",)
#            | ("fail", code, message) | ("incomplete", reason, text)
Action = tuple[Any, ...]
WAITS = ("call", "code", "search")  # actions after which the model is asked again


@dataclass
class _Played:
    """A run as it was played: its context and its turns."""

    run_id: str
    user: str
    instructions: str
    tool_choice: str
    messages_at_start: int
    turns: list[list[Action]]
    searched: bool = False


def _run_turns(run: _Run, observed: _Observed, notes: list[str]) -> list[list[Action]]:
    steps = observed.run_steps(run.id)
    arguments = {c["id"]: c for group in run.required for c in group}
    step_calls = {tc.get("id") for s in steps for tc in ((s.get("step_details") or {}).get("tool_calls") or [])}
    # requires_action calls no step shows (a stream's function step is empty until it completes)
    unplaced = [group for group in run.required if not any(c["id"] in step_calls for c in group)]
    messages = observed.run_messages(run.id)
    tools = {t.get("type") for t in run.obj.get("tools") or [] if isinstance(t, dict)}
    if not steps and tools & {"code_interpreter", "file_search"}:
        notes.append(f"run {run.id}: no step of it was recorded, so any code it ran or search it made is not "
                     "replayed (list its steps, or stream it, when recording)")  # fmt: skip
    turns: list[list[Action]] = [[]]
    referenced: set[str] = set()
    for step in steps:
        details = step.get("step_details") or {}
        if details.get("type") == "message_creation":
            message_id = (details.get("message_creation") or {}).get("message_id", "")
            referenced.add(message_id)
            message = observed.messages.get(message_id)
            if message is None:
                # the message was made (its step says so): replayed with an empty text, so the run ends as recorded
                notes.append(f"run {run.id}: the text of message {message_id} was not recorded; replayed empty")
                turns[-1].append(("reply", "", False))
                continue
            turns[-1].append(_reply(message))
            continue
        calls = details.get("tool_calls") or []
        if not calls and unplaced:
            calls = [{"id": c["id"], "type": "function", "function": c} for c in unplaced.pop(0)]
        functions = False
        for call in calls:
            kind = call.get("type")
            if kind == "function":
                recorded = arguments.get(call.get("id")) or {}
                function = call.get("function") or {}
                name = recorded.get("name") or function.get("name", "")
                turns[-1].append(("call", name, recorded.get("arguments", function.get("arguments", "{}"))))
                functions = True
            elif kind == "code_interpreter":
                turns[-1].append(("code", (call.get("code_interpreter") or {}).get("input", "")))
                turns.append([])
            elif kind == "file_search":
                turns[-1].append(("search",))
                turns.append([])
        if functions:
            turns.append([])
    for group in unplaced:  # no step recorded for them: in the order the run asked for them
        turns[-1].extend(("call", c["name"], c["arguments"]) for c in group)
        turns.append([])
    for message in messages:
        if message["id"] not in referenced:
            turns[-1].append(_reply(message))
    status = run.obj.get("status")
    if status == "failed":
        error = run.obj.get("last_error") or {}
        code = error.get("code") if error.get("code") in FAIL_CODES else "server_error"
        turns[-1].append(("fail", code, error.get("message") or "Sorry, something went wrong."))
    elif status == "incomplete":
        reason = (run.obj.get("incomplete_details") or {}).get("reason")
        reason = reason if reason in INCOMPLETE_REASONS else "max_completion_tokens"
        last = turns[-1][-1] if turns[-1] else None
        if last is not None and last[0] == "reply" and last[2]:  # the cut message
            turns[-1][-1] = ("incomplete", reason, last[1])
        else:
            turns[-1].append(("incomplete", reason, ""))
    while turns and not turns[-1]:
        turns.pop()
    return [[a[:2] if a[0] == "reply" else a for a in turn] for turn in turns]


def _said(action: Action) -> str | None:
    """The text of the assistant message an action makes, or None when it makes none."""
    if action[0] == "reply":
        return action[1]
    if action[0] == "incomplete" and action[2]:
        return action[2]
    return None


def _reply(message: dict[str, Any]) -> Action:
    return ("reply", _message_text(message), message.get("status") == "incomplete")


def _choice_name(choice: Any) -> str:
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name") or choice.get("type", "")
    return str(choice or "auto")


def _played_runs(scenario: dict[str, Any], notes: list[str]) -> list[_Played]:
    exchanges = [e for e in scenario.get("exchanges") or [] if isinstance(e, dict)]
    observed = _Observed()
    for exchange in exchanges:
        observed.see(_objects(exchange))
    threads: dict[str, list[tuple[str, str]]] = {}  # thread id -> [(role, text)], oldest first
    message_ids: dict[str, tuple[str, int]] = {}
    played: list[_Played] = []
    for exchange in exchanges:
        request, response = exchange.get("request") or {}, exchange.get("response") or {}
        status = response.get("status", 0)
        if not isinstance(status, int) or not 200 <= status < 300 or str(request.get("method", "")).upper() == "GET":
            continue
        method, path = str(request.get("method")).upper(), _api_path(str(request.get("path", "")))
        body = request.get("body") if isinstance(request.get("body"), dict) else {}
        answer = next(iter(_objects(exchange)), {})
        if method == "POST" and _THREADS.match(path):
            threads[answer.get("id", "")] = [(m.get("role", "user"), _request_text(m.get("content")))
                                             for m in body.get("messages") or [] if isinstance(m, dict)]  # fmt: skip
        elif method == "POST" and (found := _MESSAGES.match(path)):
            thread = threads.setdefault(found["thread"], [])
            thread.append((body.get("role", "user"), _request_text(body.get("content"))))
            message_ids[answer.get("id", "")] = (found["thread"], len(thread) - 1)
        elif method == "DELETE" and (found := _MESSAGE.match(path)) and found["message"] in message_ids:
            thread_id, index = message_ids.pop(found["message"])
            threads.get(thread_id, [])[index:index + 1] = [("deleted", "")]  # fmt: skip
        elif method == "POST" and (_RUNS.match(path) or _THREAD_AND_RUN.match(path)):
            run_object = next((o for o in _objects(exchange) if o.get("object") == "thread.run"), None)
            if run_object is None or run_object.get("id") not in observed.runs:
                continue
            run = observed.runs[run_object["id"]]
            thread_id = run_object.get("thread_id", "")
            if _THREAD_AND_RUN.match(path):
                spec = body.get("thread") if isinstance(body.get("thread"), dict) else {}
                threads[thread_id] = [(m.get("role", "user"), _request_text(m.get("content")))
                                      for m in spec.get("messages") or [] if isinstance(m, dict)]  # fmt: skip
            elif thread_id not in threads:
                threads[thread_id] = _thread_from_lists(observed, thread_id, run_object)
            thread = threads.setdefault(thread_id, [])
            thread.extend((m.get("role", "user"), _request_text(m.get("content")))
                          for m in body.get("additional_messages") or [] if isinstance(m, dict))  # fmt: skip
            alive = [t for t in thread if t[0] != "deleted"]
            user = next((text for role, text in reversed(alive) if role == "user"), "")
            turns = _run_turns(run, observed, notes)
            final = run.obj or run_object
            played.append(_Played(
                run_id=run.id, user=user, instructions=final.get("instructions") or "",
                tool_choice=_choice_name(final.get("tool_choice")), messages_at_start=len(alive), turns=turns,
                searched=any(a[0] == "search" for turn in turns for a in turn)))  # fmt: skip
            thread.extend(("assistant", _said(a)) for turn in turns for a in turn if _said(a) is not None)
    return played


def _thread_from_lists(observed: _Observed, thread_id: str, run: dict[str, Any]) -> list[tuple[str, str]]:
    """A thread made before the recording began: its messages as message lists showed them."""
    created = run.get("created_at") or 0
    found = [observed.messages[m] for m in observed.message_order if observed.messages[m].get("thread_id") == thread_id
             and (observed.messages[m].get("created_at") or 0) <= created
             and observed.messages[m].get("run_id") != run.get("id")]  # fmt: skip
    return [(m.get("role", "user"), _message_text(m)) for m in found]


# --- the script ------------------------------------------------------------------------------


@dataclass
class _Entry:
    played: _Played
    turn: int
    flags: dict[str, bool]
    history: int  # messages the model sees when it answers
    actions: tuple[Action, ...]


def _entries(played: list[_Played]) -> list[_Entry]:
    entries = []
    for run in played:
        flags = {"tool_outputs": False, "code_ran": False, "searched": False}
        history = run.messages_at_start
        for n, actions in enumerate(run.turns, 1):
            entries.append(_Entry(run, n, dict(flags), history, tuple(actions)))
            history += sum(1 for a in actions if _said(a) is not None)
            last = actions[-1][0] if actions else ""
            flags["tool_outputs"] |= last == "call"
            flags["code_ran"] |= last == "code"
            flags["searched"] |= last == "search"
    return entries


def _when(entry: _Entry, searched: bool) -> dict[str, Any]:
    when: dict[str, Any] = {"user": f"^{re.escape(entry.played.user)}$", "turn": entry.turn,
                            "tool_outputs": entry.flags["tool_outputs"], "code_ran": entry.flags["code_ran"]}  # fmt: skip
    if searched:
        when["searched"] = entry.flags["searched"]
    return when


def _do(actions: tuple[Action, ...]) -> list[dict[str, Any]]:
    return [_action(a, literal=True) for a in actions]


def _action(action: Action, *, literal: bool) -> dict[str, Any]:
    text = jinja_literal if literal else (lambda s: s)
    kind = action[0]
    if kind == "reply":
        return {"reply": text(action[1])}
    if kind == "call":
        arguments = action[2] if isinstance(action[2], str) else json.dumps(action[2])
        return {"call": text(action[1]), "arguments": text(arguments)}
    if kind == "code":
        return {"run_code": text(action[1])}
    if kind == "search":
        return {"search": ""}
    if kind == "fail":
        return {"fail": {"code": action[1], "message": text(action[2])}}
    return {"incomplete": {"reason": action[1], "text": text(action[2])}}


def _signature(actions: tuple[Action, ...]) -> tuple[Any, ...]:
    return tuple((a[0], a[1] if a[0] in ("call", "fail", "incomplete") else None) for a in actions)


def _by_history(variants: list[tuple[int, tuple[Action, ...]]]) -> list[dict[str, Any]]:
    """One `do` whose differing strings are chosen by `messages|length` (the first variant otherwise)."""
    merged = []
    for position, template in enumerate(variants[0][1]):
        actions = [(history, _action(acts[position], literal=True)) for history, acts in variants]
        base = actions[0][1]
        kind = template[0]
        if kind == "reply":
            merged.append({"reply": _choose(actions, "reply")})
        elif kind == "call":
            merged.append({"call": base["call"], "arguments": _choose(actions, "arguments")})
        elif kind == "code":
            merged.append({"run_code": _choose(actions, "run_code")})
        elif kind in ("fail", "incomplete"):
            key = "message" if kind == "fail" else "text"
            merged.append({kind: {**base[kind], key: _choose(actions, kind, key)}})
        else:
            merged.append(base)
    return merged


def _choose(actions: list[tuple[int, dict[str, Any]]], key: str, sub: str | None = None) -> str:
    """The string at `key` (`.sub`) of each variant, as one template choosing by the message count."""
    values = [(history, action[key][sub] if sub else action[key]) for history, action in actions]
    if len({value for _, value in values}) == 1:
        return values[0][1]
    text = "".join(
        f"{'{% if' if i == 0 else '{% elif'} messages|length == {history} %}}{value}"
        for i, (history, value) in enumerate(values[1:])
    )
    return text + "{% else %}" + values[0][1] + "{% endif %}"


def scenario_to_script(scenario_or_path: dict[str, Any] | str | Path, name: str) -> dict[str, Any]:
    """A scripted model (the dict format of `scripted_models/script.py`) that replays what the
    model did in a recorded scenario (a fixture file's path, or its parsed mapping)."""
    if isinstance(scenario_or_path, str | Path):
        source_file = str(scenario_or_path)
        scenario = yaml.safe_load(Path(scenario_or_path).read_text(encoding="utf-8"))
    else:
        source_file, scenario = "", scenario_or_path
    if not isinstance(scenario, dict):
        raise ValueError(f"{source_file or 'scenario'}: not a scenario (a mapping with exchanges)")
    notes: list[str] = []
    played = [p for p in _played_runs(scenario, notes) if p.turns]
    searched = any(p.searched for p in played)
    groups: dict[tuple[Any, ...], list[_Entry]] = {}
    for entry in _entries(played):
        key = (entry.played.user, entry.turn, tuple(sorted(entry.flags.items())))
        groups.setdefault(key, []).append(entry)
    turns: list[dict[str, Any]] = []
    for entries in groups.values():
        turns.extend(_group_turns(entries, searched, notes))
    answered, responses = response_turns(scenario, notes)
    turns.extend(answered)
    if not turns:
        raise ValueError(f"{source_file or 'scenario'}: no run or response of the scenario shows what the model did")
    origin = scenario.get("source") or source_file or "a recorded scenario"
    description = f"Replays {len(played)} run(s) and {responses} response(s) of: {origin}"
    if notes:
        description += ". Notes: " + "; ".join(dict.fromkeys(notes))
    return {"name": name, "description": description, "turns": turns}


def _group_turns(entries: list[_Entry], searched: bool, notes: list[str]) -> list[dict[str, Any]]:
    """The script turns of entries sharing (user message, turn number, flags)."""
    distinct = list(dict.fromkeys(e.actions for e in entries))
    when = _when(entries[0], searched)
    if len(distinct) == 1:
        return [{"when": when, "do": _do(distinct[0])}]
    for key, attribute in (("instructions", "instructions"), ("tool_choice", "tool_choice")):
        values: dict[str, set[tuple[Action, ...]]] = {}
        for e in entries:
            values.setdefault(getattr(e.played, attribute), set()).add(e.actions)
        if len(values) > 1 and all(len(v) == 1 for v in values.values()):
            turns = []
            for value, actions in values.items():
                condition = f"^{re.escape(value)}$" if key == "instructions" else value
                turns.append({"when": {**when, key: condition}, "do": _do(next(iter(actions)))})
            return turns
    by_history: dict[int, set[tuple[Action, ...]]] = {}
    for e in entries:
        by_history.setdefault(e.history, set()).add(e.actions)
    if len(by_history) > 1 and all(len(v) == 1 for v in by_history.values()) and \
            len({_signature(a) for a in distinct}) == 1:  # fmt: skip
        variants = [(h, next(iter(a))) for h, a in by_history.items()]
        return [{"when": when, "do": _by_history(variants)}]
    user = entries[0].played.user
    shown = user if len(user) <= 40 else user[:37] + "..."
    notes.append(f"{len(distinct)} different answers to {shown!r} (turn {entries[0].turn}) that nothing the model "
                 f"sees tells apart: run {entries[0].played.run_id}'s is replayed")  # fmt: skip
    return [{"when": when, "do": _do(entries[0].actions)}]


def model_names(scenario: dict[str, Any]) -> set[str]:
    """Every `model` an assistant or run of the scenario shows (answers and stream events)."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("object") in ("assistant", "thread.run") and isinstance(value.get("model"), str):
                found.add(value["model"])
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(scenario)
    return found


class ReplayError(ValueError):
    """A scenario whose runs cannot be replayed as its recorded model (the message says why)."""


def register_replay(emulator: Any, scenario: dict[str, Any], name: str) -> bool:
    """Make `emulator` play the scenario's recorded model under every model name the scenario's
    assistants and runs use. False (nothing registered) when the scenario shows nothing a model
    did (no run, or runs seen only queued, in progress or cancelled: nothing recorded to follow);
    `ReplayError` when it does but no replay can be made of it (the script is not valid, or what
    the model did cannot be read from its runs) or there is no model name to play it under."""
    if not _shows_the_model(scenario) and not response_turns(scenario, [])[0]:
        return False
    try:
        script = Script.from_dict(scenario_to_script(scenario, name), source=name)
    except ValueError as exc:
        raise ReplayError(str(exc)) from None
    models = model_names(scenario) | request_models(scenario)
    if not models:
        raise ReplayError("no assistant or run of the scenario names its model")
    for model in models:
        emulator.models.register(script, name=model)
    for url, server in recorded_mcp_servers(scenario).items():  # the recorded MCP servers, as they answered
        emulator.register_mcp_server(url, server["tools"], server["answers"])
    return True


#: Run statuses reached only after the model answered (a run seen only queued, in progress or
#: cancelled shows nothing the model did).
_ANSWERED = frozenset({"requires_action", "completed", "failed", "incomplete"})


def _shows_the_model(scenario: dict[str, Any]) -> bool:
    """Whether an answer of the scenario shows something a model did in a run: a run in a status
    reached after the model answered, a run step, or an assistant message of a run."""
    exchanges = [e for e in scenario.get("exchanges") or [] if isinstance(e, dict)]
    for item in (item for e in exchanges for item in _objects(e)):
        kind = item.get("object")
        if (kind == "thread.run" and item.get("status") in _ANSWERED) or kind == "thread.run.step":
            return True
        if kind == "thread.message" and item.get("role") == "assistant" and item.get("run_id"):
            return True
    return False


def load_script_from_fixture(path: str | Path, name: str | None = None) -> Script:
    """The replay of a fixture file as a `Script`, ready for `Emulator(models=[...])`;
    named `replay-<file stem>` unless `name` is given."""
    path = Path(path)
    return Script.from_dict(scenario_to_script(path, name or f"replay-{path.stem}"), source=str(path))
