"""The code_interpreter over real HTTP, with the emulator's lock released while a cell runs: the server answers
other requests meanwhile, a cancel, a thread deletion or a reset during a cell leave a consistent state, and a
running cell is never closed as idle or least recently used. The helpers and scripted models are
test_code_interpreter.py's."""

from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest
from openai import OpenAI
from test_code_interpreter import (
    CODER,
    INTERPRETER,
    block,
    code_call,
    executing,
    logs_of,
    reply_of,
    run_code,
    steps_of,
    wait_until,
)

from emulator.sandbox import sessions as sandbox_sessions

pytestmark = pytest.mark.emulator(models=[CODER])


@pytest.fixture
def http_client(emulator_server):
    client = OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key, max_retries=0,
                    http_client=httpx.Client(trust_env=False, timeout=30))  # fmt: skip
    yield client
    client.close()


class Background:
    """One SDK call in a thread; its result (or error) when joined."""

    def __init__(self, call):
        self.result = self.error = None
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()

    def _run(self, call):
        try:
            self.result = call()
        except Exception as exc:  # noqa: BLE001 - reported by join()
            self.error = exc

    def join(self):
        self.thread.join(30)
        assert not self.thread.is_alive()
        return self.result, self.error


def start_slow_cell(client, emulator, assistant_id, seconds=1.5):
    """A warm session, then a run whose cell sleeps; returns (run, background retrieve, start)."""
    thread_id = run_code(client, assistant_id, "warm = True").thread_id
    client.beta.threads.messages.create(thread_id, role="user", content=block(f"import time\ntime.sleep({seconds})"))
    run = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id)
    assert run.status == "queued"  # the first read moves it, and runs the cell
    started = time.monotonic()
    waiter = Background(lambda: client.beta.threads.runs.retrieve(run.id, thread_id=thread_id))
    wait_until(lambda: executing(emulator, run.id))
    return run, waiter, started


def test_server_answers_while_a_cell_runs(http_client, emulator):
    coder = http_client.beta.assistants.create(model="coder", tools=INTERPRETER)
    run, waiter, started = start_slow_cell(http_client, emulator, coder.id)
    assert [a.id for a in http_client.beta.assistants.list().data] == [coder.id]
    during = http_client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
    assert during.status == "in_progress"
    (step,) = http_client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data
    assert step.status == "in_progress" and step.usage is None and step.completed_at is None
    assert code_call(step).input == "import time\ntime.sleep(1.5)\n" and code_call(step).outputs == []
    # a second run on the busy thread is refused, as on the real service
    with pytest.raises(openai.BadRequestError, match="already has an active run"):
        http_client.beta.threads.runs.create(thread_id=run.thread_id, assistant_id=coder.id)
    assert time.monotonic() - started < 1.5 and waiter.thread.is_alive()  # all answered before the cell ended
    done, error = waiter.join()
    assert error is None and done.status == "completed"
    assert time.monotonic() - started >= 1.5
    assert [s.status for s in steps_of(http_client, done)] == ["completed", "completed"]


def test_cancelling_during_a_cell_cancels_the_run_and_its_step(http_client, emulator):
    coder = http_client.beta.assistants.create(model="coder", tools=INTERPRETER)
    run, waiter, started = start_slow_cell(http_client, emulator, coder.id)
    assert http_client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id).status == "cancelling"
    assert time.monotonic() - started < 1.5
    result, error = waiter.join()
    assert error is None and result.status == "cancelled"
    final = http_client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
    assert final.status == "cancelled" and final.cancelled_at is not None
    (step,) = steps_of(http_client, final)
    assert step.status == "cancelled" and step.cancelled_at is not None
    # no reply from the cancelled run (newest first: its user message, then the warm-up run's reply)
    roles = [(m.role, m.run_id) for m in http_client.beta.threads.messages.list(run.thread_id).data]
    assert roles[0] == ("user", None) and roles[1][0] == "assistant" and roles[1][1] != run.id and len(roles) == 3
    # the thread takes a new run at once
    again = run_code(http_client, coder.id, "warm", thread_id=run.thread_id)
    assert logs_of(http_client, again) == "True\n"


def test_a_running_cell_is_never_closed_as_idle_or_least_recently_used(http_client, openai_client, emulator,
                                                                       monkeypatch):  # fmt: skip
    monkeypatch.setattr(sandbox_sessions, "MAX_LIVE_SESSIONS", 1)
    coder = http_client.beta.assistants.create(model="coder", tools=INTERPRETER)
    run, waiter, _started = start_slow_cell(http_client, emulator, coder.id, seconds=1)
    # meanwhile: an hour passes and another thread needs a session (over the cap of one)
    emulator.advance(3601)
    other = run_code(openai_client, coder.id, "'other'")
    assert logs_of(openai_client, other) == "'other'\n"
    done, error = waiter.join()
    assert error is None and done.status == "completed"
    assert logs_of(http_client, done) == ""  # time.sleep(1) printed nothing: it was not killed
    assert reply_of(http_client, done).content[0].text.value == "Output:\n"
    assert logs_of(http_client, run_code(http_client, coder.id, "warm", thread_id=run.thread_id)) == "True\n"


def test_deleting_the_thread_during_a_cell(http_client, emulator):
    coder = http_client.beta.assistants.create(model="coder", tools=INTERPRETER)
    run, waiter, _started = start_slow_cell(http_client, emulator, coder.id)
    assert http_client.beta.threads.delete(run.thread_id).deleted
    assert not emulator.sessions.has_session(run.thread_id)
    _result, error = waiter.join()
    # the waiting request may say the run is gone, but never a server error
    assert error is None or getattr(error, "status_code", None) == 404, error


def test_a_reset_during_a_cell_leaves_the_new_state_alone(http_client, emulator):
    first_id = http_client.beta.assistants.create(model="gpt-4o").id
    emulator.reset()
    coder = http_client.beta.assistants.create(model="coder", tools=INTERPRETER)
    _run, waiter, _started = start_slow_cell(http_client, emulator, coder.id, seconds=1)
    emulator.reset()
    waiter.join()
    assert http_client.beta.assistants.create(model="gpt-4o").id == first_id
