"""Messages of a thread: create, list (with `run_id` filter), retrieve, modify, delete."""

from __future__ import annotations

from typing import Any

from ..models import Deleted, ListPage, Message
from ..models.message import ImageFile, ImageFileContent, ImageURL, ImageURLContent, Text, TextContent
from ..pagination import ListQuery, paginate
from ..validation import validate
from .base import Service, updated
from .tool_resources import THREAD_STORE_EXPIRY


class Messages(Service):
    def create(self, thread_id: str, body: dict[str, Any]) -> Message:
        self.backend.threads.get(thread_id)
        self.check(body)
        self.backend.runs.settle(thread_id)
        self.backend.guard_thread_idle(thread_id)
        return self.add(thread_id, body)

    def check(self, body: dict[str, Any], *, param: str = "") -> None:
        """Validate a create-message body (also used for a thread's initial messages)."""
        validate("CreateMessageRequest", body, prefix=param)
        where = f"{param}." if param else ""
        content = body["content"]
        files = self.backend.files
        if isinstance(content, list):
            for n, part in enumerate(content):
                if part["type"] == "image_file":
                    files.require(part["image_file"]["file_id"], f"{where}content[{n}].image_file.file_id")
        for n, attachment in enumerate(body.get("attachments") or []):
            files.require(attachment["file_id"], f"{where}attachments[{n}].file_id")

    def add(
        self, thread_id: str, body: dict[str, Any], *, assistant_id: str | None = None, run_id: str | None = None
    ) -> Message:
        """Store a checked message body on a thread."""
        attachments = body.get("attachments") or []
        # the fallible part first: a message is stored only once its attachments are in place
        self._attach_for_file_search(thread_id, attachments)
        message = Message(
            id=self.new_id("message"),
            created_at=self.now(),
            thread_id=thread_id,
            role=body["role"],
            content=_content(body["content"]),
            attachments=attachments,
            metadata=body.get("metadata") or {},
            assistant_id=assistant_id,
            run_id=run_id,
            completed_at=self.now(),
        )
        return self.ns.messages[thread_id].add(message.id, message)

    def _attach_for_file_search(self, thread_id: str, attachments: list[dict[str, Any]]) -> None:
        """Attachments with the file_search tool go into the thread's own vector store, which the
        real service creates on first use (and names in the thread's tool_resources)."""
        file_ids = [a["file_id"] for a in attachments if any(t["type"] == "file_search" for t in a.get("tools", []))]
        if not file_ids:
            return
        thread = self.backend.threads.get(thread_id)
        resources = thread.tool_resources
        store_ids = resources.file_search.vector_store_ids if resources.file_search else []
        stores = self.backend.vector_stores
        if store_ids and store_ids[0] in self.ns.vector_stores:
            stores.usable(store_ids[0], param="attachments")
            for fid in file_ids:
                stores.add_file(store_ids[0], {"file_id": fid})
            return
        store = stores.create({"file_ids": file_ids, "expires_after": THREAD_STORE_EXPIRY})
        self.backend.threads.update(thread_id, {"tool_resources": {"file_search": {"vector_store_ids": [store.id]}}})

    def list(self, thread_id: str, query: ListQuery, *, run_id: str | None = None) -> ListPage:
        self.backend.threads.get(thread_id)
        self.backend.runs.settle(thread_id)
        accept = (lambda m: m.run_id == run_id) if run_id else None
        return paginate(self.ns.messages[thread_id], query, accept)

    def get(self, thread_id: str, message_id: str) -> Message:
        self.backend.threads.get(thread_id)
        self.backend.runs.settle(thread_id)
        return self.find(self.ns.messages[thread_id], "message", message_id)

    def update(self, thread_id: str, message_id: str, body: dict[str, Any]) -> Message:
        current = self.get(thread_id, message_id)
        validate("ModifyMessageRequest", body)
        changes = {"metadata": body["metadata"] or {}} if "metadata" in body else {}
        return self.ns.messages[thread_id].replace(message_id, updated(current, changes))

    def delete(self, thread_id: str, message_id: str) -> Deleted:
        self.get(thread_id, message_id)
        self.ns.messages[thread_id].remove(message_id)
        return Deleted(id=message_id, object="thread.message.deleted")


def _content(raw: str | list[dict[str, Any]]) -> list[Any]:
    """Request content (a string or parts) as the content blocks the service returns."""
    if isinstance(raw, str):
        return [TextContent(text=Text(value=raw))]
    parts: list[Any] = []
    for part in raw:
        if part["type"] == "text":
            parts.append(TextContent(text=Text(value=part["text"])))
        elif part["type"] == "image_file":
            parts.append(ImageFileContent(image_file=ImageFile(**part["image_file"])))
        else:
            parts.append(ImageURLContent(image_url=ImageURL(**part["image_url"])))
    return parts
