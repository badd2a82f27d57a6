"""code_interpreter on the Responses API through the official SDK: `code_interpreter_call` items run
for real in containers (auto, reused along a chain, or named), outputs only with `include`, the
service's stream events, `container_file_citation` annotations over links to written files (which
download through the container files endpoint), expiry and the 4xx, code that fails or hits a limit,
the seed's data-visualisation walk-through with real PNGs, and the same script on both APIs."""

from __future__ import annotations

import base64
import io
import re
import threading

import matplotlib.image as mpimg
import openai
import pytest

from conftest import error_of

AUTO = [{"type": "code_interpreter", "container": {"type": "auto"}}]
INCLUDE = ["code_interpreter_call.outputs"]
WRITE = "```python\nopen('/mnt/data/out.csv', 'w').write('a,b\\n1,2\\n')\nprint('written')\n```"
DATA_URL = "data:image/png;base64,"


def _png(url: str):
    assert url.startswith(DATA_URL)
    return mpimg.imread(io.BytesIO(base64.b64decode(url[len(DATA_URL) :])), format="png")


def test_the_default_model_plots_a_sine_wave_in_an_auto_container(openai_client):
    response = openai_client.responses.create(model="gpt-4o", input="Create a visualization of a sinewave",
                                              tools=AUTO)  # fmt: skip
    assert response.status == "completed" and [i.type for i in response.output] == ["code_interpreter_call", "message"]
    call, message = response.output
    assert re.fullmatch(r"ci_[0-9a-f]{48}", call.id) and re.fullmatch(r"cntr_[0-9a-f]{48}", call.container_id)
    assert call.status == "completed" and "np.sin(x)" in call.code and call.outputs is None  # not included
    assert message.content[0].text == "Here is the visualization of a sine wave."
    assert response.tools[0].to_dict() == {"type": "code_interpreter", "container": {"type": "auto"}}
    container = openai_client.containers.retrieve(call.container_id)
    assert container.status == "running" and container.name == "code_interpreter container"
    # with include (on retrieve too): the figure as a data URL of a real PNG, kept as a container file
    again = openai_client.responses.retrieve(response.id, include=INCLUDE)
    (image,) = again.output[0].outputs
    assert image.type == "image" and _png(image.url).shape[2] in (3, 4)
    (kept,) = openai_client.containers.files.list(call.container_id).data
    assert kept.path.endswith(".png") and kept.source == "assistant"
    content = openai_client.containers.files.content.retrieve(kept.id, container_id=call.container_id).read()
    assert base64.b64encode(content).decode() == image.url[len(DATA_URL) :]
    assert response.usage.output_tokens > 0


def test_the_walk_through_over_http_sine_code_dark_mode(emulator_server):
    """The seed's walk-through on Responses: a sine wave, the code shown, a dark version (one container)."""
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    sine = client.responses.create(model="gpt-4o", input="Create a visualization of a sinewave", tools=AUTO,
                                   include=INCLUDE)  # fmt: skip
    assert _png(sine.output[0].outputs[0].url)[..., :3].mean() > 0.8  # light
    code = client.responses.create(model="gpt-4o", input="Show me the code you used to generate the sinewave",
                                   tools=AUTO, previous_response_id=sine.id)  # fmt: skip
    assert [i.type for i in code.output] == ["message"]  # no code runs to show code
    assert code.output_text == f"Here is the code I used:\n\n```python\n{sine.output[0].code.rstrip()}\n```"
    dark = client.responses.create(model="gpt-4o", input="Make a dark mode version of this visualization",
                                   tools=AUTO, previous_response_id=code.id, include=INCLUDE)  # fmt: skip
    call = dark.output[0]
    assert 'plt.style.use("dark_background")' in call.code and call.container_id == sine.output[0].container_id
    assert _png(call.outputs[0].url)[..., :3].mean() < 0.3
    assert dark.output_text == "Here is the dark mode version of the visualization."
    assert len(client.containers.files.list(call.container_id).data) == 2


