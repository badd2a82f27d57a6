"""The one catalogue of errors the emulator answers with.

Every client mistake becomes an `APIError`, rendered by the HTTP layer as the real
envelope `{"error": {"message", "type", "param", "code"}}`. Wording follows the real
service (sources in `../shared/reference/api.md` §6); keep all texts here so that
they can be compared word for word, as fakeredis does with its `_msgs.py`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

INVALID_REQUEST = "invalid_request_error"


class APIError(Exception):
    """An error answer: HTTP status and the body the real service sends."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str | None = INVALID_REQUEST,
        param: str | None = None,
        code: str | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self._body = body
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        if self._body is not None:
            return self._body
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def __repr__(self) -> str:
        return f"APIError({self.status}, {self.message!r}, param={self.param!r}, code={self.code!r})"


# --- not found -----------------------------------------------------------------


class _NotFound(NamedTuple):
    """How the service words a missing object of one kind: message template, `param` and `code`."""

    message: str
    param: str | None = None
    code: str | None = None


_NOT_FOUND: dict[str, _NotFound] = {
    "assistant": _NotFound("No assistant found with id '{id}'."),
    "thread": _NotFound("No thread found with id '{id}'."),
    "message": _NotFound("No message found with id '{id}'."),
    "run": _NotFound("No run found with id '{id}'."),
    "step": _NotFound("No run step found with id '{id}'."),
    # recorded: azure-openai VectorStoreTests/CanCreateGetAndDeleteVectorStores.json
    "vector_store": _NotFound("No vector store found with id '{id}'.", param="vector_store_id"),
    "vector_store_file": _NotFound("No file found with id '{id}' in vector store '{parent}'."),
    "file_batch": _NotFound("No file batch found with id '{id}'."),
    "file": _NotFound("No such File object: {id}", param="id"),
    "model": _NotFound("The model '{id}' does not exist", param="model", code="model_not_found"),
    # recorded: azure-openai ResponsesTests/CanDeleteResponse(%gpt-4o-mini%).json (GET after DELETE, 2025-08)
    "response": _NotFound("Response with id '{id}' not found."),
    "conversation": _NotFound("Conversation with id '{id}' not found."),
    "conversation_item": _NotFound("Item with id '{id}' not found."),
    # the Containers API's wording is not recorded: the Responses API's (unconfirmed, docs/limits.md)
    "container": _NotFound("Container with id '{id}' not found."),
    "container_file": _NotFound("Container file with id '{id}' not found in container '{parent}'."),
}


def not_found(kind: str, id: str, *, parent: str | None = None) -> APIError:
    entry = _NOT_FOUND[kind]
    return APIError(404, entry.message.format(id=id, parent=parent), param=entry.param, code=entry.code)


def unknown_route(method: str, path: str) -> APIError:
    return APIError(404, f"Invalid URL ({method} {path})")


def method_not_allowed(method: str, path: str) -> APIError:
    return APIError(405, f"Invalid method for URL ({method} {path})")


# --- request validation ----------------------------------------------------------


def invalid_json() -> APIError:
    return APIError(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
        "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
        "If you have trouble figuring out how to fix this, please contact us through our help center at "
        "help.openai.com.)",
        param=None,
        code=None,
    )


def body_not_object() -> APIError:
    return APIError(400, "Invalid type for request body: expected an object.", code="invalid_type")


def unknown_parameter(param: str) -> APIError:
    return APIError(400, f"Unknown parameter: '{param}'.", param=param, code="unknown_parameter")


def missing_parameter(param: str) -> APIError:
    return APIError(400, f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def invalid_type(param: str, expected: str, got: str) -> APIError:
    return APIError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {got} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, value: Any, allowed: list[Any]) -> APIError:
    quoted = [f"'{a}'" for a in allowed]
    listed = (
        quoted[0]
        if len(quoted) == 1
        else ", ".join(quoted[:-1]) + (", and " if len(quoted) > 2 else " and ") + quoted[-1]
    )
    return APIError(
        400, f"Invalid value: '{value}'. Supported values are: {listed}.", param=param, code="invalid_value"
    )


