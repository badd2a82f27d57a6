"""/models: the scripted models the emulator knows."""

from flask import Blueprint

from ._http import api, endpoint

bp = Blueprint("models", __name__)


@endpoint(bp, "/models", ["GET"])
def list_models():
    return {"object": "list", "data": [m.to_json() for m in api().models.list()]}


@endpoint(bp, "/models/<path:model_id>", ["GET"])
def get_model(model_id: str):
    return api().models.get(model_id)
