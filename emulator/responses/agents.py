"""Responses that run a Foundry agent version (the project shape, azure-ai-projects 2.x: `emulator/project.py`).

An agent version is only a stored definition (`call.api.agents`): a response that names one is the request with
the definition's model, instructions, tools, tool_choice, text, temperature, top_p and reasoning applied (the
request's own input, conversation, previous_response_id, stream, background, store, include and metadata kept),
played by the one Responses engine. Three ways the wire names the agent:

- `/openai/v1/responses` with `agent_reference: {type, name, version?}` (2.0.0 on): no version is the latest; the
  answer ends with `agent_reference: {type, name, version}` and each output item carries `agent_reference` and
  `response_id` after its `id` (test_agent_responses_crud.json, 2026-03). The pre-2.0.0b4 `agent` property is
  refused there with a 400 naming `agent_reference` (reference notes on the Foundry Agent Service).
- `/openai/responses?api-version=2025-11-15-preview` with `agent: {type: agent_reference, name}` (2.0.0b3): the
  answer carries `agent: {type: agent_id, name, version}` and `user: null`, its items nothing of the agent
  (test_agent_function_tool.json and test_agent_code_interpreter_simple_math.json, 2025-12).
- `/agents/{name}/endpoint/protocols/openai/responses` (2.10's `get_openai_client(agent_name=...)`): the body
  names no agent; the version is the one the agent's endpoint configuration selects. No recording shows this
  answer: it is written as the `/openai/v1` one (`agent_reference`).

A request that names an agent and also sets what the definition owns (model, instructions, tools, text,
temperature, top_p, reasoning) is refused (400): Microsoft's agent-framework strips exactly these from such a
request ("not supported on request level", microsoft/agent-framework python azure-ai `_chat_client.py`);
`tool_choice` is the request's to set (Azure's 2.10 tool samples send `tool_choice="required"` to an agent).
`structured_inputs` (2.10 samples `sample_agent_*_structured_inputs.py`) fill the definition's `{{name}}`
placeholders in its instructions and tools.

Foundry writes a response in an order of its own (every recording above: `metadata` first, `id` in the middle,
the agent last) and leaves out what OpenAI adds (`billing`, `tool_usage`, `store`, unset penalties, ...):
`shown` writes a response of the project shape as Foundry does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from .. import errors, project
from ..models.response import AgentReference, Response
from ..validation import type_name, validate

#: The definition's fields a response takes (PromptAgentDefinition of azure-ai-projects 2.10).
APPLIED = ("model", "instructions", "tools", "tool_choice", "text", "temperature", "top_p", "reasoning")
#: Request fields the agent owns: refused beside an agent (see the module's docstring).
OWNED = ("model", "instructions", "tools", "text", "temperature", "top_p", "reasoning")
#: The request fields that name the agent, taken out before the engine sees the request.
NAMING = ("agent", "agent_reference", "structured_inputs")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def prepare(call: Any, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, AgentReference] | None]:
    """The request `body` of a project-shape `POST …/responses` with its agent's definition applied, and the
    response fields that name the agent (None: the request names no agent, and runs as on OpenAI)."""
    if call.mount != project.AGENT_ENDPOINT and not any(key in body for key in NAMING):
        return body, None  # (validated once, by the engine)
    validate("CreateResponse", body)
    preview = call.mount == project.OPENAI_PREVIEW
    if call.mount == project.AGENT_ENDPOINT:
        name, version = call.agent_endpoint, None
        named = _named(body.get("agent_reference"), "agent_reference") or _named(body.get("agent"), "agent")
        if named is not None and named[0] != name:
            raise errors.bad_request(f"This endpoint serves agent '{name}', not '{named[0]}'.", param="agent_reference")
        _check_owned(body)
        found = call.api.agents.endpoint_version(name)  # (one request's turn of the endpoint's traffic split)
    else:
        if not preview and body.get("agent") is not None:
            raise errors.agent_property_deprecated()
        named = _named(body.get("agent"), "agent") if preview else None
        named = named or _named(body.get("agent_reference"), "agent_reference")
        if named is None:
            return body, None
        _check_owned(body)
        name, version = named
        found = call.api.agents.resolve(name, version)
    definition = dict(found.definition)
    merged = {k: v for k, v in body.items() if k not in NAMING}
    inputs = _inputs(definition.get("structured_inputs") or {}, body.get("structured_inputs") or {})
    for key in APPLIED:
        if definition.get(key) is not None and merged.get(key) is None:
            merged[key] = _filled(definition[key], inputs) if inputs else definition[key]
    ref = AgentReference(type="agent_id" if preview else "agent_reference", name=found.name,
                         version=str(found.version))  # fmt: skip
    return merged, {"agent" if preview else "agent_reference": ref}


def _check_owned(body: dict[str, Any]) -> None:
    for key in OWNED:
        if body.get(key) is not None:
            raise errors.not_with_agent(key)


def _named(raw: Any, param: str) -> tuple[str, str | None] | None:
    """(name, version) of an `agent_reference` (or the preview's `agent`), None when absent. The preview's `agent`
    may name its version by `id`, `NAME:VERSION`, as azure-ai-projects 2.0.0b4 sent it (azure-sdk-assets@4fb2407
    test_responses_instrumentor.py...test_prompt_agent_with_responses_non_streaming.json, 2026-02)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise errors.invalid_type(param, "an object", type_name(raw))
    if raw.get("name") is None:
        raise errors.missing_parameter(f"{param}.name")
    if not isinstance(raw["name"], str):
        raise errors.invalid_type(f"{param}.name", "a string", type_name(raw["name"]))
    if raw.get("type", "agent_reference") != "agent_reference":
        raise errors.invalid_value(f"{param}.type", raw.get("type"), ["agent_reference"])
    version = raw.get("version")
    if version is None and isinstance(raw.get("id"), str) and raw["id"].startswith(raw["name"] + ":"):
        version = raw["id"][len(raw["name"]) + 1 :]
    if version is not None and not isinstance(version, str):
        raise errors.invalid_type(f"{param}.version", "a string", type_name(version))
    return raw["name"], version


def _inputs(defined: dict[str, Any], given: Any) -> dict[str, str]:
    """The structured inputs' values, as their placeholders are filled: given, else the definition's default; a
    required one missing is the request's 400."""
    if not isinstance(given, dict):
        raise errors.invalid_type("structured_inputs", "an object", type_name(given))
    values: dict[str, str] = {}
    for name, spec in defined.items():
        spec = spec if isinstance(spec, dict) else {}
        value = given.get(name, spec.get("default_value"))
        if value is None:
            if spec.get("required"):
                raise errors.missing_parameter(f"structured_inputs.{name}")
            continue
        values[name] = value if isinstance(value, str) else json.dumps(value)
    return values


def _filled(value: Any, inputs: dict[str, str]) -> Any:
    """`value` with every `{{name}}` of a known structured input replaced by its value."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: inputs.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_filled(v, inputs) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, inputs) for k, v in value.items()}
    return value


# --- how Foundry writes a response --------------------------------------------------------------------------------

#: The keys of a response in Foundry's order: `/openai/v1` (test_agent_responses_crud.json, 2026-03) and the dated
#: preview (test_agent_function_tool.json, 2025-12, which shows `previous_response_id` after `top_logprobs` when set).
V1_ORDER = ("metadata", "top_logprobs", "temperature", "top_p", "service_tier", "previous_response_id", "model",
            "reasoning", "background", "text", "tools", "tool_choice", "truncation", "id", "object", "status",
            "created_at", "completed_at", "error", "incomplete_details", "output", "instructions", "usage",
            "parallel_tool_calls", "conversation", "agent_reference")  # fmt: skip
PREVIEW_ORDER = ("metadata", "temperature", "top_p", "user", "service_tier", "top_logprobs", "previous_response_id",
                 "model", "reasoning", "background", "text", "tools", "tool_choice", "truncation", "id", "object",
                 "status", "created_at", "error", "incomplete_details", "output", "instructions", "usage",
                 "parallel_tool_calls", "conversation", "agent")  # fmt: skip
#: What a REST answer's `reasoning` shows, when set: not OpenAI's later `context` and `mode` (2026-07).
REASONING_KEYS = ("effort", "summary")
#: Keys written even when null (as recorded); other nulls are left out.
NULLS = frozenset({"error", "incomplete_details", "instructions", "usage", "conversation", "user", "completed_at"})
#: OpenAI's own keys, and the preview's `completed_at` (not in its recordings): never written.
DROPPED = frozenset({"billing", "content_filters", "tool_usage", "moderation"})
PREVIEW_DROPPED = DROPPED | {"completed_at"}
#: Other keys of ours, written only when the request set them (not at OpenAI's default).
DEFAULTS = {"frequency_penalty": 0.0, "presence_penalty": 0.0, "store": True, "prompt_cache_retention": "in_memory"}
#: Item keys after `type` and `id` (and the agent's stamp), by item type: the recordings above.
V1_ITEMS = {"message": ("role", "content", "status")}
PREVIEW_ITEMS = {
    "message": ("status", "role", "content"),
    "function_call": ("status", "call_id", "name", "arguments"),
    "code_interpreter_call": ("status", "container_id", "code", "outputs"),
}
PART_ORDER = {"output_text": ("type", "text", "annotations", "logprobs")}
#: A function tool's echo (test_agent_function_tool.json, 2025-12).
FUNCTION_ORDER = ("type", "name", "description", "parameters", "strict")


def shown(response: Response | dict[str, Any], *, preview: bool = False) -> dict[str, Any]:
    """A response of the project shape as Foundry writes it (its agent's stamp on the items, on `/openai/v1`);
    `preview`: as the dated preview route writes it."""
    data = response.model_dump(mode="json") if isinstance(response, Response) else response
    order, dropped = (PREVIEW_ORDER, PREVIEW_DROPPED) if preview else (V1_ORDER, DROPPED)
    if preview:
        data.setdefault("user", None)
    data.setdefault("conversation", None)
    if isinstance(data.get("reasoning"), dict):  # `{}`, or a reasoning model's `{effort}` (the recordings above)
        data["reasoning"] = {k: v for k, v in data["reasoning"].items() if k in REASONING_KEYS and v is not None}
    data["tools"] = [_tool(t) for t in data.get("tools") or []]
    ran = data.get("agent" if preview else "agent_reference")
    data["output"] = [_item(i, data.get("id"), ran, preview) for i in data.get("output") or []]
    extra = {k: v for k, v in data.items() if k not in order and k not in dropped and v is not None
             and DEFAULTS.get(k, object()) != v}  # fmt: skip
    written: dict[str, Any] = {}
    for key in order:
        if key == "id":
            written.update(extra)
        if key in data and (data[key] is not None or key in NULLS):
            written[key] = data[key]
    return written


def _item(item: dict[str, Any], response_id: Any, ran: Any, preview: bool, *, stream: bool = False) -> dict[str, Any]:
    """An output item as Foundry writes it, stamped with the agent that made it (`ran`; None: no stamp): on
    `/openai/v1` `agent_reference` and `response_id` after `id` (test_agent_responses_crud.json, 2026-03); on the
    preview `created_by` (azure-sdk-assets@4fb2407 python/sdk/ai/azure-ai-projects/tests/recordings/agents/telemetry/
    test_responses_instrumentor.py...test_prompt_agent_with_responses_[non_]streaming.json, 2026-02): last with the
    agent and `response_id` in a REST answer, after `id` with the agent only in a stream."""
    head = {k: item[k] for k in ("type", "id") if k in item}
    tail: dict[str, Any] = {}
    if ran is not None and not preview:
        head.update(agent_reference=ran, response_id=response_id)
    elif ran is not None and stream:
        head["created_by"] = {"agent": ran}
    elif ran is not None:
        tail["created_by"] = {"agent": ran, "response_id": response_id}
    order = () if stream else (PREVIEW_ITEMS if preview else V1_ITEMS).get(str(item.get("type")), ())
    rest = {k: item[k] for k in order if k in item}
    rest.update({k: v for k, v in item.items() if k not in head and k not in rest})
    if isinstance(rest.get("content"), list):
        rest["content"] = [_part(p) for p in rest["content"]]
    return {**head, **rest, **tail}


def _tool(tool: Any) -> Any:
    """A tool as Foundry echoes it: a function's keys in its order; a code interpreter's automatic container without
    `file_ids` when none (test_agent_code_interpreter_simple_math.json, 2025-12)."""
    if not isinstance(tool, dict):
        return tool
    if tool.get("type") == "function":
        return {**{k: tool[k] for k in FUNCTION_ORDER if k in tool}, **tool}
    container = tool.get("container")
    if tool.get("type") == "code_interpreter" and isinstance(container, dict) and container.get("file_ids") == []:
        return {**tool, "container": {k: v for k, v in container.items() if k != "file_ids"}}
    return tool


def shown_items(answer: Any, *, preview: bool = False) -> Any:
    """A conversation item, or a page of them, of the project shape as Foundry writes items: on `/openai/v1` a
    message is `type, id, role, content, status` (test_conversation_items_crud.json, 2026-03, as a response's items
    in test_agent_responses_crud.json); on the preview, as the preview writes a response's items."""
    data = answer.model_dump(mode="json") if hasattr(answer, "model_dump") else answer
    if not isinstance(data, dict):
        return answer
    if isinstance(data.get("data"), list):
        data["data"] = [_item(i, None, None, preview) if isinstance(i, dict) else i for i in data["data"]]
        return data
    return _item(data, None, None, preview) if "type" in data and "id" in data else data


def _part(part: Any) -> Any:
    order = PART_ORDER.get(part.get("type")) if isinstance(part, dict) else None
    return {**{k: part[k] for k in order if k in part}, **part} if order else part


#: What a stream's response leaves out of ours (the preview's stream above: OpenAI's order otherwise, its agent last).
STREAM_DROPPED = DROPPED | {"frequency_penalty", "presence_penalty", "agent", "agent_reference"}


def _streamed(data: dict[str, Any], preview: bool) -> tuple[dict[str, Any], Any]:
    """A response in a stream event as Foundry writes it (the preview's recorded stream, 2026-02: OpenAI's keys and
    order, nulls kept, the agent last; its items stamped as a stream's are), and the agent it ran."""
    key = "agent" if preview else "agent_reference"
    ran = data.get(key)
    written = {k: v for k, v in data.items() if k not in STREAM_DROPPED}
    written["tools"] = [_tool(t) for t in data.get("tools") or []]
    written["output"] = [_item(i, data.get("id"), ran, preview, stream=True) for i in data.get("output") or []]
    if ran is not None:
        written[key] = ran
    return written, ran


def shown_events(events: Iterator[tuple[str, str]], *, preview: bool = False) -> Iterator[tuple[str, str]]:
    """A stream of the project shape: the response each event shows, and the item of an item event, as Foundry
    writes them in a stream (`_streamed`; on `/openai/v1`, unrecorded, the stamp of its REST answer's items)."""
    ran: Any = None
    response_id: Any = None
    for name, data in events:
        if '"response":{' not in data and (ran is None or '"item":{' not in data):
            # nothing to rewrite (most events: deltas): passed on as written, not parsed and written again. A key
            # can be told from text, where every quote is escaped: a false match only costs the parse.
            yield name, data
            continue
        event = json.loads(data)
        if not isinstance(event, dict):
            yield name, data
            continue
        if isinstance(event.get("response"), dict):
            response_id = event["response"].get("id")
            event["response"], ran = _streamed(event["response"], preview)
        if isinstance(event.get("item"), dict) and ran is not None:
            event["item"] = _item(event["item"], response_id, ran, preview, stream=True)
        yield name, json.dumps(event, separators=(",", ":"), ensure_ascii=False)
