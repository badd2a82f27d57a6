"""The contract fixture format (emulator/contract/fixture.py): malformed fixtures refused
clearly, the details the checker relies on; reports and the `contract` command's exit codes."""

from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from contract_recording import (
    dump,
    sample,
)
from test_recorded import PENDING

from emulator.contract import fixture
from emulator.contract.checker import (
    Difference,
    format_differences,
)
from emulator.contract.command import add_contract_command, run_contract_command
from emulator.contract.fixture import FixtureError, Multipart

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures"

# --- malformed fixtures ----------------------------------------------------------------------

GOOD = {
    "source": "test",
    "shape": "openai",
    "exchanges": [{"request": {"method": "GET", "path": "/v1/models"}, "response": {"status": 200}}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("source"), "<fixture>: missing required key 'source'"),
        (lambda d: d.update(shape="aws"), "<fixture>: shape: expected one of 'openai', 'azure', 'foundry', got 'aws'"),
        (
            lambda d: d.update(key_order="no"),
            "<fixture>: key_order: expected true, false or streams, got a string ('no')",
        ),
        (
            lambda d: d.update(emulator={"clock": "system"}),
            "<fixture>: emulator: unknown key 'clock' (allowed: api_keys, assets, ingestion_seconds, model, progression, "
            "seconds_per_exchange)",
        ),
        (
            lambda d: d.update(emulator={"model": "gpt-4o"}),
            "<fixture>: emulator.model: expected one of recorded, default, got a string ('gpt-4o')",
        ),
        (
            lambda d: d.update(emulator={"progression": "reads:0"}),
            "<fixture>: emulator.progression: reads:N needs a whole N >= 1",
        ),
        (
            lambda d: d.update(emulator={"seconds_per_exchange": -1}),
            "<fixture>: emulator.seconds_per_exchange: expected a number of seconds >= 0, got a number (-1)",
        ),
        (
            lambda d: d.update(exchanges=[]),
            "<fixture>: exchanges: expected a non-empty list of exchanges, got a list ([])",
        ),
        (
            lambda d: d.update(extra=1),
            "<fixture>: unknown key 'extra' (allowed: emulator, exchanges, ignore, key_order, note, shape, source)",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(bdy={}),
            "<fixture>: exchanges[0].response: unknown key 'bdy' (allowed: base64, body, events, headers, status, text)",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(status="ok"),
            "<fixture>: exchanges[0].response.status: expected an HTTP status (100-599), got 'ok'",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(path="/openai/models"),
            "<fixture>: exchanges[0].request.path: a openai scenario's paths start with /v1/, got '/openai/models'",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(path="/v1/models?limit=2"),
            "<fixture>: exchanges[0].request.path: put the query string under `query:`, not in the path",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(headers={"Authorization": "Bearer sk-123"}),
            "<fixture>: exchanges[0].request.headers.Authorization: never record credentials: the checker sends its own key",
        ),
        (
            lambda d: d["exchanges"][0]["request"].update(body={"a": 1}, multipart={"fields": {"a": "b"}}),
            "<fixture>: exchanges[0].request: a request has `body` or `multipart`, not both",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(body={"a": 1}, text="x"),
            "<fixture>: exchanges[0].response: a response has one of body, events, text, base64; got body, text",
        ),
        (
            lambda d: d["exchanges"][0]["response"].update(events=[{"event": "done", "data": "DONE"}]),
            "<fixture>: exchanges[0].response.events[0].data: the done event's data is '[DONE]', got 'DONE'",
        ),
        (lambda d: d.update(ignore=[{"path": "response.body"}]), "<fixture>: ignore[0]: missing required key 'why'"),
        (
            lambda d: d.update(ignore=[{"path": "response.body", "why": "x"}]),
            "<fixture>: ignore[0].path: must start with exchanges[N] or exchanges[*], got 'response.body'",
        ),
        (
            lambda d: d.update(ignore=[{"path": "exchanges[3].response", "why": "x"}]),
            "<fixture>: ignore[0].path: exchange 3 does not exist (there are 1)",
        ),
        (
            lambda d: d.update(ignore=[{"path": "exchanges[0].response.bo*dy", "why": "x"}]),
            "<fixture>: ignore[0].path: in 'exchanges[0].response.bo*dy': `*` stands for a whole key, not part of one",
        ),
    ],
)
def test_malformed_fixtures_are_refused_clearly(change, message):
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(FixtureError) as caught:
        fixture.from_dict(data)
    assert str(caught.value) == message


