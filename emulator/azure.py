"""Azure OpenAI's shape: `{endpoint}/openai/...?api-version=...` with an `api-key` header.

Assistants exist only in preview api-versions. v2 (tool_resources, file_search, vector
stores, attachments) from 2024-05-01-preview; the v1 shape (2024-02-15-preview to
2024-04-01-preview: `file_ids`, `retrieval`) is not emulated and those versions are
refused. Any other version gets Azure's 400; a GA version (no Assistants) its 404.

Newer versions. Azure's "API version lifecycle" page (MicrosoftDocs/azure-ai-docs,
articles/ai-foundry/openai/api-version-lifecycle.md, revision of 2025-08-26) lists the dated
versions, the last preview being 2025-04-01-preview (GA versions have no Assistants); after them only the
v1 API (`/openai/v1/...`, no dated versions), whose paths do not include Assistants. So a later
date is not a version the service serves Assistants on, and it gets the service's answer to a
version it does not serve: 400 `{"error": {"code": "BadRequest", "message": "API version not
supported"}}` (as users report it, e.g. hotovo/aider-desk#460). This is what Semantic Kernel's
Azure clients send by default: `DEFAULT_AZURE_API_VERSION = "2025-08-28"` in
semantic_kernel/connectors/ai/open_ai/const.py (1.45); tests/test_https.py runs its
`AzureAssistantAgent` sample with that default and with a served version (docs/https.md).
"""

from __future__ import annotations

from . import errors

V2_API_VERSIONS = frozenset(
    {
        "2024-05-01-preview",
        "2024-07-01-preview",
        "2024-08-01-preview",
        "2024-09-01-preview",
        "2024-10-01-preview",
        "2024-12-01-preview",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-03-01-preview",
        "2025-04-01-preview",
    }
)
#: Versions whose Assistants API is v1-shaped: not emulated.
V1_API_VERSIONS = frozenset({"2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview"})
#: GA versions: the service has no Assistants routes there.
GA_API_VERSIONS = frozenset({"2024-02-01", "2024-06-01", "2024-10-21", "2025-06-01"})


def check_api_version(version: str | None) -> None:
    if not version:
        raise errors.azure_resource_not_found()
    if version in V2_API_VERSIONS:
        return
    if version in GA_API_VERSIONS:
        raise errors.azure_resource_not_found()
    raise errors.azure_api_version_not_supported()


#: Azure's answer to `POST /openai/responses?api-version=…` without a `model` (the deployment): a 400 whose body,
#: indented JSON without a type, param or code, comes with no Content-Type (azure-openai
#: ResponsesTests/WebSearchNotSupported.json, 2026-03; its gateway answers before the service reads the request).
MISSED_DEPLOYMENT = b'{\n  "error": {\n    "message": "Missed model deployment"\n  }\n}'


def missed_deployment(shape: str | None, path: str, body: dict[str, object]) -> bool:
    """Whether Azure answers `MISSED_DEPLOYMENT`: a response created on its dated-version path with no model."""
    return shape == "azure" and path.rstrip("/").endswith("/openai/responses") and not body.get("model")
