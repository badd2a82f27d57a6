"""The README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_opens_with_the_two_commands():
    first = re.search(r"```\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S).group(1)
    lines = [line for line in first.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "install -e ." in lines[0] and "serve" in lines[0]
    assert 'install -e ".[test]"' in lines[1] and "pytest" in lines[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci


def test_the_function_calling_example_passes(pytester):
    examples = [block for block in _python_blocks() if "def test_weather_round_trip" in block]
    assert len(examples) == 1
    pytester.makepyfile(test_example=examples[0])
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1)


def test_the_fixture_examples_pass(pytester):
    (block,) = [b for b in _python_blocks() if "def test_time_moves_only_when_told" in b]
    runnable = block.split("@pytest.mark.emulator(seed=7")[0]  # the rest needs the reader's own app
    pytester.makepyfile(test_fixtures=runnable)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=2)


def _run_against(server, block: str, where: Path) -> dict:
    """Run a README block as a user would, against `server` instead of 127.0.0.1:8000."""
    code = block.replace("http://127.0.0.1:8000", server.url.rstrip("/"))
    namespace: dict = {"__name__": "__readme__"}
    cwd = Path.cwd()
    import os

    os.chdir(where)
    try:
        exec(compile(code, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace


def test_the_quickstart_snippets_run_against_the_dev_server(emulator_server, tmp_path, capsys):
    for block in [b for b in _python_blocks() if "127.0.0.1:8000" in b and "Data Visualization" not in b]:
        _run_against(emulator_server, block, tmp_path)
    assert "completed Result: x = 1" in capsys.readouterr().out


def test_the_tutorial_walk_through_runs_against_the_dev_server(emulator_server, tmp_path, capsys):
    import matplotlib.image as mpimg

    (block,) = [b for b in _python_blocks() if "Data Visualization" in b]
    _run_against(emulator_server, block, tmp_path)
    light = mpimg.imread(tmp_path / "sinewave.png")[..., :3].mean()
    dark = mpimg.imread(tmp_path / "sinewave-dark.png")[..., :3].mean()
    assert light > 0.8 and dark < 0.3
    assert "```python" in capsys.readouterr().out


def test_the_node_and_curl_quickstarts_are_the_tested_files():
    """The README shows the very scripts tests/test_node_sdk.py and tests/test_curl_quickstart.py run."""
    text = README.read_text(encoding="utf-8")
    tests = README.parent / "tests"
    (js,) = re.findall(r"```js\n(.*?)```", text, flags=re.S)
    (sh,) = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    assert js == (tests / "node" / "quickstart.mjs").read_text(encoding="utf-8")
    assert sh == (tests / "curl" / "quickstart.sh").read_text(encoding="utf-8")


def test_the_foundry_fixture_example_passes(pytester):
    (block,) = [b for b in _python_blocks() if "def test_sinewave(agents_client" in b]
    pytester.makepyfile(test_foundry_example=block)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1)
