"""The new Foundry Agent Service's shape (`azure-ai-projects` 2.x): versioned agents and the
OpenAI v1 API under a project endpoint.

    {endpoint}/api/projects/{project}/agents/{name}/versions?api-version=v1        the agents
    {endpoint}/api/projects/{project}/openai/v1/responses                          OpenAI's v1 API
    {endpoint}/api/projects/{project}/openai/responses?api-version=2025-11-15-preview
    {endpoint}/api/projects/{project}/agents/{name}/endpoint/protocols/openai/responses?api-version=v1

- `project_client.agents` (azure-core) speaks to `/agents...` with `api-version` `v1` (2.0.0 on),
  `2025-11-15-preview` (2.0.0b3, recorded by azure-ai-projects test_agent_function_tool.json, 2025-12)
  or `2025-05-15-preview`; the service names them in `api-supported-versions`.
- `project_client.get_openai_client()` is a stock `openai.OpenAI` on `{project}/openai/v1`: responses,
  conversations, files, vector stores and containers, as OpenAI's `/v1` serves them (no Assistants).
  2.0.0b3 used `{project}/openai` with `api-version=2025-11-15-preview` (responses and conversations).
  `get_openai_client(agent_name=...)` (2.10) points the client at the agent's own endpoint, whose
  responses run the version its endpoint configuration selects.
- Auth is an Entra bearer token, as on the classic Foundry shape (`emulator/foundry.py`): any token,
  unless the emulator has API keys; every project name sees the same objects, the classic agents'
  files and vector stores among them.
"""

from __future__ import annotations

from typing import Any

from . import errors, foundry
from .spec import project_tools

#: The agents API's api-versions (`api-supported-versions` of every recorded answer: 1.0 is `v1`).
AGENTS_API_VERSIONS = ("v1", "2025-05-15-preview", "2025-11-15-preview")
#: The dated OpenAI routes of the project (before 2.0.0's `/openai/v1`).
PREVIEW_API_VERSIONS = ("2025-11-15-preview",)
#: Where each part is mounted (werkzeug rules: `project` and `agent_name` are one path segment each),
#: and the api-versions it takes (None: it takes no api-version and ignores one).
OPENAI_V1 = foundry.PREFIX + "/openai/v1"
OPENAI_PREVIEW = foundry.PREFIX + "/openai"
AGENT_ENDPOINT = foundry.PREFIX + "/agents/<agent_name>/endpoint/protocols/openai"
AGENTS = foundry.PREFIX
API_VERSIONS: dict[str, tuple[str, ...] | None] = {
    OPENAI_V1: None,
    OPENAI_PREVIEW: PREVIEW_API_VERSIONS,
    AGENT_ENDPOINT: AGENTS_API_VERSIONS,
    AGENTS: AGENTS_API_VERSIONS,
}
#: The OpenAI routes each OpenAI mount serves (path prefixes after the mount).
OPENAI_V1_PATHS = ("/responses", "/conversations", "/files", "/vector_stores", "/containers")
OPENAI_PREVIEW_PATHS = ("/responses", "/conversations")


def is_project_path(path: str) -> bool:
    """Whether a path under `/api/projects/NAME` belongs to this shape (not the classic agents')."""
    prefix = foundry.project_prefix(path)
    if prefix is None:
        return False
    rest = path[len(prefix) :]
    return rest == "/agents" or rest.startswith(("/agents/", "/openai/"))


def is_agents_path(path: str) -> bool:
    """Whether a path is the agents API's (`/api/projects/NAME/agents...`, not an agent's OpenAI endpoint)."""
    prefix = foundry.project_prefix(path)
    if prefix is None:
        return False
    rest = path[len(prefix) :]
    return (rest == "/agents" or rest.startswith("/agents/")) and mount_of(path) == prefix


def check_api_version(mount: str, version: str | None) -> None:
    supported = API_VERSIONS.get(mount)
    if supported is not None and version not in supported:
        raise errors.foundry_api_version(version, list(supported))


def mount_of(path: str) -> str:
    """The mount a project path is served under (the longest that fits), for `api_path`."""
    prefix = foundry.project_prefix(path) or ""
    rest = path[len(prefix) :]
    if rest.startswith("/openai/v1/"):
        return prefix + "/openai/v1"
    if rest.startswith("/openai/"):
        return prefix + "/openai"
    parts = rest.split("/")
    if len(parts) > 5 and parts[1] == "agents" and parts[3:6] == ["endpoint", "protocols", "openai"]:
        return prefix + "/".join(parts[:6])
    return prefix


# --- the request dialect and the answers' additions (validation.py, spec/responses.py) ------------------------


