"""In-memory state: ordered tables of objects, one namespace per API key.

A `Table` keeps objects in creation order with O(1) lookup by id and cursor
positions, so a page of a list costs O(limit) however many objects are stored.

With a data directory (emulator/persistence.py) every container of a namespace tells a
`Journal` what changed, so that only the changes are written; in memory there is no journal
and a Table pays one `is None` check per write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class Journal(Protocol):
    """Hears every change to a journaled namespace (see emulator/persistence.py)."""

    def put(self, where: tuple[str, str], id: str, obj: Any, old: Any) -> None:
        """`obj` was added (`old` is None) or replaced `old` in the table at `where` (kind, parent)."""

    def drop(self, where: tuple[str, str], id: str) -> None:
        """An object left the table at `where`."""

    def drop_parent(self, kind: str, parent: str) -> None:
        """A whole table of a dict of tables (`kind`) left, with every object in it."""

    def touch(self, container: dict[Any, Any], name: str, key: Any) -> None:
        """The entry `key` of the container `name` changed (or may have: it was handed out)."""


class Table(Generic[T]):
    """Objects of one kind in creation order."""

    __slots__ = ("_items", "_order", "_pos", "_holes", "_journal", "_where")

    def __init__(self) -> None:
        self._items: dict[str, T] = {}
        self._order: list[str | None] = []
        self._pos: dict[str, int] = {}
        self._holes = 0
        self._journal: Journal | None = None
        self._where = ("", "")

    def bind(self, journal: Journal | None, kind: str = "", parent: str = "") -> None:
        """Tell `journal` of every change from now on (None: stop telling)."""
        self._journal = journal
        self._where = (kind, parent)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, id: object) -> bool:
        return id in self._items

    def get(self, id: str) -> T | None:
        return self._items.get(id)

    def add(self, id: str, obj: T) -> T:
        if id in self._items:
            raise KeyError(f"duplicate id {id}")
        self._items[id] = obj
        self._pos[id] = len(self._order)
        self._order.append(id)
        if self._journal is not None:
            self._journal.put(self._where, id, obj, None)
        return obj

    def replace(self, id: str, obj: T) -> T:
        """Put a new version of an object in its place (same position in the order)."""
        if id not in self._items:
            raise KeyError(id)
        if self._journal is not None:
            self._journal.put(self._where, id, obj, self._items[id])
        self._items[id] = obj
        return obj

    def remove(self, id: str) -> T | None:
        obj = self._items.pop(id, None)
        if obj is None:
            return None
        self._order[self._pos.pop(id)] = None
        self._holes += 1
        if self._journal is not None:
            self._journal.drop(self._where, id)
        if self._holes > 64 and self._holes * 2 > len(self._order):
            self._compact()
        return obj

    def _compact(self) -> None:
        self._order = [i for i in self._order if i is not None]
        self._pos = {i: n for n, i in enumerate(self._order)}
        self._holes = 0

    def values(self) -> Iterator[T]:
        """Oldest first."""
        return iter(list(self._items.values()))

    def position(self, id: str) -> int | None:
        return self._pos.get(id)

    def walk(self, start: int, step: int, accept: Callable[[T], bool] | None = None) -> Iterator[T]:
        """Objects from position `start` going up (`step=1`) or down (`step=-1`)."""
        order, items = self._order, self._items
        i = start
        while 0 <= i < len(order):
            id = order[i]
            if id is not None:
                obj = items[id]
                if accept is None or accept(obj):
                    yield obj
            i += step

    @property
    def end(self) -> int:
        return len(self._order)


class JournaledTables(dict):  # type: ignore[type-arg]
    """A dict of Tables (e.g. thread id -> its messages) whose keys and Tables are journaled."""

    def __init__(self, journal: Journal, kind: str) -> None:
        super().__init__()
        self._journal = journal
        self._kind = kind

    def load(self, key: str, table: Table) -> None:
        """Put a Table read from disk, without journaling it."""
        dict.__setitem__(self, key, table)
        table.bind(self._journal, self._kind, key)

    def __setitem__(self, key: str, table: Table) -> None:
        if key in self:
            self.pop(key)
        self.load(key, table)
        self._journal.touch(self, self._kind, key)
        for id, obj in table._items.items():  # a Table that already holds objects
            self._journal.put((self._kind, key), id, obj, None)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key in self:
            return dict.__getitem__(self, key)
        self[key] = default
        return default

    def pop(self, key: str, *default: Any) -> Any:
        if key not in self:
            return dict.pop(self, key, *default)
        table = dict.pop(self, key)
        table.bind(None)
        self._journal.drop_parent(self._kind, key)
        self._journal.touch(self, self._kind, key)
        return table

    def __delitem__(self, key: str) -> None:
        self.pop(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, table in dict(*args, **kwargs).items():
            self[key] = table

    def clear(self) -> None:
        for key in list(self):
            self.pop(key)

    def popitem(self) -> Any:
        raise TypeError("popitem is not journaled")

    def __ior__(self, other: Any) -> Any:
        raise TypeError("|= is not journaled")


class JournaledDict(dict):  # type: ignore[type-arg]
    """A plain container (file id -> expiry, ...) whose changed keys are journaled."""

    def __init__(self, journal: Journal, name: str) -> None:
        super().__init__()
        self._journal = journal
        self._name = name

    def load(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self._journal.touch(self, self._name, key)

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self._journal.touch(self, self._name, key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            self._journal.touch(self, self._name, key)
        return dict.pop(self, key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def popitem(self) -> Any:
        raise TypeError("popitem is not journaled")

    def __ior__(self, other: Any) -> Any:
        raise TypeError("|= is not journaled")


class MutableJournaledDict(JournaledDict):
    """A container whose values are changed in place (a list appended to): every access that
    hands a value out marks its key, and its value as it is then is written at the next flush."""

    def __getitem__(self, key: Any) -> Any:
        value = dict.__getitem__(self, key)
        self._journal.touch(self, self._name, key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return default

    def values(self) -> Any:
        return [self[key] for key in list(self)]

    def items(self) -> Any:
        return [(key, self[key]) for key in list(self)]


#: In `Changes.objects`: the object left its table.
GONE = object()


class Changes:
    """What changed in journaled namespaces since the last write to disk: the objects added,
    replaced or removed (each with the order `seq` it was added in), the tables dropped, the
    keys of other containers touched, the namespaces made. Fed by one `_TenantJournal` per
    namespace; `forget()` stops them all (a reset: the namespaces they feed are gone)."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str, str], tuple[int | None, Any]] = {}
        self.dropped: list[tuple[str, str, str]] = []
        self.aux: dict[tuple[str, str, Any], dict[Any, Any]] = {}
        self.tenants: set[str] = set()
        #: The last order number given (an added object gets the next).
        self.seq = 0
        self._journals: list[_TenantJournal] = []

    def __bool__(self) -> bool:
        return bool(self.objects or self.dropped or self.aux or self.tenants)

    def journal(self, tenant: str, *, live: bool = True) -> Journal:
        journal = _TenantJournal(self, tenant)
        journal.live = live
        self._journals.append(journal)
        return journal

    def listen(self) -> None:
        """Every journal hears changes from now on (after a load)."""
        for journal in self._journals:
            journal.live = True

    def forget(self) -> None:
        """No journal hears anything more."""
        for journal in self._journals:
            journal.live = False
        self._journals.clear()

    def clear(self) -> None:
        """Everything was written."""
        self.objects.clear()
        self.dropped.clear()
        self.aux.clear()
        self.tenants.clear()


