"""Landlock (Linux 5.13+): defence in depth for a sandbox process, applied to itself.

After `restrict(...)` the process may read only under `readable`, write only under
`writable`, make no TCP connection or binding (ABI 4+), and signal no process outside
its own domain (ABI 6+). Unprivileged and cheap; where the kernel lacks Landlock,
`restrict` returns False and the other layers (guards, facades, limits) still hold.
"""

from __future__ import annotations

import ctypes
import os

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_VERSION = 1 << 0  # LANDLOCK_CREATE_RULESET_VERSION
_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_WRITES = sum(1 << b for b in range(4, 13))  # remove dir/file, make char/dir/reg/sock/fifo/block/sym
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
READ = EXECUTE | READ_FILE | READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]  # fmt: skip


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi() -> int:
    """The kernel's Landlock ABI version, 0 if unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        version = libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def restrict(readable: list[str], writable: list[str]) -> bool:
    version = abi()
    if version < 1:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    fs = READ | WRITE_FILE | _WRITES
    if version >= 2:
        fs |= REFER
    if version >= 3:
        fs |= TRUNCATE
    if version >= 5:
        fs |= IOCTL_DEV
    attr = _RulesetAttr(handled_access_fs=fs, handled_access_net=3 if version >= 4 else 0,
                        scoped=3 if version >= 6 else 0)  # fmt: skip
    size = ctypes.sizeof(_RulesetAttr) if version >= 6 else (16 if version >= 4 else 8)
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        for paths, access in ((readable, READ), (writable, fs)):
            for path in paths:
                _allow(libc, ruleset, path, access & fs)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)


def _allow(libc: ctypes.CDLL, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not os.path.isdir(path):
            access &= EXECUTE | READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV
        rule = _PathBeneath(allowed_access=access, parent_fd=fd)
        libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_PATH_BENEATH), ctypes.byref(rule),
                     ctypes.c_uint32(0))  # fmt: skip
    finally:
        os.close(fd)
