"""Threads: create (with initial messages), retrieve, modify, delete (cascading)."""

from __future__ import annotations

from typing import Any

from ..models import Deleted, ListPage, Thread
from ..pagination import ListQuery, paginate
from ..store import Table
from ..validation import validate
from .base import Service, updated
from .tool_resources import ToolResourceResolver


class Threads(Service):
    def create(self, body: dict[str, Any] | None = None) -> Thread:
        body = {} if body is None else body
        validate("CreateThreadRequest", body)
        messages = body.get("messages") or []
        for n, message in enumerate(messages):
            self.backend.messages.check(message, param=f"messages[{n}]")
        tool_resources = ToolResourceResolver(self.backend).resolve(body.get("tool_resources"), for_thread=True)
        thread = Thread(
            id=self.new_id("thread"),
            created_at=self.now(),
            tool_resources=tool_resources,
            metadata=body.get("metadata") or {},
        )
        self.ns.threads.add(thread.id, thread)
        self.ns.messages[thread.id] = Table()
        self.ns.runs[thread.id] = Table()
        for message in messages:
            self.backend.messages.add(thread.id, message)
        return self.get(thread.id)

    def get(self, thread_id: str) -> Thread:
        return self.find(self.ns.threads, "thread", thread_id)

    def retrieve(self, thread_id: str) -> Thread:
        """The thread as `GET /threads/{id}` shows it: unlike create and modify answers, with its
        tool resources in their stream form (see `ToolResources`)."""
        thread = self.get(thread_id)
        return thread.model_copy(update={"tool_resources": thread.tool_resources.in_stream_form()})

    def list(self, query: ListQuery) -> ListPage:
        """The namespace's threads (Foundry's `GET /threads`; the OpenAI API has no such list)."""
        return paginate(self.ns.threads, query)

    def update(self, thread_id: str, body: dict[str, Any]) -> Thread:
        current = self.get(thread_id)
        validate("ModifyThreadRequest", body)
        changes: dict[str, Any] = {}
        if "metadata" in body:
            changes["metadata"] = body["metadata"] or {}
        if "tool_resources" in body:
            changes["tool_resources"] = ToolResourceResolver(self.backend).resolve(
                body["tool_resources"], current=current.tool_resources, for_thread=True
            )
        return self.ns.threads.replace(thread_id, updated(current, changes))

    def delete(self, thread_id: str) -> Deleted:
        self.get(thread_id)
        self.ns.threads.remove(thread_id)
        self.ns.messages.pop(thread_id, None)
        for run in (self.ns.runs.pop(thread_id, None) or Table()).values():
            self.ns.steps.pop(run.id, None)
            self.ns.run_states.pop(run.id, None)
        self.ns.code_runs.pop(thread_id, None)
        self.ns.code_outputs.pop(thread_id, None)
        self.emulator.sessions.close(thread_id)
        return Deleted(id=thread_id, object="thread.deleted")
