"""/conversations and their items."""

from typing import Any

from .. import project
from ..responses import agents
from ._http import Call, Routes

routes = Routes()
CONVERSATION = "/conversations/<conversation_id>"


@routes.post("/conversations")
def create_conversation(call: Call):
    return call.api.conversations.create(call.json())


@routes.get(CONVERSATION)
def get_conversation(call: Call, conversation_id: str):
    return call.api.conversations.get(conversation_id)


@routes.post(CONVERSATION)
def update_conversation(call: Call, conversation_id: str):
    return call.api.conversations.update(conversation_id, call.json())


@routes.delete(CONVERSATION)
def delete_conversation(call: Call, conversation_id: str):
    return call.api.conversations.delete(conversation_id)


@routes.post(CONVERSATION + "/items")
def create_items(call: Call, conversation_id: str):
    return _items(call, call.api.conversations.add_items(conversation_id, call.json()))


@routes.get(CONVERSATION + "/items")
def list_items(call: Call, conversation_id: str):
    # `item_type` is Foundry's filter (responses/project_lists.py), on the project shape only
    item_type = call.args.get("item_type") if call.shape == "project" else None
    listed = call.api.conversations.list_items(conversation_id, call.list_query(), include=call.include(),
                                               item_type=item_type)  # fmt: skip
    return _items(call, listed)


@routes.get(CONVERSATION + "/items/<item_id>")
def get_item(call: Call, conversation_id: str, item_id: str):
    return _items(call, call.api.conversations.get_item(conversation_id, item_id, include=call.include()))


@routes.delete(CONVERSATION + "/items/<item_id>")
def delete_item(call: Call, conversation_id: str, item_id: str):
    return call.api.conversations.delete_item(conversation_id, item_id)


def _items(call: Call, answer: Any) -> Any:
    """Items as the shape writes them: Foundry's order on the project shape (responses/agents.py)."""
    if call.shape != "project":
        return answer
    return agents.shown_items(answer, preview=call.mount == project.OPENAI_PREVIEW)
