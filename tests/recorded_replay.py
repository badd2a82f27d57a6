"""Replaying a recorded fixture (fixtures/recorded/) against a fresh emulator that plays the recorded model.

The fixture's runs become a scripted model (`scenario_to_script`), registered under every model name the
recording's assistants and runs use, so that the emulator's runs do what the real model did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from emulator import create_app
from emulator.contract import fixture
from emulator.contract.checker import Difference, check_scenario, emulator_for, werkzeug_sender
from emulator.contract.replay import scenario_to_script

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "fixtures" / "recorded"
FIXTURES = sorted(RECORDED.glob("*/*.yaml"))


def name_of(path: Path) -> str:
    """`ruby-openai/runs_create`: how the tests and the PENDING table name a fixture."""
    return f"{path.parent.name}/{path.stem}"


def model_names(data: Any) -> set[str]:
    """Every `model` an assistant or run of the scenario shows (answers and stream events)."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("object") in ("assistant", "thread.run") and isinstance(value.get("model"), str):
                found.add(value["model"])
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(data)
    return found


def check_recorded(path: Path) -> list[Difference]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario = fixture.load(path)
    emulator = emulator_for(scenario)
    try:
        try:
            script = scenario_to_script(data, f"replay-{path.stem}")
        except ValueError:  # no run shows what the model did: the default model will do
            script = None
        if script is not None:
            for model in model_names(data):
                emulator.models.register(script, name=model)
        return check_scenario(scenario, werkzeug_sender(create_app(emulator)))
    finally:
        emulator.close()
