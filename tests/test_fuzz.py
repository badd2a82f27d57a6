"""Fuzzing the HTTP API from the official spec with schemathesis (issue 10).

Every operation of `emulator/spec/openapi-assistants.json` (the patched copy the response checker
uses, so that OpenAPI 3.0 `nullable` is understood) gets generated requests, valid and invalid,
sent in-process to the Flask app with the SDK's headers. Each answer must:

- not be a 5xx (`not_a_server_error`), and come back within `CALL_SECONDS` (no hang);
- if it is a 4xx, be exactly the error envelope `{"error": {"message", "type", "param", "code"}}`;
- match the spec: every answer goes through the dispatcher, whose response checker (turned on by
  tests/conftest.py) validates bodies and each event of a `stream: true` answer; its findings fail
  the example that caused them.

Generated ids are random, so most of them name nothing (404). To reach what lies behind an id,
each example may also aim at a small world of real objects (an assistant, a file, a vector store
with a file and a batch, an idle thread with a finished run, a thread whose run waits for tool
outputs): the stateless test substitutes their ids, and the stateful test chains operations
through links (those schemathesis infers from the schema, and `LINKS` below).

Bounded and derandomized by default (CI: the same examples on every run). On demand:
`FUZZ_EXAMPLES=1000 python3 -m pytest tests/test_fuzz.py` (examples per operation; the stateful
test runs a quarter as many scenarios per group, or `FUZZ_SCENARIOS`), `FUZZ_RANDOM=1` for new
examples on each run, `FUZZ_REPORT=FILE` for requests and refusals per operation, `FUZZ_COVER_ALL=1` for the
coverage phase's boundary cases of the large Responses request schemas too (minutes per operation).
"""

from __future__ import annotations

import copy
import json
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
import pytest
import schemathesis
from fuzz_world import BODY_IDS, REAL, SCENE, WEATHER, World
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from conftest import BETA
from emulator import Emulator, create_app
from emulator.contract.sse import parse_sse
from emulator.spec import responses

#: Generated examples per operation: few and always the same in CI, as many as asked on demand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0) or 25
#: Scenarios (of up to 12 linked calls) of the stateful test.
SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS") or 0) or max(40, EXAMPLES // 4)
#: Derandomized (the same examples on every run) unless FUZZ_RANDOM=1; a failure of a random run
#: prints the `@reproduce_failure(...)` that replays it.
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
#: Longest one call may take; a hang fails the example that caused it.
CALL_SECONDS = 20
HEADERS = {**BETA}
ENVELOPE = {"message", "type", "param", "code"}


# --- the schema -----------------------------------------------------------------------


def _link(target: str, parameters: dict[str, str] | None = None, body: Any = None) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": target, "parameters": parameters or {}}
    if body is not None:
        link["requestBody"] = body
    return link


