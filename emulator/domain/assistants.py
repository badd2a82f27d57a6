"""Assistants: create, list, retrieve, modify, delete."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models import Assistant, Deleted, ListPage
from ..models.common import CodeInterpreterResources, FileSearchResources, ToolResources, build_tool
from ..pagination import ListQuery, paginate
from ..validation import validate
from .base import Service, updated
from .tool_resources import ToolResourceResolver

#: Fields copied as they are from a create/modify body onto the assistant.
PLAIN_FIELDS = (
    "name", "description", "model", "instructions", "metadata", "temperature", "top_p", "reasoning_effort",
    "response_format",
)  # fmt: skip


class Assistants(Service):
    def create(self, body: dict[str, Any]) -> Assistant:
        validate("CreateAssistantRequest", body)
        self.backend.models.check_usable(body["model"])
        fields = self._fields(body)
        resources = ToolResourceResolver(self.backend).resolve(body.get("tool_resources"))
        fields["tool_resources"] = with_slots(resources, fields.get("tools") or [])
        fields.setdefault("metadata", {})
        assistant = Assistant(id=self.new_id("assistant"), created_at=self.now(), **fields)
        return self.ns.assistants.add(assistant.id, assistant)

    def list(self, query: ListQuery) -> ListPage:
        return paginate(self.ns.assistants, query)

    def get(self, assistant_id: str) -> Assistant:
        return self.find(self.ns.assistants, "assistant", assistant_id)

    def update(self, assistant_id: str, body: dict[str, Any]) -> Assistant:
        current = self.get(assistant_id)
        validate("ModifyAssistantRequest", body)
        if "model" in body:
            self.backend.models.check_usable(body["model"])
        changes = self._fields(body)
        resources = current.tool_resources
        if "tool_resources" in body:
            resources = ToolResourceResolver(self.backend).resolve(body["tool_resources"], current=resources)
        if "tool_resources" in body or "tools" in body:
            changes["tool_resources"] = with_slots(resources, changes.get("tools", current.tools))
        return self.ns.assistants.replace(assistant_id, updated(current, changes))

    def delete(self, assistant_id: str) -> Deleted:
        self.get(assistant_id)
        self.ns.assistants.remove(assistant_id)
        return Deleted(id=assistant_id, object="assistant.deleted")

    @staticmethod
    def _fields(body: dict[str, Any]) -> dict[str, Any]:
        fields = {k: body[k] for k in PLAIN_FIELDS if k in body}
        if fields.get("metadata", ...) is None:
            fields["metadata"] = {}
        if "tools" in body:
            fields["tools"] = [build_tool(t) for t in body["tools"] or []]
        if fields.get("response_format", ...) is None:
            fields["response_format"] = "auto"
        if "model" in fields and fields["model"] is None:
            raise errors.invalid_type("model", "a string", "null")
        return fields


def with_slots(resources: ToolResources, tools: list[Any]) -> ToolResources:
    """The real service shows an empty slot for each tool that has none (`code_interpreter:
    {file_ids: []}`, `file_search: {vector_store_ids: []}`), and drops the empty slot of a tool
    the assistant no longer has (SDK printouts of real answers; the spec's modifyAssistant example)."""
    kinds = {tool.type for tool in tools}
    changes: dict[str, Any] = {}
    for kind, empty in (("code_interpreter", CodeInterpreterResources()), ("file_search", FileSearchResources())):
        slot = getattr(resources, kind)
        if slot is None and kind in kinds:
            changes[kind] = empty
        elif slot is not None and kind not in kinds and slot == empty:
            changes[kind] = None
    return resources.model_copy(update=changes) if changes else resources
