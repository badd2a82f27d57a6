"""https: the dev server with a certificate made at start (`serve --https`, the plugin's
`emulator_https_server`) or the user's own (`--tls-cert/--tls-key`), reached over real TLS on
127.0.0.1 by the clients that need it: azure-ai-agents' `AgentsClient` with its default
bearer-token policy, `AzureOpenAI`, `OpenAI`, Node (`NODE_EXTRA_CA_CERTS`) and Semantic
Kernel's `AzureAssistantAgent` (in its own side environment). The examples of docs/https.md
(its blocks marked `tested-by=tests/test_https.py::TEST`) run here, against those servers."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any

import openai
import pytest
import trustme
from azure.ai.agents import AgentsClient
from azure.core.exceptions import ServiceRequestError
from cryptography import x509
from openai import AzureOpenAI, DefaultHttpxClient, OpenAI
from test_cli_server import ServerProcess

import docs_blocks
from emulator.cli import _tls, build_parser, serve
from emulator.foundry_clients import StaticTokenCredential
from emulator.tls import TLSError, certificate_names

REPO = Path(__file__).resolve().parents[1]
PAGE_NAME = "docs/https.md"
DOCS_URL, DOCS_CA = "https://127.0.0.1:8443", "emulator-data/tls/emulator-ca.pem"
AZURE_VERSION = "2025-04-01-preview"
HTTPS_URL = re.compile(r"listening on (https://127\.0\.0\.1:\d+)\s*$", re.M)
#: Sleeps in the sandbox between the stream's first events and its last: the stream is incremental.
SLOW_CODER = {"name": "slow-coder", "turns": [
    {"when": {"code_ran": True}, "do": [{"reply": "Slept; the code said {{ last_code.logs | trim }}."}]},
    {"do": [{"run_code": "import time\ntime.sleep(0.6)\nprint('awake')"}]}]}  # fmt: skip


def trusting(ca_file: str) -> ssl.SSLContext:
    """What a client trusting `ca_file` (only) verifies with, with the strict X.509 checks
    Python 3.13 turns on by default turned on here too, whatever this Python is."""
    context = ssl.create_default_context(cafile=ca_file)
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    return context


def docs_block(containing: str) -> str:
    """The text of the block of docs/https.md that contains `containing` (one marked for this module)."""
    block = docs_blocks.find(PAGE_NAME, containing)
    assert block.directives.get("tested-by", "").startswith("tests/test_https.py::"), block.id
    return block.text


def for_server(text: str, url: str, ca_file: str) -> str:
    assert DOCS_URL in text or DOCS_CA in text, text
    return text.replace(DOCS_URL, url).replace(DOCS_CA, ca_file)


def wait_for_https_url(server: ServerProcess) -> str:
    server.wait_until(lambda: bool(HTTPS_URL.search(server.banner())) and "Press Ctrl-C" in server.banner(),
                      "the https banner")  # fmt: skip
    return HTTPS_URL.search(server.banner()).group(1)


# --- the certificate ------------------------------------------------------------------------------


def test_the_certificate_is_valid_for_the_loopback_names_under_strict_verification(emulator_https_server):
    port = int(emulator_https_server.url.rsplit(":", 1)[1])
    context = trusting(emulator_https_server.ca_file)
    for name in ("127.0.0.1", "localhost"):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=name) as tls:
                names = tls.getpeercert()["subjectAltName"]
    assert {("IP Address", "127.0.0.1"), ("DNS", "localhost")} <= set(names), names
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError, match="match"):  # a name it is not for
            context.wrap_socket(raw, server_hostname="example.org")
    # what VERIFY_X509_STRICT wants of a CA: critical basicConstraints and keyUsage, a key identifier
    ca = x509.load_pem_x509_certificate(Path(emulator_https_server.ca_file).read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).critical
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)


# --- the clients ----------------------------------------------------------------------------------


def test_agents_client_with_its_default_bearer_policy(emulator_https_server, emulator_server):
    """No http workaround: the client as an app builds it, only `connection_verify` added."""
    credential = StaticTokenCredential(emulator_https_server.api_key)
    with pytest.raises(ServiceRequestError, match="non-TLS"):  # the same client over http: refused by azure-core
        AgentsClient(emulator_server.foundry_endpoint, credential, retry_total=0).list_agents().next()
    client = AgentsClient(emulator_https_server.foundry_endpoint, credential, retry_total=0,
                          connection_verify=emulator_https_server.ca_file)  # fmt: skip
    agent = client.create_agent(model="gpt-4o", name="helper", instructions="Be brief.")
    thread = client.threads.create()
    client.messages.create(thread_id=thread.id, role="user", content="Hello over https")
    run = client.runs.create_and_process(thread_id=thread.id, agent_id=agent.id)
    assert run.status == "completed", run.last_error
    texts = [m.text_messages[0].text.value for m in client.messages.list(thread_id=thread.id)]
    assert texts[-1] == "Hello over https" and 'You said: "Hello over https"' in texts[0]
    client.close()


@pytest.mark.emulator(models=[SLOW_CODER])
@pytest.mark.parametrize("trust", ["http_client", "SSL_CERT_FILE"])
def test_azure_openai_runs_and_streams(emulator_https_server, trust, monkeypatch):
    options: dict[str, Any] = {}
    if trust == "http_client":
        options["http_client"] = DefaultHttpxClient(verify=trusting(emulator_https_server.ca_file))
    else:
        monkeypatch.setenv("SSL_CERT_FILE", emulator_https_server.ca_file)
    client = AzureOpenAI(azure_endpoint=emulator_https_server.azure_endpoint, api_key="k", api_version=AZURE_VERSION,
                         max_retries=0, **options)  # fmt: skip
    assistant = client.beta.assistants.create(model="gpt-4o", name="over https")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    slow = client.beta.assistants.create(model="slow-coder", tools=[{"type": "code_interpreter"}])
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Take a nap")
    arrived: dict[str, float] = {}
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=slow.id) as stream:
        for event in stream:
            arrived.setdefault(event.event, time.monotonic())
        final = stream.get_final_run()
    assert final.status == "completed"
    # TLS does not hold the stream back: its first events came well before the code (0.6 s) ended
    assert arrived["thread.run.created"] < arrived["thread.run.completed"] - 0.4
    reply = client.beta.threads.messages.list(thread_id=thread.id).data[0].content[0].text.value
    assert reply == "Slept; the code said awake."


def test_a_client_that_does_not_trust_the_ca_is_refused(emulator_https_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    client = OpenAI(base_url=emulator_https_server.openai_base_url, api_key="k", max_retries=0)
    with pytest.raises(openai.APIConnectionError) as failed:
        client.models.list()
    assert "CERTIFICATE_VERIFY_FAILED" in repr(failed.value.__cause__)
    trusted = OpenAI(base_url=emulator_https_server.openai_base_url, api_key="k", max_retries=0,
                     http_client=DefaultHttpxClient(verify=trusting(emulator_https_server.ca_file)))  # fmt: skip
    assert [m.id for m in trusted.models.list()][0] == "gpt-4o"


def test_flask_answers_over_https_too(emulator_https_server):
    """`/` is the Flask app's (the direct WSGI path hands it over): its redirect stays on https."""
    import httpx2

    with httpx2.Client(verify=trusting(emulator_https_server.ca_file)) as client:
        page = client.get(emulator_https_server.url + "/", headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and str(page.url).startswith("https://"), page.url
    assert "text/html" in page.headers["content-type"]


# --- serve --https and --tls-cert/--tls-key -------------------------------------------------------


def test_serve_https_keeps_its_ca_in_the_data_dir(tmp_path):
    data = tmp_path / "emulator-data"
    ca_file = data / "tls" / "emulator-ca.pem"
    server = ServerProcess("--https", "--port", "0", "--quiet", "--data-dir", str(data))
    try:
        url = wait_for_https_url(server)
        banner = server.banner()
        for line in docs_block("CA certificate").splitlines():  # the page shows the banner's lines
            assert for_server(line, url, str(ca_file)).strip() in banner, (line, banner)
        assert f"OpenAI base URL : {url}/v1" in banner
        client = OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0,
                        http_client=DefaultHttpxClient(verify=trusting(str(ca_file))))  # fmt: skip
        assert client.beta.assistants.create(model="gpt-4o").model == "gpt-4o"
        assert server.interrupt() == 0
    finally:
        server.kill()
    first = ca_file.read_bytes()
    again = ServerProcess("--https", "--port", "0", "--quiet", "--data-dir", str(data))
    try:
        wait_for_https_url(again)
        assert ca_file.read_bytes() == first  # clients go on trusting the same file
    finally:
        again.kill()


