"""`azure-ai-projects` 2.x clients bound to the emulator (the new Foundry agents): in-process
(the azure-core transport of `foundry_clients`, no socket) or over HTTP(S) (the dev server).

    from emulator import Emulator, create_app
    from emulator.project_clients import in_process_project_client, http_project_client

    project = in_process_project_client(create_app(Emulator()))            # AIProjectClient
    openai = project.get_openai_client()                                   # openai.OpenAI, in-process too
    aproject = in_process_project_client(app, asynchronous=True)           # aio.AIProjectClient
    project = http_project_client("https://127.0.0.1:8443/api/projects/p", ca_file="tls/emulator-ca.pem")

`get_openai_client()` stays the SDK's own (base URL `{endpoint}/openai/v1` or, with
`agent_name=`, the agent's endpoint; its `api-version` query, `Foundry-Features` header, user
agent and bearer-token provider): only the HTTP client it builds when none is given is
replaced, by one bound in-process (the hook `_get_openai_http_client` of azure-ai-projects'
`_patch.py`), or, over https, one that trusts `ca_file`. Over plain http the azure-core
bearer-token policy needs `foundry_clients.allow_http_policy()` (added here), over https
nothing: it is the unmodified client. `azure-ai-projects` is imported only when a client is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .foundry_clients import (
    DEFAULT_TOKEN,
    IN_PROCESS_ENDPOINT,
    AsyncEmulatorHttpTransport,
    AsyncStaticTokenCredential,
    EmulatorHttpTransport,
    StaticTokenCredential,
    allow_http_policy,
)
from .transport import async_transport, sdk_http_module, sync_transport

__all__ = ["DEFAULT_TOKEN", "IN_PROCESS_ENDPOINT", "http_project_client", "in_process_project_client"]


def _project_client_class(asynchronous: bool) -> type:
    if asynchronous:
        from azure.ai.projects.aio import AIProjectClient as AsyncAIProjectClient

        return AsyncAIProjectClient
    from azure.ai.projects import AIProjectClient

    return AIProjectClient


def _with_openai_http_client(client: Any, make: Callable[[], Any]) -> Any:
    """`client` whose `get_openai_client()` builds its OpenAI client over `make()` unless the
    caller gives an `http_client` (the SDK's hook, overridden on this instance only)."""

    if not callable(getattr(type(client), "_get_openai_http_client", None)):  # azure-ai-projects 2.10's hook
        raise RuntimeError(f"this azure-ai-projects has no _get_openai_http_client hook to bind: {type(client)!r}")

    def hook(kwargs: dict[str, Any]) -> Any:
        if "http_client" in kwargs:
            return kwargs.pop("http_client")
        return make()

    client._get_openai_http_client = hook
    return client


def in_process_project_client(
    app: Any, *, asynchronous: bool = False, token: str = DEFAULT_TOKEN, endpoint: str = IN_PROCESS_ENDPOINT,
    **options: Any,
) -> Any:  # fmt: skip
    """An `AIProjectClient` (or `aio.AIProjectClient`) whose requests, and those of the OpenAI
    clients it makes, go straight to `app`'s dispatcher (`app`: the emulator's app, or its
    `Dispatcher`). `options` go to the client (`allow_preview=True`, `api_version`, ...)."""
    options.setdefault("retry_total", 0)
    cls = _project_client_class(asynchronous)
    http = sdk_http_module()
    if asynchronous:
        client = cls(endpoint, AsyncStaticTokenCredential(token), transport=AsyncEmulatorHttpTransport(app), **options)
        return _with_openai_http_client(
            client, lambda: http.AsyncClient(transport=async_transport(app, http), trust_env=False)
        )
    client = cls(endpoint, StaticTokenCredential(token), transport=EmulatorHttpTransport(app), **options)
    return _with_openai_http_client(client, lambda: http.Client(transport=sync_transport(app, http), trust_env=False))


def http_project_client(
    endpoint: str, token: str = DEFAULT_TOKEN, *, asynchronous: bool = False, ca_file: str | None = None,
    **options: Any,
) -> Any:  # fmt: skip
    """An `AIProjectClient` (or `aio.AIProjectClient`) for a project endpoint of a dev server.

    Over https (`serve --https`), `ca_file` is the CA its certificate is signed by: the project
    client verifies with it (`connection_verify`), and so do the OpenAI clients it makes;
    without it, the process's own trust applies (`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`). Over
    plain http, the bearer token is let through by `allow_http_policy()`."""
    options.setdefault("retry_total", 0)
    if endpoint.startswith("http://"):
        options["per_call_policies"] = [allow_http_policy(), *options.get("per_call_policies", [])]
    if ca_file is not None:
        options.setdefault("connection_verify", ca_file)
    credential = AsyncStaticTokenCredential(token) if asynchronous else StaticTokenCredential(token)
    client = _project_client_class(asynchronous)(endpoint, credential, **options)
    if ca_file is None:
        return client
    import ssl

    from openai import DefaultAsyncHttpxClient, DefaultHttpxClient

    trust = ssl.create_default_context(cafile=ca_file)
    make = DefaultAsyncHttpxClient if asynchronous else DefaultHttpxClient
    return _with_openai_http_client(client, lambda: make(verify=trust))
