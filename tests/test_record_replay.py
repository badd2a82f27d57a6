"""The recording proxy (`assistants-emulator record`) and the replay of a recording as a scripted
model. The "real service" here is a second emulator on 127.0.0.1: nothing leaves loopback."""

from __future__ import annotations

import base64
import json
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openai import AssistantEventHandler, AzureOpenAI, OpenAI

import docs_blocks
from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.contract import recorder
from emulator.contract.recorder import RecordingProxy, dump_yaml, parse_sse
from emulator.contract.replay import load_script_from_fixture, scenario_to_script
from emulator.server import Server
from emulator.transport import sdk_http_module
from scripted_models.script import Script

SECRET = "sk-secret-123"
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}  # fmt: skip
CODE = {"type": "code_interpreter"}
BOT = {
    "name": "weather-bot",
    "turns": [
        {"when": {"tool_outputs": True},
         "do": [{"reply": "It is {{ outputs[0].output }} in {{ calls[0].arguments.city }}. {{ '{{' }}not a template}}"}]},
        {"when": {"user": "(?i)weather in (?P<city>[A-Za-z]+)"},
         "do": [{"reply": "Let me check {% raw %}{% city %}{% endraw %}."},
                {"call": "get_weather", "arguments": {"city": "{{ match.city }}"}}]},
        {"do": [{"reply": "Ask me about the weather."}]},
    ],
}  # fmt: skip
SLOW = {
    "name": "slow-coder",
    "turns": [
        {"when": {"code_ran": True}, "do": [{"reply": "Slept; the code said {{ last_code.logs | trim }}."}]},
        {"do": [{"run_code": "import time\ntime.sleep(1)\nprint('awake')"}]},
    ],
}
MODELS = {"bot": "weather-bot", "slow": "slow-coder", "code": "gpt-4o"}
JSONL = b'{"custom_id": "a", "note": "key sk-secret-123 inside"}\n'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"


# --- the servers ----------------------------------------------------------------------------------


