"""The domain: API objects and their rules, driven without HTTP.

emu = Emulator()
api = emu.backend()
asst = api.assistants.create({"model": "gpt-4o", "name": "Helper"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors
from ..runs.state_machine import ACTIVE as ACTIVE_RUN_STATUSES
from ..store import Namespace

if TYPE_CHECKING:
    from ..core import Emulator


class Backend:
    """The services of one namespace (one API key)."""

    def __init__(self, emulator: Emulator, ns: Namespace) -> None:
        self.emulator = emulator
        self.ns = ns
        self.files = Files(self)
        self.assets = Assets(self)
        self.file_search = FileSearch(self)
        self.vector_stores = VectorStores(self)
        self.assistants = Assistants(self)
        self.threads = Threads(self)
        self.messages = Messages(self)
        self.models = Models(self)
        self.runs = Runs(self)
        self.conversations = Conversations(self)
        self.responses = Responses(self)
        self.containers = Containers(self)
        self.agents = Agents(self)

    def active_run(self, thread_id: str) -> Any:
        """The run that keeps a thread busy (queued, in_progress, requires_action, cancelling), if any."""
        runs = self.ns.runs.get(thread_id)
        if runs:
            for run in runs.walk(runs.end - 1, -1):  # only the newest run can be active
                return run if run.status in ACTIVE_RUN_STATUSES else None
        return None

    def guard_thread_idle(self, thread_id: str) -> None:
        run = self.active_run(thread_id)
        if run is not None:
            raise errors.bad_request(f"Can't add messages to {thread_id} while a run {run.id} is active.")


# Imported after Backend so the services can import it; imported at all (not lazily in
# Backend) so that every module is loaded once, even under pytester's in-process runs,
# which drop modules first imported during an inner run.
from .agents import Agents  # noqa: E402
from .assets import Assets  # noqa: E402
from .assistants import Assistants  # noqa: E402
from .containers import Containers  # noqa: E402
from .conversations import Conversations  # noqa: E402
from .file_search import FileSearch  # noqa: E402
from .files import Files  # noqa: E402
from .messages import Messages  # noqa: E402
from .models import Models  # noqa: E402
from .responses import Responses  # noqa: E402
from .runs import Runs  # noqa: E402
from .threads import Threads  # noqa: E402
from .vector_stores import VectorStores  # noqa: E402
