"""code_interpreter in the agent-loop core: running the model's code in a sandbox session.

The cell runs in the session named by the front end (a thread's, a container's) with the
emulator's lock let go, so the server keeps answering meanwhile (a cancel of the very run or
response included): the front end's `hold(work)` lets it go and marks its object busy, and
once the cell is done the front end checks that its object is still live (not deleted,
cancelled or reset away) before it writes anything. What the cell gave is an `Execution`; a
cell that could not run is the message its run or response fails with.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from ..sandbox import SandboxUnavailable
from ..sandbox.sessions import Execution, InputFile

#: Why a run (or response) fails whose code_interpreter process died while running its code.
CRASHED = ("The code_interpreter session stopped unexpectedly while running the code (its process crashed or "
           "was killed), so the run could not go on. The thread's next run starts a new session.")  # fmt: skip


def execute(emulator: Any, session: str, code: str, inputs: list[InputFile],
            hold: Callable[[], AbstractContextManager[Any]]) -> Execution | str:  # fmt: skip
    """Run `code` in the session `session` with `inputs` under /mnt/data, inside `hold()` (the
    lock let go): what it gave, or why it could not run."""
    try:
        with hold():
            execution = emulator.sessions.run(session, code, inputs)
    except SandboxUnavailable as exc:
        return str(exc)
    except OSError as exc:  # the host could not stage or collect the session's files (a full disk, ...)
        return f"The code_interpreter session could not run the code: {exc.strerror or exc}."
    if execution.limit == "crash":
        return CRASHED
    return execution
