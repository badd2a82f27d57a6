"""The Assistants part of the official OpenAPI specification, kept in the project.

`openapi-assistants.json` is a mechanical extract of github.com/openai/openai-openapi
`openapi.yaml` at commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3: the paths /assistants,
/threads, /files, /vector_stores, /models and their sub-paths, plus every `components` entry
they reference transitively, and `AssistantStreamEvent` (no path references it; the streams
need it). No hand edits, but one mechanical change: in `CompoundFilter`, the JSON Schema 2019
keywords `$recursiveAnchor`/`$recursiveRef('#')` are replaced by the equivalent self `$ref`
(the upstream file fails openapi-spec-validator because of them). 28 paths; components:
responses 1, schemas 120, securitySchemes 2.

It is kept as JSON rather than the upstream YAML because every process that starts an
emulator reads it: JSON parses in 2 ms, the same document as YAML in 70 ms (with libyaml).
Request bodies are validated against its schemas (see `validation.py`).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SPEC_FILE = "openapi-assistants.json"


@functools.cache
def load_spec() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath(SPEC_FILE).read_bytes())