def capturing(app: Any, seen: list[dict[str, Any]]) -> Any:
    """WSGI middleware: every answer the upstream sends (status, content-type, the body's bytes)."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        record: dict[str, Any] = {
            "method": environ["REQUEST_METHOD"],
            "path": environ["PATH_INFO"],
            "body": bytearray(),
        }
        seen.append(record)

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            record["status"] = int(status.split()[0])
            record["content-type"] = next((v for k, v in headers if k.lower() == "content-type"), None)
            return start_response(status, headers, exc_info)

        result = app(environ, capture)
        try:
            for chunk in result:
                record["body"].extend(chunk)
                yield chunk
        finally:
            if hasattr(result, "close"):
                result.close()

    return wrapped


def teeing_client(base_url: str, seen: list[dict[str, Any]], **options: Any) -> OpenAI:
    """An OpenAI client over HTTP (no proxy variables) keeping the bytes of every answer it gets."""
    http = sdk_http_module()

    class Tee(http.HTTPTransport):
        def handle_request(self, request: Any) -> Any:
            response = super().handle_request(request)
            record = {"method": request.method, "path": request.url.path, "status": response.status_code,
                      "content-type": response.headers.get("content-type"), "body": bytearray()}  # fmt: skip
            seen.append(record)
            inner = response.stream

            class Stream(http.SyncByteStream):
                def __iter__(self) -> Any:
                    for chunk in inner:
                        record["body"].extend(chunk)
                        yield chunk

                def close(self) -> None:
                    inner.close()

            return http.Response(response.status_code, headers=response.headers, stream=Stream(),
                                 extensions=response.extensions)  # fmt: skip

    client = http.Client(transport=Tee(), trust_env=False, timeout=60)
    return OpenAI(base_url=base_url, api_key=SECRET, http_client=client, max_retries=0, **options)


@pytest.fixture(scope="module")
def upstream():
    """The "real service": an emulator on 127.0.0.1 with the scripted models, its answers captured."""
    seen: list[dict[str, Any]] = []
    emulator = Emulator(seed=3, models=[BOT, SLOW])
    server = Server(capturing(create_app(emulator), seen), port=0, threads=8, log_requests=False).start_in_thread()
    server.seen = seen
    try:
        yield server
    finally:
        server.stop()
        emulator.close()


@dataclass
class Recording:
    path: Path
    upstream_port: int
    upstream_seen: list[dict[str, Any]]
    client_seen: list[dict[str, Any]]
    result: dict[str, Any]


@pytest.fixture(scope="module")
def recording(upstream, tmp_path_factory) -> Recording:
    """The conversation below, through the recording proxy (in its own server) in front of `upstream`."""
    out = tmp_path_factory.mktemp("out")
    proxy = RecordingProxy(upstream.url, out, name="session", client=httpx.Client(trust_env=False))
    front = Server(proxy, port=0, threads=8, log_requests=False).start_in_thread()
    client_seen: list[dict[str, Any]] = []
    try:
        del upstream.seen[:]
        result = converse(teeing_client(front.url + "/v1", client_seen), MODELS)
        assert proxy.wait_idle(10)
        upstream_seen = list(upstream.seen)
    finally:
        front.stop()
        proxy.close()
    return Recording(proxy.path, upstream.port, upstream_seen, client_seen, result)


# --- one client conversation ------------------------------------------------------------------------


class Timed(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.start = time.monotonic()
        self.times: list[tuple[str, float]] = []

    def on_event(self, event: Any) -> None:  # type: ignore[override]
        self.times.append((event.event, time.monotonic() - self.start))


def run_summary(client: OpenAI, thread_id: str, run_id: str) -> dict[str, Any]:
    """What the model did in a run: its function calls, code and texts, in order."""
    run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run_id)
    steps = client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run_id, order="asc").data
    messages = {m.id: m for m in client.beta.threads.messages.list(thread_id=thread_id, order="asc").data}
    done: list[Any] = []
    for step in steps:
        if step.step_details.type == "message_creation":
            message = messages[step.step_details.message_creation.message_id]
            done.append(["reply", "\n\n".join(p.text.value for p in message.content if p.type == "text")])
            continue
        for call in step.step_details.tool_calls:
            if call.type == "function":
                done.append(["call", call.function.name, call.function.arguments])
            elif call.type == "code_interpreter":
                done.append(["code", call.code_interpreter.input])
    return {"status": run.status, "did": done}


def converse(client: OpenAI, models: dict[str, str]) -> dict[str, Any]:
    """The conversation recorded through the proxy (and replayed later): its runs' summaries."""
    runs = []
    bot = client.beta.assistants.create(model=models["bot"], name="weather", tools=[WEATHER],
                                        instructions="You are a weather bot.")  # fmt: skip
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="What is the weather in Paris?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=bot.id)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": calls[0].id, "output": "19C"}]
    )
    runs.append(run_summary(client, thread.id, run.id))
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Thanks {{ a lot }}!")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=bot.id)
    runs.append(run_summary(client, thread.id, run.id))

    slow = client.beta.assistants.create(model=models["slow"], tools=[CODE])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Take a nap, then tell me."}])
    handler = Timed()
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=slow.id, event_handler=handler) as stream:
        stream.until_done()
    run = stream.get_final_run()
    runs.append(run_summary(client, thread.id, run.id))

    coder = client.beta.assistants.create(model=models["code"], tools=[CODE])
    run = client.beta.threads.create_and_run_poll(
        assistant_id=coder.id, thread={"messages": [{"role": "user", "content": "```python\nprint(6*7)\n```"}]}
    )
    runs.append(run_summary(client, run.thread_id, run.id))

    text = client.files.create(file=("requests.jsonl", JSONL), purpose="batch")
    image = client.files.create(file=("pixel.png", PNG), purpose="vision")
    downloads = [client.files.content(text.id).read(), client.files.content(image.id).read()]
    return {"runs": runs, "downloads": downloads, "stream_times": handler.times}


# --- recording ------------------------------------------------------------------------------------


