"""One interpreter session: runs cells of model-written code as a notebook would. Runs in the
sandbox child, after the process limits are in place.

A cell is compiled with RestrictedPython (inside the child: hostile source can make the
compiler itself recurse), run in the session's globals (so variables persist between cells),
and its bare last expression is echoed as in a notebook. What it printed, its traceback
(cell frames only, host paths hidden) and the open figures (as PNGs) come back.
"""

from __future__ import annotations

import ast
import contextlib
import linecache
import os
import re
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec

from .facades import Policy, capture_figures, stable_int
from .guards import Guards, Output
from .libraries import harden_libraries
from .paths import MOUNT, DataDir, Quota


class LimitExceeded(BaseException):  # noqa: N818 - raised into user code by a signal handler
    """The CPU-time limit was reached (SIGXCPU)."""


@dataclass
class CellResult:
    logs: str
    images: list[bytes] = field(default_factory=list)
    error: str | None = None  # the exception's type name when the cell failed


class Session:
    def __init__(self, root: str, *, seed: str, max_output: int, quota: Quota) -> None:
        self.data_dir = DataDir(root, quota)
        self.policy = Policy(self.data_dir, seed)
        self.guards = Guards(self.data_dir, self.policy)
        self.max_output = max_output
        self.namespace = self.guards.globals()
        self.count = 0
        self._host_paths = sorted({self.data_dir.root, root, os.path.abspath(root)}, key=len, reverse=True)
        _seed_randomness(seed)
        harden_libraries()

    def run(self, code: str) -> CellResult:
        self.count += 1
        filename = f"<cell {self.count}>"
        output = self.guards.output = Output(self.max_output)
        self.policy.shown_figures = []
        # RestrictedPython binds `_print` only in code that prints; a split-off last expression
        # (`print(x)` as the cell's last line) needs it too.
        self.namespace["_print"] = self.guards.print_factory()
        error = None
        with _captured(output):
            try:
                body, last = self._compile(code, filename)
                exec(body, self.namespace)
                if last is not None:
                    value = eval(last, self.namespace)
                    if value is not None:
                        output.write(repr(value) + "\n")
            except SyntaxError as exc:
                error = "SyntaxError"
                output.write(self._syntax_error(exc))
            except BaseException as exc:  # noqa: BLE001 - the cell's failure is its output
                if type(exc) is LimitExceeded:  # the exact type: isinstance() believes `__class__`
                    raise
                error = type(exc).__name__
                output.write(self._describe(exc))
            images = self.policy.shown_figures + self._figures(output)
        return CellResult(logs=self.scrub(output.text()), images=images, error=error)

    def _describe(self, exc: BaseException) -> str:
        """The traceback; formatting it runs the exception's __str__, which may itself fail."""
        try:
            return self._traceback(exc)
        except BaseException as inner:  # noqa: BLE001
            if type(inner) is LimitExceeded:
                raise
            return f"{type(exc).__name__}: <the exception could not be shown>\n"

    def _figures(self, output: Output) -> list[bytes]:
        """The open figures as PNGs. Drawing runs code from the cell (usetex text, a figure too big
        to render, draw callbacks): a failure here is reported, never raised out of the session."""
        try:
            return capture_figures()
        except BaseException as exc:  # noqa: BLE001
            if type(exc) is LimitExceeded:
                raise
            with contextlib.suppress(Exception):
                import matplotlib.pyplot as plt

                plt.close("all")
            output.write(f"{type(exc).__name__}: the figures could not be drawn and were closed\n")
            return []

    def _compile(self, code: str, filename: str) -> tuple[Any, Any]:
        tree = ast.parse(code, filename, "exec")  # SyntaxError is reported as the cell's error
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(body=tree.body.pop().value)
        body = compile_restricted_exec(tree, filename)
        if body.errors:
            raise SyntaxError("\n".join(body.errors))
        if last is None:
            return body.code, None
        expression = compile_restricted_eval(last, filename)
        if expression.errors:
            raise SyntaxError("\n".join(expression.errors))
        return body.code, expression.code

    def _syntax_error(self, exc: SyntaxError) -> str:
        lines = [f"  Cell In[{self.count}], line {exc.lineno}" if exc.lineno else f"  Cell In[{self.count}]"]
        if exc.text:
            lines.append(f"    {exc.text.rstrip()}")
            if exc.offset:
                lines.append("    " + " " * (exc.offset - 1) + "^")
        lines.append(f"SyntaxError: {exc.msg}")
        return "\n".join(lines) + "\n"

    def _traceback(self, exc: BaseException) -> str:
        """An IPython-style traceback showing the cell's frames; library frames are named only."""
        rule = "-" * 75
        lines = [rule, f"{type(exc).__name__:<42}Traceback (most recent call last)"]
        library = False
        frames = [f for f in traceback.extract_tb(exc.__traceback__)[1:] if not f.filename.startswith(_HERE)]
        repeated = 0
        for index, frame in enumerate(frames):  # frames[0] of the traceback is this runner
            if index and (frame.filename, frame.lineno, frame.name) == (
                frames[index - 1].filename,
                frames[index - 1].lineno,
                frames[index - 1].name,
            ):
                repeated += 1
                if repeated >= 3:
                    continue
            elif repeated >= 3:
                lines.append(f"[... skipping similar frames: {frames[index - 1].name} ({repeated - 2} times)]")
                lines.append("")
                repeated = 0
            else:
                repeated = 0
            if frame.filename.startswith("<cell "):
                number = frame.filename[6:-1]
                source = linecache.getline(frame.filename, frame.lineno or 0).rstrip()
                where = f"Cell In[{number}], line {frame.lineno}"
                lines.append(where if frame.name == "<module>" else f"{where}, in {frame.name}()")
                lines.append(f"----> {frame.lineno} {source.strip()}")
                lines.append("")
                library = False
            elif not library:
                lines.append(f"File <library>, in {frame.name}")
                lines.append("")
                library = True
        if repeated >= 3:
            lines.append(f"[... skipping similar frames: {frames[-1].name} ({repeated - 2} times)]")
            lines.append("")
        message = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        lines.append(message)
        return "\n".join(lines) + "\n"

    def scrub(self, text: str) -> str:
        """Host paths never reach the logs: the session directory is /mnt/data, libraries are <library>."""
        for path in self._host_paths:
            text = text.replace(path, MOUNT)
        return _HOST_PATH.sub("<library>", text)


#: Frames of the sandbox's own hooks are not shown (they are neither the cell nor a library).
_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep

_HOST_PATH = re.compile(r"(?:/[\w.+-]+)+/(?:site-packages|dist-packages|lib/python\d\.\d+)(?:/[\w.+-]+)*")


@contextlib.contextmanager
def _captured(output: Output) -> Any:
    """Library prints and warnings go to the cell's output, as in a notebook."""
    stdout, stderr, showwarning = sys.stdout, sys.stderr, warnings.showwarning

    def show(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        output.write(f"{category.__name__}: {message}\n")

    sys.stdout = sys.stderr = output  # type: ignore[assignment]
    warnings.showwarning = show
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.showwarning = show
            yield
    finally:
        sys.stdout, sys.stderr, warnings.showwarning = stdout, stderr, showwarning


def _seed_randomness(seed: str) -> None:
    import random

    import numpy

    random.seed(seed)
    numpy.random.seed(stable_int(seed))
