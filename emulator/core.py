"""The emulator: one object that owns all state, shared by every front end.

Like moto's backends, an `Emulator` knows nothing of HTTP: the Flask app, the
in-process transports of the pytest plugin and the dev server are all views on it.
`backend(key)` gives the services of one API key's namespace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripted_models.registry import ModelRegistry

from .agent.progression import Progression
from .clock import DEFAULT_EPOCH, SystemClock, VirtualClock
from .config import EmulatorConfig
from .domain import Backend
from .faults import Faults
from .ids import IdGenerator
from .lock import EmulatorLock
from .sandbox.host import SandboxLimits
from .sandbox.sessions import Sessions
from .store import Namespace

if TYPE_CHECKING:
    from .persistence import DataDir

#: Namespace used when no API keys are configured.
SHARED = "__shared__"


class Emulator:
    def __init__(self, config: EmulatorConfig | None = None, **overrides: Any) -> None:
        config = config or EmulatorConfig()
        for name, value in overrides.items():
            if not hasattr(config, name):
                raise TypeError(f"unknown emulator option {name!r}")
            setattr(config, name, value)
        self.config = config
        #: One lock around every state change: the dev server is threaded.
        self.lock = EmulatorLock()
        self.ids = IdGenerator(config.seed)
        self.clock = self._make_clock()
        self.faults = Faults()
        #: MCP servers the emulator answers for itself (register_mcp_server), by url.
        self.mcp_stand_ins: dict[str, Any] = {}
        self.models = ModelRegistry(config.models)
        Progression.parse(config.progression)  # refuse a bad policy now, not at the first run
        self.sandbox_limits = _limits(config.sandbox)
        #: code_interpreter sessions, one per thread (processes started on first use).
        self.sessions = Sessions(self)
        self._namespaces: dict[str, Namespace] = {}
        self._backends: dict[str, Any] = {}
        #: The data directory (config.data_dir) every change is written to; None: in memory only.
        self.persistence: DataDir | None = None
        if config.data_dir is not None:
            self._open_data_dir(load=True)

    def _make_clock(self) -> Any:
        if not isinstance(self.config.clock, str):
            if not callable(getattr(self.config.clock, "now", None)):
                raise TypeError("a clock needs a now() method returning Unix seconds")
            return self.config.clock
        if self.config.clock == "system":
            return SystemClock()
        if self.config.clock == "virtual":
            return VirtualClock(self.config.clock_start if self.config.clock_start is not None else DEFAULT_EPOCH)
        raise ValueError(f"unknown clock {self.config.clock!r}: use 'virtual' or 'system'")

    # --- namespaces -----------------------------------------------------------------

    def tenant_for(self, api_key: str | None) -> str | None:
        """The namespace an API key sees, or None if the key is not accepted."""
        if not self.config.api_keys:
            return SHARED
        return api_key if api_key in self.config.api_keys else None

    def namespace(self, tenant: str = SHARED) -> Namespace:
        ns = self._namespaces.get(tenant)
        if ns is None:
            with self.lock:
                ns = self._namespaces.get(tenant)
                if ns is None:
                    ns = self.persistence.namespace(tenant) if self.persistence is not None else Namespace()
                    self._namespaces[tenant] = ns
        return ns

    def existing_namespace(self, tenant: str) -> Namespace | None:
        """The namespace of `tenant` if it holds anything yet; unlike `namespace`, makes none."""
        return self._namespaces.get(tenant)

    def backend(self, tenant: str | None = None) -> Any:
        """The services (assistants, threads, messages, files, ...) of one namespace."""
        if tenant is None:
            tenant = SHARED if not self.config.api_keys else self.config.api_keys[0]
        backend = self._backends.get(tenant)
        if backend is None:
            with self.lock:
                backend = self._backends.get(tenant) or Backend(self, self.namespace(tenant))
                self._backends[tenant] = backend
        return backend

    # --- test controls --------------------------------------------------------------

    def reset(self, *, seed: int | None = None, **overrides: Any) -> None:
        """Forget every object, reseed ids, rewind a virtual clock; optionally change options."""
        with self.lock:
            for name, value in overrides.items():
                if not hasattr(self.config, name):
                    raise TypeError(f"unknown emulator option {name!r}")
                setattr(self.config, name, value)
            if seed is not None:
                self.config.seed = seed
            Progression.parse(self.config.progression)
            self.sandbox_limits = _limits(self.config.sandbox)
            self.sessions.close_all()
            for ns in self._namespaces.values():
                ns.alive = False
            self._namespaces.clear()
            self._backends.clear()
            self.faults.clear()
            self.mcp_stand_ins.clear()
            self.models.reset(self.config.models)
            self.ids.reseed(self.config.seed, forget=True)
            if "clock" in overrides or "clock_start" in overrides:
                self.clock = self._make_clock()
            elif isinstance(self.clock, VirtualClock):
                self.clock.reset(self.config.clock_start)
            self._reset_data_dir()

    # --- the data directory ---------------------------------------------------------

    def _open_data_dir(self, *, load: bool) -> None:
        """Use config.data_dir: read what it holds (`load`) or empty it."""
        from .persistence import DataDir  # imported only when used: sqlite3 costs nothing in memory

        data = DataDir(self.config.data_dir, self)
        try:
            if load:
                self._namespaces = data.load()
            else:
                data.reset()
        except BaseException:
            data.close()
            raise
        self.persistence = data
        data.attach()

    def _close_data_dir(self) -> None:
        if self.persistence is not None:
            try:
                self.persistence.flush()  # anything a failed write left pending
            except Exception:  # noqa: BLE001 - logged by flush; closing goes on
                pass
            self.persistence.detach()
            self.persistence.close()
            self.persistence = None

    def _reset_data_dir(self) -> None:
        """A reset empties the data directory (and follows a change of `data_dir`)."""
        wanted = self.config.data_dir
        if self.persistence is not None and (wanted is None or Path(wanted).resolve() != self.persistence.path):
            self._close_data_dir()
        if wanted is None:
            return
        if self.persistence is None:
            self._open_data_dir(load=False)
        else:
            self.persistence.reset()

    def close(self) -> None:
        """Stop this emulator's code_interpreter sessions (their processes and files) and let its
        data directory go (what was written stays; a reset opens it again, empty)."""
        self.sessions.close_all()
        with self.lock:
            self._close_data_dir()

    def advance(self, seconds: float) -> int:
        """Move a virtual clock forward; returns the new time."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise TypeError("this clock cannot be advanced")
        with self.lock:
            return advance(seconds)

    def register_asset(
        self, uri: str, content: bytes | str, *, filename: str | None = None, tenant: str | None = None
    ) -> Any:
        """Say what the data asset `uri` holds (Foundry's `data_sources`, `domain/assets.py`): a
        `code_interpreter` data source naming it becomes a file of this content. Kept until a reset."""
        return self.backend(tenant).assets.register(uri, content, filename=filename)

    def register_mcp_server(self, url: str, tools: list[dict[str, Any]], answers: list[dict[str, Any]]) -> None:
        """Answer for the MCP server at `url` (one off loopback, say a recording's): it lists `tools`
        (`tools/list`'s shape) and each call gets the output of the first of `answers` (`{"name",
        "output"}`, with `"arguments"` to match them too) that fits. Kept until a reset (each test starts without)."""
        from .agent.mcp import StandIn

        self.mcp_stand_ins[url] = StandIn(tools, answers)

    def set_progression(self, object_id: str, policy: Any, *, tenant: str | None = None) -> None:
        """Change how one run or background response moves from now on ("immediate", "reads:N", "seconds:S")."""
        progression = Progression.parse(policy)
        with self.lock:
            ns = self.backend(tenant).ns
            state = ns.run_states.get(object_id) or ns.response_states.get(object_id)
            if state is None:
                raise KeyError(f"no active run or response {object_id!r}")
            state.policy = progression

    def state(self) -> dict[str, Any]:
        """A JSON-able dump of every namespace, for the admin API and debugging."""
        from .domain.dump import dump_namespace

        with self.lock:
            return {
                "time": self.clock.now(),
                "clock": self.clock.kind,
                "seed": self.config.seed,
                "namespaces": {name: dump_namespace(ns) for name, ns in self._namespaces.items()},
            }


def _limits(value: Any) -> SandboxLimits:
    """`sandbox=` as SandboxLimits, or a dict of its fields."""
    if isinstance(value, SandboxLimits):
        return value
    if isinstance(value, dict):
        unknown = set(value) - set(SandboxLimits.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown sandbox limits {sorted(unknown)}; the limits are "
                            f"{', '.join(SandboxLimits.__dataclass_fields__)}")  # fmt: skip
        return SandboxLimits(**value)
    raise TypeError("sandbox= takes SandboxLimits or a dict of its fields")
