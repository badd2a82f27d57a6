"""The server's side of the sandbox: starts the zygote once per server process, asks it for
session processes and runs cells in them with a wall-time limit.

Nothing here runs model-written code: it only sends code to a session process and reads
JSON back. A session that overruns its wall time is killed (through a pidfd, so a recycled
pid is never hit); one that dies (a crash, a kill) is reported as such, and the server goes on.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import optional
from .protocol import ChannelClosed, receive, send


@dataclass(frozen=True)
class SandboxLimits:
    """Limits of one code_interpreter execution and session (CLI: `serve --sandbox-...`)."""

    #: CPU seconds per execution (SIGXCPU stops the code; the session survives).
    cpu_seconds: int = 30
    #: Wall seconds per execution (the session process is killed; its variables are lost).
    wall_seconds: float = 60
    #: Memory the code may allocate, in MiB, above what the pre-imported libraries use.
    memory_mb: int = 1024
    #: Files under /mnt/data, and their total size; the largest single file.
    max_files: int = 100
    max_total_bytes: int = 256 * 1024 * 1024
    max_file_bytes: int = 64 * 1024 * 1024
    #: Characters of output kept per execution (the rest is cut with a note).
    max_output_chars: int = 20_000
    #: A thread's session ends after this many idle seconds on the emulator's clock.
    session_idle_seconds: int = 3600
    #: Restrict session processes with Landlock where the kernel has it.
    landlock: bool = True

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "wall_seconds", "memory_mb", "max_files", "max_total_bytes", "max_file_bytes",
                     "max_output_chars", "session_idle_seconds"):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"sandbox limit {name} must be a positive number, not {value!r}")


@dataclass
class CellOutput:
    logs: str
    images: list[bytes]
    error: str | None  # exception type name, if the cell failed
    limit: str | None = None  # "cpu" | "wall" | "crash" when a limit ended it


class SandboxUnavailable(RuntimeError):
    """The sandbox could not be started (reported as the run's server_error)."""


class SessionProcess:
    """One live interpreter session (a forked process) and the channel to it."""

    def __init__(self, sock: socket.socket, pid: int, root: str) -> None:
        self.sock = sock
        self.pid = pid
        self.root = root
        self.pidfd: int | None = None
        with contextlib.suppress(OSError, AttributeError):
            self.pidfd = os.pidfd_open(pid)
        self.alive = True
        self.landlock = False

    def wait_ready(self, timeout: float) -> None:
        self.sock.settimeout(timeout)
        message, _ = receive(self.sock)
        self.landlock = bool(message.get("landlock"))

    def run(self, code: str, limits: SandboxLimits, *, crash: bool = False) -> CellOutput:
        """Run a cell. `crash` (fault injection): the process gets SIGSEGV once it has the cell."""
        self.sock.settimeout(limits.wall_seconds)
        try:
            if crash and self.pidfd is not None:  # before the cell is sent: it can never answer
                signal.pidfd_send_signal(self.pidfd, signal.SIGSEGV)
            send(self.sock, {"op": "exec", "code": code})
            reply, _ = receive(self.sock)
        except TimeoutError:
            self.kill()
            return CellOutput(
                logs=f"TimeoutError: the execution took longer than {limits.wall_seconds:g} s and was stopped; "
                "the interpreter was restarted, so its variables are gone\n",
                images=[], error="TimeoutError", limit="wall",
            )  # fmt: skip
        except (ChannelClosed, OSError, ValueError):
            self.kill()
            return CellOutput(
                logs="RuntimeError: the interpreter stopped unexpectedly (a limit was hit or it crashed); "
                "it was restarted, so its variables are gone\n",
                images=[], error="RuntimeError", limit="crash",
            )  # fmt: skip
        images = [base64.b64decode(data) for data in reply.get("images", [])]
        return CellOutput(logs=str(reply.get("logs", "")), images=images, error=reply.get("error"),
                          limit=reply.get("limit"))  # fmt: skip

    def kill(self) -> None:
        if not self.alive:
            return
        self.alive = False
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None
        with contextlib.suppress(OSError):
            self.sock.close()

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)


class SandboxHost:
    """The zygote of this server process; shared by every emulator in it (see `host()`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self.base = tempfile.mkdtemp(prefix="assistants-emulator-sandbox-")
        self._mplconfig = os.path.join(tempfile.gettempdir(), "assistants-emulator-mplconfig")
        self._counter = 0
        atexit.register(self.shutdown)

    def _start(self) -> None:
        try:
            optional.require("code_interpreter")
        except optional.MissingPackages as exc:
            raise SandboxUnavailable(str(exc)) from None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env.update(
            OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", NUMEXPR_NUM_THREADS="1",
            MPLBACKEND="Agg", MPLCONFIGDIR=self._mplconfig, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
            PYTHONPATH=os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p),
        )  # fmt: skip
        os.makedirs(self._mplconfig, exist_ok=True)
        command = [sys.executable, "-P", "-c", "import sys; from emulator.sandbox.zygote import main; "
                   "main(int(sys.argv[1]))", str(theirs.fileno())]  # fmt: skip
        log = os.path.join(self.base, "zygote.log")
        with open(log, "wb") as stderr:
            self._process = subprocess.Popen(
                command, pass_fds=(theirs.fileno(),), env=env, cwd=self.base,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        theirs.close()
        ours.settimeout(120)
        try:
            receive(ours)
        except (ChannelClosed, OSError) as exc:
            with contextlib.suppress(Exception):
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
            detail = Path(log).read_text(errors="replace")[-2000:]
            raise SandboxUnavailable(f"the code_interpreter sandbox did not start: {detail}") from exc
        ours.settimeout(None)
        self._control = ours

    def spawn(self, seed: str, limits: SandboxLimits) -> SessionProcess:
        """A new session process with its own empty directory (shown as /mnt/data)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            self._counter += 1
            root = os.path.join(self.base, f"session-{os.getpid()}-{self._counter}")
            os.makedirs(root)
            spec = {"op": "spawn", "root": root, "seed": seed, "limits": asdict(limits)}
            try:
                assert self._control is not None
                send(self._control, spec)
                self._control.settimeout(30)
                reply, fds = receive(self._control, with_fds=True)
            except (ChannelClosed, OSError) as exc:
                self._stop()
                raise SandboxUnavailable(f"the code_interpreter sandbox failed: {exc}") from exc
        if not fds:
            raise SandboxUnavailable(f"the code_interpreter sandbox refused a session: {reply}")
        session = SessionProcess(socket.socket(fileno=fds[0]), int(reply["pid"]), root)
        try:
            session.wait_ready(30)
        except (ChannelClosed, OSError) as exc:
            session.close()
            raise SandboxUnavailable("a code_interpreter session did not start") from exc
        return session

    def _stop(self) -> None:
        if self._control is not None:
            with contextlib.suppress(OSError):
                self._control.close()
            self._control = None
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()
            with contextlib.suppress(Exception):
                self._process.wait(timeout=5)
            self._process = None

    def shutdown(self) -> None:
        with self._lock:
            self._stop()
        shutil.rmtree(self.base, ignore_errors=True)


_HOST: SandboxHost | None = None
_HOST_LOCK = threading.Lock()


def host() -> SandboxHost:
    """The process-wide sandbox host, started on first use."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = SandboxHost()
        return _HOST
