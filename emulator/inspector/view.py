"""The inspector's JSON: one tenant's objects as the page shows them, built from the store.

    view = inspect(emulator, key="sk-1")   # {"emulator": {...}, "assistants": [...], "threads": [...], ...}

Read-only: nothing here moves a run, expires a file or makes a namespace. A run shows where
the store has it (runs move when the API is called, as with the real service's polling); the
page is a window on the store, not a client. Objects are API objects (`to_json()`), each
with what the page adds under its own names: a thread's `messages` and `runs`, a run's
`timeline` and `steps`, a text part's `segments` and `footnotes`, a vector store's `files`;
a conversation's `items` and `responses`, a response's `input_items`, `chain` and
`continued_by` (chats.py); a new Foundry agent's `versions`.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from .. import __version__, errors, wire
from ..domain.files import CONTENT_TYPES, NOT_DOWNLOADABLE, extension
from ..runs.state_machine import ACTIVE
from ..store import Namespace, Table
from .chats import conversations_view, responses_view
from .text import segments
from .timeline import run_timeline

if TYPE_CHECKING:
    from ..core import Emulator


def tenant_of(emulator: Emulator, key: str | None) -> tuple[str, str | None]:
    """The namespace a key sees, and the key shown: without configured keys every key sees
    the one shared store; with them, no key means the first one, and an unknown key is a 401."""
    keys = emulator.config.api_keys
    if not keys:
        return emulator.tenant_for(key), None
    key = key or keys[0]
    tenant = emulator.tenant_for(key)
    if tenant is None:
        raise errors.APIError(401, f"The inspector knows no API key {key!r}: pick one of the configured keys.")
    return tenant, key


def inspect(emulator: Emulator, key: str | None = None) -> dict[str, Any]:
    """Everything one key sees (see the module's docstring)."""
    tenant, shown = tenant_of(emulator, key)
    with emulator.lock:
        ns = emulator.existing_namespace(tenant) or Namespace()
        threads = [thread_view(ns, thread) for thread in ns.threads.values()]
        responses = responses_view(ns)
        return {
            "emulator": about(emulator, shown, threads, responses),
            "assistants": [assistant.to_json() for assistant in ns.assistants.values()],
            "threads": threads,
            "files": [file_view(file) for file in ns.files.values()],
            "vector_stores": [store_view(ns, store) for store in ns.vector_stores.values()],
            "conversations": conversations_view(ns),
            "responses": responses,
            "agents": [agent_view(ns, record) for record in ns.agents.values()],
        }


def about(
    emulator: Emulator, key: str | None, threads: list[dict[str, Any]], responses: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "version": __version__,
        "time": emulator.clock.now(),
        "clock": emulator.clock.kind,
        "seed": emulator.config.seed,
        "keys": list(emulator.config.api_keys) or None,
        "key": key,
        "faults": emulator.faults.describe(),
        "active_runs": sum(run["status"] in ACTIVE for thread in threads for run in thread["runs"]),
        "active_responses": sum(r["status"] in ("queued", "in_progress") for r in responses),
    }


def _values(tables: dict[str, Table], parent: str) -> list[Any]:
    table = tables.get(parent)
    return list(table.values()) if table is not None else []


def thread_view(ns: Namespace, thread: Any) -> dict[str, Any]:
    return {
        **thread.to_json(),
        "messages": [message_view(message) for message in _values(ns.messages, thread.id)],
        "runs": [run_view(ns, run) for run in _values(ns.runs, thread.id)],
    }


def message_view(message: Any) -> dict[str, Any]:
    with wire.reading(None, stream=True):  # with its status, as stream events show it (REST answers do not)
        view = message.to_json()
    for part in view["content"]:
        if part["type"] == "text":
            part["segments"], part["footnotes"] = segments(part["text"]["value"], part["text"]["annotations"])
    return view


def run_view(ns: Namespace, run: Any) -> dict[str, Any]:
    steps = _values(ns.steps, run.id)
    state = ns.run_states.get(run.id)
    return {
        **run.to_json(),
        "timeline": run_timeline(run, steps),
        "steps": [step.to_json() for step in steps],
        # how it moves (immediate, reads:N, seconds:S), and whether code is running right now
        "progression": str(state.policy) if state is not None and run.status in ACTIVE else None,
        "executing": bool(state is not None and state.executing),
    }


def mime_of(filename: str) -> str:
    return CONTENT_TYPES.get(extension(filename)) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def file_view(file: Any) -> dict[str, Any]:
    # the API refuses to download some purposes; the inspector shows every file's bytes
    return {**file.to_json(), "mime": mime_of(file.filename), "api_downloadable": file.purpose not in NOT_DOWNLOADABLE}


def store_view(ns: Namespace, store: Any) -> dict[str, Any]:
    names = {file.id: file.filename for file in ns.files.values()}
    return {
        **store.to_json(),
        "files": [{**vsf.to_json(), "filename": names.get(vsf.id)} for vsf in _values(ns.vector_store_files, store.id)],
        "batches": [batch.to_json() for batch in _values(ns.file_batches, store.id)],
    }


def agent_view(ns: Namespace, record: Any) -> dict[str, Any]:
    """A new Foundry agent (domain/agents.py) with every version it has, oldest first."""
    return {**record.to_json(), "versions": [v.to_json() for v in _values(ns.agent_versions, record.name)]}


def file_content(emulator: Emulator, file_id: str, key: str | None = None) -> tuple[Any, bytes, str]:
    """A file of the key's namespace, its bytes and content type (404 if it has none)."""
    tenant, _ = tenant_of(emulator, key)
    with emulator.lock:
        ns = emulator.existing_namespace(tenant)
        file = ns.files.get(file_id) if ns is not None else None
        if file is None or file_id not in ns.file_contents:
            raise errors.not_found("file", file_id)
        return file, ns.file_contents[file_id], mime_of(file.filename)
