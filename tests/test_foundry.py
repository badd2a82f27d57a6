"""Foundry Agents (issue 12): the emulator driven by the `azure-ai-agents` SDK (sync), through
the `agents_client` fixture (in-process). Wire-level rules of the Foundry shape are in
test_foundry_wire.py, the async client and the client over HTTP in test_foundry_async.py."""

from __future__ import annotations

import json

import pytest

from conftest import needed

needed("azure.ai.agents")

from azure.ai.agents.models import (  # noqa: E402
    AgentEventHandler,
    CodeInterpreterTool,
    FilePurpose,
    FileSearchTool,
    FunctionTool,
    ListSortOrder,
    MessageDeltaChunk,
    MessageRole,
    RunStatus,
    ThreadMessage,
    ThreadRun,
    ToolOutput,
    ToolSet,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError  # noqa: E402


def reply_text(client, thread_id: str) -> str:
    message = client.messages.get_last_message_text_by_role(thread_id=thread_id, role=MessageRole.AGENT)
    return message.text.value


def test_agents_crud_and_paging(agents_client) -> None:
    created = [
        agents_client.create_agent(model="gpt-4o", name=f"agent-{n}", instructions="Be brief.") for n in range(5)
    ]
    agent = agents_client.get_agent(created[0].id)
    assert (agent.name, agent.instructions, agent.model) == ("agent-0", "Be brief.", "gpt-4o")
    assert agent.as_dict()["object"] == "assistant"
    updated = agents_client.update_agent(agent.id, name="renamed", metadata={"team": "a"})
    assert (updated.name, updated.metadata) == ("renamed", {"team": "a"})
    # the SDK ignores has_more and asks with after=last_id until a page is empty: pages of 2 end
    listed = [a.id for a in agents_client.list_agents(limit=2, order=ListSortOrder.ASCENDING)]
    assert listed == [a.id for a in created]
    agents_client.delete_agent(created[1].id)
    assert created[1].id not in [a.id for a in agents_client.list_agents()]
    with pytest.raises(ResourceNotFoundError):
        agents_client.get_agent(created[1].id)


def test_threads_list_and_messages(agents_client) -> None:
    threads = [agents_client.threads.create(metadata={"n": str(n)}) for n in range(3)]
    assert [t.id for t in agents_client.threads.list(limit=1)] == [t.id for t in reversed(threads)]
    assert [t.id for t in agents_client.threads.list(order=ListSortOrder.ASCENDING)] == [t.id for t in threads]
    thread = agents_client.threads.update(threads[0].id, metadata={"topic": "maths"})
    assert agents_client.threads.get(thread.id).metadata == {"topic": "maths"}
    first = agents_client.messages.create(thread_id=thread.id, role="user", content="Hello")
    second = agents_client.messages.create(thread_id=thread.id, role=MessageRole.USER, content="Again")
    listed = list(agents_client.messages.list(thread_id=thread.id, order=ListSortOrder.ASCENDING, limit=1))
    assert [m.id for m in listed] == [first.id, second.id]
    assert listed[0].text_messages[0].text.value == "Hello"
    assert agents_client.messages.get(thread_id=thread.id, message_id=second.id).role == MessageRole.USER
    changed = agents_client.messages.update(thread_id=thread.id, message_id=first.id, metadata={"k": "v"})
    assert changed.metadata == {"k": "v"}
    agents_client.threads.delete(threads[2].id)
    assert threads[2].id not in [t.id for t in agents_client.threads.list()]


def test_create_and_process_a_plain_run(agents_client) -> None:
    agent = agents_client.create_agent(model="gpt-4o", name="echoer")
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="Tell me about the sea")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED
    assert run.agent_id == agent.id and run.as_dict()["assistant_id"] == agent.id
    assert reply_text(agents_client, thread.id).startswith('You said: "Tell me about the sea"')
    steps = list(agents_client.run_steps.list(thread_id=thread.id, run_id=run.id))
    assert [s.type for s in steps] == ["message_creation"]
    assert [r.id for r in agents_client.runs.list(thread_id=thread.id)] == [run.id]


def test_create_thread_and_process_run(agents_client) -> None:
    agent = agents_client.create_agent(model="echo")
    run = agents_client.create_thread_and_process_run(
        agent_id=agent.id, thread={"messages": [{"role": "user", "content": "hi there"}]}, polling_interval=0
    )
    assert run.status == RunStatus.COMPLETED
    assert reply_text(agents_client, run.thread_id) == "hi there"


def get_weather(city: str) -> str:
    """Fetches the weather for a city.

    :param city: The city to look up.
    :return: The weather as JSON.
    """
    return json.dumps({"city": city, "temp": 19})


def test_auto_function_calls_with_a_function_tool(agents_client) -> None:
    functions = FunctionTool(functions={get_weather})
    agents_client.enable_auto_function_calls(functions)
    agent = agents_client.create_agent(model="gpt-4o", name="weather", tools=functions.definitions)
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="get weather in Lisbon please")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    assert "get_weather returned" in reply_text(agents_client, thread.id)
    assert '"temp": 19' in reply_text(agents_client, thread.id)
    call = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    function = call.step_details.tool_calls[0].function
    assert function.name == "get_weather"
    assert json.loads(function.arguments)["city"] == "Lisbon"


def test_manual_tool_outputs(agents_client) -> None:
    functions = FunctionTool(functions={get_weather})
    agent = agents_client.create_agent(model="gpt-4o", tools=functions.definitions)
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="get_weather for Oslo")
    run = agents_client.runs.create(thread_id=thread.id, agent_id=agent.id)
    run = agents_client.runs.get(thread_id=thread.id, run_id=run.id)
    assert run.status == RunStatus.REQUIRES_ACTION
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    output = functions.execute(call)
    outputs = [ToolOutput(tool_call_id=call.id, output=output)]
    agents_client.runs.submit_tool_outputs(thread_id=thread.id, run_id=run.id, tool_outputs=outputs)
    assert agents_client.runs.get(thread_id=thread.id, run_id=run.id).status == RunStatus.COMPLETED


