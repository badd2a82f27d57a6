"""Inputs that once broke the emulator (500s, half-written state), concurrency, and clocks."""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from openai import OpenAI

from conftest import BETA, error_of
from emulator import Emulator, EmulatorConfig


@pytest.mark.parametrize(
    "path, body, param",
    [
        ("/v1/assistants", {"model": "m", "tools": [{"type": "function", "function": {"name": "f", "x": 1}}]},
         "tools[0].function.x"),
        ("/v1/assistants", {"model": "m", "tools": [{"type": "file_search", "file_search": {"x": 1}}]},
         "tools[0].file_search.x"),
        ("/v1/assistants", {"model": "m", "tools": [{"type": "code_interpreter", "x": 1}]}, "tools[0].x"),
        ("/v1/assistants", {"model": "m", "response_format": {"type": "text", "x": 1}}, "response_format.x"),
        ("/v1/assistants", {"model": "m", "tool_resources": {"code_interpreter": {"x": []}}},
         "tool_resources.code_interpreter.x"),
        ("/v1/threads", {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u",
         "x": 1}}]}]}, "messages[0].content[0].image_url.x"),
        ("/v1/threads", {"messages": [{"role": "user", "content": [{"type": "text", "text": "t", "x": 1}]}]},
         "messages[0].content[0].x"),
        ("/v1/vector_stores", {"expires_after": {"anchor": "last_active_at", "days": 1, "x": 1}}, "expires_after.x"),
    ],
)  # fmt: skip
def test_unknown_nested_parameters_are_400(http, path, body, param):
    response = http.post(path, json=body, headers=BETA)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = error_of(response)
    assert (error["message"], error["param"], error["code"]) == (
        f"Unknown parameter: '{param}'.",
        param,
        "unknown_parameter",
    )


def test_function_parameters_stay_free_form(openai_client):
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "x-anything": [1, 2]}
    a = openai_client.beta.assistants.create(
        model="m", tools=[{"type": "function", "function": {"name": "f", "parameters": schema}}]
    )
    assert a.tools[0].function.parameters == schema


def test_attachment_without_file_id(http):
    thread = http.post("/v1/threads", headers=BETA).get_json()["id"]
    body = {"role": "user", "content": "x", "attachments": [{}]}
    response = http.post(f"/v1/threads/{thread}/messages", json=body, headers=BETA)
    assert response.status_code == 400
    assert error_of(response)["param"] == "attachments[0].file_id"


def test_both_vector_store_ids_and_helper(http):
    resources = {"file_search": {"vector_store_ids": [], "vector_stores": [{}]}}
    response = http.post("/v1/assistants", json={"model": "m", "tool_resources": resources}, headers=BETA)
    assert response.status_code == 400
    error = error_of(response)
    assert error["param"] == "tool_resources.file_search" and error["code"] == "invalid_value"
    assert http.get("/v1/vector_stores", headers=BETA).get_json()["data"] == []


def test_modify_takes_no_vector_store_helper(http):
    a = http.post("/v1/assistants", json={"model": "m"}, headers=BETA).get_json()["id"]
    body = {"tool_resources": {"file_search": {"vector_stores": [{}]}}}
    response = http.post(f"/v1/assistants/{a}", json=body, headers=BETA)
    assert response.status_code == 400 and error_of(response)["code"] == "unknown_parameter"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"model": "m", "name": "\\ud800"}',  # a lone surrogate: valid JSON, unencodable text
        b'{"model": "m", "name": "\xed\xa0\x80"}',  # the same as raw bytes: invalid UTF-8
        b"[" * 100_000 + b"]" * 100_000,
        b'{"model": "m", "metadata": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
        b'{"model": "m", "temperature": NaN}',
        # parsed, but deeper than an answer can be written (routes/_http.py MAX_JSON_DEPTH): free-form parameters
        b'{"model": "m", "tools": [{"type": "function", "function": {"name": "f", "parameters": '
        + b'{"a": ' * 300
        + b"1"
        + b"}" * 300
        + b"}}]}",
    ],
)
def test_unusable_json_is_400_and_stores_nothing(http, raw):
    response = http.post("/v1/assistants", data=raw, headers={**BETA, "Content-Type": "application/json"})
    assert response.status_code == 400
    error_of(response)
    assert http.get("/v1/assistants", headers=BETA).status_code == 200
    assert http.get("/v1/assistants", headers=BETA).get_json()["data"] == []


