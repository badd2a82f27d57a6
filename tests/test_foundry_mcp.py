"""MCP tools with tool approvals on Foundry's shape (issue 12), against a tiny MCP server on
127.0.0.1 (streamable HTTP: JSON-RPC 2.0 over POST, answered as JSON or as an event stream).

The wire shapes are those of azure-ai-agents 1.2.0b6 (`azure/ai/agents/models/_models.py`):
`MCPToolDefinition` (type, server_label, server_url, allowed_tools), `MCPToolResource`
(server_label, headers, require_approval: "never" | "always" | `MCPApprovalPerTool`),
`SubmitToolApprovalAction` (`submit_tool_approval.tool_calls` of `RequiredMcpToolCall`: id,
type "mcp", name, arguments, server_label), `ToolApproval` (tool_call_id, approve, headers),
`RunStepMcpToolCall` (id, type "mcp", name, arguments, output, server_label) and
`RunStepDeltaMcpToolCall` (id, type, index, arguments). The beta's
`RunsOperations.submit_tool_outputs(..., tool_approvals=[...])` (`operations/_operations.py`)
posts `{"tool_approvals": [...], "stream": false}` to `/threads/{id}/runs/{id}/submit_tool_outputs`.
The suite's SDK is the 1.1.0 GA, which has none of these: the approval goes through its
`send_request`, as the beta would send it; the rest through the GA client, whose models keep
what they do not know.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import side_envs
from conftest import LoopbackHandler, error_of, local_server, needed

needed("azure.ai.agents")

from azure.ai.agents.models import MessageRole, RunStatus  # noqa: E402
from azure.core.rest import HttpRequest  # noqa: E402

from emulator.contract.sse import parse_sse  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BASE = "/api/projects/my-project"
V1 = {"api-version": "v1"}
TOKEN = {"Authorization": "Bearer an-entra-token", "Accept": "application/json"}

SCRIPT = {
    "name": "mcp-bot",
    "turns": [
        {
            "when": {"tool_used": True},
            "do": [{"reply": "{% if last_tool.denied %}Not allowed.{% else %}The server said: "
                             "{{ last_tool.output }}{% endif %}"}],
        },
        {
            "when": {"user": "(?i)weather in (?P<city>\\w+)"},
            "do": [{"tool": "mcp", "server_label": "weather", "name": "get_weather",
                    "arguments": {"city": "{{ match.city }}"}}],
        },
        {"when": {"user": "(?i)break"}, "do": [{"tool": "mcp", "name": "broken", "arguments": {}}]},
        {"when": {"user": "(?i)fail"}, "do": [{"tool": "mcp", "name": "failing", "arguments": {}}]},
        {"do": [{"reply": "Ask me about the weather."}]},
    ],
}  # fmt: skip


class McpHandler(LoopbackHandler):
    """An MCP server's streamable HTTP endpoint at /mcp: every request is recorded."""

    seen: list[dict] = []
    event_stream = False  # answer requests as text/event-stream

    def do_POST(self) -> None:  # noqa: N802
        message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        McpHandler.seen.append({"path": self.path, "message": message, "headers": dict(self.headers.items())})
        method = message.get("method")
        if "id" not in message:  # a notification
            return self.answer(202)
        if method == "initialize":
            result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                      "serverInfo": {"name": "weather", "version": "1"}}  # fmt: skip
        elif method == "tools/list":
            result = {"tools": [{"name": "get_weather", "inputSchema": {"type": "object"}}]}
        elif method == "tools/call" and message["params"]["name"] == "get_weather":
            city = message["params"]["arguments"]["city"]
            result = {"content": [{"type": "text", "text": f"{city}: 7 degrees"}, {"type": "text", "text": "(mild)"}]}
        elif method == "tools/call" and message["params"]["name"] == "failing":
            result = {"content": [{"type": "text", "text": "the weather service is down"}], "isError": True}
        else:
            return self._answer({"jsonrpc": "2.0", "id": message["id"],
                                 "error": {"code": -32602, "message": "Unknown tool: broken"}})  # fmt: skip
        self._answer({"jsonrpc": "2.0", "id": message["id"], "result": result}, session=method == "initialize")

    def do_DELETE(self) -> None:  # noqa: N802
        McpHandler.seen.append({"path": self.path, "message": "DELETE", "headers": dict(self.headers.items())})
        self.answer(200)

    def _answer(self, message: dict, *, session: bool = False) -> None:
        if McpHandler.event_stream:
            body = f"event: message\ndata: {json.dumps(message)}\n\n".encode()
            kind = "text/event-stream"
        else:
            body, kind = json.dumps(message).encode(), "application/json"
        self.answer(200, body, kind, {"Mcp-Session-Id": "session-42"} if session else None)


