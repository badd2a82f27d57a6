"""Conversations and their items: create (with up to 20 initial items), retrieve, update
(metadata), delete; items create (a batch), list, retrieve, delete. A response made in a
conversation reads its items first, and its input and output join them when it ends."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models.conversation import Conversation, ConversationDeleted
from ..models.items import ConversationItemList, ConversationItemsAdded
from ..models.response import Response
from ..pagination import ListQuery, paginate
from ..responses import inputs, tools
from ..store import Table
from ..validation import validate
from .base import Service, updated

#: How many items a conversation may be created with, or get in one request (the API's limit).
MAX_ITEMS_PER_REQUEST = 20
#: Statuses after which a response's items join its conversation.
RECORDED = frozenset({"completed", "incomplete"})


class Conversations(Service):
    def create(self, body: dict[str, Any] | None = None) -> Conversation:
        body = body or {}
        validate("CreateConversationBody", body)
        metadata = _metadata(body.get("metadata"))
        items = self._parse(body.get("items") or [], "items")
        conversation = Conversation(id=self.new_id("conversation"), created_at=self.now(), metadata=metadata)
        self.ns.conversations.add(conversation.id, conversation)
        table: Table = Table()
        for item in items:
            table.add(item.id, item)
        self.ns.conversation_items[conversation.id] = table
        return conversation

    def get(self, conversation_id: str) -> Conversation:
        return self.find(self.ns.conversations, "conversation", conversation_id)

    def update(self, conversation_id: str, body: dict[str, Any]) -> Conversation:
        current = self.get(conversation_id)
        validate("UpdateConversationBody", body)
        if "metadata" not in body:
            raise errors.missing_parameter("metadata")
        changed = updated(current, {"metadata": _metadata(body["metadata"])})
        return self.ns.conversations.replace(conversation_id, changed)

    def delete(self, conversation_id: str) -> ConversationDeleted:
        self.get(conversation_id)
        self.ns.conversations.remove(conversation_id)
        self.ns.conversation_items.pop(conversation_id, None)
        return ConversationDeleted(id=conversation_id)

    # --- items --------------------------------------------------------------------------------

    def add_items(self, conversation_id: str, body: dict[str, Any]) -> ConversationItemsAdded:
        """`POST /conversations/{id}/items`: the new items, as a list (oldest first)."""
        self.get(conversation_id)
        validate("CreateConversationItemsRequest", body)
        if not isinstance(body.get("items"), list):
            raise errors.missing_parameter("items")
        items = self._parse(body["items"], "items")
        table = self.ns.conversation_items[conversation_id]
        for item in items:
            table.add(item.id, item)
        return ConversationItemsAdded(data=items, first_id=items[0].id if items else None,
                                      last_id=items[-1].id if items else None)  # fmt: skip

    def list_items(
        self, conversation_id: str, query: ListQuery, *, include: list[str] | None = None, item_type: str | None = None
    ) -> ConversationItemList:
        """`item_type`: only items of that type (Foundry's filter, responses/project_lists.py)."""
        self.get(conversation_id)
        accept = (lambda item: item.type == item_type) if item_type else None
        page = paginate(self.ns.conversation_items[conversation_id], query, accept)
        data = [tools.shown_item(item, include or ()) for item in page.data]
        return ConversationItemList(data=data, first_id=page.first_id, last_id=page.last_id,
                                    has_more=page.has_more)  # fmt: skip

    def get_item(self, conversation_id: str, item_id: str, *, include: list[str] | None = None) -> Any:
        self.get(conversation_id)
        item = self.find(self.ns.conversation_items[conversation_id], "conversation_item", item_id)
        return tools.shown_item(item, include or ())

    def delete_item(self, conversation_id: str, item_id: str) -> Conversation:
        """Deleting an item answers the conversation (azure-ai-projects `test_conversation_items_crud.json`)."""
        self.get_item(conversation_id, item_id)
        self.ns.conversation_items[conversation_id].remove(item_id)
        return self.get(conversation_id)

    # --- what responses use ---------------------------------------------------------------------

    def items_of(self, conversation_id: str, *, through: Response | None = None) -> list[Any]:
        """The conversation's items, oldest first; `through` a response of it: up to its last
        output item (what a response continuing that one with `previous_response_id` reads)."""
        if conversation_id not in self.ns.conversations:
            raise errors.not_found("conversation", conversation_id)
        items = list(self.ns.conversation_items[conversation_id].values())
        if through is not None:
            ids = {item.id for item in through.output}
            last = max((n for n, item in enumerate(items) if item.id in ids), default=None)
            items = items if last is None else items[: last + 1]
        return items

    def record(self, conversation_id: str, given: list[Any], response: Response) -> None:
        """A response in the conversation ended: its input and output items join it."""
        table = self.ns.conversation_items.get(conversation_id)
        if table is None or response.status not in RECORDED:
            return  # deleted meanwhile, or the response failed
        for item in [*given, *response.output]:
            if item.id not in table:
                table.add(item.id, item)

    def find_item(self, item_id: str) -> Any:
        for table in self.ns.conversation_items.values():
            found = table.get(item_id)
            if found is not None:
                return found
        return None

    def _parse(self, raw: Any, param: str) -> list[Any]:
        if not isinstance(raw, list):
            raise errors.invalid_type(param, "an array", type(raw).__name__)
        if len(raw) > MAX_ITEMS_PER_REQUEST:
            raise errors.bad_request(
                f"Invalid '{param}': array too long. Expected an array with maximum length "
                f"{MAX_ITEMS_PER_REQUEST}, but got an array with length {len(raw)} instead.",
                param=param,
                code="array_above_max_length",
            )
        return inputs.parse(raw, self.new_id, self.find_item, param=param)


def _metadata(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise errors.invalid_type("metadata", "an object", type(raw).__name__)
    return raw
