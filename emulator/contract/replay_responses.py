"""What the model did in a recorded scenario's Responses (`POST …/responses`), as script turns.

The Responses half of `replay.scenario_to_script`: every response the scenario shows finished (a JSON
answer, the `response.completed | incomplete | failed` event of a stream, or a later retrieve of a
background response) becomes the turn the emulator plays for the same context:

- its output items in order: a `message` is a `reply` (its `output_text` parts joined), a
  `function_call` a `call` with the recorded `arguments` string as it was; a `reasoning` item with a
  summary is a `think` with the summary's parts (the emulator makes the item, its id and encrypted
  content its own), and a reasoning model's response with no reasoning item (it answered at once) a
  `think: false`; a `file_search_call` is a `search` with its recorded query, which ends the turn (the
  model is asked again, `turn` one more), and each `file_citation` of a later reply puts back, where
  its `index` says, the marker of the emulator's own result from that file (by filename: the
  emulator's search finds its own ids); an `mcp_call` or `mcp_approval_request` of the model is a
  `tool: mcp` action, which ends the turn too (an approved call's item, made for the app's
  `mcp_approval_response`, is not the model's); the recorded server's listing and outputs stand in for
  it (`recorded_mcp_servers`); a `code_interpreter_call` is a `run_code` of its recorded code, and a
  `web_search_call` a `web_search` with its recorded action, each ending the turn too; other hosted
  tools' calls are noted, the
  emulator refusing those tools until they are built;
- an `incomplete` response ends with `incomplete: {reason, text}`, a `failed` one with `fail`;
- the context is followed as the service builds it: the request's `input`, after the items of the
  `previous_response_id` chain (input and output of each response) or of the `conversation` (its
  initial items, those added, and each response's input and output); the turn is matched by
  `when: {api: responses, user: "^<the latest user message>$", turn: n, tool_outputs: n > 1}`, `n`
  counting the rounds of `function_call_output` since that message, as `responses/context.py` shows it
  to the model.

Two responses to the same context with different answers: the first recorded wins (noted).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Output item types of the hosted tools the emulator refuses on Responses until they are built (issue 22).
#: (`mcp_list_tools` is no action: the emulator lists a server's tools itself, before the model is asked.)
HOSTED: tuple[str, ...] = ()
_PREFIX = re.compile(
    r"^/(?:v1|openai(?:/v1)?|api/projects/[^/]+/(?:openai(?:/v1)?|agents/[^/]+/endpoint/protocols/openai))(?=/)"
)
#: `POST …/agents/{name}/versions` of the project shape (a new Foundry agent version: its definition names a model).
_AGENT_VERSIONS = re.compile(r"^/api/projects/[^/]+/agents/[^/]+/versions$")
_TERMINAL = {"response.completed", "response.incomplete", "response.failed"}


def _route(path: str) -> str:
    return _PREFIX.sub("", path)


def _final(answer: dict[str, Any]) -> dict[str, Any] | None:
    """The response object an answer shows finished (or last, when none is)."""
    body = answer.get("body")
    if isinstance(body, dict) and body.get("object") == "response":
        return body
    for event in reversed(answer.get("events") or []):
        data = event.get("data")
        if isinstance(data, dict) and data.get("type") in _TERMINAL and isinstance(data.get("response"), dict):
            return data["response"]
    return None


def _items(value: Any) -> list[dict[str, Any]]:
    """A request's `input` (or a conversation's `items`) as items."""
    if isinstance(value, str):
        return [{"type": "message", "role": "user", "content": value}]
    return [item for item in value or [] if isinstance(item, dict)]


def _text(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    kinds = ("input_text", "output_text", "text")
    return "\n\n".join(p.get("text", "") for p in content or [] if isinstance(p, dict) and p.get("type") in kinds)


def _is_message(item: dict[str, Any]) -> bool:
    return item.get("type", "message") == "message" and "role" in item


def _context(items: list[dict[str, Any]]) -> tuple[str, int]:
    """The latest user message's text and the rounds of function outputs after it."""
    last = max((n for n, i in enumerate(items) if _is_message(i) and i.get("role") == "user"), default=-1)
    user = _text(items[last]) if last >= 0 else ""
    rounds, in_outputs = 0, False
    for item in items[last + 1 :]:
        output = item.get("type") == "function_call_output"
        rounds += output and not in_outputs
        in_outputs = output
    return user, rounds