@pytest.fixture
def mcp_server():
    McpHandler.seen, McpHandler.event_stream = [], False
    with local_server(McpHandler) as url:
        yield f"{url}/mcp"


def mcp_tool(url: str, **extra) -> dict:
    return {"type": "mcp", "server_label": "weather", "server_url": url, **extra}


def start(client, url: str, text: str, *, require_approval=None, headers=None, model="mcp-bot", **tool):
    """An agent with the MCP tool, a thread with `text`, and its run polled until it rests."""
    agent = client.create_agent(model=model, tools=[mcp_tool(url, **tool)])
    thread = client.threads.create()
    client.messages.create(thread_id=thread.id, role="user", content=text)
    resource: dict = {"server_label": "weather", "headers": headers or {}}
    if require_approval is not None:
        resource["require_approval"] = require_approval
    run = client.runs.create(thread_id=thread.id, agent_id=agent.id, tool_resources={"mcp": [resource]})
    return thread, rest(client, thread.id, run.id)


def rest(client, thread_id: str, run_id: str):
    for _ in range(50):
        run = client.runs.get(thread_id=thread_id, run_id=run_id)
        if run.status not in (RunStatus.QUEUED, RunStatus.IN_PROGRESS, RunStatus.CANCELLING):
            return run
    raise AssertionError(f"run {run_id} did not rest: {run.status}")


def approve(client, thread_id: str, run_id: str, approvals: list, **body):
    """What the 1.2 betas' `runs.submit_tool_outputs(thread_id, run_id, tool_approvals=[...])` sends."""
    request = HttpRequest("POST", f"/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", params=V1,
                          json={"tool_approvals": approvals, "stream": False, **body})  # fmt: skip
    return client.send_request(request)


def calls(method: str) -> list[dict]:
    return [s for s in McpHandler.seen if isinstance(s["message"], dict) and s["message"].get("method") == method]


