"""Objects' keys, their order and errors as the real service sent them (issue 18).

Each fact below names its recording in ../shared/recordings (README there: sources, licences,
formats): the file, the exchange (its index in the file's `http_interactions` / `Entries`), and
where in the body. The facts are copied here, so the suite needs no ../shared;
`test_the_facts_are_the_recordings` re-reads them from the recordings when they are there.
Where recordings of different dates differ, the newest is the fact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.contract.sse import parse_sse

RECORDINGS = Path(__file__).resolve().parents[2] / "shared" / "recordings"
BETA = {"OpenAI-Beta": "assistants=v2"}
AZURE = {"api-key": "k"}
AZURE_VERSION = {"api-version": "2025-01-01-preview"}
FOUNDRY = "/api/projects/p"
FOUNDRY_VERSION = {"api-version": "v1"}

ASSISTANT = ["id", "object", "created_at", "name", "description", "model", "instructions", "tools", "top_p",
             "temperature", "tool_resources", "metadata", "response_format"]  # fmt: skip
RUN = ["id", "object", "created_at", "assistant_id", "thread_id", "status", "started_at", "expires_at", "cancelled_at",
       "failed_at", "completed_at", "required_action", "last_error", "model", "instructions", "tools",
       "tool_resources", "metadata", "temperature", "top_p", "max_completion_tokens", "max_prompt_tokens",
       "truncation_strategy", "incomplete_details", "usage", "response_format", "tool_choice",
       "parallel_tool_calls"]  # fmt: skip
REST_MESSAGE = ["id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content", "attachments",
                "metadata"]  # fmt: skip
STREAM_MESSAGE = [*REST_MESSAGE[:6], "status", "incomplete_details", "incomplete_at", "completed_at",
                  *REST_MESSAGE[6:]]  # fmt: skip
STEP = ["id", "object", "created_at", "run_id", "assistant_id", "thread_id", "type", "status", "cancelled_at",
        "completed_at", "expires_at", "failed_at", "last_error", "step_details", "usage"]  # fmt: skip
THREAD = ["id", "object", "created_at", "metadata", "tool_resources"]
DELETED = ["id", "object", "deleted"]
PAGE = ["object", "data", "first_id", "last_id", "has_more"]
USAGE = ["prompt_tokens", "completion_tokens", "total_tokens"]


FOUNDRY_USAGE = [*USAGE, "prompt_token_details"]
CODE_TOOL = "azure-ai-agents/test_agents_client.pyTestAgentClienttest_code_interpreter_tool.json"
AGENT_STREAM = "azure-ai-agents/test_agents_client.pyTestAgentClienttest_create_stream.json"


def _with(keys: list[str], name: str, after: str) -> list[str]:
    at = keys.index(after) + 1
    return [*keys[:at], name, *keys[at:]]


OPENAI_ASSISTANT = _with(ASSISTANT, "reasoning_effort", "temperature")


#: (recording, exchange, where: a stream event's name or "", path in the body) -> the recorded keys
FACTS: dict[tuple[str, int, str, str], list[str]] = {
    # OpenAI (ruby-openai, api.openai.com)
    ("ruby-openai/run_steps_retrieve_assistant_setup.yml", 0, "", ""): OPENAI_ASSISTANT,
    ("ruby-openai/run_steps_retrieve_run_setup.yml", 0, "", ""): _with(RUN, "reasoning_effort", "top_p"),
    ("ruby-openai/threads_create.yml", 1, "", ""): THREAD,
    ("ruby-openai/messages_create.yml", 2, "", ""): REST_MESSAGE,
    ("ruby-openai/messages_retrieve.yml", 2, "", ""): REST_MESSAGE,
    ("ruby-openai/runs_streamed_create.yml", 3, "thread.message.created", ""): STREAM_MESSAGE,
    ("ruby-openai/runs_streamed_create.yml", 3, "thread.run.step.created", ""): STEP,
    ("ruby-openai/runs_streamed_create.yml", 3, "thread.run.step.completed", "usage"): USAGE,
    ("ruby-openai/messages_list.yml", 2, "", ""): PAGE,
    ("ruby-openai/assistants_delete.yml", 1, "", ""): DELETED,
    ("ruby-openai/threads_delete.yml", 2, "", ""): DELETED,
    ("ruby-openai/messages_delete.yml", 0, "", ""): DELETED,
    # Azure OpenAI (azure-openai AssistantTests)
    ("azure-openai/AssistantTests/BasicAssistantOperationsWork.json", 0, "", ""): ASSISTANT,
    ("azure-openai/AssistantTests/StreamingToolCall.json", 1, "thread.run.created", ""): RUN,
    ("azure-openai/AssistantTests/StreamingToolCall.json", 1, "thread.created", ""): THREAD,
    ("azure-openai/AssistantTests/FunctionToolsWork.json", 5, "", "data.0"): REST_MESSAGE,
    ("azure-openai/AssistantTests/BasicRunStepFunctionalityWorks.json", 10, "", "data.0"): STEP,
    ("azure-openai/AssistantTests/BasicRunStepFunctionalityWorks.json", 10, "", "data.0.usage"): USAGE,
    # Foundry (azure-ai-agents)
    (CODE_TOOL, 0, "", ""): ASSISTANT,
    (CODE_TOOL, 9, "", ""): RUN,
    (CODE_TOOL, 9, "", "usage"): FOUNDRY_USAGE,
    (CODE_TOOL, 12, "", "data.0"): STEP,
    (AGENT_STREAM, 3, "thread.message.completed", ""): STREAM_MESSAGE,
    (AGENT_STREAM, 3, "thread.run.step.completed", "usage"): FOUNDRY_USAGE,
}

#: Error bodies as recorded: (recording, exchange) -> the body
ERRORS: dict[tuple[str, int], dict[str, Any]] = {
    ("ruby-openai/runs_create.yml", 4): {"error": {
        "message": "Run creation requires a Thread with a user message or an assistant with instructions.",
        "type": "invalid_request_error", "param": None, "code": "invalid_thread"}},
    ("ruby-openai/run_steps_retrieve.yml", 0): {"error": {
        "message": "No run step found with id 'step_123'.", "type": "invalid_request_error", "param": None,
        "code": None}},
    ("ruby-openai/messages_modify.yml", 4): {"error": {
        "message": "Invalid type for 'metadata.modified': expected a string, but got a boolean instead.",
        "type": "invalid_request_error", "param": "metadata.modified", "code": "invalid_type"}},
    ("ruby-openai/runs_submit_tool_outputs.yml", 3): {"error": {
        "message": 'Runs in status "in_progress" do not accept tool outputs.', "type": "invalid_request_error",
        "param": None, "code": None}},
    ("azure-openai/AssistantTests/BasicAssistantOperationsWork.json", 7): {"error": {
        "message": "No assistant found with id 'asst_zsK9ruloAFN9XQDKo3LWX15Z'.", "type": "invalid_request_error",
        "param": None, "code": None}},
}  # fmt: skip


# --- reading the recordings --------------------------------------------------------------------


def _exchange_body(recording: str, exchange: int) -> Any:
    """The response body of one exchange: parsed JSON, or the SSE text of a stream."""
    path = RECORDINGS / recording
    if path.suffix == ".yml":
        import yaml

        text = yaml.safe_load(path.read_text(encoding="utf-8"))["http_interactions"][exchange]["response"]["body"]
        text = text["string"]
        return text if text.startswith("event:") else json.loads(text)
    body = json.loads(path.read_text(encoding="utf-8-sig"))["Entries"][exchange]["ResponseBody"]
    return "".join(body) if isinstance(body, list) and body and isinstance(body[0], str) else body


def _at(body: Any, event: str, path: str) -> Any:
    if event:
        body = next(data for name, data in parse_sse(body) if name == event)
    for part in filter(None, path.split(".")):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


@pytest.mark.skipif(not RECORDINGS.is_dir(), reason="../shared/recordings is not here")
def test_the_facts_are_the_recordings() -> None:
    for (recording, exchange, event, path), keys in FACTS.items():
        assert list(_at(_exchange_body(recording, exchange), event, path)) == keys, (recording, exchange, event, path)
    for (recording, exchange), body in ERRORS.items():
        assert _exchange_body(recording, exchange) == body, (recording, exchange)


def fact(recording: str, exchange: int, event: str = "", path: str = "") -> list[str]:
    """The recorded keys of `FACTS`, matched by the recording's file name."""
    (keys,) = [v for (r, x, e, p), v in FACTS.items() if r.endswith(recording) and (x, e, p) == (exchange, event, path)]
    return keys