def _actions(response: dict[str, Any], notes: list[str]) -> list[dict[str, Any]]:
    from .replay import jinja_literal

    actions: list[dict[str, Any]] = []
    output = [item for item in response.get("output") or [] if isinstance(item, dict)]
    thoughts = [item for item in output if item.get("type") == "reasoning"]
    effort = (response.get("reasoning") or {}).get("effort") if isinstance(response.get("reasoning"), dict) else None
    if thoughts and thoughts[0].get("summary"):
        parts = [p.get("text", "") for p in thoughts[0]["summary"] if isinstance(p, dict)]
        actions.append({"think": [jinja_literal(part) for part in parts]})
    elif not thoughts and effort not in (None, "none") and output:
        actions.append({"think": False})
    for item in output:
        kind = item.get("type")
        if kind == "message":
            parts = [p for p in item.get("content") or [] if isinstance(p, dict)]
            text = "".join(p.get("text", "") for p in parts if p.get("type") == "output_text")
            if any(p.get("type") == "refusal" for p in parts):
                notes.append(f"response {response.get('id')} refused: scripts have no refusal action yet")
            if text or not parts:
                actions.append({"reply": _cited(text, parts, jinja_literal)})
        elif kind == "function_call":
            arguments = item.get("arguments")
            arguments = arguments if isinstance(arguments, str) else json.dumps(arguments)
            actions.append({"call": jinja_literal(item.get("name", "")), "arguments": jinja_literal(arguments)})
        elif kind == "file_search_call":
            queries = [q for q in item.get("queries") or [] if isinstance(q, str)]
            literal = [jinja_literal(q) for q in queries]
            actions.append({"search": (literal[0] if len(literal) == 1 else literal) if literal else ""})
        elif kind in ("mcp_call", "mcp_approval_request") and not item.get("approval_request_id"):
            # (an approved call's item is the app's doing, not the model's)
            actions.append(_mcp_action(item, jinja_literal))
        elif kind == "code_interpreter_call":
            actions.append({"run_code": jinja_literal(item.get("code") or "")})
        elif kind == "web_search_call":
            actions.append({"web_search": _web_action(item.get("action") or {}, jinja_literal)})
        elif kind in HOSTED:
            notes.append(f"response {response.get('id')} used the hosted tool {kind}: not replayed (issue 22)")
    status = response.get("status")
    if status == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason") or "max_output_tokens"
        last = actions.pop()["reply"] if actions and "reply" in actions[-1] else ""
        actions.append({"incomplete": {"reason": reason, "text": last}})
    elif status == "failed":
        error = response.get("error") or {}
        actions.append({"fail": {"code": error.get("code") or "server_error", "message": error.get("message", "")}})
    return actions


def _mcp_action(item: dict[str, Any], literal: Any) -> dict[str, Any]:
    """An MCP call of the model (made, or waiting for approval) as a script's `tool: mcp` action."""
    arguments = item.get("arguments")
    arguments = arguments if isinstance(arguments, str) and arguments.strip() else "{}"
    return {"tool": "mcp", "server_label": literal(str(item.get("server_label") or "")),
            "name": literal(str(item.get("name") or "")), "arguments": literal(arguments)}  # fmt: skip