@pytest.mark.emulator(models=[SCRIPT])
def test_approval_required_then_approved_calls_the_server(agents_client, mcp_server) -> None:
    thread, run = start(agents_client, mcp_server, "What is the weather in Oslo?", headers={"X-Api-Key": "k1"})
    assert run.status == RunStatus.REQUIRES_ACTION
    action = run.as_dict()["required_action"]
    pending = action["submit_tool_approval"]["tool_calls"]
    assert action["type"] == "submit_tool_approval" and set(action) == {"type", "submit_tool_approval"}
    assert [{k: v for k, v in c.items() if k != "id"} for c in pending] == [
        {"type": "mcp", "name": "get_weather", "arguments": '{"city": "Oslo"}', "server_label": "weather"}
    ]
    assert McpHandler.seen == []  # nothing is sent before the approval
    step = next(iter(agents_client.run_steps.list(thread_id=thread.id, run_id=run.id)))
    assert step.status == "in_progress"
    assert step.step_details.as_dict()["tool_calls"] == [{**pending[0], "output": None}]

    answer = approve(agents_client, thread.id, run.id,
                     [{"tool_call_id": pending[0]["id"], "approve": True, "headers": {"Authorization": "Bearer t"}}])  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    run = rest(agents_client, thread.id, run.id)
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert [s["message"] if s["message"] == "DELETE" else s["message"]["method"] for s in McpHandler.seen] == [
        "initialize", "notifications/initialized", "tools/call", "DELETE"]  # fmt: skip
    (sent,) = calls("tools/call")
    assert sent["message"]["params"] == {"name": "get_weather", "arguments": {"city": "Oslo"}}
    assert sent["message"]["jsonrpc"] == "2.0"
    # the resource's headers, the approval's, the session the server gave, the protocol version
    assert sent["headers"]["X-Api-Key"] == "k1" and sent["headers"]["Authorization"] == "Bearer t"
    assert sent["headers"]["Mcp-Session-Id"] == "session-42"
    assert sent["headers"]["MCP-Protocol-Version"] == "2025-06-18"
    assert "text/event-stream" in sent["headers"]["Accept"]
    assert "Mcp-Session-Id" not in calls("initialize")[0]["headers"]
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == "The server said: Oslo: 7 degrees\n(mild)"
    step = agents_client.run_steps.get(thread_id=thread.id, run_id=run.id, step_id=step.id)
    assert step.status == "completed" and step.usage is not None
    assert step.step_details.as_dict()["tool_calls"][0]["output"] == "Oslo: 7 degrees\n(mild)"


@pytest.mark.emulator(models=[SCRIPT])
def test_a_denied_call_is_not_made_and_the_model_hears_it(agents_client, mcp_server) -> None:
    thread, run = start(agents_client, mcp_server, "weather in Bergen", require_approval="always")
    call_id = run.as_dict()["required_action"]["submit_tool_approval"]["tool_calls"][0]["id"]
    assert approve(agents_client, thread.id, run.id, [{"tool_call_id": call_id, "approve": False}]).status_code == 200
    run = rest(agents_client, thread.id, run.id)
    assert run.status == RunStatus.COMPLETED and McpHandler.seen == []
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == "Not allowed."
    step = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    assert step.status == "completed"
    assert step.step_details.as_dict()["tool_calls"][0]["output"] == (
        "The call of the MCP tool 'get_weather' on server 'weather' was not approved, so it was not made.")  # fmt: skip


@pytest.mark.emulator(models=[SCRIPT])
@pytest.mark.parametrize("setting", ["never", {"never": {"tool_names": ["get_weather"]}}, {"never": ["get_weather"]}])
def test_never_needs_no_approval_and_answers_as_an_event_stream(agents_client, mcp_server, setting) -> None:
    McpHandler.event_stream = True
    thread, run = start(agents_client, mcp_server, "weather in Rome", require_approval=setting, headers={"A": "b"})
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert calls("tools/call")[0]["headers"]["A"] == "b"
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == "The server said: Rome: 7 degrees\n(mild)"


@pytest.mark.emulator(models=[SCRIPT])
def test_per_tool_approval_other_tools_still_ask(agents_client, mcp_server) -> None:
    _, run = start(agents_client, mcp_server, "weather in Rome", require_approval={"never": {"tool_names": ["x"]}})
    assert run.status == RunStatus.REQUIRES_ACTION
    _, run = start(agents_client, mcp_server, "weather in Rome", require_approval={"always": ["get_weather"]})
    assert run.status == RunStatus.REQUIRES_ACTION


@pytest.mark.emulator(models=[SCRIPT])
def test_a_server_off_loopback_is_refused(agents_client) -> None:
    for url in ("http://mcp.example.com/mcp", "http://10.0.0.1/mcp", "ftp://127.0.0.1/mcp"):
        _, run = start(agents_client, url, "weather in Oslo", require_approval="never")
        assert run.status == RunStatus.FAILED
        assert run.last_error["message"] == (
            f"The MCP server 'weather' could not be called: it is at {url!r}; the emulator calls only MCP "
            "servers on loopback (127.0.0.0/8, ::1, localhost).")  # fmt: skip


