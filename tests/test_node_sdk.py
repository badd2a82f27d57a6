"""The official Node SDK (`openai` from npm, pinned in tests/node/package-lock.json) drives the
dev server over real HTTP on 127.0.0.1: assistants, threads, messages, a run polled to
completion, a streamed run through the SDK's stream helpers, a file upload and the download
of a plot; and `AzureOpenAI` from the same package through a function-calling loop, polled and
streamed, over the Azure URL shape; and the Responses and Conversations APIs (a response, a
streamed one through `responses.stream` and `finalResponse()`, a function-call loop, a
conversation). Each script prints a summary; the test checks it, then
checks through the emulator that the objects it names exist.

The SDK is installed once into `.node-sdk/` (see tests/node_env.py); without node/npm, or when
the install fails, these tests skip, and fail when `CI` is set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import node_env
from node_env import NODE_DIR, NodeSDK

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def node() -> NodeSDK:
    return node_env.node_sdk()


def _locked_version(package: str) -> str:
    lock = json.loads((NODE_DIR / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{package}"]["version"]


def test_the_lockfile_pins_what_package_json_asks_for():
    manifest = json.loads((NODE_DIR / "package.json").read_text())
    for package, version in manifest["dependencies"].items():
        assert _locked_version(package) == version
    assert {"openai", "@azure/ai-agents", "@azure/core-auth", "@azure/core-rest-pipeline"} <= set(
        manifest["dependencies"]
    )


def test_the_installed_sdks_are_the_locked_ones(node):
    for package in ("openai", "@azure/ai-agents", "@azure/core-auth", "@azure/core-rest-pipeline"):
        assert node.package_version(package) == _locked_version(package)
    assert (node.root / ".installed").is_file()
    # the helpers this test relies on are still in the SDK
    runs = (node.root / "node_modules/openai/resources/beta/threads/runs/runs.mjs").read_text()
    assert "async createAndPoll(" in runs and "\n    stream(" in runs


def test_the_openai_node_sdk_drives_the_dev_server(node, emulator_server, openai_client):
    result = node.run(NODE_DIR / "openai_quickstart.mjs", emulator_server.openai_base_url, emulator_server.api_key)
    summary = result.json()
    assert summary["sdk_version"] == _locked_version("openai")

    # nothing but the dev server was asked, every request once (maxRetries: 0)
    assert all(line.split(" ", 1)[1].startswith("/v1/") for line in summary["requests"])
    assert len(summary["requests"]) == 15, summary["requests"]

    # create, createAndPoll, list
    polled = summary["polled"]
    assert polled["assistant"]["object"] == "assistant"
    assert polled["assistant"]["tools"] == ["code_interpreter"]
    assert polled["run"]["status"] == "completed"
    assert polled["run"]["usage"]["total_tokens"] > 0
    question, reply = polled["messages"]
    assert question == {
        "id": polled["message_id"],
        "role": "user",
        "run_id": None,
        "text": "Solve 3x + 11 = 14",
    }
    assert reply["role"] == "assistant" and reply["run_id"] == polled["run"]["id"]
    assert reply["text"] == "Result: x = 1"
    assert sorted(polled["step_types"]) == ["message_creation", "tool_calls"]

    # the stream helpers: events in the service's order, deltas that join to the final text
    streamed = summary["streamed"]
    events = streamed["events"]
    assert events[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert events[-1] == "thread.run.completed"
    assert "thread.run.step.delta" in events and "thread.message.delta" in events
    assert events.index("thread.message.created") < events.index("thread.message.completed")
    assert streamed["run"]["status"] == "completed"
    assert streamed["text_from_deltas"] == streamed["final_text"] != ""
    assert streamed["tool_calls"] == ["code_interpreter"]
    assert streamed["content_types"] == ["image_file", "text"]
    image = streamed["image"]
    assert streamed["image_files_from_events"] == [image["file_id"]]
    assert image["png_signature"] is True
    assert image["content_type"] == "application/octet-stream"  # as recorded: ruby-openai files_fetch_image.yml
    assert image["purpose"] == "assistants_output"

    # upload with toFile; assistants files are not downloadable; the SDK's error classes
    uploaded = summary["file"]
    assert uploaded["filename"] == "notes.md" and uploaded["purpose"] == "assistants"
    assert uploaded["bytes"] == uploaded["retrieved_bytes"] == len(b"# Notes\nhello from node\n")
    assert uploaded["download"]["status"] == 400
    assert summary["missing_assistant"]["status"] == 404
    assert summary["missing_assistant"]["not_found_error"] is True

    # the same objects, seen through the emulator by the Python SDK
    client = openai_client
    assistant = client.beta.assistants.retrieve(polled["assistant"]["id"])
    assert assistant.name == "Math Tutor" and assistant.tools[0].type == "code_interpreter"
    run = client.beta.threads.runs.retrieve(polled["run"]["id"], thread_id=polled["thread_id"])
    assert run.status == "completed" and run.assistant_id == assistant.id
    texts = [m.content[0].text.value for m in client.beta.threads.messages.list(polled["thread_id"], order="asc")]
    assert texts == ["Solve 3x + 11 = 14", "Result: x = 1"]
    streamed_run = client.beta.threads.runs.retrieve(streamed["run"]["id"], thread_id=streamed["thread_id"])
    assert streamed_run.status == "completed"
    message = client.beta.threads.messages.retrieve(streamed["message_id"], thread_id=streamed["thread_id"])
    assert message.content[0].image_file.file_id == image["file_id"]
    png = client.files.content(image["file_id"]).read()
    assert png.startswith(PNG_SIGNATURE) and len(png) == image["bytes"]
    notes = client.files.retrieve(uploaded["id"])
    assert notes.filename == "notes.md" and notes.bytes == uploaded["bytes"]


def test_the_node_quickstart_runs_as_written(node, emulator_server, openai_client, tmp_path: Path):
    """tests/node/quickstart.mjs is the Node snippet of docs/index.md, run against this test's server."""
    result = node.run(
        NODE_DIR / "quickstart.mjs",
        replace={"http://127.0.0.1:8000": emulator_server.url.rstrip("/")},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "completed Result: x = 1"
    assert lines[-1] == "wrote sine.png"
    assert (tmp_path / "sine.png").read_bytes().startswith(PNG_SIGNATURE)
    (assistant,) = openai_client.beta.assistants.list().data
    assert assistant.name == "Math Tutor"


def test_the_node_responses_quickstart_runs_as_written(node, emulator_server, openai_client, tmp_path: Path):
    """tests/node/responses_quickstart.mjs is the Node snippet of docs/responses.md, run against this test's server."""
    result = node.run(
        NODE_DIR / "responses_quickstart.mjs",
        replace={"http://127.0.0.1:8000": emulator_server.url.rstrip("/")},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == 'function_call get_weather {"city": "Oslo"}'
    assert lines[1] == "completed" and lines[-1] == "completed"
    assert lines[2].startswith('You said: "Stream this"')


def test_azure_openai_from_node_runs_a_function_calling_loop(node, emulator_server, azure_openai_client):
    result = node.run(NODE_DIR / "openai_azure_tools.mjs", emulator_server.azure_endpoint, emulator_server.api_key)
    summary = result.json()
    assert all(line.split(" ", 1)[1].startswith("/openai/") for line in summary["requests"])
    assert all("api-version=2025-04-01-preview" in line for line in summary["requests"])

    polled = summary["polled"]
    assert polled["first_status"] == "requires_action"
    assert polled["call"] == {"name": "get_weather", "arguments": '{"city": "Lisbon"}'}
    assert polled["final_status"] == "completed"
    assert polled["reply"] == 'Here is what I found: get_weather returned {"temp": 19}.'

    streamed = summary["streamed"]
    assert streamed["paused_status"] == "requires_action"
    assert streamed["call"] == {"name": "get_weather", "arguments": '{"city": "Oslo"}'}
    assert streamed["first_events"][0] == "thread.run.created"
    assert streamed["first_events"][-1] == "thread.run.requires_action"
    assert streamed["resumed_events"][0] == "thread.run.step.completed"
    assert streamed["resumed_events"][-1] == "thread.run.completed"
    assert streamed["final_status"] == "completed"
    assert streamed["reply"] == 'Here is what I found: get_weather returned {"temp": 4}.'

    # five assistants, walked two at a time by the SDK's async iterator
    expected = [a.id for a in azure_openai_client.beta.assistants.list(order="asc", limit=100).data]
    assert summary["listed"] == expected and len(expected) == 5
    for section in (polled, streamed):
        run = azure_openai_client.beta.threads.runs.retrieve(section["run_id"], thread_id=section["thread_id"])
        assert run.status == "completed" and run.assistant_id == summary["assistant_id"]
        assert run.model == "my-gpt-4o-deployment"


def test_the_openai_node_sdk_on_the_responses_and_conversations_apis(node, emulator_server, emulator, openai_client):
    from weather import WEATHER_BOT

    emulator.models.register(WEATHER_BOT)
    result = node.run(NODE_DIR / "openai_responses.mjs", emulator_server.openai_base_url, emulator_server.api_key)
    summary = result.json()
    assert all(line.split(" ", 1)[1].startswith("/v1/") for line in summary["requests"])

    text = summary["text"]
    assert text["status"] == "completed" and "Hello from Node" in text["output_text"]
    assert text["usage"]["total_tokens"] == text["usage"]["input_tokens"] + text["usage"]["output_tokens"] > 0

    streamed = summary["streamed"]
    types = [e["type"] for e in streamed["events"]]
    assert types[:2] == ["response.created", "response.in_progress"] and types[-1] == "response.completed"
    assert "response.output_text.done" in types and "response.output_item.done" in types
    assert [e["sequence_number"] for e in streamed["events"]] == list(range(len(types)))
    assert streamed["status"] == "completed" and streamed["text_from_deltas"] == streamed["output_text"] != ""

    loop = summary["loop"]
    assert loop["call"] == {"name": "get_weather", "arguments": {"city": "Porto"}}
    assert loop["previous_response_id"] == loop["first_id"]
    assert loop["output_text"] == "It is 23 degrees in Porto."

    conversation = summary["conversation"]
    assert conversation["metadata"] == {"from": "node"}
    assert conversation["response_conversation"] == {"id": conversation["id"]}
    assert conversation["output_text"] == "2 messages"  # the bot's fallback: the messages it read
    # three items, walked two at a time by the SDK's async iterator
    assert [(i["type"], i["role"]) for i in conversation["items"]] == [
        ("message", "user"), ("message", "user"), ("message", "assistant")]  # fmt: skip
    assert summary["requests"].count(f"GET /v1/conversations/{conversation['id']}/items") == 2

    # the same objects, seen through the emulator by the Python SDK
    assert openai_client.responses.retrieve(streamed["id"]).output_text == streamed["output_text"]
    assert openai_client.responses.retrieve(loop["second_id"]).previous_response_id == loop["first_id"]
    items = openai_client.conversations.items.list(conversation["id"], order="asc").data
    assert [i.id for i in items] == [i["id"] for i in conversation["items"]]
    assert items[-1].id == openai_client.responses.retrieve(conversation["response_id"]).output[0].id