def test_serve_with_your_own_certificate(tmp_path):
    ca = trustme.CA()  # "your company's CA"
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    (tmp_path / "server.pem").write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(tmp_path / "server-key.pem")
    ca.cert_pem.write_to_path(tmp_path / "ca.pem")
    server = ServerProcess("--tls-cert", str(tmp_path / "server.pem"), "--tls-key", str(tmp_path / "server-key.pem"),
                           "--port", "0", "--quiet")  # fmt: skip
    try:
        url = wait_for_https_url(server)
        assert f"Certificate     : {tmp_path / 'server.pem'}" in server.banner()
        client = OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0,
                        http_client=DefaultHttpxClient(verify=trusting(str(tmp_path / "ca.pem"))))  # fmt: skip
        assert client.beta.threads.create().object == "thread"
    finally:
        server.kill()


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--tls-cert", "server.pem"], "--tls-cert and --tls-key go together"),
        (["--tls-cert", "missing.pem", "--tls-key", "server.pem"], "'missing.pem' does not exist"),
        (["--tls-cert", "server.pem", "--tls-key", "key.pem"], "cannot serve https with"),  # not its key
        (["--tls-cert", "ca.pem", "--tls-key", "ca.pem"], "cannot serve https with"),  # no key at all
    ],
)
def test_certificates_that_cannot_be_served_are_told_at_start(tmp_path, monkeypatch, options, problem):
    ca = trustme.CA()
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(tmp_path / "server.pem")
    (tmp_path / "key.pem").write_bytes(ca.issue_cert("localhost").private_key_pem.bytes())
    ca.cert_pem.write_to_path(tmp_path / "ca.pem")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TLSError, match=re.escape(problem)):
        _tls(build_parser().parse_args(["serve", *options]))