#: An agent named by a response (azure-ai-projects 2.10 `AgentReference`: type, name, version).
AGENT_REFERENCE = {
    "type": "object",
    "properties": {"type": {"type": "string", "enum": ["agent_reference"]}, "name": {"type": "string"},
                   "version": {"type": "string"}},
    "required": ["name"],
    "additionalProperties": False,
}  # fmt: skip


def agent_request_fields(schemas: dict[str, Any]) -> None:
    """A response may name the agent it runs: `agent_reference` (`/openai/v1`, 2.0.0 on), `agent` (the dated preview;
    `/openai/v1` refuses it with its own 400: any value passes the schema) and `structured_inputs` (2.10 samples
    `sample_agent_*_structured_inputs.py`); see responses/agents.py."""
    properties = schemas["CreateResponse"]["properties"]
    properties["agent_reference"] = AGENT_REFERENCE
    properties["agent"] = {}
    properties["structured_inputs"] = {"type": "object"}


def auto_container(schemas: dict[str, Any]) -> None:
    """code_interpreter's `container` may be left out: "If not provided, the service assumes auto" (azure-ai-projects
    2.10 `CodeInterpreterTool.container`; Azure's sample_agent_code_interpreter.py defines `CodeInterpreterTool()`);
    responses/code_items.py then takes `{"type": "auto"}`."""
    schema = schemas["CodeInterpreterTool"]
    schema["required"] = [name for name in schema.get("required", []) if name != "container"]


def agent_answer_fields(schemas: dict[str, Any]) -> None:
    """A response names the agent it ran (`agent_reference` on `/openai/v1`, test_agent_responses_crud.json, 2026-03;
    `agent` with `type: agent_id` on the preview, test_agent_function_tool.json, 2025-12), and on `/openai/v1` each of
    its output items the agent and the response (`agent_reference`, `response_id`: test_agent_responses_crud.json)."""
    ran = {"type": "object", "properties": {"type": {"type": "string", "enum": ["agent_reference", "agent_id"]},
                                            "name": {"type": "string"}, "version": {"type": "string"}},
           "required": ["type", "name", "version"], "additionalProperties": False}  # fmt: skip
    for name in ("agent_reference", "agent"):
        schemas["Response"]["properties"][name] = ran
    created_by = {"type": "object", "properties": {"agent": ran, "response_id": {"type": "string"}}, "required": ["agent"],
                  "additionalProperties": False}  # fmt: skip
    # the preview's items carry `created_by` (azure-sdk-assets@4fb2407 azure-ai-projects test_responses_instrumentor
    # ...test_prompt_agent_with_responses_[non_]streaming.json, 2026-02; see responses/agents.py)
    stamp = {"agent_reference": ran, "response_id": {"type": "string"}, "created_by": created_by}
    for schema in _item_schemas(schemas):
        schema["properties"].update(stamp)


def _item_schemas(schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas an output item may be (the branches of `OutputItem`)."""
    found, todo, seen = [], [schemas["OutputItem"]], set()
    while todo:
        schema = todo.pop()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                todo.append(schemas[name])
            continue
        for key in ("anyOf", "oneOf", "allOf"):
            todo.extend(schema.get(key) or [])
        if isinstance(schema.get("properties"), dict):
            found.append(schema)
    return found


def list_answers(schemas: dict[str, Any]) -> None:
    """Foundry's list operations of responses and conversations (responses/project_lists.py) answer OpenAI's list
    envelope of responses and of conversations."""
    for name, item in (("ProjectResponseList", "Response"), ("ProjectConversationList", "ConversationResource")):
        schemas[name] = {
            "type": "object",
            "properties": {"object": {"type": "string", "enum": ["list"]},
                           "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
                           "first_id": {"type": ["string", "null"]}, "last_id": {"type": ["string", "null"]},
                           "has_more": {"type": "boolean"}},
            "required": ["object", "data", "first_id", "last_id", "has_more"],
            "additionalProperties": False,
        }  # fmt: skip


#: Operations of this shape beyond OpenAI's spec: (method, path template) -> schema of the answer.
EXTRA_OPERATIONS = {("get", "/responses"): "ProjectResponseList", ("get", "/conversations"): "ProjectConversationList"}
#: The project shape's request dialect: OpenAI's spec with these (validation.dialect_spec "project"), Foundry's tools
#: among them (spec/project_tools.py).
SPEC_PATCHES = [agent_request_fields, auto_container, *project_tools.REQUEST_PATCHES]
#: The answers' additions (spec/responses.py, dialect "project"); Foundry's items first, so that they are stamped too.
RESPONSE_PATCHES = [*project_tools.RESPONSE_PATCHES, agent_answer_fields, list_answers]
