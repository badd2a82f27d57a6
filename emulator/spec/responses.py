"""Every answer checked against the official spec: the test suite's guard that the emulator's
JSON keeps the real service's shape.

`ResponseChecker.check(...)` validates an answer's body against the 200 schema of its
operation in `openapi-assistants.json`, each event of a stream against the schema of its
`data` (from `AssistantStreamEvent`), and every error against the error envelope. The spec's
schemas are taken strictly: OpenAPI 3.0 `nullable` honoured, objects closed to keys they do
not list. Where the real service is known to answer differently from its spec, the schema is
patched, each patch listed in `KNOWN_DIFFERENCES` with its evidence; nothing else is excused.

The dispatcher runs the check on every answer when the environment variable
`ASSISTANTS_EMULATOR_CHECK_RESPONSES` names a directory (the test suite sets it, see
`tests/conftest.py`): mismatches are kept in `problems` and, for child processes, written to
that directory. Users of the package never pay for it.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import fastjsonschema

from . import load_spec

ENV = "ASSISTANTS_EMULATOR_CHECK_RESPONSES"
ENVELOPE_KEYS = {"message", "type", "param", "code"}
NULLABLE_STRING = {"anyOf": [{"type": "string"}, {"type": "null"}]}


@dataclass(frozen=True)
class Difference:
    """The real service answers `schema`.`field` differently from the spec: `patch` says how."""

    schema: str
    field: str
    patch: Callable[[dict[str, Any], dict[str, Any]], None]
    evidence: str


def _nullable(schema: dict[str, Any], field: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    def patch(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
        prop = schemas[schema]["properties"][field]
        schemas[schema]["properties"][field] = {"anyOf": [prop, {"type": "null"}]}

    return patch


def _run_tool_resources(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["RunObject"]["properties"]["tool_resources"] = copy.deepcopy(
        schemas["AssistantObject"]["properties"]["tool_resources"]
    )


def _vector_store_description(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["VectorStoreObject"]["properties"]["description"] = NULLABLE_STRING


def _file_batch_object(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["VectorStoreFileBatchObject"]["properties"]["object"]["enum"].append("vector_store.file_batch")


def _hybrid_search(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    from ..validation import HYBRID_SEARCH

    schemas["FileSearchRankingOptions"]["properties"]["hybrid_search"] = HYBRID_SEARCH


def _file_purpose_evals(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["OpenAIFile"]["properties"]["purpose"]["enum"].append("evals")


def _error_event_nested(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["ErrorEnvelope"] = {
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/Error"}},
        "required": ["error"],
        "additionalProperties": False,
    }
    schemas["ErrorEvent"]["properties"]["data"] = {"$ref": "#/components/schemas/ErrorEnvelope"}


#: The Responses API's lists, not named List*Response, whose empty pages answer null ids as well.
EMPTY_PAGE_LISTS = ("ConversationItemList", "ResponseItemList")


def _empty_page_ids(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    for name, schema in schemas.items():
        if name.startswith("List") and name.endswith("Response") or name in EMPTY_PAGE_LISTS:
            for field in ("first_id", "last_id"):
                if field in schema.get("properties", {}):
                    schema["properties"][field] = {"anyOf": [schema["properties"][field], {"type": "null"}]}


def _reasoning_effort(schema: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    def patch(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
        schemas[schema]["properties"]["reasoning_effort"] = {"$ref": "#/components/schemas/ReasoningEffort"}

    return patch


def _rest_message(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    """The four keys stay allowed (stream events carry them), but are not required."""
    message = schemas["MessageObject"]
    message["required"] = [f for f in message["required"] if f not in REST_MESSAGE_OMITS]


def _step_expires_at(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    step = schemas["RunStepObject"]
    props = step["properties"]
    props["expires_at"] = props.pop("expired_at")
    del props["metadata"]
    step["required"] = ["expires_at" if f == "expired_at" else f for f in step["required"] if f != "metadata"]


def _run_completion_tokens(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["RunObject"]["properties"]["max_completion_tokens"]["anyOf"][0]["minimum"] = 1


#: Keys of MessageObject that REST answers leave out (stream events carry them).
REST_MESSAGE_OMITS = ("status", "incomplete_details", "completed_at", "incomplete_at")

#: Where the real service differs from its spec, and how we know.
KNOWN_DIFFERENCES: list[Difference] = [
    Difference("RunObject", "instructions", _nullable("RunObject", "instructions"),
               "a run with no instructions answers null: the spec's own createRun examples show "
               "`\"instructions\": null`"),
    Difference("RunObject", "tool_resources", _run_tool_resources,
               "real runs carry `tool_resources` though RunObject lists none: `{}` in REST answers, "
               "`{\"code_interpreter\": {\"file_ids\": []}}` in stream events (recorded: ruby-openai "
               "runs_retrieve.yml, runs_streamed_create.yml; azure-openai StreamingToolCall.json)"),
    Difference("VectorStoreObject", "description", _vector_store_description,
               "vector stores answer `\"description\": null` (recorded: pydantic-ai "
               "test_openai_responses_model_file_search_tool.yaml, 2025-12)"),
    Difference("VectorStoreFileBatchObject", "object", _file_batch_object,
               "a file batch is `vector_store.file_batch`, not the enum's `vector_store.files_batch` (recorded: "
               "ruby-openai vector_store_file_batches_create.yml, _retrieve.yml, _cancel.yml, 2024)"),
    Difference("FileSearchRankingOptions", "hybrid_search", _hybrid_search,
               "a file_search tool's `ranking_options.hybrid_search` is accepted and echoed (issue 18; the "
               "shape openai-python types as RankingOptionsHybridSearch; no recording shows it)"),
    Difference("OpenAIFile", "status_details", _nullable("OpenAIFile", "status_details"),
               "deprecated and null on the real service: the SDK types it `Optional[str]`, Azure's "
               "upload example shows null"),
    Difference("OpenAIFile", "expires_at", _nullable("OpenAIFile", "expires_at"),
               "null for a file with no expiry; the SDK types it `Optional[int]` (unconfirmed)"),
    Difference("OpenAIFile", "purpose", _file_purpose_evals,
               "uploads accept purpose `evals` (SDK `FilePurpose`), which the object's enum omits"),
    Difference("VectorStoreObject", "name", _nullable("VectorStoreObject", "name"),
               "a vector store created without a name answers `\"name\": null` (openai/openai-openapi#266)"),
    Difference("VectorStoreObject", "expires_after", _nullable("VectorStoreObject", "expires_after"),
               "null when the store has no expiry policy (a real answer in OpenGPTs-platform/assistants-api#27)"),
    Difference("List*Response", "first_id, last_id", _empty_page_ids,
               "an empty page answers null ids; the SDK types them `Optional[str]` (unconfirmed); the Responses "
               "API's ConversationItemList and ResponseItemList likewise (the Agents SDK lists a new session's items)"),
    Difference("AssistantObject", "reasoning_effort", _reasoning_effort("AssistantObject"),
               "recorded: `\"reasoning_effort\": null` between `temperature` and `tool_resources` (ruby-openai "
               "run_steps_retrieve_assistant_setup.yml, POST /v1/assistants, 2025-03-14)"),
    Difference("RunObject", "reasoning_effort", _reasoning_effort("RunObject"),
               "recorded: `\"reasoning_effort\": null` after `top_p` (ruby-openai run_steps_retrieve_run_setup.yml, "
               "POST /v1/threads/{id}/runs, 2025-03-14)"),
    Difference("MessageObject", "status, incomplete_details, completed_at, incomplete_at", _rest_message,
               "recorded REST messages have none of the four (ruby-openai messages_retrieve.yml and "
               "messages_create.yml, 2024-04-29; azure-openai AssistantTests/FunctionToolsWork.json GET messages; "
               "azure-ai-agents test_code_interpreter_tool.json GET messages, 2025-08-21); stream events carry "
               "them (runs_streamed_create.yml thread.message.created)"),
    Difference("RunStepObject", "expired_at, metadata", _step_expires_at,
               "recorded steps carry `expires_at`, not `expired_at`, and no `metadata` (azure-openai "
               "AssistantTests/BasicRunStepFunctionalityWorks.json GET steps, 2024-06-24; ruby-openai "
               "runs_streamed_create.yml thread.run.step.created, 2024-04-29; azure-ai-agents "
               "test_code_interpreter_tool.json GET steps, 2025-08-21)"),
    Difference("RunObject", "max_completion_tokens", _run_completion_tokens,
               "recorded: a run made with `max_completion_tokens: 16` (ruby-openai runs_create.yml, POST "
               "/v1/threads/{id}/runs, 2024-04-29), below the spec's minimum of 256"),
    Difference("ErrorEvent", "data", _error_event_nested,
               "the stream's error event carries the error envelope `{\"error\": {...}}`, the shape the "
               "SDK raises on (openai-python#2796; unconfirmed)"),
]  # fmt: skip
#: Operations whose 200 body is not the JSON the spec states: the file's own bytes.
RAW_BODIES = {("get", "/files/{}/content"), ("get", "/containers/{}/files/{}/content")}
#: Where Responses streams are served (`responses_stream`).
RESPONSES_PATHS = ("/responses",)
#: Azure's gateway errors (bad api-version, wrong key, unknown deployment) are `{"error":
#: {"code", "message"}}`, not the OpenAI envelope (api.md §Azure).
AZURE_GATEWAY_ERROR = {"code", "message"}
#: The new Foundry agents API's error envelope (the SDK's `ApiErrorResponse`; errors.agents_error), also what a
#: response of the project shape naming an unknown agent or version gets (`agents.resolve`'s 404).
AGENTS_ERROR = {"code", "message", "param", "type", "details"}
#: The new Foundry agents API (`/api/projects/NAME/agents...`, emulator/routes/agents.py) is not in OpenAI's
#: spec: its answers are checked against the recordings and azure-ai-projects' models in
#: tests/test_project_agents.py instead.
AGENTS_RULES = "/agents"
#: ...and its answer to a response created without a deployment is `{"error": {"message"}}` (azure-openai
#: ResponsesTests/WebSearchNotSupported.json, 2026-03: "Missed model deployment").
AZURE_MISSED_DEPLOYMENT = {"message"}

_PARAM = re.compile(r"\{[^}]*\}|<(?:[a-z]+:)?[^>]*>")


def template(path: str) -> str:
    """A path template with its parameters blanked: `/threads/{thread_id}` -> `/threads/{}`."""
    return _PARAM.sub("{}", path)


@functools.cache
def _patched_spec() -> dict[str, Any]:
    from ..validation import close_objects, convert_nullable, discriminated_any_of, merge_all_of

    spec = convert_nullable(load_spec())  # a new tree: no copy needed
    schemas = spec["components"]["schemas"]
    discriminated_any_of(schemas)
    merge_all_of(schemas)
    close_objects(schemas)
    from . import containers_api, responses_api

    differences = [*responses_api.RESPONSES_DIFFERENCES, *containers_api.CONTAINERS_DIFFERENCES]
    for difference in [*KNOWN_DIFFERENCES, *differences]:
        difference.patch(schemas, spec)
    return spec


def _dialect_spec(dialect: str) -> dict[str, Any]:
    """The patched spec, and for the Foundry shape its additions (emulator/foundry.py)."""
    if dialect == "project":
        return _project_spec()
    return _foundry_spec() if dialect == "foundry" else _patched_spec()


@functools.cache
def _project_spec() -> dict[str, Any]:
    from .. import foundry, project

    return foundry.patched(_patched_spec(), project.RESPONSE_PATCHES)


@functools.cache
def _foundry_spec() -> dict[str, Any]:
    from .. import foundry

    return foundry.patched(_patched_spec(), foundry.RESPONSE_PATCHES)


def _dialect(shape: str | None) -> str:
    return shape if shape in ("foundry", "project") else "openai"


def _operation(method: str, rule: str, dialect: str) -> str | None:
    key = (method.lower(), template(rule))
    if dialect == "foundry":
        from .. import foundry

        if key in foundry.EXTRA_OPERATIONS:
            return foundry.EXTRA_OPERATIONS[key]
    if dialect == "project":
        from .. import project

        if key in project.EXTRA_OPERATIONS:
            return project.EXTRA_OPERATIONS[key]
    return _operations().get(key)


@functools.cache
def _operations() -> dict[tuple[str, str], str]:
    """(method, path template) -> the schema name of its 200 JSON body."""
    from .containers_api import UNTYPED_ANSWERS as CONTAINERS_UNTYPED
    from .responses_api import UNTYPED_ANSWERS

    schemas = _patched_spec()["components"]["schemas"]
    untyped = {**UNTYPED_ANSWERS, **CONTAINERS_UNTYPED}
    table = {key: name for key, name in untyped.items() if name in schemas}
    for path, ops in load_spec()["paths"].items():
        for method, op in ops.items():
            ref = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
            if isinstance(ref, dict) and "$ref" in ref:
                table[(method, template(path))] = ref["$ref"].rsplit("/", 1)[1]
    return table


@functools.cache
def _events() -> dict[str, str]:
    """Assistants stream event name -> the schema name of its `data`."""
    table = {}
    schemas = _patched_spec()["components"]["schemas"]
    for group in schemas["AssistantStreamEvent"]["oneOf"]:
        events = schemas[group["$ref"].rsplit("/", 1)[1]]
        for branch in events.get("oneOf", [events]):
            data = branch["properties"]["data"]
            if "$ref" in data:
                for event in branch["properties"]["event"]["enum"]:
                    table[event] = data["$ref"].rsplit("/", 1)[1]
    return table


@functools.cache
def _response_events() -> dict[str, str]:
    """Responses stream event type -> the schema name of the event (its whole `data`)."""
    table = {}
    schemas = _patched_spec()["components"]["schemas"]
    for branch in schemas["ResponseStreamEvent"]["anyOf"]:
        name = branch["$ref"].rsplit("/", 1)[1]
        for event in schemas[name]["properties"]["type"]["enum"]:
            table[event] = name
    return table


def responses_stream(rule: str | None) -> bool:
    """Whether a stream of the operation at `rule` is a Responses stream (`ResponseStreamEvent`s:
    `data` is the event, with its `type` and `sequence_number`, and no `[DONE]` at the end)."""
    return rule is not None and template(rule).startswith(RESPONSES_PATHS)


_compiled: dict[tuple[str, str], Callable[[Any], Any]] = {}
_compile_lock = threading.Lock()


def _validator(schema: str, dialect: str = "openai") -> Callable[[Any], Any]:
    key = (dialect, schema)
    check = _compiled.get(key)
    if check is None:
        with _compile_lock:
            check = _compiled.get(key) or fastjsonschema.compile(
                {**_dialect_spec(dialect), "$ref": f"#/components/schemas/{schema}"}, use_default=False,
                use_formats=False,
            )  # fmt: skip
            _compiled[key] = check
    return check


def schema_problem(schema: str, instance: Any, dialect: str = "openai") -> str | None:
    """None if `instance` is valid against the (patched) schema, else what is wrong."""
    try:
        _validator(schema, dialect)(instance)
    except fastjsonschema.JsonSchemaValueException as exc:
        return f"{schema}: {exc.message} (at {exc.name}; value {json.dumps(exc.value, default=str)[:200]})"
    return None


class ResponseChecker:
    """Checks answers, keeping what does not match (in this process, and in `folder` if set)."""

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder
        self.problems: list[str] = []
        #: How many answers and stream events were checked, in this process.
        self.checked = 0
        self._lock = threading.Lock()

    def report(self, where: str, problem: str) -> None:
        line = f"{where}: {problem}"
        with self._lock:
            self.problems.append(line)
            if self.folder:
                with open(os.path.join(self.folder, f"{os.getpid()}.log"), "a", encoding="utf-8") as out:
                    out.write(line.replace("\n", " ") + "\n")

    def take(self) -> list[str]:
        """The problems found so far (here and in child processes), forgotten once taken."""
        with self._lock:
            found, self.problems = self.problems, []
            if self.folder and os.path.isdir(self.folder):
                for name in sorted(os.listdir(self.folder)):
                    path = os.path.join(self.folder, name)
                    with open(path, encoding="utf-8") as logged:
                        found += [line.rstrip("\n") for line in logged if line.strip()]
                    os.remove(path)
        return list(dict.fromkeys(found))

    def check(
        self, method: str, rule: str | None, status: int, content_type: str, body: bytes, *, shape: str | None = None
    ) -> None:
        """A whole (non-streamed) answer. `rule`: the route's path template after the shape's prefix;
        `shape`: "foundry" checks against the spec with Foundry's additions."""
        where = f"{method} {rule or '?'} -> {status}"
        self.checked += 1
        if status >= 400:
            self._check_error(where, rule, body)
            return
        if rule is None:
            return
        if (method.lower(), template(rule)) in RAW_BODIES:
            return
        if shape == "project" and (rule == AGENTS_RULES or rule.startswith(AGENTS_RULES + "/")):
            return
        dialect = _dialect(shape)
        schema = _operation(method, rule, dialect)
        if schema is None:
            self.report(where, "an operation the spec does not have")
            return
        if not content_type.startswith("application/json"):
            self.report(where, f"content type {content_type!r}, the spec says application/json")
            return
        problem = schema_problem(schema, json.loads(body), dialect)
        if problem:
            self.report(where, problem)

    def _check_error(self, where: str, rule: str | None, body: bytes) -> None:
        try:
            error = json.loads(body)["error"]
        except (ValueError, KeyError, TypeError):
            self.report(where, f"an error answer without the error envelope: {body[:200]!r}")
            return
        if isinstance(error, dict) and (
            set(error) in (ENVELOPE_KEYS, AZURE_GATEWAY_ERROR, AGENTS_ERROR)
            or (rule == "/responses" and set(error) == AZURE_MISSED_DEPLOYMENT)
        ):
            return
        self.report(where, f"an error envelope with keys {sorted(error) if isinstance(error, dict) else error!r}")

    def stream(
        self, method: str, rule: str | None, chunks: Iterable[bytes], *, shape: str | None = None
    ) -> Iterator[bytes]:
        """Pass a stream's bytes through unchanged; check its events once it ends (or is closed)."""
        seen: list[bytes] = []
        try:
            for chunk in chunks:
                seen.append(chunk)
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            text = b"".join(seen).decode("utf-8", "replace")
            self._check_events(f"{method} {rule} (stream)", text, _dialect(shape), rule)

    def _check_events(self, where: str, text: str, dialect: str = "openai", rule: str | None = None) -> None:
        from ..contract.sse import parse_sse

        if responses_stream(rule):
            self._check_response_events(where, parse_sse(text), dialect)
            return
        events = _events()
        for name, data in parse_sse(text):
            if name == "done":
                if data != "[DONE]":
                    self.report(where, f"done event with data {data!r}")
                continue
            self.checked += 1
            schema = events.get(name)
            if schema is None:
                self.report(where, f"event {name!r}, which the spec does not have")
                continue
            problem = schema_problem(schema, data, dialect)
            if problem:
                self.report(f"{where} {name}", problem)

    def _check_response_events(self, where: str, events: Iterable[tuple[str, Any]], dialect: str) -> None:
        """Each event against its schema; the SSE name is its `type`; `sequence_number`s count up by one
        (from 0, or from where a resumed stream starts)."""
        table = _response_events()
        last: int | None = None
        for name, data in events:
            self.checked += 1
            number = data.get("sequence_number") if isinstance(data, dict) else None
            if isinstance(number, int):
                if last is not None and number != last + 1:
                    self.report(f"{where} {name}", f"sequence_number {number} after {last}")
                last = number
            kind = data.get("type") if isinstance(data, dict) else None
            schema = table.get(name)
            if kind != name:
                self.report(where, f"event {name!r} whose data's type is {kind!r}")
            elif schema is None:
                self.report(where, f"event {name!r}, which the spec does not have")
            else:
                problem = schema_problem(schema, data, dialect)
                if problem:
                    self.report(f"{where} {name}", problem)


@functools.cache
def installed_checker() -> ResponseChecker | None:
    """The checker, when `ASSISTANTS_EMULATOR_CHECK_RESPONSES` is set (to a directory)."""
    folder = os.environ.get(ENV)
    if not folder:
        return None
    os.makedirs(folder, exist_ok=True)
    return ResponseChecker(folder)
