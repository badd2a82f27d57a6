"""Maths the default model answers in text, without a code tool (a math tutor assistant with no
tools, as in the cookbook's Assistants overview).

- A linear equation in x ("I need to solve the equation `3x + 11 = 14`"): the solution, with
  its two steps ("3x = 3, then x = 1"). Linearity is checked on three points, so `x^2 = 4` is
  not taken for a linear one.
- An arithmetic expression ("What is 2^10 + 5?"): its value, with the expression read.
- A request to explain ("Could you explain this to me?") after such a question in the thread:
  the steps of the latest equation or expression the user asked about, one per line.
Everything is computed by `arithmetic` (never by running the user's text).
"""

from __future__ import annotations

import re

from . import arithmetic
from .base import ModelInput

_EQUATION = re.compile(r"([-+*/().\d\sxX^]*[xX][-+*/().\d\sxX^]*)=([-+*/().\d\sxX^]+)")
_EXPLAIN = re.compile(r"\b(explain|why|how did you|how do (i|you)|walk me through|steps?|show your work)\b", re.I)


def answer(model_input: ModelInput) -> str | None:
    """The reply for the latest user message, or None when it holds no maths to answer."""
    message = model_input.last_user_message
    found = _solve(message, explain=False)
    if found is not None:
        return found
    if _EXPLAIN.search(message):
        for earlier in reversed([m.text for m in model_input.messages if m.role == "user"][:-1]):
            steps = _solve(earlier, explain=True)
            if steps is not None:
                return steps
    return None


def _solve(message: str, *, explain: bool) -> str | None:
    equation = _EQUATION.search(message)
    if equation is not None:
        solved = linear(*equation.groups())
        if solved is not None:
            return _equation_text(equation.group(0), *solved, explain=explain)
    tree = arithmetic.find(message)
    if tree is None:
        return None
    try:
        value = arithmetic.evaluate(tree)
    except ArithmeticError as error:
        return f"{tree.text()} has no real value: {error}."
    if not explain:
        return f"{tree.text()} = {arithmetic.number_text(value)}"
    return (
        f"Read {tree.text()} with the usual precedence (powers first, then multiplication and division, "
        f"then addition and subtraction), working from the innermost parentheses out: it comes to "
        f"{arithmetic.number_text(value)}."
    )


def linear(left: str, right: str) -> tuple[float, float] | None:
    """(a, b) of `left = right` brought to `a·x = b`, when both sides are linear in x; else None."""

    def f(x: float) -> float | None:
        sides = [arithmetic.value_of(_substitute(side, x)) for side in (left, right)]
        return None if None in sides else sides[0] - sides[1]  # type: ignore[operator]

    points = [f(x) for x in (0.0, 1.0, 2.0)]
    if None in points:
        return None
    f0, f1, f2 = points  # type: ignore[misc]
    a = f1 - f0
    if abs((f2 - f1) - a) > 1e-9 * max(1.0, abs(a)):
        return None  # not linear
    return a, -f0


def _substitute(side: str, x: float) -> str:
    text = " ".join(side.replace("X", "x").split())
    text = re.sub(r"(\d|\))\s*x", r"\1*x", text)
    text = re.sub(r"(\d)\s*\(", r"\1*(", text)
    text = re.sub(r"x\s*(\d|\()", r"x*\1", text)
    text = re.sub(r"\)\s*(\d|\()", r")*\1", text)
    return text.replace("x", f"({x!r})")


def _equation_text(written: str, a: float, b: float, *, explain: bool) -> str:
    equation = " ".join(written.split())
    show = arithmetic.number_text
    if a == 0:
        return f"{equation} has no unique solution: x cancels out."
    x = b / a
    if not explain and a == 1:
        return f"Bring x to one side: x = {show(x)}."
    if not explain:
        return f"Bring x to one side: {show(a)}x = {show(b)}, then divide by {show(a)}: x = {show(x)}."
    return "\n".join(
        [
            f"To solve {equation}:",
            f"1. Move every x term to the left and every number to the right: {show(a)}x = {show(b)}.",
            f"2. Divide both sides by {show(a)}: x = {show(b)} / {show(a)} = {show(x)}.",
        ]
    )
