"""Run a Jupyter notebook's code cells in order, in one namespace, as a notebook user would
(for the OpenAI cookbook's "Assistants API Overview (Python SDK)", tests/test_frameworks.py).

    python run_notebook.py NOTEBOOK.ipynb

A cell is skipped, with the reason, when it cannot run outside Jupyter or off the network: a
shell command or magic (`!pip ...`, `%...`), a URL it would fetch, a file it opens that is not
there, or a name no earlier cell defined. `display` is Jupyter's (it prints). Prints one JSON
line: for each code cell, its number and "ran", "skipped: <reason>" or "failed: <error>".
The client the notebook makes reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import pprint
import re
import sys
import traceback
from typing import Any

URL = re.compile(r"""["']https?://""")


def display(*objects: Any) -> None:
    for obj in objects:
        pprint.pprint(obj)


def _unbound(tree: ast.AST, known: set[str]) -> list[str]:
    """Names the cell reads that neither it nor anything before it binds."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    read = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return sorted({name for name in read if name not in bound and name not in known and not hasattr(builtins, name)})


def _missing_files(tree: ast.AST) -> list[str]:
    """Literal paths the cell opens that are not there."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and not os.path.exists(first.value):
                found.append(first.value)
    return found


def why_skip(source: str, namespace: dict[str, Any]) -> str | None:
    if any(line.lstrip().startswith(("!", "%")) for line in source.splitlines()):
        return "a shell command or magic"
    if URL.search(source):
        return "it reads the network"
    tree = ast.parse(source)
    missing = _missing_files(tree)
    if missing:
        return f"it opens {', '.join(missing)}, which is not here"
    unbound = _unbound(tree, set(namespace))
    if unbound:
        return f"undefined name(s): {', '.join(unbound)}"
    return None


def run(path: str) -> list[list[Any]]:
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    namespace: dict[str, Any] = {"__name__": "__main__", "display": display}
    report: list[list[Any]] = []
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for number, cell in enumerate(code_cells, 1):
        source = "".join(cell["source"])
        reason = why_skip(source, namespace)
        if reason:
            report.append([number, f"skipped: {reason}"])
            continue
        print(f"--- cell {number}", flush=True)
        try:
            exec(compile(source, f"<cell {number}>", "exec"), namespace)
        except Exception as exc:  # reported, and the next cells still run, as in a notebook
            traceback.print_exc()
            report.append([number, f"failed: {type(exc).__name__}: {exc}"])
        else:
            report.append([number, "ran"])
    return report


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