# --- the emulator's answers, per shape ---------------------------------------------------------


class Shape:
    """Requests on one shape of the API through Flask's test client."""

    def __init__(self, http: Any, name: str) -> None:
        self.http, self.name = http, name
        self.prefix = {"openai": "/v1", "azure": "/openai", "foundry": FOUNDRY}[name]
        self.query = {"openai": {}, "azure": AZURE_VERSION, "foundry": FOUNDRY_VERSION}[name]
        self.headers = {"openai": BETA, "azure": AZURE, "foundry": {}}[name]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = self.http.open(self.prefix + path, method=method, json=body, query_string=self.query,
                                  headers=self.headers)  # fmt: skip
        assert response.status_code == status, response.get_data(as_text=True)
        if response.mimetype == "text/event-stream":
            return parse_sse(response.get_data(as_text=True))
        return response.get_json()

    def finished_run(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """An assistant, and its run over a thread with one user message, polled to its end."""
        assistant = self.call("POST", "/assistants", {"model": "gpt-4o", "instructions": "Be brief."})
        thread = self.call("POST", "/threads", {"messages": [{"role": "user", "content": "hello"}]})
        run = self.call("POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"]})
        run = self.call("GET", f"/threads/{thread['id']}/runs/{run['id']}")
        assert run["status"] == "completed"
        return assistant, run

    def streamed(self) -> dict[str, Any]:
        """The first data of each event of a streamed thread-and-run."""
        assistant = self.call("POST", "/assistants", {"model": "gpt-4o"})
        body = {"assistant_id": assistant["id"], "stream": True,
                "thread": {"messages": [{"role": "user", "content": "hello"}]}}  # fmt: skip
        events: dict[str, Any] = {}
        for name, data in self.call("POST", "/threads/runs", body):
            events.setdefault(name, data)
        return events


