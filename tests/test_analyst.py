"""The default model with the code_interpreter tool: what it runs and what it replies."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from scripted_models import analyst
from scripted_models.base import ChatMessage, CodeFile, CodeRun, ModelInput, Reply, RunCode

CODE_TOOL = ({"type": "code_interpreter"},)


def model_input(text: str, *, tools=CODE_TOOL, runs=(), files=(), run_id="run_1") -> ModelInput:
    return ModelInput(model="gpt-4o", instructions="", messages=(ChatMessage("user", text),), tools=tools,
                      code_runs=tuple(runs), code_files=tuple(files), run_id=run_id)  # fmt: skip


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Create a visualization of a sinewave", "np.sin(x)"),
        ("plot a cosine", "np.cos(x)"),
        ("Can you graph the sigmoid function?", "1 / (1 + np.exp(-x))"),
        ("draw a bell curve", "np.exp(-x ** 2 / 2)"),
        ("chart x squared please", "x ** 2"),
    ],
)
def test_plot_requests_write_matplotlib_code_for_the_named_function(message, expected):
    (action,) = analyst.respond(model_input(message))
    assert isinstance(action, RunCode)
    assert expected in action.code and "plt.show()" in action.code


@pytest.mark.parametrize(
    ("message", "x_range"),
    [
        ("Plot sin(x) from 0 to 2*pi", "np.linspace(0, 2 * np.pi, 1000)"),
        ("graph the cosine between -pi and pi", "np.linspace(-np.pi, np.pi, 1000)"),
        ("plot x squared for x in [-3, 3]", "np.linspace(-3, 3, 1000)"),
        ("draw the sigmoid from -pi/2 to 3π/4", "np.linspace(-np.pi / 2, 3 * np.pi / 4, 1000)"),
        ("plot a sine wave", "np.linspace(0, 4 * np.pi, 1000)"),  # none asked: the function's own
        ("plot a sine wave from 5 to 1", "np.linspace(0, 4 * np.pi, 1000)"),  # backwards: ignored
    ],
)
def test_a_plot_covers_the_range_the_user_asks_for(message, x_range):
    (action,) = analyst.respond(model_input(message))
    assert x_range in action.code


def test_a_fenced_block_runs_exactly_that_code():
    (action,) = analyst.respond(model_input("Run this:\n```python\nx = 2\nprint(x * 21)\n```\nthanks"))
    assert action == RunCode("x = 2\nprint(x * 21)\n")


def test_show_me_the_code_quotes_the_last_code_that_ran():
    runs = [CodeRun(code="print(1)", logs="1\n", run_id="run_0"), CodeRun(code="print(2)", logs="2\n", run_id="run_0")]
    (action,) = analyst.respond(model_input("Show me the code you used", runs=runs))
    assert action == Reply("Here is the code I used:\n\n```python\nprint(2)\n```")
    (action,) = analyst.respond(model_input("show me the code"))
    assert "not run any code" in action.text


def test_dark_mode_reruns_the_last_plot_with_a_dark_style():
    plot = analyst.plot_function("sine")
    runs = [CodeRun(code=plot, logs="", images=("file-1",), run_id="run_0"), CodeRun(code="print(1)", logs="1")]
    (action,) = analyst.respond(model_input("make a darkmode version of this visualization", runs=runs))
    assert 'plt.style.use("dark_background")' in action.code
    assert action.code.replace('# Dark mode\nplt.style.use("dark_background")\n\n', "").count("np.sin") == 1
    (nothing,) = analyst.respond(model_input("dark mode please"))
    assert isinstance(nothing, Reply) and "plot something first" in nothing.text


@pytest.mark.parametrize(
    ("message", "printed"),
    [("I need to solve the equation `3x + 11 = 14`. Can you help me?", "x = 1"), ("what is 2^10 + 5?", "1029"),
     ("compute (4 + 5) * 3", "27"), ("solve 2(x - 1) = 10", "x = 6")],
)  # fmt: skip
def test_math_is_computed_with_code(openai_client, message, printed):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": message}]}
    )
    reply = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert printed in reply


def test_without_the_tool_or_with_tool_choice_none_no_code_runs(openai_client):
    for tools, choice in (([], None), ([{"type": "code_interpreter"}], "none")):
        assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=tools)
        extra = {"tool_choice": choice} if choice else {}
        run = openai_client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "plot a sine wave"}]}, **extra
        )
        steps = openai_client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id).data
        assert [s.type for s in steps] == ["message_creation"]


def _upload(client, name: str, content: bytes):
    return client.files.create(file=(name, content), purpose="assistants")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_plotting_the_columns_of_an_attached_file(openai_client, kind):
    frame = pd.DataFrame({"month": ["Jan", "Feb", "Mar"], "revenue": [10, 12, 15], "cost": [7, 8, 8]})
    buffer = io.BytesIO()
    frame.to_csv(buffer, index=False) if kind == "csv" else frame.to_excel(buffer, index=False)
    file = _upload(openai_client, f"sales.{kind}", buffer.getvalue())
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = openai_client.beta.threads.create(messages=[{
        "role": "user", "content": "Plot the revenue by month",
        "attachments": [{"file_id": file.id, "tools": [{"type": "code_interpreter"}]}]}])  # fmt: skip
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    message = openai_client.beta.threads.messages.list(thread_id=thread.id).data[0]
    assert [c.type for c in message.content] == ["image_file", "text"]
    assert "Plotted 1 column(s) over 3 rows: revenue" in message.content[1].text.value
    code = openai_client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id, order="asc").data[0]
    assert f"/mnt/data/{file.id}" in code.step_details.tool_calls[0].code_interpreter.input


def test_describing_an_attached_file(openai_client):
    file = _upload(openai_client, "data.csv", b"a,b\n1,2\n3,4\n5,6\n")
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "code_interpreter"}],
        tool_resources={"code_interpreter": {"file_ids": [file.id]}},
    )
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Summarize this data"}]}
    )
    reply = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert "3 rows, 2 columns: a, b" in reply and "mean" in reply


def test_failing_code_is_reported_with_its_traceback(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "```python\n1/0\n```"}]}
    )
    reply = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert reply.startswith("The code raised an error:") and "ZeroDivisionError: division by zero" in reply


def test_written_files_are_linked(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    code = "```python\nwith open('/mnt/data/report.txt', 'w') as f:\n    f.write('hello')\n```"
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": code}]}
    )
    message = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0]
    text = message.content[0].text
    (annotation,) = text.annotations
    assert text.value[annotation.start_index : annotation.end_index] == "sandbox:/mnt/data/report.txt"
    assert openai_client.files.content(annotation.file_path.file_id).read() == b"hello"
    assert [a.file_id for a in message.attachments] == [annotation.file_path.file_id]


def test_data_file_choice_prefers_the_newest_data_file():
    files = [CodeFile("file-a", "a.csv"), CodeFile("file-b", "notes.md"), CodeFile("file-c", "c.xlsx")]
    (action,) = analyst.respond(model_input("plot this data", files=files))
    assert 'pd.read_excel("/mnt/data/file-c")' in action.code


def test_a_chart_asked_for_as_a_file_is_saved_and_cited(openai_client):
    """Azure's code-interpreter sample's request: the rows of a named sector, a column named in
    words ("operating profit"), numbers written with thousands separators, and the chart as a
    file the reply cites (`container_file_citation`) and the container serves."""
    csv = (b'name,sector,operating_profit\nA Ltd,TRANSPORTATION,"1,185.2"\nB Ltd,UTILITIES,650.1\n'
           b"C Ltd,TRANSPORTATION,93.5\n")  # fmt: skip
    file = _upload(openai_client, "results.csv", csv)
    response = openai_client.responses.create(
        model="gpt-4o",
        tools=[{"type": "code_interpreter", "container": {"type": "auto", "file_ids": [file.id]}}],
        input="Create a bar chart in TRANSPORTATION sector for the operating profit and provide the file to me",
    )
    text = response.output[-1].content[-1]
    assert "over 2 rows where sector is TRANSPORTATION: operating_profit" in text.text
    citation = text.annotations[-1]
    assert (citation.type, citation.filename) == ("container_file_citation", "operating_profit_bar_chart.png")
    content = openai_client.containers.files.content.retrieve(citation.file_id, container_id=citation.container_id)
    assert content.read().startswith(b"\x89PNG")
