"""/assistants"""

from ._http import Call, Routes

routes = Routes()


@routes.post("/assistants")
def create_assistant(call: Call):
    return call.api.assistants.create(call.json())


@routes.get("/assistants")
def list_assistants(call: Call):
    return call.api.assistants.list(call.list_query())


@routes.get("/assistants/<assistant_id>")
def get_assistant(call: Call, assistant_id: str):
    return call.api.assistants.get(assistant_id)


@routes.post("/assistants/<assistant_id>")
def update_assistant(call: Call, assistant_id: str):
    return call.api.assistants.update(assistant_id, call.json())


@routes.delete("/assistants/<assistant_id>")
def delete_assistant(call: Call, assistant_id: str):
    return call.api.assistants.delete(assistant_id)