#: Links the inference cannot see: ids carried in bodies, and steps inside a run.
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("/assistants", "post"): {
        "RunWithAssistant": _link("createThreadAndRun", body={"assistant_id": "$response.body#/id"}),
    },
    ("/threads/{thread_id}/messages", "post"): {
        "GetMessage": _link(
            "getMessage", {"path.thread_id": "$response.body#/thread_id", "path.message_id": "$response.body#/id"}
        ),
        "ModifyMessage": _link(
            "modifyMessage", {"path.thread_id": "$response.body#/thread_id", "path.message_id": "$response.body#/id"}
        ),
        "DeleteMessage": _link(
            "deleteMessage", {"path.thread_id": "$response.body#/thread_id", "path.message_id": "$response.body#/id"}
        ),
    },
    ("/threads/{thread_id}/runs/{run_id}", "get"): {
        "SubmitToolOutputs": _link(
            "submitToolOuputsToRun",
            {"path.thread_id": "$response.body#/thread_id", "path.run_id": "$response.body#/id"},
            {
                "tool_outputs": [
                    {
                        "tool_call_id": "$response.body#/required_action/submit_tool_outputs/tool_calls/0/id",
                        "output": "42",
                    }
                ]
            },
        ),
    },
    ("/threads/{thread_id}/runs/{run_id}/steps", "get"): {
        "GetStep": _link(
            "getRunStep",
            {
                "path.thread_id": "$response.body#/data/0/thread_id",
                "path.run_id": "$response.body#/data/0/run_id",
                "path.step_id": "$response.body#/data/0/id",
            },
        ),
    },
    ("/files", "post"): {
        "AddToVectorStore": _link("createVectorStore", body={"file_ids": ["$response.body#/id"]}),
    },
    ("/vector_stores/{vector_store_id}/files", "post"): {
        "DeleteVectorStoreFile": _link(
            "deleteVectorStoreFile",
            {"path.vector_store_id": "$response.body#/vector_store_id", "path.file_id": "$response.body#/id"},
        ),
        "UpdateVectorStoreFile": _link(
            "updateVectorStoreFileAttributes",
            {"path.vector_store_id": "$response.body#/vector_store_id", "path.file_id": "$response.body#/id"},
        ),
        "VectorStoreFileContent": _link(
            "retrieveVectorStoreFileContent",
            {"path.vector_store_id": "$response.body#/vector_store_id", "path.file_id": "$response.body#/id"},
        ),
    },
    ("/vector_stores/{vector_store_id}/file_batches", "post"): {
        "BatchFiles": _link(
            "listFilesInVectorStoreBatch",
            {"path.vector_store_id": "$response.body#/vector_store_id", "path.batch_id": "$response.body#/id"},
        ),
        "CancelBatch": _link(
            "cancelVectorStoreFileBatch",
            {"path.vector_store_id": "$response.body#/vector_store_id", "path.batch_id": "$response.body#/id"},
        ),
    },
}


#: The spec's paths the emulator serves (the Responses, Conversations and Containers paths of the
#: spec join as they are served, issue 21).
SERVED = {"assistants", "threads", "files", "vector_stores", "models", "responses", "conversations", "containers"}
#: Paths of those the emulator does not serve yet.
NOT_YET: set[str] = set()


