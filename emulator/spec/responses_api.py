"""Where the real Responses, Conversations and Containers services answer differently from their spec.

The same kind of patches as `KNOWN_DIFFERENCES` in `responses.py` (applied after them, on the answers'
schemas only: request bodies are validated against the spec as it is), each with its evidence: the
recordings in `../shared/recordings/` (the README there says where each comes from), copied where a
test needs them into `tests/data/responses_api/`. Also the answers the spec leaves untyped
(`UNTYPED_ANSWERS`).

Not patched, though old recordings differ: streams recorded before mid-2025 lack `sequence_number`
(ruby-openai responses_stream.yml, 2025-03-14), and `output_text` parts and `output_text.delta`
events recorded on Azure in 2025-08 lack `logprobs` (azure-openai ResponsesTests); the service's
current answers carry both (pydantic-ai cassettes of 2025-09 onward), as the spec says.
"""

from __future__ import annotations

from typing import Any

from .responses import Difference

NUMBER = {"type": "number"}


def _props(schemas: dict[str, Any], name: str) -> dict[str, Any]:
    return schemas[name]["properties"]


def _nullable(name: str, field: str) -> Any:
    def patch(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
        props = _props(schemas, name)
        props[field] = {"anyOf": [props[field], {"type": "null"}]}

    return patch


def _added(name: str, field: str, schema: dict[str, Any]) -> Any:
    def patch(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
        _props(schemas, name)[field] = schema

    return patch


def _optional(name: str, field: str) -> Any:
    def patch(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
        schemas[name]["required"] = [f for f in schemas[name]["required"] if f != field]

    return patch


def _cache_write_tokens(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    details = _props(schemas, "ResponseUsage")["input_tokens_details"]
    details["required"] = [f for f in details["required"] if f != "cache_write_tokens"]


def _result_vector_store(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    results = _props(schemas, "FileSearchToolCall")["results"]
    results["anyOf"][0]["items"]["properties"]["vector_store_id"] = {"type": "string"}


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties),
            "additionalProperties": False}  # fmt: skip


INTEGER = {"type": "integer"}
#: `tool_usage` as recorded (pydantic-ai test_background_mode_reasoning_vcr.yaml, 2026-07-21).
IMAGE_TOKENS = _closed({"image_tokens": INTEGER, "text_tokens": INTEGER})
TOOL_USAGE = _closed(
    {
        "image_gen": _closed(
            {
                "input_tokens": INTEGER,
                "input_tokens_details": IMAGE_TOKENS,
                "output_tokens": INTEGER,
                "output_tokens_details": IMAGE_TOKENS,
                "total_tokens": INTEGER,
            }
        ),
        "web_search": _closed({"num_requests": INTEGER}),
    },
    required=[],
)
#: Azure's content filter results: a list of objects (their inner shape is Azure's, open here), or null.
CONTENT_FILTERS = {"anyOf": [{"type": "array", "items": {"type": "object"}}, {"type": "null"}]}
#: `DELETE /responses/{id}` (the spec states no body; the SDK ignores it).
DELETED_RESPONSE = _closed(
    {
        "id": {"type": "string"},
        "object": {"type": "string", "enum": ["response.deleted"]},
        "deleted": {"type": "boolean"},
    }
)


def _deleted_response(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    schemas["DeletedResponse"] = DELETED_RESPONSE


#: Answers whose 200 body the spec leaves untyped: (method, path template) -> the schema a patch adds.
UNTYPED_ANSWERS = {("delete", "/responses/{}"): "DeletedResponse"}

PYDANTIC = "pydantic-ai cassettes (tests/models/cassettes/test_openai_responses/)"

RESPONSES_DIFFERENCES: list[Difference] = [
    Difference("Response", "user", _nullable("Response", "user"),
               "every recorded response answers `\"user\": null` (pydantic-ai test_openai_responses_model_simple_response"
               ".yaml, 2025-09; azure-openai ResponsesTests/CanDeleteResponse.json, 2025-08; azure-ai-projects "
               "test_agent_function_tool.json, 2025-12)"),
    Difference("Response", "usage", _nullable("Response", "usage"),
               "`\"usage\": null` until the response ends: response.created/in_progress/queued events and background "
               "answers (pydantic-ai test_background_mode_vcr.yaml #0, 2026-02; test_openai_responses_streaming_usage"
               ".yaml, 2025-09)"),
    Difference("Response", "store", _added("Response", "store", {"type": "boolean"}),
               "every recorded response echoes `store` (true, or false: pydantic-ai "
               "test_background_mode_streaming_continuation_vcr.yaml #1, 2026-02; ruby-openai responses_create.yml, "
               "2025-03); the spec lists it on CreateResponse only"),
    Difference("Response", "billing", _added("Response", "billing", _closed({"payer": {"type": "string"}})),
               "`\"billing\": {\"payer\": \"developer\"}` on OpenAI from late 2025 (pydantic-ai "
               "test_openai_responses_model_file_search_tool.yaml, 2025-12; test_background_mode_reasoning_vcr.yaml #1, "
               "2026-07)"),
    Difference("Response", "frequency_penalty", _added("Response", "frequency_penalty", NUMBER),
               "`\"frequency_penalty\": 0.0` from 2026 (pydantic-ai test_background_mode_vcr.yaml, 2026-02; "
               "test_openai_conversation_id_explicit_and_auto.yaml, 2026-04; the Azure v1 route in "
               "test_azure_responses_reasoning_context_default_wire_contract[gpt-5.4].yaml, 2026-07)"),
    Difference("Response", "presence_penalty", _added("Response", "presence_penalty", NUMBER),
               "`\"presence_penalty\": 0.0`, next to frequency_penalty (the same recordings)"),
    Difference("Response", "tool_usage", _added("Response", "tool_usage", TOOL_USAGE),
               "`tool_usage` (image_gen tokens, web_search requests) after `usage` (pydantic-ai "
               "test_background_mode_reasoning_vcr.yaml, 2026-07)"),
    Difference("Response", "content_filters", _added("Response", "content_filters", CONTENT_FILTERS),
               "Azure OpenAI adds `content_filters`: null (azure-openai ResponsesTests/CanDeleteResponse.json, 2025-08) "
               "or a list of filter results (pydantic-ai test_azure_responses_reasoning_context_default_wire_contract"
               "[gpt-5.4].yaml, /openai/v1/responses, 2026-07)"),
    Difference("ResponseUsage", "input_tokens_details.cache_write_tokens", _cache_write_tokens,
               "no recorded usage has `cache_write_tokens`, only `cached_tokens` (every response and compaction of "
               f"the {PYDANTIC}, up to 2026-07; azure-openai ResponsesTests; azure-ai-projects)"),
    Difference("ResponseTextDeltaEvent", "obfuscation",
               _added("ResponseTextDeltaEvent", "obfuscation", {"type": "string"}),
               "streamed deltas carry `obfuscation` padding unless `stream_options.include_obfuscation` is false "
               "(pydantic-ai test_openai_conversation_id_streaming_provider_details.yaml, 2026-04; "
               "test_openai_responses_model_file_search_tool_stream.yaml, 2025-12)"),
    Difference("ResponseFunctionCallArgumentsDeltaEvent", "obfuscation",
               _added("ResponseFunctionCallArgumentsDeltaEvent", "obfuscation", {"type": "string"}),
               "as output_text deltas (pydantic-ai test_openai_responses_streaming_usage.yaml, 2025-09)"),
    Difference("ResponseFunctionCallArgumentsDoneEvent", "name", _optional("ResponseFunctionCallArgumentsDoneEvent", "name"),
               "recorded `response.function_call_arguments.done` events have no `name` (pydantic-ai "
               "test_openai_responses_streaming_usage.yaml, 2025-09; azure-openai ResponsesTests/"
               "FunctionCallStreaming.json, 2025-08); the SDK's accumulator takes it from the item"),
    Difference("FileSearchToolCall", "results[].vector_store_id", _result_vector_store,
               "file_search results carry `vector_store_id` (pydantic-ai test_openai_responses_model_file_search_tool"
               "_with_results.yaml, 2025-12)"),
    Difference("TextResponseFormatJsonSchema", "description", _nullable("TextResponseFormatJsonSchema", "description"),
               "the echoed `text.format` of a json_schema request made without a description has "
               "`\"description\": null` (pydantic-ai test_native_output.yaml, 2025-06)"),
    Difference("DeletedResponse", "(the answer of DELETE /responses/{id})", _deleted_response,
               "the spec states no body; the service answers `{\"id\", \"object\": \"response.deleted\", \"deleted\": "
               "true}` (azure-openai ResponsesTests/CanDeleteResponse.json #2, 2025-08; ruby-openai "
               "responses_delete.yml, 2025-03)"),
]  # fmt: skip


def _input_output_text(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    text = schemas["OutputTextContent"]
    text["required"] = [f for f in text["required"] if f != "logprobs"]


def _function_call_status(schemas: dict[str, Any], _spec: dict[str, Any]) -> None:
    props = _props(schemas, "FunctionToolCall")
    props["status"] = {"anyOf": [props["status"], {"type": "null"}]}


#: Request bodies the service took that its spec refuses: patches of the request schemas (validation.py).
REQUEST_DIFFERENCES: list[Difference] = [
    Difference("OutputTextContent", "logprobs", _input_output_text,
               "an earlier answer's assistant message sent back as input without `logprobs` on its output_text "
               "is taken (pydantic-ai test_openai_responses_model_mcp_server_tool.yaml #1, 2025-10; "
               "test_openai_responses_model_web_search_tool.yaml #1, 2025-09)"),
    Difference("FunctionToolCall", "status", _function_call_status,
               "a function_call input item with `\"status\": null` is taken (pydantic-ai "
               "test_openai_responses_model_simple_response_with_tool_call.yaml #1, 2025-10)"),
    Difference("OutputMessage", "id", _optional("OutputMessage", "id"),
               "an assistant message sent back without its `id` (with `status` and output_text parts) is taken: the "
               "OpenAI Agents SDK's OpenAIConversationsSession adds a run's output so to conversations.items.create, "
               "and sends them back as input so (openai-agents 0.24.0; tests/data/responses_api/client_requests.json)"),
    Difference("InputMessage", "id", _added("InputMessage", "id", {"type": "string"}),
               "a user message listed from a conversation (an InputMessageResource, with its `id`) and sent back as "
               "input is taken: the OpenAI Agents SDK's OpenAIConversationsSession sends the conversation's items so "
               "(openai-agents 0.24.0; tests/data/responses_api/client_requests.json)"),
    Difference("FunctionTool", "strict", _optional("FunctionTool", "strict"),
               "a function tool without `strict` is taken (ruby-openai responses_create_with_tool_call.yml, "
               "2025-03); the SDKs type it optional"),
    Difference("FileSearchToolCall", "results[].vector_store_id", _result_vector_store,
               "a file_search_call sent back as input with the results the service gave, `vector_store_id` "
               "included (pydantic-ai test_openai_responses_model_file_search_tool_with_results.yaml, 2025-12, "
               "shows them so), is taken as it came: the openai SDK sends them back so "
               "(tests/data/responses_api/client_requests.json)"),
]  # fmt: skip
