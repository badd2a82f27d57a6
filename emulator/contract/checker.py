"""The contract checker: replay a recorded scenario against the emulator, list the differences.

`assistants-emulator contract PATH [PATH...]` replays each scenario file (a directory: its
`*.yaml`) against a fresh in-process emulator (`Emulator(seed=0)`, virtual clock) and prints
`ok` or the differences, one line each, grouped by exchange:

    fixtures/runs.yaml: 1 difference
      exchange 3 POST /v1/threads/{thread}/runs: response.body.status: expected 'queued', got 'completed'

Exit status 0 when every scenario checks clean, 1 when one differs, 2 when a file cannot be
read or does not follow the format (`emulator/contract/fixture.py`).

Sending. Requests go to the Flask app in-process (werkzeug's test client). The checker adds
the key: `Authorization: Bearer test` for the `openai` and `foundry` shapes, `api-key: test`
for `azure`;
the recorded headers (`OpenAI-Beta`, ...) are sent as recorded. A JSON body is sent as JSON,
a `multipart:` body as multipart/form-data.

How an answer is compared with the recording:

- **status** must be equal. When it is not, that is the exchange's one difference (with the
  emulator's error message, if any): the bodies of a 200 and a 404 have nothing to compare.
- **content-type**, when the recording has it: the media type must be equal (parameters
  such as `charset` aside); for a bytes body (`text:` / `base64:`) only its family
  (`text`, `image`, `application`) must be. Other response headers are not compared.
- **JSON bodies**, recursively:
  - objects: every recorded key must be there, and no other key ("expected key
    'tool_resources' is missing", "unexpected key 'foo'"); and, unless the scenario says
    `key_order: false`, the keys both have must come in the recorded order ("key order:
    expected [id, object, name], got [id, name, object]": what a raw-body snapshot sees);
  - JSON types must agree: string, number (int and float alike), boolean, object, list,
    null (null against anything else is a difference);
  - enum-like keys are compared by value when the recorded value is a string: `status`,
    `type`, `role`, `object`, `ranker`, `reason`, `anchor`, `purpose`, `detail`,
    `tool_choice`, `response_format` (`ENUM_KEYS`), and `code` inside `error` or
    `last_error`; `truncation_strategy.type` and the like are `type`;
  - booleans are compared by value (`has_more`, `deleted`, `parallel_tool_calls`: flags,
    not free text);
  - ids (a string matching `ID_PATTERN`: a prefix of `ID_PREFIXES`, `asst_`, `thread_`,
    `msg_`, `run_`, `step_`, `call_`, `vs_`, `vsfb_`, `file-`, `batch_`, then letters and
    digits) must have the recorded prefix ("id prefix: expected 'asst_', got 'thread_'"),
    and are followed through the scenario: the first time a recorded id appears in an
    answer, it stands for the emulator's id at the same place; everywhere after (later in
    that answer, in later answers) the emulator must show that same id, and two recorded
    ids cannot stand for one emulator id. Before a request is sent, every recorded id it
    holds (path segments, query values, JSON strings, multipart fields, exactly equal) is
    replaced by the emulator's. An id that no answer has shown yet (a made-up id expected to
    404) is sent unchanged;
  - opaque values (`OPAQUE_KEYS`: a reasoning or compaction item's `encrypted_content`, which only
    the service that wrote it can read) are compared by type and followed as ids are: a later
    request that sends the recorded value back sends the emulator's, as a real app sends back
    what it was given (the emulator still refuses content it did not write, as the service does);
  - every other string and number (free text, timestamps, counts, scores) by type only;
  - lists: the same length ("list length: expected 3, got 2"), then element by element.
- **streams** (`events:`; the answer must be `text/event-stream`): the sequences of event
  names must be equal once each run of consecutive identical `*.delta` events is squeezed
  to one; for the first occurrence of each non-delta event name, the data is compared as
  a JSON body (ids followed through as above); `done` must carry `[DONE]`. The data of
  delta events is not compared (how text is cut into deltas is the model's business).
- **bytes**: `text:` must be equal to the answer decoded as UTF-8 (a file uploaded in the
  scenario comes back as it went; ignore `exchanges[N].response.text` for made content);
  `base64:` (bytes the service made: a plot) is not compared byte for byte: only the
  content-type family, and that the answer is not empty when the recording is not.
- a response with no body, events, text or base64 has only its status (and content-type)
  compared.
- `ignore:` entries (`exchanges[2].response.body.tool_resources`, `[*]` for any index, `*`
  for any key) silence every difference at or under their path; nothing under an ignored
  path is compared, so no id is learnt there either. An entry with `only: key_order`
  silences only the order of the keys of the object at its path (all else is compared).

Server-Sent Events are read by `parse_sse`, a small parser of the event-stream format
(the `event:` / `data:` lines the API sends): `httpx-sse` reads httpx responses only, and
`sseclient-py` (which reads any iterable of bytes) would be a new runtime dependency for a
few lines.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import ids
from . import fixture
from .describe import article, describe, json_type, names, short
from .fixture import DONE, Event, Exchange, Multipart, Scenario, Segment, render_path
from .sse import is_delta, parse_sse, squeeze

#: The api key sent with every request.
API_KEY = "test"

#: Prefixes of the real service's ids, separator included: the emulator's own kinds
#: (`emulator.ids.PREFIXES`) and the service's ids the emulator does not make. The separator
#: is part of the prefix on purpose: file ids are `file-...`, and `file_search`,
#: `file_citation`, `file_path` (type values) must not pass for ids.
#: Prefix -> kind: a Batch API id; Azure OpenAI's file ids (`assistant-…`, recorded in
#: azure-openai/VectorStoreTests/CanCreateGetAndDeleteVectorStores.json).
#: The Responses API's (`ids.HEX_IDS`) and the ids of the output items of its hosted tools
#: (pydantic-ai cassettes, 2025-09 to 2026-04: `fs_` file_search_call, `ws_` web_search_call, `ci_`
#: code_interpreter_call, `mcp_`/`mcpl_` mcp_call/mcp_list_tools, `cmp_` compaction).
EXTRA_ID_PREFIXES = {
    "batch_": "batch", "assistant-": "file", "fs_": "file_search_call", "ws_": "web_search_call",
    "ci_": "code_interpreter_call", "mcp_": "mcp_call", "mcpl_": "mcp_list_tools", "cmp_": "compaction",
    **{prefix: kind for kind, (prefix, _) in ids.HEX_IDS.items()},
}  # fmt: skip
ID_PREFIXES: tuple[str, ...] = tuple(sorted({*ids.PREFIXES.values(), *EXTRA_ID_PREFIXES}))
ID_PATTERN = re.compile(
    "^(?P<prefix>" + "|".join(re.escape(p) for p in sorted(ID_PREFIXES, key=len, reverse=True)) + ")[A-Za-z0-9]+$"
)
#: `thread_` -> `thread`: how an id is written in a report's path (`/v1/threads/{thread}/runs`).
KIND_OF_PREFIX = {**{prefix: kind for kind, prefix in ids.PREFIXES.items()}, **EXTRA_ID_PREFIXES}

#: Keys whose string values are compared by value.
ENUM_KEYS = frozenset("status type role object ranker reason anchor purpose detail tool_choice response_format".split())
#: Keys whose string values are opaque content of the service's, followed through the scenario as ids are.
OPAQUE_KEYS = frozenset({"encrypted_content"})
#: Objects whose `code` is compared by value.
ERROR_KEYS = frozenset({"error", "last_error"})

STREAM = "text/event-stream"
JSON_MEDIA = "application/json"

Send = Callable[[str, str, dict[str, Any], dict[str, str], Any], Any]


@dataclass
class Difference:
    exchange: int  # index in scenario.exchanges
    where: str  # "response.body.data[0].status", "response.status", "response.events[3]", "request"
    message: str  # "expected 'completed', got 'failed'", "expected key 'tool_resources' is missing", ...
    #: The exchange's request, ids written as their kind: "POST /v1/threads/{thread}/runs".
    request: str = ""

    def __str__(self) -> str:
        head = f"exchange {self.exchange}" + (f" {self.request}" if self.request else "")
        return f"{head}: {self.where}: {self.message}"


@dataclass
class Reply:
    """An answer, whatever client produced it (werkzeug, httpx, requests)."""

    status: int
    headers: dict[str, str]  # names lower-cased
    content: bytes

    @property
    def media_type(self) -> str:
        return _media(self.headers.get("content-type", ""))

    @classmethod
    def of(cls, response: Any) -> Reply:
        if isinstance(response, Reply):
            return response
        headers = {str(k).lower(): str(v) for k, v in response.headers.items()}
        if hasattr(response, "get_data"):  # werkzeug / Flask
            content = response.get_data()
        elif callable(getattr(response, "read", None)):  # httpx (reads a streamed answer too)
            content = response.read()
        else:  # requests
            content = response.content
        return cls(status=response.status_code, headers=headers, content=content)


# --- replaying -------------------------------------------------------------------------------


def check_scenario(scenario: Scenario, send: Send, *, api_key: str = API_KEY) -> list[Difference]:
    """Replay `scenario` through `send(method, path, query, headers, body_or_multipart)`, which
    returns a response (werkzeug's, httpx's or a `Reply`); the differences, in order."""
    return _Check(scenario, send, api_key).run()


def check_file(path: str | Path, app: Any = None, *, replay: bool = True) -> list[Difference]:
    """Load a scenario file and check it against `app`, or against a fresh emulator
    (`Emulator(seed=0)`, virtual clock, set up as the scenario's `emulator:` says) when `app` is
    None; there, with `replay` (and unless the scenario says `emulator: {model: default}`), the
    emulator plays the recorded model (`replay.register_replay`), so its runs do what the real
    model did; a scenario with runs that cannot be replayed is a reported difference
    (`emulator.model`, saying why), not a quiet fall back to the default model. Raises `FixtureError` for a file that cannot be read
    or does not follow the format."""
    scenario = fixture.load(path)
    if app is not None:
        return check_scenario(scenario, werkzeug_sender(app))
    import yaml

    from ..app import create_app
    from .replay import ReplayError, register_replay

    emulator = emulator_for(scenario)
    problems: list[Difference] = []
    try:
        if replay and scenario.emulator.get("model", "recorded") == "recorded":
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            try:
                register_replay(emulator, data, f"replay-{Path(path).stem}")
            except ReplayError as exc:  # its runs would be played by the default model: not what was recorded
                problems.append(Difference(0, "emulator.model", f"the recorded model of {Path(path).name} cannot be "
                                           f"replayed ({_without_prefix(str(exc), str(path))}), so its runs would be "
                                           "the default model's; say `emulator: {model: default}` if that is meant"))  # fmt: skip
        return problems + check_scenario(scenario, werkzeug_sender(create_app(emulator)))
    finally:
        emulator.close()


def _without_prefix(message: str, path: str) -> str:
    return message.removeprefix(f"{path}: ").removeprefix("scenario: ")


def emulator_for(scenario: Scenario) -> Any:
    """A fresh emulator (`seed=0`, virtual clock) set up as the scenario's `emulator:` says."""
    from ..core import Emulator

    config = {k: v for k, v in scenario.emulator.items() if k in ("progression", "ingestion_seconds", "api_keys")}
    emulator = Emulator(seed=0, clock="virtual", **config)
    for asset in scenario.emulator.get("assets", []):
        emulator.register_asset(asset["uri"], asset["content"], filename=asset.get("filename"))
    return emulator


def werkzeug_sender(app: Any) -> Send:
    """A `send` into a Flask (WSGI) app, in-process, through werkzeug's test client."""
    client = app.test_client()

    def send(method: str, path: str, query: dict[str, Any], headers: dict[str, str], body: Any) -> Any:
        headers = dict(headers)
        content_type = _pop(headers, "content-type")
        kwargs: dict[str, Any] = {}
        if isinstance(body, Multipart):
            form: dict[str, Any] = dict(body.fields)
            for name, part in body.files.items():
                stream = io.BytesIO(part.content)
                form[name] = (
                    (stream, part.filename, part.content_type) if part.content_type else (stream, part.filename)
                )
            kwargs.update(data=form, content_type="multipart/form-data")
        elif body is not None:
            kwargs.update(data=json.dumps(body), content_type=content_type or JSON_MEDIA)
        elif content_type:
            kwargs["content_type"] = content_type
        return client.open(path, method=method, query_string=query, headers=headers, **kwargs)

    return send


def _pop(headers: dict[str, str], name: str) -> str | None:
    for key in list(headers):
        if key.lower() == name:
            return headers.pop(key)
    return None


class _Check:
    def __init__(self, scenario: Scenario, send: Send, api_key: str) -> None:
        self.scenario = scenario
        self.send = send
        self.api_key = api_key
        self.differences: list[Difference] = []
        #: recorded id -> the emulator's id, and back; where each was first seen.
        self.ids: dict[str, str] = {}
        self.recorded_for: dict[str, str] = {}
        self.seen_at: dict[str, str] = {}
        self.index = 0
        #: Whether the values compared are a stream's events (for `key_order: streams`).
        self.in_stream = False

    def run(self) -> list[Difference]:
        step = self.scenario.emulator.get("seconds_per_exchange", 0)
        for index, exchange in enumerate(self.scenario.exchanges):
            self.index = index
            if step and index:
                headers = {"Content-Type": "application/json"}
                moved = Reply.of(self.send("POST", "/_emulator/clock/advance", {}, headers, {"seconds": step}))
                if moved.status != 200:  # e.g. an app of the caller's on the system clock
                    request = request_label(exchange.request)
                    why = _error_message(moved) or f"status {moved.status}"
                    self.differences.append(Difference(index, "emulator.seconds_per_exchange", "the emulator's "
                                                       f"clock could not be advanced ({why})", request))  # fmt: skip
            self.exchange(exchange)
        return self.differences

    # reporting

    def ignored(self, path: tuple[Segment, ...]) -> bool:
        return self.scenario.ignored(("exchanges", self.index, *path))

    def report(self, path: tuple[Segment, ...], message: str) -> bool:
        """Record a difference at `path` (from the exchange) unless it is ignored; True if recorded."""
        if self.ignored(path):
            return False
        request = request_label(self.scenario.exchanges[self.index].request)
        self.differences.append(Difference(self.index, render_path(path), message, request))
        return True

    # sending

    def exchange(self, exchange: Exchange) -> None:
        request = exchange.request
        headers = dict(request.headers)
        if self.scenario.shape == "azure":
            headers["api-key"] = self.api_key
        else:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body: Any = request.body
        if request.multipart is not None:
            body = Multipart(fields=self.mapped(request.multipart.fields), files=request.multipart.files)
        try:
            response = self.send(
                request.method, self.mapped_path(request.path), self.mapped(request.query), headers, self.mapped(body)
            )
            reply = Reply.of(response)
        except Exception as exc:  # a broken send is this exchange's difference, not the end of the report
            self.report(("request",), f"could not be sent: {type(exc).__name__}: {exc}")
            return
        self.response(exchange.response, reply)

    def mapped(self, value: Any) -> Any:
        """`value` with every recorded id the scenario has followed replaced by the emulator's."""
        if isinstance(value, str):
            return self.ids.get(value, value)
        if isinstance(value, list):
            return [self.mapped(item) for item in value]
        if isinstance(value, dict):
            return {key: self.mapped(item) for key, item in value.items()}
        return value

    def mapped_path(self, path: str) -> str:
        return "/".join(self.ids.get(segment, segment) for segment in path.split("/"))

    # comparing

    def response(self, expected: fixture.Response, reply: Reply) -> None:
        if expected.status != reply.status:
            detail = _error_message(reply)
            message = f"expected {expected.status}, got {reply.status}" + (f" ({detail})" if detail else "")
            if self.report(("response", "status"), message):
                return
        kind = expected.kind
        recorded_type = expected.headers.get("content-type")
        if recorded_type:
            want, got = _media(recorded_type), reply.media_type
            if kind in ("text", "base64"):
                want, got = want.split("/")[0], got.split("/")[0]
            if want != got:
                self.report(("response", "headers", "content-type"), f"expected {want!r}, got {got or None!r}")
        if kind == "none":
            return
        if kind == "events":
            self.stream(expected.events or [], reply)
        elif kind == "json":
            self.json_body(expected.body, reply)
        elif kind == "text":
            self.text_body(expected.text or "", reply)
        elif expected.content and not reply.content:
            self.report(("response", "base64"), "expected bytes, got an empty body")

    def json_body(self, expected: Any, reply: Reply) -> None:
        path = ("response", "body")
        if reply.media_type == STREAM:
            self.report(path, f"expected a JSON body, got a stream ({STREAM})")
            return
        try:
            actual = json.loads(reply.content)
        except ValueError:
            media = reply.media_type or "no content-type"
            self.report(path, f"expected a JSON body, got {len(reply.content)} bytes of {media} that are not JSON")
            return
        self.compare(expected, actual, path)

    def text_body(self, expected: str, reply: Reply) -> None:
        actual = reply.content.decode("utf-8", errors="replace")
        if actual != expected:
            self.report(("response", "text"), f"expected {short(expected)}, got {short(actual)}")

    def stream(self, expected: list[Event], reply: Reply) -> None:
        base: tuple[Segment, ...] = ("response", "events")
        if reply.media_type != STREAM:
            self.report(base, f"expected a stream ({STREAM}), got {reply.media_type or 'no content-type'}")
            return
        actual = parse_sse(reply.content.decode("utf-8", errors="replace"))
        want, want_at = squeeze([event.event for event in expected])
        got, _ = squeeze([name for name, _data in actual])
        if want != got:
            self.eventnames(base, want, want_at, got, len(expected))
        first: dict[str, Any] = {}
        for name, data in actual:
            first.setdefault(name, data)
        compared: set[str] = set()
        for k, event in enumerate(expected):
            if event.event in compared or is_delta(event.event) or event.event not in first:
                continue  # a missing event was reported with the names
            compared.add(event.event)
            path = (*base, k, "data")
            if event.event == "done":
                if first["done"] != DONE:
                    self.report(path, f"expected {DONE!r}, got {short(first['done'])}")
                continue
            self.in_stream = True
            try:
                self.compare(event.data, first[event.event], path)
            finally:
                self.in_stream = False

    def eventnames(
        self, base: tuple[Segment, ...], want: list[str], want_at: list[int], got: list[str], count: int
    ) -> None:
        """Report how the squeezed event names differ, as missing / unexpected / replaced runs."""

        def at(i: int) -> tuple[Segment, ...]:
            return (*base, want_at[i] if i < len(want_at) else count)

        def after(i: int) -> str:
            return f"after {want[i - 1]!r}" if i > 0 else "first"

        matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "delete":
                self.report(at(i1), f"missing event {names(want[i1:i2])} ({after(i1)})")
            elif tag == "insert":
                self.report(at(i1), f"unexpected event {names(got[j1:j2])} ({after(i1)})")
            elif tag == "replace":
                self.report(at(i1), f"expected event {names(want[i1:i2])}, got {names(got[j1:j2])} ({after(i1)})")

    def compare(self, expected: Any, actual: Any, path: tuple[Segment, ...]) -> None:
        if self.ignored(path):
            return
        if isinstance(expected, dict):
            if not isinstance(actual, dict):
                self.report(path, f"expected an object, got {describe(actual)}")
                return
            for key, value in expected.items():
                if key in actual:
                    self.compare(value, actual[key], (*path, key))
                elif not self.ignored((*path, key)):
                    self.report(path, f"expected key {key!r} is missing")
            for key, value in actual.items():
                if key not in expected and not self.ignored((*path, key)):
                    self.report(path, f"unexpected key {key!r} ({describe(value)})")
            if self.scenario.key_order is True or (self.scenario.key_order == "streams" and self.in_stream):
                self.key_order(list(expected), list(actual), path)
            return
        if isinstance(expected, list):
            if not isinstance(actual, list):
                self.report(path, f"expected a list, got {describe(actual)}")
                return
            if len(expected) != len(actual):
                self.report(path, f"list length: expected {len(expected)}, got {len(actual)}")
            for i, (want, got) in enumerate(zip(expected, actual, strict=False)):
                self.compare(want, got, (*path, i))
            return
        if expected is None:
            if actual is not None:
                self.report(path, f"expected null, got {describe(actual)}")
            return
        if json_type(expected) != json_type(actual):
            self.report(path, f"expected {article(json_type(expected))}, got {describe(actual)}")
            return
        if isinstance(expected, bool):
            if expected != actual:
                self.report(path, f"expected {json.dumps(expected)}, got {json.dumps(actual)}")
        elif isinstance(expected, str):
            if is_enum(path):
                if expected != actual:
                    self.report(path, f"expected {expected!r}, got {actual!r}")
            elif ID_PATTERN.match(expected):
                self.compare_id(expected, actual, path)
            elif path and path[-1] in OPAQUE_KEYS and expected not in self.ids:
                self.ids[expected] = actual  # sent back later as the emulator wrote it

    def key_order(self, expected: list[str], actual: list[str], path: tuple[Segment, ...]) -> None:
        """Report when the keys both objects have (ignored ones aside) come in another order."""
        if self.scenario.order_ignored(("exchanges", self.index, *path)):
            return
        shared = set(expected) & set(actual)
        want = [k for k in expected if k in shared and not self.ignored((*path, k))]
        got = [k for k in actual if k in shared and not self.ignored((*path, k))]
        if want != got:
            self.report(path, f"key order: expected [{', '.join(want)}], got [{', '.join(got)}]")

    def compare_id(self, expected: str, actual: str, path: tuple[Segment, ...]) -> None:
        prefix = ID_PATTERN.match(expected)["prefix"]  # type: ignore[index]
        match = ID_PATTERN.match(actual)
        if match is None:
            self.report(path, f"id prefix: expected {prefix!r}, got {short(actual)}, which is not an id")
            return
        if match["prefix"] != prefix:
            self.report(path, f"id prefix: expected {prefix!r}, got {match['prefix']!r}")
            if expected not in self.ids and actual not in self.recorded_for:  # still followed, to what it names
                self.ids[expected] = actual
                self.recorded_for[actual] = expected
                self.seen_at[expected] = f"exchange {self.index} {render_path(path)}"
            return
        here = f"exchange {self.index} {render_path(path)}"
        mapped = self.ids.get(expected)
        if mapped is None:
            other = self.recorded_for.get(actual)
            if other is not None and other != expected:
                self.report(
                    path,
                    f"id: got {actual!r}, which already stands for the recorded {other!r} "
                    f"(seen at {self.seen_at[other]}), not for the recorded {expected!r}",
                )
                return
            self.ids[expected] = actual
            self.recorded_for[actual] = expected
            self.seen_at[expected] = here
        elif mapped != actual:
            self.report(
                path,
                f"id: expected {mapped!r} (the emulator's id for the recorded {expected!r}, "
                f"seen at {self.seen_at[expected]}), got {actual!r}",
            )


# --- helpers ---------------------------------------------------------------------------------


def is_enum(path: tuple[Segment, ...]) -> bool:
    """Whether the string at `path` is compared by value."""
    key = path[-1] if path and isinstance(path[-1], str) else None
    if key is None:
        return False
    if key in ENUM_KEYS:
        return True
    return key == "code" and len(path) >= 2 and path[-2] in ERROR_KEYS


def request_label(request: fixture.Request) -> str:
    """`POST /v1/threads/{thread}/runs`: the method and path, ids written as their kind."""
    segments = []
    for segment in request.path.split("/"):
        match = ID_PATTERN.match(segment)
        segments.append("{" + KIND_OF_PREFIX[match["prefix"]] + "}" if match else segment)
    return f"{request.method} {'/'.join(segments)}"


def format_differences(scenario_path: str | Path, diffs: list[Difference]) -> str:
    """`PATH: ok`, or `PATH: N differences` and one indented line per difference."""
    if not diffs:
        return f"{scenario_path}: ok"
    lines = [f"{scenario_path}: {len(diffs)} difference{'s' if len(diffs) != 1 else ''}"]
    lines += [f"  {diff}" for diff in sorted(diffs, key=lambda d: d.exchange)]
    return "\n".join(lines)


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _error_message(reply: Reply) -> str | None:
    if reply.media_type != JSON_MEDIA:
        return None
    try:
        error = json.loads(reply.content).get("error")
    except (ValueError, AttributeError):
        return None
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else None


__all__ = [
    "Difference",
    "Reply",
    "check_file",
    "check_scenario",
    "format_differences",
    "parse_sse",
    "werkzeug_sender",
    "squeeze",
]
