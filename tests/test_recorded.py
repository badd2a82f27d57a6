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
KEY_ORDER = "key order of"
FILE = "files: `expires_at` the service does not send; keys in the order object, id, purpose, filename, bytes, ..."
FILE_UPLOADED = FILE + "; a 2023 upload answers status `uploaded`"
VS = "vector stores: " + KEY_ORDER + " id, object, name, status, usage_bytes, created_at, ..."
VS_FILE = VS + "; vector store files: status `in_progress` at create, no `chunking_strategy`/`attributes` (2024-04-30)"
BATCH = (
    VS
    + "; file batches: object `vector_store.file_batch`, status `in_progress` at create, status before vector_store_id"
)
ASSISTANT = (
    "assistants: "
    + KEY_ORDER
    + " ... instructions, tools, top_p, temperature, tool_resources, metadata, response_format"
)
THREAD = "threads: " + KEY_ORDER + " id, object, created_at, metadata, tool_resources"
MESSAGE = "REST messages carry no status/incomplete_details/completed_at/incomplete_at"
SMALL_MAX = "a run with max_completion_tokens 16 is accepted by the service (the emulator asks >= 256)"
RUN_KEYS = "runs: no `parallel_tool_calls` in 2024 recordings"
PENDING: dict[str, str] = {
    "azure-ai-agents/test_code_interpreter_tool": "tool_resources.code_interpreter.data_sources (uri_asset) refused "
    "with 400; " + MESSAGE,
    "azure-ai-agents/test_create_delete_agent": ASSISTANT,
    "azure-ai-agents/test_create_stream": "stream: run tool_resources {code_interpreter: {file_ids: []}}, steps with "
    "expires_at and no metadata, usage.prompt_token_details; " + MESSAGE + "; message keys order",
    "azure-ai-agents/test_submit_tool_outputs_to_run": "api-version 2025_05_01 (hub endpoint) refused with 400",
    "azure-openai/BasicAssistantOperationsWork": ASSISTANT,
    "azure-openai/BasicRunStepFunctionalityWorks": "code_interpreter run fails in the replay; the run is not polled "
    "through queued/in_progress; run tool_resources {} while the assistant has files; run steps expires_at, no "
    "metadata; " + RUN_KEYS,
    "azure-openai/CanCreateGetAndDeleteVectorStores": "Azure file ids `assistant-…`; " + FILE + "; a vector store "
    "made with file_ids is `in_progress`; 404 of a deleted vector store has param `vector_store_id`",
    "azure-openai/FunctionToolsWork": "usage null until the run is terminal; " + MESSAGE + "; " + RUN_KEYS,
    "azure-openai/StreamingToolCall": "a function without parameters/strict comes back with "
    "{type: object, properties: {}} and strict false; run tool_resources {code_interpreter: {file_ids: []}} in events",
    "ruby-openai/assistants_create": ASSISTANT,
    "ruby-openai/assistants_delete": ASSISTANT,
    "ruby-openai/assistants_list": ASSISTANT,
    "ruby-openai/assistants_modify": ASSISTANT,
    "ruby-openai/assistants_retrieve": ASSISTANT,
    "ruby-openai/files_content": FILE_UPLOADED,
    "ruby-openai/files_delete": FILE_UPLOADED + "; file deleted: object before id",
    "ruby-openai/files_fetch_image": FILE + "; content of a PNG served as application/octet-stream",
    "ruby-openai/files_list_upload": FILE_UPLOADED,
    "ruby-openai/files_retrieve": FILE_UPLOADED,
    "ruby-openai/files_upload_file": FILE,
    "ruby-openai/files_upload_stringio": "an upload named without extension (purpose fine-tune) accepted by the "
    "service, refused by the emulator",
    "ruby-openai/files_upload_vision": FILE,
    "ruby-openai/messages_create": THREAD + "; " + MESSAGE,
    "ruby-openai/messages_list": THREAD,
    "ruby-openai/messages_modify": THREAD + "; " + MESSAGE + "; the modified message shows file_ids, not attachments "
    "(2024-04-29)",
    "ruby-openai/messages_retrieve": THREAD + "; " + MESSAGE,
    "ruby-openai/run_steps_list": ASSISTANT + "; " + THREAD + "; a queued run lists no steps; " + RUN_KEYS,
    "ruby-openai/run_steps_retrieve": ASSISTANT + "; " + THREAD + "; reasoning_effort: null on assistants and runs",
    "ruby-openai/runs_cancel": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_create": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_create_thread_and_run": ASSISTANT + "; " + RUN_KEYS,
    "ruby-openai/runs_list": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_modify": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_retrieve": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_streamed_create": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/runs_submit_tool_outputs": ASSISTANT + "; " + THREAD + "; " + SMALL_MAX,
    "ruby-openai/threads_create": THREAD,
    "ruby-openai/threads_delete": THREAD,
    "ruby-openai/threads_modify": THREAD,
    "ruby-openai/threads_retrieve": THREAD + "; a retrieved thread shows tool_resources {code_interpreter: "
    "{file_ids: []}} (create answered {})",
    "ruby-openai/vector_store_file_batches_cancel": BATCH + "; " + FILE + "; cancel of an in_progress batch",
    "ruby-openai/vector_store_file_batches_create": BATCH + "; " + FILE,
    "ruby-openai/vector_store_file_batches_list": BATCH + "; " + FILE + "; listed batch files without usage_bytes, "
    "chunking_strategy, attributes (2024-10-15)",
    "ruby-openai/vector_store_file_batches_retrieve": BATCH + "; " + FILE,
    "ruby-openai/vector_store_files_create": VS_FILE + "; " + FILE,
    "ruby-openai/vector_store_files_delete": VS_FILE + "; " + FILE,
    "ruby-openai/vector_store_files_list": VS_FILE + "; " + FILE,
    "ruby-openai/vector_store_files_retrieve": VS_FILE + "; " + FILE,
    "ruby-openai/vector_stores_create": VS,
    "ruby-openai/vector_stores_delete": VS,
    "ruby-openai/vector_stores_list": VS,
    "ruby-openai/vector_stores_modify": VS,
    "ruby-openai/vector_stores_retrieve": VS,
}


def _params() -> list[object]:
    params = []
    for path in FIXTURES:
        name = name_of(path)
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
        params.append(pytest.param(path, id=name, marks=marks))
    return params


def test_there_are_recorded_fixtures_of_every_source():
    assert {path.parent.name for path in FIXTURES} == {"ruby-openai", "azure-openai", "azure-ai-agents"}


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
