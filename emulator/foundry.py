"""Foundry Agents' shape: the Assistants protocol under a project endpoint, as the
`azure-ai-agents` SDK (Python 1.x, `@azure/ai-agents` on npm, `project.agents` of
`azure-ai-projects`) speaks it.

    {endpoint}/api/projects/{project}/assistants?api-version=v1     Authorization: Bearer TOKEN

The same paths, JSON and run state machine as `/v1` (the SDK's `agent_id` is only a Python
name: the wire says `assistant_id`), with these differences, each taken from the SDK's source:

- `api-version` is required: `v1` (1.x), `2025-05-15-preview` (the 1.2 betas), `2025_05_01`
  (recorded on the older hub endpoint by azure-ai-agents, 2025-05); no
  `OpenAI-Beta` header. Auth is an Entra bearer token: any token is accepted, unless the
  emulator has API keys, then the token must be one of them (and names its namespace, as a
  key does). The project name is not checked: every project of a key sees the same objects.
- `GET /threads` lists the namespace's threads; runs take `tool_resources`; an upload may
  carry a `filename` form field (it names the file, before the part's own file name);
  `include[]` is one comma-separated value. There is no message delete, no vector store
  search and no `/models` (404, as any unknown URL).
- Azure tool definitions (`bing_grounding`, `azure_ai_search`, `openapi`, `azure_function`,
  `connected_agent`, ... and `mcp`) are accepted and stored as given, their settings checked
  for the fields the SDK's models require, of their types (`SETTINGS`: a wrong one is a 400
  naming it, e.g. `tools[0].connected_agent.id`), and `tool_resources` may hold
  `azure_ai_search` indexes. `SPEC_PATCHES` adds them to the official schemas for
  this shape only (`validation.py` checks Foundry bodies against the patched spec; the
  OpenAI and Azure OpenAI shapes refuse those tools, as the real services do);
  `RESPONSE_PATCHES` adds what Foundry answers carry (their tool calls in run steps,
  `url_citation` annotations, the threads list) for the test suite's answer check.
- `tool_resources.code_interpreter.data_sources` (data assets by URI) are accepted in requests and turned
  into files (`domain/assets.py`: the test registers what an asset holds).
- MCP tool approvals (the 1.2 betas, `runs/mcp.py`): a run may wait in `requires_action` with
  a `submit_tool_approval` action (RequiredMcpToolCall entries), answered by
  `submit_tool_outputs` with `tool_approvals` (ToolApproval) instead of `tool_outputs`; an
  `mcp` step tool call is flat (RunStepMcpToolCall: name, arguments, server_label, output).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from . import errors

#: Where the shape is mounted (a werkzeug rule: `project` is one path segment).
PREFIX = "/api/projects/<project>"
PREFIX_START = "/api/projects/"
#: v1 (1.x), the 1.2 betas, and the hub endpoint's `2025_05_01` the service answered (azure-ai-agents
#: test_submit_tool_outputs_to_run.json, 2025-05-12, on …api.azureml.ms/agents/v1.0/…).
API_VERSIONS = ("v1", "2025-05-15-preview", "2025_05_01")
#: Routes of the OpenAI shape that a Foundry project does not serve (rule, method).
NOT_SERVED = frozenset(
    {
        ("/threads/<thread_id>/messages/<message_id>", "DELETE"),
        ("/vector_stores/<vector_store_id>/search", "POST"),
        ("/models", "GET"),
        ("/models/<path:model_id>", "GET"),
    }
)
#: Azure tools: type -> the key holding its settings (None: settings live in tool_resources).
AZURE_TOOLS: dict[str, str | None] = {
    "azure_ai_search": None,
    "azure_function": "azure_function",
    "bing_grounding": "bing_grounding",
    "bing_custom_search": "bing_custom_search",
    "connected_agent": "connected_agent",
    "openapi": "openapi",
    "sharepoint_grounding": "sharepoint_grounding",
    "fabric_dataagent": "fabric_dataagent",
    "deep_research": "deep_research",
    "browser_automation": "browser_automation",
    "mcp": None,
}
#: Keys an `mcp` tool definition takes (the 1.2 betas' McpToolDefinition).
MCP_KEYS = ("server_label", "server_url", "allowed_tools")


def check_api_version(version: str | None) -> None:
    if version not in API_VERSIONS:
        raise errors.foundry_api_version(version, list(API_VERSIONS))


def project_prefix(path: str) -> str | None:
    """`/api/projects/NAME` of a Foundry path, or None."""
    if not path.startswith(PREFIX_START):
        return None
    rest = path[len(PREFIX_START) :]
    name = rest.split("/", 1)[0]
    return PREFIX_START + name if name else None


def split_include(values: Iterable[str]) -> list[str]:
    """The SDK sends `include[]` once, its values joined by commas."""
    return [part for value in values for part in value.split(",") if part]


# --- the spec, patched for this shape ------------------------------------------------------

Patch = Callable[[dict[str, Any]], None]
_OPENAI_TOOL = "#/components/schemas/AssistantToolsCode"


def _object(required: Iterable[str] = (), **properties: Any) -> dict[str, Any]:
    """An object schema with these properties (others are kept: newer SDKs may send more)."""
    return {"type": "object", "properties": properties, "required": list(required)}


_STRING: dict[str, Any] = {"type": "string"}
_STRINGS: dict[str, Any] = {"type": "array", "items": _STRING}
_SEARCH_OPTIONS = {"market": _STRING, "set_lang": _STRING, "count": {"type": "integer"}, "freshness": _STRING}
_FUNCTION = _object(["name", "parameters"], name=_STRING, description=_STRING)  # FunctionDefinition
_BINDING = _object(  # AzureFunctionBinding (its endpoint is `queue_service_endpoint` on the wire)
    ["type", "storage_queue"],
    type={"type": "string", "enum": ["storage_queue"]},
    storage_queue=_object(["queue_service_endpoint", "queue_name"], queue_service_endpoint=_STRING, queue_name=_STRING),
)
#: The settings of the Azure tools whose SDK models (azure-ai-agents 1.1 `_models.py`) say
#: which fields are required and of which type; the others are only checked to be objects.
SETTINGS: dict[str, dict[str, Any]] = {
    "connected_agent": _object(["id", "name", "description"], id=_STRING, name=_STRING, description=_STRING),
    "openapi": _object(  # OpenApiFunctionDefinition, its auth an OpenApiAuthDetails
        ["name", "spec", "auth"],
        name=_STRING,
        description=_STRING,
        spec={"type": "object"},
        auth=_object(["type"], type=_STRING, security_scheme={"type": "object"}),
        default_params=_STRINGS,
    ),
    "bing_grounding": _object(  # BingGroundingSearchToolParameters
        ["search_configurations"],
        search_configurations={
            "type": "array",
            "items": _object(["connection_id"], connection_id=_STRING, **_SEARCH_OPTIONS),
        },
    ),
    "bing_custom_search": _object(  # BingCustomSearchToolParameters
        ["search_configurations"],
        search_configurations={
            "type": "array",
            "items": _object(
                ["connection_id", "instance_name"], connection_id=_STRING, instance_name=_STRING, **_SEARCH_OPTIONS
            ),
        },
    ),
    "azure_function": _object(  # AzureFunctionDefinition
        ["function", "input_binding", "output_binding"],
        function=_FUNCTION,
        input_binding=_BINDING,
        output_binding=_BINDING,
    ),
}


def _tool_schema(kind: str, key: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {"type": {"type": "string", "enum": [kind]}}
    required = ["type"]
    if key is not None:
        properties[key] = copy.deepcopy(SETTINGS.get(kind, {"type": "object"}))
        required.append(key)
    if kind == "mcp":
        properties.update(
            server_label={"type": "string"},
            server_url={"type": "string"},
            allowed_tools={"type": "array", "items": {"type": "string"}},
        )
        required += ["server_label", "server_url"]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _walk(node: Any) -> Iterable[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def azure_tools(schemas: dict[str, Any]) -> None:
    """Every tools union (assistants, runs, thread-and-run, and the objects) takes Azure tools."""
    for kind, key in AZURE_TOOLS.items():
        schemas[f"FoundryTool_{kind}"] = _tool_schema(kind, key)
    refs = [{"$ref": f"#/components/schemas/FoundryTool_{kind}"} for kind in AZURE_TOOLS]
    for node in list(_walk(schemas)):
        branches = node.get("oneOf")
        if isinstance(branches, list) and {"$ref": _OPENAI_TOOL} in branches:
            branches.extend(copy.deepcopy(refs))


AZURE_AI_SEARCH_RESOURCE = {
    "type": "object",
    "properties": {
        "indexes": {
            "type": "array",
            "maxItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "index_connection_id": {"type": "string"},
                    "index_name": {"type": "string"},
                    "query_type": {"type": "string"},
                    "top_k": {"type": "integer"},
                    "filter": {"type": "string"},
                    "index_asset_id": {"type": "string"},
                },
                "additionalProperties": False,
            },
        }
    },
    "additionalProperties": False,
}
_TOOL_NAMES = {
    "anyOf": [
        {"type": "array", "items": {"type": "string"}},  # as the service's docs write it
        {  # the 1.2 betas' MCPToolList
            "type": "object",
            "properties": {"tool_names": {"type": "array", "items": {"type": "string"}}},
            "required": ["tool_names"],
            "additionalProperties": False,
        },
    ]
}
HEADERS = {"type": "object", "additionalProperties": {"type": "string"}}
MCP_RESOURCE = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "server_label": {"type": "string"},
            "headers": HEADERS,
            # "always" (the default), "never", or per tool (MCPApprovalPerTool)
            "require_approval": {
                "anyOf": [
                    {"type": "string", "enum": ["always", "never"]},
                    {
                        "type": "object",
                        "properties": {"never": _TOOL_NAMES, "always": _TOOL_NAMES},
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "required": ["server_label"],
        "additionalProperties": False,
    },
}


def azure_tool_resources(schemas: dict[str, Any]) -> None:
    """`tool_resources` may hold `azure_ai_search` indexes and `mcp` settings."""
    for node in list(_walk(schemas)):
        props = node.get("properties")
        if isinstance(props, dict) and "code_interpreter" in props and "file_search" in props and "type" not in props:
            props.setdefault("azure_ai_search", copy.deepcopy(AZURE_AI_SEARCH_RESOURCE))
            props.setdefault("mcp", copy.deepcopy(MCP_RESOURCE))


#: azure-ai-agents' VectorStoreDataSource: a data asset of the project, by URI or by data id.
DATA_SOURCES = {
    "type": "array",
    "maxItems": 20,
    "items": {
        "type": "object",
        "properties": {"uri": {"type": "string"}, "type": {"type": "string", "enum": ["uri_asset", "id_asset"]}},
        "required": ["uri", "type"],
        "additionalProperties": False,
    },
}
_REQUESTS_WITH_RESOURCES = (
    "CreateAssistantRequest", "ModifyAssistantRequest", "CreateThreadRequest", "ModifyThreadRequest",
    "CreateThreadAndRunRequest",
)  # fmt: skip


def code_interpreter_data_sources(schemas: dict[str, Any]) -> None:
    """A request's `tool_resources.code_interpreter` may name data assets (`data_sources`, CodeInterpreterToolResource
    of azure-ai-agents) instead of file ids: `domain/assets.py` turns them into files. Answers never carry them."""
    for name in _REQUESTS_WITH_RESOURCES:
        for node in _walk(schemas[name]["properties"]["tool_resources"]):
            props = node.get("properties")
            if isinstance(props, dict) and isinstance(props.get("code_interpreter"), dict):
                # the slot itself, or its object member where a null is allowed too (a thread update)
                slot = props["code_interpreter"]
                for member in [slot, *slot.get("anyOf", ())]:
                    if isinstance(member.get("properties"), dict):
                        member["properties"]["data_sources"] = copy.deepcopy(DATA_SOURCES)


def run_tool_resources(schemas: dict[str, Any]) -> None:
    """A run (create) takes `tool_resources`, as an assistant does."""
    props = schemas["CreateRunRequest"]["properties"]
    props["tool_resources"] = copy.deepcopy(schemas["CreateAssistantRequest"]["properties"]["tool_resources"])


def tool_choice_types(schemas: dict[str, Any]) -> None:
    """`tool_choice` may force an Azure tool: `{"type": "bing_grounding"}`."""
    schemas["AssistantsNamedToolChoice"]["properties"]["type"]["enum"].extend(AZURE_TOOLS)


def tool_approvals(schemas: dict[str, Any]) -> None:
    """Submitting to a run that waits for MCP approvals sends `tool_approvals` (the 1.2 betas'
    ToolApproval) instead of `tool_outputs`: either may come (runs.py says which the run wants)."""
    request = schemas["SubmitToolOutputsRunRequest"]
    request["properties"]["tool_approvals"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"tool_call_id": {"type": "string"}, "approve": {"type": "boolean"}, "headers": HEADERS},
            "additionalProperties": False,
        },
    }
    request.pop("required", None)


#: Patches of the request schemas (validation.py) and the answers' (spec/responses.py).
SPEC_PATCHES: list[Patch] = [
    code_interpreter_data_sources, run_tool_resources, azure_tools, azure_tool_resources, tool_choice_types,
    tool_approvals,
]  # fmt: skip


def _tool_call(kind: str, delta: bool) -> dict[str, Any]:
    if kind == "mcp":
        return _mcp_call(delta)
    properties: dict[str, Any] = {
        "id": {"type": "string"},
        "type": {"type": "string", "enum": [kind]},
        kind: {"type": "object"},
    }
    if delta:
        properties["index"] = {"type": "integer"}
    return {
        "type": "object",
        "properties": properties,
        "required": ["index", "type"] if delta else ["id", "type", kind],
        "additionalProperties": False,
    }


def _mcp_call(delta: bool) -> dict[str, Any]:
    """RunStepMcpToolCall is flat (no `mcp` key); `output` is null until the call is made.
    Its delta (RunStepDeltaMcpToolCall) carries the arguments."""
    properties: dict[str, Any] = {"id": {"type": "string"}, "type": {"type": "string", "enum": ["mcp"]},
                                  "arguments": {"type": "string"}}  # fmt: skip
    if delta:
        properties["index"] = {"type": "integer"}
        required = ["index", "type"]
    else:
        properties.update(name={"type": "string"}, server_label={"type": "string"},
                          output={"type": ["string", "null"]})  # fmt: skip
        required = ["id", "type", "name", "arguments", "server_label", "output"]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


REQUIRED_MCP_CALL = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string", "enum": ["mcp"]},
        "name": {"type": "string"},
        "arguments": {"type": "string"},
        "server_label": {"type": "string"},
    },
    "required": ["id", "type", "name", "arguments", "server_label"],
    "additionalProperties": False,
}


def tool_approval_action(schemas: dict[str, Any]) -> None:
    """A run may wait for MCP approvals: `required_action` of type `submit_tool_approval`
    (SubmitToolApprovalAction, its `tool_calls` RequiredMcpToolCall)."""
    schemas["FoundryRequiredMcpToolCall"] = copy.deepcopy(REQUIRED_MCP_CALL)
    action = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["submit_tool_approval"]},
            "submit_tool_approval": {
                "type": "object",
                "properties": {
                    "tool_calls": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/FoundryRequiredMcpToolCall"},
                    }
                },
                "required": ["tool_calls"],
                "additionalProperties": False,
            },
        },
        "required": ["type", "submit_tool_approval"],
        "additionalProperties": False,
    }
    schemas["RunObject"]["properties"]["required_action"]["anyOf"].insert(1, action)


URL_CITATION = {
    "type": "object",
    "properties": {
        "url": {"type": "string"},
        "title": {"type": "string"},
    },
    "required": ["url"],
    "additionalProperties": False,
}


def _url_annotation(delta: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "type": {"type": "string", "enum": ["url_citation"]},
        "text": {"type": "string"},
        "url_citation": copy.deepcopy(URL_CITATION),
        "start_index": {"type": "integer", "minimum": 0},
        "end_index": {"type": "integer", "minimum": 0},
    }
    if delta:
        properties["index"] = {"type": "integer"}
    return {
        "type": "object",
        "properties": properties,
        "required": ["index", "type"] if delta else ["type", "text", "url_citation", "start_index", "end_index"],
        "additionalProperties": False,
    }


def azure_tool_calls(schemas: dict[str, Any]) -> None:
    """Run steps (and their deltas) show calls of Azure tools: `{"id", "type": T, T: {...}}`."""
    for name, delta in (("RunStepDetailsToolCallsObject", False), ("RunStepDeltaStepDetailsToolCallsObject", True)):
        branches = schemas[name]["properties"]["tool_calls"]["items"]["oneOf"]
        for kind in AZURE_TOOLS:
            schema = f"Foundry{'Delta' if delta else ''}ToolCall_{kind}"
            schemas[schema] = _tool_call(kind, delta)
            branches.append({"$ref": f"#/components/schemas/{schema}"})


def url_citations(schemas: dict[str, Any]) -> None:
    """Text carries `url_citation` annotations (Bing grounding and the like)."""
    for name, delta in (("MessageContentTextObject", False), ("MessageDeltaContentTextObject", True)):
        schema = f"Foundry{'Delta' if delta else ''}UrlCitation"
        schemas[schema] = _url_annotation(delta)
        schemas[name]["properties"]["text"]["properties"]["annotations"]["items"]["oneOf"].append(
            {"$ref": f"#/components/schemas/{schema}"}
        )


def threads_list(schemas: dict[str, Any]) -> None:
    """`GET /threads` answers a list of threads (an operation the OpenAI spec does not have)."""
    page = copy.deepcopy(schemas["ListAssistantsResponse"])
    page.pop("x-oaiMeta", None)
    page["properties"]["data"]["items"] = {"$ref": "#/components/schemas/ThreadObject"}
    schemas["FoundryListThreadsResponse"] = page


def usage_details(schemas: dict[str, Any]) -> None:
    """A run's and a step's usage carry `prompt_token_details: {cached_tokens}` (azure-ai-agents
    `test_create_stream.json` thread.run.completed, 2025-04-28; `test_code_interpreter_tool.json`)."""
    details = {"type": "object", "properties": {"cached_tokens": {"type": "integer"}}, "required": ["cached_tokens"],
               "additionalProperties": False}  # fmt: skip
    for name in ("RunCompletionUsage", "RunStepCompletionUsage"):
        usage = next(branch for branch in schemas[name]["anyOf"] if branch.get("type") == "object")
        usage["properties"]["prompt_token_details"] = details


RESPONSE_PATCHES: list[Patch] = [
    *SPEC_PATCHES, azure_tool_calls, url_citations, threads_list, tool_approval_action, usage_details,
]  # fmt: skip
#: Operations of this shape beyond the spec's: (method, path template) -> schema of the answer.
EXTRA_OPERATIONS = {("get", "/threads"): "FoundryListThreadsResponse"}


def patched(spec: dict[str, Any], patches: list[Patch]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    for patch in patches:
        patch(spec["components"]["schemas"])
    return spec
