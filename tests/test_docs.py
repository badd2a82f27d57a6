"""Every fenced code block of README.md and docs/*.md is checked, by its language; a block of a
kind nobody knows how to check fails. The convention (written up in docs/development.md):

- ```python with a `def test_`: written to a file and run by pytest (pytester); every test
  passes, with exactly the counts of an `outcomes=passed:2,skipped:1` directive if it has one.
- other ```python: run against a live dev server (`emulator_server`), `http://127.0.0.1:8000`
  replaced by its URL, in a temporary working directory; a `print(...)` line's trailing
  `# comment` is what that line prints (`...` stands for anything), checked in order.
- ```yaml: a scripted model (or a list, or `{"models": [...]}`) loaded by the script loader; a
  contract fixture (it has `exchanges`) by the fixture loader.
- ```sh / ```bash / ```console: each command must be real: the emulator's CLI lines parse with its
  own parser, pytest paths exist, pip extras exist, benchmarks modules take those options,
  mkdocs lines parse with mkdocs' own parser, ruff lines use its check/format commands,
  `python3 PATH.py` scripts exist.
- ```js / ```javascript: a script under tests/node/, byte for byte, that a test runs.
- ```json: parses.
- ```text, or no language: output or a listing; not run.

Directives, in an HTML comment on the line just before the block (`<!-- docs: key=value -->`):
`tested-by=PATH::TEST` (a dedicated test runs it: TEST reads this block with `docs_blocks.find`), `same-as=PATH`
(the block is that file, which a test names), `file=NAME` (a file the reader saves: checked,
not run, and written as NAME where the page's later blocks run), `outcomes=...`,
`synopsis-of=COMMAND` (every `--option` in the block is one of that subcommand's), and
`skip=REASON` (only for a block that truly cannot run; each one is listed in SKIPPED below).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import sys
import tokenize
from pathlib import Path

import pytest
import yaml

from conftest import needed
from docs_blocks import ROOT, Block, DocsError, all_blocks, blocks, fetches, find, pages

BLOCKS = all_blocks()
LOCAL = "http://127.0.0.1:8000"
#: block id prefix (page:line is left out: lines move) → why it cannot run; keep this empty if you can
SKIPPED: dict[str, str] = {}
TWO_COMMANDS = [
    "python3 -m pip install -e . && python3 -m emulator serve",
    'python3 -m pip install -e ".[test]" && python3 -m pytest',
]


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_docs_block(block: Block, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    directives = block.directives
    if "skip" in directives:
        assert _skip_key(block) in SKIPPED, f"{block.id}: a skipped block must be listed in SKIPPED with its reason"
        pytest.skip(directives["skip"])
    if "tested-by" in directives:
        return _check_tested_by(block, directives["tested-by"])
    if "same-as" in directives:
        return _check_same_as(block, ROOT / directives["same-as"])
    lang = block.lang
    if lang == "python":
        if "file" in directives:
            compile(block.text, block.page, "exec")
        elif re.search(r"^\s*(async\s+)?def test_", block.text, flags=re.M):
            _run_pytest_block(block, request.getfixturevalue("pytester"))
        else:
            _run_against_server(block, request.getfixturevalue("emulator_server"), tmp_path)
    elif lang == "yaml":
        _check_yaml(block)
    elif lang in ("sh", "bash", "console"):
        for command in shell_commands(block.text, console=lang == "console"):
            check_command(command)
    elif lang in ("js", "javascript"):
        same = [p for p in sorted((ROOT / "tests" / "node").glob("*.*js")) if p.read_text("utf-8") == block.text]
        assert same, f"{block.id}: a JavaScript block must be a script under tests/node/, byte for byte"
        _check_same_as(block, same[0])
    elif lang == "json":
        json.loads(block.text)
    elif lang in ("text", ""):
        if "synopsis-of" in directives:
            _check_synopsis(block, directives["synopsis-of"])
    else:
        pytest.fail(f"{block.id}: no rule for ```{lang} blocks (see docs/development.md); add one or use a directive")


def _skip_key(block: Block) -> str:
    return block.id.split(":", 2)[0] + ":" + block.id.split(":", 2)[2]


# --- directives -----------------------------------------------------------------------------------


def _check_tested_by(block: Block, target: str) -> None:
    """`PATH::TEST`: TEST, a function of PATH, reads this very block from the page (`docs_blocks.find`,
    see `docs_blocks.fetches`), so what it runs is the page's text, not a copy that could drift."""
    where, _, test = target.partition("::")
    path = ROOT / where
    assert path.is_file(), f"{block.id}: tested-by names {where}, which does not exist"
    assert test, f"{block.id}: tested-by={target} names no test (want tested-by={where}::test_name)"
    fetched = [snippet for page, snippet in fetches(path, test) if page == block.page and snippet in block.text]
    assert fetched, f"{block.id}: {target} does not fetch this block (docs_blocks.find({block.page!r}, <its text>))"
    assert any(find(block.page, snippet).line == block.line for snippet in fetched), f"{block.id}: {fetched!r}"


