"""The real service's recorded traffic (fixtures/recorded/, converted from ../shared/recordings by
`python3 -m fixtures.recorded.convert`) replayed against the emulator, which plays the recorded model.

Every fixture must check clean; those that do not yet are listed in PENDING with what differs (the full
catalogue: /tmp/recorded-diffs.md of issue 18). Their tests are strict xfails: when a fix makes one pass,
its XPASS fails the suite until its PENDING entry is removed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recorded_replay import FIXTURES, ROOT, check_recorded, name_of

from emulator.contract.checker import format_differences

RECORDINGS = ROOT.parent / "shared" / "recordings"

# What each recorded fixture still shows that the emulator answers otherwise (the recording wins).
HOSTED = "issue 22: the emulator refuses the hosted tool {} on Responses (400) until then"
FOUNDRY = (
    "issue 23: the new Foundry agents (agent versions, {}/openai[/v1] routes under the project) are not served yet"
)
REASONING = ("the replay sends back the service's own reasoning items{}, whose encrypted content the emulator "
             "cannot read (the checker would have to put the emulator's in their place)")  # fmt: skip
NEW_2026_07 = "2026-07 fields not followed yet: reasoning.context/mode, output phase, tool_usage, cache_write_tokens"
BACKGROUND = ("a background response answers store: false when the request does not set it, and gains billing once "
              "finished (2026-02 recordings); the emulator answers store: true and no billing{}")  # fmt: skip
CACHE = ("the 2026-04 stream writes each event as type, then its other keys alphabetically; the emulator keeps the "
         "2025-12 order (type, sequence_number, ...)")  # fmt: skip
PENDING: dict[str, str] = {
    "azure-ai-projects/test_agent_code_interpreter_simple_math": FOUNDRY.format("agents/{name}/versions"),
    "azure-ai-projects/test_agent_function_tool": FOUNDRY.format("agents/{name}/versions"),
    "azure-ai-projects/test_agent_responses_crud": FOUNDRY.format("agents/{name}/versions"),
    "azure-ai-projects/test_conversation_items_crud": FOUNDRY.format("conversations"),
    "azure-openai/StreamingResponses": "Azure's streams of 2025-08 carry no logprobs on output_text (no CHANGE for "
    "stream events yet)",
    "pydantic+pydantic-ai/openai_responses_model_mcp_server_tool": HOSTED.format("mcp"),
    "pydantic+pydantic-ai/openai_responses_model_web_search_tool": REASONING.format(
        ", include reasoning.encrypted_content"
    ),
    "pydantic+pydantic-ai/openai_responses_thinking_with_code_execution_tool": HOSTED.format("code_interpreter"),
    "pydantic+pydantic-ai/openai_responses_compact_messages": "the replay sends back the service's own compaction "
    "item, whose encrypted content the emulator cannot read",
    "pydantic+pydantic-ai/azure_responses_reasoning_context_default_wire_contract_gpt-5_4": NEW_2026_07
    + "; Azure /openai/v1 content_filters is a list there",
    "pydantic+pydantic-ai/background_mode_reasoning_vcr": NEW_2026_07 + "; " + BACKGROUND.format(""),
    "pydantic+pydantic-ai/background_mode_with_tool_vcr": BACKGROUND.format(
        "; the second background response was over at its first poll (a policy per response)"
    ),
    "pydantic+pydantic-ai/openai_conversation_id_streaming_provider_details": CACHE + "; streamed responses carry no "
    "billing",
    "pydantic+pydantic-ai/openai_previous_response_id": "2025-03-27: an early shape (status 'complete', "
    "status_details, tool_calls, top-level total_tokens) no later recording shows: needs a CHANGES entry per key",
    "pydantic+pydantic-ai/openai_responses_stream": "2025-03-27 stream: events without sequence_number, a tool's "
    "description null echoed as ''",
    "pydantic+pydantic-ai/openai_responses_streaming_usage": REASONING.format(", include reasoning.encrypted_content"),
    "pydantic+pydantic-ai/openai_responses_thinking_with_tool_calls": REASONING.format(""),
    "ruby-openai/responses_stream": "2025-03-14 stream: events without sequence_number (a CHANGE for stream events)",
    "ruby-openai/responses_stream_without_proc": "2025-03-14 stream: events without sequence_number (a CHANGE for "
    "stream events)",
}


def _params() -> list[object]:
    params = []
    for path in FIXTURES:
        name = name_of(path)
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
        params.append(pytest.param(path, id=name, marks=marks))
    return params


def test_there_are_recorded_fixtures_of_every_source():
    assert {path.parent.name for path in FIXTURES} == {
        "ruby-openai", "azure-openai", "azure-ai-agents", "azure-ai-projects", "pydantic+pydantic-ai"
    }  # fmt: skip


def test_pending_names_only_fixtures_that_exist():
    assert set(PENDING) <= {name_of(path) for path in FIXTURES}


@pytest.mark.skipif(not RECORDINGS.is_dir(), reason="../shared/recordings is not beside the checkout")
def test_the_committed_fixtures_are_what_the_converter_writes():
    done = subprocess.run(
        [sys.executable, "-m", "fixtures.recorded.convert", str(RECORDINGS), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", _params())
def test_recorded_fixture_checks_clean(path: Path):
    diffs = check_recorded(path)
    assert not diffs, format_differences(path.relative_to(ROOT), diffs)