@pytest.fixture(params=["openai", "azure", "foundry"])
def shape(request: pytest.FixtureRequest, http: Any) -> Shape:
    return Shape(http, request.param)


#: Which recording shows each shape's objects.
ASSISTANT_OF = {"openai": ("run_steps_retrieve_assistant_setup.yml", 0), "azure": ("BasicAssistantOperationsWork.json", 0),
                "foundry": ("test_code_interpreter_tool.json", 0)}  # fmt: skip
RUN_OF = {"openai": ("run_steps_retrieve_run_setup.yml", 0, "", ""), "azure": ("StreamingToolCall.json", 1,
          "thread.run.created", ""), "foundry": ("test_code_interpreter_tool.json", 9, "", "")}  # fmt: skip
USAGE_OF = {"openai": ("runs_streamed_create.yml", 3, "thread.run.step.completed", "usage"),
            "azure": ("BasicRunStepFunctionalityWorks.json", 10, "", "data.0.usage"),
            "foundry": ("test_code_interpreter_tool.json", 9, "", "usage")}  # fmt: skip


def test_assistant_and_run_keys_per_shape(shape: Shape) -> None:
    """`reasoning_effort` on OpenAI's only; `top_p` before `temperature`; Foundry's usage has
    `prompt_token_details`."""
    assistant, run = shape.finished_run()
    assert list(assistant) == fact(*ASSISTANT_OF[shape.name])
    assert list(shape.call("GET", f"/assistants/{assistant['id']}")) == fact(*ASSISTANT_OF[shape.name])
    assert list(run) == fact(*RUN_OF[shape.name])
    assert list(run["usage"]) == fact(*USAGE_OF[shape.name])
    if shape.name == "foundry":
        assert run["usage"]["prompt_token_details"] == {"cached_tokens": 0}
    (step,) = shape.call("GET", f"/threads/{run['thread_id']}/runs/{run['id']}/steps")["data"]
    assert list(step) == fact("BasicRunStepFunctionalityWorks.json", 10, "", "data.0")
    assert step["expires_at"] is None  # the run is over (BasicRunStepFunctionalityWorks.json #10)
    assert list(step["usage"]) == fact(*USAGE_OF[shape.name])


def test_thread_message_and_list_keys(shape: Shape) -> None:
    thread = shape.call("POST", "/threads")
    assert list(thread) == fact("threads_create.yml", 1)
    page = shape.call("GET", f"/threads/{thread['id']}/messages", status=200)
    assert list(page) == fact("messages_list.yml", 2)
    assert (page["first_id"], page["last_id"], page["has_more"]) == (None, None, False)
    message = shape.call("POST", f"/threads/{thread['id']}/messages", {"role": "user", "content": "hi"})
    assert list(message) == fact("messages_create.yml", 2)
    assert list(shape.call("GET", f"/threads/{thread['id']}/messages/{message['id']}")) == fact(
        "messages_retrieve.yml", 2
    )
    modified = shape.call("POST", f"/threads/{thread['id']}/messages/{message['id']}", {"metadata": {"a": "b"}})
    assert list(modified) == fact("messages_create.yml", 2)
    listed = shape.call("GET", f"/threads/{thread['id']}/messages")["data"]
    assert [list(m) for m in listed] == [fact("FunctionToolsWork.json", 5, "", "data.0")]


def test_stream_events_carry_what_rest_answers_do_not(shape: Shape) -> None:
    """Messages in stream events have status & co.; steps have `expires_at` (the run's while it
    is active), no `metadata`, and usage null until they are over."""
    events = shape.streamed()
    created = events["thread.run.step.created"]
    assert list(created) == fact("runs_streamed_create.yml", 3, "thread.run.step.created")
    assert created["usage"] is None and created["expires_at"] == events["thread.run.created"]["expires_at"]
    assert list(events["thread.message.created"]) == fact("runs_streamed_create.yml", 3, "thread.message.created")
    assert list(events["thread.message.completed"]) == fact("test_create_stream.json", 3, "thread.message.completed")
    assert list(events["thread.run.step.completed"]["usage"]) == fact(*USAGE_OF[shape.name])
    assert events["thread.run.created"]["usage"] is None
    assert list(events["thread.created"]) == fact("StreamingToolCall.json", 1, "thread.created")


