"""Assistants: create, list, retrieve, modify, delete."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models import Assistant, Deleted, ListPage
from ..models.common import build_tool
from ..pagination import ListQuery, paginate
from ..validation import validate
from .base import Service, updated
from .tool_resources import ToolResourceResolver

#: Fields copied as they are from a create/modify body onto the assistant.
PLAIN_FIELDS = ("name", "description", "model", "instructions", "metadata", "temperature", "top_p", "response_format")


class Assistants(Service):
    def create(self, body: dict[str, Any]) -> Assistant:
        validate("CreateAssistantRequest", body)
        self.backend.models.check_usable(body["model"])
        fields = self._fields(body)
        fields["tool_resources"] = ToolResourceResolver(self.backend).resolve(body.get("tool_resources"))
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
        if "tool_resources" in body:
            changes["tool_resources"] = ToolResourceResolver(self.backend).resolve(
                body["tool_resources"], current=current.tool_resources
            )
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
