"""The Azure OpenAI Assistants code_interpreter tutorial, run as a user runs it: AzureOpenAI
over real HTTP, the deployment name as `model`, polling runs, and the three requests of the
tutorial (a sine wave, the code that made it, a dark-mode version)."""

from __future__ import annotations

import io
import json

import matplotlib.image as mpimg
import pytest
from openai import AzureOpenAI

import docs_blocks

INSTRUCTIONS = (
    "You are a helpful AI assistant who makes interesting visualizations based on data. "
    "You have access to a sandboxed environment for writing and testing code. "
    "When you are asked to create a visualization you should follow these steps: "
    "1. Write the code. "
    "2. Anytime you write new code display a preview of the code to show your work. "
    "3. Run the code to confirm that it runs. "
    "4. If the code is successful display the visualization. "
    "5. If the code is unsuccessful display the error message and try to revise the code and rerun "
    "going through the steps from above again."
)


@pytest.fixture
def client(emulator_server):
    with AzureOpenAI(
        azure_endpoint=emulator_server.azure_endpoint, api_key=emulator_server.api_key,
        api_version="2024-08-01-preview", max_retries=0,
    ) as client:  # fmt: skip
        yield client


def _brightness(client, file_id: str) -> float:
    png = client.files.content(file_id).read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return float(mpimg.imread(io.BytesIO(png))[..., :3].mean())


def test_the_tutorial_end_to_end(client, tmp_path):
    assistant = client.beta.assistants.create(
        name="Data Visualization", instructions=INSTRUCTIONS, tools=[{"type": "code_interpreter"}],
        model="gpt-4-1106-preview",
    )  # fmt: skip
    thread = client.beta.threads.create()

    def ask(text: str) -> dict:
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content=text)
        run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        # the tutorial retrieves the run at once and lists the messages before polling
        assert client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).id == run.id
        assert client.beta.threads.messages.list(thread_id=thread.id).data
        while run.status in ("queued", "in_progress"):
            run = client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id)
        assert run.status == "completed", run.last_error
        return json.loads(client.beta.threads.messages.list(thread_id=thread.id).model_dump_json(indent=2))

    # 1. a sine wave: an image block first, then text; the file is a real PNG
    data = ask("Create a visualization of a sinewave")
    newest = data["data"][0]
    assert newest["role"] == "assistant"
    assert [c["type"] for c in newest["content"]] == ["image_file", "text"]
    image_file_id = newest["content"][0]["image_file"]["file_id"]
    client.files.content(image_file_id).write_to_file(tmp_path / "sinewave.png")
    image = mpimg.imread(tmp_path / "sinewave.png")
    assert image.shape[0] > 100 and image.shape[1] > 100
    light = _brightness(client, image_file_id)
    assert light > 0.8  # a light background
    steps = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=newest["run_id"], order="asc").data
    code_call = steps[0].step_details.tool_calls[0]
    assert code_call.type == "code_interpreter"
    assert "np.sin" in code_call.code_interpreter.input
    assert code_call.code_interpreter.outputs[-1].image.file_id == image_file_id

    # 2. the code that actually ran, in a python block
    data = ask("Show me the code you used to generate the sinewave")
    text = data["data"][0]["content"][0]["text"]["value"]
    assert f"```python\n{code_call.code_interpreter.input.rstrip()}\n```" in text

    # 3. dark mode: rerun with a dark style; the new image is dark
    data = ask(
        "I prefer visualizations in darkmode can you change the colors to make a darkmode version of this "
        "visualization."
    )
    newest = data["data"][0]
    assert [c["type"] for c in newest["content"]] == ["image_file", "text"]
    dark_id = newest["content"][0]["image_file"]["file_id"]
    assert dark_id != image_file_id
    assert _brightness(client, dark_id) < 0.3


def test_the_walk_through_of_docs_code_interpreter_md(emulator_server, tmp_path, monkeypatch, capsys):
    """The page's block, verbatim but for the server's URL: the sine wave light, then dark, and the code shown."""
    block = docs_blocks.find("docs/code-interpreter.md", "Data Visualization")
    monkeypatch.chdir(tmp_path)
    exec(compile(block.text.replace("http://127.0.0.1:8000", emulator_server.url.rstrip("/")), block.page, "exec"), {})
    assert mpimg.imread(tmp_path / "sinewave.png")[..., :3].mean() > 0.8
    assert mpimg.imread(tmp_path / "sinewave-dark.png")[..., :3].mean() < 0.3
    assert "```python" in capsys.readouterr().out