def test_deleted_objects(shape: Shape) -> None:
    assistant = shape.call("POST", "/assistants", {"model": "gpt-4o"})
    thread = shape.call("POST", "/threads", {"messages": [{"role": "user", "content": "hi"}]})
    if shape.name != "foundry":  # a Foundry project has no message delete (emulator/foundry.py)
        (message,) = shape.call("GET", f"/threads/{thread['id']}/messages")["data"]
        deleted = shape.call("DELETE", f"/threads/{thread['id']}/messages/{message['id']}")
        assert list(deleted) == fact("messages_delete.yml", 0) and deleted["object"] == "thread.message.deleted"
    deleted = shape.call("DELETE", f"/threads/{thread['id']}")
    assert list(deleted) == fact("threads_delete.yml", 2) and deleted["object"] == "thread.deleted"
    deleted = shape.call("DELETE", f"/assistants/{assistant['id']}")
    assert list(deleted) == fact("assistants_delete.yml", 1) and deleted["object"] == "assistant.deleted"


def test_recorded_errors(shape: Shape) -> None:
    empty_thread = shape.call("POST", "/threads")
    plain = shape.call("POST", "/assistants", {"model": "gpt-4o"})
    answer = shape.call("POST", f"/threads/{empty_thread['id']}/runs", {"assistant_id": plain["id"]}, status=400)
    assert answer == ERRORS[("ruby-openai/runs_create.yml", 4)]
    streamed = {"assistant_id": plain["id"], "stream": True}  # runs_streamed_create.yml #2: the same 400
    assert shape.call("POST", f"/threads/{empty_thread['id']}/runs", streamed, status=400) == answer
    assert shape.call("POST", "/threads/runs", {"assistant_id": plain["id"]}, status=400) == answer
    # an assistant with instructions may run on an empty thread (run_steps_retrieve_run_setup.yml #0)
    briefed = shape.call("POST", "/assistants", {"model": "gpt-4o", "instructions": "Say hi."})
    run = shape.call("POST", f"/threads/{empty_thread['id']}/runs", {"assistant_id": briefed["id"]})
    step = shape.call("GET", f"/threads/{empty_thread['id']}/runs/{run['id']}/steps/step_123", status=404)
    assert step == ERRORS[("ruby-openai/run_steps_retrieve.yml", 0)]
    thread = shape.call("POST", "/threads", {"messages": [{"role": "user", "content": "hi"}]})
    (message,) = shape.call("GET", f"/threads/{thread['id']}/messages")["data"]
    bad = shape.call("POST", f"/threads/{thread['id']}/messages/{message['id']}", {"metadata": {"modified": True}},
                     status=400)  # fmt: skip
    assert bad == ERRORS[("ruby-openai/messages_modify.yml", 4)]
    assistant, done = shape.finished_run()
    outputs = {"tool_outputs": [{"tool_call_id": "call_Vfq8wpokTGewt0ubGCkeuwo1", "output": "x"}]}
    late = shape.call("POST", f"/threads/{done['thread_id']}/runs/{done['id']}/submit_tool_outputs", outputs, 400)
    recorded = ERRORS[("ruby-openai/runs_submit_tool_outputs.yml", 3)]["error"]
    assert late == {"error": {**recorded, "message": recorded["message"].replace("in_progress", "completed")}}
    gone = "asst_zsK9ruloAFN9XQDKo3LWX15Z"
    assert (
        shape.call("DELETE", f"/assistants/{gone}", status=404)
        == ERRORS[("azure-openai/AssistantTests/BasicAssistantOperationsWork.json", 7)]
    )


def test_a_run_with_few_completion_tokens_is_accepted(shape: Shape) -> None:
    """ruby-openai runs_create.yml #5 (2024-04-29): `max_prompt_tokens: 256, max_completion_tokens: 16`
    made a queued run (the spec's minimum for both is 256)."""
    assistant = shape.call("POST", "/assistants", {"model": "gpt-4o", "instructions": "Be brief."})
    thread = shape.call("POST", "/threads")
    body = {"assistant_id": assistant["id"], "stream": False, "max_prompt_tokens": 256, "max_completion_tokens": 16}
    run = shape.call("POST", f"/threads/{thread['id']}/runs", body)
    assert (run["status"], run["max_completion_tokens"], run["max_prompt_tokens"]) == ("queued", 16, 256)