def invalid(param: str, detail: str, code: str) -> APIError:
    """The generic `Invalid 'param': ...` wording of limit errors."""
    return APIError(400, f"Invalid '{param}': {detail}", param=param, code=code)


def invalid_id_prefix(param: str, value: str, prefix: str) -> APIError:
    return APIError(
        400,
        f"Invalid '{param}': '{value}'. Expected an ID that begins with '{prefix}'.",
        param=param,
        code="invalid_value",
    )


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> APIError:
    return APIError(400, message, param=param, code=code)


def too_large(size: int, limit: int, what: str = "request body") -> APIError:
    """413: a body (or an uploaded file) over the configured limit."""
    return APIError(
        413,
        f"The {what} is too large: {size:,} bytes, and the limit is {limit:,} bytes.",
        code="request_too_large",
    )


# --- files ----------------------------------------------------------------------


def download_not_allowed(purpose: str) -> APIError:
    return APIError(400, f"Not allowed to download files of purpose: {purpose}")


def unsupported_extension(ext: str, supported: list[str]) -> APIError:
    formats = ", ".join(f'"{s}"' for s in supported)
    return APIError(400, f"Invalid extension {ext}. Supported formats: {formats}", param=None)


# --- auth and beta header ---------------------------------------------------------


def missing_api_key() -> APIError:
    return APIError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if "
        "you're accessing the API from your browser and are prompted for a username and password. You can "
        "obtain an API key from https://platform.openai.com/account/api-keys.",
        param=None,
        code=None,
    )


def incorrect_api_key(key: str) -> APIError:
    masked = key[:8] + "*" * 4 + key[-4:] if len(key) > 12 else key[:2] + "*" * 4
    return APIError(
        401,
        f"Incorrect API key provided: {masked}. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        param=None,
        code="invalid_api_key",
    )


def azure_access_denied() -> APIError:
    """Azure's gateway answers auth failures without `type` or `param`."""
    message = (
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key "
        "for an active subscription and use a correct regional API endpoint for your resource."
    )
    return APIError(401, message, body={"error": {"code": "401", "message": message}})


def azure_resource_not_found() -> APIError:
    return APIError(404, "Resource not found", body={"error": {"code": "404", "message": "Resource not found"}})


def azure_api_version_not_supported() -> APIError:
    message = "API version not supported"
    return APIError(400, message, body={"error": {"code": "BadRequest", "message": message}})


def foundry_unauthorized() -> APIError:
    """A Foundry project wants an Entra bearer token (the shape of Azure's gateway errors)."""
    message = "Unauthorized. Access token is missing, invalid, audience is incorrect, or have expired."
    return APIError(401, message, body={"error": {"code": "PermissionDenied", "message": message}})


def foundry_api_version(version: str | None, supported: list[str]) -> APIError:
    """A Foundry project's answer to a missing or unknown `api-version` (wording unconfirmed)."""
    if not version:
        message = "Missing required query parameter: api-version"
    else:
        listed = ", ".join(f"'{v}'" for v in supported)
        message = f"Unsupported api-version '{version}'. The supported api-versions are {listed}."
    return APIError(400, message, body={"error": {"code": "BadRequest", "message": message}})


def missing_beta_header() -> APIError:
    return APIError(
        400,
        "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting "
        "the header 'OpenAI-Beta: assistants=v2'.",
        code="invalid_beta",
    )


def v1_beta_header() -> APIError:
    return APIError(
        400,
        "The v1 Assistants API has been deprecated. Please try again by setting the header "
        "'OpenAI-Beta: assistants=v2'.",
        code="invalid_beta",
    )


