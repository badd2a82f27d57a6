"""The new Foundry agents (azure-ai-projects 2.x `project_client.agents`): named agents, each with
numbered, immutable versions whose `definition` a response runs when it names the agent
(`agent_reference`, on the Responses front end: an agent version is only a stored definition).

    api.agents.create_version("MyAgent", {"definition": {"kind": "prompt", "model": "gpt-4o"}})
    api.agents.resolve("MyAgent")            # the latest version (an AgentVersion), or the service's 404
    api.agents.resolve("MyAgent", "2")       # that version
    api.agents.endpoint_version("MyAgent")   # the version the agent's endpoint sends this request to

What the service does, and what the emulator decides where nothing shows it:
- Versions count from "1" per agent name and are never reused under that name, even after the
  version or the whole agent was deleted (a recording shows "MyAgent:53" from a suite that creates
  and deletes one version per run: azure-ai-projects test_agent_responses_crud.json, 2026-03).
- An agent exists while it has a version: deleting its last version deletes it (and its endpoint
  configuration). Its `id` is its name; it is listed in creation order.
- Only prompt agents are served. Workflow, external and voice agents without their `Foundry-Features`
  opt-in get the service's 403 `preview_feature_required`; with it, and hosted agents, the emulator's
  400 (docs/limits.md).
- The endpoint's `version_selector` (FixedRatio rules with traffic percentages, set by `update_details`)
  is played as a smooth weighted round robin: of every 100 requests each version gets exactly its
  percentage, interleaved (nginx's algorithm; deterministic, no draw). Rules naming a deleted version are
  skipped; with no rule left, or no endpoint configuration, the latest version serves.
"""

from __future__ import annotations

import re
from typing import Any

from .. import errors, validation
from ..models.agent import (
    AgentDeleted,
    AgentDetails,
    AgentRecord,
    AgentVersion,
    AgentVersionDeleted,
    AgentVersions,
)
from ..models.common import ListPage, changed
from ..pagination import ListQuery, paginate
from ..responses.agents import APPLIED
from ..store import Table
from .base import Service, updated

#: The service's name rule (azure-ai-projects 2.10 `create_version`'s docstring): alphanumeric at both
#: ends, hyphens in the middle, at most 63 characters.
NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
#: `AgentKind` (azure-ai-projects 2.10 models/_enums.py).
KINDS = ("prompt", "hosted", "workflow", "external", "voice")
#: Kinds in preview: their `Foundry-Features` opt-in and how the service's 403 names them
#: (models/_enums.py `_AgentDefinitionOptInKeys`).
PREVIEW_KINDS = {
    "workflow": ("WorkflowAgents=V1Preview", "Workflow agents"),
    "external": ("ExternalAgents=V1Preview", "External agents"),
    "voice": ("VoiceAgents=V1Preview", "Voice agents"),
}
DRAFT_FEATURE = "DraftAgents=V1Preview"
#: `PromptAgentDefinition`'s fields (models/_models.py), `kind` first as the service echoes it.
PROMPT_KEYS = ("kind", "rai_config", "harness", "model", "instructions", "skills", "temperature", "top_p",
               "reasoning", "tools", "tool_choice", "text", "structured_inputs")  # fmt: skip
#: The create body's fields (`create_version`).
CREATE_KEYS = frozenset({"definition", "metadata", "description", "blueprint_reference", "draft"})
#: What `update_details` patches (`AgentDetails`' writable fields).
PATCH_KEYS = frozenset({"agent_endpoint", "agent_card"})
ENDPOINT_KEYS = frozenset({"version_selector", "protocol_configuration", "authorization_schemes"})
METADATA_PAIRS, METADATA_KEY, METADATA_VALUE = 16, 64, 512


