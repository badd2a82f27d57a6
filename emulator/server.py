"""Serving the app over real HTTP with cheroot, a production-grade threaded WSGI server
(streams responses chunk by chunk, which server-sent events need)."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from cheroot import wsgi

from .activity import RUN_MOVES

if TYPE_CHECKING:
    from .tls import TLSFiles

log = logging.getLogger("assistants_emulator.requests")


COLORS = {"2": "\033[32m", "3": "\033[36m", "4": "\033[33m", "5": "\033[31m"}
RESET = "\033[0m"


class Connection(wsgi.server.HTTPConnection):
    """cheroot's connection, which also closes its writer when it closes. A response the client
    hung up on leaves unsent bytes in cheroot's writer; left to the garbage collector, the writer
    flushed them into a socket already closed: an `OSError: Bad file descriptor` that Python 3.13
    reports ("Exception ignored in IOBase.__del__"; earlier versions only under -X dev). Closed
    here, after cheroot's shutdown, the flush fails at once and the bytes are dropped."""

    def close(self) -> None:
        super().close()
        if not self.linger:  # lingering, cheroot keeps the socket open for the client to read
            with contextlib.suppress(OSError):
                self.wfile.close()


class WSGIServer(wsgi.Server):
    ConnectionClass = Connection


class RequestEntry(dict):  # type: ignore[type-arg]
    """One request, as logged: method, path, status, ms, and `runs` (id -> new status) if any.
    Its text is the plain log line; `ConsoleFormatter` colours it or writes it as JSON."""

    def text(self, color: bool = False) -> str:
        status = str(self["status"])
        if color and status[:1] in COLORS:
            status = f"{COLORS[status[:1]]}{status}{RESET}"
        line = f"{self['method']} {self['path']} {status} {self['ms']:.1f}ms"
        runs = " ".join(f"{run}→{moved}" for run, moved in self.get("runs", {}).items())
        return f"{line} {runs}" if runs else line

    def __str__(self) -> str:
        return self.text()


class ConsoleFormatter(logging.Formatter):
    """The serve command's console: `time message` lines (request statuses coloured on a
    terminal), or one JSON object per line (`--log-format json`)."""

    def __init__(self, *, as_json: bool = False, color: bool = False) -> None:
        super().__init__("%(asctime)s %(message)s")
        self.as_json, self.color = as_json, color

    def format(self, record: logging.LogRecord) -> str:
        entry = record.msg if isinstance(record.msg, RequestEntry) else None
        if self.as_json:
            fields = dict(entry) if entry is not None else {"message": record.getMessage()}
            when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            return json.dumps({"time": f"{when}.{int(record.msecs):03d}Z", "logger": record.name, **fields})
        if entry is not None and self.color:
            return f"{self.formatTime(record)} {entry.text(color=True)}"
        return super().format(record)


def request_logger(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: one log line per request (method, path, status, milliseconds, and the
    runs it moved with their new status: `POST /v1/threads/t/runs 200 3.1ms run_x→queued`)."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, str] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        result = app(environ, capture)
        path = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        status = seen.get("status", "-")
        entry = RequestEntry(method=environ.get("REQUEST_METHOD"), path=path,
                             status=int(status) if status.isdigit() else status,
                             ms=round((time.perf_counter() - started) * 1000, 1))  # fmt: skip
        if environ.get(RUN_MOVES):
            entry["runs"] = environ[RUN_MOVES]
        log.info(entry)
        return result

    return logged


class Server:
    """A threaded HTTP server around a WSGI app, on `host:port` (port 0: a free one); https
    with `tls` (emulator.tls: a made certificate or the user's own)."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        host: str = "127.0.0.1",
        port: int = 8000,
        threads: int = 16,
        log_requests: bool = True,
        tls: TLSFiles | None = None,
    ) -> None:
        wsgi_app = request_logger(app) if log_requests else app
        self._server = WSGIServer(
            (host, port),
            wsgi_app,
            numthreads=threads,
            server_name="assistants-emulator",
            # cheroot's default backlog of 5 resets connections under a burst of clients
            request_queue_size=socket.SOMAXCONN,
            shutdown_timeout=2,  # then idle keep-alive connections are closed by force
            # a client that stops sending mid-request frees its worker thread after this many seconds
            timeout=10,
        )
        if tls is not None:
            self._server.ssl_adapter = tls.ssl_adapter()
        self.tls = tls
        self._thread: threading.Thread | None = None
        self.host = host
        self.requested_port = port

    @property
    def port(self) -> int:
        return self._server.bind_addr[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def bind(self) -> Server:
        """Open the listening socket (raises OSError if the address is taken)."""
        self._server.prepare()
        return self

    def serve(self) -> None:
        """Serve in this thread until Ctrl-C or `stop()`, then close cleanly."""
        try:
            self._server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def start_in_thread(self) -> Server:
        self.bind()  # so `port` is known when this returns
        self._thread = threading.Thread(target=self._server.serve, name="assistants-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end the worker threads (safe to call more than once, and before
        `serve()`). A second Ctrl-C during the (bounded) shutdown is ignored: interrupted
        half-way, the shutdown would leave worker threads that keep the process alive."""
        with _sigint_ignored():
            self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)


def run_in_foreground(server: Server, banner: Callable[[], str]) -> int:
    """Bind, print the banner, serve until Ctrl-C or SIGTERM, stop: the commands' main loop.
    Returns 1 if the address cannot be bound, else 0. Once bound, the server has worker
    threads that keep the process alive until it is stopped: a Ctrl-C at any moment from
    here on (even while the banner is printed) must end in `stop()`, or the process would hang."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        try:
            server.bind()
        except OSError as exc:
            print(f"assistants-emulator: cannot listen on {server.host}:{server.requested_port}: {exc}",
                  file=sys.stderr)  # fmt: skip
            return 1
        print(banner(), flush=True)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
