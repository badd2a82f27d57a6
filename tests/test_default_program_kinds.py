"""Every kind of code the default model writes for code_interpreter runs clean in the real sandbox.

The generated code must pass the sandbox's RestrictedPython rules too (no name starting with `_`,
no attribute it refuses), not only Python's: a program that only a plain interpreter accepts fails
in front of the user. Each writer of `programs` and `analyst` is made to write code at least once
here (a new writer fails the coverage check until a message for it is added below), and every
piece of code runs in one sandbox session without an error.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from emulator.sandbox import SandboxLimits, SandboxUnavailable, host
from scripted_models import analyst, programs
from scripted_models.base import ChatMessage, CodeFile, CodeRun, ModelInput

LIMITS = SandboxLimits(wall_seconds=60, cpu_seconds=20, landlock=False)

CSV = CodeFile("file-sales", "sales.csv")
TSV = CodeFile("file-tsv", "scores.tsv")
JSON = CodeFile("file-json", "rows.json")
XLSX = CodeFile("file-xlsx", "book.xlsx")
PLOTTED = CodeRun(code=analyst.plot_function("sine"), logs="", images=("file-img",))

#: (message, files, code runs before, what the output must hold)
CASES: list[tuple[str, tuple[CodeFile, ...], tuple[CodeRun, ...], str]] = [
    ("Generate the first 20 fibonacci numbers with code", (), (), "2584, 4181"),
    ("List the primes below 30", (), (), "23, 29"),
    ("List the primes up to 29", (), (), "10 primes up to 29"),
    ("Give me the first 5 primes", (), (), "2, 3, 5, 7, 11"),
    ("What is 12!", (), (), "479001600"),
    ("Sort 5, 3.5, 9 and -1 in descending order", (), (), "[9, 5, 3.5, -1]"),
    ("Sum, mean, median, min, max, product, count and std of 4, 8, 15", (), (), "product = 480"),
    ("If $725x + 727y = 1500$ and $729x+ 731y = 1508$, what is the value of $x - y$ ?", (), (), "x - y = -48"),
    ("Given 2x + 3y = 7 and x - y = 1, what is the product of x and y?", (), (), "x * y = 2"),
    ("Solve: x + y + z = 6, 2x - y = 0; y - z = -1", (), (), "x = 1, y = 2, z = 3"),
    ("Solve x + y = 2 and 2x + 2y = 4", (), (), "No unique solution"),
    ("Statistics of the revenue column", (CSV,), (), "revenue: count = 3, mean = 166.667"),
    ("Sum of the score column", (TSV,), (), "score: sum = 12"),
    ("What is the max of the value column?", (JSON,), (), "value: max = 7"),
    ("What is the average of the amount column?", (XLSX,), (), "amount: mean = 2.5"),
    ("Describe the data", (CSV,), (), "3 rows, 3 columns"),
    ("Plot sine from 0 to 2pi", (), (), ""),
    *[(f"Plot a {name}", (), (), "") for name in analyst.FUNCTIONS],
    ("Plot the data as a bar chart", (CSV,), (), "Plotted 2 column(s)"),
    ("Plot a histogram of the revenue", (CSV,), (), "Plotted 1 column(s)"),
    ("Chart the units in Feb as bars, save it", (CSV,), (), "over 1 rows where month is Feb: units"),
    ("Plot these values: 3, 1, 4, 1, 5", (), (), ""),
    ("Draw a 4x3 multiplication chart", (), (), " 4 |  4  8 12"),
    ("Print the times table up to 12", (), (), "12 |  12  24  36"),
    ("Show it in dark mode", (), (PLOTTED,), ""),
    ("Solve 3x + 11 = 14", (), (), "x = 1"),
    ("What is 10 - 4 raised to the 2.7?", (), (), "-32.22"),
    ("What is the square root of 2 plus 15% of 80, squared?", (), (), ""),
    ("What is (121 * 3) + 42 modulo 5?", (), (), "365"),
]

#: Functions of the two modules that help writers but write no program of their own.
HELPERS = {
    programs: {"write", "asked_expression", "_first_int", "_python", "_stats_named", "reader"},
    analyst: {"respond", "write_code", "span", "_bound", "_last", "_function", "_data_file", "_python",
              "_report"},
}  # fmt: skip


def _files(root: Path) -> None:
    (root / CSV.file_id).write_text("month,revenue,units\nJan,100,3\nFeb,250,5\nMar,150,4\n")
    (root / TSV.file_id).write_text("name\tscore\nann\t5\nbob\t7\n")
    (root / JSON.file_id).write_text('[{"key": "a", "value": 3}, {"key": "b", "value": 7}]')
    import pandas as pd

    pd.DataFrame({"item": ["a", "b"], "amount": [2, 3]}).to_excel(root / XLSX.file_id, index=False)


@pytest.fixture(scope="module")
def session():
    try:
        process = host().spawn("program-kinds", LIMITS)
    except SandboxUnavailable as error:
        pytest.skip(f"the sandbox cannot start here: {error}")
    _files(Path(process.root))
    yield process
    process.close()


def test_every_kind_of_code_the_default_model_writes_runs_in_the_sandbox(session, monkeypatch):
    writers = {(module, name): function for module, helpers in HELPERS.items()
               for name, function in inspect.getmembers(module, inspect.isfunction)
               if function.__module__ == module.__name__ and name not in helpers}  # fmt: skip
    wrote: set[str] = set()
    for (module, name), function in writers.items():
        monkeypatch.setattr(module, name, _spy(function, f"{module.__name__}.{name}", wrote))
    failures = []
    for message, files, before, expected in CASES:
        model_input = ModelInput(model="gpt-4o", instructions="", messages=(ChatMessage("user", message),),
                                 code_files=files, code_runs=before)  # fmt: skip
        code = analyst.write_code(model_input)
        if code is None:
            failures.append((message, "no code written"))
            continue
        out = session.run(code, LIMITS)
        if out.error is not None or expected not in out.logs:
            failures.append((message, out.error, out.logs[-600:], code))
    assert not failures, failures
    missing = sorted({f"{module.__name__}.{name}" for module, name in writers} - wrote)
    assert not missing, f"no case above made these write code: {missing}"


def _spy(function, name: str, wrote: set[str]):
    def spied(*args, **kwargs):
        code = function(*args, **kwargs)
        if isinstance(code, str):
            wrote.add(name)
        return code

    return spied
