"""Official SDK clients bound in-process to an emulator app (no socket, no network).

    from emulator import Emulator, create_app
    from emulator.clients import in_process_client

    app = create_app(Emulator(seed=1))
    client = in_process_client(app)                          # OpenAI
    azure = in_process_client(app, azure=True)               # AzureOpenAI
    aclient = in_process_client(app, asynchronous=True)      # AsyncOpenAI

Works with openai 3.x (`httpx2`) and 1.x/2.x (`httpx`): the transport is built for the
HTTP client module the installed SDK uses.
"""

from __future__ import annotations

from typing import Any

from .azure import V2_API_VERSIONS
from .transport import async_transport, sdk_http_module, sync_transport

#: The base URL in-process clients use; nothing resolves or connects to it.
IN_PROCESS_BASE = "http://emulator.local"
AZURE_API_VERSION = max(V2_API_VERSIONS)
DEFAULT_KEY = "sk-emulator-test"


def in_process_client(
    app: Any,
    *,
    azure: bool = False,
    asynchronous: bool = False,
    api_key: str = DEFAULT_KEY,
    api_version: str = AZURE_API_VERSION,
    **options: Any,
) -> Any:
    """An `OpenAI`, `AsyncOpenAI`, `AzureOpenAI` or `AsyncAzureOpenAI` client talking to `app`
    (the emulator's app, or its `Dispatcher`)."""
    import openai

    http = sdk_http_module()
    if asynchronous:
        http_client = http.AsyncClient(transport=async_transport(app, http), trust_env=False)
    else:
        http_client = http.Client(transport=sync_transport(app, http), trust_env=False)
    if azure:
        cls = openai.AsyncAzureOpenAI if asynchronous else openai.AzureOpenAI
        return cls(
            api_key=api_key, azure_endpoint=IN_PROCESS_BASE, api_version=api_version, http_client=http_client, **options
        )
    cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return cls(api_key=api_key, base_url=f"{IN_PROCESS_BASE}/v1", http_client=http_client, **options)
