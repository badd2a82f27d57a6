"""A namespace as plain JSON, for the admin API's state dump."""

from __future__ import annotations

from typing import Any

from ..store import Namespace, Table


def _all(table: Table) -> list[dict[str, Any]]:
    return [obj.to_json() for obj in table.values()]


def dump_namespace(ns: Namespace) -> dict[str, Any]:
    return {
        "counts": ns.counts(),
        "assistants": _all(ns.assistants),
        "threads": _all(ns.threads),
        "messages": {tid: _all(t) for tid, t in ns.messages.items()},
        "runs": {tid: _all(t) for tid, t in ns.runs.items()},
        "steps": {rid: _all(t) for rid, t in ns.steps.items()},
        "files": _all(ns.files),
        "vector_stores": _all(ns.vector_stores),
        "vector_store_files": {vid: _all(t) for vid, t in ns.vector_store_files.items()},
        "file_batches": {vid: _all(t) for vid, t in ns.file_batches.items()},
        "responses": _all(ns.responses),
        "response_input_items": {rid: _all(t) for rid, t in ns.response_inputs.items()},
        "conversations": _all(ns.conversations),
        "conversation_items": {cid: _all(t) for cid, t in ns.conversation_items.items()},
        "containers": _all(ns.containers),
        "container_files": {cid: _all(t) for cid, t in ns.container_files.items()},
        "agents": _all(ns.agents),
        "agent_versions": {name: _all(t) for name, t in ns.agent_versions.items()},
    }
