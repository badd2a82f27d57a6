"""/vector_stores, their files and file batches."""

from ._http import Call, Routes

routes = Routes()
VS = "/vector_stores/<vector_store_id>"


@routes.post("/vector_stores")
def create_vector_store(call: Call):
    return call.api.vector_stores.create(call.json())


@routes.get("/vector_stores")
def list_vector_stores(call: Call):
    return call.api.vector_stores.list(call.list_query())


@routes.get(VS)
def get_vector_store(call: Call, vector_store_id: str):
    return call.api.vector_stores.get(vector_store_id)


@routes.post(VS)
def update_vector_store(call: Call, vector_store_id: str):
    return call.api.vector_stores.update(vector_store_id, call.json())


@routes.post(VS + "/search")
def search_vector_store(call: Call, vector_store_id: str):
    return call.api.file_search.search_store(vector_store_id, call.json())


@routes.delete(VS)
def delete_vector_store(call: Call, vector_store_id: str):
    return call.api.vector_stores.delete(vector_store_id)


@routes.post(VS + "/files")
def create_vector_store_file(call: Call, vector_store_id: str):
    return call.api.vector_stores.add_file(vector_store_id, call.json())


@routes.get(VS + "/files")
def list_vector_store_files(call: Call, vector_store_id: str):
    return call.api.vector_stores.list_files(vector_store_id, call.list_query(), status=call.args.get("filter") or None)


@routes.get(VS + "/files/<file_id>")
def get_vector_store_file(call: Call, vector_store_id: str, file_id: str):
    return call.api.vector_stores.get_file(vector_store_id, file_id)


@routes.post(VS + "/files/<file_id>")
def update_vector_store_file(call: Call, vector_store_id: str, file_id: str):
    return call.api.vector_stores.update_file(vector_store_id, file_id, call.json())


@routes.delete(VS + "/files/<file_id>")
def delete_vector_store_file(call: Call, vector_store_id: str, file_id: str):
    return call.api.vector_stores.delete_file(vector_store_id, file_id)


@routes.post(VS + "/file_batches")
def create_file_batch(call: Call, vector_store_id: str):
    return call.api.vector_stores.create_batch(vector_store_id, call.json())


@routes.get(VS + "/file_batches/<batch_id>")
def get_file_batch(call: Call, vector_store_id: str, batch_id: str):
    return call.api.vector_stores.get_batch(vector_store_id, batch_id)


@routes.post(VS + "/file_batches/<batch_id>/cancel")
def cancel_file_batch(call: Call, vector_store_id: str, batch_id: str):
    return call.api.vector_stores.cancel_batch(vector_store_id, batch_id)


@routes.get(VS + "/file_batches/<batch_id>/files")
def list_file_batch_files(call: Call, vector_store_id: str, batch_id: str):
    status = call.args.get("filter") or None
    return call.api.vector_stores.list_batch_files(vector_store_id, batch_id, call.list_query(), status=status)
