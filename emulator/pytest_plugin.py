"""pytest plugin (entry point `pytest11`): active as soon as the package is installed.

Fixtures:
    emulator                  the Emulator (store, clock, ids, reset), fresh for each test
    openai_client             OpenAI bound in-process to it (no socket)
    async_openai_client       AsyncOpenAI, in-process
    azure_openai_client       AzureOpenAI, in-process
    async_azure_openai_client AsyncAzureOpenAI, in-process
    agents_client             azure-ai-agents' AgentsClient (Foundry Agents), in-process
    async_agents_client       azure.ai.agents.aio.AgentsClient, in-process
    project_client            azure-ai-projects' AIProjectClient (new Foundry agents), in-process; its
                              get_openai_client() is an openai.OpenAI bound in-process too
    async_project_client      azure.ai.projects.aio.AIProjectClient, in-process
    emulator_server           a real HTTP server on 127.0.0.1 (session-wide, state reset per test): .url
    emulator_https_server     the same over https (a certificate made for the session): .url, .ca_file
    openai_env                OPENAI_BASE_URL & co. pointing at emulator_server, for code that builds its own client

Options per test: @pytest.mark.emulator(seed=7, api_keys=["k1", "k2"], strict_models=True, ...)
(any `EmulatorConfig` field).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from .clients import AZURE_API_VERSION, DEFAULT_KEY, IN_PROCESS_BASE, in_process_client

if TYPE_CHECKING:
    from .core import Emulator

__all__ = ["AZURE_API_VERSION", "DEFAULT_KEY", "IN_PROCESS_BASE"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator(**options): options of the assistants emulator for this test (seed, api_keys, ...)"
    )


class _Session:
    """The session's emulator and its dispatcher, which the in-process clients call; the Flask
    app (for `emulator_server`) is made on first use: Flask costs a suite that never asks for
    it a start-up for nothing."""

    def __init__(self) -> None:
        # imported here: pytest loads this plugin in every run, most of which never start an emulator
        from .config import EmulatorConfig
        from .core import Emulator
        from .dispatch import Dispatcher

        self.emulator = Emulator(EmulatorConfig())
        self.dispatcher = Dispatcher(self.emulator)

    @functools.cached_property
    def app(self) -> Any:
        from .app import app_for

        return app_for(self.dispatcher)


@pytest.fixture(scope="session")
def _emulator_session() -> _Session:
    return _Session()


@pytest.fixture
def emulator(_emulator_session: _Session, request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """The emulator, reset for this test (with the options of its `emulator` marker); its
    code_interpreter sessions end with the test."""
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("emulator"))):
        options.update(marker.kwargs)
    settings = {
        name: list(v) if isinstance(v, list) else v for name, v in _defaults().items()
    }  # lists: each test its own
    unknown = set(options) - set(settings)
    if unknown:
        raise pytest.UsageError(f"unknown emulator option(s) {sorted(unknown)}; known: {sorted(settings)}")
    settings.update(options)
    _emulator_session.emulator.reset(**settings)
    yield _emulator_session.emulator
    _emulator_session.emulator.close()


@functools.cache
def _defaults() -> dict[str, Any]:
    """Every `EmulatorConfig` option and its default (the settings of a test with no marker)."""
    from .config import EmulatorConfig

    defaults = EmulatorConfig()
    return {name: getattr(defaults, name) for name in EmulatorConfig.__dataclass_fields__}


def _key(emulator: Emulator) -> str:
    return emulator.config.api_keys[0] if emulator.config.api_keys else DEFAULT_KEY


@pytest.fixture
def openai_client(emulator: Emulator, _emulator_session: _Session) -> Iterator[Any]:
    client = in_process_client(_emulator_session.dispatcher, api_key=_key(emulator))
    yield client
    client.close()


@pytest.fixture
def async_openai_client(emulator: Emulator, _emulator_session: _Session) -> Any:
    return in_process_client(_emulator_session.dispatcher, asynchronous=True, api_key=_key(emulator))


@pytest.fixture
def azure_openai_client(emulator: Emulator, _emulator_session: _Session) -> Iterator[Any]:
    client = in_process_client(_emulator_session.dispatcher, azure=True, api_key=_key(emulator))
    yield client
    client.close()


@pytest.fixture
def async_azure_openai_client(emulator: Emulator, _emulator_session: _Session) -> Any:
    return in_process_client(_emulator_session.dispatcher, azure=True, asynchronous=True, api_key=_key(emulator))


@pytest.fixture
def agents_client(emulator: Emulator, _emulator_session: _Session) -> Iterator[Any]:
    """azure-ai-agents' `AgentsClient` bound in-process to the emulator's Foundry shape."""
    from .foundry_clients import in_process_agents_client  # azure is imported only by tests that use it

    client = in_process_agents_client(_emulator_session.dispatcher, token=_key(emulator))
    yield client
    client.close()


@pytest.fixture
def async_agents_client(emulator: Emulator, _emulator_session: _Session) -> Any:
    """`azure.ai.agents.aio.AgentsClient`, in-process (it holds no connection: nothing to close)."""
    from .foundry_clients import in_process_agents_client

    return in_process_agents_client(_emulator_session.dispatcher, asynchronous=True, token=_key(emulator))


@pytest.fixture
def project_client(emulator: Emulator, _emulator_session: _Session) -> Iterator[Any]:
    """azure-ai-projects' `AIProjectClient` bound in-process to the emulator's project shape
    (agents on the project, and `get_openai_client()` for Responses and Conversations)."""
    from .project_clients import in_process_project_client  # azure is imported only by tests that use it

    client = in_process_project_client(_emulator_session.dispatcher, token=_key(emulator))
    yield client
    client.close()


@pytest.fixture
def async_project_client(emulator: Emulator, _emulator_session: _Session) -> Any:
    """`azure.ai.projects.aio.AIProjectClient`, in-process (it holds no connection: nothing to close)."""
    from .project_clients import in_process_project_client

    return in_process_project_client(_emulator_session.dispatcher, asynchronous=True, token=_key(emulator))


@dataclass
class EmulatorServer:
    """The running dev server: `url` is its root, `openai_base_url` what an OpenAI client wants;
    over https, `ca_file` is the PEM file of the CA its certificate is signed by (what clients trust)."""

    url: str
    emulator: Emulator
    ca_file: str | None = None

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def azure_endpoint(self) -> str:
        return self.url

    @property
    def api_key(self) -> str:
        return _key(self.emulator)

    @property
    def foundry_endpoint(self) -> str:
        """A Foundry project endpoint (`AgentsClient(endpoint=...)`); the token is `api_key`."""
        return f"{self.url}/api/projects/emulator-project"

    @property
    def project_endpoint(self) -> str:
        """The same, as `AIProjectClient(endpoint=...)` of azure-ai-projects 2.x takes it."""
        return self.foundry_endpoint


@pytest.fixture(scope="session")
def _emulator_http_server(_emulator_session: _Session) -> Iterator[str]:
    from .server import Server

    server = Server(_emulator_session.app, host="127.0.0.1", port=0, threads=8, log_requests=False)
    server.start_in_thread()
    yield server.url
    server.stop()


@pytest.fixture
def emulator_server(emulator: Emulator, _emulator_http_server: str) -> EmulatorServer:
    """A real HTTP server on 127.0.0.1 over the same emulator as the in-process clients."""
    return EmulatorServer(url=_emulator_http_server, emulator=emulator)


@pytest.fixture(scope="session")
def _emulator_https_server(_emulator_session: _Session) -> Iterator[tuple[str, str]]:
    from .server import Server
    from .tls import made_certificate

    tls = made_certificate()
    server = Server(_emulator_session.app, host="127.0.0.1", port=0, threads=8, log_requests=False, tls=tls)
    server.start_in_thread()
    yield server.url, str(tls.ca_file)
    server.stop()
    tls.cleanup()


@pytest.fixture
def emulator_https_server(emulator: Emulator, _emulator_https_server: tuple[str, str]) -> EmulatorServer:
    """A real https server on 127.0.0.1 over the same emulator, its certificate valid for
    127.0.0.1 and localhost and signed by a CA made for the session (`ca_file`): trust it with
    `httpx.Client(verify=ssl.create_default_context(cafile=ca_file))`, azure-core's
    `connection_verify=ca_file`, or `SSL_CERT_FILE`."""
    url, ca_file = _emulator_https_server
    return EmulatorServer(url=url, emulator=emulator, ca_file=ca_file)


@pytest.fixture
def openai_env(emulator_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    """Environment variables the SDKs read, pointing at `emulator_server`."""
    monkeypatch.setenv("OPENAI_BASE_URL", emulator_server.openai_base_url)
    monkeypatch.setenv("OPENAI_API_KEY", emulator_server.api_key)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", emulator_server.azure_endpoint)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", emulator_server.api_key)
    monkeypatch.setenv("OPENAI_API_VERSION", AZURE_API_VERSION)
    return emulator_server