def test_a_certificate_that_cannot_be_written_stops_serve_with_the_reason(tmp_path, capsys):
    taken = tmp_path / "a-file"
    taken.write_text("not a directory")
    args = build_parser().parse_args(["serve", "--https", "--port", "0", "--data-dir", str(taken)])
    assert serve(args) == 2
    said = capsys.readouterr().err
    assert said.startswith("assistants-emulator: cannot make the https certificate:") and "Traceback" not in said


def test_the_made_certificate_names_the_bound_host_unless_it_is_a_wildcard():
    assert certificate_names("127.0.0.1") == ["127.0.0.1", "::1", "localhost"]
    assert certificate_names("0.0.0.0") == certificate_names("[::]") == certificate_names("::1")
    assert certificate_names("192.168.1.5")[-1] == "192.168.1.5"
    assert certificate_names("dev.example.test")[-1] == "dev.example.test"


# --- docs/https.md --------------------------------------------------------------------------------


def test_the_python_examples_run(emulator_https_server, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for snippet in (
        'trust = ssl.create_default_context(cafile="emulator-data',
        "class FixedToken",
        "def test_my_agent_over_https",
    ):
        text = docs_block(snippet)
        if "def test_" in text:  # the fixture example: its test, given the fixture
            namespace: dict[str, Any] = {}
            exec(compile(text, PAGE_NAME, "exec"), namespace)
            [test] = [value for name, value in namespace.items() if name.startswith("test_")]
            test(emulator_https_server)
        else:
            code = for_server(text, emulator_https_server.url, emulator_https_server.ca_file)
            exec(compile(code, PAGE_NAME, "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out.splitlines() == [
        "over https",
        'You said: "Hello over https". This is a scripted reply from the emulator\'s default model.',
    ]


def test_the_ssl_cert_file_example_runs(emulator_https_server, tmp_path):
    script = for_server(docs_block("models.list()"), emulator_https_server.url, emulator_https_server.ca_file)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and k != "SSL_CERT_FILE"}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "gpt-4o\n"), done.stderr


def test_the_node_example_trusts_node_extra_ca_certs(emulator_https_server, tmp_path):
    import node_env

    node = node_env.node_sdk()
    script = tmp_path / "https.mjs"
    script.write_text(docs_block("NODE_EXTRA_CA_CERTS"), encoding="utf-8")
    replace = {DOCS_URL: emulator_https_server.url}
    trusted = node.run(script, replace=replace, env={"NODE_EXTRA_CA_CERTS": emulator_https_server.ca_file})
    assert (trusted.returncode, trusted.stdout) == (0, "over https\n"), trusted.stderr
    untrusted = node.run(script, replace=replace)
    assert untrusted.returncode != 0 and "certificate" in untrusted.stderr, untrusted.stderr


def test_semantic_kernel_azure_assistant_agent(emulator_https_server, tmp_path):
    """Semantic Kernel's sample, in its own environment, with the page's settings; and what its
    default api-version gets (see emulator/azure.py)."""
    from side_envs import require

    venv = require("semantic-kernel")
    url, ca_file = emulator_https_server.url, emulator_https_server.ca_file
    settings = dict(re.findall(r"^export (\w+)=(.*)$", for_server(docs_block("export AZURE_OPENAI_ENDPOINT"), url, ca_file),
                               flags=re.M))  # fmt: skip
    assert settings["AZURE_OPENAI_ENDPOINT"] == url and settings["SSL_CERT_FILE"] == ca_file
    sample = tmp_path / "sample.py"
    sample.write_text(docs_block("AzureAssistantAgent"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_")) and "proxy" not in k.lower()}
    done = subprocess.run(
        [venv.python, str(REPO / "tests" / "https_clients" / "semantic_kernel_assistant.py"), str(sample)],
        env={**env, **settings}, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["http_endpoint"] == "URL scheme should be 'https'"  # why Semantic Kernel needs the https server
    assert result["default_api_version"] == "2025-08-28"
    assert result["default_version_answer"] == {
        "status": 400, "body": {"code": "BadRequest", "message": "API version not supported"}}  # fmt: skip
    assert result["sample_output"] == [
        '# Host: You said: "Hello". This is a scripted reply from the emulator\'s default model.',
        '# Host: You said: "What is the special soup?". This is a scripted reply from the emulator\'s default model.',
    ]