def server_error(detail: str = "") -> APIError:
    return APIError(
        500,
        "The server had an error while processing your request. Sorry about that!" + (f" ({detail})" if detail else ""),
        type="server_error",
    )


# --- the new Foundry agents (azure-ai-projects 2.x, `/api/projects/NAME/agents`) -------------------


def agents_error(status: int, message: str, *, code: str, param: str = "", type: str = INVALID_REQUEST) -> APIError:
    """The agents API's envelope (the SDK's `ApiErrorResponse`: code, message, param, type, details), as
    azure-ai-projects 2.10 operations/_patch_agents.py quotes the service's 403 and Azure/azure-sdk-for-net
    issue 58060 shows its 409 (`"param": ""` when none). The service adds `additionalInfo.request_id`; the
    emulator's request id is in the `x-request-id` header instead."""
    error = {"code": code, "message": message, "param": param, "type": type, "details": []}
    return APIError(status, message, type=type, param=param or None, code=code, body={"error": error})


def in_agents_envelope(exc: APIError) -> APIError:
    """An error of the OpenAI envelope (a bad query or JSON body) as the agents API writes its errors."""
    if exc._body is not None:
        return exc
    return agents_error(exc.status, exc.message, code=exc.code or INVALID_REQUEST, param=exc.param or "",
                        type=exc.type or INVALID_REQUEST)  # fmt: skip


def agent_not_found(name: str) -> APIError:
    """No agent of that name (wording unconfirmed: no recording or issue shows it)."""
    return agents_error(404, f"Agent '{name}' not found.", code="not_found", param="agent_name")


def agent_version_not_found(name: str, version: str) -> APIError:
    """No such version of an agent (wording unconfirmed)."""
    return agents_error(404, f"Agent version '{name}:{version}' not found.", code="not_found", param="agent_version")


def agent_preview_feature(feature: str, what: str) -> APIError:
    """A preview kind of agent without its `Foundry-Features` opt-in: the service's 403, worded as
    azure-ai-projects 2.10 operations/_patch_agents.py quotes it for workflow agents."""
    message = (f"{what} is in preview. This operation requires the following opt-in preview feature(s): "
               f"{feature}. Include the 'Foundry-Features: {feature}' header in your request.")  # fmt: skip
    return agents_error(403, message, code="preview_feature_required", param="Foundry-Features")


def agent_kind_not_served(kind: str) -> APIError:
    """The emulator runs prompt agents only (docs/limits.md); the service would create the version."""
    message = (f"The emulator serves prompt agents only: an agent definition of kind '{kind}' is not served "
               "(see the emulator's docs/limits.md).")  # fmt: skip
    return agents_error(400, message, code="invalid_value", param="definition.kind")


def agent_invalid(param: str, message: str, code: str = "invalid_value") -> APIError:
    """A request the agents API's validation refuses (wording unconfirmed: the emulator's own)."""
    return agents_error(400, message, code=code, param=param)


def agent_unknown_parameter(param: str) -> APIError:
    """`unknown_parameter`'s words, in the agents API's envelope."""
    return agent_invalid(param, f"Unknown parameter: '{param}'.", "unknown_parameter")


def agent_missing_parameter(param: str) -> APIError:
    """`missing_parameter`'s words, in the agents API's envelope."""
    return agent_invalid(param, f"Missing required parameter: '{param}'.", "missing_required_parameter")


def agent_property_deprecated() -> APIError:
    """`agent` on `/openai/v1` (reference notes on the Foundry Agent Service: the 2.0.0b4 rename)."""
    return APIError(400, "The 'agent' property is deprecated. Use 'agent_reference' instead.", param="agent")


def not_with_agent(param: str) -> APIError:
    """A request-level setting the agent's definition owns (what Microsoft's agent-framework strips from a request
    that names an agent; the service's wording is not recorded)."""
    return APIError(400, f"Not allowed when agent is specified: '{param}'.", param=param)
