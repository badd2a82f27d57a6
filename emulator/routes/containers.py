"""/containers and their files (the Containers API: OpenAI's `/v1` and Azure's `/openai/v1`)."""

from .. import errors, wire
from ..domain.files import CONTENT_TYPES, extension
from ..validation import validate
from ._http import Call, Reply, Routes, content_type
from .files import OPENAI_CONTENT_TYPE, content_disposition

routes = Routes()
CONTAINER = "/containers/<container_id>"
FILES = CONTAINER + "/files"
#: The form fields an upload may carry besides its `file` part.
FORM_FIELDS = ("file_id",)


@routes.post("/containers")
def create_container(call: Call):
    return call.api.containers.create(call.json())


@routes.get("/containers")
def list_containers(call: Call):
    return call.api.containers.list(call.list_query(allow_before=False), name=call.args.get("name"))


@routes.get(CONTAINER)
def get_container(call: Call, container_id: str):
    return call.api.containers.get(container_id)


@routes.delete(CONTAINER)
def delete_container(call: Call, container_id: str):
    return call.api.containers.delete(container_id)


@routes.post(FILES)
def create_container_file(call: Call, container_id: str):
    """A multipart upload (`file`), or a JSON body naming an existing file (`file_id`)."""
    if call.headers.get("content-type", "").lower().startswith("multipart/"):
        fields, files = call.form()
        unknown = [k for k in fields if k not in FORM_FIELDS]
        if unknown:
            raise errors.unknown_parameter(unknown[0])
        upload = files.get("file")
        present = bool(upload)  # a part with an empty file name is no file
        return call.api.containers.add_file(
            container_id,
            file_id=fields.get("file_id"),
            filename=(upload.filename or "upload") if present else None,
            content=upload.read() if present else None,
        )
    body = call.json()
    validate("CreateContainerFileBody", body)
    if "file" in body:
        raise errors.bad_request("A file is uploaded as multipart/form-data; a JSON body names one with 'file_id'.",
                                 param="file")  # fmt: skip
    return call.api.containers.add_file(container_id, file_id=body.get("file_id"))


@routes.get(FILES)
def list_container_files(call: Call, container_id: str):
    return call.api.containers.list_files(container_id, call.list_query(allow_before=False))


@routes.get(FILES + "/<file_id>")
def get_container_file(call: Call, container_id: str, file_id: str):
    return call.api.containers.get_file(container_id, file_id)


@routes.delete(FILES + "/<file_id>")
def delete_container_file(call: Call, container_id: str, file_id: str):
    return call.api.containers.delete_file(container_id, file_id)


@routes.get(FILES + "/<file_id>/content")
def container_file_content(call: Call, container_id: str, file_id: str):
    file, content = call.api.containers.file_content(container_id, file_id)
    name = file.path.rsplit("/", 1)[-1]
    mime = OPENAI_CONTENT_TYPE if wire.shape() == "openai" else CONTENT_TYPES.get(extension(name), OPENAI_CONTENT_TYPE)
    return Reply(content, content_type=content_type(mime), headers={"Content-Disposition": content_disposition(name)})