def test_yaml_problems_are_refused_clearly(tmp_path: Path):
    path = tmp_path / "dates.yaml"
    path.write_text(
        yaml.safe_dump(GOOD, sort_keys=False).replace("status: 200", "status: 200\n    body: {at: 2024-01-01}")
    )
    with pytest.raises(FixtureError, match=r"exchanges\[0\]\.response\.body\.at: datetime.date\(2024, 1, 1\) is a "
                                           r"YAML date, not a JSON value: quote it"):  # fmt: skip
        fixture.load(path)
    path.write_text("source: a\nsource: b\nshape: openai\nexchanges: []\n")
    with pytest.raises(FixtureError, match=r"duplicate key 'source' \(line 2\)"):
        fixture.load(path)
    path.write_text("source: [unclosed\n")
    with pytest.raises(FixtureError, match="not valid YAML"):
        fixture.load(path)
    with pytest.raises(FixtureError, match="cannot read"):
        fixture.load(tmp_path / "absent.yaml")


def test_fixture_details_the_checker_relies_on():
    data = copy.deepcopy(GOOD)
    request = data["exchanges"][0]["request"]
    request.update(query={"limit": 2, "include[]": ["a", "b"], "flag": True}, headers={"Content-Length": "3"})
    data["ignore"] = [{"path": 'exchanges[*].response.body.metadata["a.b"][0]', "why": "x"}]
    scenario = fixture.from_dict(data)
    assert scenario.exchanges[0].request.query == {"limit": "2", "include[]": ["a", "b"], "flag": "true"}
    assert scenario.exchanges[0].request.headers == {}
    assert scenario.ignore[0].segments == ("exchanges", "*", "response", "body", "metadata", "a.b", 0)
    assert fixture.render_path(scenario.ignore[0].segments) == scenario.ignore[0].path
    assert scenario.ignored(("exchanges", 0, "response", "body", "metadata", "a.b", 0, "x"))
    assert not scenario.ignored(("exchanges", 0, "response", "body", "metadata", "a.b", 1))
    multipart = (
        fixture.from_dict(
            {
                **GOOD,
                "exchanges": [
                    {
                        "request": {
                            "method": "POST",
                            "path": "/v1/files",
                            "multipart": {
                                "fields": {"purpose": "assistants"},
                                "files": {"file": {"filename": "a.bin", "base64": "AAEC"}},
                            },
                        },
                        "response": {"status": 200},
                    }
                ],
            }  # fmt: skip
        )
        .exchanges[0]
        .request.multipart
    )
    assert multipart == Multipart(fields={"purpose": "assistants"},
                                  files={"file": fixture.FilePart(filename="a.bin", content=b"\0\1\2")})  # fmt: skip


# --- reports and the command -----------------------------------------------------------------


def test_format_differences():
    assert format_differences("fixtures/a.yaml", []) == "fixtures/a.yaml: ok"
    diffs = [
        Difference(3, "response.body.status", "expected 'queued', got 'completed'", "POST /v1/threads/{thread}/runs"),
        Difference(1, "response.status", "expected 200, got 404"),
    ]
    assert format_differences("fixtures/a.yaml", diffs) == (
        "fixtures/a.yaml: 2 differences\n"
        "  exchange 1: response.status: expected 200, got 404\n"
        "  exchange 3 POST /v1/threads/{thread}/runs: response.body.status: expected 'queued', got 'completed'"
    )


def command(*paths: Path | str) -> int:
    parser = argparse.ArgumentParser(prog="assistants-emulator")
    add_contract_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["contract", *map(str, paths)])
    assert args.command == "contract"
    return run_contract_command(args)


def test_the_command_exits_0_1_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    good = dump(sample("assistants.yaml"), tmp_path / "good.yaml")
    assert command(good) == 0
    assert capsys.readouterr().out == f"{good}: ok\n"

    altered = sample("assistants.yaml")
    altered["exchanges"][0]["response"]["body"]["object"] = "thread"
    bad = dump(altered, tmp_path / "bad.yaml")
    assert command(tmp_path) == 1
    assert capsys.readouterr().out == (
        f"{bad}: 1 difference\n"
        f"  exchange 0 POST /v1/assistants: response.body.object: expected 'thread', got 'assistant'\n"
        f"{good}: ok\n"
        "2 scenarios: 1 ok, 1 with differences, 0 unreadable\n"
    )

    broken = tmp_path / "broken.yaml"
    broken.write_text("source: x\nshape: openai\n")
    assert command(good, broken) == 2
    assert capsys.readouterr().out.splitlines()[1] == f"{broken}: unreadable fixture: missing required key 'exchanges'"
    assert command(tmp_path / "nowhere.yaml") == 2
    assert command(tmp_path / "nowhere") == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert command(empty) == 2
    assert "no *.yaml scenario" in capsys.readouterr().out


