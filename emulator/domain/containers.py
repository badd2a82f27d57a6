"""Containers: where code_interpreter runs on the Responses API, and their files.

A container is a code_interpreter session of its own (`emulator.sessions`, keyed by the
container's id: the same sandbox, limits, /mnt/data and warm fork as a thread's session), with
files at `/mnt/data/<name>`: uploaded or copied from a file (`source: "user"`), or written by
the code (`source: "assistant"`). One file per path: a file written to a path that holds one
replaces it (a new container file; the old one is gone).

Expiry, on the emulator's clock: a container whose last activity (`last_active_at`) is
`expires_after.minutes` old expires: its files and session are gone, it answers `status:
"expired"`, and using it is the service's 400 "Container is expired." Every operation on a
container or its files (retrieve included) counts as activity, as OpenAI's guide says; listing
containers does not.

What the Responses engine uses (`responses/code_items.py`): `create_auto` (the container a
`{"type": "auto"}` code_interpreter tool makes), `require_running` (a container a request
names), and `run_code` (a cell in the container's session; the files it writes become
container files).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from .. import activity, errors
from ..models.common import ListPage
from ..models.container import Container, ContainerDeleted, ContainerFile, ContainerFileDeleted
from ..pagination import ListQuery, paginate
from ..sandbox.sessions import InputFile
from ..store import Table
from ..validation import validate
from .base import Service, updated

#: `expires_after.minutes` when a container is created without it (the spec's examples, OpenAI's guide).
DEFAULT_MINUTES = 20
MOUNT = "/mnt/data/"
#: The message users report from the service for a container past its idle time (HTTP 400).
EXPIRED_MESSAGE = "Container is expired."
#: The name of a container made for a response's `auto` tool when none is given (the service's is unrecorded).
AUTO_NAME = "code_interpreter container"
#: File names that cannot be a file under /mnt/data.
_NOT_NAMES = frozenset({"", ".", ".."})


@dataclass(frozen=True)
class _Staged(InputFile):
    """A container file as the session stages it: at /mnt/data/<its name>, not <its id>."""

    path: str = ""

    @property
    def name(self) -> str:
        return self.path


@dataclass
class CodeRun:
    """What one cell left in a container."""

    container: Container
    logs: str
    #: The exception type's name if the code failed; `limit`: "cpu", "wall" or "crash" if a limit ended it.
    error: str | None
    limit: str | None
    #: Figures open at the end of the cell (or shown), each kept as a container file `/mnt/data/<id>.png`.
    images: list[ContainerFile]
    #: Files the code created or changed under /mnt/data, as container files (`source: "assistant"`).
    files: list[ContainerFile]


class Containers(Service):
    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self._cells: dict[str, threading.Lock] = {}

    # --- containers -----------------------------------------------------------------------------

    def create(self, body: dict[str, Any]) -> Container:
        validate("CreateContainerBody", body)
        expires = body.get("expires_after") or {"anchor": "last_active_at", "minutes": DEFAULT_MINUTES}
        if expires["minutes"] < 1:
            raise errors.invalid("expires_after.minutes", "integer below minimum value. Expected a value >= 1, "
                                 f"but got {expires['minutes']} instead.", "integer_below_min_value")  # fmt: skip
        sources = [self.backend.files.require(fid, "file_ids") for fid in body.get("file_ids") or []]
        now = self.now()
        container = Container(
            id=self.new_id("container"), created_at=now, expires_after=expires, last_active_at=now,
            memory_limit=body.get("memory_limit") or "1g", name=body["name"],
            network_policy=_policy(body.get("network_policy")),
        )  # fmt: skip
        self.ns.containers.add(container.id, container)
        self.ns.container_files[container.id] = Table()
        for file in sources:
            self._put(container.id, file.filename, self.ns.file_contents.get(file.id, b""), "user", now)
        return container

    def create_auto(self, *, file_ids: list[str] | None = None, memory_limit: str | None = None,
                    name: str | None = None) -> Container:  # fmt: skip
        """The container a code_interpreter tool `{"type": "auto", "file_ids": [...]}` makes for a
        response (the caller validated the tool); a missing file is the 404 of `file_ids`."""
        body: dict[str, Any] = {"name": name or AUTO_NAME, "file_ids": file_ids or []}
        if memory_limit is not None:
            body["memory_limit"] = memory_limit
        return self.create(body)

    def list(self, query: ListQuery, *, name: str | None = None) -> ListPage:
        for container in list(self.ns.containers.values()):
            self._expire_if_due(container)
        accept = (lambda c: c.name == name) if name is not None else None
        return paginate(self.ns.containers, query, accept)

    def get(self, container_id: str) -> Container:
        """The container (expired ones too); a running one counts this as activity."""
        container = self._expire_if_due(self.find(self.ns.containers, "container", container_id))
        return self._touch(container) if container.status == "running" else container

    def delete(self, container_id: str) -> ContainerDeleted:
        self.find(self.ns.containers, "container", container_id)
        self._drop_files(container_id)
        self.ns.container_files.pop(container_id, None)
        self.ns.containers.remove(container_id)
        self._cells.pop(container_id, None)
        return ContainerDeleted(id=container_id)

    def require_running(self, container_id: str, *, param: str | None = None) -> Container:
        """A container a request uses: 404 if there is none, the service's 400 if it expired;
        using it is activity."""
        container = self.ns.containers.get(container_id)
        if container is None:
            error = errors.not_found("container", container_id)
            raise errors.APIError(404, error.message, param=param) if param else error
        container = self._expire_if_due(container)
        if container.status == "expired":
            raise errors.bad_request(EXPIRED_MESSAGE, param=param)
        return self._touch(container)

    # --- files ------------------------------------------------------------------------------------

    def add_file(self, container_id: str, *, file_id: str | None = None, filename: str | None = None,
                 content: bytes | None = None) -> ContainerFile:  # fmt: skip
        """`POST /containers/{id}/files`: an upload (`filename`, `content`) or a copy of a file."""
        container = self.require_running(container_id)
        if file_id is not None and content is not None:
            raise errors.bad_request("Provide either 'file' or 'file_id', not both.", param="file_id")
        if file_id is not None:
            if not isinstance(file_id, str):
                raise errors.invalid_type("file_id", "a string", type(file_id).__name__)
            file = self.backend.files.require(file_id, "file_id")
            filename, content = file.filename, self.ns.file_contents.get(file.id, b"")
        if content is None or filename is None:
            raise errors.missing_parameter("file")
        limit = self.emulator.config.max_upload_bytes
        if len(content) > limit:
            raise errors.too_large(len(content), limit, "file")
        return self._put(container.id, filename, content, "user", self.now())

    def list_files(self, container_id: str, query: ListQuery) -> ListPage:
        self.require_running(container_id)
        return paginate(self.ns.container_files[container_id], query)

    def get_file(self, container_id: str, file_id: str) -> ContainerFile:
        self.require_running(container_id)
        return self.find(self.ns.container_files[container_id], "container_file", file_id, parent=container_id)

    def file_content(self, container_id: str, file_id: str) -> tuple[ContainerFile, bytes]:
        file = self.get_file(container_id, file_id)
        return file, self.ns.file_contents.get(file.id, b"")

    def delete_file(self, container_id: str, file_id: str) -> ContainerFileDeleted:
        file = self.get_file(container_id, file_id)
        self._remove_file(file)
        self.emulator.sessions.discard(container_id, file.id, file.name)
        return ContainerFileDeleted(id=file_id)

    def files_of(self, container_id: str) -> list[ContainerFile]:
        """The container's files, oldest first (for citations: a file's id from its name)."""
        table = self.ns.container_files.get(container_id)
        return list(table.values()) if table is not None else []

    # --- code -------------------------------------------------------------------------------------

    def run_code(self, container_id: str, code: str) -> CodeRun:
        """Run one cell in the container's session, its files at /mnt/data/<name>; the emulator's
        lock is let go meanwhile (cells of one container take turns). Raises the 404 / expired 400
        of `require_running`, and `SandboxUnavailable` (or OSError) if the sandbox cannot run."""
        container = self.require_running(container_id)
        inputs = [_Staged(f.id, f.name, self.ns.file_contents.get(f.id, b""), path=f.name)
                  for f in self.files_of(container.id) if "/" not in f.name]  # fmt: skip
        cell = self._cells.setdefault(container.id, threading.Lock())
        ns = self.ns
        with self.emulator.lock.suspended(), activity.work(f"code_interpreter {container.id}"), cell:
            execution = self.emulator.sessions.run(container.id, code, inputs)
        current = ns.containers.get(container.id) if ns.alive else None
        if current is None:  # deleted (or the emulator reset) meanwhile: nothing is kept
            return CodeRun(container=container, logs=execution.logs, error=execution.error, limit=execution.limit,
                           images=[], files=[])  # fmt: skip
        now = self.now()
        written = [self._put(container.id, name, data, "assistant", now) for name, data in execution.files]
        images = []
        for png in execution.images:
            image_id = self.new_id("container_file")
            images.append(self._put(container.id, f"{image_id}.png", png, "assistant", now, file_id=image_id))
        current = self._touch(current)
        return CodeRun(container=current, logs=execution.logs, error=execution.error, limit=execution.limit,
                       images=images, files=written)  # fmt: skip

    # --- internals --------------------------------------------------------------------------------

    def _put(self, container_id: str, name: str, content: bytes, source: str, at: int, *,
             file_id: str | None = None) -> ContainerFile:  # fmt: skip
        """A file at /mnt/data/<name> (a bare file name for uploads), replacing any file at that path."""
        if source == "user":
            name = name.replace("\0", "").rsplit("/", 1)[-1]
            name = "upload" if name in _NOT_NAMES else name
        table = self.ns.container_files[container_id]
        path = MOUNT + name
        for old in [f for f in table.values() if f.path == path]:
            self._remove_file(old)
        file = ContainerFile(id=file_id or self.new_id("container_file"), created_at=at, bytes=len(content),
                             container_id=container_id, path=path, source=source)  # fmt: skip
        table.add(file.id, file)
        self.ns.file_contents[file.id] = bytes(content)
        return file

    def _remove_file(self, file: ContainerFile) -> None:
        table = self.ns.container_files.get(file.container_id)
        if table is not None:
            table.remove(file.id)
        self.ns.file_contents.pop(file.id, None)

    def _drop_files(self, container_id: str) -> None:
        """The container's files and session are gone (it expired or was deleted)."""
        for file in self.files_of(container_id):
            self.ns.file_contents.pop(file.id, None)
        if container_id in self.ns.container_files:
            self.ns.container_files[container_id] = Table()
        self.emulator.sessions.close(container_id)

    def _touch(self, container: Container) -> Container:
        now = self.now()
        if container.last_active_at == now:
            return container
        return self.ns.containers.replace(container.id, updated(container, {"last_active_at": now}))

    def _expire_if_due(self, container: Container) -> Container:
        if container.status != "running" or self.now() - container.last_active_at < container.idle_seconds():
            return container
        self._drop_files(container.id)
        return self.ns.containers.replace(container.id, updated(container, {"status": "expired"}))


def _policy(raw: Any) -> Any:
    """The network policy as the container echoes it (`domain_secrets` are never echoed)."""
    if raw is None:
        return None
    return {k: v for k, v in raw.items() if k in ("type", "allowed_domains")}
