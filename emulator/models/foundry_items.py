"""Foundry's own tools on the Responses API of a project (azure-ai-projects 2.x), as responses show them.

Sources: the tools are azure-ai-projects 2.10.0's `Tool` subclasses (`models/_models.py`: `BingGroundingTool`
`{"type": "bing_grounding", "bing_grounding": {"search_configurations": [...]}}`, ...), echoed as given. Their
calls are the items of Foundry's Responses protocol (azure-ai-agentserver-responses 2.3.0,
`models/_generated/types.py`, generated from the service's TypeSpec: `BingGroundingToolCall`,
`BingGroundingToolCallOutput`, ...): a call is `{type: "<kind>_call", id, call_id, arguments, status}` (with the
`name` of the function, operation or agent card for `azure_function`, `openapi` and `a2a`), and its result a
separate `{type: "<kind>_call_output", id, call_id, output, status}` item (`output` a string, an object or a list;
`status` one of in_progress, completed, incomplete, failed). `capture_structured_outputs` makes a
`{type: "structured_outputs", id, output}` item. Both item kinds may also carry `agent_reference` and
`response_id` (the agent that made them: a response run for an agent). The 2.10 sample of the `a2a` tool
(`samples/agents/tools/sample_agent_to_agent.py`) reads `a2a_preview_call` and `a2a_preview_call_output` items.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr

from scripted_models.base import RESPONSES_FOUNDRY_TOOLS

from .common import APIModel

#: The tools a response of a project plays, and the call item each makes (the protocol's `ItemType` list): A2A's
#: two tool types make the one `a2a_preview_call`.
CALL_ITEMS = {kind: "a2a_preview_call" if kind == "a2a" else f"{kind}_call" for kind in RESPONSES_FOUNDRY_TOOLS}
#: The calls that name what they call (the protocol's `A2AToolCall`, `AzureFunctionToolCall`, `OpenApiToolCall`).
NAMED = ("a2a_preview_call", "azure_function_call", "openapi_call")
CAPTURE = "capture_structured_outputs"
STRUCTURED_OUTPUTS = "structured_outputs"
#: azure-ai-projects 2.10 tools the emulator does not serve: their wire or what they reach has no local stand-in.
REFUSED = {
    "memory_search_preview": "it searches a memory store, and the emulator serves no memory stores",
    "work_iq_preview": "it reaches Microsoft 365 Work IQ, whose calls no source shows",
    "web_iq_preview": "it reaches Web IQ, whose calls no source shows",
    "fabric_iq_preview": "it reaches Fabric IQ, whose calls no source shows",
    "browser_automation": "no source shows its calls (`browser_automation_preview` is played)",
    "github_copilot_toolset_preview": "it reaches GitHub Copilot, whose calls no source shows",
    "microsoft_copilot_toolset_preview": "it reaches Microsoft Copilot, whose calls no source shows",
}
KINDS = (*CALL_ITEMS, CAPTURE)
CALL_TYPES = tuple(dict.fromkeys(CALL_ITEMS.values()))
OUTPUT_TYPES = tuple(f"{kind}_output" for kind in CALL_TYPES)
ITEM_TYPES = (*CALL_TYPES, *OUTPUT_TYPES, STRUCTURED_OUTPUTS)
ToolCallStatus = Literal["in_progress", "completed", "incomplete", "failed"]
#: The same lists as types, derived so that a tool added to RESPONSES_FOUNDRY_TOOLS gets its items' models too.
FoundryKind = Literal[KINDS]  # type: ignore[valid-type]
CallType = Literal[CALL_TYPES]  # type: ignore[valid-type]
OutputType = Literal[OUTPUT_TYPES]  # type: ignore[valid-type]


def _none(value: Any) -> bool:
    return value is None


class FoundryToolEcho(APIModel):
    """A Foundry tool as the request gave it (its settings checked by the request's schema)."""

    model_config = ConfigDict(extra="allow")

    type: FoundryKind


class FoundryCallItem(APIModel):
    """The model's call of a Foundry tool."""

    id: str
    type: CallType
    status: ToolCallStatus = "completed"
    call_id: str
    name: str | None = Field(default=None, exclude_if=_none)
    arguments: str


class FoundryCallOutputItem(APIModel):
    """What a Foundry tool call gave. `_results` are the sources a reply may cite (a script's canned `results`)."""

    id: str
    type: OutputType
    status: ToolCallStatus = "completed"
    call_id: str
    name: str | None = Field(default=None, exclude_if=_none)
    output: Any = None
    _results: tuple[Any, ...] = PrivateAttr(default=())


class StructuredOutputsItem(APIModel):
    """What `capture_structured_outputs` captured (the protocol's `StructuredOutputsOutputItem`)."""

    id: str
    type: Literal["structured_outputs"] = "structured_outputs"
    output: Any = None
