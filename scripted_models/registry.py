"""Which scripted model plays a run: chosen by the run's model name.

Registered models (scripts, or any object with `name` and `respond`) answer to their own
name; `echo` is built in; any other name gets the default catalogue's cooperative model,
so an app's own model or Azure deployment names work with no configuration.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .base import ScriptedModel
from .catalogue import catalogue
from .default import DefaultModel, EchoModel
from .script import Script, ScriptError, load_scripts, scripts_from


class ModelRegistry:
    def __init__(self, models: list[Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._models: dict[str, ScriptedModel] = {}
        self.reset(models)

    def reset(self, models: list[Any] | None = None) -> None:
        with self._lock:
            self._models = {"echo": EchoModel()}
        for model in models or []:
            self.register(model)

    def register(self, model: Any, name: str | None = None) -> ScriptedModel:
        """Add a model: a `Script`, a script as a dict, a path to a YAML/JSON file of scripts,
        or any object with `name` and `respond(model_input)`. Returns the (last) model added."""
        if isinstance(model, (str, Path)):
            scripts = load_scripts(model)
            for script in scripts:
                self.register(script)
            return scripts[-1]
        if isinstance(model, dict):
            model = Script.from_dict(model)
        if not callable(getattr(model, "respond", None)):
            raise ScriptError(f"{model!r} is not a scripted model (it needs respond(model_input))")
        key = name or getattr(model, "name", None)
        if not key:
            raise ScriptError("a scripted model needs a name")
        with self._lock:
            self._models[key] = model
        return model

    def register_many(self, data: Any) -> list[Script]:
        scripts = scripts_from(data)
        for script in scripts:
            self.register(script)
        return scripts

    def resolve(self, name: str) -> ScriptedModel:
        with self._lock:
            model = self._models.get(name)
        return model if model is not None else DefaultModel(name)

    def names(self) -> list[str]:
        """The catalogue's names, then registered ones."""
        with self._lock:
            registered = list(self._models)
        names = [entry.id for entry in catalogue()]
        return names + [n for n in registered if n not in names]