def test_a_failed_message_is_not_stored(openai_client, emulator):
    """A file_search attachment into an expired thread store fails before the message is kept."""
    f = openai_client.files.create(file=("a.txt", b"hello"), purpose="assistants")
    t = openai_client.beta.threads.create()
    attach = [{"file_id": f.id, "tools": [{"type": "file_search"}]}]
    openai_client.beta.threads.messages.create(t.id, role="user", content="one", attachments=attach)
    emulator.advance(8 * 86_400)  # the thread's store expires 7 days after last activity
    with pytest.raises(Exception) as info:
        openai_client.beta.threads.messages.create(t.id, role="user", content="two", attachments=attach)
    assert getattr(info.value, "status_code", None) == 400
    assert [m.content[0].text.value for m in openai_client.beta.threads.messages.list(t.id)] == ["one"]


def test_a_deleted_thread_store_is_replaced(openai_client):
    f = openai_client.files.create(file=("a.txt", b"hello"), purpose="assistants")
    t = openai_client.beta.threads.create()
    attach = [{"file_id": f.id, "tools": [{"type": "file_search"}]}]
    openai_client.beta.threads.messages.create(t.id, role="user", content="one", attachments=attach)
    (first,) = openai_client.beta.threads.retrieve(t.id).tool_resources.file_search.vector_store_ids
    openai_client.vector_stores.delete(first)
    openai_client.beta.threads.messages.create(t.id, role="user", content="two", attachments=attach)
    (second,) = openai_client.beta.threads.retrieve(t.id).tool_resources.file_search.vector_store_ids
    assert second != first and openai_client.vector_stores.retrieve(second).file_counts.completed == 1


def test_a_thread_on_an_expired_store_is_refused_whole(http, emulator):
    store = http.post("/v1/vector_stores", json={"expires_after": {"anchor": "last_active_at", "days": 1}},
                      headers=BETA).get_json()["id"]  # fmt: skip
    emulator.advance(86_400)
    body = {"messages": [{"role": "user", "content": "x"}],
            "tool_resources": {"file_search": {"vector_store_ids": [store]}}}  # fmt: skip
    response = http.post("/v1/threads", json=body, headers=BETA)
    assert response.status_code == 400
    assert emulator.backend().ns.counts()["threads"] == 0 and emulator.backend().ns.counts()["messages"] == 0


@pytest.mark.parametrize("name", ["图表.png", "é.png", 'quo"te.png', "a\r\nX-Evil: 1.png"])
def test_any_filename_downloads(openai_client, emulator_server, name):
    f = openai_client.files.create(file=(name, b"\x89PNG\r\n\x1a\n"), purpose="vision")
    assert openai_client.files.content(f.id).content == b"\x89PNG\r\n\x1a\n"
    over_http = OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
    response = over_http.files.with_raw_response.content(f.id)
    assert response.http_response.content == b"\x89PNG\r\n\x1a\n"
    disposition = response.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    stored = openai_client.files.retrieve(f.id).filename  # the SDK percent-encodes CR/LF in multipart names
    printable = "".join(c for c in stored if c.isprintable())
    assert disposition.endswith("filename*=UTF-8''" + quote(printable, safe=""))


def test_attribute_numbers_keep_their_type(openai_client, http):
    f = openai_client.files.create(file=("a.txt", b"x"), purpose="assistants")
    vs = openai_client.vector_stores.create()
    attributes = {"int": 7, "float": 2.5, "bool": True, "str": "7"}
    openai_client.vector_stores.files.create(vector_store_id=vs.id, file_id=f.id, attributes=attributes)
    raw = http.get(f"/v1/vector_stores/{vs.id}/files/{f.id}", headers=BETA).get_data(as_text=True)
    # the answer is indented as the service's are (emulator/jsonbody.py)
    assert '"attributes": {\n    "int": 7,\n    "float": 2.5,\n    "bool": true,\n    "str": "7"\n  }' in raw


