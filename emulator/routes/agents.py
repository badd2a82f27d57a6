"""The new Foundry agents (`project_client.agents` of azure-ai-projects 2.x): named agents and their
versions, under a project endpoint (see `emulator/project.py`; the domain is `emulator/domain/agents.py`).

Paths and query parameters as azure-ai-projects 2.10 builds them (operations/_operations.py
`build_agents_*`). What is not served (`versions:import`, `:enable`/`:disable`, code-based agents,
sessions, ...) is an unknown URL, as any other (docs/limits.md).
"""

from __future__ import annotations

from .. import errors
from ._http import Call, Routes

routes = Routes()
AGENTS = "/agents"
AGENT = AGENTS + "/<agent_name>"
VERSIONS = AGENT + "/versions"
VERSION = VERSIONS + "/<agent_version>"
#: The header that opts in to the service's preview features (azure-ai-projects models/_patch.py).
FEATURES_HEADER = "foundry-features"


@routes.post(VERSIONS)
def create_version(call: Call, agent_name: str):
    if call.headers.get("content-type", "").lower().startswith("multipart/"):
        # `create_version_from_code` (a hosted agent's code zip) posts a form to the same URL
        raise errors.agent_kind_not_served("hosted")
    return call.api.agents.create_version(agent_name, call.json(), features=call.headers.get(FEATURES_HEADER, ""))


@routes.get(AGENT)
def get_agent(call: Call, agent_name: str):
    return call.api.agents.get(agent_name)


@routes.get(AGENTS)
def list_agents(call: Call):
    return call.api.agents.list(call.list_query(), kind=call.args.get("kind") or None)


@routes.delete(AGENT)
def delete_agent(call: Call, agent_name: str):
    """`force` (hosted agents' sessions) changes nothing for prompt agents."""
    return call.api.agents.delete(agent_name)


@routes.patch(AGENT)
def update_agent_details(call: Call, agent_name: str):
    """A JSON merge patch (`application/merge-patch+json`)."""
    return call.api.agents.update_details(agent_name, call.json())


@routes.get(VERSIONS)
def list_agent_versions(call: Call, agent_name: str):
    """`include_drafts` changes nothing: the emulator has no drafts."""
    return call.api.agents.list_versions(agent_name, call.list_query())


@routes.get(VERSION)
def get_agent_version(call: Call, agent_name: str, agent_version: str):
    return call.api.agents.get_version(agent_name, agent_version)


@routes.delete(VERSION)
def delete_agent_version(call: Call, agent_name: str, agent_version: str):
    return call.api.agents.delete_version(agent_name, agent_version)
