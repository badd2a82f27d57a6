"""The data directory (`--data-dir DIR`): every object and file kept on disk, so that a
restart shows the same state.

    DIR/emulator.sqlite3         objects(tenant, kind, parent, id, seq, json): API objects, `seq`
                                 their order in their table; aux(tenant, name, key, value): the
                                 namespace's other containers; ids(id): every id issued;
                                 meta(key, value): format version, id sequence, virtual time
    DIR/files/<tenant hash>/<id> the contents of each file
    DIR/lock                     held while an emulator uses the directory

The containers of a namespace tell a `DataDir` what changed (`store.Journal`), so a write costs
what changed, never what is stored. When the emulator's lock is let go (`EmulatorLock.
before_release`) the changes are written in one SQLite transaction (WAL, `synchronous=NORMAL`:
a committed transaction survives a crash of the process), so a request's changes are on disk
before its answer leaves. A file's contents are written (temp file, then `os.replace`) before
the transaction that makes the file visible, and deleted after the one that forgets it.

At start-up runs that were active are ended, never resumed: `cancelling` ones `cancelled`,
the others `failed` with `last_error` `INTERRUPTED`; their steps in progress end with them.
Background responses under way (`queued`, `in_progress`) end `failed` with `error`
`RESPONSE_INTERRUPTED` (their kept stream ends with that `response.failed`). Responses, their
input items, conversations and their items are kept as the other objects are, and so are a
background response's stream events (`response_events`, one row each), so that its stream
can be read again (`?stream=true&starting_after=N`) after a restart; the rest of a response's
engine state is not.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from scripted_models.base import CodeRun

from . import errors
from .clock import VirtualClock
from .domain.assets import Asset
from .models import Assistant, File, Message, Thread, VectorStore, VectorStoreFile, VectorStoreFileBatch
from .models.agent import AgentRecord, AgentVersion
from .models.container import Container, ContainerFile
from .models.conversation import Conversation
from .models.items import Item, OutputText, Refusal, SummaryText
from .models.response import Response, ResponseError
from .models.run import LastError, Run
from .models.run_step import RunStep
from .responses import state_machine as response_states
from .retrieval import Chunk
from .runs.state_machine import ACTIVE, EFFECTS
from .store import DICTS_OF_TABLES, GONE, TABLES, Changes, Namespace, Table

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no guard against a second emulator
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .core import Emulator

log = logging.getLogger("assistants_emulator")

#: Bumped whenever what is written changes; a directory of another version is refused.
FORMAT_VERSION = 2
DB_NAME = "emulator.sqlite3"
#: `last_error.message` of a run that was active when the emulator stopped.
INTERRUPTED = "The run was interrupted: the emulator restarted while it was in progress."


#: The class of the objects of each table.
class _Items:
    """Items (a union of models) read back as their own model."""

    model_validate_json = staticmethod(TypeAdapter(Item).validate_json)


class _Event:
    """A background response's stream event read back: the objects in it as their models (so that it is
    written for the shape of the request that reads it, as when it was made); anything else as it was."""

    ADAPTERS: dict[str, TypeAdapter[Any]] = {
        "response": TypeAdapter(Response),
        "item": TypeAdapter(Item),
        "part": TypeAdapter(Annotated[OutputText | Refusal | SummaryText, Field(discriminator="type")]),
    }

    @classmethod
    def model_validate_json(cls, raw: str) -> dict[str, Any]:
        event = json.loads(raw)
        for key, adapter in cls.ADAPTERS.items():
            if isinstance(event.get(key), dict):
                try:
                    event[key] = adapter.validate_python(event[key])
                except ValidationError:  # an object of a kind not listed here: written as it was kept
                    pass
        return event


MODELS: dict[str, Any] = {
    "assistants": Assistant, "threads": Thread, "files": File, "vector_stores": VectorStore, "messages": Message,
    "runs": Run, "steps": RunStep, "vector_store_files": VectorStoreFile, "file_batches": VectorStoreFileBatch,
    "responses": Response, "conversations": Conversation, "response_inputs": _Items, "conversation_items": _Items,
    "containers": Container, "container_files": ContainerFile, "agents": AgentRecord, "agent_versions": AgentVersion,
    "response_events": _Event,
}  # fmt: skip
#: `error.message` of a background response that was under way when the emulator stopped.
RESPONSE_INTERRUPTED = "The response was interrupted: the emulator restarted while it was in progress."
#: aux rows that only say a namespace exists (it may hold nothing yet).
NAMESPACE_MARK = "namespace"
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,200}")
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects(tenant TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT NOT NULL,
    id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(tenant, kind, parent, id));
CREATE INDEX IF NOT EXISTS objects_order ON objects(tenant, kind, parent, seq);
CREATE TABLE IF NOT EXISTS aux(tenant TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, PRIMARY KEY(tenant, name, key));
CREATE TABLE IF NOT EXISTS ids(id TEXT PRIMARY KEY) WITHOUT ROWID;
"""
UPSERT_ADDED = ("INSERT INTO objects VALUES(?,?,?,?,?,?) ON CONFLICT(tenant, kind, parent, id) "
                "DO UPDATE SET seq = excluded.seq, json = excluded.json")  # fmt: skip