class Agents(Service):
    # --- versions -------------------------------------------------------------------------------

    def create_version(self, name: str, body: dict[str, Any], *, features: str = "") -> AgentVersion:
        """`POST /agents/{name}/versions`: a new version (the agent too, if it has none). `features` is the
        request's `Foundry-Features` header."""
        _check_name(name)
        if not isinstance(body, dict):
            raise errors.agent_invalid("body", "The request body must be a JSON object.", "invalid_type")
        _only(body, CREATE_KEYS)
        if body.get("draft"):
            if DRAFT_FEATURE not in features:
                raise errors.agent_preview_feature(DRAFT_FEATURE, "Draft agents")
            raise errors.agent_invalid("draft", "The emulator does not serve draft agent versions "
                                       "(see the emulator's docs/limits.md).")  # fmt: skip
        if body.get("blueprint_reference") is not None:
            raise errors.agent_invalid("blueprint_reference", "The emulator does not serve agent blueprints "
                                       "(see the emulator's docs/limits.md).")  # fmt: skip
        definition = _definition(body.get("definition"), features)
        metadata = _metadata(body.get("metadata"))
        description = body.get("description")
        if description is None:
            description = ""
        elif not isinstance(description, str):
            raise errors.agent_invalid("description", "'description' must be a string.", "invalid_type")
        number = self.ns.agent_version_counts.get(name, 0) + 1
        self.ns.agent_version_counts[name] = number
        now = self.now()
        version = AgentVersion(
            metadata=metadata, id=f"{name}:{number}", name=name, version=str(number), description=description,
            created_at=now, definition=definition,
        )  # fmt: skip
        if name not in self.ns.agents:
            self.ns.agents.add(name, AgentRecord(id=name, name=name, created_at=now))
            self.ns.agent_versions[name] = Table()
        self.ns.agent_versions[name].add(version.id, version)
        return version

    def get_version(self, name: str, version: str) -> AgentVersion:
        found = self._versions(name).get(f"{name}:{version}")
        if found is None:
            raise errors.agent_version_not_found(name, version)
        return found

    def list_versions(self, name: str, query: ListQuery) -> ListPage:
        """The versions of an agent, newest first by default (cursors: the versions' ids)."""
        return paginate(self._versions(name), query)

    def delete_version(self, name: str, version: str) -> AgentVersionDeleted:
        """Deletes a version; the agent goes with its last one."""
        found = self.get_version(name, version)
        versions = self._versions(name)
        versions.remove(found.id)
        if not len(versions):
            self._drop(name)
        return AgentVersionDeleted(name=name, version=found.version)

    # --- agents ---------------------------------------------------------------------------------

    def get(self, name: str) -> AgentDetails:
        return self._details(self._record(name))

    def list(self, query: ListQuery, *, kind: str | None = None) -> ListPage:
        """Agents in creation order (newest first by default), those of one `kind` if given."""
        if kind is not None and kind not in KINDS:
            raise errors.invalid_value("kind", kind, list(KINDS))
        accept = None if kind is None else (lambda r: self._latest(r.name).definition.get("kind") == kind)
        page = paginate(self.ns.agents, query, accept)
        return changed(page, {"data": [self._details(r) for r in page.data]})

    def delete(self, name: str) -> AgentDeleted:
        """Deletes an agent and every version of it."""
        self._record(name)
        self._drop(name)
        return AgentDeleted(name=name)

    def update_details(self, name: str, patch: Any) -> AgentDetails:
        """`PATCH /agents/{name}` (a JSON merge patch, RFC 7396) of `agent_endpoint` and `agent_card`."""
        record = self._record(name)
        if not isinstance(patch, dict):
            raise errors.agent_invalid("body", "The request body must be a JSON object.", "invalid_type")
        _only(patch, PATCH_KEYS)
        changes: dict[str, Any] = {}
        for key in PATCH_KEYS & patch.keys():
            value = _merge(getattr(record, key), patch[key])
            if value is not None and not isinstance(value, dict):
                raise errors.agent_invalid(key, f"'{key}' must be an object.", "invalid_type")
            changes[key] = value or None
        if changes.get("agent_card") is not None:
            _check_card(changes["agent_card"])
        if "agent_endpoint" in changes:
            self._check_endpoint(name, changes["agent_endpoint"])
            self.ns.agent_turns.pop(name, None)  # a new traffic split starts its round afresh
        record = updated(record, changes)
        self.ns.agents.replace(name, record)
        return self._details(record)

    # --- what responses use ---------------------------------------------------------------------

    def resolve(self, name: str, version: str | None = None) -> AgentVersion:
        """The version a response naming the agent runs: `version`, or the latest; the service's 404s."""
        return self._latest(name) if version is None else self.get_version(name, version)

    def endpoint_version(self, name: str) -> AgentVersion:
        """The version the agent's own endpoint serves this request with (its `version_selector`, played
        as a smooth weighted round robin; the latest version without one). Each call is one request."""
        record = self._record(name)
        versions = self._versions(name)
        rules = [(r["agent_version"], r["traffic_percentage"]) for r in _rules(record.agent_endpoint)]
        rules = [(v, w) for v, w in rules if w > 0 and f"{name}:{v}" in versions]
        if not rules:
            return self._latest(name)
        turns = dict(self.ns.agent_turns.get(name) or {})
        total = sum(w for _, w in rules)
        for v, w in rules:
            turns[v] = turns.get(v, 0) + w
        chosen = max((v for v, _ in rules), key=lambda v: turns[v])  # ties: the first rule
        turns[chosen] -= total
        self.ns.agent_turns[name] = turns
        return versions.get(f"{name}:{chosen}")

    # --- helpers --------------------------------------------------------------------------------

    def _record(self, name: str) -> AgentRecord:
        record = self.ns.agents.get(name)
        if record is None:
            raise errors.agent_not_found(name)
        return record

    def _versions(self, name: str) -> Table:
        self._record(name)
        return self.ns.agent_versions[name]

    def _latest(self, name: str) -> AgentVersion:
        versions = self._versions(name)
        return next(versions.walk(versions.end - 1, -1))

    def _details(self, record: AgentRecord) -> AgentDetails:
        return AgentDetails(id=record.id, name=record.name, versions=AgentVersions(latest=self._latest(record.name)),
                            agent_endpoint=record.agent_endpoint, agent_card=record.agent_card)  # fmt: skip

    def _drop(self, name: str) -> None:
        self.ns.agent_versions.pop(name, None)
        self.ns.agents.remove(name)
        self.ns.agent_turns.pop(name, None)

    def _check_endpoint(self, name: str, endpoint: dict[str, Any] | None) -> None:
        """An endpoint configuration's version selection: FixedRatio rules naming versions of the agent,
        percentages from 0 to 100 adding up to 100 (the SDK's `FixedRatioVersionSelectionRule`)."""
        if endpoint is None:
            return
        _only(endpoint, ENDPOINT_KEYS, "agent_endpoint.")
        _check_shape("agent_endpoint.protocol_configuration", endpoint.get("protocol_configuration"), dict, "an object")
        schemes = endpoint.get("authorization_schemes")
        _check_shape("agent_endpoint.authorization_schemes", schemes, list, "an array")
        for i, scheme in enumerate(schemes or []):  # `AgentEndpointAuthorizationScheme`: a `type` discriminator
            if not isinstance(scheme, dict) or not isinstance(scheme.get("type"), str):
                raise errors.agent_invalid(f"agent_endpoint.authorization_schemes[{i}]", "'agent_endpoint."
                                           f"authorization_schemes[{i}]' must be an object with a string 'type'.",
                                           "invalid_type")  # fmt: skip
        selector = endpoint.get("version_selector")
        if selector is None:
            return
        rules = selector.get("version_selection_rules") if isinstance(selector, dict) else None
        param = "agent_endpoint.version_selector.version_selection_rules"
        if not isinstance(rules, list) or not rules:
            raise errors.agent_invalid(param, f"'{param}' must be a non-empty array of rules.")
        total = 0
        for i, rule in enumerate(rules):
            where = f"{param}[{i}]"
            if not isinstance(rule, dict) or rule.get("type") != "FixedRatio":
                raise errors.agent_invalid(f"{where}.type", f"Invalid value for '{where}.type': "
                                           "the supported rule type is 'FixedRatio'.")  # fmt: skip
            version, share = rule.get("agent_version"), rule.get("traffic_percentage")
            if not isinstance(version, str):
                raise errors.agent_invalid(f"{where}.agent_version", f"'{where}.agent_version' must be a string.",
                                           "invalid_type")  # fmt: skip
            self.get_version(name, version)
            if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= 100:
                raise errors.agent_invalid(f"{where}.traffic_percentage", f"'{where}.traffic_percentage' must "
                                           "be an integer between 0 and 100.")  # fmt: skip
            total += share
        if total != 100:
            raise errors.agent_invalid(param, f"The traffic percentages of '{param}' must add up to 100 "
                                       f"(they add up to {total}).")  # fmt: skip


