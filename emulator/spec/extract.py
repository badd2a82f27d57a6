"""The mechanical extract of the official spec kept in `openapi-assistants.json` (see `__init__.py`), redone.

`python3 -m emulator.spec.extract UPSTREAM_OPENAPI_YAML [OUT]` writes the extract of the upstream
document (github.com/openai/openai-openapi `openapi.yaml` at `COMMIT`) to OUT (default: the
package's `openapi-assistants.json`). `tests/test_spec_extract.py` checks that the committed file is what
this writes, when an upstream copy is at hand (`OPENAI_OPENAPI_YAML`, or the `fetch` mirror).

The extract: the paths under `PREFIXES` (OpenAI's `?beta=true` duplicates left out: the same
operations again, under a query string), every `components` entry they reference transitively,
and the stream event unions no path reaches by `$ref` (`ROOTS`); the upstream's tags that the
kept operations use; `info.title` and `info.description` naming the subset. One mechanical
change (`_compound_filter`). Keys keep the upstream order, paths and components are sorted.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

COMMIT = "f85dbe223d40e1a31cba812ab2d755c7e98a92a3"
PREFIXES = (
    "/assistants",
    "/threads",
    "/files",
    "/vector_stores",
    "/models",
    "/responses",
    "/conversations",
    "/containers",
)
#: Schemas kept though no kept path references them: the events of the two streams.
ROOTS = ("AssistantStreamEvent", "ResponseStreamEvent")
TITLE = "OpenAI API (Assistants v2, Responses, Conversations and Containers subset)"
OUT = Path(__file__).with_name("openapi-assistants.json")


def _kept_path(path: str) -> bool:
    return "?" not in path and any(path == p or path.startswith(p + "/") for p in PREFIXES)


def _refs(node: Any) -> list[tuple[str, str]]:
    """(section, name) of every `#/components/...` reference inside `node`."""
    found: list[tuple[str, str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                section, name = ref[len("#/components/") :].split("/", 1)
                found.append((section, name))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _compound_filter(schemas: dict[str, Any]) -> None:
    """JSON Schema 2019's `$recursiveAnchor`/`$recursiveRef: '#'` (which openapi-spec-validator
    refuses) as the equivalent self `$ref`."""
    compound = schemas.get("CompoundFilter")
    if compound is None:
        return
    compound.pop("$recursiveAnchor", None)
    items = compound["properties"]["filters"]["items"]
    for i, branch in enumerate(items.get("oneOf", [])):
        if branch == {"$recursiveRef": "#"}:
            items["oneOf"][i] = {"$ref": "#/components/schemas/CompoundFilter"}


def extract(upstream: dict[str, Any]) -> dict[str, Any]:
    """The subset of the parsed upstream document."""
    paths = {p: copy.deepcopy(upstream["paths"][p]) for p in sorted(upstream["paths"]) if _kept_path(p)}
    components = upstream["components"]
    wanted: set[tuple[str, str]] = set()
    todo = _refs(paths) + [("schemas", name) for name in ROOTS]
    while todo:
        key = todo.pop()
        if key not in wanted:
            wanted.add(key)
            todo.extend(_refs(components[key[0]][key[1]]))
    kept_components = {}
    for section in sorted(components):
        entries = {n: copy.deepcopy(v) for n, v in components[section].items() if (section, n) in wanted}
        if section == "securitySchemes":
            entries = copy.deepcopy(components[section])
        if entries:
            kept_components[section] = entries
    _compound_filter(kept_components["schemas"])
    used_tags = {
        t for item in paths.values() for op in item.values() if isinstance(op, dict) for t in op.get("tags", [])
    }
    info = dict(upstream["info"])
    info["title"] = TITLE
    listed = ", ".join(PREFIXES)
    info["description"] = (
        f"{upstream['info']['description']}\n\nSubset extracted mechanically from github.com/openai/openai-openapi "
        f"openapi.yaml at commit {COMMIT}: paths {listed} (and sub-paths, without the `?beta=true` duplicates) "
        f"plus all transitively referenced components, and the stream event unions {', '.join(ROOTS)}."
    )
    doc: dict[str, Any] = {}
    for key, value in upstream.items():
        if key == "info":
            doc[key] = info
        elif key == "tags":
            doc[key] = [t for t in value if t["name"] in used_tags]
        elif key == "paths":
            doc[key] = paths
        elif key == "components":
            doc[key] = kept_components
        elif key in ("openapi", "servers", "security"):
            doc[key] = copy.deepcopy(value)
    return doc


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def load_upstream(path: str | Path) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_text(render(extract(load_upstream(argv[0]))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
