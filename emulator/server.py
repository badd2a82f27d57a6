"""Serving the app over real HTTP with cheroot, a production-grade threaded WSGI server
(streams responses chunk by chunk, which server-sent events need)."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cheroot import wsgi

log = logging.getLogger("assistants_emulator.requests")


def request_logger(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: one log line per request (method, path, status, milliseconds)."""

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
        log.info(
            "%s %s %s %.1fms",
            environ.get("REQUEST_METHOD"),
            path,
            seen.get("status", "-"),
            (time.perf_counter() - started) * 1000,
        )
        return result

    return logged


class Server:
    """A threaded HTTP server around a WSGI app, on `host:port` (port 0: a free one)."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        host: str = "127.0.0.1",
        port: int = 8000,
        threads: int = 16,
        log_requests: bool = True,
    ) -> None:
        wsgi_app = request_logger(app) if log_requests else app
        self._server = wsgi.Server(
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
        self._thread: threading.Thread | None = None
        self.host = host
        self.requested_port = port

    @property
    def port(self) -> int:
        return self._server.bind_addr[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

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
