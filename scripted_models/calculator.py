"""Arithmetic computed with the app's own function tools, one operation per call.

When the latest user message holds an arithmetic expression (see `arithmetic`) and the run
has function tools for its operations (named, or described, as add / sum / plus, subtract /
minus / difference, multiply / product / times, divide / quotient, power / pow / exponent,
sqrt / square root, mod / modulo / remainder), the default model computes the expression with
them: each operation is a call whose arguments are its two operands (the first two numeric
parameters in declared order, or a single array parameter given both), every other property
filled from the schema. Operations whose operands are known are called together (in parallel
when `parallel_tool_calls` allows, else one at a time); each output (a number, JSON holding one,
or text ending in one) feeds the operation that needs it. An operation with no tool (or whose
operands its schema refuses, such as 2.5 for an integer) is computed by the model itself. A
tool taking the whole expression (a parameter named `expression`, `formula`, `equation` or
`math`) is called once with it instead. Once the root is known, the reply gives each step and
the result: `multiply(121, 3) = 363; add(363, 42) = 405. (121 * 3) + 42 = 405`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import arithmetic
from .arithmetic import Node, Num, Op
from .base import FunctionCall, ModelInput, ToolOutput
from .choosing import name_words, stem
from .schema_values import UnsatisfiableSchema, example

OPERATION_WORDS: dict[str, tuple[str, ...]] = {
    "+": ("add", "addition", "sum", "plus"),
    "-": ("subtract", "subtraction", "minus", "difference", "sub"),
    "*": ("multiply", "multiplication", "product", "times", "mul", "mult"),
    "/": ("divide", "division", "quotient", "div"),
    "**": ("power", "pow", "exponent", "exponentiate", "exp", "raise"),
    "sqrt": ("sqrt", "root"),
    "%": ("mod", "modulo", "remainder", "modulus"),
}
EXPRESSION_PARAMETERS = ("expression", "formula", "equation", "math", "expr", "calculation")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Outcome:
    """What the model does next: call these functions, or reply with this text (and its answer)."""

    calls: tuple[FunctionCall, ...] = ()
    text: str = ""
    answer: str = ""


def tools_for(functions: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The function for each operation it performs, by name first, then by description."""
    found: dict[str, str] = {}
    for op, words in OPERATION_WORDS.items():
        stems = {stem(w) for w in words}
        for name in functions:
            if {stem(w) for w in name_words(name)} & stems:
                found.setdefault(op, name)
        for name, function in functions.items():
            description = re.findall(r"[a-z]+", str(function.get("description", "")).lower())[:6]
            if op not in found and {stem(w) for w in description} & stems and name not in found.values():
                found[op] = name
    return found


def _expression_tool(functions: dict[str, dict[str, Any]]) -> tuple[str, str] | None:
    for name, function in functions.items():
        properties = (function.get("parameters") or {}).get("properties") or {}
        for key, schema in properties.items():
            if (
                key.lower() in EXPRESSION_PARAMETERS
                and isinstance(schema, dict)
                and schema.get("type", "string") == "string"
            ):
                return name, key
    return None


def plan(model_input: ModelInput, functions: dict[str, dict[str, Any]]) -> Outcome | None:
    """The next step of computing the message's expression with the tools; None if that does not apply."""
    tree = arithmetic.find(model_input.last_user_message)
    if tree is None:
        return None
    whole = _expression_tool(functions)
    tools = tools_for(functions)
    if whole is not None and not tools:
        return _with_expression_tool(model_input, functions, tree, *whole)
    if not any(tools.get(n.op) for n in _operations(tree)):
        return None
    state = _State(model_input, functions, tools)
    try:
        value = state.evaluate(tree)
    except (ArithmeticError, UnsatisfiableSchema) as exc:
        return Outcome(text=f"I could not compute {tree.text()}: {exc}.")
    if state.unreadable is not None:
        shown = state.unreadable
        return Outcome(text=f"{shown.name} returned {shown.output}, which is not a number I can go on with.")
    if state.ready:
        return Outcome(calls=tuple(state.ready if model_input.parallel_tool_calls else state.ready[:1]))
    assert value is not None
    result = arithmetic.number_text(value)
    steps = "; ".join(state.steps)
    text = f"{steps}. {tree.text()} = {result}" if steps else f"{tree.text()} = {result}"
    return Outcome(text=text, answer=result)


