"""JSON bodies are written as the real service writes them (emulator/jsonbody.py).

`tests/recorded_bodies/` holds raw bodies copied byte for byte from recorded traffic (see its
README): REST answers of api.openai.com from the ruby-openai cassettes (VCR keeps each body as
sent), and two streams. Each is parsed and written again by the emulator's serialiser, which
must give the same bytes; the emulator's own answers, over each way in, must be laid out so.
With ../shared/recordings present, the copies are checked against their cassettes and every
recorded JSON body of the OpenAI cassettes is rewritten the same way.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openai import NotFoundError, OpenAI

from emulator import Emulator, create_app, jsonbody
from emulator.jsonbody import event_data, rest_body
from emulator.models.assistant import Assistant
from emulator.routes import api_routes

BODIES = Path(__file__).parent / "recorded_bodies"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "recordings"
#: copy -> the route that answered it (None: an API the emulator does not serve)
ROUTES = {
    "assistants_create.1.json": ("POST", "/assistants"),
    "runs_retrieve.3.json": ("GET", "/threads/<thread_id>/runs/<run_id>"),
    "messages_modify.5.json": ("POST", "/threads/<thread_id>/messages/<message_id>"),
    "messages_modify.2.json": None,  # a 400: errors are written alike on every route
    "messages_delete.0.json": ("DELETE", "/threads/<thread_id>/messages/<message_id>"),
    "run_steps_list.2.json": ("GET", "/threads/<thread_id>/runs/<run_id>/steps"),
    "vector_stores_create.0.json": ("POST", "/vector_stores"),
    "vector_store_file_batches_list.0.json": None,  # a 500
    "vector_store_file_batches_list.1.json": ("GET", "/vector_stores/<vector_store_id>/file_batches/<batch_id>/files"),
    "files_upload_file.0.json": ("POST", "/files"),
    "models_retrieve.0.json": ("GET", "/models/<path:model_id>"),
    "responses_input_items_setup.0.json": None,  # /v1/responses: its `\u2014` shows non-ASCII escaped
}
#: A reply with what JSON writers disagree on: non-ASCII (two bytes, three, an emoji), DEL.
ODD_TEXT = "Café — 😄 \x7f tab\t end"
SCRIPT = {"name": "odd-bot", "turns": [{"do": [{"reply": ODD_TEXT}]}]}
BETA = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}


def _newline(rule: tuple[str, str] | None) -> bool:
    """Whether the emulator's route ends its answers with a newline."""
    if rule is None:
        return False
    routes = {(route.method, route.rule): route for route in api_routes()}
    return routes[rule].newline


def _data_lines(stream: str) -> list[str]:
    return [line[6:] for line in stream.split("\n") if line.startswith("data: ") and line != "data: [DONE]"]


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_recorded_body_is_written_again_byte_for_byte(name: str) -> None:
    raw = (BODIES / "ruby-openai" / name).read_bytes()
    assert rest_body(json.loads(raw), newline=_newline(ROUTES[name])) == raw


def test_the_copies_name_their_routes() -> None:
    assert {p.name for p in (BODIES / "ruby-openai").glob("*.json")} == set(ROUTES)
    # files and models answers end with a newline, as recorded; the others do not
    assert [name for name, rule in ROUTES.items() if _newline(rule)] == [
        "files_upload_file.0.json",
        "models_retrieve.0.json",
    ]


@pytest.mark.parametrize("name", ["ruby-openai/runs_streamed_create.3.sse", "azure-ai-agents/test_create_stream.3.sse"])
def test_recorded_stream_data_is_written_again(name: str) -> None:
    lines = _data_lines((BODIES / name).read_text(encoding="utf-8"))
    assert len(lines) > 20
    assert [event_data(json.loads(line)) for line in lines] == lines
    if name.startswith("azure"):  # the Foundry stream carries its text unescaped
        assert any("’" in line for line in lines) and any("😄" in line for line in lines)


