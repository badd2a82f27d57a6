"""Recording and checking contract scenarios for the tests of emulator/contract.

The samples in tests/contract_samples/*.yaml were recorded from the emulator itself with
`Recorder`, seeded 1234, so that their ids differ from those of the fresh `Emulator(seed=0)`
they are replayed against (the id mapping is exercised by every sample).
`python3 tests/contract_recording.py` records them again.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import yaml

from emulator import Emulator, create_app
from emulator.contract import fixture
from emulator.contract.checker import (
    Difference,
    Reply,
    check_scenario,
    parse_sse,
    werkzeug_sender,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "contract_samples"
SCENARIOS = sorted(ROOT.glob("fixtures/*.yaml")) + sorted(SAMPLES.glob("*.yaml"))
AZURE_VERSION = "2024-05-01-preview"
BETA = {"OpenAI-Beta": "assistants=v2"}

# --- recording (for the samples and the stream tests) ----------------------------------------


class Recorder:
    """Calls an in-process emulator and writes each exchange down in the fixture format."""

    def __init__(self, shape: str = "openai", seed: int = 1234) -> None:
        self.shape = shape
        self.emulator = Emulator(seed=seed)
        self.send = werkzeug_sender(create_app(self.emulator))
        self.exchanges: list[dict[str, Any]] = []

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        multipart: dict[str, Any] | None = None,
    ) -> Any:
        """Send one request; record it and its answer; return the answer's JSON (or events)."""
        prefix = "/v1" if self.shape == "openai" else "/openai"
        query = dict(query or {})
        if self.shape == "azure":
            query.setdefault("api-version", AZURE_VERSION)
        headers = dict(BETA if self.shape == "openai" and headers is None else headers or {})
        auth = {"api-key": "test"} if self.shape == "azure" else {"Authorization": "Bearer test"}
        request: dict[str, Any] = {"method": method, "path": prefix + path}
        if query:
            request["query"] = query
        if headers:
            request["headers"] = headers
        payload: Any = body
        if multipart is not None:
            request["multipart"] = multipart
            payload = (
                fixture.from_dict(
                    {
                        "source": "-",
                        "shape": self.shape,
                        "exchanges": [{"request": request, "response": {"status": 200}}],
                    }
                )
                .exchanges[0]
                .request.multipart
            )
        elif body is not None:
            request["body"] = body
        reply = Reply.of(self.send(method, prefix + path, query, {**headers, **auth}, payload))
        response: dict[str, Any] = {"status": reply.status, "headers": {"content-type": reply.headers["content-type"]}}
        result: Any
        if reply.media_type == "text/event-stream":
            result = [{"event": name, "data": data} for name, data in parse_sse(reply.content.decode())]
            response["events"] = result
        elif reply.media_type == "application/json":
            result = response["body"] = json.loads(reply.content)
        else:
            try:
                result = response["text"] = reply.content.decode()
            except UnicodeDecodeError:
                result = response["base64"] = base64.b64encode(reply.content).decode()
        self.exchanges.append({"request": request, "response": response})
        return result

    def scenario(self, note: str) -> dict[str, Any]:
        self.emulator.close()
        return {
            "source": "recorded from assistants-emulator (Emulator(seed=1234), virtual clock) by tests/contract_recording.py",
            "note": note,
            "shape": self.shape,
            "exchanges": self.exchanges,
        }


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, for fixtures a person can read."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None),
)


