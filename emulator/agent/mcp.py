"""MCP in the agent-loop core: whether a call waits for the app's approval, and the call itself.

Whether the app must approve a call comes from the tool's `require_approval`: "always" (also
when absent, as Foundry documents), "never", or per tool: `{"never": {"tool_names": [...]},
"always": {...}}` (a bare list of names is taken too, as the service's docs write it).

The call uses MCP's streamable HTTP transport (JSON-RPC 2.0 over POST): `initialize`,
`notifications/initialized`, then `tools/call` (or `tools/list`, for `list_tools`); an answer may be JSON or an event stream; the
`Mcp-Session-Id` the server gives is sent back, and the given headers go with every request.
Only servers on loopback are called (127.0.0.0/8, ::1, localhost; no proxy, no redirect). The
output is the text content of the result; a JSON-RPC error, an `isError` result or a transport
problem is a `McpFailure` (the run fails saying why; a response's `mcp_call` shows its `error`:
`{"type": "mcp_tool_execution_error", "content"}`, `{"type": "mcp_protocol_error", "code",
"message"}` or `{"type": "http_error", "code", "message"}`, as openai-python's McpToolCallError).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 10.0
PROTOCOL_VERSION = "2025-06-18"
CLIENT_INFO = {"name": "assistants-emulator", "version": "1"}
#: Headers the transport sets itself (an app's headers do not replace them).
OWN_HEADERS = frozenset({"content-type", "accept", "mcp-session-id", "mcp-protocol-version", "content-length", "host"})


class McpFailure(Exception):
    """Why the server gave no output (said in the run's last_error; `error` as a Responses mcp_call shows it)."""

    def __init__(self, message: str, error: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.error = error or {"type": "http_error", "code": 0, "message": message}


def needs_approval(setting: Any, name: str) -> bool:
    if setting == "never":
        return False
    if isinstance(setting, dict):
        lists = {}
        for key in ("never", "always"):
            value = setting.get(key)
            names = value.get("tool_names") if isinstance(value, dict) else value
            lists[key] = names if isinstance(names, list) else []
        if name in lists["always"]:
            return True
        return name not in lists["never"]
    return True  # "always", or nothing said


def loopback_problem(url: str) -> str | None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if parts.scheme not in ("http", "https") or not local:
        return f"it is at {url!r}; the emulator calls only MCP servers on loopback (127.0.0.0/8, ::1, localhost)"
    return None


# --- the streamable HTTP transport --------------------------------------------------------


def call_tool(url: str, headers: dict[str, str], name: str, arguments: dict[str, Any]) -> str:
    """The text of the tool `name`'s result (raises McpFailure). Called with the emulator's lock let go."""
    result = _exchange(url, headers, "tools/call", {"name": name, "arguments": arguments})
    if not isinstance(result, dict):
        raise McpFailure(f"tools/call answered a result that is not an object: {result!r}"[:300])
    text = _text(result)
    if result.get("isError"):
        raise McpFailure(f"the tool '{name}' answered an error: {text or '(no text)'}",
                         {"type": "mcp_tool_execution_error", "content": result.get("content") or []})  # fmt: skip
    return text


def list_tools(url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The server's tools as `tools/list` gives them (`name`, `description`, `inputSchema`,
    `annotations`), every page of them (raises McpFailure)."""
    found: list[dict[str, Any]] = []
    cursor = None
    for _page in range(50):
        result = _exchange(url, headers, "tools/list", {"cursor": cursor} if cursor else {})
        if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
            raise McpFailure(f"tools/list answered no list of tools: {result!r}"[:300])
        found += [t for t in result["tools"] if isinstance(t, dict) and isinstance(t.get("name"), str)]
        cursor = result.get("nextCursor")
        if not isinstance(cursor, str) or not cursor:
            break
    return found


def _exchange(url: str, headers: dict[str, str], method: str, params: dict[str, Any]) -> Any:
    """One request of a fresh session (initialize, initialized, the request, then the session ended)."""
    session = _Session(url, headers)
    try:
        init = session.request("initialize", {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                                              "clientInfo": CLIENT_INFO})  # fmt: skip
        version = init.get("protocolVersion") if isinstance(init, dict) else None
        session.version = version if isinstance(version, str) else PROTOCOL_VERSION
        session.notify("notifications/initialized")
        return session.request(method, params)
    finally:
        session.close()


def _text(result: dict[str, Any]) -> str:
    parts = []
    for item in result.get("content") or []:
        if isinstance(item, dict) and item.get("type") == "text" and isinstance(item.get("text"), str):
            parts.append(item["text"])
        elif isinstance(item, dict) and item.get("type") == "resource":
            text = (item.get("resource") or {}).get("text")
            if isinstance(text, str):
                parts.append(text)
    if not parts and "structuredContent" in result:
        return json.dumps(result["structuredContent"])
    return "\n".join(parts)


class _Session:
    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname or "", parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.headers = {k: str(v) for k, v in headers.items() if k.lower() not in OWN_HEADERS}
        self.session_id: str | None = None
        self.version: str | None = None
        self.next_id = 0

    def _post(self, message: dict[str, Any], method: str = "POST") -> tuple[int, str, str]:
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=TIMEOUT)
        headers = {**self.headers, "Accept": "application/json, text/event-stream"}
        if message:
            headers["Content-Type"] = "application/json"
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
        if self.version:
            headers["MCP-Protocol-Version"] = self.version
        try:
            body = json.dumps(message).encode() if message else None
            connection.request(method, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            session = answer.getheader("Mcp-Session-Id")
            if session and self.session_id is None:
                self.session_id = session
            return answer.status, answer.getheader("Content-Type") or "", text
        except (OSError, http.client.HTTPException) as exc:
            raise McpFailure(f"{message.get('method', method)}: {type(exc).__name__}: {exc}") from None
        finally:
            connection.close()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        status, kind, text = self._post({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        if status != 200:
            raise McpFailure(f"{method}: HTTP {status}: {text[:200]}",
                             {"type": "http_error", "code": status, "message": text[:200]})  # fmt: skip
        reply = _find_reply(kind, text, self.next_id)
        if reply is None:
            raise McpFailure(f"{method}: the server's answer has no JSON-RPC response with id {self.next_id}")
        error = reply.get("error")
        if error is not None:
            detail = error.get("message") if isinstance(error, dict) else error
            code = f" (code {error.get('code')})" if isinstance(error, dict) and "code" in error else ""
            number = error.get("code") if isinstance(error, dict) and isinstance(error.get("code"), int) else 0
            raise McpFailure(f"{method} failed: {detail}{code}",
                             {"type": "mcp_protocol_error", "code": number, "message": str(detail)})  # fmt: skip
        return reply.get("result")

    def notify(self, method: str) -> None:
        status, _kind, text = self._post({"jsonrpc": "2.0", "method": method})
        if status not in (200, 202, 204):
            raise McpFailure(f"{method}: HTTP {status}: {text[:200]}")

    def close(self) -> None:
        """End the session, as the transport asks (what the server answers does not matter)."""
        if self.session_id:
            try:
                self._post({}, method="DELETE")
            except McpFailure:
                pass


def _find_reply(kind: str, text: str, wanted: int) -> dict[str, Any] | None:
    """The JSON-RPC response with id `wanted`, in a JSON answer (one message or a batch) or
    in an event stream (each event's `data:` lines are one message)."""
    if kind.split(";")[0].strip().lower() == "text/event-stream":
        messages = []
        for event in text.replace("\r\n", "\n").split("\n\n"):
            data = "\n".join(line[5:].lstrip(" ") for line in event.split("\n") if line.startswith("data:"))
            if data:
                try:
                    messages.append(json.loads(data))
                except ValueError:
                    continue
    else:
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        messages = parsed if isinstance(parsed, list) else [parsed]
    for message in messages:
        if isinstance(message, dict) and message.get("id") == wanted and ("result" in message or "error" in message):
            return message
    return None


# --- stand-ins ----------------------------------------------------------------------------


class StandIn:
    """What the emulator answers in place of the MCP server at a url it must not reach
    (`Emulator.register_mcp_server`): the tools it lists (as `tools/list` gives them: `name`,
    `description`, `inputSchema`, `annotations`) and each call's output (the first of `answers`,
    `{"name", "output"}` with `"arguments"` when they must match too, that fits the call)."""

    def __init__(self, tools: list[dict[str, Any]], answers: list[dict[str, Any]]) -> None:
        self.tools = [dict(t) for t in tools]
        self.answers = [dict(a) for a in answers]

    def list_tools(self) -> list[dict[str, Any]]:
        return [dict(t) for t in self.tools]

    def call_tool(self, name: str, arguments: dict[str, Any]) -> str:
        for answer in self.answers:
            if answer.get("name") == name and answer.get("arguments", arguments) == arguments:
                output = answer.get("output", "")
                return output if isinstance(output, str) else json.dumps(output)
        raise McpFailure(f"tools/call failed: the stand-in has no answer for '{name}' with {json.dumps(arguments)}",
                         {"type": "mcp_protocol_error", "code": -32602, "message": f"Unknown tool call: {name}"})  # fmt: skip
