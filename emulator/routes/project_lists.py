"""Foundry's list operations of a project's responses and conversations (`responses/project_lists.py`): served on
the project shape's `/openai/v1` only (OpenAI's API has neither)."""

from ..responses import agents, project_lists
from ._http import Call, Routes

routes = Routes()


@routes.get("/responses")
def list_responses(call: Call):
    args = call.args
    page = project_lists.list_responses(call.api, call.list_query(), agent_name=args.get("agent_name"),
                                        agent_id=args.get("agent_id"), conversation_id=args.get("conversation_id"))  # fmt: skip
    # OpenAI's list envelope, in its key order (`data` second), each response as Foundry writes it: dumped once
    answer = page.model_dump(mode="json")
    answer["data"] = [agents.shown(r) for r in answer["data"]]
    return answer


@routes.get("/conversations")
def list_conversations(call: Call):
    args = call.args
    return project_lists.list_conversations(call.api, call.list_query(), agent_name=args.get("agent_name"),
                                            agent_id=args.get("agent_id"))  # fmt: skip