def fuzz_spec() -> dict[str, Any]:
    """The patched spec's served paths, under /v1 of the app, with `LINKS` added."""
    spec = copy.deepcopy(responses._patched_spec())
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if p.split("/")[1] in SERVED and p not in NOT_YET}
    spec["servers"] = [{"url": "/v1"}]
    for (path, method), links in LINKS.items():
        spec["paths"][path][method]["responses"]["200"].setdefault("links", {}).update(copy.deepcopy(links))
    # the spec puts the array's `minItems` on its string items, which schemathesis cannot honour
    query = spec["components"]["schemas"]["VectorStoreSearchRequest"]["properties"]["query"]["oneOf"][1]
    query["minItems"] = query["items"].pop("minItems")
    # a compound filter of compound filters: schemathesis's negative generation fails on the
    # recursion ("Cannot generate an array with 1 demanded elements"); one level is fuzzed
    compound = spec["components"]["schemas"]["CompoundFilter"]["properties"]["filters"]
    compound["items"] = {"$ref": "#/components/schemas/ComparisonFilter"}
    # uploads named like a text file (else the upload is refused for its missing extension)
    form = spec["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    disposition = 'form-data; name="file"; filename="fuzz.txt"'
    form["encoding"] = {
        "file": {"headers": {"Content-Disposition": {"schema": {"type": "string"}, "example": disposition}}}
    }
    return spec


def load_schema(mode: str = "all", *, coverage: bool = True) -> Any:
    config = schemathesis.Config.from_dict(
        {
            "generation": {"mode": mode, "deterministic": not RANDOM, "database": "none"},
            # the coverage phase's boundary cases of every property: hundreds per operation, thousands for the
            # Responses API's request schemas (minutes per operation); those get generated examples only
            "phases": {"coverage": {"enabled": coverage}},
            # read whole streams (the default stops after 20 events), within the call's time
            "max-stream-events": 1_000_000,
            "request-timeout": CALL_SECONDS,
            # the spec lists 200 (and 429) only: the checks below judge errors
            "checks": {
                "status_code_conformance": {"enabled": False},
                "content_type_conformance": {"enabled": False},
                "response_headers_conformance": {"enabled": False},
                "positive_data_acceptance": {"enabled": False},
                "negative_data_rejection": {"enabled": False},
                "use_after_free": {"enabled": False},
                "ensure_resource_availability": {"enabled": False},
                "missing_required_header": {"enabled": False},
                "ignored_auth": {"enabled": False},
                "unsupported_method": {"enabled": False},
            },
        }
    )
    return schemathesis.openapi.from_dict(fuzz_spec(), config=config)


schema = load_schema()
#: The same, without the coverage phase: for the operations of `LARGE`.
schema_without_coverage = load_schema(coverage=False)


# --- checks ---------------------------------------------------------------------------


def error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """An error answer is exactly `{"error": {"message", "type", "param", "code"}}`."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], dict)):
        raise AssertionError(f"{response.status_code} without the error envelope: {response.content[:300]!r}")
    error = body["error"]
    if set(error) != ENVELOPE:
        raise AssertionError(f"{response.status_code} with the error keys {sorted(error)}: {body}")
    if not (isinstance(error["message"], str) and error["message"] and isinstance(error["type"], str)):
        raise AssertionError(f"{response.status_code} without a message and a type: {body}")
    return True


def stream_ends(ctx: Any, response: Any, case: Any) -> bool | None:
    """A `stream: true` answer runs to its end: a run's last event is `done` (`data: [DONE]`), a
    response's is `response.completed` (or failed, incomplete, error)."""
    if not response.headers.get("content-type", [""])[0].startswith("text/event-stream"):
        return None
    events = parse_sse(response.content.decode("utf-8", "replace"))
    if case.path.startswith("/responses"):
        if not events and (case.query or {}).get("starting_after") is not None:
            return True  # nothing after the event named: an empty stream
        if not events or events[-1][0] not in RESPONSE_STREAM_ENDS:
            raise AssertionError(f"a response stream that does not end: {[name for name, _ in events][-5:]}")
        return True
    if not events or events[-1] != ("done", "[DONE]"):
        raise AssertionError(f"a stream that does not end with `done`: {[name for name, _ in events][-5:]}")
    return True


def matches_the_spec(ctx: Any, response: Any, case: Any) -> bool | None:
    """What the dispatcher's response checker (turned on by tests/conftest.py) found about this
    answer: its body, or each event of its stream, against the spec."""
    checker = responses.installed_checker()
    assert checker is not None, "the response checker is off: run under pytest with tests/conftest.py"
    found = checker.take()
    if found:
        raise AssertionError("an answer the official spec does not allow:\n  " + "\n  ".join(found[:20]))
    return True


CHECKS = [not_a_server_error, error_envelope, stream_ends, matches_the_spec]
RESPONSE_STREAM_ENDS = ("response.completed", "response.failed", "response.incomplete", "error")


class Hang(BaseException):
    """A call with no answer within CALL_SECONDS. A BaseException: the dispatcher's `except
    Exception` does not turn it into a 500, and Hypothesis reports it at once instead of
    replaying a hang while it shrinks."""


@contextmanager
def deadline(seconds: float, what: Callable[[], str]) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s: {what()}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: Requests sent, by operation and status (the long run prints a summary).
TALLY: Counter[tuple[str, str, int]] = Counter()
#: With FUZZ_REPORT: error messages, by operation (what keeps examples from going further).
REFUSALS: Counter[tuple[str, str, str]] = Counter()
REPORT = os.environ.get("FUZZ_REPORT")


def call(case: Any, app: Any) -> Any:
    """`case` sent in-process to `app`, with the SDK's headers, within CALL_SECONDS."""
    with deadline(CALL_SECONDS, lambda: case.as_curl_command(headers=HEADERS)):
        response = case.call(app=app, headers=HEADERS)
    TALLY[(case.method, case.path, response.status_code)] += 1
    if REPORT and response.status_code >= 400:
        try:
            message = json.loads(response.content)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = repr(response.content[:80])
        REFUSALS[(case.method, case.path, f"{response.status_code} {message[:100]}")] += 1
    return response


# --- the world of real objects (tests/fuzz_world.py) ---------------------------------------


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Random ids, or all of them from one scene of the world."""
    if not path_parameters:
        return st.just(path_parameters)
    scenes = st.sampled_from([None, "idle", "busy"])
    return scenes.map(lambda scene: path_parameters if scene is None else dict.fromkeys(path_parameters, SCENE + scene))


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    """Random ids in a body, or the world's."""
    if not isinstance(body, dict):
        return st.just(body)
    aimed = {key: REAL + key for key in BODY_IDS if key in body}
    if isinstance(body.get("file_ids"), list):
        aimed["file_ids"] = [REAL + "file_id"]
    outputs = body.get("tool_outputs")
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], dict):
        aimed["tool_outputs"] = [{**outputs[0], "tool_call_id": REAL + "tool_call_id"}]  # the run's only call
    if not aimed:
        return st.just(body)
    return st.booleans().map(lambda real: {**body, **aimed} if real else body)