def _check_same_as(block: Block, path: Path) -> None:
    assert path.is_file(), f"{block.id}: same-as names {path}, which does not exist"
    assert block.text == path.read_text("utf-8"), f"{block.id} differs from {path.relative_to(ROOT)}"
    runners = [t for t in (ROOT / "tests").rglob("test_*.py") if path.name in t.read_text("utf-8")]
    assert runners, f"no test under tests/ names {path.name}: nothing runs {block.id}"


def _page_files(block: Block, where: Path) -> None:
    """Write the `file=NAME` blocks that come before `block` on its page into `where`."""
    for earlier in blocks(block.page):
        if earlier.line >= block.line:
            break
        if "file" in earlier.directives:
            (where / earlier.directives["file"]).write_text(earlier.text, encoding="utf-8")


def _outcomes(text: str) -> dict[str, int]:
    counts = dict(pair.split(":") for pair in text.split(","))
    return {name.strip(): int(count) for name, count in counts.items()}


# --- python ---------------------------------------------------------------------------------------


def _run_pytest_block(block: Block, pytester: pytest.Pytester) -> None:
    _page_files(block, pytester.path)
    pytester.makepyfile(test_docs_example=block.text)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    if "outcomes" in block.directives:
        result.assert_outcomes(**_outcomes(block.directives["outcomes"]))
    else:
        outcomes = result.parseoutcomes()
        assert outcomes.get("passed", 0) >= 1 and set(outcomes) <= {"passed", "warnings", "warning"}, outcomes


def expected_prints(source: str) -> list[str]:
    """The trailing comments of the lines that print: what each line prints."""
    expected = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and "print(" in token.line[: token.start[1]]:
            expected.append(token.string.lstrip("#").strip())
    return expected


def check_printed(printed: str, expected: list[str], where: str) -> None:
    position = 0
    for text in expected:
        pattern = ".*?".join(re.escape(piece.strip()) for piece in text.split("..."))
        found = re.compile(pattern).search(printed, position)
        assert found, f"{where}: expected {text!r} in what it printed (after position {position}):\n{printed}"
        position = found.end()


