"""Where the emulator's Containers API answers are checked against more than the spec states
(patches of the answers' schemas, in the manner of `responses.KNOWN_DIFFERENCES`), and the
answers the spec leaves untyped: no recording shows the Containers API, so each is the spec's
own example or the emulator's stated choice.
"""

from __future__ import annotations

from typing import Any

from .responses import Difference

#: The deleted answers, as the spec's examples of DeleteContainer and DeleteContainerFile write them.
DELETED = {
    "ContainerDeletedResource": "container.deleted",
    "ContainerFileDeletedResource": "container.file.deleted",
}
#: (method, path template) -> the schema a patch adds.
UNTYPED_ANSWERS = {
    ("delete", "/containers/{}"): "ContainerDeletedResource",
    ("delete", "/containers/{}/files/{}"): "ContainerFileDeletedResource",
}


def _deleted(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    for name, kind in DELETED.items():
        schemas[name] = {
            "type": "object",
            "properties": {"id": {"type": "string"}, "object": {"enum": [kind]}, "deleted": {"type": "boolean"}},
            "required": ["id", "object", "deleted"],
            "additionalProperties": False,
        }


def _empty_page_ids(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    for name in ("ContainerListResource", "ContainerFileListResource"):
        props = schemas[name]["properties"]
        for field in ("first_id", "last_id"):
            props[field] = {"anyOf": [props[field], {"type": "null"}]}


def _unique_required(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schema = schemas["ContainerResource"]
    schema["required"] = list(dict.fromkeys(schema["required"]))


CONTAINERS_DIFFERENCES: list[Difference] = [
    Difference("ContainerResource", "required", _unique_required,
               "a slip of the spec: `required` names id, name, created_at and status twice (JSON Schema wants "
               "them once); the same keys are required"),
    Difference("ContainerDeletedResource, ContainerFileDeletedResource", "(untyped)", _deleted,
               "the spec's DELETE answers have no schema; its examples show `{id, object: \"container.deleted\" | "
               "\"container.file.deleted\", deleted: true}`"),
    Difference("ContainerListResource, ContainerFileListResource", "first_id, last_id", _empty_page_ids,
               "an empty page answers null ids, as the emulator's other lists (the emulator's choice: unrecorded)"),
]  # fmt: skip