def _with_expression_tool(
    model_input: ModelInput, functions: dict[str, dict[str, Any]], tree: Node, name: str, key: str
) -> Outcome:
    done = [o for o in model_input.tool_outputs if o.name == name]
    if done:
        value = read_number(done[-1].output)
        shown = arithmetic.number_text(value) if value is not None else done[-1].output
        return Outcome(text=f"{tree.text()} = {shown}", answer=shown)
    arguments = _filled(functions[name], {key: arithmetic.python(tree)})
    return Outcome(calls=(FunctionCall(name, arguments),))


def _operations(node: Node) -> list[Op]:
    if isinstance(node, Num):
        return []
    return [node, *_operations(node.left), *(_operations(node.right) if node.right is not None else [])]


def read_number(output: str) -> float | None:
    """The number an output gives: `363`, `{"result": 363}`, `"363"`, `The answer is 363.`"""
    try:
        value: Any = json.loads(output)
    except ValueError:
        value = output
    if isinstance(value, dict):
        numbers = [v for v in value.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        keyed = [value[k] for k in ("result", "value", "answer", "output") if k in value]
        value = keyed[0] if keyed else numbers[0] if len(numbers) == 1 else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        found = _NUMBER.findall(value)
        return float(found[-1]) if found else None
    return None


def _filled(function: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Every property of the function filled from its schema, with `given` values put in."""
    schema = function.get("parameters") or {"type": "object", "properties": {}}
    base = example(schema, [], strict=bool(function.get("strict")), fill_optional=True)
    return {**(base if isinstance(base, dict) else {}), **given}


def _valid(function: dict[str, Any], arguments: dict[str, Any]) -> bool:
    import jsonschema

    schema = function.get("parameters") or {"type": "object"}
    try:
        return bool(jsonschema.validators.validator_for(schema)(schema).is_valid(arguments))
    except Exception:
        return False


def operand_arguments(function: dict[str, Any], operands: list[float]) -> dict[str, Any] | None:
    """The arguments carrying `operands` (numeric parameters in order, or one array), or None."""
    properties = (function.get("parameters") or {}).get("properties") or {}
    numeric = [k for k, s in properties.items() if isinstance(s, dict) and s.get("type") in ("number", "integer")]
    values = [arithmetic.number(x) for x in operands]
    if len(numeric) >= len(operands):
        given = dict(zip(numeric, values, strict=False))
    else:
        arrays = [k for k, s in properties.items() if isinstance(s, dict) and s.get("type") == "array"]
        if not arrays:
            return None
        given = {arrays[0]: values}
    arguments = _filled(function, given)
    return arguments if _valid(function, arguments) else None


class _State:
    """Walks the tree: operations whose operands are known become calls, answered ones values."""

    def __init__(self, model_input: ModelInput, functions: dict[str, dict[str, Any]], tools: dict[str, str]) -> None:
        self.functions = functions
        self.tools = tools
        self.outputs: list[ToolOutput | None] = list(model_input.tool_outputs)
        self.ready: list[FunctionCall] = []
        self.steps: list[str] = []
        self.unreadable: ToolOutput | None = None

    def evaluate(self, node: Node) -> float | None:
        if isinstance(node, Num):
            return node.value
        left = self.evaluate(node.left)
        right = self.evaluate(node.right) if node.right is not None else None
        if left is None or (node.right is not None and right is None):
            return None
        operands = [left] if node.right is None else [left, right]
        name = self.tools.get(node.op) if node.op != "neg" else None
        arguments = operand_arguments(self.functions[name], operands) if name else None
        if name is None or arguments is None:
            return self._local(node, operands)
        output = self._answer(name, arguments)
        if output is None:
            self.ready.append(FunctionCall(name, arguments))
            return None
        value = read_number(output.output)
        if value is None:
            self.unreadable = self.unreadable or output
            return None
        shown = ", ".join(arithmetic.number_text(x) for x in operands)
        self.steps.append(f"{name}({shown}) = {arithmetic.number_text(value)}")
        return value

    @staticmethod
    def _local(node: Op, operands: list[float]) -> float:
        if node.op == "neg":
            return -operands[0]
        if node.op == "sqrt":
            return arithmetic.evaluate(Op("sqrt", Num(operands[0])))
        return arithmetic.apply(node.op, operands[0], operands[1])

    def _answer(self, name: str, arguments: dict[str, Any]) -> ToolOutput | None:
        """The submitted output of this call (its first unused output of the same name and arguments)."""
        wanted = json.dumps(arguments, sort_keys=True)
        for n, output in enumerate(self.outputs):
            if output is None or output.name != name:
                continue
            try:
                same = json.dumps(json.loads(output.arguments), sort_keys=True) == wanted
            except ValueError:
                same = False
            if same:
                self.outputs[n] = None
                return output
        return None