def test_streamed_events_and_a_written_file_cited_and_downloaded(openai_client):
    with openai_client.responses.stream(model="gpt-4o", input=WRITE, tools=AUTO) as stream:
        events = list(stream)
        final = stream.get_final_response()
    kinds = [e.type for e in events]
    start = kinds.index("response.code_interpreter_call.in_progress")
    deltas = [e for e in events if e.type == "response.code_interpreter_call_code.delta"]
    assert kinds[start - 1] == "response.output_item.added" and events[start - 1].item.status == "in_progress"
    assert kinds[start + 1 : start + 1 + len(deltas)] == ["response.code_interpreter_call_code.delta"] * len(deltas)
    after = kinds[start + 1 + len(deltas) :]
    assert after[:4] == ["response.code_interpreter_call_code.done", "response.code_interpreter_call.interpreting",
                         "response.code_interpreter_call.completed", "response.output_item.done"]  # fmt: skip
    call = final.output[0]
    assert "".join(d.delta for d in deltas) == call.code == events[start + 1 + len(deltas)].code
    assert all(e.item_id == call.id and e.output_index == 0 for e in deltas)
    assert events[kinds.index("response.output_item.done")].item.outputs is None  # not included
    text = final.output_text
    assert text == "Result: written\n\n[Download out.csv](sandbox:/mnt/data/out.csv)"
    (citation,) = final.output[1].content[0].annotations
    (written,) = openai_client.containers.files.list(call.container_id).data
    assert citation.to_dict() == {"type": "container_file_citation", "container_id": call.container_id,
                                  "end_index": len(text) - 1, "file_id": written.id, "filename": "out.csv",
                                  "start_index": text.index("sandbox:")}  # fmt: skip
    (added,) = [e for e in events if e.type == "response.output_text.annotation.added"]
    assert added.annotation.to_dict() == citation.to_dict() and added.annotation_index == 0
    download = openai_client.containers.files.content.retrieve(citation.file_id, container_id=call.container_id)
    assert download.read() == b"a,b\n1,2\n" and written.path == "/mnt/data/out.csv"


def test_a_named_container_its_files_and_expiry(openai_client, http):
    container = openai_client.containers.create(name="data", expires_after={"anchor": "last_active_at", "minutes": 1})
    openai_client.containers.files.create(container.id, file=("nums.csv", b"x\n1\n2\n3\n"))
    tool = [{"type": "code_interpreter", "container": container.id}]
    code = "```python\nimport pandas as pd\ntotal = pd.read_csv('/mnt/data/nums.csv').x.sum()\nprint(total)\n```"
    response = openai_client.responses.create(model="gpt-4o", input=code, tools=tool, include=INCLUDE)
    call = response.output[0]
    assert call.container_id == container.id and call.outputs[0].to_dict() == {"type": "logs", "logs": "6\n"}
    assert response.tools[0].to_dict() == {"type": "code_interpreter", "container": container.id}
    # the session is the container's: a later response (no chain) sees its variables
    again = openai_client.responses.create(model="gpt-4o", input="```python\nint(total) * 7\n```", tools=tool)
    assert again.output_text == "Result: 42"
    http.post("/_emulator/clock/advance", json={"seconds": 61})
    with pytest.raises(openai.BadRequestError, match="Container is expired.") as caught:
        openai_client.responses.create(model="gpt-4o", input=code, tools=tool)
    assert caught.value.body["param"] == "tools[0].container"
    # an auto tool along the chain gets a new container once the old one expired
    fresh = openai_client.responses.create(model="gpt-4o", input="```python\nprint(1)\n```", tools=AUTO,
                                           previous_response_id=response.id)  # fmt: skip
    assert fresh.output[0].container_id != container.id and fresh.output_text == "Result: 1"