def dump(scenario: dict[str, Any], path: Path) -> Path:
    text = yaml.dump(scenario, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(text, encoding="utf-8")
    return path


def record_assistants() -> dict[str, Any]:
    rec = Recorder()
    tutor = rec("POST", "/assistants", {"model": "gpt-4o", "name": "Math Tutor",
                                         "instructions": "You are a personal math tutor.",
                                         "tools": [{"type": "code_interpreter"}]})  # fmt: skip
    rec("GET", f"/assistants/{tutor['id']}")
    helper = rec("POST", "/assistants", {"model": "gpt-4o", "name": "HR Helper", "tools": [{"type": "file_search"}]})
    rec("POST", f"/assistants/{tutor['id']}", {"name": "Math Tutor 2", "metadata": {"team": "maths"}})
    rec("GET", "/assistants", query={"limit": "1", "order": "asc"})
    rec("DELETE", f"/assistants/{helper['id']}")
    rec("GET", f"/assistants/{helper['id']}")
    rec("GET", "/assistants/asst_doesnotexist0")
    rec("POST", "/assistants", {"model": "gpt-4o"}, headers={})
    return rec.scenario("assistants: create, retrieve, modify, list (a page of one), delete; 404s; no beta header")


def record_run() -> dict[str, Any]:
    rec = Recorder()
    assistant = rec("POST", "/assistants", {"model": "gpt-4o", "instructions": "Answer briefly."})
    thread = rec("POST", "/threads", {"messages": [{"role": "user", "content": "Hello there"}]})
    run = rec("POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"]})
    rec("GET", f"/threads/{thread['id']}/runs/{run['id']}")
    rec("GET", f"/threads/{thread['id']}/messages")
    steps = rec("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps")
    rec("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps/{steps['data'][0]['id']}")
    rec("POST", f"/threads/{thread['id']}/runs/{run['id']}/cancel")
    return rec.scenario("a run on the default model: create (queued), retrieve (completed), its messages and steps")


def record_stream() -> dict[str, Any]:
    rec = Recorder()
    assistant = rec("POST", "/assistants", {"model": "gpt-4o"})
    thread = rec("POST", "/threads", {"messages": [{"role": "user", "content": "Say hello"}]})
    rec("POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"], "stream": True})
    rec("GET", f"/threads/{thread['id']}/messages", query={"limit": "1"})
    return rec.scenario("a streamed run on the default model: the events of a text reply, then the reply")


#: A 1x1 PNG.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def record_files_azure() -> dict[str, Any]:
    rec = Recorder("azure")
    notes = rec("POST", "/files", multipart={"fields": {"purpose": "assistants"},
                                             "files": {"file": {"filename": "notes.md", "text": "# Notes\nhello\n"}}})  # fmt: skip
    batch = rec("POST", "/files", multipart={"fields": {"purpose": "batch"}, "files": {"file": {
        "filename": "requests.jsonl", "text": '{"custom_id": "a"}\n', "content_type": "application/jsonl"}}})  # fmt: skip
    image = rec("POST", "/files", multipart={"fields": {"purpose": "vision"},
                                             "files": {"file": {"filename": "pixel.png", "base64": PIXEL}}})  # fmt: skip
    rec("GET", f"/files/{notes['id']}")
    rec("GET", f"/files/{notes['id']}/content")
    rec("GET", f"/files/{batch['id']}/content")
    rec("GET", f"/files/{image['id']}/content")
    store = rec("POST", "/vector_stores", {"name": "docs", "file_ids": [notes["id"]]})
    rec("GET", f"/vector_stores/{store['id']}/files")
    rec("GET", f"/vector_stores/{store['id']}/files/{notes['id']}")
    rec("DELETE", f"/vector_stores/{store['id']}")
    rec("DELETE", f"/files/{notes['id']}")
    return rec.scenario(
        "Azure shape: upload files (multipart); an assistants file cannot be downloaded, batch and vision files can;"
        " a vector store over the notes; delete"
    )


SAMPLE_RECORDERS = {
    "assistants.yaml": record_assistants,
    "run.yaml": record_run,
    "stream.yaml": record_stream,
    "files_azure.yaml": record_files_azure,
}


# --- helpers ---------------------------------------------------------------------------------


def sample(name: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8"))


def check(data: dict[str, Any]) -> list[Difference]:
    """Check a scenario (a parsed mapping) against a fresh emulator."""
    emulator = Emulator(seed=0)
    try:
        return check_scenario(fixture.from_dict(data), werkzeug_sender(create_app(emulator)))
    finally:
        emulator.close()


def lines(diffs: list[Difference]) -> list[str]:
    return [str(diff) for diff in diffs]


def exchange_of(data: dict[str, Any], method: str, path_end: str) -> int:
    """Index of the first exchange whose request has this method and a path ending so."""
    for i, exchange in enumerate(data["exchanges"]):
        if exchange["request"]["method"] == method and exchange["request"]["path"].endswith(path_end):
            return i
    raise AssertionError(f"no {method} ...{path_end} in the scenario")


if __name__ == "__main__":  # records the samples again
    for name, record in SAMPLE_RECORDERS.items():
        print(dump(record(), SAMPLES / name))
