"""Request bodies checked against the official schemas, with the real service's wording.

Each create/modify body is validated with `jsonschema` against its schema in the
official OpenAPI document (`emulator/spec`), after two mechanical adjustments:
OpenAPI 3.0 `nullable: true` becomes `anyOf [..., null]`, and the limits the real
service enforces but the spec does not state are added (`EXTRA_LIMITS`). The first
error found is translated into the real envelope (`Invalid type for 'tools[0].type'
...`, `Unknown parameter: 'foo'.`, ...), naming the param by its JSON path.

Most bodies are valid, so each is first checked by the same schema compiled to Python with
`fastjsonschema` (about ten times faster; compiled on first use). Only a body it refuses goes
through `jsonschema`, whose errors name the parameter, and whose verdict is final: the fast
check may only ever accept less (`tests/test_validation.py` checks that on generated bodies).
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import fastjsonschema

from . import errors
from .errors import APIError
from .spec import load_spec

if TYPE_CHECKING:  # imported when a body is refused: most processes never need them
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

SPEC_URI = "urn:openai-assistants-spec"

#: Limits of the real service that the spec's schemas leave out
#: (api.md §1 and §3: metadata 16 pairs, key 64, value 512; function names).
EXTRA_LIMITS: dict[str, Any] = {
    "Metadata": {
        "anyOf": [
            {
                "type": "object",
                "maxProperties": 16,
                "propertyNames": {"type": "string", "maxLength": 64},
                "additionalProperties": {"type": "string", "maxLength": 512},
            },
            {"type": "null"},
        ]
    },
}
FUNCTION_NAME_PATTERN = "^[a-zA-Z0-9_-]+$"
#: A file_search tool's `ranking_options.hybrid_search`, which the spec's assistants schema lacks:
#: both weights required numbers, nothing else (the shape the SDKs type, `RankingOptionsHybridSearch`
#: of openai-python's file_search_tool; issue 18 asks that it be accepted).
HYBRID_SEARCH: dict[str, Any] = {
    "type": "object",
    "properties": {"embedding_weight": {"type": "number"}, "text_weight": {"type": "number"}},
    "required": ["embedding_weight", "text_weight"],
    "additionalProperties": False,
}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a decimal",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "an unknown type"


def param_name(path: Iterable[Any], prefix: str = "") -> str:
    out = prefix
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def convert_nullable(node: Any) -> Any:
    """OpenAPI 3.0 `nullable` in JSON Schema terms, also in its `allOf: [$ref, {nullable: true}]` form."""
    if isinstance(node, dict):
        node = dict(node)
        nullable = node.pop("nullable", False)
        parts = node.get("allOf")
        if isinstance(parts, list) and {"nullable": True} in parts:
            node["allOf"] = [p for p in parts if p != {"nullable": True}]
            nullable = True
        node = {k: convert_nullable(v) for k, v in node.items()}
        if nullable:
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [convert_nullable(v) for v in node]
    return node


def discriminated_any_of(node: Any) -> None:
    """A `oneOf` with an OpenAPI `discriminator` as an `anyOf`: the discriminator picks the branch, so
    branches that overlap (`EasyInputMessage` and `Item`'s `InputMessage` both take a user message)
    do not make a valid value invalid, as JSON Schema's `oneOf` would."""
    if isinstance(node, dict):
        if "discriminator" in node and isinstance(node.get("oneOf"), list):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            discriminated_any_of(value)
    elif isinstance(node, list):
        for value in node:
            discriminated_any_of(value)


def merge_all_of(schemas: dict[str, Any]) -> None:
    """Each `allOf` of object schemas (`Response` = `ModelResponseProperties` + `ResponseProperties`
    + its own keys) as the one object schema it means: properties and `required` together, so
    that `close_objects` closes the whole, not each part (which would refuse every key of the others).
    A property two parts both state must match both (`allOf` of the two)."""

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        return node

    def merged(node: dict[str, Any]) -> dict[str, Any] | None:
        parts = [resolve(p) for p in node["allOf"]]
        parts = [merged(p) if isinstance(p, dict) and "allOf" in p else p for p in parts]
        if not all(isinstance(p, dict) and (p.get("type") == "object" or "properties" in p) for p in parts):
            return None
        out = {k: v for k, v in node.items() if k != "allOf"}
        out["type"] = "object"
        props: dict[str, Any] = {}
        required: list[str] = []
        for part in parts:
            for name, prop in part.get("properties", {}).items():
                props[name] = prop if name not in props or props[name] == prop else {"allOf": [props[name], prop]}
            required += [r for r in part.get("required", []) if r not in required]
        out["properties"] = props
        if required:
            out["required"] = required
        return out

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            for key, value in node.items():
                node[key] = walk(value)
            if isinstance(node.get("allOf"), list):
                return merged(node) or node
        elif isinstance(node, list):
            return [walk(v) for v in node]
        return node

    for name in list(schemas):
        schemas[name] = walk(schemas[name])


def close_objects(node: Any) -> None:
    """Nested request objects refuse unknown keys, like the top level (`additionalProperties:
    false` in the real service's validation); objects that say otherwise (function parameters,
    metadata, attributes) keep their own rule. A key that a closed object requires but does not list
    (a slip of the spec: `MCPApprovalResponse.request_id`, whose property is `approval_request_id`)
    is not required: else no value could be valid."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
            if isinstance(node.get("required"), list):
                node["required"] = [r for r in node["required"] if r in node["properties"]]
        for value in node.values():
            close_objects(value)
    elif isinstance(node, list):
        for value in node:
            close_objects(value)


@functools.cache
def adjusted_spec() -> dict[str, Any]:
    """The spec with its schemas adjusted for validation (see the module docstring)."""
    spec = convert_nullable(load_spec())  # a new tree: no copy needed
    schemas = spec["components"]["schemas"]
    for (_method, _path), (name, inline) in _request_bodies(spec).items():
        if inline is not None:
            schemas[name] = inline
    schemas.update(copy.deepcopy(EXTRA_LIMITS))
    discriminated_any_of(schemas)
    merge_all_of(schemas)
    close_objects(schemas)
    from .spec.responses_api import REQUEST_DIFFERENCES

    for difference in REQUEST_DIFFERENCES:
        difference.patch(schemas, spec)
    name = schemas["FunctionObject"]["properties"]["name"]
    name.update({"pattern": FUNCTION_NAME_PATTERN, "maxLength": 64})
    schemas["FileSearchRankingOptions"]["properties"]["hybrid_search"] = HYBRID_SEARCH
    # The service ran a run with `max_completion_tokens: 16` (ruby-openai runs_create.yml, POST /v1/threads/{id}/runs,
    # 2024-04-29): the spec's minimum of 256 is not the service's, whose own (if any) no recording shows.
    for request in ("CreateRunRequest", "CreateThreadAndRunRequest"):
        schemas[request]["properties"]["max_completion_tokens"]["anyOf"][0]["minimum"] = 1
    # The spec states an attachment's required keys on the array instead of on its items.
    attachments = schemas["CreateMessageRequest"]["properties"]["attachments"]
    attachments.pop("required", None)
    attachments["anyOf"][0]["items"]["required"] = ["file_id", "tools"]
    # autogen-ext's OpenAIAssistantAgent updates a thread with `tool_resources` as a pydantic dump, the slot it
    # does not use as null ({"code_interpreter": {...}, "file_search": null}); no recording shows what the service
    # does with it, so it is accepted as absent (docs/limits.md).
    slots = schemas["ModifyThreadRequest"]["properties"]["tool_resources"]["anyOf"][0]["properties"]
    for slot in ("code_interpreter", "file_search"):
        slots[slot] = {"anyOf": [slots[slot], {"type": "null"}]}
    return spec


def _request_bodies(spec: dict[str, Any]) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    """(method, path) -> (schema name, the schema when the spec states it inline) of each JSON request body.
    An inline body is named after its operation: `createConversationItems` -> `CreateConversationItemsRequest`."""
    table = {}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            body = (
                op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
                if isinstance(op, dict)
                else None
            )
            if not isinstance(body, dict):
                continue
            if "$ref" in body:
                table[(method, path)] = (body["$ref"].rsplit("/", 1)[1], None)
            else:
                op_id = op["operationId"]
                table[(method, path)] = (op_id[0].upper() + op_id[1:] + "Request", body)
    return table


def request_schema(method: str, path: str) -> str | None:
    """The name of the schema a request body is validated against (`validate(name, body)`), by the
    operation's method and spec path: `request_schema("post", "/conversations/{conversation_id}/items")`."""
    found = _spec_request_bodies().get((method.lower(), path))
    return found[0] if found else None


@functools.cache
def _spec_request_bodies() -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    return _request_bodies(load_spec())


#: Which API's schemas bodies are checked against: "openai" (also Azure OpenAI), or "foundry"
#: (the same spec with Foundry's additions, see `emulator/foundry.py`). The dispatcher sets it
#: for the request it handles; the domain driven directly is "openai".
DIALECT: ContextVar[str] = ContextVar("assistants_emulator_dialect", default="openai")


class dialect:  # lower case: used as the function it was, `with dialect("foundry"): ...`
    """`DIALECT` is `name` in this block. A class rather than a generator-based context manager:
    it wraps every request, and costs a third."""

    __slots__ = ("name", "_token")

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self._token = DIALECT.set(self.name)

    def __exit__(self, *exc: object) -> None:
        DIALECT.reset(self._token)


@functools.cache
def dialect_spec(name: str) -> dict[str, Any]:
    """The adjusted spec of a dialect."""
    if name == "openai":
        return adjusted_spec()
    if name == "foundry":
        from . import foundry

        return foundry.patched(adjusted_spec(), foundry.SPEC_PATCHES)
    if name == "project":
        from . import foundry, project

        return foundry.patched(adjusted_spec(), project.SPEC_PATCHES)
    raise ValueError(f"unknown dialect {name!r}")


@functools.cache
def _registry(name: str = "openai") -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resource(
        SPEC_URI, Resource.from_contents(dialect_spec(name), default_specification=DRAFT202012)
    )


_validators: dict[tuple[str, str], Draft202012Validator] = {}
_validators_lock = threading.Lock()


def validator_for(schema_name: str, dialect: str | None = None) -> Draft202012Validator:
    key = (dialect or DIALECT.get(), schema_name)
    v = _validators.get(key)
    if v is None:
        from jsonschema import Draft202012Validator

        with _validators_lock:
            ref = {"$ref": f"{SPEC_URI}#/components/schemas/{schema_name}"}
            v = Draft202012Validator(ref, registry=_registry(key[0]))
            _validators[key] = v
    return v


_fast: dict[tuple[str, str], Callable[[Any], Any]] = {}


@functools.cache
def _fast_spec(dialect: str) -> dict[str, Any]:
    """The dialect's spec for the fast check: each `oneOf` whose branches cannot overlap is an
    `anyOf` (the same bodies pass, and a body stops at the first branch it matches, instead of
    raising an exception in each other one, as fastjsonschema tests every branch of a oneOf)."""
    spec = copy.deepcopy(dialect_spec(dialect))
    schemas = spec["components"]["schemas"]

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/components/schemas/"):
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        return node

    def rewrite(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("oneOf"), list) and _disjoint([resolve(b) for b in node["oneOf"]]):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(spec)
    return spec


def _disjoint(branches: list[Any]) -> bool:
    """No value can match two of `branches`: each names one JSON type and the types differ
    (integer and number overlap), or each is an object that requires `type` and the values
    their `type` allows differ."""
    if not all(isinstance(b, dict) for b in branches):
        return False
    kinds = [b.get("type") for b in branches]
    if all(isinstance(k, str) for k in kinds) and len(set(kinds)) == len(kinds):
        if not {"integer", "number"} <= set(kinds):
            return True
    seen: set[Any] = set()
    for b in branches:
        tag = (b.get("properties") or {}).get("type") or {}
        values = tag.get("enum") if "enum" in tag else [tag["const"]] if "const" in tag else None
        if b.get("type") != "object" or "type" not in (b.get("required") or ()) or not isinstance(values, list):
            return False
        try:
            allowed = set(values)
        except TypeError:  # a value that is a list or an object: not worth telling apart
            return False
        if not allowed or seen & allowed:
            return False
        seen |= allowed
    return True


def fast_check_for(schema_name: str, dialect: str | None = None) -> Callable[[Any], Any]:
    """The schema compiled by fastjsonschema (draft-07 semantics, which the spec's schemas stay
    within): raises `JsonSchemaException` on a body it refuses. No defaults filled in, no formats."""
    key = (dialect or DIALECT.get(), schema_name)
    check = _fast.get(key)
    if check is None:
        with _validators_lock:
            check = _fast.get(key)
            if check is None:
                root = {**_fast_spec(key[0]), "$ref": f"#/components/schemas/{schema_name}"}
                check = fastjsonschema.compile(root, use_default=False, use_formats=False, detailed_exceptions=False)
                _fast[key] = check
    return check


def warm() -> None:
    """Load the spec now rather than on the first request (validators are built on first use)."""
    adjusted_spec()


def validate(schema_name: str, body: Any, *, prefix: str = "") -> dict[str, Any]:
    """Validate `body` against the named request schema; raise the real 400 if it fails."""
    if not isinstance(body, dict):
        raise errors.body_not_object()
    try:
        fast_check_for(schema_name)(body)
        return body
    except (fastjsonschema.JsonSchemaException, RecursionError):
        pass  # refused (or too deep for it): jsonschema decides, and says why
    found = list(validator_for(schema_name).iter_errors(body))
    if found:
        raise translate(found, prefix=prefix)
    return body


def translate(found: list[ValidationError], *, prefix: str = "") -> APIError:
    """Turn jsonschema's errors into the real service's first error."""
    # Unknown parameters come first, as the real service reports them before anything else.
    for err in found:
        if err.validator == "additionalProperties" and err.validator_value is False:
            return _translate_one(err, prefix)
    return _translate_one(_pick(found), prefix)


def _pick(found: Iterable[ValidationError]) -> ValidationError:
    """The most relevant error, without descending into unions (we resolve those ourselves)."""
    from jsonschema.exceptions import relevance

    return max(found, key=relevance)


def _branches(err: ValidationError) -> dict[int, list[ValidationError]]:
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in err.context or []:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    return by_branch


def _is_type_mismatch(sub: ValidationError) -> bool:
    """A branch rejected by its discriminator: the `type` property's enum."""
    return sub.validator == "enum" and len(sub.relative_path) == 1 and sub.relative_path[0] == "type"


def _translate_union(err: ValidationError, prefix: str) -> APIError:
    branches = _branches(err)
    instance = err.instance
    here = param_name(err.absolute_path, prefix)
    if not branches:  # valid under several branches of a oneOf
        exclusive = [b["required"][0] for b in err.validator_value if set(b) == {"required"} and b["required"]]
        if len(exclusive) == len(err.validator_value):
            listed = " or ".join(f"'{here}.{k}'" for k in exclusive)
            return errors.bad_request(
                f"Invalid '{here}': only one of {listed} may be provided.", param=here, code="invalid_value"
            )
        return errors.bad_request(
            f"Invalid '{here}': the value matches more than one allowed shape.", param=here, code="invalid_value"
        )

    def wrong_json_type(subs: list[ValidationError]) -> bool:
        return any(s.validator == "type" and not s.relative_path for s in subs)

    fitting = {i: subs for i, subs in branches.items() if not wrong_json_type(subs)}
    # A discriminated union (tools, content parts, response formats): dispatch on `type`.
    if isinstance(instance, dict):
        discriminated = [i for i, subs in fitting.items() if any(_is_type_mismatch(s) for s in subs)]
        if discriminated and "type" in instance:
            candidates = [i for i in fitting if i not in discriminated]
            if len(candidates) == 1:
                return _translate_one(_pick(fitting[candidates[0]]), prefix)
            if not candidates:
                allowed: list[Any] = []
                for i in sorted(discriminated):
                    for s in fitting[i]:
                        if _is_type_mismatch(s):
                            allowed.extend(v for v in s.validator_value if v not in allowed)
                return errors.invalid_value(param_name([*err.absolute_path, "type"], prefix), instance["type"], allowed)
        elif discriminated:
            return errors.missing_parameter(param_name([*err.absolute_path, "type"], prefix))
    # Every branch rejected the value's JSON type: "expected one of ...".
    type_errors = [s for subs in branches.values() for s in subs if s.validator == "type" and not s.relative_path]
    if len(type_errors) == len(branches):
        expected: list[str] = []
        for s in type_errors:
            for t in s.validator_value if isinstance(s.validator_value, list) else [s.validator_value]:
                name = _TYPE_NAMES.get(t, t)
                if name not in expected:
                    expected.append(name)
        if "null" in expected and len(expected) > 1:
            expected.remove("null")
        wanted = expected[0] if len(expected) == 1 else "one of " + " or ".join(expected)
        return errors.invalid_type(here, wanted, type_name(instance))
    # Some branch fits the value's type: report that branch's first problem.
    first = fitting[min(fitting)] if fitting else list(err.context)
    return _translate_one(_pick(first), prefix)


def _translate_one(err: ValidationError, prefix: str) -> APIError:
    v = err.validator
    value = err.validator_value
    here = param_name(err.absolute_path, prefix)
    instance = err.instance
    if v in ("oneOf", "anyOf"):
        return _translate_union(err, prefix)
    if v == "additionalProperties":
        known = set(err.schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in known)
        return errors.unknown_parameter(param_name([*err.absolute_path, extra[0]], prefix))
    if v == "required":
        missing = [k for k in value if k not in instance]
        return errors.missing_parameter(param_name([*err.absolute_path, missing[0]], prefix))
    if v == "type":
        wanted = value if isinstance(value, list) else [value]
        names = [_TYPE_NAMES.get(t, t) for t in wanted]
        if "null" in names and len(names) > 1:
            names.remove("null")
        expected = names[0] if len(names) == 1 else "one of " + " or ".join(names)
        return errors.invalid_type(here, expected, type_name(instance))
    if v == "enum":
        return errors.invalid_value(here, instance, list(value))
    if v == "const":
        return errors.invalid_value(here, instance, [value])
    if v == "maxLength":
        return errors.invalid(
            here,
            f"string too long. Expected a string with maximum length {value}, but got a string with length "
            f"{len(instance)} instead.",
            "string_above_max_length",
        )
    if v == "minLength":
        return errors.invalid(
            here,
            f"string too short. Expected a string with minimum length {value}, but got a string with length "
            f"{len(instance)} instead.",
            "string_below_min_length",
        )
    if v == "maxItems":
        return errors.invalid(
            here,
            f"array too long. Expected an array with maximum length {value}, but got an array with length "
            f"{len(instance)} instead.",
            "array_above_max_length",
        )
    if v == "minItems":
        code = "empty_array" if len(instance) == 0 else "array_below_min_length"
        return errors.invalid(
            here,
            f"array too short. Expected an array with minimum length {value}, but got an array with length "
            f"{len(instance)} instead.",
            code,
        )
    if v == "maxProperties":
        return errors.invalid(
            here,
            f"too many properties. Expected an object with at most {value} properties, but got an object with "
            f"{len(instance)} properties instead.",
            "object_above_max_properties",
        )
    if v in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
        kind = "integer" if err.schema.get("type") == "integer" else "decimal"
        above = v in ("maximum", "exclusiveMaximum")
        op = {"maximum": "<=", "minimum": ">=", "exclusiveMaximum": "<", "exclusiveMinimum": ">"}[v]
        return errors.invalid(
            here,
            f"{kind} {'above maximum' if above else 'below minimum'} value. Expected a value {op} {value}, "
            f"but got {instance} instead.",
            f"{kind}_{'above_max' if above else 'below_min'}_value",
        )
    if v == "pattern":
        return errors.invalid(
            here,
            f"string does not match pattern. Expected a string that matches the pattern '{value}'.",
            "invalid_value",
        )
    if v == "propertyNames":
        # the offending key is reported through its own sub-error
        sub = _pick(err.context) if err.context else None
        if sub is not None and sub.validator == "maxLength":
            return errors.invalid(
                here,
                f"string too long. Expected a key with maximum length {sub.validator_value}, but got a key with "
                f"length {len(sub.instance)} instead.",
                "string_above_max_length",
            )
    return errors.bad_request(f"Invalid '{here}': {err.message}", param=here or None, code="invalid_value")
