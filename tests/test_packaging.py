"""The distributions, as a user gets them: the wheel and sdist build with the commands of
docs/installation.md, pass `twine check --strict`, hold what the runtime reads; the wheel,
installed into a clean virtual environment, serves, its pytest plugin loads and the Azure
tutorial's walk-through runs there; first as the page's light install (code_interpreter then
fails saying what to install), then complete. Everything runs from outside the checkout, so
nothing imports the source tree. Dependencies come from the package registry (pip's cache)."""

from __future__ import annotations

import importlib.metadata
import re
import shlex
import signal
import subprocess
import sys
import tarfile
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openai import OpenAI

import docs_blocks
import emulator
from conftest import needed, unavailable
from emulator import optional

ROOT = Path(__file__).resolve().parents[1]
PAGE_NAME = "docs/installation.md"
PIP_TIMEOUT = 600


def page_commands(containing: str) -> list[list[str]]:
    """The commands of the page's block (one this file tests) that contains `containing`."""
    block = docs_blocks.find(PAGE_NAME, containing)
    assert block.directives.get("tested-by", "").startswith("tests/test_packaging.py::"), block.id
    return [shlex.split(line) for line in block.text.splitlines() if line.strip()]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]).lower()


def light_requirements() -> list[str]:
    without, rest = page_commands("--no-deps")
    assert without == ["python3", "-m", "pip", "install", "--no-deps", "-e", "."]
    assert rest[:4] == ["python3", "-m", "pip", "install"]
    return rest[4:]


def run(command: list[str | Path], *, cwd: Path, timeout: float = PIP_TIMEOUT) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{shlex.join(map(str, command))} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


def pip_install(python: Path, *args: str | Path, cwd: Path) -> None:
    """pip install into a venv; a registry that cannot be reached is a skip (a failure under CI)."""
    command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *map(str, args)]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=PIP_TIMEOUT)
    if done.returncode != 0:
        unavailable(f"could not install into a clean venv ({shlex.join(command[3:])}):\n{done.stderr[-2000:]}")


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built as the page says (into a temporary directory)."""
    needed("build")
    build, install = page_commands("python3 -m build")
    assert build == ["python3", "-m", "build"]
    assert install == ["python3", "-m", "pip", "install", "dist/assistants_emulator-*.whl"]
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True,
                          text=True, timeout=PIP_TIMEOUT, cwd=out)  # fmt: skip
    if done.returncode != 0 and "Could not find a version that satisfies" in done.stdout + done.stderr:
        unavailable(f"the build back-end could not be installed:\n{done.stderr[-2000:]}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _wheel(dists: Path) -> Path:
    (wheel,) = dists.glob("assistants_emulator-*.whl")
    return wheel


def test_twine_check_passes(dists: Path) -> None:
    needed("twine")
    files = sorted(dists.iterdir())
    assert [f.name for f in files] == [f"assistants_emulator-{emulator.__version__}-py3-none-any.whl",
                                       f"assistants_emulator-{emulator.__version__}.tar.gz"]  # fmt: skip
    out = run([sys.executable, "-m", "twine", "check", "--strict", *files], cwd=dists)
    assert out.count("PASSED") == 2, out


def test_the_wheel_holds_what_the_runtime_reads(dists: Path) -> None:
    names = set(zipfile.ZipFile(_wheel(dists)).namelist())
    for folder, pattern in (("emulator/spec", "*.json"), ("emulator/inspector/static", "*"),
                            ("scripted_models", "*.py"), ("emulator/sandbox", "*.py")):  # fmt: skip
        for path in (ROOT / folder).glob(pattern):
            assert f"{folder}/{path.name}" in names
    assert not any(name.startswith(("tests/", "fixtures/", "benchmarks/")) for name in names)
    info = f"assistants_emulator-{emulator.__version__}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(_wheel(dists)).read(f"{info}/METADATA").decode()
    assert f"Version: {emulator.__version__}\n" in metadata and "Requires-Python: >=3.11\n" in metadata
    for version in ("3.11", "3.12", "3.13"):
        assert f"Classifier: Programming Language :: Python :: {version}\n" in metadata
    entry_points = zipfile.ZipFile(_wheel(dists)).read(f"{info}/entry_points.txt").decode()
    assert "assistants-emulator = emulator.cli:main" in entry_points
    assert "assistants_emulator = emulator.pytest_plugin" in entry_points


def test_the_sdist_carries_the_suite(dists: Path) -> None:
    (sdist,) = dists.glob("*.tar.gz")
    top = f"assistants_emulator-{emulator.__version__}/"
    names = {name.removeprefix(top) for name in tarfile.open(sdist).getnames()}
    tracked = subprocess.run(["git", "ls-files", "tests", "fixtures", "emulator", "scripted_models"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split()  # fmt: skip
    if not tracked:
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    assert {"CHANGELOG.md", "LICENSE", "README.md", "pyproject.toml"} <= names
    assert [path for path in tracked if path not in names] == []


def test_the_light_install_is_the_dependencies_less_code_interpreter_and_file_search() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    optional_names = {name for needs in optional.FEATURES.values() for name in needs}
    assert optional_names <= {_name(d) for d in dependencies}  # what the features need is in the default
    assert light_requirements() == [d for d in dependencies if _name(d) not in optional_names]


@contextmanager
def serving(venv: Path, cwd: Path) -> Iterator[OpenAI]:
    """`assistants-emulator serve --port 0` of the venv, and an OpenAI client on it."""
    server = subprocess.Popen([str(venv / "bin" / "assistants-emulator"), "serve", "--port", "0"], cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    watchdog = threading.Timer(60, server.kill)
    watchdog.start()
    try:
        banner = server.stdout.readline()  # type: ignore[union-attr]
        found = re.match(rf"assistants-emulator {re.escape(emulator.__version__)} listening on (http://\S+)", banner)
        assert found, banner + server.stdout.read()  # type: ignore[union-attr]
        with OpenAI(base_url=f"{found.group(1)}/v1", api_key="any-key", max_retries=0) as client:
            yield client
    finally:
        watchdog.cancel()
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert server.returncode == 0 and "Traceback" not in output, output[-3000:]


def _run_code(client: OpenAI, text: str):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id,
                                                    poll_interval_ms=50), thread  # fmt: skip


def _function_call_round_trip(client: OpenAI) -> None:
    weather = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}  # fmt: skip
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[weather])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Oslo"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=50)
    assert run.status == "requires_action", run
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "4 degrees"}],
        poll_interval_ms=50,
    )  # fmt: skip
    assert run.status == "completed", run.last_error
    assert "4 degrees" in client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text.value


PLUGIN_TEST = """
import sys

