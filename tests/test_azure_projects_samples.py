"""Azure's own prompt-agent samples of azure-ai-projects 2.10 (tests/azure_projects_samples, changed in their
credential only) run against the emulator's https dev server (`emulator_https_server`): each in its own Python,
by the shell lines of docs/foundry-agents.md (FOUNDRY_PROJECT_ENDPOINT, FOUNDRY_MODEL_NAME, and the session's CA
trusted by SSL_CERT_FILE for the OpenAI client and aiohttp, REQUESTS_CA_BUNDLE for azure-core's requests): the
unmodified bearer-token policy, real TLS on 127.0.0.1. The default catalogue plays the model (no script); what
each sample prints is checked, so a broken flow fails."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import docs_blocks
from conftest import needed

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "azure_projects_samples" / "samples" / "agents"
PAGE = "docs/foundry-agents.md"
DOCS_ENDPOINT, DOCS_CA = "https://127.0.0.1:8443/api/projects/demo", "emulator-data/tls/emulator-ca.pem"
DOCS_SAMPLE = "tests/azure_projects_samples/samples/agents/tools/sample_agent_function_tool.py"
BASIC = ['Response output: You said: "What is the size of France in square miles?"',
         'Response output: You said: "And what is the capital city?"', "Conversation deleted"]  # fmt: skip
HOROSCOPE = ["Final input:\n[{'type': 'function_call_output', 'call_id': 'call_",
             'Agent response: Here is what I found: get_horoscope returned {"horoscope": "Aquarius: Next Tuesday you '
             'will befriend a baby otter."}.']  # fmt: skip
CHART = ["Found generated file: operating_profit_bar_chart.png (ID: cfile_", "Agent deleted",
         "File downloaded successfully: "]  # fmt: skip
STREAMED_SEARCH = ["Delta: According", "Full response: According to product_info.md: ",
                   "File Citation - Filename: product_info.md, File ID: file-",
                   'Agent response: According to product_info.md: "Smart Eyewear"', "Vector store deleted",
                   "File search streaming sample completed!"]  # fmt: skip
TIMES_TABLE = ["Code Interpreter code:", "table = [[r * c for c in columns] for r in rows]",
               "Agent response: Here is the visualization.",
               " 10 |  10  20  30  40  50  60  70  80  90 100"]  # fmt: skip
STRUCTURED = ['"date": "2025-11-07"', "Conversation deleted"]
#: sample -> what its output must hold, in order
EXPECTED = {
    "sample_agent_basic.py": BASIC,
    "sample_agent_basic_async.py": BASIC,
    "tools/sample_agent_function_tool.py": HOROSCOPE,
    "tools/sample_agent_function_tool_async.py": HOROSCOPE,
    "tools/sample_agent_code_interpreter.py": TIMES_TABLE,
    "tools/sample_agent_code_interpreter_async.py": TIMES_TABLE,
    "tools/sample_agent_code_interpreter_with_files.py": CHART,
    "tools/sample_agent_code_interpreter_with_files_async.py": CHART,
    "tools/sample_agent_file_search.py": ["File uploaded to vector store (id: file-",
                                          "Agent response: According to product_info.md: ", "Agent deleted"],
    "tools/sample_agent_file_search_in_stream.py": STREAMED_SEARCH,
    "tools/sample_agent_file_search_in_stream_async.py": STREAMED_SEARCH,
    "sample_agent_structured_output.py": STRUCTURED,
    "sample_agent_structured_output_async.py": STRUCTURED,
    "sample_agent_stream_events.py": ["Stream response created with ID: resp_",
                                      'You said: "Tell me about the capital city of France"',
                                      "Response completed. Access final text", "Conversation deleted"],
}  # fmt: skip


def run_sample(name: str, server, tmp_path: Path) -> str:
    """What the sample prints, run as the docs say against `server`; fails with its output if it exits non-zero."""
    for module in ("azure.ai.projects", "dotenv"):
        needed(module)
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("FOUNDRY_", "AZURE_")) and "PROXY" not in k.upper()
    }
    env = {**keep, "NO_PROXY": "127.0.0.1,localhost", "TMPDIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    script = docs_blocks.find(PAGE, "sample_agent_function_tool.py").text  # the docs' lines, for this server
    for docs, ours in ((DOCS_ENDPOINT, server.project_endpoint), (DOCS_CA, server.ca_file),
                       (DOCS_SAMPLE, f"tests/azure_projects_samples/samples/agents/{name}")):  # fmt: skip
        assert docs in script, docs
        script = script.replace(docs, ours)
    done = subprocess.run(["bash", "-e", "-c", script], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, f"{name} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done.stdout


@pytest.mark.parametrize("name", EXPECTED)
def test_azures_sample_runs_against_the_emulator(name, emulator_https_server, tmp_path):
    out = run_sample(name, emulator_https_server, tmp_path)
    at = 0
    for expected in EXPECTED[name]:
        found = out.find(expected, at)
        assert found >= 0, f"{expected!r} not in the output of {name} (after offset {at}):\n{out}"
        at = found + len(expected)
    if EXPECTED[name] is CHART:  # the chart the agent drew, downloaded from its container
        assert (tmp_path / "operating_profit_bar_chart.png").read_bytes().startswith(b"\x89PNG")
    if "structured_output" in name:  # valid for the sample's CalendarEvent schema
        event = json.loads(out.split("Response output: ", 1)[1].splitlines()[0])
        assert set(event) == {"name", "date", "participants"} and isinstance(event["name"], str)
        assert event["participants"] and all(isinstance(p, str) for p in event["participants"])


def test_every_copied_sample_is_run_and_changed_in_its_credential_only():
    """A sample added to the directory is run here; each imports the emulator's static credential in place of
    DefaultAzureCredential and keeps Azure's endpoint variable (see the directory's README)."""
    copied = sorted(str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("sample_*.py"))
    assert copied == sorted(EXPECTED)
    for name in copied:
        text = (SAMPLES / name).read_text("utf-8")
        assert "import StaticTokenCredential as DefaultAzureCredential" in text or (
            "import AsyncStaticTokenCredential as DefaultAzureCredential" in text
        ), name
        assert "azure.identity" not in text and 'os.environ["FOUNDRY_PROJECT_ENDPOINT"]' in text, name
