"""The package runs with its own dependencies only: `pip install .` then `serve` must work on a
machine without the test extras (the SDKs, pytest, ...). A child process that cannot import
them starts the CLI's server and answers a request."""

from __future__ import annotations

import subprocess
import sys
import textwrap

#: Importable in the test environment, but not installed by `pip install .`.
TEST_ONLY = ("openai", "httpx2", "azure", "aiohttp", "playwright", "schemathesis", "hypothesis", "pytest", "xdist")

CHILD = textwrap.dedent(
    """
    import importlib.abc, sys

    class TestOnly(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (a test-only dependency)")

    sys.meta_path.insert(0, TestOnly())
    from emulator import cli, create_app
    from emulator.contract import recorder, command  # the record and contract commands

    client = create_app(seed=1).test_client()
    answer = client.post("/v1/assistants", json={"model": "gpt-4o"},
                         headers={"Authorization": "Bearer k", "OpenAI-Beta": "assistants=v2"})
    assert answer.status_code == 200, answer.get_data()
    print("ok")
    """
)


def test_the_server_needs_no_test_dependency():
    code = f"BLOCKED = {set(TEST_ONLY)!r}\n" + CHILD
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_the_serve_command_starts_without_test_dependencies():
    code = (
        f"BLOCKED = {set(TEST_ONLY)!r}\n"
        + CHILD.split("from emulator import")[0]
        + ("import sys\nfrom emulator.cli import main\nsys.argv = ['assistants-emulator', 'serve', '--help']\nmain()\n")
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--port" in done.stdout, done.stderr[-3000:]
