"""The Assistants part of the official OpenAPI specification, kept in the project.

`openapi-assistants.yaml` is a mechanical extract of github.com/openai/openai-openapi
`openapi.yaml` at commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3 (its header says how
it was made). Request bodies are validated against its schemas (see `validation.py`).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

SPEC_FILE = "openapi-assistants.yaml"


@functools.cache
def load_spec() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
