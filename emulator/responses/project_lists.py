"""Foundry's list operations of a project's responses and conversations, optionally of one agent: what OpenAI's
API does not have (the openai SDK and azure-ai-projects 2.10 call neither; the .NET SDK does).

    GET {project}/openai/v1/responses?limit&order&after&before&agent_name&agent_id&conversation_id
    GET {project}/openai/v1/conversations?limit&order&after&before&agent_name&agent_id
    GET {project}/openai/v1/conversations/{id}/items?item_type=...   (only items of that type)

The parameters are those of Azure/azure-sdk-for-net `sdk/ai/Azure.AI.Projects.OpenAI`
(`ProjectResponsesClient.RestClient.cs` `CreateGetProjectResponsesRequest`, `ProjectConversationsClient.RestClient.cs`
`CreateGetProjectConversationsRequest`, `CreateGetProjectConversationItemsRequest`): `agent_name` names an agent (any version), `agent_id` one version
(`NAME:VERSION`, as `ProjectResponsesClient.GetProjectResponses` writes it from an `AgentReference` with a version),
`conversation_id` the responses of one conversation; pages are OpenAI's list envelope (`InternalOpenAICollectionResultOfT`
reads `data` and `has_more`, and pages on with `after`). A conversation is an agent's when a response of that agent
ran in it. Only stored responses are listed (a `store: false` one cannot be read back).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..pagination import ListPage, ListQuery, paginate


def _ran(response: Any) -> tuple[str, str] | None:
    """(name, version) of the agent a stored response ran, if any."""
    ref = response.agent_reference or response.agent
    return (ref.name, ref.version) if ref is not None else None


def _agent_filter(agent_name: str | None, agent_id: str | None) -> Any:
    """Whether a response's agent fits the filters (None: no filter)."""
    if agent_id is not None:
        name, sep, version = agent_id.rpartition(":")
        if not sep or not name or not version:
            raise errors.invalid("agent_id", f"expected NAME:VERSION, got '{agent_id}'.", "invalid_value")
    if agent_name is None and agent_id is None:
        return None

    def fits(response: Any) -> bool:
        ran = _ran(response)
        if ran is None or (agent_name is not None and ran[0] != agent_name):
            return False
        return agent_id is None or f"{ran[0]}:{ran[1]}" == agent_id

    return fits


def list_responses(api: Any, query: ListQuery, *, agent_name: str | None = None, agent_id: str | None = None,
                   conversation_id: str | None = None) -> ListPage:  # fmt: skip
    """A page of the stored responses (settled first: a background one shows where it is now)."""
    fits = _agent_filter(agent_name, agent_id)

    def accept(response: Any) -> bool:
        if conversation_id is not None and (
            response.conversation is None or response.conversation.id != conversation_id
        ):
            return False
        return fits is None or fits(response)

    page = paginate(api.ns.responses, query, accept)
    return page.model_copy(update={"data": [api.responses.engine.settle(r.id) for r in page.data]})


def list_conversations(api: Any, query: ListQuery, *, agent_name: str | None = None,
                       agent_id: str | None = None) -> ListPage:  # fmt: skip
    """A page of the conversations (of an agent: those a response of it ran in)."""
    fits = _agent_filter(agent_name, agent_id)
    if fits is None:
        return paginate(api.ns.conversations, query)
    ran_in = {r.conversation.id for r in api.ns.responses.values() if r.conversation is not None and fits(r)}
    return paginate(api.ns.conversations, query, lambda c: c.id in ran_in)
