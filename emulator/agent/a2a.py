"""A client of Agent2Agent (A2A) agents on loopback: what Foundry's `a2a` / `a2a_preview` tool does with a remote
agent (azure-ai-projects 2.10 `A2ATool`: `base_url`, `agent_card_path` defaulting to `/.well-known/agent-card.json`,
`a2a_version` "1.0"), played for real when that agent runs on this machine.

The protocol (the A2A specification, a2aproject/A2A `docs/specification.md` and `docs/whats-new-v1.md`): the agent card
is read at `base_url + agent_card_path`; a v1.0 card names its JSON-RPC endpoint in `supportedInterfaces[]`
(`protocolBinding` "JSONRPC", `url`, `protocolVersion`), a v0.3 card in its top-level `url`. The message is sent with
JSON-RPC 2.0 over HTTP POST: v1.0 `SendMessage` with the `A2A-Version: 1.0` header, a message `{messageId, role:
"ROLE_USER", parts: [{text}]}` and `configuration.blocking` true, answered by a `task` or a `message`; v0.3
`message/send` with `{kind: "message", messageId, role: "user", parts: [{kind: "text", text}]}`, answered by a Task or a
Message (told apart by `kind`). The reply's text is the message's text parts, or the task's artifacts' (else its status
message's); a task that did not complete, or a JSON-RPC error, is a failure.

Only servers on 127.0.0.1, ::1 or localhost are called (no proxy, no redirect); nothing here raises for what the app
gave.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from .foundry_tools import OPENAPI_TIMEOUT, listed, loopback, loopback_opener, mapping

CARD_PATH = "/.well-known/agent-card.json"
DONE_STATES = ("completed", "TASK_STATE_COMPLETED")


@dataclass(frozen=True)
class Reply:
    """The remote agent's name (its card's) and what it answered."""

    name: str
    text: str


def send(base_url: str, card_path: str | None, text: str, message_id: str) -> Reply | Exception:
    """Send `text` to the A2A agent at `base_url`: its reply, or the problem."""
    card_url = base_url.rstrip("/") + "/" + (card_path or CARD_PATH).lstrip("/")
    try:
        card = _get(card_url)
        url, version = _endpoint(card, card_url)
        if version.startswith("0."):
            body = {"jsonrpc": "2.0", "id": message_id, "method": "message/send", "params": {"message": {
                "kind": "message", "messageId": message_id, "role": "user",
                "parts": [{"kind": "text", "text": text}]}}}  # fmt: skip
            headers = {}
        else:
            body = {"jsonrpc": "2.0", "id": message_id, "method": "SendMessage", "params": {
                "message": {"messageId": message_id, "role": "ROLE_USER", "parts": [{"text": text}]},
                "configuration": {"blocking": True}}}  # fmt: skip
            headers = {"A2A-Version": "1.0"}
        answer = _post(url, body, headers)
    except (OSError, ValueError) as exc:
        return exc
    if "error" in answer:
        error = mapping(answer.get("error"))
        return ValueError(f"the agent answered error {error.get('code')}: {error.get('message')}")
    return _reply(str(card.get("name") or ""), mapping(answer.get("result")))


def _endpoint(card: dict[str, Any], card_url: str) -> tuple[str, str]:
    """The JSON-RPC url and the protocol version a card offers."""
    for interface in map(mapping, listed(card.get("supportedInterfaces"))):  # v1.0
        if interface.get("protocolBinding") == "JSONRPC" and isinstance(interface.get("url"), str):
            return loopback(urljoin(card_url, interface["url"])), str(interface.get("protocolVersion") or "1.0")
    if isinstance(card.get("url"), str):  # v0.3
        return loopback(urljoin(card_url, card["url"])), str(card.get("protocolVersion") or "0.3")
    raise ValueError("its agent card names no JSON-RPC endpoint")


def _reply(name: str, result: dict[str, Any]) -> Reply | Exception:
    message = result.get("message") or result.get("msg")
    task = result.get("task")
    if message is None and task is None:  # v0.3: the result is the Message or the Task itself
        message, task = (result, None) if result.get("kind") == "message" else (None, result)
    if isinstance(message, dict):
        return Reply(name, _text(message.get("parts")))
    task = mapping(task)
    status = mapping(task.get("status"))
    said = _text(mapping(status.get("message")).get("parts"))
    if status.get("state") not in DONE_STATES:
        return ValueError(f"its task ended {status.get('state')}" + (f": {said}" if said else ""))
    texts = [_text(mapping(a).get("parts")) for a in listed(task.get("artifacts"))]
    return Reply(name, "\n\n".join(t for t in texts if t) or said)


def _text(parts: Any) -> str:
    return "\n".join(p["text"] for p in listed(parts) if isinstance(p, dict) and isinstance(p.get("text"), str))


def _open(request: urllib.request.Request) -> dict[str, Any]:
    try:
        with loopback_opener().open(request, timeout=OPENAPI_TIMEOUT) as answer:
            data = json.loads(answer.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        raise ValueError(f"{request.full_url} answered HTTP {exc.code}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{request.full_url} answered no JSON object")
    return data


def _get(url: str) -> dict[str, Any]:
    return _open(urllib.request.Request(loopback(url), headers={"Accept": "application/json"}))


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              **headers})  # fmt: skip
    return _open(request)