@pytest.mark.parametrize("escapes", [True, False], ids=["ensure_ascii", "older-pydantic"])
def test_api_objects_are_laid_out_as_the_stdlib_writes_them(escapes: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """pydantic-core writes the bodies; what it writes otherwise than Python's json (non-ASCII,
    DEL, floats in 1e-10 < |x| < 1e-4) is corrected, wherever it falls."""
    monkeypatch.setattr(jsonbody, "_CAN_ESCAPE", escapes and jsonbody._CAN_ESCAPE)
    floats = [5e-05, 1.5e-07, 1e-10, 1e-4, 2.5, 1e16, 0.1]
    for n, value in enumerate(floats):
        assistant = Assistant(
            id="asst_1", created_at=1, model="gpt-4o", name=ODD_TEXT, temperature=value,
            metadata={"k\u00e9": "0.00001 e-5 file-7", "n": str(n)},
        )  # fmt: skip
        data = assistant.model_dump(mode="json")
        assert rest_body(assistant) == json.dumps(data, indent=2).encode(), value
        assert rest_body(data) == json.dumps(data, indent=2).encode(), value
        assert event_data(assistant) == json.dumps(data, separators=(",", ":"), ensure_ascii=False), value
    assert rest_body({"a": [], "b": {}, "c": [1, [2, []]]}, newline=True) == (
        b'{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    [\n      2,\n      []\n    ]\n  ]\n}\n'
    )


def _check_rest(content: bytes, *, newline: bool = False) -> Any:
    """An answer's bytes are the service's layout of its own JSON: indented, ASCII."""
    data = json.loads(content)
    assert content == json.dumps(data, indent=2).encode() + (b"\n" if newline else b"")
    return data


def _check_stream(content: bytes) -> None:
    lines = _data_lines(content.decode("utf-8"))
    assert (
        lines and [json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False) for line in lines] == lines
    )
    assert ODD_TEXT.replace("\t", "\\t") in content.decode("utf-8")  # raw UTF-8 (and DEL), not escaped


def _exercise(client: OpenAI) -> None:
    """An assistant named with non-ASCII, an error, a file, a streamed reply: every answer's raw bytes."""
    created = client.beta.assistants.with_raw_response.create(model="odd-bot", name=ODD_TEXT)
    assert created.headers["content-type"] == "application/json"
    content = created.http_response.content
    assert b'"name": "Caf\\u00e9 \\u2014 \\ud83d\\ude04 \\u007f tab\\t end",\n' in content
    assistant = _check_rest(content)
    with pytest.raises(NotFoundError) as missing:
        client.beta.assistants.retrieve("asst_nope")
    assert _check_rest(missing.value.response.content)["error"]
    upload = client.files.with_raw_response.create(file=("a.txt", b"x"), purpose="assistants")
    _check_rest(upload.http_response.content, newline=True)
    _check_rest(client.models.with_raw_response.list().http_response.content, newline=True)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    with client.beta.threads.runs.with_streaming_response.create(
        thread.id, assistant_id=assistant["id"], stream=True
    ) as s:
        assert s.headers["content-type"] == "text/event-stream; charset=utf-8"
        _check_stream(s.read())
    listed = client.beta.threads.messages.with_raw_response.list(thread.id).http_response.content
    assert b"Caf\\u00e9 \\u2014" in listed and _check_rest(listed)["data"]


@pytest.mark.emulator(models=[SCRIPT])
def test_answers_in_process_are_written_as_the_service_writes_them(openai_client: OpenAI) -> None:
    _exercise(openai_client)


@pytest.mark.emulator(models=[SCRIPT])
def test_answers_of_the_dev_server_are_written_as_the_service_writes_them(emulator_server: Any) -> None:
    with OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key, max_retries=0) as client:
        _exercise(client)


