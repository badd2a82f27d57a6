"""The Responses, Conversations and Containers part of the spec (emulator/spec): the extract is what
its script writes, request bodies the real service took validate (and bad ones get its envelope), and
the answer checker accepts the service's recorded answers and streams, each known difference being
needed by one of them (tests/data/responses_api/, copied from ../shared/recordings/)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from emulator import validation
from emulator.errors import APIError
from emulator.spec import extract, responses, responses_api
from emulator.spec.responses import ResponseChecker

DATA = Path(__file__).parent / "data" / "responses_api"
ANSWERS = json.loads((DATA / "answers.json").read_text())
REQUESTS = json.loads((DATA / "requests.json").read_text())
#: Request bodies of clients made for the service (the OpenAI Agents SDK) that its spec refuses (no recording).
CLIENT_REQUESTS = json.loads((DATA / "client_requests.json").read_text())
STREAMS = sorted(DATA.glob("*.sse"))
#: Where an upstream copy may be: a file (`OPENAI_OPENAPI_YAML`) or a clone of openai/openai-openapi.
UPSTREAM_REPO = os.environ.get("OPENAI_OPENAPI_REPO", "/work/.mirror/openai+openai-openapi/repo")


def _upstream(tmp_path: Path) -> Path | None:
    if os.environ.get("OPENAI_OPENAPI_YAML"):
        return Path(os.environ["OPENAI_OPENAPI_YAML"])
    if not os.path.isdir(UPSTREAM_REPO):
        return None
    shown = subprocess.run(["git", "-C", UPSTREAM_REPO, "show", f"{extract.COMMIT}:openapi.yaml"], capture_output=True)
    if shown.returncode != 0:
        return None
    (tmp_path / "openapi.yaml").write_bytes(shown.stdout)
    return tmp_path / "openapi.yaml"


def test_the_committed_extract_is_what_the_script_writes(tmp_path: Path) -> None:
    upstream = _upstream(tmp_path)
    if upstream is None:
        pytest.skip("no copy of openai/openai-openapi openapi.yaml (set OPENAI_OPENAPI_YAML or OPENAI_OPENAPI_REPO)")
    written = extract.render(extract.extract(extract.load_upstream(upstream)))
    assert written == extract.OUT.read_text(encoding="utf-8")


def test_the_extract_has_the_three_apis_and_both_streams() -> None:
    from emulator.spec import load_spec

    spec = load_spec()
    operations = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert len(operations) == 71 and not any("?" in p for _m, p in operations)
    assert {p.split("/")[1] for _m, p in operations} == {*(p[1:] for p in extract.PREFIXES)}
    assert {"AssistantStreamEvent", "ResponseStreamEvent"} <= set(spec["components"]["schemas"])


@pytest.mark.parametrize(
    ("method", "path", "schema"),
    [
        ("post", "/responses", "CreateResponse"),
        ("post", "/responses/input_tokens", "TokenCountsBody"),
        ("post", "/responses/compact", "CompactResponseMethodPublicBody"),
        ("post", "/conversations", "CreateConversationBody"),
        ("post", "/conversations/{conversation_id}", "UpdateConversationBody"),
        ("post", "/conversations/{conversation_id}/items", "CreateConversationItemsRequest"),
        ("post", "/containers", "CreateContainerBody"),
        ("get", "/responses/{response_id}", None),
    ],
)
def test_each_operation_names_its_request_schema(method: str, path: str, schema: str | None) -> None:
    assert validation.request_schema(method, path) == schema


@pytest.mark.parametrize("recorded", REQUESTS + CLIENT_REQUESTS, ids=lambda r: r["name"])
def test_the_services_own_request_bodies_validate(recorded: dict) -> None:
    name = validation.request_schema("post", recorded["rule"])
    assert validation.validate(name, recorded["body"]) == recorded["body"]


def _refusal(schema: str, body: dict) -> dict:
    with pytest.raises(APIError) as caught:
        validation.validate(schema, body)
    assert caught.value.status == 400
    return caught.value.body()


def test_a_bad_body_gets_the_services_envelope() -> None:
    recorded = next(a for a in ANSWERS if a["name"] == "bad temperature")
    body = {"input": [{"content": "What is the capital of France?", "role": "user"}], "model": "gpt-4o",
            "temperature": -1}  # fmt: skip
    assert _refusal("CreateResponse", body) == recorded["body"]  # the recorded 400, word for word
    assert _refusal("CreateResponse", {"model": "m", "input": "hi", "colour": 1})["error"] == {
        "message": "Unknown parameter: 'colour'.", "type": "invalid_request_error", "param": "colour",
        "code": "unknown_parameter",
    }  # fmt: skip
    wrong = _refusal("CreateResponse", {"model": "m", "input": "hi", "store": "yes"})["error"]
    assert (wrong["param"], wrong["code"]) == ("store", "invalid_type")
    item = {"type": "message", "role": "user", "content": "hi"}
    many = _refusal("CreateConversationItemsRequest", {"items": [item] * 21})["error"]
    assert (many["param"], many["code"]) == ("items", "array_above_max_length")
    missing = _refusal("CreateConversationItemsRequest", {})["error"]
    assert (missing["param"], missing["code"]) == ("items", "missing_required_parameter")
    tool = _refusal("CreateResponse", {"model": "m", "input": "hi", "tools": [{"type": "browser"}]})["error"]
    assert (tool["param"], tool["code"]) == ("tools[0].type", "invalid_value")


@pytest.mark.parametrize("recorded", ANSWERS, ids=lambda a: a["name"])
def test_the_checker_accepts_the_services_answers(recorded: dict) -> None:
    checker = ResponseChecker()
    body = json.dumps(recorded["body"]).encode()
    checker.check(recorded["method"], recorded["rule"], recorded["status"], "application/json", body)
    assert checker.problems == [] and checker.checked == 1


@pytest.mark.parametrize("stream", STREAMS, ids=lambda p: p.stem)
def test_the_checker_accepts_the_services_streams(stream: Path) -> None:
    checker = ResponseChecker()
    frames = [stream.read_bytes()]
    assert list(checker.stream("POST", "/responses", iter(frames))) == frames
    assert checker.problems == [] and checker.checked > 5


def test_the_checker_catches_a_wrong_answer_or_stream() -> None:
    good = next(a for a in ANSWERS if a["name"] == "background completed")
    checker = ResponseChecker()
    for change in ({"status": "done"}, {"output": [{"type": "message"}]}, {"colour": "red"}):
        checker.check("GET", "/responses/<response_id>", 200, "application/json",
                      json.dumps({**good["body"], **change}).encode())  # fmt: skip
    assert len(checker.problems) == 3 and all("Response:" in p for p in checker.problems)
    text = (DATA / "background_stream.sse").read_text()
    events = text.split("\n\n")
    gap = "\n\n".join(events[:3] + events[4:])  # one event lost: the numbers jump
    renamed = text.replace("event: response.in_progress", "event: response.started", 1)
    for wrong, found in ((gap, "sequence_number 4 after 2"), (renamed, "'response.started' whose data's type")):
        checker = ResponseChecker()
        list(checker.stream("GET", "/responses/<response_id>", iter([wrong.encode()])))
        assert len(checker.problems) == 1 and found in checker.problems[0], checker.problems


#: The recorded answer (by name) or stream (by file) that each answer difference is needed for.
NEEDED_BY = {
    "user": "background completed", "usage": "background queued", "store": "background completed",
    "billing": "reasoning and message, billing", "frequency_penalty": "background completed",
    "presence_penalty": "background completed", "tool_usage": "tool usage (reasoning, background)",
    "content_filters": "function call (Azure, content_filters)", "input_tokens_details.cache_write_tokens": "compaction",
    "ResponseTextDeltaEvent.obfuscation": "file_search_stream.sse", "obfuscation": "function_call_stream.sse", "name": "function_call_stream.sse",
    "results[].vector_store_id": "file search results", "description": "json_schema text format",
    "(the answer of DELETE /responses/{id})": "response deleted (Azure)",
}  # fmt: skip


def _refused(sample: str) -> bool:
    """Whether the patched spec (as it is now) refuses the sample, by jsonschema (quicker to set up for
    one body than the checker's compiled validators)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from emulator.contract.sse import parse_sse

    spec = responses._patched_spec()
    registry = Registry().with_resource("urn:s", Resource.from_contents(spec, default_specification=DRAFT202012))

    def valid(schema: str | None, instance: object) -> bool:
        if schema is None or schema not in spec["components"]["schemas"]:
            return False
        return Draft202012Validator({"$ref": f"urn:s#/components/schemas/{schema}"}, registry=registry).is_valid(
            instance
        )

    if sample.endswith(".sse"):
        events = parse_sse((DATA / sample).read_text())
        return not all(valid(responses._response_events().get(name), data) for name, data in events)
    answer = next(a for a in ANSWERS if a["name"] == sample)
    return not valid(responses._operation(answer["method"], answer["rule"], "openai"), answer["body"])


@pytest.mark.parametrize("difference", responses_api.RESPONSES_DIFFERENCES, ids=lambda d: f"{d.schema}.{d.field}")
def test_each_answer_difference_is_needed(difference, monkeypatch) -> None:
    """Without it (the others kept), the recorded answer it stands for is refused."""
    sample = NEEDED_BY.get(f"{difference.schema}.{difference.field}") or NEEDED_BY[difference.field]
    assert not _refused(sample)
    kept = [d for d in responses_api.RESPONSES_DIFFERENCES if d is not difference]
    monkeypatch.setattr(responses_api, "RESPONSES_DIFFERENCES", kept)
    for cached in (responses._patched_spec, responses._operations, responses._response_events):
        cached.cache_clear()
    try:
        assert _refused(sample)
    finally:
        monkeypatch.undo()
        for cached in (responses._patched_spec, responses._operations, responses._response_events):
            cached.cache_clear()


def _clear_validation() -> None:
    for cached in (validation.adjusted_spec, validation.dialect_spec, validation._registry, validation._fast_spec):
        cached.cache_clear()
    validation._validators.clear()
    validation._fast.clear()


@pytest.mark.parametrize("difference", responses_api.REQUEST_DIFFERENCES, ids=lambda d: f"{d.schema}.{d.field}")
def test_each_request_difference_is_needed(difference, monkeypatch) -> None:
    kept = [d for d in responses_api.REQUEST_DIFFERENCES if d is not difference]
    monkeypatch.setattr(responses_api, "REQUEST_DIFFERENCES", kept)
    _clear_validation()
    try:
        refused = 0
        for sent in REQUESTS + CLIENT_REQUESTS:
            try:
                validation.validate(validation.request_schema("post", sent["rule"]), sent["body"])
            except APIError:
                refused += 1
        assert refused >= 1
    finally:
        monkeypatch.undo()
        _clear_validation()
