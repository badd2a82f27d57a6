"""The state inspector's JSON and routes (emulator/inspector), without a browser: what one key
sees, run timelines, steps, messages with footnotes, files. The page itself is driven in a
real browser in test_inspector_browser.py."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.inspector.text import segments
from emulator.inspector.view import inspect

PLOT = "Plot sin(x) from 0 to 2*pi"
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def statuses(run: dict[str, Any]) -> list[str]:
    return [entry["status"] for entry in run["timeline"]]


def only_thread(view: dict[str, Any]) -> dict[str, Any]:
    (thread,) = view["threads"]
    return thread


# --- the routes -----------------------------------------------------------------------------


def test_the_page_and_its_assets_are_served_without_a_key(http) -> None:
    page = http.get("/_emulator/inspector", headers={"Authorization": ""})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for asset, mimetype in (
        ("inspector.js", "text/javascript"),
        ("responses.js", "text/javascript"),
        ("inspector.css", "text/css"),
    ):
        assert f"/_emulator/inspector/static/{asset}" in html
        answer = http.get(f"/_emulator/inspector/static/{asset}")
        assert answer.status_code == 200 and answer.mimetype == mimetype
    assert "http://" not in html and "https://" not in html  # nothing from a CDN: it works offline
    assert http.get("/_emulator/inspector/static/view.py").status_code == 404
    assert http.get("/_emulator/inspector/static/..%2Fview.py").status_code == 404


def test_the_state_route_answers_the_view(http, openai_client, emulator) -> None:
    openai_client.beta.assistants.create(model="gpt-4o", name="Helper")
    answer = http.get("/_emulator/inspector/state")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-cache"
    body = answer.get_json()
    assert [a["name"] for a in body["assistants"]] == ["Helper"]
    assert body["emulator"]["keys"] is None and body["emulator"]["key"] is None
    assert body == inspect(emulator)


# --- a plot: messages, images, steps, files -------------------------------------------------------


@pytest.fixture
def plotted(openai_client) -> Any:
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": PLOT}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    return run


def test_a_plot_shows_its_image_message_its_code_step_and_its_file(http, emulator, plotted) -> None:
    view = inspect(emulator)
    thread = only_thread(view)
    user, reply = thread["messages"]
    assert user["content"][0]["segments"] == [{"text": PLOT}]
    image_part = next(p for p in reply["content"] if p["type"] == "image_file")
    image_id = image_part["image_file"]["file_id"]
    (run,) = thread["runs"]
    assert run["id"] == plotted.id and run["executing"] is False and run["progression"] is None
    (code_step, message_step) = run["steps"]
    (call,) = code_step["step_details"]["tool_calls"]
    assert "plt" in call["code_interpreter"]["input"]
    assert call["code_interpreter"]["outputs"] == [{"type": "image", "image": {"file_id": image_id}}]
    assert message_step["step_details"]["message_creation"]["message_id"] == reply["id"]
    (file,) = view["files"]
    assert file["id"] == image_id and file["mime"] == "image/png" and file["api_downloadable"]

    content = http.get(f"/_emulator/inspector/files/{image_id}/content")
    assert content.status_code == 200 and content.mimetype == "image/png"
    assert content.data.startswith(b"\x89PNG")
    assert content.headers["Content-Disposition"].startswith("inline;")
    saved = http.get(f"/_emulator/inspector/files/{image_id}/content?download=1")
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    assert http.get("/_emulator/inspector/files/file-nope/content").status_code == 404


def test_files_that_could_run_in_the_page_are_only_ever_downloaded(http, openai_client) -> None:
    page = openai_client.files.create(file=("evil.html", b"<script>alert(1)</script>"), purpose="assistants")
    answer = http.get(f"/_emulator/inspector/files/{page.id}/content")
    assert answer.status_code == 200  # the inspector shows bytes the API would not let a client download
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Content-Security-Policy"].startswith("sandbox")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_path_annotation_becomes_a_footnote_and_a_link(emulator, openai_client) -> None:
    code = "import pandas as pd\npd.DataFrame({'a': [1, 2]}).to_csv('/mnt/data/out.csv', index=False)\n"
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": f"```python\n{code}```"}])
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    reply = only_thread(inspect(emulator))["messages"][-1]
    (text,) = [p for p in reply["content"] if p["type"] == "text"]
    (note,) = text["footnotes"]
    linked = [s for s in text["segments"] if s.get("note") == 1]
    assert linked == [{"text": "sandbox:/mnt/data/out.csv", "note": 1, "type": "file_path", "file_id": note["file_id"]}]
    assert "".join(s["text"] for s in text["segments"]) == text["text"]["value"]
    assert note["type"] == "file_path" and note["file_id"] in {f["id"] for f in inspect(emulator)["files"]}


def test_segments_cut_text_at_annotations_and_keep_odd_ones_as_footnotes() -> None:
    def cite(file_id: str, start: int, end: int) -> dict[str, Any]:
        return {"type": "file_citation", "text": "[1]", "file_citation": {"file_id": file_id},
                "start_index": start, "end_index": end}  # fmt: skip

    citation, outside = cite("f1", 4, 7), cite("f2", 50, 51)
    parts, notes = segments("See [1] here", [outside, citation])
    assert parts == [
        {"text": "See "},
        {"text": "[1]", "note": 1, "type": "file_citation", "file_id": "f1"},
        {"text": " here"},
    ]
    assert [(n["note"], n["file_id"]) for n in notes] == [(1, "f1"), (2, "f2")]
    assert segments("", []) == ([{"text": ""}], [])
    url = {"type": "url_citation", "text": "[2]", "url_citation": {"url": "https://example.com", "title": "Example"},
           "start_index": 0, "end_index": 3}  # fmt: skip
    (note,) = segments("[2]", [url])[1]
    assert (note["type"], note["url"], note["title"], note["file_id"]) == ("url_citation", url["url_citation"]["url"],
                                                                        "Example", None)  # fmt: skip


# --- run timelines ------------------------------------------------------------------------------


def test_function_calls_show_each_visit_to_requires_action(emulator, openai_client) -> None:
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Lisbon"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    (waiting,) = only_thread(inspect(emulator))["runs"]
    assert statuses(waiting) == ["queued", "in_progress", "requires_action"]
    assert waiting["timeline"][1]["source"] == "started_at"
    assert waiting["required_action"]["submit_tool_outputs"]["tool_calls"][0]["function"]["name"] == "get_weather"
    (pending,) = waiting["steps"][0]["step_details"]["tool_calls"]
    assert pending["function"]["output"] is None

    emulator.advance(5)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": '{"temp": 19}'}]
    )
    (done,) = only_thread(inspect(emulator))["runs"]
    assert statuses(done) == ["queued", "in_progress", "requires_action", "queued", "in_progress", "completed"]
    first_start, submitted, second_start = done["timeline"][1], done["timeline"][3], done["timeline"][4]
    assert first_start["at"] is None and first_start["note"] == "time not recorded"  # started_at keeps the latest
    assert submitted["at"] == second_start["at"] == done["started_at"] == run.created_at + 5
    assert done["timeline"][-1] == {"status": "completed", "at": done["completed_at"], "source": "completed_at"}
    assert done["steps"][0]["step_details"]["tool_calls"][0]["function"]["output"] == '{"temp": 19}'


def test_a_run_left_waiting_for_tool_outputs_expires_there(emulator, openai_client) -> None:
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Lisbon"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    emulator.advance(run.expires_at - run.created_at + 1)
    assert openai_client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).status == "expired"
    (expired,) = only_thread(inspect(emulator))["runs"]
    assert statuses(expired) == ["queued", "in_progress", "requires_action", "expired"]
    assert expired["timeline"][-1] == {"status": "expired", "at": run.expires_at, "source": "expires_at"}
    assert expired["steps"][0]["status"] == "expired"


def test_a_failed_run_shows_its_error_in_the_timeline(http, emulator, openai_client) -> None:
    assert http.post("/_emulator/faults/runs", json={"code": "rate_limit_exceeded"}).status_code == 200
    assert inspect(emulator)["emulator"]["faults"]["runs"][0]["code"] == "rate_limit_exceeded"
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    (run,) = only_thread(inspect(emulator))["runs"]
    assert statuses(run) == ["queued", "in_progress", "failed"]
    failed = run["timeline"][-1]
    assert failed["at"] == run["failed_at"] and failed["source"] == "failed_at"
    assert failed["note"].startswith("rate_limit_exceeded: ")
    assert run["last_error"]["code"] == "rate_limit_exceeded"


@pytest.mark.emulator(progression="reads:3")
def test_inspecting_never_moves_a_run_and_a_cancel_shows_cancelling(emulator, openai_client) -> None:
    assistant = openai_client.beta.assistants.create(model="gpt-4o")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    run = openai_client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    for _ in range(10):
        (seen,) = only_thread(inspect(emulator))["runs"]
        assert statuses(seen) == ["queued"] and seen["progression"] == "reads:3"
    openai_client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id)
    (cancelling,) = only_thread(inspect(emulator))["runs"]
    assert statuses(cancelling) == ["queued", "cancelling"]
    while openai_client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).status != "cancelled":
        pass
    (cancelled,) = only_thread(inspect(emulator))["runs"]
    assert statuses(cancelled) == ["queued", "cancelling", "cancelled"]
    assert cancelled["timeline"][-1]["at"] == cancelled["cancelled_at"]


# An MCP call that waits for the app's approval (Foundry's shape; see test_foundry_mcp.py): the
# script's canned output stands for the server's answer, so no server is needed.
MCP_SCRIPT = {
    "name": "mcp-bot",
    "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "Done: {{ last_tool.output }}"}]},
        {"do": [{"tool": "mcp", "server_label": "weather", "name": "get_weather", "arguments": {"city": "Oslo"},
                 "output": "7 degrees"}]},
    ],
}  # fmt: skip
FOUNDRY = "/api/projects/p"
V1 = {"api-version": "v1"}


def foundry(http, method: str, path: str, **body: Any) -> dict[str, Any]:
    answer = http.open(FOUNDRY + path, method=method, query_string=V1, json=body if method == "POST" else None)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def mcp_run(http, require_approval: str) -> tuple[str, dict[str, Any]]:
    """A run of the MCP agent, polled until it rests: its thread id and the run."""
    tool = {"type": "mcp", "server_label": "weather", "server_url": "http://127.0.0.1:9/mcp"}
    agent = foundry(http, "POST", "/assistants", model="mcp-bot", tools=[tool])
    thread = foundry(http, "POST", "/threads", messages=[{"role": "user", "content": "weather in Oslo?"}])
    resources = {"mcp": [{"server_label": "weather", "require_approval": require_approval}]}
    run = foundry(http, "POST", f"/threads/{thread['id']}/runs", assistant_id=agent["id"], tool_resources=resources)
    while run["status"] in ("queued", "in_progress"):
        run = foundry(http, "GET", f"/threads/{thread['id']}/runs/{run['id']}")
    return thread["id"], run


@pytest.mark.emulator(models=[MCP_SCRIPT])
def test_an_mcp_call_waiting_for_its_approval_is_a_visit_to_requires_action(http, emulator) -> None:
    thread_id, run = mcp_run(http, "always")
    assert run["required_action"]["type"] == "submit_tool_approval"
    (waiting,) = only_thread(inspect(emulator))["runs"]
    assert statuses(waiting) == ["queued", "in_progress", "requires_action"]
    step_id = waiting["steps"][0]["id"]
    asked = waiting["timeline"][2]
    assert asked == {"status": "requires_action", "at": waiting["steps"][0]["created_at"],
                     "source": f"{step_id}.created_at", "note": "an MCP call waits for the app's approval"}  # fmt: skip

    emulator.advance(5)
    call_id = run["required_action"]["submit_tool_approval"]["tool_calls"][0]["id"]
    foundry(http, "POST", f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs",
            tool_approvals=[{"tool_call_id": call_id, "approve": True}])  # fmt: skip
    while foundry(http, "GET", f"/threads/{thread_id}/runs/{run['id']}")["status"] != "completed":
        pass
    (done,) = only_thread(inspect(emulator))["runs"]
    assert statuses(done) == ["queued", "in_progress", "requires_action", "queued", "in_progress", "completed"]
    approved, started = done["timeline"][3], done["timeline"][4]
    assert approved == {"status": "queued", "at": None, "source": None,
                        "note": "time not recorded (tool approval submitted)"}  # fmt: skip
    assert started["at"] == done["started_at"] == run["created_at"] + 5
    assert done["steps"][0]["step_details"]["tool_calls"][0]["output"] == "7 degrees"


@pytest.mark.emulator(models=[MCP_SCRIPT])
def test_an_mcp_call_left_waiting_for_its_approval_expires_there(http, emulator) -> None:
    _, run = mcp_run(http, "always")
    emulator.advance(run["expires_at"] - run["created_at"] + 1)
    (expired,) = only_thread(inspect(emulator))["runs"]  # the inspector never moves a run: poll it first
    assert statuses(expired) == ["queued", "in_progress", "requires_action"]
    assert foundry(http, "GET", f"/threads/{run['thread_id']}/runs/{run['id']}")["status"] == "expired"
    (expired,) = only_thread(inspect(emulator))["runs"]
    assert statuses(expired) == ["queued", "in_progress", "requires_action", "expired"]


@pytest.mark.emulator(models=[MCP_SCRIPT])
def test_an_mcp_call_needing_no_approval_is_no_visit_to_requires_action(http, emulator) -> None:
    _, run = mcp_run(http, "never")
    assert run["status"] == "completed"
    (done,) = only_thread(inspect(emulator))["runs"]
    assert statuses(done) == ["queued", "in_progress", "completed"]


# --- file_search and vector stores ------------------------------------------------------------------


def test_file_search_steps_show_their_results_and_stores_their_files(emulator, openai_client) -> None:
    notes = b"The launch date of project Falcon is 12 March 2025."
    file = openai_client.files.create(file=("notes.md", notes), purpose="assistants")
    store = openai_client.vector_stores.create(name="docs", file_ids=[file.id])
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    thread = openai_client.beta.threads.create(
        messages=[{"role": "user", "content": "When is the launch of project Falcon?"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    view = inspect(emulator)
    (run,) = only_thread(view)["runs"]
    (search,) = run["steps"][0]["step_details"]["tool_calls"]
    (result,) = search["file_search"]["results"]
    assert result["file_id"] == file.id and result["file_name"] == "notes.md" and result["score"] > 0
    reply = only_thread(view)["messages"][-1]
    (note,) = reply["content"][0]["footnotes"]
    assert note["type"] == "file_citation" and note["file_id"] == file.id
    (seen_store,) = view["vector_stores"]
    assert seen_store["name"] == "docs" and seen_store["file_counts"]["completed"] == 1
    assert [(f["id"], f["filename"], f["status"]) for f in seen_store["files"]] == [(file.id, "notes.md", "completed")]
    assert {f["id"]: f["api_downloadable"] for f in view["files"]} == {file.id: False}


# --- keys ------------------------------------------------------------------------------------------


@pytest.mark.emulator(api_keys=["k1", "k2"])
def test_each_key_sees_only_its_own_objects(http, emulator) -> None:
    emulator.backend("k1").assistants.create({"model": "gpt-4o", "name": "one"})
    emulator.backend("k2").assistants.create({"model": "gpt-4o", "name": "two"})
    emulator.backend("k2").threads.create({})

    def names(view: dict[str, Any]) -> list[str]:
        return [a["name"] for a in view["assistants"]]

    assert names(inspect(emulator, "k1")) == ["one"] and inspect(emulator, "k1")["threads"] == []
    assert names(inspect(emulator, "k2")) == ["two"] and len(inspect(emulator, "k2")["threads"]) == 1
    by_query = http.get("/_emulator/inspector/state?key=k2").get_json()
    by_bearer = http.get("/_emulator/inspector/state", headers={"Authorization": "Bearer k2"}).get_json()
    assert names(by_query) == names(by_bearer) == ["two"]
    assert by_query["emulator"]["keys"] == ["k1", "k2"] and by_query["emulator"]["key"] == "k2"
    first = http.get("/_emulator/inspector/state", headers={"Authorization": ""}).get_json()
    assert first["emulator"]["key"] == "k1" and names(first) == ["one"]  # no key: the first one

    unknown = http.get("/_emulator/inspector/state?key=k3")
    assert unknown.status_code == 401 and "k3" in unknown.get_json()["error"]["message"]


@pytest.mark.emulator(api_keys=["k1", "k2"])
def test_a_key_cannot_fetch_another_keys_file(http, emulator) -> None:
    file = emulator.backend("k1").files.create(filename="a.txt", content=b"one", purpose="assistants", form={})
    assert http.get(f"/_emulator/inspector/files/{file.id}/content?key=k1").data == b"one"
    assert http.get(f"/_emulator/inspector/files/{file.id}/content?key=k2").status_code == 404
    assert "k2" not in emulator.state()["namespaces"]  # looking makes no namespace


def test_a_browser_opening_the_root_is_sent_to_the_inspector_and_a_client_gets_the_api_404(http) -> None:
    browser = http.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 302 and browser.headers["Location"] == "/_emulator/inspector"
    assert browser.headers["x-request-id"].startswith("req_")
    client = http.get("/", headers={"Accept": "application/json"})
    assert client.status_code == 404 and "error" in client.get_json()
    assert http.post("/", headers={"Accept": "text/html"}).status_code == 404


# --- the Responses side: conversations as chats, responses with their chain ----------------------

RESPONSES_WEATHER = {"type": "function", "name": "get_weather",
                     "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}  # fmt: skip


def test_a_conversation_is_a_chat_of_its_items_and_its_responses(http, emulator, openai_client) -> None:
    conversation = openai_client.conversations.create(items=[{"role": "user", "content": "get_weather in Oslo"}])
    called = openai_client.responses.create(model="gpt-4o", conversation=conversation.id, tools=[RESPONSES_WEATHER])
    (call,) = called.output
    assert call.type == "function_call"
    output = {"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 4}'}
    answered = openai_client.responses.create(model="gpt-4o", conversation=conversation.id, input=[output],
                                              tools=[RESPONSES_WEATHER])  # fmt: skip
    view = http.get("/_emulator/inspector/state").get_json()
    (shown,) = view["conversations"]
    assert shown["id"] == conversation.id and shown["responses"] == [called.id, answered.id]
    assert [i["type"] for i in shown["items"]] == ["message", "function_call", "function_call_output", "message"]
    assert shown["items"][1]["name"] == "get_weather" and shown["items"][2]["output"] == '{"temp": 4}'
    reply = shown["items"][-1]
    assert reply["role"] == "assistant" and reply["content"][0]["segments"] == [{"text": answered.output_text}]
    responses = {r["id"]: r for r in view["responses"]}
    assert responses[answered.id]["conversation"] == {"id": conversation.id}
    assert responses[answered.id]["usage"]["total_tokens"] == answered.usage.total_tokens
    assert [i["type"] for i in responses[answered.id]["input_items"]] == ["function_call_output"]


def test_a_response_shows_its_status_usage_and_chain(http, emulator, openai_client) -> None:
    first = openai_client.responses.create(model="gpt-4o", input="one")
    second = openai_client.responses.create(model="gpt-4o", input="two", previous_response_id=first.id)
    third = openai_client.responses.create(model="gpt-4o", input="three", previous_response_id=second.id)
    branch = openai_client.responses.create(model="gpt-4o", input="other", previous_response_id=first.id)
    openai_client.responses.delete(second.id)
    view = inspect(emulator)
    responses = {r["id"]: r for r in view["responses"]}
    assert second.id not in responses
    # a deleted link is still named by the response after it; the walk stops there
    assert responses[third.id]["chain"] == [second.id]
    assert responses[branch.id]["chain"] == [first.id]
    assert responses[first.id]["chain"] == [] and responses[first.id]["continued_by"] == [branch.id]
    shown = responses[first.id]
    assert shown["status"] == "completed" and shown["usage"] == first.usage.model_dump(exclude_none=True)
    assert shown["input_items"][0]["content"][0]["text"] == "one"
    assert shown["output"][0]["content"][0]["text"] == first.output_text
    assert shown["progression"] is None and shown["events"] is None  # only a background response keeps its events


@pytest.mark.emulator(progression="reads:2")
def test_inspecting_never_moves_a_background_response(http, emulator, openai_client) -> None:
    queued = openai_client.responses.create(model="gpt-4o", input="later", background=True)
    for _ in range(3):
        (shown,) = http.get("/_emulator/inspector/state").get_json()["responses"]
        assert shown["status"] == "queued" and shown["progression"] == "reads:2"
    assert inspect(emulator)["emulator"]["active_responses"] == 1
    openai_client.responses.cancel(queued.id)
    (shown,) = inspect(emulator)["responses"]
    assert shown["status"] == "cancelled" and shown["progression"] is None
    assert inspect(emulator)["emulator"]["active_responses"] == 0


def test_items_views_show_reasoning_and_flat_annotations() -> None:
    from emulator.inspector.chats import item_view
    from emulator.models.items import OutputMessage, OutputText, ReasoningItem, SummaryText

    text = "See the tides page."
    cited = {"type": "url_citation", "start_index": 8, "end_index": 18, "url": "https://example.org", "title": "Tides"}
    message = OutputMessage(id="msg_1", content=[OutputText(text=text, annotations=[cited])])
    (part,) = item_view(message)["content"]
    assert [s["text"] for s in part["segments"]] == ["See the ", "tides page", "."]
    assert part["footnotes"] == [{"note": 1, "type": "url_citation", "file_id": None, "text": "",
                                  "url": "https://example.org", "title": "Tides"}]  # fmt: skip
    reasoning = item_view(ReasoningItem(id="rs_1", summary=[SummaryText(text="thought")], encrypted_content="xyz"))
    assert reasoning["summary"] == [{"type": "summary_text", "text": "thought"}]
    assert reasoning["encrypted_content"] == "xyz"


def test_a_file_search_call_shows_its_results_and_a_citation_its_place() -> None:
    from emulator.inspector.chats import item_view
    from emulator.models.items import OutputMessage, OutputText
    from emulator.models.tool_items import FileSearchCallItem, FileSearchResultEntry

    result = FileSearchResultEntry(
        file_id="file-1", filename="notes.md", score=0.8, text="Mondays.", vector_store_id="vs"
    )
    call = item_view(FileSearchCallItem(id="fs_1", queries=["when?"], results=[result]))
    assert call["queries"] == ["when?"] and call["results"][0]["filename"] == "notes.md"
    cited = {"type": "file_citation", "file_id": "file-1", "filename": "notes.md", "index": 7}
    (part,) = item_view(OutputMessage(id="msg_1", content=[OutputText(text="Mondays.", annotations=[cited])]))[
        "content"
    ]
    assert [(s["text"], s.get("note")) for s in part["segments"]] == [("Mondays", None), ("", 1), (".", None)]
    assert part["footnotes"][0]["file_id"] == "file-1" and part["footnotes"][0]["text"] == "notes.md"
