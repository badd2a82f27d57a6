"""The Containers API's objects: a container (`object: "container"`), a container file
(`container.file`), and their deleted answers.

Key order as the spec's examples write them (`ContainerResource`, `ContainerFileResource`, the
delete examples of `DeleteContainer` / `DeleteContainerFile`): no recording shows a container
object, only `cntr_…` ids inside `code_interpreter_call` items.
"""

from __future__ import annotations

from typing import Literal

from .common import APIModel, Sparse

MemoryLimit = Literal["1g", "4g", "16g", "64g"]


class ContainerExpiresAfter(APIModel):
    anchor: Literal["last_active_at"] = "last_active_at"
    minutes: int


class NetworkPolicy(Sparse):
    """Echoed as given (the sandbox has no network whatever the policy says)."""

    type: Literal["allowlist", "disabled"]
    allowed_domains: list[str] | None = None


class Container(Sparse):
    id: str
    object: Literal["container"] = "container"
    created_at: int
    status: Literal["running", "expired"] = "running"
    expires_after: ContainerExpiresAfter
    last_active_at: int
    memory_limit: MemoryLimit = "1g"
    name: str
    network_policy: NetworkPolicy | None = None

    def idle_seconds(self) -> int:
        """How long the container may stay idle before it expires."""
        return self.expires_after.minutes * 60


class ContainerDeleted(APIModel):
    id: str
    object: Literal["container.deleted"] = "container.deleted"
    deleted: bool = True


class ContainerFile(APIModel):
    id: str
    object: Literal["container.file"] = "container.file"
    created_at: int
    bytes: int
    container_id: str
    path: str
    source: Literal["user", "assistant"]

    @property
    def name(self) -> str:
        """The path under /mnt/data (`chart.png`, `out/table.csv`)."""
        return self.path.removeprefix("/mnt/data/")


class ContainerFileDeleted(APIModel):
    id: str
    object: Literal["container.file.deleted"] = "container.file.deleted"
    deleted: bool = True