@pytest.fixture(scope="module")
def fuzz_emulator() -> Iterator[Emulator]:
    emulator = Emulator(seed=10)
    yield emulator
    emulator.close()


@pytest.fixture
def app(fuzz_emulator: Emulator) -> Any:
    """A fresh state for each operation's examples (they share it, as clients would)."""
    fuzz_emulator.reset()
    return create_app(fuzz_emulator)


SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)


def as_the_sdk_sends_it(case: Any) -> None:
    """A multipart form's object fields as the SDK sends them: `expires_after[anchor]`, ..."""
    if case.media_type == "multipart/form-data" and isinstance(case.body, dict):
        body = {}
        for key, value in case.body.items():
            if isinstance(value, dict):
                body.update({f"{key}[{inner}]": item for inner, item in value.items()})
            else:
                body[key] = value
        case.body = body


# --- the tests ------------------------------------------------------------------------


#: Operations whose request schema is as large as the Responses API's: the coverage phase makes thousands of
#: boundary cases of them (over a minute each), so they get the generated examples only (FUZZ_COVER_ALL=1: all).
LARGE = ["/responses", "/responses/input_tokens", "/responses/compact", "/conversations",
         "/conversations/{conversation_id}/items"]  # fmt: skip
LARGE_SCHEMA = schema if os.environ.get("FUZZ_COVER_ALL") == "1" else schema_without_coverage


@schema.exclude(method="POST", path=LARGE).parametrize()
@SETTINGS
def test_operation(case: Any, app: Any) -> None:
    _fuzz(case, app)


@LARGE_SCHEMA.include(method="POST", path=LARGE).parametrize()
@hypothesis.settings(SETTINGS, max_examples=EXAMPLES * 2)  # twice the generated examples, for the cases not covered
def test_large_operation(case: Any, app: Any) -> None:
    _fuzz(case, app)


