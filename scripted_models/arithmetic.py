"""Arithmetic in a user's message: found, parsed with the usual precedence, computed.

`find(message)` returns the longest arithmetic expression the message writes, as a tree:
digits and operators (`+ - * / % ^ ** × ÷`, parentheses) and their words ("plus", "minus",
"times", "multiplied by", "divided by", "modulo", "raised to (the power of)", "to the power
of", "squared", "cubed", "square root of", "N% of", "N percent"). Powers bind tightest and to
the right, then `* / %`, then `+ -`; a unary minus binds looser than a power (`-2 ** 2` is -4).
The tree gives the value (`evaluate`), Python code (`python`), and the order of the steps.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: Phrases rewritten to symbols before tokenising, in order.
_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bthe\s+square\s+root\s+of\b|\bsquare\s+root\s+of\b|√", " sqrt "),
    (r"\bsquare\s+root\b", " sqrt "),
    (r"(\d(?:[\d.]*\d)?)\s*(?:%|\s+percent)\s+of\b", r" ( \1 / 100 ) * "),
    (r"(\d(?:[\d.]*\d)?)\s*(?:%|\s+percent)(?!\s*\d)", r" ( \1 / 100 ) "),
    (r"\b(?:raised\s+)?to\s+the\s+power\s+of\b|\braised\s+to(?:\s+the)?\b|\bto\s+the\b(?=\s*\(?-?\d)", " ** "),
    (r"(\d)(?:st|nd|rd|th)\s+power\b", r"\1"),
    (r"\bsquared\b", " ** 2 "),
    (r"\bcubed\b", " ** 3 "),
    (r"\bplus\b|\badded\s+to\b", " + "),
    (r"\bminus\b", " - "),
    (r"\bmultiplied\s+by\b|\btimes\b", " * "),
    (r"\bdivided\s+by\b|\bover\b", " / "),
    (r"\bmod(?:ulo)?\b", " % "),
    (r"(?<=\d)\s*[x×]\s*(?=\(?\d)", " * "),
    (r"÷", " / "),
    (r"\^", " ** "),
)
#: The same, compiled once (a message is rewritten by each of them on every model turn).
_COMPILED_WORDS = tuple((re.compile(pattern, re.I), symbol) for pattern, symbol in _WORDS)
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|\.\d+|\*\*|sqrt|[-+*/%()]|\S+")
_OPERATORS = frozenset(["+", "-", "*", "/", "%", "**", "sqrt", "(", ")"])


@dataclass(frozen=True)
class Num:
    value: float

    def text(self) -> str:
        return number_text(self.value)


@dataclass(frozen=True)
class Op:
    """A binary operation (`+ - * / % **`), `neg` (unary minus) or `sqrt` (`right` is None)."""

    op: str
    left: Node
    right: Node | None = None

    def text(self) -> str:
        if self.op == "sqrt":
            return f"sqrt({self.left.text()})"
        if self.op == "neg":
            return f"-{_wrapped(self.left)}"
        return f"{_wrapped(self.left)} {self.op} {_wrapped(self.right)}"


Node = Num | Op


def _wrapped(node: Node | None) -> str:
    assert node is not None
    return f"({node.text()})" if isinstance(node, Op) and node.op not in ("sqrt", "neg") else node.text()


def number_text(value: float) -> str:
    """`3` for 3.0, `2.5`, `-32.219...` (up to 12 significant digits)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.12g}"


def number(value: float) -> int | float:
    """An int when the value is whole (for integer parameters), else the float."""
    return int(value) if math.isfinite(value) and value == int(value) and abs(value) < 1e15 else value


def find(message: str) -> Node | None:
    """The message's longest arithmetic expression with at least one operation, else None."""
    if _DIGIT.search(message) is None:
        return None  # no number, no expression (words only ever become operators)
    text = message
    for pattern, symbol in _COMPILED_WORDS:
        text = pattern.sub(symbol, text)
    tokens = _TOKEN.findall(text)
    best: tuple[int, Node] | None = None
    run: list[str] = []
    for token in [*tokens, "<end>"]:
        if token in _OPERATORS or _is_number(token):
            run.append(token)
            continue
        found = _parse_run(run)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
        run = []
    return best[1] if best else None


