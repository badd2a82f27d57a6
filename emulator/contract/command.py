"""`assistants-emulator contract PATH [PATH...]`: replay recorded scenarios against a fresh
emulator each and print ok or their differences."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .checker import check_file, format_differences
from .fixture import FixtureError


def add_contract_command(subparsers: Any) -> None:
    """Add `contract PATH [PATH...]` to the CLI's subcommands."""
    parser = subparsers.add_parser(
        "contract",
        help="replay recorded fixtures against the emulator",
        description="Replay recorded scenarios (fixtures/**/*.yaml) against a fresh in-process emulator each, "
        "which plays the model as the recording shows it, and print ok or their differences. Exit 0 if all check clean, 1 if any differs, 2 if a fixture "
        "cannot be read.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="a scenario file, or a directory (its *.yaml, subdirectories included)"
    )


def run_contract_command(args: argparse.Namespace) -> int:
    code = 0
    files: list[Path] = []
    for name in args.paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(path.rglob("*.yaml"))
            if not found:
                print(f"{path}: no *.yaml scenario in this directory")
                code = 2
            files += found
        elif path.exists():
            files.append(path)
        else:
            print(f"{path}: no such file or directory")
            code = 2
    failed = unreadable = 0
    for path in files:
        try:
            diffs = check_file(path)
        except FixtureError as exc:
            print(f"{path}: unreadable fixture: {_without_origin(str(exc), path)}")
            unreadable += 1
            continue
        print(format_differences(path, diffs), flush=True)
        failed += bool(diffs)
    if len(files) > 1:
        passed = len(files) - failed - unreadable
        print(f"{len(files)} scenarios: {passed} ok, {failed} with differences, {unreadable} unreadable")
    if unreadable:
        return 2
    return code or (1 if failed else 0)


def _without_origin(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