UPSERT_REPLACED = ("INSERT INTO objects VALUES(?,?,?,?,?,?) ON CONFLICT(tenant, kind, parent, id) "
                   "DO UPDATE SET json = excluded.json")  # fmt: skip


class DataDirError(ValueError):
    """A data directory that cannot be used (another format, in use, unreadable)."""


class DataDir:
    """One emulator's data directory: loads it, then writes every change to it."""

    def __init__(self, path: str | os.PathLike[str], emulator: Emulator) -> None:
        self.path = Path(path).resolve()
        self.emulator = emulator
        self._files = self.path / "files"
        self._lockfile: Any = None
        self._db: Any = None
        #: What changed since the last write.
        self.changes = Changes()
        self._clock_written: float | None = None
        #: Streams whose events wait for the next write (see `hold`).
        self._streams: list[Any] = []
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._files.mkdir(exist_ok=True)
            self._lockfile = open(self.path / "lock", "a+")  # noqa: SIM115 - held until close()
            if fcntl is not None:
                fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirError(f"data directory {self.path} is in use by another emulator") from None
        except OSError as exc:
            raise DataDirError(f"data directory {self.path} cannot be used: {exc}") from None
        try:
            self._db = sqlite3.connect(self.path / DB_NAME, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            row = self._db.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone()
            found = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() if row else None
            if found is not None and found[0] != str(FORMAT_VERSION):
                raise DataDirError(f"data directory {self.path} was written in format version {found[0]}; "
                                   f"this emulator reads format version {FORMAT_VERSION} only")  # fmt: skip
            with self._transaction():
                for statement in filter(str.strip, SCHEMA.split(";")):
                    self._db.execute(statement)
                self._db.execute("INSERT OR IGNORE INTO meta VALUES('format', ?)", (str(FORMAT_VERSION),))
        except sqlite3.Error as exc:
            raise DataDirError(f"data directory {self.path}: {DB_NAME} cannot be used: {exc}") from None

    def close(self) -> None:
        """Let the directory go (what was written stays); this DataDir hears nothing more."""
        self.changes.forget()
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lockfile is not None:
            self._lockfile.close()
            self._lockfile = None

    def attach(self) -> None:
        """Be told of every id issued and write at every release of the emulator's lock."""
        self.emulator.ids.journal = []
        self.emulator.lock.before_release = self.flush

    def detach(self) -> None:
        self.emulator.ids.journal = None
        self.emulator.lock.before_release = None

    # --- namespaces ---------------------------------------------------------------------

    def namespace(self, tenant: str) -> Namespace:
        """A new, empty namespace whose changes are written here."""
        self.changes.tenants.add(tenant)
        return Namespace.journaled(self.changes.journal(tenant))

    # --- loading ------------------------------------------------------------------------

    def load(self) -> dict[str, Namespace]:
        """Every namespace as it was written; ids and a virtual clock continue where they were;
        runs that were active are ended (and that is written)."""
        try:
            namespaces = self._read()
        except (sqlite3.Error, OSError, ValueError) as exc:
            raise DataDirError(f"data directory {self.path} cannot be read: {exc}") from None
        self.changes.listen()
        ended = _end_active_runs(namespaces, self.emulator.clock.now())
        if ended:
            log.warning("%d run(s) active when the emulator stopped were ended (failed or cancelled)", ended)
        ended = _end_active_responses(namespaces, self.emulator.clock.now())
        if ended:
            log.warning("%d background response(s) under way when the emulator stopped failed", ended)
        self.flush()
        return namespaces

    def _read(self) -> dict[str, Namespace]:
        db = self._db
        namespaces: dict[str, Namespace] = {}

        def namespace(tenant: str) -> Namespace:
            ns = namespaces.get(tenant)
            if ns is None:
                ns = namespaces[tenant] = Namespace.journaled(self.changes.journal(tenant, live=False))
            return ns

        for (tenant,) in db.execute("SELECT tenant FROM aux WHERE name = ? ORDER BY rowid", (NAMESPACE_MARK,)):
            namespace(tenant)
        kept: dict[Path, set[str]] = {}
        for tenant, name, key_json, value in db.execute("SELECT * FROM aux ORDER BY rowid"):
            if name == NAMESPACE_MARK:
                continue
            ns, key = namespace(tenant), _key(json.loads(key_json))
            if name in DICTS_OF_TABLES:
                getattr(ns, name).load(key, Table())
            elif name == "file_contents":
                path = self._file_path(tenant, key)
                kept.setdefault(path.parent, set()).add(path.name)
                ns.file_contents.load(key, path.read_bytes())
            else:
                getattr(ns, name).load(key, _decode(name, value))
        rows = db.execute("SELECT tenant, kind, parent, id, json FROM objects ORDER BY tenant, kind, parent, seq")
        for tenant, kind, parent, id, raw in rows:
            ns = namespace(tenant)
            if kind in TABLES:
                table = getattr(ns, kind)
            else:
                table = getattr(ns, kind).get(parent)
                if table is None:
                    table = Table()
                    getattr(ns, kind).load(parent, table)
            table.add(id, MODELS[kind].model_validate_json(raw))
        self.changes.seq = db.execute("SELECT coalesce(max(seq), 0) FROM objects").fetchone()[0]
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if "ids" in meta:
            self.emulator.ids.restore(json.loads(meta["ids"]), (i for (i,) in db.execute("SELECT id FROM ids")))
            if self.emulator.ids.seed != self.emulator.config.seed:
                log.warning("ids continue the data directory's sequence (seed %s); seed %s applies from a reset",
                            self.emulator.ids.seed, self.emulator.config.seed)  # fmt: skip
        clock = self.emulator.clock
        if "clock" in meta and isinstance(clock, VirtualClock):
            clock.restore(float(meta["clock"]))
            self._clock_written = clock.exact()
        self._remove_strays(kept)
        return namespaces

    def _remove_strays(self, kept: dict[Path, set[str]]) -> None:
        """Contents written for a file whose transaction never committed (a crash between)."""
        for path in self._files.glob("*/*"):
            if path.name not in kept.get(path.parent, ()):
                path.unlink()

    # --- writing ------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every change since the last flush in one transaction (called under the lock).
        A failure is logged and raised as a 500; the changes stay pending, tried again next time.
        Then the streams' held events go out: what they show is on disk."""
        ids = self.emulator.ids.journal
        clock = self.emulator.clock
        moved = isinstance(clock, VirtualClock) and clock.exact() != self._clock_written
        if self._db is not None and (self.changes or ids or moved):
            try:
                self._write()
            except (sqlite3.Error, OSError) as exc:
                log.exception("the data directory %s could not be written", self.path)
                raise errors.server_error(f"the data directory could not be written: {exc}") from exc
        if self._streams:
            for stream in self._streams:
                stream.release()
            self._streams = [stream for stream in self._streams if not stream.closed]

    def hold(self, stream: Any) -> None:
        """A run's stream whose events must wait for the changes they show to be written."""
        stream.hold()
        self._streams.append(stream)

    def _write(self) -> None:
        gone = []
        for (tenant, name, key), container in self.changes.aux.items():
            if name == "file_contents":
                data = dict.get(container, key)
                if data is None:
                    gone.append(self._file_path(tenant, key))
                else:
                    write_file(self._file_path(tenant, key), data)
        ids = self.emulator.ids.journal or []
        issued = len(ids)
        with self._transaction():
            self._write_rows()
            if issued:
                self._db.executemany("INSERT OR IGNORE INTO ids VALUES(?)", [(i,) for i in ids[:issued] if i])
                self._set_meta("ids", json.dumps(self.emulator.ids.state()))
            clock = self.emulator.clock
            if isinstance(clock, VirtualClock):
                self._set_meta("clock", repr(clock.exact()))
        del ids[:issued]
        if isinstance(self.emulator.clock, VirtualClock):
            self._clock_written = self.emulator.clock.exact()
        self.changes.clear()
        for path in gone:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # written already: the contents stay behind, and go at the next start
                log.exception("could not delete %s", path)

    def _write_rows(self) -> None:
        db = self._db
        changes = self.changes
        db.executemany("DELETE FROM objects WHERE tenant = ? AND kind = ? AND parent = ?", changes.dropped)
        added, replaced, removed = [], [], []
        for (tenant, kind, parent, id), (seq, obj) in changes.objects.items():
            if obj is GONE:
                removed.append((tenant, kind, parent, id))
                continue
            raw = json.dumps(_plain(obj), separators=(",", ":"))
            if seq is None:
                changes.seq += 1
                replaced.append((tenant, kind, parent, id, changes.seq, raw))
            else:
                added.append((tenant, kind, parent, id, seq, raw))
        db.executemany("DELETE FROM objects WHERE tenant = ? AND kind = ? AND parent = ? AND id = ?", removed)
        db.executemany(UPSERT_ADDED, added)
        db.executemany(UPSERT_REPLACED, replaced)
        upserts, deletes = [], []
        for (tenant, name, key), container in changes.aux.items():
            key_json = json.dumps(key)
            value = dict.get(container, key, GONE)
            if value is GONE:
                deletes.append((tenant, name, key_json))
            else:
                upserts.append((tenant, name, key_json, _encode(name, value)))
        upserts += [(tenant, NAMESPACE_MARK, '""', "null") for tenant in changes.tenants]
        db.executemany("DELETE FROM aux WHERE tenant = ? AND name = ? AND key = ?", deletes)
        db.executemany("INSERT INTO aux VALUES(?,?,?,?) ON CONFLICT DO UPDATE SET value = excluded.value", upserts)

    def reset(self) -> None:
        """Forget everything written (the emulator's reset); namespaces made before hear nothing more."""
        self.changes.forget()
        self.changes = Changes()
        try:
            with self._transaction():
                for table in ("objects", "aux", "ids"):
                    self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                self._set_meta("ids", json.dumps(self.emulator.ids.state()))
                self._db.execute("DELETE FROM meta WHERE key = 'clock'")
            if self.emulator.ids.journal is not None:
                self.emulator.ids.journal.clear()
            self._clock_written = None
            shutil.rmtree(self._files)
            self._files.mkdir()
        except (sqlite3.Error, OSError) as exc:
            log.exception("the data directory %s could not be reset", self.path)
            raise errors.server_error(f"the data directory could not be reset: {exc}") from exc

    # --- helpers ------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, or ROLLBACK if anything failed, the COMMIT itself maybe (a full disk)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        finally:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT INTO meta VALUES(?, ?) ON CONFLICT DO UPDATE SET value = excluded.value", (key, value))

    def _file_path(self, tenant: str, file_id: str) -> Path:
        folder = self._files / hashlib.sha256(tenant.encode()).hexdigest()[:16]
        name = file_id if _SAFE_NAME.fullmatch(file_id) else hashlib.sha256(file_id.encode()).hexdigest()
        return folder / name


def write_file(path: Path, data: bytes) -> None:
    """`data` at `path`, all or nothing: a temp file beside it, then renamed over it."""
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _end_active_runs(namespaces: dict[str, Namespace], now: int) -> int:
    """Runs active when the emulator stopped: `cancelling` ones cancelled, the others failed."""
    ended = 0
    for ns in namespaces.values():
        for runs in ns.runs.values():
            for run in runs.values():
                if run.status not in ACTIVE:
                    continue
                status = "cancelled" if run.status == "cancelling" else "failed"
                changes: dict[str, Any] = {"status": status, **EFFECTS[status](run, now)}
                if status == "failed":
                    changes["last_error"] = LastError(code="server_error", message=INTERRUPTED)
                runs.replace(run.id, run.model_copy(update=changes))
                steps = ns.steps.get(run.id)
                for step in list(steps.values()) if steps is not None else ():
                    # a step's expires_at is its run's, null once the run is over (as engine._steps_expire_with)
                    update: dict[str, Any] = {"expires_at": None} if step.expires_at is not None else {}
                    if step.status == "in_progress":
                        update.update({"status": status, f"{status}_at": now})
                    if update:
                        steps.replace(step.id, step.model_copy(update=update))
                ended += 1
    return ended


def _end_active_responses(namespaces: dict[str, Namespace], now: int) -> int:
    """Background responses under way when the emulator stopped fail (their engine state is gone)."""
    ended = 0
    for ns in namespaces.values():
        for response in list(ns.responses.values()):
            if not response.is_terminal():
                error = ResponseError(code="server_error", message=RESPONSE_INTERRUPTED)
                failed = ns.responses.replace(response.id, response_states.apply(response, "fail", now, error=error))
                events = ns.response_events.get(response.id)
                if events is not None:  # its stream, read again, ends as the response did
                    n = len(events)
                    events.add(str(n), {"type": "response.failed", "sequence_number": n, "response": failed})
                ended += 1
    return ended


def _plain(value: Any) -> Any:
    """A stored object as JSON-able values, every field kept (the wire form omits some nulls,
    which would come back as their defaults), and the extra keys of models that allow them (a tool echoed as given)."""
    if isinstance(value, BaseModel):
        fields = {**value.__dict__, **(value.__pydantic_extra__ or {})}
        return {name: _plain(field) for name, field in fields.items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _key(raw: Any) -> Any:
    return tuple(raw) if isinstance(raw, list) else raw


def _encode(name: str, value: Any) -> str:
    if name in DICTS_OF_TABLES or name == "file_contents":
        return "null"  # the key is what counts (the Table's objects, the file's contents are apart)
    if name == "chunks":
        return json.dumps([[c.text, c.start, c.end, c.tokens] for c in value])
    if name == "code_runs":
        return json.dumps([dataclasses.asdict(r) for r in value])
    if name == "assets":
        return json.dumps([value.uri, value.filename, base64.b64encode(value.content).decode("ascii")])
    return json.dumps(value)


def _decode(name: str, raw: str) -> Any:
    value = json.loads(raw)
    if name == "chunks":
        return [Chunk(*c) for c in value]
    if name == "code_runs":
        return [
            CodeRun(**{**r, "images": tuple(r["images"]), "files": tuple(tuple(f) for f in r["files"])}) for r in value
        ]
    if name == "assets":
        return Asset(value[0], value[1], base64.b64decode(value[2]))
    return value