class _TenantJournal:
    """The `Journal` of one namespace (a tenant), feeding `Changes`."""

    __slots__ = ("changes", "tenant", "live")

    def __init__(self, changes: Changes, tenant: str) -> None:
        self.changes = changes
        self.tenant = tenant
        self.live = True

    def put(self, where: tuple[str, str], id: str, obj: Any, old: Any) -> None:
        if not self.live:
            return
        key = (self.tenant, where[0], where[1], id)
        pending = self.changes.objects
        if old is None:
            self.changes.seq += 1
            pending[key] = (self.changes.seq, obj)
        elif key in pending:
            pending[key] = (pending[key][0], obj)  # added in this batch: keeps its new order
        elif old != obj:
            pending[key] = (None, obj)

    def drop(self, where: tuple[str, str], id: str) -> None:
        if self.live:
            self.changes.objects[(self.tenant, where[0], where[1], id)] = (None, GONE)

    def drop_parent(self, kind: str, parent: str) -> None:
        if not self.live:
            return
        where = (self.tenant, kind, parent)
        self.changes.dropped.append(where)
        pending = self.changes.objects
        for key in [k for k in pending if k[:3] == where]:
            del pending[key]

    def touch(self, container: dict[Any, Any], name: str, key: Any) -> None:
        if self.live:
            self.changes.aux[(self.tenant, name, key)] = container


