"""Scripted models: deterministic stand-ins for the LLM behind a run.

The run engine (a later issue) picks a script by the run's model name. This package
already answers which model names exist, for `GET /models`.
"""

from .catalogue import CatalogueEntry, catalogue

__all__ = ["CatalogueEntry", "catalogue"]