def test_answers_through_flask_are_written_as_the_service_writes_them() -> None:
    """The Flask app's own routes (what the direct WSGI path leaves to it) write the same bodies."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    emulator = Emulator(seed=1, models=[SCRIPT])
    fallback = create_app(emulator).wsgi_app.fallback
    bodies = []
    for method, path, body in [("POST", "/v1/assistants", {"model": "odd-bot", "name": ODD_TEXT}),
                               ("GET", "/v1/assistants/asst_nope", None), ("GET", "/v1/models", None)]:  # fmt: skip
        environ = EnvironBuilder(path=path, method=method, headers=BETA, json=body).get_environ()
        chunks, status, headers = run_wsgi_app(fallback, environ)
        assert headers["Content-Type"] == "application/json"
        bodies.append(b"".join(chunks))
    assert b'"name": "Caf\\u00e9 \\u2014' in bodies[0]
    _check_rest(bodies[0])
    _check_rest(bodies[1])
    _check_rest(bodies[2], newline=True)


# --- against the recordings themselves (../shared/recordings, when present) -----------------


def _cassette(name: str) -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.add_constructor("!binary", lambda loader, node: base64.b64decode(loader.construct_scalar(node)))
    with open(SHARED / "ruby-openai" / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)["http_interactions"]


needs_recordings = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/recordings is absent")


@needs_recordings
def test_the_copies_are_the_recorded_bytes() -> None:
    for path in sorted((BODIES / "ruby-openai").iterdir()):
        cassette, index = path.name.split(".")[:2]
        body = _cassette(f"{cassette}.yml")[int(index)]["response"]["body"]["string"]
        assert path.read_bytes() == (body.encode() if isinstance(body, str) else body), path.name
    entries = json.loads((SHARED / "azure-ai-agents" / "test_agents_client.pyTestAgentClienttest_create_stream.json")
                         .read_text(encoding="utf-8-sig"))["Entries"]  # fmt: skip
    stream = (BODIES / "azure-ai-agents" / "test_create_stream.3.sse").read_text(encoding="utf-8")
    assert "".join(entries[3]["ResponseBody"]) == stream


@needs_recordings
def test_every_recorded_openai_json_body_is_written_again() -> None:
    """Every JSON body of the ruby-openai cassettes (v1 and v2 alike, errors included): files
    and models answers end with a newline, as the emulator's routes for them do."""
    newline_routes = re.compile(r"^/v1/(files|models)(/[^/]+)?$")
    count = 0
    for path in sorted((SHARED / "ruby-openai").glob("*.yml")):
        for interaction in _cassette(path.name):
            response = interaction["response"]
            raw = response["body"]["string"]
            if not response["headers"].get("Content-Type", [""])[0].startswith("application/json"):
                continue
            raw = raw.encode() if isinstance(raw, str) else raw
            route = interaction["request"]["uri"].split("api.openai.com", 1)[1].split("?")[0]
            assert rest_body(json.loads(raw), newline=bool(newline_routes.match(route))) == raw, path.name
            count += 1
    assert count > 250


def test_tool_resources_say_their_stream_form_themselves() -> None:
    """The empty code_interpreter slot of stream events is the model's (`ToolResources.STREAM_DEFAULTS`),
    whatever object holds it and whoever writes it, with no case on the object in the stream writer
    (recorded: ruby-openai runs_streamed_create.yml; azure-openai StreamingToolCall.json)."""
    from emulator import wire
    from emulator.models.common import FileSearchResources, ToolResources

    resources = ToolResources(file_search=FileSearchResources(vector_store_ids=["vs_1"]))
    rest = {"file_search": {"vector_store_ids": ["vs_1"]}}
    assert resources.model_dump(mode="json") == rest
    with wire.reading("azure", stream=True):
        streamed = json.loads(event_data(resources))
        assert json.loads(event_data({"holder": resources.model_dump(mode="json")}))["holder"] == streamed
    assert list(streamed.items()) == [("code_interpreter", {"file_ids": []}), *rest.items()]  # the declared order
    assert resources.in_stream_form().model_dump(mode="json") == streamed  # a thread's retrieve shows it too
    with wire.reading("openai", stream=True):
        assert ToolResources().model_dump(mode="json") == {"code_interpreter": {"file_ids": []}}


def test_a_changed_copy_is_pydantics_model_copy() -> None:
    """`models.common.changed` (the run engine's cheap copy) gives what `model_copy(update=...)` gives: the same
    fields, fields set and body, the original untouched; models with extra fields take pydantic's own path."""
    from emulator.models.common import changed
    from emulator.models.run import Run
    from emulator.models.run_step import AzureToolCall

    run = Run(id="run_1", created_at=1, assistant_id="asst_1", thread_id="thread_1", model="gpt-4o")
    update = {"status": "in_progress", "started_at": 2, "metadata": {"k": "v"}}
    mine, theirs = changed(run, update), run.model_copy(update=update)
    assert type(mine) is Run and mine is not run
    assert (mine.__dict__, mine.model_fields_set, rest_body(mine)) == (
        theirs.__dict__, theirs.model_fields_set, rest_body(theirs),
    )  # fmt: skip
    assert (run.status, run.started_at, run.metadata) == ("queued", None, {})
    extra = AzureToolCall.model_validate({"id": "call_1", "type": "openapi", "openapi": {"name": "x"}})
    assert extra.__pydantic_extra__ == {"openapi": {"name": "x"}}
    for update in ({"id": "call_2"}, {"openapi": {"name": "y"}}):
        mine, theirs = changed(extra, update), extra.model_copy(update=update)
        assert (mine.model_dump(), mine.__pydantic_extra__) == (theirs.model_dump(), theirs.__pydantic_extra__)