def _run_against_server(block: Block, server, tmp_path: Path) -> None:
    code = block.text.replace(LOCAL, server.url.rstrip("/"))
    _page_files(block, tmp_path)
    out = io.StringIO()
    namespace: dict = {"__name__": "__docs__"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        patch.syspath_prepend(str(tmp_path))
        with contextlib.redirect_stdout(out):
            exec(compile(code, block.page, "exec"), namespace)
    sys.stdout.write(out.getvalue())
    check_printed(out.getvalue(), expected_prints(block.text), block.id)


# --- yaml -----------------------------------------------------------------------------------------


def _check_yaml(block: Block) -> None:
    from emulator.contract.fixture import from_dict
    from scripted_models.script import scripts_from

    data = yaml.safe_load(block.text)
    if isinstance(data, dict) and "exchanges" in data:
        from_dict(data, origin=block.id)
    else:
        assert scripts_from(data, source=block.id), f"{block.id}: no script in it"


# --- shell ----------------------------------------------------------------------------------------


def shell_commands(text: str, console: bool = False) -> list[list[str]]:
    """The commands of a shell block: continuations joined, comments dropped, `&&` chains
    split, leading VAR=value assignments removed; in a console block, only the lines after a
    `$ ` prompt (the others are output)."""
    commands = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if console and not line.startswith("$ "):
            continue
        line = line[2:] if line.startswith("$ ") else line
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            command, words = words[:cut], words[cut + 1 :]
            while command and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", command[0]):
                command = command[1:]
            if command:
                commands.append(command)
    return commands


def _emulator_parser():
    from emulator.cli import build_parser

    return build_parser()


def check_command(words: list[str]) -> None:
    shown = shlex.join(words)
    if words[:3] == ["python3", "-m", "emulator"] or words[0] == "assistants-emulator":
        args = words[3:] if words[0] == "python3" else words[1:]
        try:
            _emulator_parser().parse_args(args)
        except SystemExit as exc:
            assert exc.code == 0, f"the CLI's parser refuses {shown!r}"
    elif words[:3] == ["python3", "-m", "pytest"] or words[0] == "pytest":
        for arg in words[3:] if words[0] == "python3" else words[1:]:
            path = arg.split("::")[0]
            if not arg.startswith("-") and ("/" in path or path.endswith(".py")):
                assert (ROOT / path).exists(), f"{shown!r}: no {path} in the repository"
    elif words[:4] == ["python3", "-m", "pip", "install"]:
        extras = set(_pyproject()["project"]["optional-dependencies"])
        for arg in words[4:]:
            local = re.fullmatch(r"\.(?:\[(?P<extras>[\w,-]+)\])?", arg)
            if local and local.group("extras"):
                unknown = set(local.group("extras").split(",")) - extras
                assert not unknown, f"{shown!r}: pyproject.toml has no extra {sorted(unknown)}"
    elif words[:2] == ["python3", "-m"] and words[2].startswith("benchmarks."):
        module = ROOT / (words[2].replace(".", "/") + ".py")
        assert module.is_file(), f"{shown!r}: no module {words[2]}"
        source = module.read_text("utf-8")
        for option in (w.split("=")[0] for w in words[3:] if w.startswith("--")):
            assert f'"{option}"' in source, f"{shown!r}: {words[2]} has no option {option}"
    elif words[0] == "python3" and words[1].endswith(".py"):
        assert (ROOT / words[1]).is_file(), f"{shown!r}: no script {words[1]} in the repository"
    elif words[0] == "mkdocs":
        needed("mkdocs")
        from mkdocs.__main__ import cli

        cli.make_context("mkdocs", words[1:])
    elif words[0] == "ruff":
        assert words[1] in ("check", "format"), f"{shown!r}: the project runs ruff check and ruff format"
    else:
        pytest.fail(f"no rule to check the command {shown!r} (see docs/development.md)")


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _check_synopsis(block: Block, command: str) -> None:
    parser = _emulator_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    known = {option for action in sub.choices[command]._actions for option in action.option_strings}
    shown = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", block.text))
    assert shown <= known, f"{block.id}: not options of {command}: {sorted(shown - known)}"


# --- the page as a whole --------------------------------------------------------------------------


def test_readme_opens_with_the_two_commands() -> None:
    """The README's first code block is the two commands, and .ci/run runs the second verbatim."""
    first = blocks(ROOT / "README.md")[0]
    assert [line for line in first.text.splitlines() if line.strip()] == TWO_COMMANDS
    assert TWO_COMMANDS[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_page_has_checked_blocks_and_skips_are_listed() -> None:
    skipped = {_skip_key(block) for block in BLOCKS if "skip" in block.directives}
    assert skipped == set(SKIPPED), "SKIPPED must list exactly the blocks with a skip directive"
    assert len(pages()) >= 10


def test_the_harness_reads_what_it_should() -> None:
    """The helpers the block test relies on, on examples whose answer is known."""
    assert shell_commands('A=1 python3 -m pytest tests/x.py -q \\\n  -x && ruff check .  # all\n$ mkdocs serve\n') == [
        ["python3", "-m", "pytest", "tests/x.py", "-q", "-x"], ["ruff", "check", "."], ["mkdocs", "serve"]]  # fmt: skip
    assert expected_prints("print(a)  # 1 ... 3\nx = 2  # not printed\n") == ["1 ... 3"]
    check_printed("one 1 two 3\n", ["1 ... 3"], "example")
    with pytest.raises(AssertionError):
        check_printed("3 then 1\n", ["1 ... 3"], "example")
    with pytest.raises(pytest.fail.Exception):
        check_command(["rm", "-rf", "/"])
    with pytest.raises(AssertionError):
        check_command(["python3", "-m", "emulator", "serve", "--no-such-option"])
    _check_yaml(Block("x.md", 1, "yaml", (ROOT / "fixtures" / "models.yaml").read_text("utf-8")))  # a fixture
    from emulator.contract.fixture import FixtureError
    from scripted_models.script import ScriptError

    with pytest.raises(FixtureError):
        _check_yaml(Block("x.md", 1, "yaml", "source: x\nshape: openai\nexchanges: [{request: 1}]\n"))
    with pytest.raises(ScriptError):
        _check_yaml(Block("x.md", 1, "yaml", "name: x\nturns: [{do: [{dance: now}]}]\n"))
    assert shell_commands("$ assistants-emulator serve\nlistening on http://127.0.0.1:8000\n", console=True) == [
        ["assistants-emulator", "serve"]
    ]


def test_tested_by_wants_the_named_test_to_read_the_block_itself(tmp_path: Path) -> None:
    """Naming the page is not enough: the test must fetch this block (directly, through a helper of its
    module or a fixture it takes, or in a loop over snippets), and the snippet must pick this very block."""
    block = find("docs/https.md", "class FixedToken")
    target = tmp_path / "test_target.py"

    def check(source: str, test: str = "test_it") -> None:
        target.write_text(source, encoding="utf-8")
        _check_tested_by(block, f"{target}::{test}")

    with pytest.raises(AssertionError, match="does not fetch this block"):
        check("def test_it():\n    '''Runs docs/https.md's examples.'''\n")
    with pytest.raises(AssertionError, match="does not fetch this block"):  # another block of the page
        check("import docs_blocks\ndef test_it():\n    docs_blocks.find('docs/https.md', 'NODE_EXTRA_CA_CERTS')\n")
    with pytest.raises(AssertionError, match="names no test"):
        _check_tested_by(block, str(target))
    with pytest.raises(DocsError, match="no function test_other"):
        check("def test_it():\n    pass\n", "test_other")
    check("import docs_blocks\ndef test_it():\n    docs_blocks.find('docs/https.md', 'class FixedToken')\n")
    check("import docs_blocks\nPAGE = 'docs/https.md'\ndef block(snippet):\n    return docs_blocks.find(PAGE, snippet)\n"
          "def test_it():\n    for s in ('NODE_EXTRA', 'class FixedToken'):\n        block(s)\n")  # fmt: skip
    check("import docs_blocks\nimport pytest\n@pytest.fixture\ndef example():\n"
          "    return docs_blocks.find('docs/https.md', 'FixedToken')\ndef test_it(example):\n    pass\n")  # fmt: skip
