"""The serve command's console: the banner says where everything is, one line per request names
the runs it moved, long work logs its start and end, colours on a terminal, JSON on demand."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import test_cli_server
from openai import OpenAI
from test_cli_server import ServerProcess, raw

from emulator.server import ConsoleFormatter, RequestEntry

CODE = "```python\nprint(6 * 7)\n```"
#: The CLI tests' fixtures: `serve` starts `assistants-emulator serve` processes.
serve = test_cli_server.serve
_no_proxies = test_cli_server._no_proxies


def _client(url: str) -> OpenAI:
    return OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0)


def _lines(server: ServerProcess) -> list[str]:
    with server._cond:
        return list(server.stderr)


def test_the_banner_names_data_models_and_the_openapi_document(serve: Callable[..., ServerProcess], tmp_path) -> None:
    banner = serve("--port", "0").banner()
    assert "Data            : in memory" in banner
    assert "Scripted models : gpt-4o, gpt-4o-mini" in banner
    assert "/openapi.json" in banner
    kept = serve("--port", "0", "--data-dir", str(tmp_path / "d")).banner()
    assert f"Data            : {tmp_path / 'd'}" in kept


def test_request_lines_name_the_runs_they_moved_and_long_work_is_timed(serve: Callable[..., ServerProcess]) -> None:
    server = serve("--port", "0")
    with _client(server.url) as client:
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": CODE}])
        run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    raw(server.url, "GET", "/_emulator/health")
    server.wait_for_request_line("GET", "/_emulator/health")
    lines = _lines(server)
    create = next(line for line in lines if f"POST /v1/threads/{thread.id}/runs 200 " in line)
    assert create.endswith(f"ms {run.id}→queued"), create
    moved = next(line for line in lines if f"GET /v1/threads/{thread.id}/runs/{run.id} 200 " in line)
    assert moved.endswith(f"ms {run.id}→completed"), moved
    work = [line for line in lines if f"code_interpreter {thread.id} {run.id}" in line]
    assert len(work) == 2 and work[0].endswith(": started") and " done in " in work[1], lines
    assert "\033[" not in "\n".join(lines)  # not a terminal: no colour


def test_json_lines(serve: Callable[..., ServerProcess]) -> None:
    server = serve("--port", "0", "--log-format", "json")
    with _client(server.url) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    raw(server.url, "GET", "/_emulator/health")
    server.wait_until(lambda: any("/_emulator/health" in line for line in _lines(server)), "the health line")
    entries = [json.loads(line) for line in _lines(server)]  # every line is JSON
    runs = [e for e in entries if e.get("path", "").endswith("/runs")]
    assert len(runs) == 1 and runs[0]["status"] == 200 and list(runs[0]["runs"].values()) == ["queued"]
    assert {"time", "logger", "method", "path", "status", "ms"} <= set(runs[0])


def test_statuses_are_coloured_on_a_terminal() -> None:
    def line(status: int, color: bool) -> str:
        entry = RequestEntry(method="GET", path="/v1/models", status=status, ms=1.25)
        record = logging.LogRecord("r", logging.INFO, __file__, 1, entry, None, None)
        return ConsoleFormatter(color=color).format(record)

    assert line(200, True).endswith("GET /v1/models \033[32m200\033[0m 1.2ms")
    assert "\033[33m404\033[0m" in line(404, True) and "\033[31m500\033[0m" in line(500, True)
    assert line(200, False).endswith("GET /v1/models 200 1.2ms")
