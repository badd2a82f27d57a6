"""Paths inside the sandbox: `/mnt/data/...` (and relative paths) map to the execution's own
directory; everything else is refused. Runs in the sandbox child.

Rules (see the sandbox note): only plain `str` paths (no subclasses that could lie in
`startswith`, no bytes, no path-like objects that run code in `__fspath__`); no `~`, no URLs;
absolute paths only under `/mnt/data`; the resolved real path must stay inside the directory;
open modes only from `rwabxt+`; new files count against the file-count and total-size quota.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

MOUNT = "/mnt/data"


#: A path the sandbox refuses (code sees a plain PermissionError naming only sandbox paths).
SandboxPathError = PermissionError


class Opaque:
    """A sandbox internal that code can reach (as the object behind `open`, `getattr`, `plt.show`, a
    module facade or the rcParams view). Copying gives the object itself: `copy.deepcopy(open, memo)`
    would otherwise walk into it and leave its parts in `memo` (the real rcParams, the Policy that
    imports any module, a DataDir whose root can be changed)."""

    __slots__ = ()

    def __copy__(self) -> Opaque:
        return self

    def __deepcopy__(self, memo: object) -> Opaque:
        return self

    def __reduce_ex__(self, protocol: object) -> object:
        raise TypeError("sandbox internals cannot be pickled")


@dataclass
class Quota(Opaque):
    max_files: int = 100
    max_total_bytes: int = 256 * 1024 * 1024


class DataDir(Opaque):
    """The execution's directory, shown to the code as /mnt/data."""

    def __init__(self, root: str, quota: Quota) -> None:
        self.root = os.path.realpath(root)
        self.quota = quota

    def shown(self, real: str) -> str:
        """A host path as the code should see it."""
        if real == self.root:
            return MOUNT
        if real.startswith(self.root + os.sep):
            return MOUNT + real[len(self.root) :]
        return real

    def resolve(self, path: object, *, writing: bool = False) -> str:
        """The host path for a path the code gave, or SandboxPathError."""
        if type(path) is not str:
            raise SandboxPathError(f"paths must be plain strings, not {type(path).__name__}")
        if not path or "\x00" in path:
            raise SandboxPathError(f"invalid path {path!r}")
        if "://" in path or path.startswith("~"):
            raise SandboxPathError(f"{path!r}: only files under {MOUNT} can be used (no network, no home)")
        if path.startswith("/"):
            norm = os.path.normpath(path)
            if norm != MOUNT and not norm.startswith(MOUNT + "/"):
                raise SandboxPathError(f"{path!r}: only files under {MOUNT} can be used")
            relative = norm[len(MOUNT) :].lstrip("/")
        else:
            relative = path
        real = os.path.realpath(os.path.join(self.root, relative))
        if real != self.root and not real.startswith(self.root + os.sep):
            raise SandboxPathError(f"{path!r}: only files under {MOUNT} can be used")
        if writing and not os.path.exists(real):
            self.check_room()
        return real

    def check_room(self) -> None:
        """Room for one more file, or SandboxPathError (also called for files libraries create)."""
        count, total = 0, 0
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                count += 1
                try:
                    total += os.lstat(os.path.join(folder, name)).st_size
                except OSError:
                    pass
        if count >= self.quota.max_files:
            raise SandboxPathError(f"too many files in {MOUNT}: the limit is {self.quota.max_files}")
        if total >= self.quota.max_total_bytes:
            raise SandboxPathError(f"{MOUNT} is full: the limit is {self.quota.max_total_bytes} bytes")

    def open(self, file: object, mode: str = "r", *args: object, **kwargs: object) -> io.IOBase:
        """`open` for sandboxed code."""
        if type(mode) is not str or not mode or set(mode) - set("rwabxt+"):
            raise ValueError(f"invalid mode: {mode!r}")
        if kwargs.get("opener") is not None or (len(args) >= 6 and args[5] is not None):
            raise SandboxPathError("open(opener=...) is not allowed")
        writing = any(c in mode for c in "wax+")
        return open(self.resolve(file, writing=writing), mode, *args, **kwargs)  # noqa: SIM115

    def makedirs(self, path: object, exist_ok: bool = False) -> None:
        os.makedirs(self.resolve(path, writing=False), exist_ok=exist_ok)

    def listdir(self, path: object = MOUNT) -> list[str]:
        return sorted(os.listdir(self.resolve(path)))

    def exists(self, path: object) -> bool:
        try:
            return os.path.exists(self.resolve(path))
        except SandboxPathError:
            return False

    def remove(self, path: object) -> None:
        os.remove(self.resolve(path))


#: File-like objects code may pass where a path is expected.
BUFFERS = (io.StringIO, io.BytesIO, io.TextIOWrapper, io.BufferedReader, io.BufferedWriter, io.BufferedRandom)


def check_target(data_dir: DataDir, value: object, *, writing: bool) -> object:
    """A path argument of a library function: a mapped path, a buffer, or None."""
    # The exact types: an object can make isinstance() true (a `__class__` property) and then
    # hand the library another path through `__fspath__`.
    if value is None or type(value) in BUFFERS:
        return value
    return data_dir.resolve(value, writing=writing)
