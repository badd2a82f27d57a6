"""The code_interpreter tool as a client sees it: scripted models run code (`run_code:`) in a
real sandbox session per thread; the SDK sees the tool_calls step (code and outputs), image and
file outputs, `sandbox:` links as file_path annotations, sessions that persist and expire, and
limits that end a cell but never the server. In-process and async; over real HTTP, with the lock released while
a cell runs, in test_code_interpreter_concurrency.py."""

from __future__ import annotations

import io
import os
import struct
import time

import pytest

from emulator import Emulator, create_app
from emulator.clients import in_process_client
from emulator.config import EmulatorConfig
from emulator.sandbox import sessions as sandbox_sessions

#: Runs the first fenced code block of the user's message, then replies with the logs.
CODER = {
    "name": "coder",
    "turns": [
        {"when": {"code_ran": True}, "do": [{"reply": "Output:\n{{ last_code.logs }}"}]},
        {"do": [{"run_code": "{{ code_blocks[0] }}"}]},
    ],
}
#: Writes a CSV and links it three ways (markdown, bare, inline code), plus a file that does not exist.
LINKER = {
    "name": "linker",
    "turns": [
        {"when": {"code_ran": True},
         "do": [{"reply": "Voilà — [out.csv](sandbox:/mnt/data/out.csv). Again: sandbox:/mnt/data/out.csv. "
                          "As code: `sandbox:/mnt/data/out.csv`; not this: sandbox:/mnt/data/nope.csv. "
                          "Files: {{ last_code.files }}"}]},
        {"do": [{"run_code": "import pandas as pd\n"
                             "pd.DataFrame({'a': [1, 2], 'b': [3, 4]}).to_csv('/mnt/data/out.csv', index=False)"}]},
    ],
}  # fmt: skip
#: Reacts to a failed cell by running it again with the bug fixed, then reports.
FIXER = {
    "name": "fixer",
    "turns": [
        {"when": {"code_ran": True, "code_failed": True},
         "do": [{"run_code": "{{ last_code.code | replace('1 / 0', '1 / 1') }}"}]},
        {"when": {"code_ran": True, "code_failed": False},
         "do": [{"reply": "Fixed after {{ code_runs|length }} runs: {{ last_code.logs }}"}]},
        {"do": [{"run_code": "{{ code_blocks[0] }}"}]},
    ],
}  # fmt: skip
#: Reacts to a failed cell with a reply naming the error.
REPORTER = {
    "name": "reporter",
    "turns": [
        {"when": {"code_ran": True, "code_failed": True},
         "do": [{"reply": "It failed: {{ last_code.logs.strip().splitlines()[-1] }}"}]},
        {"when": {"code_ran": True}, "do": [{"reply": "It worked."}]},
        {"do": [{"run_code": "{{ code_blocks[0] }}"}]},
    ],
}  # fmt: skip
#: Never replies: runs code on every turn.
LOOPER = {"name": "looper", "turns": [{"do": [{"run_code": "1 + 1"}]}]}
#: Says which files its code can read.
LISTER = {
    "name": "lister",
    "turns": [{"do": [{"reply": "{% for f in files %}{{ f.filename }}@{{ f.path }};{% endfor %}"}]}],
}

pytestmark = pytest.mark.emulator(models=[CODER, LINKER, FIXER, REPORTER, LOOPER, LISTER])

INTERPRETER = [{"type": "code_interpreter"}]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HOST_PATHS = ("/tmp", "site-packages", "/root", "/home", "/usr/lib", "/work")


def block(code: str) -> str:
    return f"Please run this:\n```python\n{code}\n```"


@pytest.fixture
def coder(openai_client):
    return openai_client.beta.assistants.create(model="coder", tools=INTERPRETER)


def run_code(client, assistant_id, code, *, thread_id=None, **run_options):
    """Post the code in a user message (a new thread unless given) and run it to the end."""
    if thread_id is None:
        thread_id = client.beta.threads.create().id
    client.beta.threads.messages.create(thread_id, role="user", content=block(code))
    return client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id, **run_options)


