"""How an emulator is set up. One object, passed to `Emulator` and `create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ids import DEFAULT_SEED
from .sandbox.host import SandboxLimits


@dataclass
class EmulatorConfig:
    #: Seed of the id generator: same seed, same calls, same ids.
    seed: int = DEFAULT_SEED
    #: API keys accepted. Empty: any key (or none) is accepted and all share one namespace.
    #: Non-empty: other keys get 401, and each key sees only its own objects.
    api_keys: list[str] = field(default_factory=list)
    #: "virtual" (frozen until advanced; the default in tests), "system" (wall clock), or any
    #: object with `now() -> int` (Unix seconds): your own clock, injected.
    clock: Any = "virtual"
    #: Start of a virtual clock, Unix seconds.
    clock_start: int | None = None
    #: Require `OpenAI-Beta: assistants=v2` on assistants and threads paths, as the real service does.
    require_beta_header: bool = True
    #: Only accept model names the catalogue knows (the real service's 404); off by default so
    #: that any model or Azure deployment name works.
    strict_models: bool = False
    #: How fast runs move: "immediate", "reads:N" or "seconds:S" (see emulator/agent/progression.py).
    progression: Any = "immediate"
    #: Scripted models to register: Script objects, dicts, or paths to YAML/JSON files of scripts.
    models: list[Any] = field(default_factory=list)
    #: Seconds (on the emulator's clock) a vector store file stays `in_progress` before its
    #: ingestion finishes. 0: at once. With a virtual clock, advance it to finish ingestion.
    ingestion_seconds: float = 0
    #: Limits of code_interpreter executions and sessions: SandboxLimits or a dict of its
    #: fields, e.g. {"cpu_seconds": 5, "session_idle_seconds": 600}.
    sandbox: Any = field(default_factory=SandboxLimits)
    #: Largest file upload accepted, in bytes (the real service's limit: 512 MB); larger: 413.
    max_upload_bytes: int = 512 * 1024 * 1024
    #: Largest JSON request body accepted, in bytes; larger: 413.
    max_body_bytes: int = 32 * 1024 * 1024
    #: A directory where every object and file is kept (SQLite and files), so that a restart
    #: shows the same state. None: in memory only.
    data_dir: str | None = None