def test_a_request_without_any_key_is_401(http):
    response = http.get("/v1/files", headers={"Authorization": ""})
    assert response.status_code == 401
    assert error_of(response)["message"].startswith("You didn't provide an API key.")
    response = http.get("/openai/files?api-version=2024-05-01-preview", headers={"Authorization": ""})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "401"


def test_many_clients_at_once_lose_nothing(emulator_server, emulator):
    """64 clients with no retries: no connection reset, every acknowledged message listed once, in order."""
    thread = OpenAI(base_url=emulator_server.openai_base_url, api_key="k").beta.threads.create()
    acknowledged: dict[int, list[str]] = {}
    failures: list[BaseException] = []

    def client(n: int) -> None:
        c = OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
        try:
            acknowledged[n] = [
                c.beta.threads.messages.create(thread.id, role="user", content=f"{n}-{i}").id for i in range(10)
            ]
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            c.close()

    def domain_writer() -> None:  # the documented domain API, at the same time
        api = emulator.backend()
        for _ in range(50):
            api.assistants.create({"model": "m"})

    threads = [threading.Thread(target=client, args=(n,)) for n in range(64)]
    threads.append(threading.Thread(target=domain_writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    listed = [m.id for m in emulator.backend().ns.messages[thread.id].values()][::-1]
    assert sorted(listed) == sorted(i for ids in acknowledged.values() for i in ids) and len(listed) == 640
    for ids in acknowledged.values():  # each client's messages in the order it sent them
        positions = [listed.index(i) for i in ids]
        assert positions == sorted(positions, reverse=True)  # the list is newest first
    assert emulator.backend().ns.counts()["assistants"] == 50


class FixedClock:
    def __init__(self, now: int) -> None:
        self.value = now

    def now(self) -> int:
        return self.value


def test_a_clock_can_be_injected():
    clock = FixedClock(1_800_000_000)
    emu = Emulator(EmulatorConfig(clock=clock))
    api = emu.backend()
    assert api.threads.create({}).created_at == 1_800_000_000
    clock.value += 5
    assert api.threads.create({}).created_at == 1_800_000_005
    emu.reset()
    assert emu.clock is clock
    with pytest.raises(TypeError):
        emu.advance(1)
    with pytest.raises(TypeError):
        Emulator(clock=object())


# --- found by fuzzing the API from its spec (tests/test_fuzz.py) -----------------------------


def _start_run(http, shape, body):
    """POST a run: on a new thread (`run`), or with its thread (`thread_and_run`)."""
    if shape == "run":
        thread = http.post("/v1/threads", headers=BETA).get_json()["id"]
        return http.post(f"/v1/threads/{thread}/runs", json=body, headers=BETA)
    return http.post("/v1/threads/runs", json=body, headers=BETA)


@pytest.mark.parametrize("shape", ["thread_and_run", "run"])
def test_a_function_tool_choice_without_its_function_is_400(http, shape):
    """`tool_choice: {"type": "function"}`: the schema makes `function` optional, the type needs it (was a 500)."""
    assistant = http.post("/v1/assistants", json={"model": "m"}, headers=BETA).get_json()["id"]
    body = {"assistant_id": assistant, "tool_choice": {"type": "function"}}
    response = _start_run(http, shape, body)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = error_of(response)
    assert (error["param"], error["code"]) == ("tool_choice.function", "missing_required_parameter")


@pytest.mark.parametrize("shape", ["run", "thread_and_run"])
def test_a_function_named_in_another_tool_choice_is_400(http, shape):
    """`{"type": "code_interpreter", "function": {...}}`: the schema lets any type carry a function;
    the run could not hold it (a 500, found by the stateful fuzz)."""
    tools = [{"type": "code_interpreter"}]
    assistant = http.post("/v1/assistants", json={"model": "m", "tools": tools}, headers=BETA).get_json()["id"]
    body = {"assistant_id": assistant, "tool_choice": {"type": "code_interpreter", "function": {"name": "f"}}}
    response = _start_run(http, shape, body)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert (error_of(response)["param"], error_of(response)["code"]) == ("tool_choice.function", "invalid_value")
