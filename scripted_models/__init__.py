"""Scripted models: deterministic stand-ins for the LLM behind a run.

`base` holds what a model sees (`ModelInput`) and the actions it answers with (reply, call
functions, run code, search files, fail, stop); `script` the declarative YAML/JSON scripts;
`default` the default catalogue's cooperative model (with `analyst` for code_interpreter and
`searcher` for file_search); `registry` which model plays which model name; `catalogue` the
names `GET /models` lists.
"""

from .catalogue import CatalogueEntry, catalogue

__all__ = ["CatalogueEntry", "catalogue"]
