"""/assistants"""

from flask import Blueprint

from ._http import api, endpoint, json_body, list_query

bp = Blueprint("assistants", __name__)


@endpoint(bp, "/assistants", ["POST"])
def create_assistant():
    return api().assistants.create(json_body())


@endpoint(bp, "/assistants", ["GET"])
def list_assistants():
    return api().assistants.list(list_query())


@endpoint(bp, "/assistants/<assistant_id>", ["GET"])
def get_assistant(assistant_id: str):
    return api().assistants.get(assistant_id)


@endpoint(bp, "/assistants/<assistant_id>", ["POST"])
def update_assistant(assistant_id: str):
    return api().assistants.update(assistant_id, json_body())


@endpoint(bp, "/assistants/<assistant_id>", ["DELETE"])
def delete_assistant(assistant_id: str):
    return api().assistants.delete(assistant_id)
