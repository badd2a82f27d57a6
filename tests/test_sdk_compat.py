"""The plugin's fixtures work with every SDK major: openai 3.x (`httpx2`, this environment)
and openai 1.x/2.x (`httpx`, installed without dependencies into a side directory and run in
a child pytest: the Assistants API and the Responses and Conversations APIs); and in-process
clients never open a socket."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openai
import pytest

import side_envs
from conftest import SocketUsed
from emulator.transport import sdk_http_module

REPO = Path(__file__).resolve().parents[1]
CHILD_MODULES = [REPO / "tests" / "sdk_compat" / name for name in ("check_fixtures.py", "check_responses.py")]
CHILD_TIMEOUT = 120
#: What the child module must have run, every one passing.
CHILD_TESTS = {
    "test_runs_with_the_older_sdk_and_httpx",
    "test_openai_client",
    "test_azure_openai_client",
    "test_async_openai_client",
    "test_async_azure_openai_client",
    "test_emulator_server",
    "test_state_is_reset_between_tests",
    "test_marker_options_apply",
    "test_in_process_clients_open_no_socket",
    "test_streaming_and_code_interpreter",
    "test_async_streaming",
    "test_responses_with_the_openai_client",
    "test_responses_with_the_azure_openai_client",
    "test_responses_with_the_async_client",
    "test_responses_over_the_dev_server",
}


def _compat_env(compat: side_envs.Installed) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = compat.pythonpath(*filter(None, [env.get("PYTHONPATH")]))
    env["EMULATOR_COMPAT_OPENAI_MAJOR"] = "2"
    env.pop("PYTEST_ADDOPTS", None)
    return env


def test_fixtures_work_with_openai_2_and_httpx(tmp_path: Path) -> None:
    compat = side_envs.require("openai2")
    env = _compat_env(compat)

    # Which openai the child imports, and whether its dependencies are all there.
    probe = subprocess.run(
        [sys.executable, "-c", "import openai; print(openai.__version__); print(openai.__file__)"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    if probe.returncode != 0:
        missing = re.search(r"No module named '([^']+)'", probe.stderr)
        if missing:
            pytest.fail(
                f"openai 2.x in {compat.path} cannot be imported: its dependency {missing.group(1)!r} is not "
                f"installed. Add it to the `test` extra in pyproject.toml (then `pip install -e '.[test]'`).",
                pytrace=False,
            )
        pytest.fail(f"openai 2.x in {compat.path} cannot be imported:\n{probe.stderr}", pytrace=False)
    version, location = probe.stdout.split()
    assert version.startswith("2."), f"{compat.path} holds openai {version}"
    assert Path(location).resolve().is_relative_to(compat.path.resolve()), location

    report = tmp_path / "child.xml"
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "python_files=check_*.py",
            f"--junitxml={report}",
            *map(str, CHILD_MODULES),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    output = child.stdout + child.stderr
    assert child.returncode == 0, f"the child pytest (openai {version}) failed:\n{output}"

    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert suite is not None, output
    counts = {name: int(suite.get(name, "0")) for name in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": len(CHILD_TESTS), "failures": 0, "errors": 0, "skipped": 0}, output
    ran = {case.get("name") for case in suite.iter("testcase")}
    assert ran == CHILD_TESTS, output


def test_main_environment_uses_openai_3_and_httpx2() -> None:
    """The other half of the matrix: this process runs every other test with openai 3.x."""
    assert openai.__version__.startswith("3."), openai.__version__
    assert sdk_http_module().__name__ == "httpx2"


# --- in-process clients open no socket -----------------------------------------------


def test_the_socket_guard_catches_the_sdk(no_sockets: list[Any]) -> None:
    """Control: a client that does use the network is caught (nothing listens on port 9)."""
    with pytest.raises(SocketUsed):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with socket.socket() as sock, pytest.raises(SocketUsed):
        sock.connect(("127.0.0.1", 9))
    no_sockets.clear()
    with openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="k", max_retries=0, timeout=5) as client:
        with pytest.raises(Exception):  # noqa: B017 - whatever the SDK makes of it; the record below counts
            client.beta.assistants.list()
    assert no_sockets, "the SDK connected without going through the patched functions"


@pytest.mark.anyio
async def test_the_socket_guard_catches_the_async_sdk(no_sockets: list[Any]) -> None:
    async with openai.AsyncOpenAI(base_url="http://127.0.0.1:9/v1", api_key="k", max_retries=0, timeout=5) as client:
        with pytest.raises(Exception):  # noqa: B017
            await client.beta.assistants.list()
    assert no_sockets, "the async SDK connected without going through the patched functions"


def test_sync_in_process_clients_open_no_socket(
    no_sockets: list[Any], openai_client: Any, azure_openai_client: Any
) -> None:
    made = openai_client.beta.assistants.create(model="gpt-4o", name="offline")
    assert openai_client.beta.assistants.retrieve(made.id).name == "offline"
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    assert [m.role for m in openai_client.beta.threads.messages.list(thread.id)] == ["user"]
    file = openai_client.files.create(file=("x.txt", b"offline bytes"), purpose="assistants")
    assert openai_client.files.retrieve(file.id).bytes == len(b"offline bytes")

    assert azure_openai_client.beta.assistants.retrieve(made.id).id == made.id
    azure_made = azure_openai_client.beta.assistants.create(model="deployment")
    assert {a.id for a in azure_openai_client.beta.assistants.list()} == {made.id, azure_made.id}
    assert no_sockets == []


@pytest.mark.anyio
async def test_async_in_process_client_opens_no_socket(no_sockets: list[Any], async_openai_client: Any) -> None:
    async with async_openai_client as client:
        made = await client.beta.assistants.create(model="gpt-4o", name="async-offline")
        assert (await client.beta.assistants.retrieve(made.id)).name == "async-offline"
        thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        await client.beta.threads.messages.create(thread.id, role="user", content="again")
        assert len((await client.beta.threads.messages.list(thread.id)).data) == 2
        assert [a.id async for a in client.beta.assistants.list()] == [made.id]
    assert no_sockets == []
