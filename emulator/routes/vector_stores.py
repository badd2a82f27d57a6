"""/vector_stores, their files and file batches."""

from flask import Blueprint, request

from ._http import api, endpoint, json_body, list_query

bp = Blueprint("vector_stores", __name__)
VS = "/vector_stores/<vector_store_id>"


@endpoint(bp, "/vector_stores", ["POST"])
def create_vector_store():
    return api().vector_stores.create(json_body())


@endpoint(bp, "/vector_stores", ["GET"])
def list_vector_stores():
    return api().vector_stores.list(list_query())


@endpoint(bp, VS, ["GET"])
def get_vector_store(vector_store_id: str):
    return api().vector_stores.get(vector_store_id)


@endpoint(bp, VS, ["POST"])
def update_vector_store(vector_store_id: str):
    return api().vector_stores.update(vector_store_id, json_body())


@endpoint(bp, VS + "/search", ["POST"])
def search_vector_store(vector_store_id: str):
    return api().file_search.search_store(vector_store_id, json_body())


@endpoint(bp, VS, ["DELETE"])
def delete_vector_store(vector_store_id: str):
    return api().vector_stores.delete(vector_store_id)


@endpoint(bp, VS + "/files", ["POST"])
def create_vector_store_file(vector_store_id: str):
    return api().vector_stores.add_file(vector_store_id, json_body())


@endpoint(bp, VS + "/files", ["GET"])
def list_vector_store_files(vector_store_id: str):
    return api().vector_stores.list_files(vector_store_id, list_query(), status=request.args.get("filter") or None)


@endpoint(bp, VS + "/files/<file_id>", ["GET"])
def get_vector_store_file(vector_store_id: str, file_id: str):
    return api().vector_stores.get_file(vector_store_id, file_id)


@endpoint(bp, VS + "/files/<file_id>", ["POST"])
def update_vector_store_file(vector_store_id: str, file_id: str):
    return api().vector_stores.update_file(vector_store_id, file_id, json_body())


@endpoint(bp, VS + "/files/<file_id>", ["DELETE"])
def delete_vector_store_file(vector_store_id: str, file_id: str):
    return api().vector_stores.delete_file(vector_store_id, file_id)


@endpoint(bp, VS + "/file_batches", ["POST"])
def create_file_batch(vector_store_id: str):
    return api().vector_stores.create_batch(vector_store_id, json_body())


@endpoint(bp, VS + "/file_batches/<batch_id>", ["GET"])
def get_file_batch(vector_store_id: str, batch_id: str):
    return api().vector_stores.get_batch(vector_store_id, batch_id)


@endpoint(bp, VS + "/file_batches/<batch_id>/cancel", ["POST"])
def cancel_file_batch(vector_store_id: str, batch_id: str):
    return api().vector_stores.cancel_batch(vector_store_id, batch_id)


@endpoint(bp, VS + "/file_batches/<batch_id>/files", ["GET"])
def list_file_batch_files(vector_store_id: str, batch_id: str):
    status = request.args.get("filter") or None
    return api().vector_stores.list_batch_files(vector_store_id, batch_id, list_query(), status=status)
