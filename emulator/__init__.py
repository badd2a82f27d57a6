"""assistants-emulator: an offline emulator of the OpenAI / Azure OpenAI Assistants API (v2).

The names below are imported on first use, so that importing a light submodule (the pytest
plugin, which pytest loads in every run once the package is installed) costs next to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .config import EmulatorConfig
    from .core import Emulator

__all__ = ["Emulator", "EmulatorConfig", "create_app"]
__version__ = "0.1.0"

_WHERE = {"create_app": "app", "EmulatorConfig": "config", "Emulator": "core"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
