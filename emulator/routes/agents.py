"""The new Foundry agents (`project_client.agents` of azure-ai-projects 2.x): named agents and their
versions, under a project endpoint (see `emulator/project.py`; the domain is `emulator/domain/agents.py`).

Paths and query parameters as azure-ai-projects 2.10 builds them (operations/_operations.py
`build_agents_*`). What is not served (`versions:import`, `:enable`/`:disable`, code-based agents,
sessions, ...) is an unknown URL, as any other (docs/limits.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import errors
from ._http import Call, Reply, Routes, View, render

routes = Routes()
AGENTS = "/agents"
AGENT = AGENTS + "/<agent_name>"
VERSIONS = AGENT + "/versions"
VERSION = VERSIONS + "/<agent_version>"
#: The header that opts in to the service's preview features (azure-ai-projects models/_patch.py).
FEATURES_HEADER = "foundry-features"
#: On every answer of the agents API (recorded: azure-ai-projects test_agent_responses_crud.json, 2026-03).
SUPPORTED_VERSIONS = {"api-supported-versions": "1.0,2025-05-15-preview,2025-11-15-preview"}


def refusal(exc: errors.APIError) -> errors.APIError:
    """An error of the agents API (its view's, or the dispatcher's when no view answers): in the agents' envelope,
    with the service's `api-supported-versions` header."""
    error = errors.in_agents_envelope(exc)
    error.headers.update(SUPPORTED_VERSIONS)
    return error


def _route(method: str, rule: str) -> Callable[[View], View]:
    """A view of the agents API: its errors all in the agents' envelope (a bad query or JSON body too), and
    every answer with the service's `api-supported-versions` header."""

    def register(view: View) -> View:
        @functools.wraps(view)
        def answer(call: Call, **parts: Any) -> Reply:
            try:
                reply = render(view(call, **parts))
            except errors.APIError as exc:
                raise refusal(exc) from None
            reply.headers.update(SUPPORTED_VERSIONS)
            return reply

        routes.add(rule, method)(answer)
        return view

    return register


@_route("POST", VERSIONS)
def create_version(call: Call, agent_name: str):
    if call.headers.get("content-type", "").lower().startswith("multipart/"):
        # `create_version_from_code` (a hosted agent's code zip) posts a form to the same URL
        raise errors.agent_kind_not_served("hosted")
    return call.api.agents.create_version(agent_name, call.json(), features=call.headers.get(FEATURES_HEADER, ""))


@_route("GET", AGENT)
def get_agent(call: Call, agent_name: str):
    return call.api.agents.get(agent_name)


@_route("GET", AGENTS)
def list_agents(call: Call):
    return call.api.agents.list(call.list_query(), kind=call.args.get("kind") or None)


@_route("DELETE", AGENT)
def delete_agent(call: Call, agent_name: str):
    """`force` (hosted agents' sessions) changes nothing for prompt agents."""
    return call.api.agents.delete(agent_name)


@_route("PATCH", AGENT)
def update_agent_details(call: Call, agent_name: str):
    """A JSON merge patch (`application/merge-patch+json`)."""
    return call.api.agents.update_details(agent_name, call.json())


@_route("POST", AGENT)
def agent_action(call: Call, agent_name: str):
    """`POST /agents/{name}:enable` and `:disable` (an agent's state) are not served: an unknown URL, as
    the other operations the emulator does not serve (without this route, the 405 of `/agents/{name}`)."""
    raise errors.unknown_route(call.method, call.path)


@_route("GET", VERSIONS)
def list_agent_versions(call: Call, agent_name: str):
    """`include_drafts` changes nothing: the emulator has no drafts."""
    return call.api.agents.list_versions(agent_name, call.list_query())


@_route("GET", VERSION)
def get_agent_version(call: Call, agent_name: str, agent_version: str):
    return call.api.agents.get_version(agent_name, agent_version)


@_route("DELETE", VERSION)
def delete_agent_version(call: Call, agent_name: str, agent_version: str):
    return call.api.agents.delete_version(agent_name, agent_version)
