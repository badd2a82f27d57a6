"""In-memory state: ordered tables of objects, one namespace per API key.

A `Table` keeps objects in creation order with O(1) lookup by id and cursor
positions, so a page of a list costs O(limit) however many objects are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Table(Generic[T]):
    """Objects of one kind in creation order."""

    __slots__ = ("_items", "_order", "_pos", "_holes")

    def __init__(self) -> None:
        self._items: dict[str, T] = {}
        self._order: list[str | None] = []
        self._pos: dict[str, int] = {}
        self._holes = 0

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
        return obj

    def replace(self, id: str, obj: T) -> T:
        """Put a new version of an object in its place (same position in the order)."""
        if id not in self._items:
            raise KeyError(id)
        self._items[id] = obj
        return obj

    def remove(self, id: str) -> T | None:
        obj = self._items.pop(id, None)
        if obj is None:
            return None
        self._order[self._pos.pop(id)] = None
        self._holes += 1
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
    file_contents: dict[str, bytes] = field(default_factory=dict)
    file_expiry: dict[str, int] = field(default_factory=dict)  # file id -> expires_at
    vector_stores: Table = field(default_factory=Table)
    vector_store_files: dict[str, Table] = field(default_factory=dict)  # vector store id -> files
    file_batches: dict[str, Table] = field(default_factory=dict)  # vector store id -> batches
    batch_files: dict[str, list[str]] = field(default_factory=dict)  # batch id -> file ids
    ingestion_due: dict[tuple[str, str], float] = field(default_factory=dict)  # (store, file) -> when it is ingested
    chunks: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # (store, file) -> its text's chunks
    code_runs: dict[str, list[Any]] = field(default_factory=dict)  # thread id -> its code_interpreter executions
    code_outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # thread id -> /mnt/data name -> file id
    #: False once the emulator was reset: work that was under way (a code cell) must not write here.
    alive: bool = True

    def counts(self) -> dict[str, int]:
        return {
            "assistants": len(self.assistants),
            "threads": len(self.threads),
            "messages": sum(len(t) for t in self.messages.values()),
            "runs": sum(len(t) for t in self.runs.values()),
            "files": len(self.files),
            "vector_stores": len(self.vector_stores),
        }
