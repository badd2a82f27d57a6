"""Run by tests/test_foundry_mcp.py in a child pytest whose `azure.ai.agents` is the 1.2 beta
(installed without dependencies into .sdk-compat/agents-beta): its own McpTool, ToolApproval and
models parse what the emulator answers for MCP approvals, polled and streamed."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import azure.ai.agents
from azure.ai.agents.models import (
    AgentEventHandler,
    McpTool,
    MessageRole,
    RequiredMcpToolCall,
    RunStepDeltaMcpToolCall,
    RunStepMcpToolCall,
    SubmitToolApprovalAction,
    ToolApproval,
)
from test_foundry_mcp import SCRIPT, McpHandler

from emulator import Emulator, create_app
from emulator.foundry_clients import in_process_agents_client


def settle(client, thread_id: str, run):
    while run.status in ("queued", "in_progress"):
        run = client.runs.get(thread_id=thread_id, run_id=run.id)
    return run


class Handler(AgentEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.deltas: list = []
        self.actions: list = []

    def on_run_step_delta(self, delta) -> None:
        self.deltas.extend(delta.delta.step_details.tool_calls or [])

    def on_thread_run(self, run) -> None:
        if run.status == "requires_action":
            self.actions.append(run.required_action)


def test_the_beta_sdk_approves_mcp_calls() -> None:
    assert azure.ai.agents.__version__.startswith("1.2.0b"), azure.ai.agents.__version__
    McpHandler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), McpHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        client = in_process_agents_client(create_app(Emulator(models=[SCRIPT])))
        tool = McpTool(server_label="weather", server_url=f"http://127.0.0.1:{server.server_address[1]}/mcp")
        tool.update_headers("X-Key", "v")
        agent = client.create_agent(model="mcp-bot", tools=tool.definitions)
        thread = client.threads.create()
        client.messages.create(thread_id=thread.id, role="user", content="weather in Oslo")
        run = client.runs.create(thread_id=thread.id, agent_id=agent.id, tool_resources=tool.resources)
        run = settle(client, thread.id, run)
        assert isinstance(run.required_action, SubmitToolApprovalAction)
        (call,) = run.required_action.submit_tool_approval.tool_calls
        assert isinstance(call, RequiredMcpToolCall)
        assert (call.name, call.arguments, call.server_label) == ("get_weather", '{"city": "Oslo"}', "weather")
        approval = ToolApproval(tool_call_id=call.id, approve=True, headers=tool.headers)
        run = client.runs.submit_tool_outputs(thread_id=thread.id, run_id=run.id, tool_approvals=[approval])
        run = settle(client, thread.id, run)
        assert run.status == "completed", run.last_error
        (step, _) = client.run_steps.list(thread_id=thread.id, run_id=run.id, order="asc")
        (made,) = step.step_details.tool_calls
        assert isinstance(made, RunStepMcpToolCall) and made.output == "Oslo: 7 degrees\n(mild)"
        assert [s["headers"]["X-Key"] for s in McpHandler.seen if isinstance(s["message"], dict)] == ["v"] * 3

        client.messages.create(thread_id=thread.id, role="user", content="weather in Rome")
        handler = Handler()
        with client.runs.stream(thread_id=thread.id, agent_id=agent.id, tool_resources=tool.resources,
                                event_handler=handler) as stream:  # fmt: skip
            stream.until_done()
        assert [type(d) for d in handler.deltas] == [RunStepDeltaMcpToolCall]
        (action,) = handler.actions
        assert isinstance(action, SubmitToolApprovalAction)
        denial = ToolApproval(tool_call_id=action.submit_tool_approval.tool_calls[0].id, approve=False)
        resumed = Handler()
        run_id = next(iter(client.runs.list(thread_id=thread.id))).id
        client.runs.submit_tool_outputs_stream(thread_id=thread.id, run_id=run_id, tool_approvals=[denial],
                                               event_handler=resumed)  # fmt: skip
        resumed.until_done()
        reply = client.messages.get_last_message_text_by_role(thread_id=thread.id, role=MessageRole.AGENT)
        assert reply.text.value == "Not allowed."
    finally:
        server.shutdown()
        server.server_close()
