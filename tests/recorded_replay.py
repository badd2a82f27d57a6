"""Replaying a recorded fixture (fixtures/recorded/) against a fresh emulator that plays the recorded model.

`check_file` makes the fixture's runs a scripted model (`scenario_to_script`), registered under every model
name the recording's assistants and runs use, so that the emulator's runs do what the real model did.
"""

from __future__ import annotations

from pathlib import Path

from emulator.contract.checker import Difference, check_file

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "fixtures" / "recorded"
FIXTURES = sorted(RECORDED.glob("*/*.yaml"))


def name_of(path: Path) -> str:
    """`ruby-openai/runs_create`: how the tests and the PENDING table name a fixture."""
    return f"{path.parent.name}/{path.stem}"


def check_recorded(path: Path) -> list[Difference]:
    """The differences of a recorded fixture replayed against a fresh emulator playing its recorded model."""
    return check_file(path)