def test_the_proxy_relays_exactly_and_records_the_session(recording):
    result, upstream_seen, client_seen = recording.result, recording.upstream_seen, recording.client_seen
    # what the conversation did (the upstream's scripted models)
    assert result["runs"][0] == {"status": "completed", "did": [
        ["reply", "Let me check {% city %}."], ["call", "get_weather", '{"city": "Paris"}'],
        ["reply", "It is 19C in Paris. {{not a template}}"]]}  # fmt: skip
    assert result["runs"][1]["did"] == [["reply", "Ask me about the weather."]]
    assert result["runs"][2]["did"] == [["code", "import time\ntime.sleep(1)\nprint('awake')"],
                                        ["reply", "Slept; the code said awake."]]  # fmt: skip
    assert result["runs"][3]["did"][0] == ["code", "print(6*7)\n"]
    assert result["downloads"] == [JSONL, PNG]

    # the client got exactly what the upstream sent, answer by answer, byte for byte
    assert len(client_seen) == len(upstream_seen) > 20
    for got, sent in zip(client_seen, upstream_seen, strict=True):
        assert (got["method"], got["path"], got["status"], got["content-type"]) == (
            sent["method"], sent["path"], sent["status"], sent["content-type"])  # fmt: skip
        assert bytes(got["body"]) == bytes(sent["body"]), got["path"]

    # the stream stayed incremental: its first events came well before the code (1 s) ended
    times = dict(reversed(result["stream_times"]))  # first arrival of each event
    assert times["thread.run.created"] < times["thread.run.completed"] - 0.5

    # the fixture: every exchange, in order, with its status and body; no secret anywhere
    text = recording.path.read_text(encoding="utf-8")
    assert recording.path.name == "session.yaml"
    assert SECRET not in text and "secret-123" not in text
    data = yaml.safe_load(text)
    assert data["source"].startswith(
        f"recorded through assistants-emulator record from 127.0.0.1:{recording.upstream_port} on "
    )
    assert data["shape"] == "openai"
    exchanges = data["exchanges"]
    assert [(e["request"]["method"], e["request"]["path"], e["response"]["status"]) for e in exchanges] == [
        (s["method"], s["path"], s["status"]) for s in upstream_seen]  # fmt: skip
    for exchange, sent in zip(exchanges, upstream_seen, strict=True):
        request, response = exchange["request"], exchange["response"]
        assert set(request.get("headers", {})) <= {"OpenAI-Beta"}
        assert response["headers"] == {"content-type": sent["content-type"]}
        body = bytes(sent["body"]).replace(SECRET.encode(), b"REDACTED")
        media = sent["content-type"].split(";")[0]
        if media == "application/json":
            assert response["body"] == json.loads(body)
        elif media == "text/event-stream":
            assert response["events"] == parse_sse(body.decode())
            assert response["events"][-1] == {"event": "done", "data": "[DONE]"}
        elif "text" in response:
            assert response["text"].encode() == body
        else:
            assert base64.b64decode(response["base64"]) == body

    first = exchanges[0]["request"]
    assert first == {"method": "POST", "path": "/v1/assistants", "headers": {"OpenAI-Beta": "assistants=v2"},
                     "body": {"model": "weather-bot", "name": "weather", "tools": [WEATHER],
                              "instructions": "You are a weather bot."}}  # fmt: skip
    uploads = [e["request"]["multipart"] for e in exchanges if "multipart" in e["request"]]
    assert uploads == [
        {"fields": {"purpose": "batch"},
         "files": {"file": {"filename": "requests.jsonl", "content_type": "application/octet-stream",
                            "text": JSONL.decode().replace(SECRET, "REDACTED")}}},
        {"fields": {"purpose": "vision"},
         "files": {"file": {"filename": "pixel.png", "content_type": "image/png",
                            "base64": base64.b64encode(PNG).decode()}}},
    ]  # fmt: skip
    streams = [e for e in exchanges if "events" in e["response"]]
    assert len(streams) == 1 and streams[0]["request"]["body"]["stream"] is True
    downloads = [e["response"] for e in exchanges if e["request"]["path"].endswith("/content")]
    assert "text" in downloads[0] and base64.b64decode(downloads[1]["base64"]) == PNG


def test_the_recording_checks_clean_against_a_fresh_emulator(recording):
    """It reads back as a valid fixture, and an emulator with the same models answers it the same way."""
    checker = pytest.importorskip("emulator.contract.checker")
    emulator = Emulator(seed=11, models=[BOT, SLOW])
    try:
        differences = checker.check_file(recording.path, app=create_app(emulator))
    finally:
        emulator.close()
    assert [str(d) for d in differences] == []