import emulator
from openai import AzureOpenAI


def test_the_plugin_comes_from_this_install(openai_client):
    assert emulator.__file__.startswith(sys.prefix), emulator.__file__
    assistant = openai_client.beta.assistants.create(model="gpt-4o", name="smoke")
    assert openai_client.beta.assistants.retrieve(assistant.id).name == "smoke"


def test_the_tutorial_walk_through(emulator_server):
    client = AzureOpenAI(azure_endpoint=emulator_server.azure_endpoint, api_key=emulator_server.api_key,
                         api_version="2024-08-01-preview", max_retries=0)
    assistant = client.beta.assistants.create(model="gpt-4-1106-preview", tools=[{"type": "code_interpreter"}],
                                              name="Data Visualization")
    thread = client.beta.threads.create()

    def ask(text):
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content=text)
        run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id,
                                                       poll_interval_ms=50)
        assert run.status == "completed", run.last_error
        return client.beta.threads.messages.list(thread_id=thread.id).data[0]

    plot = ask("Create a visualization of a sinewave")
    assert client.files.content(plot.content[0].image_file.file_id).read()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    assert "np.sin" in ask("Show me the code you used to generate the sinewave").content[0].text.value
"""


def test_the_wheel_in_a_clean_venv_light_then_complete(dists: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path, timeout=120)
    # the page's light install: the wheel without its dependencies, then the light set; and the
    # client side of the checks (the same openai and pytest as here, from pip's cache)
    pip_install(python, "--no-deps", _wheel(dists), cwd=tmp_path)
    client_side = [f"{name}=={importlib.metadata.version(name)}" for name in ("openai", "pytest")]
    pip_install(python, *light_requirements(), *client_side, cwd=tmp_path)
    where = run([python, "-c", "import emulator; print(emulator.__file__)"], cwd=tmp_path).strip()
    assert where.startswith(str(venv)), where
    assert run([python, "-c", "import importlib.util as u; print(u.find_spec('numpy'))"], cwd=tmp_path) == "None\n"

    with serving(venv, tmp_path) as client:
        assert "gpt-4o" in {model.id for model in client.models.list()}
        _function_call_round_trip(client)
        run_, _thread = _run_code(client, "Create a visualization of a sinewave")
        assert run_.status == "failed" and run_.last_error.code == "server_error"
        assert run_.last_error.message.startswith("code_interpreter needs restrictedpython, numpy, pandas")
        assert "python3 -m pip install restrictedpython numpy pandas matplotlib openpyxl" in run_.last_error.message

    # complete: the same wheel with its dependencies
    pip_install(python, _wheel(dists), cwd=tmp_path)
    run([python, "-m", "pip", "check"], cwd=tmp_path)
    with serving(venv, tmp_path) as client:
        run_, thread = _run_code(client, "Create a visualization of a sinewave")
        assert run_.status == "completed", run_.last_error
        image = client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].image_file.file_id
        assert client.files.content(image).read()[:8] == b"\x89PNG\r\n\x1a\n"

    smoke = tmp_path / "smoke"
    smoke.mkdir()
    (smoke / "test_smoke.py").write_text(PLUGIN_TEST)
    # as the project's own pytest settings do: the SDK marks every Assistants call deprecated
    (smoke / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = ignore:(deprecated|The Assistants API is deprecated):DeprecationWarning\n"
    )
    out = run([python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_smoke.py"], cwd=smoke)
    assert re.search(r"\b2 passed\b", out) and "warning" not in out, out