def test_auto_file_ids_are_copied_and_the_4xx(openai_client, http):
    source = openai_client.files.create(file=("sales.csv", b"month,total\n1,10\n2,32\n"), purpose="user_data")
    tool = [{"type": "code_interpreter", "container": {"type": "auto", "file_ids": [source.id], "memory_limit": "4g"}}]
    response = openai_client.responses.create(model="gpt-4o", input="Describe the data in the file", tools=tool,
                                              include=INCLUDE)  # fmt: skip
    call = response.output[0]
    assert "/mnt/data/sales.csv" in call.code and "21.0" in call.outputs[0].logs
    assert openai_client.containers.retrieve(call.container_id).memory_limit == "4g"
    assert response.tools[0].to_dict()["container"] == tool[0]["container"]

    def refused(container, status=400):
        body = {"model": "gpt-4o", "input": "hi", "tools": [{"type": "code_interpreter", "container": container}]}
        answer = http.post("/v1/responses", json=body)
        assert answer.status_code == status, answer.get_json()
        return error_of(answer)

    assert refused({"type": "auto", "file_ids": ["file-nope"]}, 404)["param"] == "tools[0].container.file_ids"
    assert refused("cntr_nope", 404)["param"] == "tools[0].container"
    assert refused({"type": "auto", "memory_limit": "2g"})["param"] == "tools[0].container.memory_limit"
    assert refused({"type": "other"})["param"] == "tools[0].container.type"
    assert refused(None)["param"] == "tools[0].container"


@pytest.mark.emulator(sandbox={"cpu_seconds": 1})
def test_code_that_raises_or_hits_a_limit_never_fails_the_response(openai_client):
    raised = openai_client.responses.create(model="gpt-4o", input="```python\n1 / 0\n```", tools=AUTO,
                                            include=INCLUDE)  # fmt: skip
    assert raised.status == "completed" and raised.output[0].status == "completed"
    assert "ZeroDivisionError" in raised.output[0].outputs[0].logs
    assert raised.output_text.startswith("The code raised an error:")
    spin = openai_client.responses.create(model="gpt-4o", input="```python\nwhile True:\n    pass\n```", tools=AUTO,
                                          include=INCLUDE, previous_response_id=raised.id)  # fmt: skip
    assert spin.status == "completed" and spin.output[0].status == "failed"
    assert "more than 1 s of CPU time" in spin.output[0].outputs[0].logs
    assert spin.output[0].container_id == raised.output[0].container_id


def test_the_same_script_runs_code_on_both_apis(openai_client, emulator):
    emulator.models.register({"name": "cruncher", "turns": [
        {"when": {"code_ran": True}, "do": [{"reply": "Got {{ last_code.logs | trim }}"}]},
        {"do": [{"run_code": "print(6 * 7)"}]},
    ]})  # fmt: skip
    response = openai_client.responses.create(model="cruncher", input="go", tools=AUTO)
    assert [i.type for i in response.output] == ["code_interpreter_call", "message"]
    assert response.output[0].code == "print(6 * 7)" and response.output_text == "Got 42"
    assistant = openai_client.beta.assistants.create(model="cruncher", tools=[{"type": "code_interpreter"}])
    run = openai_client.beta.threads.create_and_run_poll(assistant_id=assistant.id,
                                                         thread={"messages": [{"role": "user", "content": "go"}]})  # fmt: skip
    reply = openai_client.beta.threads.messages.list(run.thread_id).data[0]
    assert reply.content[0].text.value == "Got 42"
    # without the tool, running code fails the response with a clear error
    failed = openai_client.responses.create(model="cruncher", input="go")
    assert failed.status == "failed" and "no code_interpreter tool" in failed.error.message


def test_a_call_sent_back_as_input_is_what_the_model_sees(openai_client):
    """As pydantic-ai replays a conversation: earlier items sent back, the call's outputs null."""
    first = openai_client.responses.create(model="gpt-4o", input="plot a cosine", tools=AUTO)
    history = [{"role": "user", "content": "plot a cosine"}, *[i.to_dict() for i in first.output]]
    shown = openai_client.responses.create(model="gpt-4o", tools=AUTO,
                                           input=[*history, {"role": "user", "content": "show me the code"}])  # fmt: skip
    assert "np.cos(x)" in shown.output_text
    items = openai_client.responses.input_items.list(shown.id, order="asc").data
    assert [i.type for i in items][:2] == ["message", "code_interpreter_call"] and items[1].id == first.output[0].id
    # compacted, the call is still read: the code is shown, the container reused
    compacted = openai_client.responses.compact(model="gpt-4o", input=[], previous_response_id=first.id)
    folded = compacted.output[-1].model_dump(exclude_none=True)
    again = openai_client.responses.create(model="gpt-4o", tools=AUTO, input=[
        folded, {"role": "user", "content": "```python\nprint(len(x))\n```"}])  # fmt: skip
    assert again.output[0].container_id == first.output[0].container_id and again.output_text == "Result: 1000"


