"""Foundry's tools in the OpenAI spec, for the Responses API of a project (the "project" dialect).

A project's Responses API (`{project}/openai/v1/responses`, azure-ai-projects 2.x) takes Foundry's tools in a
request's `tools` (the Foundry Responses protocol's `Tool` union: azure-ai-agentserver-responses 2.3.0
`models/_generated/types.py` `ToolType`; an agent version's definition holds the same `Tool` objects, azure-ai-projects
2.10.0 `models/_models.py`). `REQUEST_PATCHES` add each one's schema to the spec's `Tool` union, its settings
checked for the fields the SDK's models call required, of their types (a wrong one is a 400 naming it, e.g.
`tools[0].bing_grounding.search_configurations`); other keys pass (newer SDKs send more). The Foundry items a response
made may come back as input (`Item`). `RESPONSE_PATCHES` add the tools and the items (models/foundry_items.py says
their sources) to what the answers' checker accepts. The OpenAI and Azure OpenAI shapes keep the spec as it is: they
refuse these tools, as the real services do.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ..models.foundry_items import (
    CALL_ITEMS,
    CALL_TYPES,
    CAPTURE,
    ITEM_TYPES,
    NAMED,
    REFUSED,
    STRUCTURED_OUTPUTS,
)

Patch = Callable[[dict[str, Any]], None]
STRING: dict[str, Any] = {"type": "string"}
INTEGER: dict[str, Any] = {"type": "integer"}
OBJECT: dict[str, Any] = {"type": "object"}


def _object(required: Iterable[str] = (), **properties: Any) -> dict[str, Any]:
    """An object with these properties (open to others: newer SDKs may send more)."""
    return {"type": "object", "properties": properties, "required": list(required)}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


_SEARCH = {"market": STRING, "set_lang": STRING, "count": INTEGER, "freshness": STRING}  # Bing*SearchConfiguration
_CONNECTIONS = _object(project_connections=_array(_object(["project_connection_id"], project_connection_id=STRING)))
_BINDING = _object(  # AzureFunctionBinding
    ["type", "storage_queue"],
    type={"type": "string", "enum": ["storage_queue"]},
    storage_queue=_object(["queue_service_endpoint", "queue_name"], queue_service_endpoint=STRING, queue_name=STRING),
)
#: Each tool's own fields beyond `type` (required ones first in the list), from azure-ai-projects 2.10.0's models.
TOOLS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "bing_grounding": (["bing_grounding"], {"bing_grounding": _object(  # BingGroundingSearchToolParameters
        ["search_configurations"],
        search_configurations=_array(_object(["project_connection_id"], project_connection_id=STRING, **_SEARCH)),
    )}),
    "bing_custom_search_preview": (["bing_custom_search_preview"], {"bing_custom_search_preview": _object(
        ["search_configurations"],
        search_configurations=_array(_object(["project_connection_id", "instance_name"], project_connection_id=STRING,
                                             instance_name=STRING, **_SEARCH)),
    )}),
    "azure_ai_search": (["azure_ai_search"], {"azure_ai_search": _object(  # AzureAISearchToolResource
        ["indexes"],
        indexes=_array(_object(project_connection_id=STRING, index_name=STRING, query_type=STRING, top_k=INTEGER,
                               filter=STRING, index_asset_id=STRING)),
    )}),
    "azure_function": (["azure_function"], {"azure_function": _object(  # AzureFunctionDefinition
        ["function", "input_binding", "output_binding"],
        function=_object(["name", "parameters"], name=STRING, description=STRING, parameters=OBJECT),
        input_binding=_BINDING,
        output_binding=_BINDING,
    )}),
    "openapi": (["openapi"], {"openapi": _object(  # OpenApiFunctionDefinition, its auth an OpenApiAuthDetails
        ["name", "spec", "auth"],
        name=STRING, description=STRING, spec=OBJECT, default_params=_array(STRING),
        auth=_object(["type"], type=STRING, security_scheme=OBJECT),
    )}),
    "sharepoint_grounding_preview": (["sharepoint_grounding_preview"], {"sharepoint_grounding_preview": _CONNECTIONS}),
    "fabric_dataagent_preview": (["fabric_dataagent_preview"], {"fabric_dataagent_preview": _CONNECTIONS}),
    "browser_automation_preview": (["browser_automation_preview"], {"browser_automation_preview": _object(
        ["connection"], connection=_object(["project_connection_id"], project_connection_id=STRING),
    )}),
    "a2a_preview": ([], {"base_url": STRING, "agent_card_path": STRING, "project_connection_id": STRING}),
    "a2a": (["a2a_version"], {"base_url": STRING, "agent_card_path": STRING, "project_connection_id": STRING,
                              "send_credentials_for_agent_card": {"type": "boolean"}, "a2a_version": STRING}),
    CAPTURE: (["outputs"], {"outputs": _object(  # StructuredOutputDefinition
        ["name", "description", "schema", "strict"],
        name=STRING, description=STRING, schema=OBJECT, strict={"type": ["boolean", "null"]},
    )}),
    # refused by the emulator (models/foundry_items.py REFUSED), still checked as the SDK builds them
    "memory_search_preview": (["memory_store_name", "scope"], {"memory_store_name": STRING, "scope": STRING,
                                                               "update_delay": INTEGER}),
    "work_iq_preview": (["project_connection_id"], {"project_connection_id": STRING}),
    "web_iq_preview": (["project_connection_id"], {"project_connection_id": STRING}),
    "fabric_iq_preview": (["project_connection_id"], {"project_connection_id": STRING}),
    "browser_automation": (["browser_automation"], {"browser_automation": OBJECT}),
    "github_copilot_toolset_preview": ([], {}),
    "microsoft_copilot_toolset_preview": ([], {}),
}  # fmt: skip
assert set(TOOLS) == {*CALL_ITEMS, CAPTURE, *REFUSED}


def tool_schema(kind: str) -> dict[str, Any]:
    required, fields = TOOLS[kind]
    properties = {"type": {"type": "string", "enum": [kind]}, "name": STRING, "description": STRING,
                  **copy.deepcopy(fields)}  # fmt: skip
    return {"type": "object", "properties": properties, "required": ["type", *required]}


def _tools(schemas: dict[str, Any]) -> None:
    """The spec's `Tool` union (a request's tools, a response's echo) takes Foundry's tools."""
    for kind in TOOLS:
        schemas[f"FoundryTool_{kind}"] = tool_schema(kind)
        schemas["Tool"]["anyOf"].append({"$ref": f"#/components/schemas/FoundryTool_{kind}"})


_AGENT_REFERENCE = _object(["type", "name"], type={"type": "string", "enum": ["agent_reference"]}, name=STRING,
                           version=STRING)  # fmt: skip
_STATUS = {"type": "string", "enum": ["in_progress", "completed", "incomplete", "failed"]}


def item_schema(kind: str, closed: bool) -> dict[str, Any]:
    """A Foundry item (the protocol's `<Tool>ToolCall`, `<Tool>ToolCallOutput`, `StructuredOutputsOutputItem`)."""
    properties: dict[str, Any] = {"id": STRING, "type": {"type": "string", "enum": [kind]}}
    required = ["id", "type"]
    if kind == STRUCTURED_OUTPUTS:
        properties["output"] = {}
        required.append("output")
    else:
        properties.update(status=_STATUS, call_id=STRING)
        required += ["status", "call_id"]
        if kind.removesuffix("_output") in NAMED:
            properties["name"] = STRING
            required.append("name")
        if kind in CALL_TYPES:
            properties["arguments"] = STRING
            required.append("arguments")
        else:
            properties["output"] = {}
    properties.update(agent_reference=_AGENT_REFERENCE, response_id=STRING)
    schema = {"type": "object", "properties": properties, "required": required}
    if closed:
        schema["additionalProperties"] = False
    else:  # sent back as input: the service's own answer, its status optional as for OpenAI's items
        schema["required"] = [f for f in required if f != "status"]
    return schema


def _items(unions: Iterable[str], closed: bool) -> Patch:
    def patch(schemas: dict[str, Any]) -> None:
        for kind in ITEM_TYPES:
            schemas[f"FoundryItem_{kind}"] = item_schema(kind, closed)
        for union in unions:
            schemas[union]["anyOf"] += [{"$ref": f"#/components/schemas/FoundryItem_{kind}"} for kind in ITEM_TYPES]

    return patch


#: Patches of the request schemas (validation.py's "project" dialect).
REQUEST_PATCHES: list[Patch] = [_tools, _items(["Item"], closed=False)]
#: Patches of the answers' schemas (spec/responses.py's "project" dialect): responses, stream events, item lists.
RESPONSE_PATCHES: list[Patch] = [_tools, _items(["OutputItem", "ItemResource", "ConversationItem"], closed=True)]
