"""The fixtures under `pytest -n` (pytest-xdist): each worker process has its own emulator, so
tests on different workers never see each other's objects, ids stay deterministic per test,
and each worker's dev server and code_interpreter sandbox are its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SUITE = """
import json, os
import pytest

FIRST_ID = {first_id!r}


def _record(name, **facts):
    path = os.path.join({out!r}, f"{{os.getpid()}}-{{name}}.json")
    with open(path, "w") as out:
        json.dump({{"worker": os.environ.get("PYTEST_XDIST_WORKER"), **facts}}, out)


@pytest.mark.parametrize("n", range(12))
def test_in_process(openai_client, n):
    assert openai_client.beta.assistants.list().data == []  # nothing from any other test
    made = openai_client.beta.assistants.create(model="gpt-4o", name=f"t{{n}}")
    assert made.id == FIRST_ID  # the seed's first id, whatever ran before on this worker
    assert [a.name for a in openai_client.beta.assistants.list().data] == [f"t{{n}}"]
    _record(f"in-process-{{n}}", id=made.id)


@pytest.mark.parametrize("n", range(4))
def test_over_http(emulator_server, n):
    import openai
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key="k")
    assert client.beta.threads.create().id
    assert len(emulator_server.emulator.backend().ns.threads) == 1
    _record(f"http-{{n}}", url=emulator_server.url)


def test_code_runs_in_this_workers_sandbox(openai_client):
    beta = openai_client.beta
    assistant = beta.assistants.create(model="gpt-4o", tools=[{{"type": "code_interpreter"}}])
    thread = beta.threads.create(messages=[{{"role": "user", "content": "```python\\nprint(6 * 7)\\n```"}}])
    run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1)
    assert run.status == "completed", run.last_error
    steps = beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    logs = [o.logs for s in steps if s.type == "tool_calls" for c in s.step_details.tool_calls
            for o in c.code_interpreter.outputs if o.type == "logs"]
    assert logs == ["42\\n"]
    _record("sandbox", pid=os.getpid())
"""


def test_each_xdist_worker_has_its_own_emulator(tmp_path: Path) -> None:
    from emulator import Emulator

    first_id = Emulator().backend().assistants.create({"model": "gpt-4o"}).id
    out = tmp_path / "facts"
    out.mkdir()
    (tmp_path / "suite").mkdir()
    (tmp_path / "suite" / "test_parallel.py").write_text(SUITE.format(first_id=first_id, out=str(out)))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider", str(tmp_path / "suite")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "17 passed" in done.stdout, done.stdout[-2000:]
    facts = [json.loads(p.read_text()) for p in out.iterdir()]
    workers = {f["worker"] for f in facts}
    assert workers == {"gw0", "gw1"}, workers  # both workers ran tests
    urls = {f["worker"]: f["url"] for f in facts if "url" in f}
    assert len(set(urls.values())) == len(urls)  # a server per worker (when both got one)