def _check_shape(param: str, value: Any, kind: type, what: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise errors.agent_invalid(param, f"'{param}' must be {what}.", "invalid_type")


def _only(given: dict[str, Any], allowed: Any, prefix: str = "") -> None:
    """The agents API's 400 for the first key of `given` not in `allowed` (named with `prefix`)."""
    for key in given:
        if key not in allowed:
            raise errors.agent_unknown_parameter(prefix + key)


def _check_card(card: dict[str, Any]) -> None:
    """An agent card as it stands after the patch: the SDK's `AgentCard` requires `version` (a string) and `skills` (an
    array of `AgentCardSkill` objects); what the emulator stores, a client must be able to read back."""
    for key, kind, what in (("version", str, "a string"), ("skills", list, "an array")):
        if card.get(key) is None:
            raise errors.agent_missing_parameter(f"agent_card.{key}")
        _check_shape(f"agent_card.{key}", card[key], kind, what)
    _check_shape("agent_card.description", card.get("description"), str, "a string")
    for i, skill in enumerate(card["skills"]):
        _check_shape(f"agent_card.skills[{i}]", skill, dict, "an object")


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise errors.agent_invalid("agent_name", f"Invalid agent name '{name}': a name starts and ends with a "
                                   "letter or digit, may contain hyphens in between, and has at most 63 "
                                   "characters.")  # fmt: skip


def _definition(definition: Any, features: str) -> dict[str, Any]:
    """A prompt definition as the service echoes it: `kind` first, then its keys as given (nulls left
    out), each tool's `type` first (recorded: test_agent_function_tool.json, 2025-12)."""
    if definition is None:
        raise errors.agent_missing_parameter("definition")
    if not isinstance(definition, dict):
        raise errors.agent_invalid("definition", "'definition' must be an object.", "invalid_type")
    kind = definition.get("kind")
    if kind is None:
        raise errors.agent_missing_parameter("definition.kind")
    if kind not in KINDS:
        raise errors.agent_invalid("definition.kind", f"Invalid value: '{kind}'. Supported values are: "
                                   + ", ".join(f"'{k}'" for k in KINDS) + ".")  # fmt: skip
    if kind in PREVIEW_KINDS and PREVIEW_KINDS[kind][0] not in features:
        raise errors.agent_preview_feature(*PREVIEW_KINDS[kind])
    if kind != "prompt":
        raise errors.agent_kind_not_served(kind)
    _only(definition, PROMPT_KEYS, "definition.")
    model = definition.get("model")
    if model is None:
        raise errors.agent_missing_parameter("definition.model")
    if not isinstance(model, str) or not model:
        raise errors.agent_invalid("definition.model", "'definition.model' must be a non-empty string.",
                                   "invalid_type")  # fmt: skip
    _check_types(definition)
    _check_applied(definition)
    echoed = {"kind": kind, **{k: v for k, v in definition.items() if v is not None}}
    if "tools" in echoed:
        echoed["tools"] = [{"type": t["type"], **t} for t in echoed["tools"]]
    return echoed


#: The JSON types of a prompt definition's fields a response does not take (`_check_applied` checks the others).
_TYPES: dict[str, tuple[type, ...]] = {
    "skills": (list,), "rai_config": (dict,), "harness": (dict,), "structured_inputs": (dict,),
}  # fmt: skip


def _check_types(definition: dict[str, Any]) -> None:
    for key, types in _TYPES.items():
        value = definition.get(key)
        if value is not None and not isinstance(value, types):
            raise errors.agent_invalid(f"definition.{key}", f"Invalid type for 'definition.{key}'.", "invalid_type")


def _check_applied(definition: dict[str, Any]) -> None:
    """What a response takes from the definition (model, instructions, tools, tool_choice, text, temperature, top_p,
    reasoning) is checked as a response request's fields are, in the project's dialect (Foundry's tools among them),
    when the version is created, not when a response first runs it: azure-ai-projects 2.10 types these fields of
    `PromptAgentDefinition` with the request's own models (`Tool`, `ToolChoiceParam`, `Reasoning`,
    `TextResponseFormat`), and the classic service refused a bad tool at `create_agent` too ("Invalid tool value(s)",
    Azure/azure-sdk-for-python issues 39778, 41387). The 400 names the field under `definition`."""
    applied = {key: definition[key] for key in APPLIED if definition.get(key) is not None}
    with validation.dialect("project"):
        validation.validate("CreateResponse", applied, prefix="definition")


def _metadata(metadata: Any) -> dict[str, str]:
    """At most 16 pairs of strings, keys up to 64 characters, values up to 512 (the SDK's docstring)."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise errors.agent_invalid("metadata", "'metadata' must be an object of strings.", "invalid_type")
    if len(metadata) > METADATA_PAIRS:
        raise errors.agent_invalid("metadata", f"'metadata' has at most {METADATA_PAIRS} pairs.")
    for key, value in metadata.items():
        if len(key) > METADATA_KEY or len(value) > METADATA_VALUE:
            raise errors.agent_invalid("metadata", f"'metadata' keys have at most {METADATA_KEY} characters and "
                                       f"values at most {METADATA_VALUE}.")  # fmt: skip
    return dict(metadata)


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge(merged.get(key), value)
    return merged


def _rules(endpoint: dict[str, Any] | None) -> list[dict[str, Any]]:
    selector = (endpoint or {}).get("version_selector") or {}
    return selector.get("version_selection_rules") or []