def test_the_command_finds_nested_scenarios_and_replays_the_recorded_model(tmp_path: Path, capsys):
    """`contract DIR` takes DIR's subdirectories too (fixtures/recorded/<source>/), and its runs do what
    the recorded model did: azure-openai FunctionToolsWork calls its function only because it is replayed."""
    recorded = yaml.safe_load((FIXTURES_DIR / "recorded" / "azure-openai" / "FunctionToolsWork.yaml").read_text())
    nested = tmp_path / "recorded" / "azure-openai"
    nested.mkdir(parents=True)
    dump(recorded, nested / "FunctionToolsWork.yaml")
    assert command(tmp_path) == 0
    assert capsys.readouterr().out == f"{nested / 'FunctionToolsWork.yaml'}: ok\n"

    recorded["emulator"] = {**recorded.get("emulator", {}), "model": "default"}  # the catalogue plays it instead
    dump(recorded, nested / "FunctionToolsWork.yaml")
    assert command(tmp_path) == 1
    assert "requires_action" in capsys.readouterr().out


def test_a_clock_that_cannot_be_advanced_is_a_difference_not_a_silent_skip(tmp_path: Path):
    """`seconds_per_exchange` against an app of the caller's on the system clock: said, not ignored."""
    from emulator import Emulator, create_app
    from emulator.contract.checker import check_file

    scenario = copy.deepcopy(GOOD)
    scenario["exchanges"] = scenario["exchanges"] * 2
    scenario["emulator"] = {"seconds_per_exchange": 1}
    path = dump(scenario, tmp_path / "timed.yaml")
    assert check_file(path) == []  # its own emulator has a virtual clock
    emulator = Emulator(clock="system")
    try:
        (difference,) = check_file(path, app=create_app(emulator))
    finally:
        emulator.close()
    assert difference.exchange == 1 and difference.where == "emulator.seconds_per_exchange"
    assert difference.message.startswith("the emulator's clock could not be advanced (")


def test_contract_and_record_commands_are_wired(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "emulator", "contract", "fixtures"], cwd=FIXTURES_DIR.parent,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    # every scenario, fixtures/recorded/ too: only those still pending in test_recorded.py differ
    differing = set(re.findall(r"^(\S+\.yaml): \d+ differences?$", done.stdout, flags=re.M))
    assert differing == {f"fixtures/recorded/{name}.yaml" for name in PENDING}, done.stdout + done.stderr
    assert done.returncode == (1 if PENDING else 0), done.stdout + done.stderr
    broken = tmp_path / "broken.yaml"
    text = (FIXTURES_DIR / "assistants.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("object: assistant\n", "object: assistent\n", 1), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "emulator", "contract", str(broken)], cwd=FIXTURES_DIR.parent,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "assistent" in done.stdout, done.stdout + done.stderr
    done = subprocess.run([sys.executable, "-m", "emulator", "record", "--help"], cwd=FIXTURES_DIR.parent,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and "--upstream" in done.stdout


def _one_run(status: str) -> dict:
    """A scenario whose only run is answered in `status`, with no step or message of what the model did."""
    run = {"id": "run_a1", "object": "thread.run", "thread_id": "thread_a1", "status": status, "model": "gpt-4o"}
    thread = {"messages": [{"role": "user", "content": "Hi"}]}
    return {"source": "test", "shape": "openai", "exchanges": [
        {"request": {"method": "POST", "path": "/v1/threads/runs", "body": {"assistant_id": "asst_a1", "thread": thread}},
         "response": {"status": 200, "body": run}}]}  # fmt: skip


def test_a_replay_that_cannot_be_built_is_a_reported_problem_not_a_fall_back(tmp_path: Path):
    """A completed run shows the model answered, but nothing of what it did: the replay cannot be made, and the
    report says so (naming the scenario and why) instead of quietly letting the default model play it."""
    from emulator.contract.checker import check_file

    path = dump(_one_run("completed"), tmp_path / "unreplayable.yaml")
    first = check_file(path)[0]
    assert (first.exchange, first.where) == (0, "emulator.model")
    assert first.message.startswith("the recorded model of unreplayable.yaml cannot be replayed (no run or response of the "
                                    "scenario shows what the model did)")  # fmt: skip
    assert "emulator: {model: default}" in first.message
    asked = _one_run("completed") | {"emulator": {"model": "default"}}  # the default model, on purpose
    assert all(d.where != "emulator.model" for d in check_file(dump(asked, tmp_path / "asked.yaml")))
    assert all(d.where != "emulator.model" for d in check_file(path, replay=False))


@pytest.mark.parametrize("status", ["queued", "in_progress", "cancelled"])
def test_runs_that_show_nothing_of_the_model_need_no_replay(tmp_path: Path, status: str):
    """Runs seen only before the model answered (ruby-openai runs_create.yaml: queued) have nothing to replay."""
    from emulator.contract.checker import check_file
    from emulator.contract.replay import register_replay

    assert all(d.where != "emulator.model" for d in check_file(dump(_one_run(status), tmp_path / "early.yaml")))
    assert register_replay(None, _one_run(status), "replay-early") is False