@pytest.mark.emulator(models=[SCRIPT])
def test_mcp_errors_fail_the_run_and_its_step(agents_client, mcp_server) -> None:
    thread, run = start(agents_client, mcp_server, "break it", require_approval="never")
    assert run.status == RunStatus.FAILED
    assert run.last_error == {
        "code": "server_error",
        "message": "The MCP server 'weather' failed the call of 'broken': tools/call failed: Unknown tool: broken "
        "(code -32602)",
    }
    step = next(iter(agents_client.run_steps.list(thread_id=thread.id, run_id=run.id)))
    assert step.status == "failed" and step.last_error.message == run.last_error["message"]
    _, run = start(agents_client, mcp_server, "fail now", require_approval="never")
    assert run.last_error["message"] == (
        "The MCP server 'weather' failed the call of 'failing': the tool 'failing' answered an error: "
        "the weather service is down")  # fmt: skip
    # nobody listening: the run fails saying the server could not be reached
    _, run = start(agents_client, "http://127.0.0.1:1/mcp", "weather in Oslo", require_approval="never")
    assert run.status == RunStatus.FAILED
    assert run.last_error["message"].startswith(
        "The MCP server 'weather' failed the call of 'get_weather': initialize:"
    )


@pytest.mark.emulator(models=[SCRIPT])
def test_allowed_tools_and_a_missing_server(agents_client, mcp_server) -> None:
    _, run = start(agents_client, mcp_server, "weather in Oslo", allowed_tools=["other"])
    assert run.last_error["message"] == (
        "The MCP server 'weather' does not allow the tool 'get_weather' (its allowed_tools: ['other']).")  # fmt: skip
    agent = agents_client.create_agent(model="mcp-bot", tools=[{**mcp_tool(mcp_server), "server_label": "docs"}])
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="weather in Oslo")
    run = rest(agents_client, thread.id, agents_client.runs.create(thread_id=thread.id, agent_id=agent.id).id)
    assert run.last_error["message"] == (
        "Scripted model 'mcp-bot' called a tool on the MCP server 'weather', which the run does not have.")  # fmt: skip


def test_the_default_model_calls_an_allowed_tool_it_is_asked_for(agents_client, mcp_server) -> None:
    thread, run = start(agents_client, mcp_server, 'use get_weather with {"city": "Lima"}', model="gpt-4o",
                        require_approval="never", allowed_tools=["get_weather"])  # fmt: skip
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == "get_weather answered: Lima: 7 degrees\n(mild)"


def wire(http, method: str, path: str, **kwargs):
    return http.open(BASE + path, method=method, query_string=V1, headers=TOKEN, **kwargs)


