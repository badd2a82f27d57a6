"""The suite's own rule for what it cannot run: a missing test dependency (an SDK of the test
extras, Node, Chromium, curl) skips the tests that need it, except under CI, where it fails
them: CI installs everything, so a skip there would hide a broken set-up."""

from __future__ import annotations

import json

import pytest

from conftest import needed, unavailable

MISSING = "emulator_test_no_such_module"


def test_a_missing_dependency_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=MISSING):
        needed(MISSING)
    with pytest.raises(pytest.skip.Exception, match="no jq"):
        unavailable("no jq")


def test_a_missing_dependency_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=MISSING):
        needed(MISSING)
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("no jq")


def test_a_present_dependency_is_imported() -> None:
    assert needed("json") is json
