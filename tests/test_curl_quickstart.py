"""tests/curl/quickstart.sh is the curl snippet of docs/index.md: run as written (with this test's
server in place of 127.0.0.1:8000), in a clean environment without proxies, then checked
through the emulator."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import unavailable
from node_env import clean_env

SCRIPT = Path(__file__).resolve().parent / "curl" / "quickstart.sh"


def test_the_curl_quickstart_runs_as_written(emulator_server, openai_client, tmp_path: Path):
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        unavailable(f"the curl quickstart needs {', '.join(missing)} on PATH")
    source = SCRIPT.read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000" in source
    (tmp_path / "quickstart.sh").write_text(source.replace("http://127.0.0.1:8000", emulator_server.url.rstrip("/")))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "quickstart.sh"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "completed",
        "Result: x = 1",
        '{"in_progress":0,"completed":1,"failed":0,"cancelled":0,"total":1}',
    ]

    (assistant,) = openai_client.beta.assistants.list().data
    assert assistant.name == "Math Tutor" and assistant.tools[0].type == "code_interpreter"
    (store,) = openai_client.vector_stores.list().data
    (member,) = openai_client.vector_stores.files.list(store.id).data
    assert openai_client.files.retrieve(member.id).filename == "notes.md"