def value_of(text: str) -> float | None:
    """The value of `text` read whole as one expression of numbers and symbols (`3*(2) + 11`,
    `14`), else None (anything else in it, or no real value)."""
    tokens = _TOKEN.findall(text.replace("^", "**"))
    if not tokens or any(t not in _OPERATORS and not _is_number(t) for t in tokens):
        return None
    parser = _Parser(tokens)
    try:
        node = parser.expression()
        if parser.at != len(tokens):
            return None
        return evaluate(node)
    except (ValueError, ArithmeticError, IndexError):
        return None


def _is_number(token: str) -> bool:
    return _NUMBER.fullmatch(token) is not None


def _parse_run(tokens: list[str]) -> tuple[int, Node] | None:
    """The longest expression that parses within a run of tokens, with its number of operations."""
    best: tuple[int, Node] | None = None
    for start in range(len(tokens)):
        parser = _Parser(tokens[start:])
        try:
            node = parser.expression()
        except ValueError:
            continue
        operations = _count(node)
        if operations and (best is None or operations > best[0]):
            best = (operations, node)
    return best


def _count(node: Node | None) -> int:
    if not isinstance(node, Op):
        return 0
    return 1 + _count(node.left) + _count(node.right)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self) -> str:
        token = self.peek()
        self.at += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-") and self._operand_follows():
            op = self.take()
            node = Op(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/", "%") and self._operand_follows():
            op = self.take()
            node = Op(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Op("neg", self.unary())
        if self.peek() == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> Node:
        node = self.atom()
        if self.peek() == "**" and self._operand_follows():
            self.take()
            node = Op("**", node, self.unary())
        return node

    def atom(self) -> Node:
        token = self.take()
        if _is_number(token):
            return Num(float(token))
        if token == "sqrt":
            return Op("sqrt", self.unary() if self.peek() != "(" else self.atom())
        if token == "(":
            node = self.expression()
            if self.take() != ")":
                raise ValueError("unbalanced parenthesis")
            return node
        raise ValueError(f"unexpected {token!r}")

    def _operand_follows(self) -> bool:
        """An operator at the end of the run (`42?` after `+ 42`) is not taken."""
        following = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else ""
        return following in ("(", "-", "+", "sqrt") or _is_number(following)


def evaluate(node: Node) -> float:
    """The value; raises ArithmeticError (division by zero, a root of a negative, overflow)."""
    if isinstance(node, Num):
        return node.value
    left = evaluate(node.left)
    if node.op == "neg":
        return -left
    if node.op == "sqrt":
        if left < 0:
            raise ArithmeticError("square root of a negative number")
        return math.sqrt(left)
    assert node.right is not None
    return apply(node.op, left, evaluate(node.right))


def apply(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right  # ZeroDivisionError is an ArithmeticError
    if op == "%":
        return left % right
    if op == "**":
        value = left**right
        if isinstance(value, complex) or abs(value) > 1e300:
            raise ArithmeticError("no real result")
        return float(value)
    raise ValueError(op)


def python(node: Node) -> str:
    """The expression as Python (`sqrt` as `math.sqrt`)."""
    if isinstance(node, Num):
        return node.text()
    if node.op == "sqrt":
        return f"math.sqrt({python(node.left)})"
    if node.op == "neg":
        return (
            f"-({python(node.left)})"
            if isinstance(node.left, Op) and node.left.op != "sqrt"
            else f"-{python(node.left)}"
        )
    assert node.right is not None
    left, right = python(node.left), python(node.right)
    return f"{_paren(node.left, left)} {node.op} {_paren(node.right, right)}"


def _paren(node: Node, code: str) -> str:
    return f"({code})" if isinstance(node, Op) and node.op not in ("sqrt",) else code
