"""Interpreter sessions per thread, on the server side (one `Sessions` per emulator).

As on the real service, a thread has one code_interpreter session: variables and files
persist across the thread's runs until the session has been idle for
`SandboxLimits.session_idle_seconds` on the emulator's clock (or the thread is deleted, or
the emulator reset). Input files are written into the session's directory as
`/mnt/data/<file_id>` before a cell runs; files the cell creates or changes there come back
as outputs. Nothing here holds the emulator's lock: the run engine releases it while a cell
runs, so the server keeps answering.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .host import CellOutput, SandboxLimits, SandboxUnavailable, SessionProcess, host

#: Live session processes per emulator; the least recently used one is closed beyond this.
MAX_LIVE_SESSIONS = 16


@dataclass(frozen=True)
class InputFile:
    file_id: str
    filename: str
    content: bytes

    @property
    def name(self) -> str:
        return self.file_id


@dataclass
class Execution:
    logs: str
    images: list[bytes]
    #: Files under /mnt/data the cell created or changed: (name relative to /mnt/data, bytes).
    files: list[tuple[str, bytes]]
    error: str | None
    limit: str | None = None


@dataclass
class _Session:
    process: SessionProcess
    last_used: float
    staged: dict[str, int] = field(default_factory=dict)  # file id -> size written
    #: A cell is running in it: never closed as idle or least recently used meanwhile.
    busy: bool = False


class Sessions:
    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self._lock = threading.Lock()
        self._live: OrderedDict[str, _Session] = OrderedDict()

    @property
    def limits(self) -> SandboxLimits:
        return self.emulator.sandbox_limits

    def run(self, thread_id: str, code: str, inputs: list[InputFile]) -> Execution:
        """Run one cell in the thread's session (started or restarted as needed)."""
        limits = self.limits
        session = self._session(thread_id, limits)
        try:
            self._stage(session, inputs)
            before = _snapshot(session.process.root, limits)
            crash = self.emulator.faults.take_code_crash()
            output: CellOutput = session.process.run(code, limits, crash=crash)
        finally:
            session.busy = False
            session.last_used = self.emulator.clock.now()
        if not session.process.alive:
            self.close(thread_id)
            files: list[tuple[str, bytes]] = []
        else:
            files = _changed(session.process.root, before, set(session.staged), limits)
        return Execution(logs=output.logs, images=output.images, files=files, error=output.error, limit=output.limit)

    def _session(self, thread_id: str, limits: SandboxLimits) -> _Session:
        """The thread's session, marked busy. Fix: sessions running a cell (on other threads)
        used to be closed here as idle (their last use was the end of their previous cell) or
        as least recently used, killing a cell that had done nothing wrong."""
        now = self.emulator.clock.now()
        with self._lock:
            expired = [k for k, s in self._live.items()
                       if not s.busy and now - s.last_used > limits.session_idle_seconds]  # fmt: skip
            for key in expired:
                self._live.pop(key).process.close()
            session = self._live.get(thread_id)
            if session is not None and session.process.alive:
                self._live.move_to_end(thread_id)
                session.busy, session.last_used = True, now
                return session
            idle = [k for k, s in self._live.items() if not s.busy and k != thread_id]  # oldest first
            while len(self._live) >= MAX_LIVE_SESSIONS and idle:
                self._live.pop(idle.pop(0)).process.close()
        seed = f"{self.emulator.config.seed}:{thread_id}"
        process = host().spawn(seed, limits)
        session = _Session(process=process, last_used=now, busy=True)
        with self._lock:
            old = self._live.pop(thread_id, None)
            if old is not None:
                old.process.close()
            self._live[thread_id] = session
        return session

    @staticmethod
    def _stage(session: _Session, inputs: list[InputFile]) -> None:
        for item in inputs:
            if session.staged.get(item.file_id) == len(item.content):
                continue
            path = os.path.join(session.process.root, item.name)
            with contextlib.suppress(OSError):
                os.unlink(path)  # never write through a link the code may have left there
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(item.content)
            session.staged[item.file_id] = len(item.content)

    def discard(self, key: str, file_id: str, name: str) -> None:
        """A staged file was deleted: gone from the live session's directory too (a container's
        file deleted through the API). A name whose folder is not inside /mnt/data is left alone."""
        with self._lock:
            session = self._live.get(key)
        if session is None:
            return
        session.staged.pop(file_id, None)
        root = os.path.realpath(session.process.root)
        path = os.path.join(session.process.root, name)
        if os.path.commonpath([root, os.path.realpath(os.path.dirname(path))]) != root:
            return  # never unlink through a folder link the code may have left there
        with contextlib.suppress(OSError):
            os.unlink(path)

    def has_session(self, thread_id: str) -> bool:
        with self._lock:
            session = self._live.get(thread_id)
            return session is not None and session.process.alive

    def close(self, thread_id: str) -> None:
        with self._lock:
            session = self._live.pop(thread_id, None)
        if session is not None:
            session.process.close()

    def close_all(self) -> None:
        with self._lock:
            sessions = list(self._live.values())
            self._live.clear()
        for session in sessions:
            session.process.close()


def _snapshot(root: str, limits: SandboxLimits) -> dict[str, tuple[int, int]]:
    """name -> (size, mtime_ns) of the regular files under root (links are never followed)."""
    found: dict[str, tuple[int, int]] = {}
    for folder, _dirs, files in os.walk(root, followlinks=False):
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns)
        if len(found) > limits.max_files * 2:
            break
    return found


def _changed(
    root: str, before: dict[str, tuple[int, int]], staged: set[str], limits: SandboxLimits
) -> list[tuple[str, bytes]]:
    after = _snapshot(root, limits)
    changed = []
    total = 0
    for name in sorted(after):
        if name in staged or before.get(name) == after[name]:
            continue
        size = after[name][0]
        if len(changed) >= limits.max_files or total + size > limits.max_total_bytes:
            break
        try:
            fd = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            continue
        total += len(data)
        changed.append((name, data))
    return changed


__all__ = ["Execution", "InputFile", "Sessions", "SandboxUnavailable"]
