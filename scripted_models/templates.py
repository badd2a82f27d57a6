"""The Jinja2 side of scripts (`script.py`): templates compiled once per text in a sandbox, and the
names a template reads from its context (`user`, `match`, `outputs`, `code_runs`, `tool_uses`, ...),
each worked out only when a template of the action reads it."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from .base import ModelInput, NoMatch

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_env.filters["tojson"] = lambda value: json.dumps(value)
#: A fenced code block: ```python ... ``` (the language tag is optional).
CODE_BLOCK = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _template(source: str) -> tuple[Any, frozenset[str]]:
    """A compiled template and the names it reads from its context, once per distinct text
    (compiling is most of a turn's cost)."""
    return _env.from_string(source), frozenset(meta.find_undeclared_variables(_env.parse(source)))


#: What makes a string a Jinja2 template rather than plain text.
TEMPLATE = re.compile(r"\{\{|\{%|\{#")


def json_object(text: str) -> dict[str, Any] | None:
    """`text` parsed, if it is a JSON object."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def render(value: Any, context: Context, script: str) -> Any:
    if isinstance(value, str):
        if "{" not in value and "\r" not in value:
            return value  # plain text renders as itself (Jinja2 would only normalise \r\n and \r)
        try:
            template, names = _template(value)
            return template.render(context.of(names))
        except TemplateError as exc:
            raise NoMatch(script, [f"a template that renders ({value!r})"], f"template error: {exc}",
                          problem="a template did not render") from None  # fmt: skip
    if isinstance(value, list):
        return [render(v, context, script) for v in value]
    if isinstance(value, dict):
        return {k: render(v, context, script) for k, v in value.items()}
    return value


def _outputs(model_input: ModelInput) -> list[dict[str, Any]]:
    outputs = []
    for o in model_input.tool_outputs:
        try:
            arguments = json.loads(o.arguments)
        except ValueError:
            arguments = o.arguments
        outputs.append(
            {"tool_call_id": o.tool_call_id, "name": o.name, "arguments": arguments, "output": o.output,
             "json": o.parsed()}
        )  # fmt: skip
    return outputs


def _code_runs(model_input: ModelInput) -> list[dict[str, Any]]:
    return [{"code": r.code, "logs": r.logs, "images": list(r.images), "files": [name for name, _ in r.files],
             "failed": r.failed} for r in model_input.code_runs]  # fmt: skip


def _searches(model_input: ModelInput) -> list[dict[str, Any]]:
    return [{"query": s.query, "results": [{"file_id": r.file_id, "filename": r.filename, "score": r.score,
                                            "text": r.text, "cite": r.cite} for r in s.results]}
            for s in model_input.searches]  # fmt: skip


def _tool_uses(model_input: ModelInput) -> list[dict[str, Any]]:
    return [{"type": u.type, "name": u.name, "arguments": u.arguments, "output": u.output,
             "results": [{"url": r.url, "title": r.title, "text": r.text, "cite": r.cite} for r in u.results],
             "server_label": u.server_label, "denied": u.denied}
            for u in model_input.tool_uses]  # fmt: skip


class Context:
    """The names a template can read (`user`, `match`, `outputs`, ...), each worked out when a
    template of the action first reads it: most templates read one or two, and working out all
    of them was most of a scripted turn's cost."""

    def __init__(self, model_input: ModelInput, groups: dict[str, Any]) -> None:
        self.input, self.groups = model_input, groups
        self.values: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self.values:
            self.values[name] = _NAMES[name](self)
        return self.values[name]

    def of(self, names: frozenset[str]) -> dict[str, Any]:
        """The context holding (at least) `names`, those the template reads that are known."""
        for name in names:
            if name in _NAMES:
                self.get(name)
        return self.values


def _last(items: list[Any]) -> Any:
    return items[-1] if items else None


_NAMES: dict[str, Callable[[Context], Any]] = {
    "user": lambda c: c.input.last_user_message,
    "match": lambda c: c.groups,
    "turn": lambda c: c.input.turn,
    "api": lambda c: c.input.api,
    "instructions": lambda c: c.input.instructions,
    "messages": lambda c: [{"role": m.role, "text": m.text} for m in c.input.messages],
    "outputs": lambda c: _outputs(c.input),
    "calls": lambda c: c.get("outputs"),  # the same list under both names
    "tools": lambda c: list(c.input.functions()),
    "code_blocks": lambda c: code_blocks(c.input.last_user_message),
    "code_runs": lambda c: _code_runs(c.input),
    "last_code": lambda c: _last(c.get("code_runs")),
    "files": lambda c: [{"file_id": f.file_id, "filename": f.filename, "path": f.path} for f in c.input.code_files],
    "searches": lambda c: _searches(c.input),
    "results": lambda c: c.get("searches")[-1]["results"] if c.get("searches") else [],
    "tool_uses": lambda c: _tool_uses(c.input),
    "last_tool": lambda c: _last(c.get("tool_uses")),
}


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a message (```python ... ```), in order."""
    return [block for block in CODE_BLOCK.findall(text) if block.strip()]