class Collector(AgentEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.deltas: list[str] = []
        self.runs: list[str] = []
        self.messages: list[ThreadMessage] = []
        self.done = False

    def on_message_delta(self, delta: MessageDeltaChunk) -> None:
        self.deltas.append(delta.text)

    def on_thread_message(self, message: ThreadMessage) -> None:
        self.messages.append(message)

    def on_thread_run(self, run: ThreadRun) -> None:
        self.runs.append(run.status)

    def on_done(self) -> None:
        self.done = True


def test_streaming_with_an_event_handler(agents_client) -> None:
    agent = agents_client.create_agent(model="gpt-4o")
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="Stream me a reply")
    handler = Collector()
    with agents_client.runs.stream(thread_id=thread.id, agent_id=agent.id, event_handler=handler) as stream:
        stream.until_done()
    assert "".join(handler.deltas) == reply_text(agents_client, thread.id)
    assert handler.runs == ["queued", "queued", "in_progress", "completed"]
    assert handler.messages[-1].status == "completed" and handler.done


def test_streaming_with_auto_function_calls(agents_client) -> None:
    functions = FunctionTool(functions={get_weather})
    agents_client.enable_auto_function_calls(functions)
    agent = agents_client.create_agent(model="gpt-4o", tools=functions.definitions)
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="get weather in Paris")
    with agents_client.runs.stream(thread_id=thread.id, agent_id=agent.id) as stream:
        events = [event_type for event_type, _data, _ in stream]
    assert "thread.run.requires_action" in events and events[-1] == "done"
    assert events.count("thread.run.completed") == 1  # the outputs were submitted by the SDK, streamed
    assert '"city": "Paris"' in reply_text(agents_client, thread.id)


def test_file_upload_get_list_and_delete(agents_client, tmp_path) -> None:
    uploaded = agents_client.files.upload_and_poll(file=b"# Notes\nhello", filename="notes.md", purpose="assistants")
    assert (uploaded.filename, uploaded.status, uploaded.bytes) == ("notes.md", "processed", 13)
    path = tmp_path / "data.csv"
    path.write_text("x,y\n1,2\n")
    from_path = agents_client.files.upload_and_poll(file_path=str(path), purpose=FilePurpose.AGENTS)
    assert from_path.filename == "data.csv"
    assert agents_client.files.get(uploaded.id).filename == "notes.md"
    assert {f.id for f in agents_client.files.list().data} == {uploaded.id, from_path.id}
    agents_client.files.delete(from_path.id)
    assert [f.id for f in agents_client.files.list(purpose=FilePurpose.AGENTS).data] == [uploaded.id]
    with pytest.raises(HttpResponseError) as refused:  # uploads of purpose assistants are not downloadable
        agents_client.files.save(uploaded.id, "notes.md", tmp_path)
    assert refused.value.status_code == 400


def test_file_search_over_a_vector_store_cites_the_file(agents_client) -> None:
    text = b"The emulator keeps ids deterministic. Tidal pools host anemones and crabs at low tide."
    uploaded = agents_client.files.upload_and_poll(file=text, filename="shore.txt", purpose="assistants")
    store = agents_client.vector_stores.create_and_poll(file_ids=[uploaded.id], name="shore")
    assert store.file_counts.completed == 1 and store.status == "completed"
    assert [f.id for f in agents_client.vector_store_files.list(vector_store_id=store.id)] == [uploaded.id]
    search = FileSearchTool(vector_store_ids=[store.id])
    agent = agents_client.create_agent(
        model="gpt-4o", tools=search.definitions, tool_resources=search.resources, name="librarian"
    )
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="What lives in tidal pools?")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = agents_client.messages.get_last_message_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    assert "anemones" in reply.text_messages[0].text.value
    citation = reply.file_citation_annotations[0]
    assert citation.file_citation.file_id == uploaded.id
    assert reply.text_messages[0].text.value[citation.start_index : citation.end_index] == citation.text
    batch = agents_client.vector_store_file_batches.create_and_poll(vector_store_id=store.id, file_ids=[uploaded.id])
    assert batch.status == "completed"


def test_the_data_visualisation_flow(agents_client, tmp_path) -> None:
    """The seed's code_interpreter tutorial, with the SDK: a plot, saved with files.save."""
    code = CodeInterpreterTool()
    toolset = ToolSet()
    toolset.add(code)
    agent = agents_client.create_agent(
        model="gpt-4o", name="Data Visualization", instructions="You make visualizations.", toolset=toolset
    )
    thread = agents_client.threads.create()
    agents_client.messages.create(thread_id=thread.id, role="user", content="Create a visualization of a sinewave")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert run.status == RunStatus.COMPLETED, run.last_error
    reply = agents_client.messages.get_last_message_by_role(thread_id=thread.id, role=MessageRole.AGENT)
    image = reply.image_contents[0].image_file
    agents_client.files.save(file_id=image.file_id, file_name="sinewave.png", target_dir=tmp_path)
    assert (tmp_path / "sinewave.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    step = next(s for s in agents_client.run_steps.list(thread_id=thread.id, run_id=run.id) if s.type == "tool_calls")
    assert "sin" in step.step_details.tool_calls[0].code_interpreter.input
    agents_client.messages.create(thread_id=thread.id, role="user", content="Show me the code you used")
    run = agents_client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id, polling_interval=0)
    assert "np.sin" in reply_text(agents_client, thread.id)