def test_a_recorded_session_replays_as_a_scripted_model(recording):
    script = scenario_to_script(recording.path, "replayed")
    Script.from_dict(script)  # a valid script
    assert yaml.safe_load(yaml.safe_dump(script)) == script
    emulator = Emulator(seed=99, models=[script])
    try:
        replayed = converse(in_process_client(create_app(emulator)), dict.fromkeys(MODELS, "replayed"))
    finally:
        emulator.close()
    # the same assistant texts, function calls (names and arguments), code inputs, in the same order
    assert replayed["runs"] == recording.result["runs"]

    loaded = load_script_from_fixture(recording.path)
    assert loaded.name == "replay-session" and len(loaded.turns) == len(script["turns"])


def test_the_replay_example_of_docs_contract_md(recording):
    """The block of docs/contract.md, run on a recording of its own (the session recorded above)."""
    block = docs_blocks.find("docs/contract.md", "scenario_to_script(")
    code = block.text.replace('"my-recordings/checkout.yaml"', repr(str(recording.path)))
    emulator = Emulator(seed=5)
    try:
        exec(compile(code, block.page, "exec"), {"emulator": emulator})
        assert "checkout-replay" in emulator.models.names()
        replayed = converse(in_process_client(create_app(emulator)), dict.fromkeys(MODELS, "checkout-replay"))
    finally:
        emulator.close()
    assert replayed["runs"] == recording.result["runs"]


def test_replay_turns_are_keyed_by_message_turn_and_what_came_before(recording):
    turns = scenario_to_script(recording.path, "replayed")["turns"]
    by_user = {}
    for turn in turns:
        by_user.setdefault(turn["when"]["user"], []).append(turn)
    paris = by_user[r"^What\ is\ the\ weather\ in\ Paris\?$"]
    assert [t["when"] for t in paris] == [
        {"user": r"^What\ is\ the\ weather\ in\ Paris\?$", "turn": 1, "tool_outputs": False, "code_ran": False},
        {"user": r"^What\ is\ the\ weather\ in\ Paris\?$", "turn": 2, "tool_outputs": True, "code_ran": False},
    ]
    assert paris[0]["do"] == [{"reply": "Let me check {{ '{%' }} city %}."},
                              {"call": "get_weather", "arguments": '{"city": "Paris"}'}]  # fmt: skip
    assert paris[1]["do"] == [{"reply": "It is 19C in Paris. {{ '{{' }}not a template}}"}]
    nap = by_user[r"^Take\ a\ nap,\ then\ tell\ me\.$"]
    assert [(t["when"]["turn"], t["when"]["code_ran"], list(t["do"][0])) for t in nap] == [
        (1, False, ["run_code"]), (2, True, ["reply"])]  # fmt: skip


# --- recording details ------------------------------------------------------------------------------


def test_azure_paths_make_an_azure_fixture_and_the_api_key_is_not_written(upstream, tmp_path):
    proxy = RecordingProxy(upstream.url, tmp_path, name="azure.yaml", client=httpx.Client(trust_env=False))
    front = Server(proxy, port=0, threads=4, log_requests=False).start_in_thread()
    try:
        http = sdk_http_module()
        client = AzureOpenAI(azure_endpoint=front.url, api_key="azure-key-0123456789", api_version="2024-05-01-preview",
                             http_client=http.Client(trust_env=False), max_retries=0)  # fmt: skip
        assistant = client.beta.assistants.create(model="my-deployment", instructions="key azure-key-0123456789")
        assert client.beta.assistants.retrieve(assistant.id).instructions == "key azure-key-0123456789"
        assert proxy.wait_idle(10)
    finally:
        front.stop()
        proxy.close()
    text = (tmp_path / "azure.yaml").read_text()
    assert "azure-key-0123456789" not in text
    data = yaml.safe_load(text)
    assert data["shape"] == "azure"
    request = data["exchanges"][0]["request"]
    assert request["path"] == "/openai/assistants" and request["query"] == {"api-version": "2024-05-01-preview"}
    assert request["body"]["instructions"] == "key REDACTED"
    assert data["exchanges"][1]["response"]["body"]["instructions"] == "key REDACTED"


