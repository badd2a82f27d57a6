"""The Assistants, Responses, Conversations and Containers part of the official OpenAPI specification.

`openapi-assistants.json` (the name kept from when it held Assistants only) is a mechanical extract of
github.com/openai/openai-openapi `openapi.yaml` at commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3,
written by `extract.py` (`python3 -m emulator.spec.extract UPSTREAM_OPENAPI_YAML`; tests/test_responses_spec.py
checks the committed file against it when an upstream copy is at hand): the paths /assistants, /threads,
/files, /vector_stores, /models, /responses, /conversations, /containers and their sub-paths (without the
spec's `?beta=true` duplicates of the /responses paths), plus every `components` entry they reference
transitively, and the stream event unions `AssistantStreamEvent` and `ResponseStreamEvent` (no path
references them by `$ref`). No hand edits, but one mechanical change: in `CompoundFilter`, the JSON Schema
2019 keywords `$recursiveAnchor`/`$recursiveRef('#')` are replaced by the equivalent self `$ref` (the
upstream file fails openapi-spec-validator because of them). 43 paths, 71 operations; components:
responses 1, schemas 455, securitySchemes 2.

It is kept as JSON rather than the upstream YAML because every process that starts an
emulator reads it: JSON parses in about 6 ms (2 ms before the Responses part joined), the same
document as YAML in 0.8 s (with libyaml). Request bodies are validated against its schemas
(see `validation.py`), answers checked against them in the test suite (`responses.py`, with the
real service's deviations in `KNOWN_DIFFERENCES` and `responses_api.py`).
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