def recorded_mcp_servers(scenario: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """What each MCP server of the scenario's responses answered (by the url the requests named): the
    tools its `mcp_list_tools` items show, in `tools/list`'s shape, and each `mcp_call`'s output with its
    arguments; for `Emulator.register_mcp_server`, which stands in for the recorded (remote) server."""
    servers: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for exchange in scenario.get("exchanges") or []:
        request, answer = (exchange.get("request") or {}, exchange.get("response") or {}) if isinstance(
            exchange, dict) else ({}, {})  # fmt: skip
        body = request.get("body")
        if _route(request.get("path", "")) != "/responses" or not isinstance(body, dict):
            continue
        urls = {t.get("server_label"): t.get("server_url") for t in body.get("tools") or []
                if isinstance(t, dict) and t.get("type") == "mcp" and isinstance(t.get("server_url"), str)}  # fmt: skip
        response = _final(answer) or {}
        for item in response.get("output") or []:
            url = urls.get(item.get("server_label")) if isinstance(item, dict) else None
            if url is None:
                continue
            server = servers.setdefault(url, {"tools": [], "answers": []})
            if item.get("type") == "mcp_list_tools" and not server["tools"]:
                server["tools"] = [{"name": t.get("name"), "description": t.get("description"),
                                    "inputSchema": t.get("input_schema") or {"type": "object"},
                                    "annotations": {"readOnlyHint": bool((t.get("annotations") or {}).get("read_only"))}}
                                   for t in item.get("tools") or [] if isinstance(t, dict)]  # fmt: skip
            elif item.get("type") == "mcp_call" and isinstance(item.get("output"), str):
                try:
                    arguments = json.loads(item.get("arguments") or "{}")
                except ValueError:
                    continue
                server["answers"].append({"name": item.get("name"), "arguments": arguments, "output": item["output"]})
    return servers


def _web_action(action: dict[str, Any], literal: Any) -> Any:
    """A recorded web search's action as the script's `web_search:` (no results: the recording has none to show)."""
    if action.get("type") == "open_page":
        return {"open_page": literal(str(action.get("url") or ""))}
    if action.get("type") == "find_in_page":
        return {"find": literal(str(action.get("pattern") or "")), "url": literal(str(action.get("url") or ""))}
    return literal(str(action.get("query") or ""))


def _cited(text: str, parts: list[dict[str, Any]], literal: Any) -> str:
    """The reply's text as a template, with the marker of each `file_citation` back where it stood."""
    marks = sorted((a["index"], a.get("filename", "")) for p in parts for a in p.get("annotations") or []
                   if isinstance(a, dict) and a.get("type") == "file_citation" and isinstance(a.get("index"), int))  # fmt: skip
    pieces, at = [], 0
    for index, filename in marks:
        pieces.append(literal(text[at:index]))
        pieces.append(f"{{% for r in results if r.filename == {json.dumps(filename)} %}}{{% if loop.first %}}"
                      "{{ r.cite }}{% endif %}{% endfor %}")  # fmt: skip
        at = max(at, index)
    pieces.append(literal(text[at:]))
    return "".join(pieces)


def _turns(actions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A response's actions as the model's turns: a search or a cell ends one (the model is asked again)."""
    turns: list[list[dict[str, Any]]] = [[]]
    for action in actions:
        turns[-1].append(action)
        if "search" in action or "run_code" in action or "web_search" in action or action.get("tool") == "mcp":
            turns.append([])
    return [turn for turn in turns if turn]


def response_turns(scenario: dict[str, Any], notes: list[str]) -> tuple[list[dict[str, Any]], int]:
    """The script turns replaying the scenario's responses, and how many responses they come from."""
    exchanges = [e for e in scenario.get("exchanges") or [] if isinstance(e, dict)]
    chains: dict[str, list[dict[str, Any]]] = {}  # response id -> its context, input and output
    conversations: dict[str, list[dict[str, Any]]] = {}
    pending: dict[str, tuple[str, int]] = {}  # background response id -> its (user, rounds), until seen finished
    played: dict[tuple[str, int], list[dict[str, Any]]] = {}
    count = 0

    def play(key: tuple[str, int], response: dict[str, Any]) -> None:
        nonlocal count
        if response.get("status") not in ("completed", "incomplete", "failed"):
            pending[response.get("id", "")] = key
            return
        actions = _actions(response, notes)
        if not actions:
            return
        count += 1
        if key in played and played[key] != actions:
            notes.append(f"two answers to {key[0][:40]!r} (turn {key[1] + 1}): the first recorded is replayed")
        played.setdefault(key, actions)

    for exchange in exchanges:
        request, answer = exchange.get("request") or {}, exchange.get("response") or {}
        route, body = _route(request.get("path", "")), request.get("body")
        if answer.get("status") != 200:
            continue
        if request.get("method") == "POST" and route == "/conversations" and isinstance(body, dict):
            created = answer.get("body") or {}
            conversations[created.get("id", "")] = _items(body.get("items"))
        elif request.get("method") == "POST" and re.fullmatch(r"/conversations/[^/]+/items", route):
            conversations.setdefault(route.split("/")[2], []).extend(_items((body or {}).get("items")))
        elif request.get("method") == "POST" and route == "/responses" and isinstance(body, dict):
            response = _final(answer)
            if response is None:
                continue
            conversation = body.get("conversation")
            conversation = conversation.get("id") if isinstance(conversation, dict) else conversation
            before = (
                conversations.get(conversation, [])
                if conversation
                else chains.get(body.get("previous_response_id"), [])
            )
            context = before + _items(body.get("input"))
            key = _context(context)
            play(key, response)
            done = context + list(response.get("output") or [])
            chains[response.get("id", "")] = done
            if conversation:
                conversations[conversation] = done
        elif request.get("method") == "GET" and re.fullmatch(r"/responses/[^/]+", route):
            response = _final(answer)
            rid = route.split("/")[2]
            if (
                response is not None
                and rid in pending
                and response.get("status") in ("completed", "incomplete", "failed")
            ):
                play(pending.pop(rid), response)
                chains[rid] = chains.get(rid, []) + list(response.get("output") or [])
    turns = [
        {"when": {"api": "responses", "user": f"^{re.escape(user)}$", "turn": rounds + 1 + n,
                  "tool_outputs": rounds > 0}, "do": turn}
        for (user, rounds), actions in played.items()
        for n, turn in enumerate(_turns(actions))
    ]  # fmt: skip
    return turns, count


def request_models(scenario: dict[str, Any]) -> set[str]:
    """The `model` every `POST …/responses` of the scenario asks for (what the emulator's responses name), and the
    model of every Foundry agent version it creates (a response that names the agent runs that model)."""
    found = set()
    for exchange in scenario.get("exchanges") or []:
        request = exchange.get("request") or {} if isinstance(exchange, dict) else {}
        body = request.get("body")
        if not isinstance(body, dict):
            continue
        if _route(request.get("path", "")) == "/responses" and isinstance(body.get("model"), str):
            found.add(body["model"])
        elif request.get("method") == "POST" and _AGENT_VERSIONS.match(request.get("path", "")):
            definition = body.get("definition")
            if isinstance(definition, dict) and isinstance(definition.get("model"), str):
                found.add(definition["model"])
    return found
