"""tests/curl/responses.sh is the curl snippet of docs/responses.md: run as written (with this
test's server in place of 127.0.0.1:8000), in a clean environment without proxies."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import unavailable
from node_env import clean_env

SCRIPT = Path(__file__).resolve().parent / "curl" / "responses.sh"


def test_the_curl_responses_example_runs_as_written(emulator_server, openai_client, tmp_path: Path):
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        unavailable(f"the curl example needs {', '.join(missing)} on PATH")
    source = SCRIPT.read_text(encoding="utf-8")
    (tmp_path / "responses.sh").write_text(source.replace("http://127.0.0.1:8000", emulator_server.url.rstrip("/")))
    done = subprocess.run(["bash", "-euo", "pipefail", "responses.sh"], cwd=tmp_path, env=clean_env(),
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "completed",
        'You said: "Hello there". This is a scripted reply from the emulator\'s default model.',
        "resp_",
        '["user","user","assistant"]',
        "response.created response.in_progress response.output_item.added response.content_part.added "
        "response.output_text.delta response.output_text.done response.content_part.done "
        "response.output_item.done response.completed",
    ]
