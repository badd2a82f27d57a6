"""assistants-emulator: an offline emulator of the OpenAI / Azure OpenAI Assistants API (v2)."""

from .app import create_app
from .config import EmulatorConfig
from .core import Emulator

__all__ = ["Emulator", "EmulatorConfig", "create_app"]
__version__ = "0.1.0"
