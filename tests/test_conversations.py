"""The Conversations API through the official SDK: conversations and their items, and
responses made in a conversation (its items first, their input and output appended)."""

from __future__ import annotations

import openai
import pytest
from weather import WEATHER, WEATHER_BOT


def test_create_retrieve_update_delete(openai_client, http):
    conversation = openai_client.conversations.create(metadata={"topic": "demo"})
    assert conversation.id.startswith("conv_") and conversation.object == "conversation"
    assert conversation.metadata == {"topic": "demo"}
    assert openai_client.conversations.retrieve(conversation.id) == conversation
    updated = openai_client.conversations.update(conversation.id, metadata={"topic": "other"})
    assert updated.metadata == {"topic": "other"} and updated.created_at == conversation.created_at
    # azure-ai-projects test_conversation_items_crud.json (2026-03): the service's key order
    assert list(http.get(f"/v1/conversations/{conversation.id}").get_json()) == ["id", "object", "metadata",
                                                                                  "created_at"]  # fmt: skip
    deleted = openai_client.conversations.delete(conversation.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (conversation.id, True, "conversation.deleted")
    with pytest.raises(openai.NotFoundError, match=f"Conversation with id '{conversation.id}' not found."):
        openai_client.conversations.retrieve(conversation.id)


def test_items_create_list_retrieve_delete(openai_client):
    conversation = openai_client.conversations.create(items=[{"type": "message", "role": "user", "content": "first"}])
    added = openai_client.conversations.items.create(conversation.id, items=[
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "second"}]},
        {"type": "message", "role": "assistant", "content": "an earlier answer"}])  # fmt: skip
    assert [i.role for i in added.data] == ["user", "assistant"] and added.first_id == added.data[0].id
    listed = openai_client.conversations.items.list(conversation.id)
    texts = [i.content[0].text for i in listed.data]
    assert texts == ["an earlier answer", "second", "first"]  # newest first, as recorded
    ascending = openai_client.conversations.items.list(conversation.id, order="asc", limit=2)
    assert [i.content[0].text for i in ascending.data] == ["first", "second"] and ascending.has_more
    item = openai_client.conversations.items.retrieve(listed.data[1].id, conversation_id=conversation.id)
    assert item.content[0].text == "second" and item.status == "completed"
    # deleting an item answers the conversation (azure-ai-projects test_conversation_items_crud.json)
    after = openai_client.conversations.items.delete(item.id, conversation_id=conversation.id)
    assert after.id == conversation.id and after.object == "conversation"
    assert len(openai_client.conversations.items.list(conversation.id).data) == 2
    with pytest.raises(openai.NotFoundError):
        openai_client.conversations.items.retrieve(item.id, conversation_id=conversation.id)


def test_at_most_twenty_items_per_request(openai_client):
    items = [{"type": "message", "role": "user", "content": str(n)} for n in range(21)]
    with pytest.raises(openai.BadRequestError, match="maximum length 20"):
        openai_client.conversations.create(items=items)
    conversation = openai_client.conversations.create(items=items[:20])
    assert len(openai_client.conversations.items.list(conversation.id, limit=100).data) == 20


def test_responses_in_a_conversation_read_and_grow_it(openai_client, emulator):
    emulator.models.register({"name": "counter", "turns": [{"do": [{"reply": "{{ messages|length }} messages"}]}]})
    conversation = openai_client.conversations.create(items=[{"type": "message", "role": "user", "content": "hi"}])
    first = openai_client.responses.create(model="counter", conversation=conversation.id, input="again")
    assert first.output_text == "2 messages" and first.conversation.id == conversation.id
    second = openai_client.responses.create(model="counter", conversation=conversation.id, input="and again")
    assert second.output_text == "4 messages"
    items = openai_client.conversations.items.list(conversation.id, order="asc").data
    assert [(i.type, i.role) for i in items] == [("message", "user"), ("message", "user"), ("message", "assistant"),
                                                 ("message", "user"), ("message", "assistant")]  # fmt: skip
    assert items[2].id == first.output[0].id
    # a response continuing one made in a conversation reads the conversation up to it
    chained = openai_client.responses.create(model="counter", previous_response_id=first.id, input="branch")
    assert chained.output_text == "4 messages"


def test_a_function_call_loop_in_a_conversation(openai_client, emulator):
    emulator.models.register(WEATHER_BOT)
    conversation = openai_client.conversations.create()
    first = openai_client.responses.create(model="weather-bot", conversation=conversation.id,
                                           input="weather in Cusco", tools=[WEATHER])  # fmt: skip
    with pytest.raises(openai.BadRequestError, match="No tool output found"):
        openai_client.responses.create(model="weather-bot", conversation=conversation.id, input="hello?")
    second = openai_client.responses.create(model="weather-bot", conversation=conversation.id, tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": first.output[0].call_id, "output": '{"temp": 12}'}])  # fmt: skip
    assert second.output_text == "It is 12 degrees in Cusco."
    types = [i.type for i in openai_client.conversations.items.list(conversation.id, order="asc").data]
    assert types == ["message", "function_call", "function_call_output", "message"]


def test_a_failed_response_leaves_the_conversation_as_it_was(openai_client, emulator):
    emulator.models.register({"name": "broken", "turns": [{"do": [{"fail": {"code": "server_error",
                                                                              "message": "Boom."}}]}]})  # fmt: skip
    conversation = openai_client.conversations.create(items=[{"type": "message", "role": "user", "content": "hi"}])
    assert openai_client.responses.create(model="broken", conversation=conversation.id, input="x").status == "failed"
    assert len(openai_client.conversations.items.list(conversation.id).data) == 1
    with pytest.raises(openai.NotFoundError):
        openai_client.responses.create(model="gpt-4o", conversation="conv_missing", input="hi")


def test_empty_pages_have_null_ids(openai_client):
    conversation = openai_client.conversations.create()
    page = openai_client.conversations.items.list(conversation.id)
    assert (page.data, page.first_id, page.last_id, page.has_more) == ([], None, None, False)
    response = openai_client.responses.create(model="gpt-4o", conversation=conversation.id)
    items = openai_client.responses.input_items.list(response.id)
    assert (items.data, items.first_id, items.last_id) == ([], None, None)


def test_what_the_agents_sdk_session_sends_is_taken(openai_client, http):
    """The OpenAI Agents SDK's OpenAIConversationsSession: a new conversation listed while empty,
    a run's assistant message added without its id, and the listed items sent back as input
    (ids on user messages kept, on assistant messages dropped)."""
    conversation = openai_client.conversations.create(items=[])
    empty = http.get(f"/v1/conversations/{conversation.id}/items?order=asc").get_json()
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    openai_client.conversations.items.create(conversation.id, items=[{"content": "hi", "role": "user"}])
    answer = {"type": "message", "role": "assistant", "status": "completed",
              "content": [{"type": "output_text", "text": "Hello!", "annotations": [], "logprobs": []}]}  # fmt: skip
    (added,) = openai_client.conversations.items.create(conversation.id, items=[answer]).data
    assert added.id.startswith("msg_") and added.content[0].text == "Hello!"
    user, assistant = (i.model_dump(exclude_none=True) for i in
                       openai_client.conversations.items.list(conversation.id, order="asc").data)  # fmt: skip
    assistant.pop("id")
    response = openai_client.responses.create(model="gpt-4o", input=[user, assistant, {"role": "user", "content": "?"}])
    assert response.status == "completed"
    assert [i.type for i in openai_client.responses.input_items.list(response.id).data] == ["message"] * 3
