"""/threads and /threads/{thread_id}/messages"""

from ._http import Call, Routes

routes = Routes()


@routes.post("/threads")
def create_thread(call: Call):
    return call.api.threads.create(call.json())


@routes.get("/threads/<thread_id>")
def get_thread(call: Call, thread_id: str):
    return call.api.threads.retrieve(thread_id)


@routes.post("/threads/<thread_id>")
def update_thread(call: Call, thread_id: str):
    return call.api.threads.update(thread_id, call.json())


@routes.delete("/threads/<thread_id>")
def delete_thread(call: Call, thread_id: str):
    return call.api.threads.delete(thread_id)


@routes.post("/threads/<thread_id>/messages")
def create_message(call: Call, thread_id: str):
    return call.api.messages.create(thread_id, call.json())


@routes.get("/threads/<thread_id>/messages")
def list_messages(call: Call, thread_id: str):
    return call.api.messages.list(thread_id, call.list_query(), run_id=call.args.get("run_id") or None)


@routes.get("/threads/<thread_id>/messages/<message_id>")
def get_message(call: Call, thread_id: str, message_id: str):
    return call.api.messages.get(thread_id, message_id)


@routes.post("/threads/<thread_id>/messages/<message_id>")
def update_message(call: Call, thread_id: str, message_id: str):
    return call.api.messages.update(thread_id, message_id, call.json())


@routes.delete("/threads/<thread_id>/messages/<message_id>")
def delete_message(call: Call, thread_id: str, message_id: str):
    return call.api.messages.delete(thread_id, message_id)
