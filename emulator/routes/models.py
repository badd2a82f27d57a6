"""/models: the scripted models the emulator knows."""

from ._http import Call, Routes

routes = Routes()


@routes.get("/models")
def list_models(call: Call):
    return {"object": "list", "data": [m.to_json() for m in call.api.models.list()]}


@routes.get("/models/<path:model_id>")
def get_model(call: Call, model_id: str):
    return call.api.models.get(model_id)
