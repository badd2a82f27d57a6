"""Fault injection: runs that fail, and HTTP errors on chosen endpoints, for testing retries.

    emulator.faults.fail_runs(2, code="rate_limit_exceeded")     # the next 2 runs fail
    emulator.faults.fail_runs(1, model="gpt-4o")                  # the next gpt-4o run fails
    emulator.faults.http(429, path=r"/threads/[^/]+/runs$", method="POST", times=1)
    emulator.faults.crash_code(1)                                 # the next code execution's process crashes

Injected HTTP errors carry the real service's bodies and a short `retry-after-ms`, so the
SDK's own retries (2 by default) succeed quickly once the fault is used up.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from . import errors

RUN_ERROR_MESSAGES = {
    "rate_limit_exceeded": "Rate limit reached for requests. Please try again later.",
    "server_error": "Sorry, something went wrong.",
    "invalid_prompt": "Invalid prompt: your prompt was flagged as potentially violating our usage policy.",
}

HTTP_ERRORS = {
    429: ("Rate limit reached for requests. Please try again in 1ms.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request. Sorry about that!", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


@dataclass
class RunFault:
    remaining: int
    code: str
    message: str
    model: str | None = None


@dataclass
class HTTPFault:
    remaining: int
    status: int
    path: re.Pattern[str] | None
    method: str | None


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self._runs: list[RunFault] = []
            self._http: list[HTTPFault] = []
            self._code_crashes = 0

    def fail_runs(self, count: int = 1, *, code: str = "server_error", message: str | None = None,
                  model: str | None = None) -> None:  # fmt: skip
        if code not in RUN_ERROR_MESSAGES:
            raise ValueError(f"code must be one of {sorted(RUN_ERROR_MESSAGES)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._runs.append(RunFault(count, code, message or RUN_ERROR_MESSAGES[code], model))

    def http(self, status: int, *, path: str | None = None, method: str | None = None, times: int = 1) -> None:
        """The next `times` requests matching `method` and `path` (a regex searched in the path
        after `/v1` or `/openai`) are answered with `status`."""
        if status not in HTTP_ERRORS:
            raise ValueError(f"status must be one of {sorted(HTTP_ERRORS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._http.append(
                HTTPFault(times, status, re.compile(path) if path else None, method.upper() if method else None)
            )

    def crash_code(self, count: int = 1) -> None:
        """The next `count` code_interpreter executions crash: their sandbox process gets SIGSEGV
        while running the code, so it dies without answering (as a crash in native code would)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._code_crashes += count

    def take_code_crash(self) -> bool:
        with self._lock:
            if self._code_crashes:
                self._code_crashes -= 1
                return True
        return False

    def take_run_fault(self, model: str) -> RunFault | None:
        """The fault a run of `model` starting now must suffer, if any (used up by one)."""
        with self._lock:
            for fault in self._runs:
                if fault.model in (None, model):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._runs.remove(fault)
                    return fault
        return None

    def take_http_fault(self, method: str, path: str) -> errors.APIError | None:
        with self._lock:
            for fault in self._http:
                if (fault.method in (None, method)) and (fault.path is None or fault.path.search(path)):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._http.remove(fault)
                    message, kind, code = HTTP_ERRORS[fault.status]
                    return errors.APIError(
                        fault.status,
                        message,
                        type=kind,
                        code=code,
                        headers={"retry-after-ms": "1", "x-should-retry": "true"},
                    )
        return None

    def describe(self) -> dict[str, object]:
        with self._lock:
            return {
                "code_crashes": self._code_crashes,
                "runs": [
                    {"remaining": f.remaining, "code": f.code, "message": f.message, "model": f.model}
                    for f in self._runs
                ],
                "http": [
                    {
                        "remaining": f.remaining,
                        "status": f.status,
                        "path": f.path.pattern if f.path else None,
                        "method": f.method,
                    }
                    for f in self._http
                ],
            }
