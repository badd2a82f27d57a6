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
