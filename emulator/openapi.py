"""The emulator's own OpenAPI document (served at `/openapi.json`), generated from its routes
and its pydantic models.

Responses are described by the pydantic models the emulator answers with (their JSON schemas,
from `models_json_schema`); request bodies by the official spec's request schemas, which are
what the emulator validates bodies against (`validation.py`), copied with everything they
refer to. `OPERATIONS` says, per view, what it answers and what body it takes; a test checks
that every route has an entry, so a new route cannot be left out.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any

from pydantic.json_schema import models_json_schema

from . import __version__
from .models import Assistant, Deleted, File, ListPage, Message, Thread, VectorStore, VectorStoreFile
from .models import VectorStoreFileBatch as Batch
from .models.container import Container, ContainerDeleted, ContainerFile, ContainerFileDeleted
from .models.conversation import Conversation, ConversationDeleted
from .models.items import ConversationItemList, ConversationItemsAdded, InputItemList, ItemAnswer
from .models.model import Model, ModelList
from .models.response import Compaction, InputTokens, Response, ResponseDeleted
from .models.run import Run
from .models.run_step import RunStep
from .models.search import SearchResultsPage
from .routes import api_routes

#: Marks a response that is the file's own bytes.
BYTES = "bytes"
#: view name -> (response model, or BYTES; request schema of the official spec, or "multipart"; streams?)
OPERATIONS: dict[str, tuple[Any, str | None, bool]] = {
    "create_assistant": (Assistant, "CreateAssistantRequest", False),
    "list_assistants": (ListPage[Assistant], None, False),
    "get_assistant": (Assistant, None, False),
    "update_assistant": (Assistant, "ModifyAssistantRequest", False),
    "delete_assistant": (Deleted, None, False),
    "create_thread": (Thread, "CreateThreadRequest", False),
    "get_thread": (Thread, None, False),
    "update_thread": (Thread, "ModifyThreadRequest", False),
    "delete_thread": (Deleted, None, False),
    "create_message": (Message, "CreateMessageRequest", False),
    "list_messages": (ListPage[Message], None, False),
    "get_message": (Message, None, False),
    "update_message": (Message, "ModifyMessageRequest", False),
    "delete_message": (Deleted, None, False),
    "create_run": (Run, "CreateRunRequest", True),
    "create_thread_and_run": (Run, "CreateThreadAndRunRequest", True),
    "list_runs": (ListPage[Run], None, False),
    "get_run": (Run, None, False),
    "update_run": (Run, "ModifyRunRequest", False),
    "cancel_run": (Run, None, False),
    "submit_tool_outputs": (Run, "SubmitToolOutputsRunRequest", True),
    "list_steps": (ListPage[RunStep], None, False),
    "get_step": (RunStep, None, False),
    "create_file": (File, "multipart", False),
    "list_files": (ListPage[File], None, False),
    "get_file": (File, None, False),
    "delete_file": (Deleted, None, False),
    "file_content": (BYTES, None, False),
    "create_vector_store": (VectorStore, "CreateVectorStoreRequest", False),
    "list_vector_stores": (ListPage[VectorStore], None, False),
    "get_vector_store": (VectorStore, None, False),
    "update_vector_store": (VectorStore, "UpdateVectorStoreRequest", False),
    "search_vector_store": (SearchResultsPage, "VectorStoreSearchRequest", False),
    "delete_vector_store": (Deleted, None, False),
    "create_vector_store_file": (VectorStoreFile, "CreateVectorStoreFileRequest", False),
    "list_vector_store_files": (ListPage[VectorStoreFile], None, False),
    "get_vector_store_file": (VectorStoreFile, None, False),
    "update_vector_store_file": (VectorStoreFile, "UpdateVectorStoreFileAttributesRequest", False),
    "delete_vector_store_file": (Deleted, None, False),
    "create_file_batch": (Batch, "CreateVectorStoreFileBatchRequest", False),
    "get_file_batch": (Batch, None, False),
    "cancel_file_batch": (Batch, None, False),
    "list_file_batch_files": (ListPage[VectorStoreFile], None, False),
    "list_models": (ModelList, None, False),
    "get_model": (Model, None, False),
    "create_response": (Response, "CreateResponse", True),
    "count_input_tokens": (InputTokens, "TokenCountsBody", False),
    "compact_response": (Compaction, "CompactResponseMethodPublicBody", False),
    "get_response": (Response, None, True),
    "delete_response": (ResponseDeleted, None, False),
    "cancel_response": (Response, None, False),
    "list_input_items": (InputItemList, None, False),
    "create_conversation": (Conversation, "CreateConversationBody", False),
    "get_conversation": (Conversation, None, False),
    "update_conversation": (Conversation, "UpdateConversationBody", False),
    "delete_conversation": (ConversationDeleted, None, False),
    "create_items": (ConversationItemsAdded, "CreateConversationItemsRequest", False),
    "list_items": (ConversationItemList, None, False),
    "get_item": (ItemAnswer, None, False),
    "delete_item": (Conversation, None, False),
    "create_container": (Container, "CreateContainerBody", False),
    "list_containers": (ListPage[Container], None, False),
    "get_container": (Container, None, False),
    "delete_container": (ContainerDeleted, None, False),
    "create_container_file": (ContainerFile, "CreateContainerFileBody", False),
    "list_container_files": (ListPage[ContainerFile], None, False),
    "get_container_file": (ContainerFile, None, False),
    "delete_container_file": (ContainerFileDeleted, None, False),
    "container_file_content": (BYTES, None, False),
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": ["string", "null"]},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
MULTIPART = {
    "type": "object",
    "required": ["file", "purpose"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "purpose": {"type": "string"},
        "expires_after[anchor]": {"type": "string"},
        "expires_after[seconds]": {"type": "integer"},
    },
}
_PARAM = re.compile(r"<(?:([a-z]+):)?([a-z_]+)>")
_REF = "#/components/schemas/"


def _path(rule: str) -> tuple[str, list[str]]:
    """A werkzeug rule as an OpenAPI path, and its parameters."""
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), [m.group(2) for m in _PARAM.finditer(rule)]


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for k, v in node.items() if k != "$ref" for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _request_schemas(names: set[str], taken: set[str]) -> dict[str, Any]:
    """The official request schemas named, and every schema they refer to (renamed if one of
    our models has the name)."""
    from .validation import adjusted_spec

    official = adjusted_spec()["components"]["schemas"]
    wanted, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += [ref[len(_REF) :] for ref in _refs(official[name])]
    rename = {name: (f"Spec{name}" if name in taken else name) for name in wanted}

    def moved(node: Any) -> Any:
        if isinstance(node, dict):  # a `default: null` under a oneOf that has no null is a spec slip: left out
            return {k: (_REF + rename[v[len(_REF) :]] if k == "$ref" else moved(v)) for k, v in node.items()
                    if not (k == "default" and v is None)}  # fmt: skip
        if isinstance(node, list):
            return [moved(v) for v in node]
        return node

    return {rename[name]: moved(copy.deepcopy(official[name])) for name in sorted(wanted)}


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the OpenAI shape (`/v1`)."""
    models = {spec[0] for spec in OPERATIONS.values() if spec[0] is not BYTES}
    keyed, defs = models_json_schema([(m, "serialization") for m in models], ref_template=_REF + "{model}")
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Error"] = ERROR_SCHEMA
    requests = {spec[1] for spec in OPERATIONS.values() if spec[1] not in (None, "multipart")}
    schemas.update(_request_schemas(requests, set(schemas)))
    paths: dict[str, Any] = {}
    for route in api_routes():
        name = route.view.__name__
        response, request, streams = OPERATIONS[name]
        path, params = _path(route.rule)
        operation: dict[str, Any] = {"operationId": name, "tags": [route.rule.split("/")[1]], "responses": {}}
        if params:
            operation["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params
            ]
        if request == "multipart":
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": MULTIPART}}}
        elif request is not None:
            body = {"$ref": _REF + request}
            operation["requestBody"] = {
                "required": request.startswith("Create"),
                "content": {"application/json": {"schema": body}},
            }
        if response is BYTES:
            content: dict[str, Any] = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
        else:
            content = {"application/json": {"schema": keyed[(response, "serialization")]}}
        if streams:
            content["text/event-stream"] = {"schema": {"type": "string", "description": "Server-Sent Events"}}
        operation["responses"]["200"] = {"description": "OK", "content": content}
        operation["responses"]["default"] = {
            "description": "An error, in the real service's envelope",
            "content": {"application/json": {"schema": {"$ref": _REF + "Error"}}},
        }
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "assistants-emulator",
            "version": __version__,
            "description": "The OpenAI Assistants API (v2), Responses, Conversations and Containers APIs as the emulator "
            "serves them; generated from its routes and pydantic models. The Azure shape serves the same paths "
            "under /openai with ?api-version= (but the Containers API), and all but the Assistants API under "
            "/openai/v1.",
        },
        "servers": [{"url": "/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@functools.cache
def document_bytes() -> bytes:
    return json.dumps(document(), separators=(",", ":")).encode()