def steps_of(client, run):
    return client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data


def code_call(step):
    assert step.type == "tool_calls" and step.step_details.type == "tool_calls", step
    (call,) = step.step_details.tool_calls
    assert call.type == "code_interpreter" and call.id.startswith("call_")
    return call.code_interpreter


def logs_of(client, run, index=-1):
    """The logs output of the run's index-th code step."""
    calls = [code_call(s) for s in steps_of(client, run) if s.type == "tool_calls"]
    return "".join(o.logs for o in calls[index].outputs if o.type == "logs")


def reply_of(client, run):
    message = client.beta.threads.messages.list(run.thread_id, run_id=run.id).data[0]
    assert message.role == "assistant"
    return message


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (the first one after the signature)."""
    assert data[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", data[16:24])


def executing(emulator, run_id) -> bool:
    state = emulator.namespace().run_states.get(run_id)
    return bool(state and state.executing)


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


# --- the tool call step ---------------------------------------------------------------


def test_code_step_shows_input_logs_and_images_before_the_message_step(openai_client, coder):
    code = (
        "import matplotlib.pyplot as plt\n"
        "print('hello')\n"
        "fig = plt.figure(figsize=(2, 1), dpi=50)\n"
        "plt.plot([1, 2, 3])\n"
        "6 * 7"
    )
    run = run_code(openai_client, coder.id, code)
    assert run.status == "completed", run.last_error
    code_step, message_step = steps_of(openai_client, run)
    assert (code_step.type, message_step.type) == ("tool_calls", "message_creation")
    assert code_step.created_at <= message_step.created_at
    assert (code_step.status, code_step.run_id, code_step.thread_id) == ("completed", run.id, run.thread_id)
    assert code_step.completed_at is not None and code_step.last_error is None
    call = code_call(code_step)
    assert call.input == code + "\n"  # the fenced block, as the script's code_blocks gives it
    logs, image = call.outputs
    assert (logs.type, logs.logs) == ("logs", "hello\n42\n")  # printed text, then the last expression's repr
    assert image.type == "image" and image.image.file_id.startswith("file-")
    # both steps report usage; together they are the run's
    for step in (code_step, message_step):
        assert step.usage.total_tokens == step.usage.prompt_tokens + step.usage.completion_tokens > 0
    assert code_step.usage.completion_tokens > 0
    assert run.usage.total_tokens == code_step.usage.total_tokens + message_step.usage.total_tokens
    assert message_step.step_details.message_creation.message_id == reply_of(openai_client, run).id
    # the tool call appears in the SDK's single-step retrieve too
    again = openai_client.beta.threads.runs.steps.retrieve(code_step.id, thread_id=run.thread_id, run_id=run.id)
    assert again.to_dict() == code_step.to_dict()


def test_images_lead_the_reply_and_are_real_pngs(openai_client, coder):
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.figure(figsize=(2, 1), dpi=50); plt.plot([1, 2]); plt.show()\n"
        "plt.figure(figsize=(3, 2), dpi=40); plt.bar([1, 2], [3, 4])\n"
        "print('two charts')"
    )
    run = run_code(openai_client, coder.id, code)
    outputs = code_call(steps_of(openai_client, run)[0]).outputs
    assert [o.type for o in outputs] == ["logs", "image", "image"]
    image_ids = [o.image.file_id for o in outputs[1:]]
    message = reply_of(openai_client, run)
    assert [c.type for c in message.content] == ["image_file", "image_file", "text"]
    assert [c.image_file.file_id for c in message.content[:2]] == image_ids
    assert message.content[2].text.value == "Output:\ntwo charts\n"
    sizes = []
    for n, file_id in enumerate(image_ids, 1):
        file = openai_client.files.retrieve(file_id)
        assert (file.purpose, file.filename) == ("assistants_output", f"code_interpreter_image_{n}.png")
        data = openai_client.files.content(file_id).read()
        assert data.startswith(PNG_MAGIC) and file.bytes == len(data)
        sizes.append(png_size(data))
    assert sizes == [(100, 50), (120, 80)]
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(openai_client.files.content(image_ids[1]).read()))
    assert pixels.shape[:2] == (80, 120)
    # numbering goes on through the thread's later runs
    later = run_code(openai_client, coder.id, "plt.figure(); plt.plot([0])", thread_id=run.thread_id)
    (image,) = [o for o in code_call(steps_of(openai_client, later)[0]).outputs if o.type == "image"]
    assert openai_client.files.retrieve(image.image.file_id).filename == "code_interpreter_image_3.png"


def test_a_cell_without_output_has_no_outputs_and_the_reply_is_text_only(openai_client, coder):
    run = run_code(openai_client, coder.id, "x = 1")
    assert code_call(steps_of(openai_client, run)[0]).outputs == []
    assert [c.type for c in reply_of(openai_client, run).content] == ["text"]


# --- files ------------------------------------------------------------------------------


def test_files_from_assistant_thread_and_attachment_are_readable(openai_client):
    upload = openai_client.files.create
    by_assistant = upload(file=("a.csv", b"x,y\n1,2\n3,4\n"), purpose="assistants")
    by_thread = upload(file=("b.txt", b"from the thread"), purpose="assistants")
    by_message = upload(file=("c.txt", b"from a message"), purpose="assistants")
    for_search = upload(file=("d.txt", b"only for file_search"), purpose="assistants")
    assistant = openai_client.beta.assistants.create(
        model="coder", tools=[*INTERPRETER, {"type": "file_search"}],
        tool_resources={"code_interpreter": {"file_ids": [by_assistant.id]}},
    )  # fmt: skip
    thread = openai_client.beta.threads.create(tool_resources={"code_interpreter": {"file_ids": [by_thread.id]}})
    code = (
        "import pandas as pd\n"
        f"print(pd.read_csv('/mnt/data/{by_assistant.id}').y.sum())\n"
        f"print(open('/mnt/data/{by_thread.id}').read())\n"
        f"print(open('/mnt/data/{by_message.id}').read())\n"
        f"open('/mnt/data/{for_search.id}')"
    )
    openai_client.beta.threads.messages.create(
        thread.id, role="user", content=block(code),
        attachments=[{"file_id": by_message.id, "tools": INTERPRETER},
                     {"file_id": for_search.id, "tools": [{"type": "file_search"}]}],
    )  # fmt: skip
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    logs = logs_of(openai_client, run)
    assert logs.startswith("6\nfrom the thread\nfrom a message\n"), logs
    # a file attached for file_search only is not in the session
    assert f"FileNotFoundError: [Errno 2] No such file or directory: '/mnt/data/{for_search.id}'" in logs
    # and the model sees the same list of readable files
    lister = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, model="lister"
    )
    expected = f"a.csv@/mnt/data/{by_assistant.id};b.txt@/mnt/data/{by_thread.id};c.txt@/mnt/data/{by_message.id};"
    assert reply_of(openai_client, lister).content[0].text.value == expected


def test_written_file_is_downloadable_and_linked_with_an_exact_annotation(openai_client):
    assistant = openai_client.beta.assistants.create(model="linker", tools=INTERPRETER)
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "make a csv"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed", run.last_error
    message = reply_of(openai_client, run)
    (content,) = message.content
    value = content.text.value
    assert value.endswith("Files: ['out.csv']")
    annotations = content.text.annotations
    assert len(annotations) == 3  # the missing nope.csv gets none
    file_id = annotations[0].file_path.file_id
    for annotation in annotations:
        assert annotation.type == "file_path" and annotation.file_path.file_id == file_id
        assert annotation.text == "sandbox:/mnt/data/out.csv"
        assert value[annotation.start_index : annotation.end_index] == annotation.text
    assert annotations[0].start_index == value.index("(sandbox:") + 1  # inside the markdown link, non-ASCII before it
    assert value[annotations[1].end_index] == "."  # the sentence's full stop is not part of the link
    assert value[annotations[2].start_index - 1] == value[annotations[2].end_index] == "`"
    assert [(a.file_id, [t.type for t in a.tools]) for a in message.attachments] == [(file_id, ["code_interpreter"])]
    file = openai_client.files.retrieve(file_id)
    assert (file.filename, file.purpose) == ("/mnt/data/out.csv", "assistants_output")
    assert openai_client.files.content(file_id).read() == b"a,b\n1,3\n2,4\n"


# --- sessions ---------------------------------------------------------------------------


def test_variables_persist_on_the_thread_but_not_across_threads(openai_client, coder):
    first = run_code(openai_client, coder.id, "secret = 41")
    second = run_code(openai_client, coder.id, "secret + 1", thread_id=first.thread_id)
    assert logs_of(openai_client, second) == "42\n"
    other = run_code(openai_client, coder.id, "secret")
    assert "NameError: name 'secret' is not defined" in logs_of(openai_client, other)


def test_session_expires_after_an_idle_hour_on_the_virtual_clock(openai_client, emulator):
    data = openai_client.files.create(file=("n.txt", b"input"), purpose="assistants")
    coder = openai_client.beta.assistants.create(
        model="coder", tools=INTERPRETER, tool_resources={"code_interpreter": {"file_ids": [data.id]}}
    )
    first = run_code(openai_client, coder.id, "kept = 'yes'")
    emulator.advance(3599)
    assert logs_of(openai_client, run_code(openai_client, coder.id, "kept", thread_id=first.thread_id)) == "'yes'\n"
    emulator.advance(3599)  # the last use counts: still within the hour
    assert logs_of(openai_client, run_code(openai_client, coder.id, "kept", thread_id=first.thread_id)) == "'yes'\n"
    emulator.advance(3601)
    gone = run_code(
        openai_client, coder.id, f"print(open('/mnt/data/{data.id}').read())\nkept", thread_id=first.thread_id
    )
    logs = logs_of(openai_client, gone)
    assert logs.startswith("input\n") and "NameError: name 'kept' is not defined" in logs  # files come back


@pytest.mark.emulator(sandbox={"session_idle_seconds": 10})
def test_session_idle_seconds_is_configurable(openai_client, coder, emulator):
    first = run_code(openai_client, coder.id, "kept = 1")
    emulator.advance(10)
    assert logs_of(openai_client, run_code(openai_client, coder.id, "kept", thread_id=first.thread_id)) == "1\n"
    emulator.advance(11)
    gone = run_code(openai_client, coder.id, "kept", thread_id=first.thread_id)
    assert "NameError" in logs_of(openai_client, gone)


def test_deleting_the_thread_ends_its_session(openai_client, coder, emulator):
    run = run_code(openai_client, coder.id, "x = 1")
    assert emulator.sessions.has_session(run.thread_id)
    process = emulator.sessions._live[run.thread_id].process  # private: to see the process really ends
    assert openai_client.beta.threads.delete(run.thread_id).deleted
    assert not emulator.sessions.has_session(run.thread_id)
    assert not process.alive
    wait_until(lambda: not os.path.exists(f"/proc/{process.pid}"))  # killed (and reaped by the zygote)
    assert not os.path.exists(process.root)  # its /mnt/data is gone


def test_least_recently_used_session_is_closed_beyond_the_cap(openai_client, coder, monkeypatch):
    monkeypatch.setattr(sandbox_sessions, "MAX_LIVE_SESSIONS", 2)
    threads = [run_code(openai_client, coder.id, f"v = {n}").thread_id for n in range(3)]
    assert logs_of(openai_client, run_code(openai_client, coder.id, "v", thread_id=threads[2])) == "2\n"
    assert logs_of(openai_client, run_code(openai_client, coder.id, "v", thread_id=threads[1])) == "1\n"
    gone = run_code(openai_client, coder.id, "v", thread_id=threads[0])
    assert "NameError" in logs_of(openai_client, gone)


# --- errors ---------------------------------------------------------------------------


def test_errors_show_an_ipython_traceback_without_host_paths(openai_client, coder):
    thread_id = openai_client.beta.threads.create().id
    run = run_code(openai_client, coder.id, "def f():\n    return 1 / 0\n\nf()", thread_id=thread_id)
    assert run.status == "completed"  # a failing cell is the model's business, not the run's
    logs = logs_of(openai_client, run)
    assert logs.startswith("-" * 75 + "\nZeroDivisionError "), logs
    assert "Traceback (most recent call last)" in logs
    assert "Cell In[1], line 4\n----> 4 f()" in logs
    assert "Cell In[1], line 2, in f()\n----> 2 return 1 / 0" in logs
    assert logs.rstrip().endswith("ZeroDivisionError: division by zero")
    library = run_code(openai_client, coder.id, "import pandas as pd\npd.read_csv('/mnt/data/missing.csv')",
                       thread_id=thread_id)  # fmt: skip
    library_logs = logs_of(openai_client, library)
    assert "Cell In[2], line 2" in library_logs and "File <library>, in read_csv" in library_logs
    assert "No such file or directory: '/mnt/data/missing.csv'" in library_logs
    for text in (logs, library_logs):
        for path in HOST_PATHS:
            assert path not in text, (path, text)


def test_failed_code_is_fixed_and_rerun_in_the_same_run(openai_client):
    assistant = openai_client.beta.assistants.create(model="fixer", tools=INTERPRETER)
    run = run_code(openai_client, assistant.id, "ratio = 1 / 0\nratio")
    assert run.status == "completed", run.last_error
    steps = steps_of(openai_client, run)
    assert [s.type for s in steps] == ["tool_calls", "tool_calls", "message_creation"]
    first, second = code_call(steps[0]), code_call(steps[1])
    assert first.input == "ratio = 1 / 0\nratio\n" and "ZeroDivisionError" in first.outputs[0].logs
    assert second.input == "ratio = 1 / 1\nratio\n" and second.outputs[0].logs == "1.0\n"
    assert reply_of(openai_client, run).content[0].text.value == "Fixed after 2 runs: 1.0\n"


def test_failed_code_gets_a_reply_naming_the_error(openai_client):
    assistant = openai_client.beta.assistants.create(model="reporter", tools=INTERPRETER)
    failed = run_code(openai_client, assistant.id, "{}['missing']")
    assert reply_of(openai_client, failed).content[0].text.value == "It failed: KeyError: 'missing'"
    worked = run_code(openai_client, assistant.id, "print('fine')", thread_id=failed.thread_id)
    assert reply_of(openai_client, worked).content[0].text.value == "It worked."


# --- limits -----------------------------------------------------------------------------


@pytest.mark.emulator(sandbox={"cpu_seconds": 1})
def test_cpu_limit_ends_the_cell_not_the_run_nor_the_session(openai_client, coder):
    thread_id = run_code(openai_client, coder.id, "kept = 'still here'").thread_id
    started = time.monotonic()
    spin = run_code(openai_client, coder.id, "print('spinning')\nwhile True:\n    pass", thread_id=thread_id)
    assert time.monotonic() - started < 60  # ended by the limit (its log says so below), not by a test timeout
    assert spin.status == "completed", spin.last_error
    logs = logs_of(openai_client, spin)
    assert logs.startswith("spinning\n") and "more than 1 s of CPU time" in logs
    assert reply_of(openai_client, spin).content[0].text.value.startswith("Output:\nspinning\nTimeoutError")
    # the CPU limit stops the cell only: the session and its variables survive
    assert logs_of(openai_client, run_code(openai_client, coder.id, "kept", thread_id=thread_id)) == "'still here'\n"
    assert openai_client.beta.assistants.list().data[0].id == coder.id


@pytest.mark.emulator(sandbox={"wall_seconds": 1})
def test_wall_limit_ends_the_cell_and_restarts_the_session(openai_client, coder):
    thread_id = run_code(openai_client, coder.id, "kept = 'lost'").thread_id
    started = time.monotonic()
    sleep = run_code(openai_client, coder.id, "import time\ntime.sleep(30)", thread_id=thread_id)
    assert time.monotonic() - started < 25  # ended by the 1 s limit, not the 30 s sleep (room for a loaded machine)
    assert sleep.status == "completed", sleep.last_error
    assert "took longer than 1 s" in logs_of(openai_client, sleep)
    assert reply_of(openai_client, sleep).content[0].text.value.startswith("Output:\nTimeoutError")
    assert openai_client.beta.assistants.list().data[0].id == coder.id
    # the wall limit kills the session: a new one starts, without the variables
    assert "NameError" in logs_of(openai_client, run_code(openai_client, coder.id, "kept", thread_id=thread_id))


@pytest.mark.emulator(sandbox={"memory_mb": 64})
def test_memory_limit_is_a_memory_error(openai_client, coder):
    run = run_code(openai_client, coder.id, "block = bytearray(512 * 1024 * 1024)")
    assert run.status == "completed"
    assert "MemoryError" in logs_of(openai_client, run)
    assert logs_of(openai_client, run_code(openai_client, coder.id, "1 + 1", thread_id=run.thread_id)) == "2\n"


def test_code_without_the_code_interpreter_tool_fails_the_run(openai_client, emulator):
    assistant = openai_client.beta.assistants.create(model="coder")
    run = run_code(openai_client, assistant.id, "1 + 1")
    assert run.status == "failed"
    assert run.last_error.code == "server_error"
    assert "a code_interpreter call, but the run has no code_interpreter tool" in run.last_error.message
    assert steps_of(openai_client, run) == []
    assert not emulator.sessions.has_session(run.thread_id)


def test_a_script_that_never_stops_running_code_fails_after_the_cap(openai_client):
    assistant = openai_client.beta.assistants.create(model="looper", tools=INTERPRETER)
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "loop"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "failed" and run.last_error.code == "server_error"
    assert "ran code more than 20 times in one run" in run.last_error.message
    steps = openai_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, limit=100).data
    assert len(steps) == 20 and {s.status for s in steps} == {"completed"}


# --- async -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_runs_code(async_openai_client):
    client = async_openai_client
    assistant = await client.beta.assistants.create(model="coder", tools=INTERPRETER)
    run = await client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": block("import numpy as np\nnp.arange(4).sum()")}]},
    )
    assert run.status == "completed", run.last_error
    steps = (await client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc")).data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    assert code_call(steps[0]).outputs[0].logs == "np.int64(6)\n"
    message = (await client.beta.threads.messages.list(run.thread_id)).data[0]
    assert message.content[0].text.value == "Output:\nnp.int64(6)\n"


# --- determinism -------------------------------------------------------------------------


def _transcript(seed: int) -> list[bytes]:
    emulator = Emulator(EmulatorConfig(seed=seed, models=[CODER]))
    try:
        client = in_process_client(create_app(emulator))
        data = client.files.create(file=("d.csv", b"v\n1\n2\n"), purpose="assistants")
        assistant = client.beta.assistants.create(
            model="coder", tools=INTERPRETER, tool_resources={"code_interpreter": {"file_ids": [data.id]}}
        )
        code = (
            "import random\nimport numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
            f"df = pd.read_csv('/mnt/data/{data.id}')\n"
            "plt.plot(np.random.rand(5) + df.v.sum())\nplt.title('seeded')\n"
            "df.to_csv('/mnt/data/copy.csv')\n"
            "print(random.random(), np.random.randint(1000))"
        )
        run = run_code(client, assistant.id, code)
        out = [
            client.beta.threads.messages.with_raw_response.list(run.thread_id).content,
            client.beta.threads.runs.steps.with_raw_response.list(run.id, thread_id=run.thread_id).content,
            client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=run.thread_id).content,
        ]
        files = [f for f in client.files.list().data if f.purpose == "assistants_output"]
        assert sorted(f.filename for f in files) == ["/mnt/data/copy.csv", "code_interpreter_image_1.png"]
        out += [client.files.content(f.id).read() for f in files]
        client.close()
        return out
    finally:
        emulator.close()


def test_same_seed_same_calls_same_bytes_and_pixels():
    first, second = _transcript(11), _transcript(11)
    assert first == second
    assert any(item.startswith(PNG_MAGIC) for item in first)
    assert _transcript(12)[0] != first[0]