@pytest.mark.emulator(models=[SCRIPT])
def test_streamed_runs_wait_for_the_approval_and_go_on(http, mcp_server) -> None:
    agent = wire(http, "POST", "/assistants", json={"model": "mcp-bot", "tools": [mcp_tool(mcp_server)]}).get_json()
    thread = wire(http, "POST", "/threads", json={"messages": [{"role": "user", "content": "weather in Oslo"}]})
    thread_id = thread.get_json()["id"]
    text = wire(http, "POST", f"/threads/{thread_id}/runs", json={"assistant_id": agent["id"], "stream": True})
    events = parse_sse(text.get_data(as_text=True))
    names = [name for name, _ in events]
    assert names[-2:] == ["thread.run.requires_action", "done"]
    assert "thread.run.step.created" in names
    delta = next(data for name, data in events if name == "thread.run.step.delta")
    call = delta["delta"]["step_details"]["tool_calls"][0]
    assert {k: v for k, v in call.items() if k != "id"} == {"index": 0, "type": "mcp", "arguments": '{"city": "Oslo"}'}
    run = events[-2][1]
    pending = run["required_action"]["submit_tool_approval"]["tool_calls"]
    assert pending[0]["id"] == call["id"] and pending[0]["name"] == "get_weather"
    body = {"tool_approvals": [{"tool_call_id": call["id"], "approve": True}], "stream": True}
    resumed = wire(http, "POST", f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs", json=body)
    events = parse_sse(resumed.get_data(as_text=True))
    names = [name for name, _ in events]
    assert names[:2] == ["thread.run.queued", "thread.run.in_progress"]
    done = next(data for name, data in events if name == "thread.run.step.completed")
    assert done["step_details"]["tool_calls"][0]["output"] == "Oslo: 7 degrees\n(mild)"
    assert names[-2:] == ["thread.run.completed", "done"] and "thread.message.delta" in names


def waiting_run(http, model: str, tool: dict, text: str) -> dict:
    """A thread-and-run of an agent with `tool` on the wire, polled until it waits in requires_action."""
    agent = wire(http, "POST", "/assistants", json={"model": model, "tools": [tool]}).get_json()
    body = {"assistant_id": agent["id"], "thread": {"messages": [{"role": "user", "content": text}]}}
    run = wire(http, "POST", "/threads/runs", json=body).get_json()
    for _ in range(20):
        run = wire(http, "GET", f"/threads/{run['thread_id']}/runs/{run['id']}").get_json()
        if run["status"] == "requires_action":
            return run
    raise AssertionError(f"run {run['id']} is {run['status']}, not waiting in requires_action")


@pytest.mark.emulator(models=[SCRIPT])
def test_bad_approval_bodies_are_refused_in_the_envelope(http, mcp_server) -> None:
    run = waiting_run(http, "mcp-bot", mcp_tool(mcp_server), "weather in Oslo")
    call_id = run["required_action"]["submit_tool_approval"]["tool_calls"][0]["id"]
    path = f"/threads/{run['thread_id']}/runs/{run['id']}/submit_tool_outputs"
    cases = [
        ({}, "Missing required parameter: 'tool_approvals'."),
        ({"tool_outputs": [{"tool_call_id": call_id, "output": "x"}]},
         "This run waits for tool approvals (`tool_approvals`), not tool outputs."),
        ({"tool_approvals": [{"tool_call_id": call_id}]}, "Missing required parameter: 'tool_approvals[0].approve'."),
        ({"tool_approvals": [{"approve": True}]}, "Missing required parameter: 'tool_approvals[0].tool_call_id'."),
        ({"tool_approvals": [{"tool_call_id": call_id, "approve": "yes"}]},
         "Invalid type for 'tool_approvals[0].approve': expected a boolean, but got a string instead."),
        ({"tool_approvals": [{"tool_call_id": "call_other", "approve": True}]},
         f"Expected tool approvals for call_ids ['{call_id}'], got ['call_other']"),
        ({"tool_approvals": []}, f"Expected tool approvals for call_ids ['{call_id}'], got []"),
        ({"tool_approvals": [{"tool_call_id": call_id, "approve": True, "extra": 1}]},
         "Unknown parameter: 'tool_approvals[0].extra'."),
        ({"tool_approvals": [{"tool_call_id": call_id, "approve": True, "headers": {"a": 1}}]},
         "Invalid type for 'tool_approvals[0].headers.a': expected a string, but got an integer instead."),
    ]  # fmt: skip
    for sent, message in cases:
        answer = wire(http, "POST", path, json=sent)
        assert answer.status_code == 400, (sent, answer.get_json())
        assert error_of(answer)["message"] == message, sent
    assert wire(http, "GET", f"/threads/{run['thread_id']}/runs/{run['id']}").get_json()["status"] == "requires_action"
    # a run that waits for tool outputs takes no approvals; the OpenAI shape knows no tool_approvals
    beta = {"OpenAI-Beta": "assistants=v2"}
    refused = http.post(f"/v1{path}", json={"tool_approvals": []}, headers=beta)
    assert refused.status_code == 400 and error_of(refused)["message"] == "Unknown parameter: 'tool_approvals'."
    assert (
        wire(http, "POST", path, json={"tool_approvals": [{"tool_call_id": call_id, "approve": True}]}).status_code
        == 200
    )


FUNCTIONS = {
    "name": "fn-bot",
    "turns": [{"when": {"tool_outputs": True}, "do": [{"reply": "ok"}]}, {"do": [{"call": "f", "arguments": {}}]}],
}


@pytest.mark.emulator(models=[FUNCTIONS])
def test_a_run_waiting_for_outputs_takes_no_approvals(http) -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
    run = waiting_run(http, "fn-bot", tool, "go")
    call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    path = f"/threads/{run['thread_id']}/runs/{run['id']}/submit_tool_outputs"
    answer = wire(http, "POST", path, json={"tool_approvals": [{"tool_call_id": call_id, "approve": True}]})
    assert answer.status_code == 400
    assert error_of(answer)["message"] == "This run waits for tool outputs, not tool approvals."
    assert error_of(wire(http, "POST", path, json={}))["message"] == "Missing required parameter: 'tool_outputs'."
    answer = wire(http, "POST", path, json={"tool_outputs": [{"tool_call_id": call_id, "output": "1"}]})
    assert answer.status_code == 200


CANNED = {
    "name": "canned-mcp",
    "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "{{ last_tool.server_label }}: {{ last_tool.output }}"}]},
        {"do": [{"tool": "mcp", "name": "search", "arguments": {"q": "{{ user }}"}, "output": "three hits"}]},
    ],
}


