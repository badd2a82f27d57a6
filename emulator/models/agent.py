"""The new Foundry agents' objects (azure-ai-projects 2.x `AgentVersionDetails`, `AgentDetails` and the
deleted answers): an agent is a name with numbered versions, each an immutable definition.

Key order as recorded (azure-ai-projects test_agent_responses_crud.json, 2026-03, and
test_agent_function_tool.json, 2025-12): a version is `{"metadata": {}, "object": "agent.version",
"id": "MyAgent:53", "name": "MyAgent", "version": "53", "description": "", "created_at": ...,
"definition": {"kind": "prompt", ...}}`, and its deletion `{"object": "agent.version.deleted", "name",
"version", "deleted"}`. No recording shows an agent (`GET /agents/{name}`): its keys follow the SDK's
`AgentDetails` (azure-ai-projects 2.10 models/_models.py), its `id` is its name (unconfirmed).
"""

from __future__ import annotations

from typing import Any, Literal

from .common import APIModel, Sparse


class AgentVersion(APIModel):
    """One version of an agent: what `create_version` answers, and what a response naming the agent
    (`agent_reference`) runs. `definition` is the definition as stored (`kind` first, then the keys as
    given; each tool's `type` first), a plain dict."""

    metadata: dict[str, str]
    object: Literal["agent.version"] = "agent.version"
    #: `NAME:VERSION`
    id: str
    name: str
    #: A decimal string counting from "1" per agent name, never reused under that name.
    version: str
    description: str = ""
    created_at: int
    definition: dict[str, Any]


class AgentRecord(APIModel):
    """What the emulator keeps of an agent besides its versions (not a wire object)."""

    id: str
    name: str
    created_at: int
    #: `AgentEndpointConfig` as set by `update_details` (a merge patch), None until then
    agent_endpoint: dict[str, Any] | None = None
    agent_card: dict[str, Any] | None = None


class AgentVersions(APIModel):
    latest: AgentVersion


class AgentDetails(Sparse):
    """An agent as `GET /agents/{name}` answers it (the SDK's `AgentDetails`)."""

    object: Literal["agent"] = "agent"
    id: str
    name: str
    state: Literal["enabled", "disabled"] = "enabled"
    configuration_state: Literal["enabled", "disabled"] = "enabled"
    versions: AgentVersions
    agent_endpoint: dict[str, Any] | None = None
    agent_card: dict[str, Any] | None = None


class AgentDeleted(APIModel):
    object: Literal["agent.deleted"] = "agent.deleted"
    name: str
    deleted: bool = True


class AgentVersionDeleted(APIModel):
    object: Literal["agent.version.deleted"] = "agent.version.deleted"
    name: str
    version: str
    deleted: bool = True