def test_key_like_strings_are_scrubbed_and_credential_queries_dropped(upstream, tmp_path):
    proxy = RecordingProxy(upstream.url, tmp_path, client=httpx.Client(trust_env=False))
    app_client = httpx.Client(transport=httpx.WSGITransport(app=proxy), base_url="http://proxy")
    response = app_client.post(
        "/v1/assistants?api-key=abcdefghijkl&limit=2",
        headers={"Authorization": "Bearer tok-0123456789", "OpenAI-Beta": "assistants=v2", "Cookie": "s=abcdefghij",
                 "OpenAI-Organization": "org-abcdefghij"},
        json={"model": "gpt-4o", "instructions": "use sk-proj-ABCDEFGH12345678 or Bearer xyzxyzxyzxyz",
              "metadata": {"api_key": "k", "note": "tok-0123456789"}},
    )  # fmt: skip
    assert response.status_code == 200
    assert proxy.path.name.startswith("recording-") and proxy.path.suffix == ".yaml"
    text = proxy.path.read_text()
    for secret in ("abcdefghijkl", "tok-0123456789", "abcdefghij", "sk-proj-ABCDEFGH", "xyzxyzxyzxyz"):
        assert secret not in text
    request = yaml.safe_load(text)["exchanges"][0]["request"]
    assert request["query"] == {"limit": "2"}
    assert request["headers"] == {"OpenAI-Beta": "assistants=v2"}
    assert request["body"]["instructions"] == "use sk-REDACTED or Bearer REDACTED"
    assert request["body"]["metadata"] == {"api_key": "REDACTED", "note": "REDACTED"}


def test_the_file_is_rewritten_atomically_after_each_exchange(upstream, tmp_path):
    proxy = RecordingProxy(upstream.url, tmp_path, name="steps", client=httpx.Client(trust_env=False))
    app_client = httpx.Client(transport=httpx.WSGITransport(app=proxy), base_url="http://proxy")
    counts = []
    for _ in range(3):
        app_client.get("/v1/models", headers={"Authorization": "Bearer x"})
        counts.append(len(yaml.safe_load(proxy.path.read_text())["exchanges"]))
    assert counts == [1, 2, 3]
    assert [p.name for p in tmp_path.iterdir()] == ["steps.yaml"]  # no temporary file left
    with pytest.raises(FileExistsError):
        RecordingProxy(upstream.url, tmp_path, name="steps")


def test_an_unreachable_upstream_is_a_502_and_nothing_is_recorded(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    proxy = RecordingProxy(f"http://127.0.0.1:{port}", tmp_path, name="down", client=httpx.Client(trust_env=False))
    app_client = httpx.Client(transport=httpx.WSGITransport(app=proxy), base_url="http://proxy")
    response = app_client.get("/v1/models")
    assert response.status_code == 502 and response.json()["error"]["type"] == "proxy_error"
    assert proxy.wait_idle(1) and not proxy.path.exists()


def test_the_record_command_arguments():
    import argparse

    parser = argparse.ArgumentParser()
    recorder.add_record_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["record", "--upstream", "https://api.openai.com", "--out", "fixtures"])
    assert (args.upstream, args.out, args.host, args.port, args.name) == (
        "https://api.openai.com", "fixtures", "127.0.0.1", 8001, None)  # fmt: skip
    bad = parser.parse_args(["record", "--upstream", "api.openai.com", "--out", "x"])
    assert recorder.run_record_command(bad) == 2


def test_yaml_keeps_every_string_exactly():
    strings = ["a\nb", "trailing  \n", "\r\nwindows\r\n", "tab\there", "  leading", "é ü 漢字", "- dash", "x: y",
               "", "'quoted'", '"double"', "null", "123", "line\n\n\nblank lines\n"]  # fmt: skip
    data = {"exchanges": [{"text": s} for s in strings]}
    assert yaml.safe_load(dump_yaml(data)) == data


# --- replay details ---------------------------------------------------------------------------------
