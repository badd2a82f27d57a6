"""/models: the scripted models the emulator knows."""

from ..models.model import ModelList
from ._http import Call, Routes

routes = Routes(newline=True)  # recorded: files_*.yml, models_retrieve.yml (ruby-openai)


@routes.get("/models")
def list_models(call: Call):
    return ModelList(data=call.api.models.list())


@routes.get("/models/<path:model_id>")
def get_model(call: Call, model_id: str):
    return call.api.models.get(model_id)
