"""The sandbox's pre-imported parent ("zygote") and its session processes.

The server starts this module once, as a fresh single-threaded interpreter
(`python -P -c ...`, so no server thread is ever forked). It imports numpy, pandas and
matplotlib (Agg), draws one figure to warm the caches, then waits on its control socket.
Each `spawn` forks a session process (a copy-on-write clone: no import cost) that:
- dies with the zygote (PR_SET_PDEATHSIG) and when the server closes its socket;
- sends its socket to the server (SCM_RIGHTS), so the server talks to it directly;
- limits itself (address space, file size, open files; CPU time per cell), restricts itself
  with Landlock where the kernel has it, then runs cells until told to stop.
Wall time is enforced from outside: the server kills a session that overruns.
"""

from __future__ import annotations

import base64
import ctypes
import errno
import math
import os
import resource
import signal
import socket
import sys
import tempfile
from typing import Any

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def warm() -> None:
    """Import and exercise everything a cell is likely to use, once, before any fork."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy
    import pandas
    from RestrictedPython import compile_restricted_exec

    from . import runner  # noqa: F401 - imported for the forks

    fig, ax = plt.subplots()
    ax.plot(numpy.linspace(0, 1, 5), numpy.sin(numpy.linspace(0, 1, 5)), label="warm")
    ax.set_title("warm")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png")
    plt.close("all")
    pandas.DataFrame({"a": [1, 2]}).describe().to_csv(io.StringIO())
    import mimetypes

    mimetypes.init()  # reads /etc/mime.types now: Landlock hides /etc from sessions
    try:  # xlsx support (openpyxl), loaded before the forks
        buffer = io.BytesIO()
        pandas.DataFrame({"a": [1]}).to_excel(buffer, index=False)
        pandas.read_excel(io.BytesIO(buffer.getvalue()))
    except ImportError:
        pass
    compile_restricted_exec("x = [i for i in range(3)]")
    from .libraries import harden_libraries

    harden_libraries()  # once, here: every session inherits it (about 100 ms a session otherwise)


def main(control_fd: int) -> None:
    from .protocol import ChannelClosed, receive, send

    _die_with_parent()
    control = socket.socket(fileno=control_fd)
    warm()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # sessions are reaped by the kernel
    send(control, {"ready": True, "pid": os.getpid()})
    while True:
        try:
            message, _ = receive(control)
        except ChannelClosed:
            os._exit(0)
        if message.get("op") != "spawn":
            send(control, {"error": f"unknown op {message.get('op')!r}"})
            continue
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            control.close()
            theirs.close()
            try:
                _session(ours, message)
            finally:
                os._exit(0)
        ours.close()
        send(control, {"pid": pid}, fds=[theirs.fileno()])
        theirs.close()


def _limit(kind: int, value: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    if value == resource.RLIM_INFINITY:
        value = hard
    elif hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(kind, (value, hard))
    except (ValueError, OSError):
        pass


def _virtual_size() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _readable_roots() -> list[str]:
    import matplotlib

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64", "/dev/null", "/dev/urandom",
             matplotlib.get_configdir(), matplotlib.get_cachedir()}  # fmt: skip
    roots.update(p for p in sys.path if p and os.path.isdir(p))
    return sorted(roots)


#: Audit events a session process refuses: running programs, the network, native code, links
#: (a hard link would put a host file in the session's directory), and unpickling globals.
_REFUSED_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.kill", "os.killpg", "signal.pthread_kill", "os.link", "os.symlink", "pickle.find_class",
    "webbrowser.open", "sys.addaudithook",
})  # fmt: skip
_REFUSED_PREFIXES = ("socket.", "ctypes.")
#: Audit events that change the file system, and how many of their arguments are paths.
_WRITE_EVENTS = {"os.remove": 1, "os.rename": 2, "os.mkdir": 1, "os.rmdir": 1, "os.truncate": 1, "os.chmod": 1,
                 "os.chown": 1, "os.utime": 1, "os.chdir": 1, "shutil.rmtree": 1}  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _audit_policy(data_dir: Any, readable: list[str]) -> Any:
    """Landlock's rules again, as a Python audit hook, so that they hold on kernels without it:
    every file a library opens (not only the paths the facades wrap: `FontProperties(fname=...)`,
    `Timestamp(tz="dateutil//etc/passwd")`, `type(f.buffer.raw)("/etc/passwd")`, a memmap's class,
    a ZipFile's `write`) is read only under `readable` and written only in the session's
    directory, within its quota; programs, sockets, ctypes and unpickled globals are refused."""
    root = data_dir.root
    readable_roots = (*readable, root)

    def inside(path: Any, roots: tuple[str, ...]) -> bool:
        real = os.path.realpath(os.fsdecode(path))
        return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)

    def refuse(event: str, path: Any = None) -> None:
        shown = data_dir.shown(os.path.realpath(os.fsdecode(path))) if path is not None else ""
        raise PermissionError(errno.EACCES, f"{event} is not allowed in the sandbox", shown or None)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            if path is None or isinstance(path, int):  # an fd the process already has
                return
            writing = bool(flags & _WRITE_FLAGS) if isinstance(flags, int) else any(c in (mode or "") for c in "wax+")
            if not inside(path, (root,) if writing else readable_roots):
                refuse("opening this file", path)
            if writing and flags & os.O_CREAT and not os.path.exists(path):
                data_dir.check_room()
        elif event in ("os.listdir", "os.scandir"):
            if args and isinstance(args[0], (str, bytes)) and not inside(args[0], readable_roots):
                refuse("listing this folder", args[0])
        elif event in _WRITE_EVENTS:
            for path in args[: _WRITE_EVENTS[event]]:
                if isinstance(path, (str, bytes)) and not inside(path, (root,)):
                    refuse(event, path)
        elif event in _REFUSED_EVENTS or event.startswith(_REFUSED_PREFIXES):
            refuse(event)

    return hook


def _session(sock: socket.socket, spec: dict[str, Any]) -> None:
    from .paths import Quota
    from .protocol import ChannelClosed, receive, send
    from .runner import LimitExceeded, Session

    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    root = spec["root"]
    limits = spec["limits"]
    os.chdir(root)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    _limit(resource.RLIMIT_AS, _virtual_size() + int(limits["memory_mb"]) * 1024 * 1024)
    _limit(resource.RLIMIT_FSIZE, int(limits["max_file_bytes"]))
    _limit(resource.RLIMIT_NOFILE, 256)
    landlocked = False
    if limits.get("landlock", True):
        from . import landlock

        landlocked = landlock.restrict(_readable_roots(), [root])

    def on_cpu_limit(signum: int, frame: Any) -> None:
        raise LimitExceeded()

    signal.signal(signal.SIGXCPU, on_cpu_limit)
    # Library temporary files (openpyxl writes one per workbook) go to the session's directory.
    tempfile.tempdir = os.environ["TMPDIR"] = root
    quota = Quota(max_files=int(limits["max_files"]), max_total_bytes=int(limits["max_total_bytes"]))
    session = Session(root, seed=spec["seed"], max_output=int(limits["max_output_chars"]), quota=quota)
    sys.addaudithook(_audit_policy(session.data_dir, _readable_roots()))
    send(sock, {"ready": True, "landlock": landlocked})
    cpu = int(limits["cpu_seconds"])
    while True:
        try:
            message, _ = receive(sock)
        except ChannelClosed:
            return
        if message.get("op") != "exec":
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        _limit(resource.RLIMIT_CPU, math.ceil(used.ru_utime + used.ru_stime) + cpu)  # never less than cpu_seconds
        try:
            result = session.run(message["code"])
            reply = {"logs": result.logs, "error": result.error, "limit": None,
                     "images": [base64.b64encode(png).decode() for png in result.images]}  # fmt: skip
        except LimitExceeded:
            logs = session.scrub(session.guards.output.text())
            logs += f"TimeoutError: the execution used more than {cpu} s of CPU time and was stopped\n"
            reply = {"logs": logs, "error": "TimeoutError", "limit": "cpu", "images": []}
        _limit(resource.RLIMIT_CPU, resource.RLIM_INFINITY)
        send(sock, reply)


if __name__ == "__main__":  # pragma: no cover - started by host.py
    main(int(sys.argv[1]))