def _fuzz(case: Any, app: Any) -> None:
    world = app.extensions.setdefault("fuzz_world", World(app))
    aimed = world.resolve(case)
    as_the_sdk_sends_it(case)
    response = call(case, app)
    case.validate_response(response, checks=CHECKS)
    if aimed and case.method != "GET" and response.status_code < 300:
        world.stale = True  # it may have deleted, cancelled or finished something of the world


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module: how many requests, of which operations, with which statuses (and, with
    `FUZZ_REPORT=FILE`, the same per operation and status in FILE)."""
    yield
    by_class = Counter(f"{status // 100}xx" for (_, _, status) in TALLY.elements())
    declared = {(op.method.upper(), op.path) for op in operations_of(schema)}
    line = (
        f"fuzzed: {sum(TALLY.values()):,} requests, "
        f"{len({(m, p) for (m, p, _) in TALLY} & declared)} of the {len(declared)} operations; "
        + ", ".join(f"{name}: {count:,}" for name, count in sorted(by_class.items()))
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write("\n" + line + "\n")
    if REPORT:
        with open(REPORT, "w", encoding="utf-8") as out:
            out.write(line + "\n")
            for (method, path, status), count in sorted(TALLY.items()):
                out.write(f"{method} {path} {status} {count}\n")
            out.write("\nmost frequent refusals:\n")
            for (method, path, message), count in REFUSALS.most_common(300):
                out.write(f"{count:6} {method} {path}: {message}\n")


#: Valid requests only (the stateless test sends the invalid ones), without the hooks of
#: `schema`: links carry the ids from one call to the next.
stateful_schema = load_schema(mode="positive")


class Workflow:
    """Scenarios of linked calls (create an assistant, then get, modify, delete it; a thread, its
    messages, runs, steps, tool outputs; a file, a vector store, its files and batches), each on
    an emptied emulator that holds one assistant with a function tool. Ids in bodies, which no
    link of the spec carries (a run's `assistant_id`, a vector store file's `file_id`), name the
    latest such object of the scenario three times out of four."""

    app: Any = None
    emulator: Emulator | None = None

    def setup(self) -> None:
        self.emulator.reset()
        client = self.app.test_client()
        created = client.post("/v1/assistants", json={"model": "gpt-4o", "tools": [WEATHER]}, headers=HEADERS)
        self.latest = {"assistant_id": created.get_json()["id"]}
        self.bodies = 0

    def before_call(self, case: Any) -> None:
        if isinstance(case.body, dict):
            for key in BODY_IDS:
                if key in case.body and key in self.latest:
                    self.bodies += 1
                    if self.bodies % 4:
                        case.body[key] = self.latest[key]
            if isinstance(case.body.get("file_ids"), list) and "file_id" in self.latest:
                case.body["file_ids"] = [self.latest["file_id"]]
        as_the_sdk_sends_it(case)

    def after_call(self, response: Any, case: Any) -> None:
        super().after_call(response, case)
        if response.status_code == 200 and response.headers.get("content-type", [""])[0] == "application/json":
            body = response.json()
            kind = {"assistant": "assistant_id", "file": "file_id", "vector_store": "vector_store_id"}
            if isinstance(body, dict) and body.get("object") in kind:
                self.latest[kind[body["object"]]] = body["id"]

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"app": self.app, "headers": HEADERS}

    def call(self, case: Any, **kwargs: Any) -> Any:
        return call(case, self.app)

    def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS)


#: One state machine per group of resources: with fewer operations to pick from, a scenario
#: goes deeper (a thread, a message, a run, its steps, its tool outputs).
GROUPS = {
    "assistants": r"^/(assistants|models)",
    "threads": r"^/(threads|assistants$)",
    "vector_stores": r"^/(files|vector_stores)",
}
MACHINES = {
    group: type(
        f"{group.title()}Workflow", (Workflow, stateful_schema.include(path_regex=regex).as_state_machine()), {}
    )
    for group, regex in GROUPS.items()
}


@pytest.mark.parametrize("group", GROUPS)
def test_stateful(group: str, fuzz_emulator: Emulator, app: Any) -> None:
    machine = MACHINES[group]
    machine.app, machine.emulator = app, fuzz_emulator
    machine.run(
        settings=hypothesis.settings(
            SETTINGS, max_examples=SCENARIOS, stateful_step_count=12, phases=[hypothesis.Phase.generate]
        )
    )


def operations_of(loaded: Any) -> list[Any]:
    return [result.ok() for result in loaded.get_all_operations()]


def test_every_operation_is_fuzzed() -> None:
    """The schema the fuzzer reads has every operation of the spec."""
    operations = operations_of(schema)
    spec = fuzz_spec()
    expected = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if m in ("get", "post", "delete")}
    assert {(op.method.upper(), op.path) for op in operations} == expected
    assert len(expected) == 71