#: The containers of a Namespace by what they hold.
TABLES = ("assistants", "threads", "files", "vector_stores", "responses", "conversations", "containers", "agents")
DICTS_OF_TABLES = (
    "messages", "runs", "steps", "vector_store_files", "file_batches", "response_inputs", "conversation_items",
    "response_events",
    "container_files", "agent_versions",
)  # fmt: skip
PLAIN_DICTS = (
    "file_contents", "file_expiry", "ingestion_due", "chunks", "assets", "agent_version_counts", "agent_turns",
)  # fmt: skip
MUTABLE_DICTS = ("batch_files", "code_runs", "code_outputs")


@dataclass
class Namespace:
    """Everything one API key can see."""

    assistants: Table = field(default_factory=Table)
    threads: Table = field(default_factory=Table)
    messages: dict[str, Table] = field(default_factory=dict)  # thread id -> messages
    runs: dict[str, Table] = field(default_factory=dict)  # thread id -> runs
    steps: dict[str, Table] = field(default_factory=dict)  # run id -> steps
    run_states: dict[str, Any] = field(default_factory=dict)  # run id -> the engine's RunState
    files: Table = field(default_factory=Table)
    file_contents: dict[str, bytes] = field(default_factory=dict)  # file (or container file) id -> its bytes
    file_expiry: dict[str, int] = field(default_factory=dict)  # file id -> expires_at
    vector_stores: Table = field(default_factory=Table)
    vector_store_files: dict[str, Table] = field(default_factory=dict)  # vector store id -> files
    file_batches: dict[str, Table] = field(default_factory=dict)  # vector store id -> batches
    batch_files: dict[str, list[str]] = field(default_factory=dict)  # batch id -> file ids
    ingestion_due: dict[tuple[str, str], float] = field(default_factory=dict)  # (store, file) -> when it is ingested
    chunks: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # (store, file) -> its text's chunks
    #: thread id -> its code_interpreter executions; a Responses code_interpreter_call's id -> its one execution
    code_runs: dict[str, list[Any]] = field(default_factory=dict)
    code_outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # thread id -> /mnt/data name -> file id
    assets: dict[str, Any] = field(default_factory=dict)  # asset uri -> its registered content (domain/assets.py)
    responses: Table = field(default_factory=Table)  # stored responses (`store: true`)
    response_inputs: dict[str, Table] = field(default_factory=dict)  # response id -> its input items
    response_states: dict[str, Any] = field(default_factory=dict)  # response id -> the engine's ResponseState
    #: background response id -> its stream's events by sequence number (read again with `?stream=true`)
    response_events: dict[str, Table] = field(default_factory=dict)
    conversations: Table = field(default_factory=Table)
    conversation_items: dict[str, Table] = field(default_factory=dict)  # conversation id -> its items
    containers: Table = field(default_factory=Table)
    container_files: dict[str, Table] = field(default_factory=dict)  # container id -> its files
    #: the new Foundry agents (domain/agents.py): name -> AgentRecord; name -> its versions (by `NAME:V` id)
    agents: Table = field(default_factory=Table)
    agent_versions: dict[str, Table] = field(default_factory=dict)
    agent_version_counts: dict[str, int] = field(default_factory=dict)  # name -> versions ever issued under it
    agent_turns: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> its endpoint's round robin state
    #: False once the emulator was reset: work that was under way (a code cell) must not write here.
    alive: bool = True

    @classmethod
    def journaled(cls, journal: Journal) -> Namespace:
        """An empty namespace whose every container (but the engines' states) tells `journal` of its changes."""
        ns = cls()
        for name in TABLES:
            getattr(ns, name).bind(journal, name)
        for name in DICTS_OF_TABLES:
            setattr(ns, name, JournaledTables(journal, name))
        for name in PLAIN_DICTS:
            setattr(ns, name, JournaledDict(journal, name))
        for name in MUTABLE_DICTS:
            setattr(ns, name, MutableJournaledDict(journal, name))
        return ns

    def counts(self) -> dict[str, int]:
        return {
            "assistants": len(self.assistants),
            "threads": len(self.threads),
            "messages": sum(len(t) for t in self.messages.values()),
            "runs": sum(len(t) for t in self.runs.values()),
            "files": len(self.files),
            "vector_stores": len(self.vector_stores),
            "responses": len(self.responses),
            "conversations": len(self.conversations),
            "conversation_items": sum(len(t) for t in self.conversation_items.values()),
            "containers": len(self.containers),
            "agents": len(self.agents),
            "agent_versions": sum(len(t) for t in self.agent_versions.values()),
        }
