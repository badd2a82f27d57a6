"""/threads and /threads/{thread_id}/messages"""

from flask import Blueprint, request

from ._http import api, endpoint, json_body, list_query

bp = Blueprint("threads", __name__)


@endpoint(bp, "/threads", ["POST"])
def create_thread():
    return api().threads.create(json_body())


@endpoint(bp, "/threads/<thread_id>", ["GET"])
def get_thread(thread_id: str):
    return api().threads.get(thread_id)


@endpoint(bp, "/threads/<thread_id>", ["POST"])
def update_thread(thread_id: str):
    return api().threads.update(thread_id, json_body())


@endpoint(bp, "/threads/<thread_id>", ["DELETE"])
def delete_thread(thread_id: str):
    return api().threads.delete(thread_id)


@endpoint(bp, "/threads/<thread_id>/messages", ["POST"])
def create_message(thread_id: str):
    return api().messages.create(thread_id, json_body())


@endpoint(bp, "/threads/<thread_id>/messages", ["GET"])
def list_messages(thread_id: str):
    return api().messages.list(thread_id, list_query(), run_id=request.args.get("run_id") or None)


@endpoint(bp, "/threads/<thread_id>/messages/<message_id>", ["GET"])
def get_message(thread_id: str, message_id: str):
    return api().messages.get(thread_id, message_id)


@endpoint(bp, "/threads/<thread_id>/messages/<message_id>", ["POST"])
def update_message(thread_id: str, message_id: str):
    return api().messages.update(thread_id, message_id, json_body())


@endpoint(bp, "/threads/<thread_id>/messages/<message_id>", ["DELETE"])
def delete_message(thread_id: str, message_id: str):
    return api().messages.delete(thread_id, message_id)