@pytest.mark.emulator(models=[CANNED])
def test_a_canned_answer_reaches_no_server_but_still_asks_approval(agents_client) -> None:
    """A script's `output` stands for the server (here one that is not even on loopback)."""
    thread, run = start(agents_client, "https://mcp.example.com/mcp", "tides", model="canned-mcp")
    assert run.status == RunStatus.REQUIRES_ACTION
    call_id = run.as_dict()["required_action"]["submit_tool_approval"]["tool_calls"][0]["id"]
    assert approve(agents_client, thread.id, run.id, [{"tool_call_id": call_id, "approve": True}]).status_code == 200
    run = rest(agents_client, thread.id, run.id)
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = agents_client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert reply.text.value == "weather: three hits"
    # a run waiting for an approval can be cancelled: its step ends with it
    agents_client.messages.create(thread_id=thread.id, role="user", content="again")
    agent_id = run.agent_id
    run = rest(agents_client, thread.id, agents_client.runs.create(thread_id=thread.id, agent_id=agent_id).id)
    assert run.status == RunStatus.REQUIRES_ACTION
    agents_client.runs.cancel(thread_id=thread.id, run_id=run.id)
    run = rest(agents_client, thread.id, run.id)
    assert run.status == RunStatus.CANCELLED and run.required_action is None
    step = next(iter(agents_client.run_steps.list(thread_id=thread.id, run_id=run.id)))
    assert step.status == "cancelled"


def test_the_beta_sdk_itself_parses_the_approval_flow() -> None:
    """tests/sdk_compat/check_agents_beta.py, in a child pytest importing the 1.2 beta: its
    McpTool, ToolApproval, SubmitToolApprovalAction, RunStepMcpToolCall and stream handler."""
    beta = side_envs.require("agents-beta")
    env = {**os.environ, "PYTHONPATH": beta.pythonpath(REPO / "tests")}
    env.pop("PYTEST_ADDOPTS", None)
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "python_files=check_*.py",
         str(REPO / "tests" / "sdk_compat" / "check_agents_beta.py")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert child.returncode == 0 and "1 passed" in child.stdout, child.stdout + child.stderr
