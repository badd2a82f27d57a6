"""Faults outside the client's control end the run as `failed` with a clear `last_error`, and the
server goes on: a code execution whose process crashes, a sandbox process killed from outside,
a disk that is full when a session's files are written. The thread's next run works."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time

import openai
import pytest

from emulator.runs.engine import CRASHED

CODER = {"name": "coder", "turns": [
    {"when": {"code_ran": True}, "do": [{"reply": "Output: {{ last_code.logs }}"}]},
    {"do": [{"run_code": "{{ code_blocks[0] }}"}]},
]}  # fmt: skip
pytestmark = pytest.mark.emulator(models=[CODER])
TOOLS = [{"type": "code_interpreter"}]


def _run(client, assistant_id, code, thread_id=None):
    content = f"```python\n{code}\n```"
    if thread_id is None:
        thread_id = client.beta.threads.create().id
    client.beta.threads.messages.create(thread_id, role="user", content=content)
    return client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id, poll_interval_ms=5)


def _assert_failed_then_recovers(client, assistant_id, run, message):
    assert run.status == "failed"
    assert run.last_error.code == "server_error" and message in run.last_error.message
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data
    assert [s.status for s in steps] == ["failed"] and steps[0].last_error.code == "server_error"
    again = _run(client, assistant_id, "print('back')", thread_id=run.thread_id)
    assert again.status == "completed", again.last_error
    reply = client.beta.threads.messages.list(run.thread_id, limit=1).data[0]
    assert reply.content[0].text.value == "Output: back\n"


def test_a_crashing_execution_fails_the_run(openai_client, emulator):
    coder = openai_client.beta.assistants.create(model="coder", tools=TOOLS)
    emulator.faults.crash_code()
    run = _run(openai_client, coder.id, "print('never')")
    _assert_failed_then_recovers(openai_client, coder.id, run, CRASHED)


def test_a_crash_injected_over_the_admin_api(emulator_server):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key="k")
    coder = client.beta.assistants.create(model="coder", tools=TOOLS)
    answer = client.post("/../_emulator/faults/code", body={"count": 1}, cast_to=object)
    assert answer["code_crashes"] == 1
    run = _run(client, coder.id, "x = 1")
    _assert_failed_then_recovers(client, coder.id, run, "stopped unexpectedly")


def test_a_sandbox_process_killed_from_outside_fails_the_run(openai_client, emulator):
    coder = openai_client.beta.assistants.create(model="coder", tools=TOOLS)
    thread_id = openai_client.beta.threads.create().id
    assert _run(openai_client, coder.id, "warm = 1", thread_id=thread_id).status == "completed"
    session = emulator.sessions._live[thread_id]

    def kill_when_busy() -> None:
        for _ in range(500):
            if session.busy:
                time.sleep(0.2)  # the cell is running: sleeping in the sandbox
                os.kill(session.process.pid, signal.SIGKILL)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    run = _run(openai_client, coder.id, "import time\ntime.sleep(20)", thread_id=thread_id)
    killer.join()
    _assert_failed_then_recovers(openai_client, coder.id, run, CRASHED)


def test_a_full_disk_fails_the_run(openai_client, emulator, monkeypatch):
    """The session's input files cannot be written (ENOSPC where the host stages them)."""
    from emulator.sandbox import sessions

    coder = openai_client.beta.assistants.create(model="coder", tools=TOOLS)
    data = openai_client.files.create(file=("data.csv", b"x,y\n1,2\n"), purpose="assistants")
    thread = openai_client.beta.threads.create(tool_resources={"code_interpreter": {"file_ids": [data.id]}})
    real_open = os.open

    def full(path, flags, *args, **kwargs):
        if str(path).endswith(data.id):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(sessions.os, "open", full)
    run = _run(openai_client, coder.id, "print(open('/mnt/data/' + 'x').read())", thread_id=thread.id)
    monkeypatch.undo()
    assert run.last_error is not None
    assert "could not run the code: No space left on device" in run.last_error.message
    openai_client.beta.threads.update(thread.id, tool_resources={"code_interpreter": {"file_ids": []}})
    _assert_failed_then_recovers(openai_client, coder.id, run, "No space left on device")