def test_the_inspector_state_shows_the_call_with_its_outputs(openai_client, http):
    response = openai_client.responses.create(model="gpt-4o", input="```python\nprint(2 + 2)\n```", tools=AUTO)
    (shown,) = http.get("/_emulator/inspector/state").get_json()["responses"]
    call = shown["output"][0]
    assert call["type"] == "code_interpreter_call" and call["code"] == response.output[0].code
    assert call["outputs"] == [{"type": "logs", "logs": "4\n"}]  # the store keeps them; answers show them on include


def test_a_call_and_its_container_survive_a_restart(tmp_path):
    from test_persistence import client_of

    from emulator import Emulator

    first = Emulator(data_dir=str(tmp_path))
    plot = client_of(first).responses.create(model="gpt-4o", input="plot a sine wave", tools=AUTO, include=INCLUDE)
    first.close()
    again = Emulator(data_dir=str(tmp_path))
    client = client_of(again)
    kept = client.responses.retrieve(plot.id, include=INCLUDE)
    assert kept.output[0] == plot.output[0] and kept.tools[0].to_dict() == AUTO[0]
    dark = client.responses.create(model="gpt-4o", input="dark mode please", tools=AUTO, previous_response_id=plot.id)
    assert 'plt.style.use("dark_background")' in dark.output[0].code  # the model still sees the plot's run
    assert dark.output[0].container_id == plot.output[0].container_id
    again.close()


@pytest.mark.anyio
async def test_azure_and_async_clients(azure_openai_client, async_openai_client):
    """Azure OpenAI's routes serve the tool as OpenAI's do; the async client streams a cell."""
    response = azure_openai_client.responses.create(model="gpt-4o", input="```python\nprint(3 * 3)\n```", tools=AUTO,
                                                    include=INCLUDE)  # fmt: skip
    assert response.output[0].outputs[0].logs == "9\n" and response.output_text == "Result: 9"
    async with async_openai_client.responses.stream(model="gpt-4o", input="what is 2**10", tools=AUTO) as stream:
        kinds = [event.type async for event in stream]
        final = await stream.get_final_response()
    assert "response.code_interpreter_call.interpreting" in kinds and final.output_text == "Result: 1024"


def test_a_poll_while_the_code_runs_does_not_play_the_response_again(emulator_server):
    """The cell runs with the emulator's lock let go: a second poll meanwhile reads the response as it
    is, and never plays it a second time (one call, one reply, numbered events)."""
    client = openai.OpenAI(base_url=f"{emulator_server.url}/v1", api_key="k", max_retries=0)
    code = "```python\nimport time\ntime.sleep(1)\nprint('slept')\n```"
    queued = client.responses.create(model="gpt-4o", input=code, tools=AUTO, background=True,
                                      extra_headers={"X-Emulator-Progression": "immediate"})  # fmt: skip
    assert queued.status == "queued"
    seen: list[str] = []

    def poll() -> None:
        seen.append(client.responses.retrieve(queued.id).status)

    polls = [threading.Thread(target=poll) for _ in range(3)]
    for p in polls:
        p.start()
    for p in polls:
        p.join(timeout=60)
    done = client.responses.retrieve(queued.id)
    assert done.status == "completed" and "completed" in seen
    assert [item.type for item in done.output] == ["code_interpreter_call", "message"]
    events = list(client.responses.retrieve(queued.id, stream=True))
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert sum(e.type == "response.code_interpreter_call.interpreting" for e in events) == 1
