"""Load and validate a recorded scenario (`fixtures/*.yaml`, format in `fixtures/README.md`).

`load(path)` reads a file, `from_dict(data)` an already-parsed mapping; both give a
`Scenario` or raise `FixtureError`, whose message says which file and which place is wrong
and what was expected (`fixtures/runs.yaml: exchanges[2].response.status: expected an HTTP
status (100-599), got 'ok'`).

What the loader decides beyond the README:

- every mapping is closed: an unknown key (`bdy:` for `body:`) is an error, so that a typo
  cannot silently turn a comparison off;
- duplicate keys in a YAML mapping are an error (PyYAML would keep the last one);
- values in bodies must be JSON: an unquoted `2024-01-01` (a YAML date) is refused;
- `body: null` is the same as no body (a request without a body; a response whose body is
  not compared);
- request headers may not carry credentials (`Authorization`, `api-key`): the checker adds
  its own; `Content-Length`, `Host` and `Transfer-Encoding` are dropped (they are computed);
- query values may be strings, numbers or booleans (sent as `"2"`, `"true"`) or lists of
  them (a repeated parameter, `include[]`);
- paths start with `/v1/` (shape `openai`), `/openai/` (shape `azure`) or `/api/projects/`
  (shape `foundry`: the azure-ai-agents project endpoint, `emulator/foundry.py`) and carry no `?`;
- `key_order` (default true) says whether the recorded order of an object's keys is evidence
  of the service's order (false for fixtures built from the spec's examples; `streams` when only
  the stream events' is, the JSON bodies having been re-serialised with sorted keys);
- a stream's `done` event has the data `"[DONE]"`;
- `emulator:` (optional) sets up the emulator the scenario is replayed against, as the recorded
  service behaved: `progression` (a run policy, `emulator/agent/progression.py`),
  `ingestion_seconds` (`EmulatorConfig`), and `seconds_per_exchange` (the checker moves the
  virtual clock that far before each exchange after the first, as the recorded calls were apart),
  and `model`: `recorded` (the default: runs are played by the model as the scenario shows it,
  `replay.scenario_to_script`) or `default` (the emulator's default catalogue plays them, for
  scenarios that record no real model, such as those built from the spec's examples), and
  `assets`: data assets the scenario's Foundry `data_sources` name, a list of `{uri, content,
  filename}` (`content` text; `filename` optional), registered before the first exchange
  (`Emulator.register_asset`), and `api_keys`: the only keys the emulator accepts (a recording of a
  wrong key's 401: the checker sends its own key, `test`, which is not among them).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..agent.progression import Progression

SHAPES = {"openai": "/v1", "azure": "/openai", "foundry": "/api/projects"}
METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH")
#: Request headers a fixture must not hold (the checker sends its own key).
CREDENTIAL_HEADERS = frozenset({"authorization", "api-key"})
#: Request headers computed when the request is sent.
COMPUTED_HEADERS = frozenset({"content-length", "host", "transfer-encoding"})
DONE = "[DONE]"


class FixtureError(ValueError):
    """A scenario file that cannot be read, or does not follow the format."""


@dataclass
class FilePart:
    """One file of a multipart request."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class Multipart:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str | list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    #: The JSON body; None when there is none (or the request is multipart).
    body: Any = None
    multipart: Multipart | None = None


@dataclass
class Event:
    event: str
    data: Any


@dataclass
class Response:
    status: int
    #: Header names lower-cased.
    headers: dict[str, str] = field(default_factory=dict)
    #: The JSON body (None: not compared, unless events, text or base64 is given).
    body: Any = None
    events: list[Event] | None = None
    text: str | None = None
    base64: str | None = None

    @property
    def kind(self) -> str:
        """What the recorded body is: json, events, text, base64, or none (not compared)."""
        if self.events is not None:
            return "events"
        if self.text is not None:
            return "text"
        if self.base64 is not None:
            return "base64"
        return "none" if self.body is None else "json"

    @property
    def content(self) -> bytes | None:
        """The recorded bytes of a text or base64 body."""
        if self.text is not None:
            return self.text.encode("utf-8")
        if self.base64 is not None:
            return base64.b64decode(self.base64)
        return None


@dataclass
class Exchange:
    request: Request
    response: Response


#: One segment of a path pattern: a key, an index, or WILDCARD.
WILDCARD = "*"
Segment = str | int


@dataclass
class IgnoreRule:
    path: str
    why: str
    #: `path` parsed: keys, indexes and WILDCARD.
    segments: tuple[Segment, ...] = ()
    #: Only the order of the keys of the object at `path` is not compared (`only: key_order`).
    key_order_only: bool = False

    def covers(self, path: tuple[Segment, ...]) -> bool:
        """True when `path` (from `exchanges`) is at or under this rule's path."""
        if len(path) < len(self.segments):
            return False
        for want, got in zip(self.segments, path, strict=False):
            if want == WILDCARD:
                continue
            if type(want) is not type(got) or want != got:
                return False
        return True


@dataclass
class Scenario:
    source: str
    shape: str
    exchanges: list[Exchange]
    note: str = ""
    ignore: list[IgnoreRule] = field(default_factory=list)
    #: The file it was read from, if any.
    file: str | None = None
    #: Whether the order of each recorded object's keys is compared (false: the recording is no evidence of it;
    #: "streams": only in stream events, the JSON bodies having been re-serialised with sorted keys).
    key_order: bool | str = True
    #: How the emulator is set up for this scenario (`EMULATOR_OPTIONS`); empty: the defaults.
    emulator: dict[str, Any] = field(default_factory=dict)

    def ignored(self, path: tuple[Segment, ...]) -> bool:
        return any(rule.covers(path) for rule in self.ignore if not rule.key_order_only)

    def order_ignored(self, path: tuple[Segment, ...]) -> bool:
        """Whether the key order of the object at `path` is not compared (an `only: key_order` rule)."""
        return any(rule.key_order_only and len(rule.segments) == len(path) and rule.covers(path)
                   for rule in self.ignore)  # fmt: skip


# --- reading ---------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys in a mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class says so
                break
            if duplicate:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark
                )
        return super().construct_mapping(node, deep=deep)


#: What a scenario's `emulator:` may set.
EMULATOR_OPTIONS = ("progression", "ingestion_seconds", "seconds_per_exchange", "model", "assets", "api_keys")
#: Who plays the scenario's runs: the model as recorded (replayed), or the emulator's default catalogue.
MODEL_CHOICES = ("recorded", "default")


def load(path: str | Path) -> Scenario:
    """Read and validate one scenario file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{name}: cannot read: {exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise FixtureError(f"{name}: not valid YAML: {exc}") from None
    scenario = from_dict(data, origin=name)
    scenario.file = name
    return scenario


def from_dict(data: Any, origin: str = "<fixture>") -> Scenario:
    """Validate a parsed scenario (what `yaml.safe_load` gives) into a `Scenario`."""
    return _Reader(origin).scenario(data)


class _Reader:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, message: str) -> FixtureError:
        return FixtureError(f"{self.origin}: {where}: {message}" if where else f"{self.origin}: {message}")

    def mapping(self, value: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {_describe(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"keys must be strings, got {key!r}")
        unknown = [key for key in value if key not in required | optional]
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise self.fail(where, f"unknown key {unknown[0]!r} (allowed: {allowed})")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"missing required key {missing[0]!r}")
        return value

    def open_mapping(self, value: Any, where: str) -> dict[str, Any]:
        """A mapping with any string keys (None: empty)."""
        if value is None:
            return {}
        return self.mapping(value, where, set(), set(value) if isinstance(value, dict) else set())

    def string(self, value: Any, where: str, *, empty: bool = True) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, got {_describe(value)}")
        if not empty and not value.strip():
            raise self.fail(where, "must not be empty")
        return value

    def scenario(self, data: Any) -> Scenario:
        if data is None:
            raise self.fail("", "the file is empty")
        top = self.mapping(data, "", {"source", "shape", "exchanges"}, {"note", "ignore", "key_order", "emulator"})
        source = self.string(top["source"], "source", empty=False)
        note = "" if top.get("note") is None else self.string(top["note"], "note")
        shape = top["shape"]
        if shape not in SHAPES:
            raise self.fail("shape", f"expected one of {', '.join(map(repr, SHAPES))}, got {shape!r}")
        raw = top["exchanges"]
        if not isinstance(raw, list) or not raw:
            raise self.fail("exchanges", f"expected a non-empty list of exchanges, got {_describe(raw)}")
        exchanges = [self.exchange(item, f"exchanges[{i}]", shape) for i, item in enumerate(raw)]
        ignore = self.ignore(top.get("ignore"), len(exchanges))
        key_order = top.get("key_order", True)
        if not isinstance(key_order, bool) and key_order != "streams":
            raise self.fail("key_order", f"expected true, false or streams, got {_describe(key_order)}")
        return Scenario(
            source=source,
            note=note,
            shape=shape,
            ignore=ignore,
            exchanges=exchanges,
            key_order=key_order,
            emulator=self.emulator(top.get("emulator")),
        )

    def emulator(self, raw: Any) -> dict[str, Any]:
        if raw is None:
            return {}
        options = self.mapping(raw, "emulator", set(), set(EMULATOR_OPTIONS))
        if "progression" in options:
            try:
                Progression.parse(options["progression"])
            except ValueError as exc:
                raise self.fail("emulator.progression", str(exc)) from None
        if options.get("model", "recorded") not in MODEL_CHOICES:
            raise self.fail(
                "emulator.model", f"expected one of {', '.join(MODEL_CHOICES)}, got {_describe(options['model'])}"
            )
        for name in ("ingestion_seconds", "seconds_per_exchange"):
            value = options.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise self.fail(f"emulator.{name}", f"expected a number of seconds >= 0, got {_describe(value)}")
        if "assets" in options:
            if not isinstance(options["assets"], list):
                raise self.fail(
                    "emulator.assets", f"expected a list of {{uri, content}}, got {_describe(options['assets'])}"
                )
            for i, asset in enumerate(options["assets"]):
                where = f"emulator.assets[{i}]"
                asset = self.mapping(asset, where, {"uri", "content"}, {"filename"})
                for key in asset:
                    self.string(asset[key], f"{where}.{key}", empty=key == "content")
        keys = options.get("api_keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            raise self.fail("emulator.api_keys", f"expected a list of keys, got {_describe(keys)}")
        return dict(options)

    def ignore(self, raw: Any, count: int) -> list[IgnoreRule]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail("ignore", f"expected a list of {{path, why}}, got {_describe(raw)}")
        rules = []
        for i, item in enumerate(raw):
            where = f"ignore[{i}]"
            entry = self.mapping(item, where, {"path", "why"}, {"only"})
            path = self.string(entry["path"], f"{where}.path", empty=False)
            why = self.string(entry["why"], f"{where}.why", empty=False)
            only = entry.get("only")
            if only not in (None, "key_order"):
                raise self.fail(f"{where}.only", f"expected key_order (or no `only`), got {_describe(only)}")
            try:
                segments = parse_path(path)
            except ValueError as exc:
                raise self.fail(f"{where}.path", str(exc)) from None
            if len(segments) < 2 or segments[0] != "exchanges" or isinstance(segments[1], str) and segments[1] != "*":
                raise self.fail(f"{where}.path", f"must start with exchanges[N] or exchanges[*], got {path!r}")
            if isinstance(segments[1], int) and segments[1] >= count:
                raise self.fail(f"{where}.path", f"exchange {segments[1]} does not exist (there are {count})")
            rules.append(IgnoreRule(path=path, why=why, segments=segments, key_order_only=only == "key_order"))
        return rules

    def exchange(self, item: Any, where: str, shape: str) -> Exchange:
        entry = self.mapping(item, where, {"request", "response"}, set())
        return Exchange(self.request(entry["request"], f"{where}.request", shape),
                        self.response(entry["response"], f"{where}.response"))  # fmt: skip

    def request(self, raw: Any, where: str, shape: str) -> Request:
        entry = self.mapping(raw, where, {"method", "path"}, {"query", "headers", "body", "multipart"})
        method = self.string(entry["method"], f"{where}.method").upper()
        if method not in METHODS:
            raise self.fail(f"{where}.method", f"expected one of {', '.join(METHODS)}, got {entry['method']!r}")
        path = self.string(entry["path"], f"{where}.path")
        if "?" in path:
            raise self.fail(f"{where}.path", "put the query string under `query:`, not in the path")
        prefix = SHAPES[shape]
        if path != prefix and not path.startswith(prefix + "/"):
            raise self.fail(f"{where}.path", f"a {shape} scenario's paths start with {prefix}/, got {path!r}")
        query = self.query(entry.get("query"), f"{where}.query")
        headers = self.headers(entry.get("headers"), f"{where}.headers", request=True)
        body = entry.get("body")
        if body is not None:
            self.json(body, f"{where}.body")
        multipart = None
        if entry.get("multipart") is not None:
            if body is not None:
                raise self.fail(where, "a request has `body` or `multipart`, not both")
            multipart = self.multipart(entry["multipart"], f"{where}.multipart")
        return Request(method=method, path=path, query=query, headers=headers, body=body, multipart=multipart)

    def query(self, raw: Any, where: str) -> dict[str, str | list[str]]:
        entry = self.open_mapping(raw, where)
        query: dict[str, str | list[str]] = {}
        for name, value in entry.items():
            if isinstance(value, list):
                query[name] = [self.query_value(v, f"{where}.{name}") for v in value]
            else:
                query[name] = self.query_value(value, f"{where}.{name}")
        return query

    def query_value(self, value: Any, where: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise self.fail(where, f"expected a string, number or boolean, got {_describe(value)}")

    def headers(self, raw: Any, where: str, *, request: bool) -> dict[str, str]:
        entry = self.open_mapping(raw, where)
        headers: dict[str, str] = {}
        for name, value in entry.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise self.fail(f"{where}.{name}", f"expected a string, got {_describe(value)}")
            lower = name.lower()
            if request and lower in CREDENTIAL_HEADERS:
                raise self.fail(f"{where}.{name}", "never record credentials: the checker sends its own key")
            if request and lower in COMPUTED_HEADERS:
                continue
            headers[name if request else lower] = str(value)
        return headers

    def multipart(self, raw: Any, where: str) -> Multipart:
        entry = self.mapping(raw, where, set(), {"fields", "files"})
        fields = {}
        for name, value in self.open_mapping(entry.get("fields"), f"{where}.fields").items():
            fields[name] = self.query_value(value, f"{where}.fields.{name}")
        files = {}
        for name, part in self.open_mapping(entry.get("files"), f"{where}.files").items():
            at = f"{where}.files.{name}"
            spec = self.mapping(part, at, {"filename"}, {"text", "base64", "content_type"})
            filename = self.string(spec["filename"], f"{at}.filename")
            content = self.content(spec, at)
            if content is None:
                raise self.fail(at, "a file needs `text:` or `base64:`")
            ctype = (
                None if spec.get("content_type") is None else self.string(spec["content_type"], f"{at}.content_type")
            )
            files[name] = FilePart(filename=filename, content=content, content_type=ctype)
        if not fields and not files:
            raise self.fail(where, "a multipart body needs `fields:` or `files:`")
        return Multipart(fields=fields, files=files)

    def content(self, spec: dict[str, Any], where: str) -> bytes | None:
        if spec.get("text") is not None and spec.get("base64") is not None:
            raise self.fail(where, "give `text:` or `base64:`, not both")
        if spec.get("text") is not None:
            return self.string(spec["text"], f"{where}.text").encode("utf-8")
        if spec.get("base64") is not None:
            encoded = self.string(spec["base64"], f"{where}.base64")
            try:
                return base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise self.fail(f"{where}.base64", "not valid base64") from None
        return None

    def response(self, raw: Any, where: str) -> Response:
        entry = self.mapping(raw, where, {"status"}, {"headers", "body", "events", "text", "base64"})
        status = entry["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise self.fail(f"{where}.status", f"expected an HTTP status (100-599), got {status!r}")
        headers = self.headers(entry.get("headers"), f"{where}.headers", request=False)
        given = [key for key in ("body", "events", "text", "base64") if entry.get(key) is not None]
        if len(given) > 1:
            raise self.fail(where, f"a response has one of body, events, text, base64; got {', '.join(given)}")
        response = Response(status=status, headers=headers)
        if entry.get("body") is not None:
            response.body = self.json(entry["body"], f"{where}.body")
        elif entry.get("events") is not None:
            response.events = self.events(entry["events"], f"{where}.events")
        elif entry.get("text") is not None or entry.get("base64") is not None:
            self.content(entry, where)
            response.text = entry.get("text")
            response.base64 = entry.get("base64")
        return response

    def events(self, raw: Any, where: str) -> list[Event]:
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, f"expected a non-empty list of {{event, data}}, got {_describe(raw)}")
        events = []
        for i, item in enumerate(raw):
            at = f"{where}[{i}]"
            entry = self.mapping(item, at, {"event", "data"}, set())
            name = self.string(entry["event"], f"{at}.event", empty=False)
            data = self.json(entry["data"], f"{at}.data")
            if name == "done" and data != DONE:
                raise self.fail(f"{at}.data", f"the done event's data is {DONE!r}, got {data!r}")
            events.append(Event(event=name, data=data))
        return events

    def json(self, value: Any, where: str) -> Any:
        """Check that `value` is made of JSON types only, and return it."""
        if value is None or isinstance(value, bool | int | str):
            return value
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise self.fail(where, f"{value!r} is not a JSON number")
            return value
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.json(item, f"{where}[{i}]")
            return value
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise self.fail(where, f"JSON keys are strings, got {key!r}: quote it")
                self.json(item, f"{where}{render_segment(key, first=False)}")
            return value
        raise self.fail(where, f"{value!r} is a YAML {type(value).__name__}, not a JSON value: quote it")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    kind = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}.get(type(value))
    if kind is None:
        kind = "a number" if isinstance(value, int | float) else f"a {type(value).__name__}"
    text = repr(value)
    return f"{kind} ({text[:40]}{'...' if len(text) > 40 else ''})"


# --- paths -----------------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")
_PATH_TOKEN = re.compile(
    r"""\.?(?P<key>[A-Za-z_$*][A-Za-z0-9_$*-]*)|\[(?:(?P<index>\d+)|(?P<star>\*)|(?P<quoted>"(?:[^"\\]|\\.)*"))\]"""
)


def parse_path(text: str) -> tuple[Segment, ...]:
    """`exchanges[2].response.body.data[*]["a.b"]` -> ("exchanges", 2, "response", "body", "data", "*", "a.b").

    A key may be `*` (any key); an index `[*]` (any index); keys that are not identifiers
    are written as JSON strings in brackets."""
    segments: list[Segment] = []
    pos = 0
    while pos < len(text):
        match = _PATH_TOKEN.match(text, pos)
        if (
            match is None
            or (match.group(0).startswith(".") and pos == 0)
            or (match.group("key") is not None and pos > 0 and not match.group(0).startswith("."))
        ):
            raise ValueError(f"cannot read the path {text!r} at {text[pos:]!r}")
        if match.group("key") is not None:
            key = match.group("key")
            if "*" in key and key != WILDCARD:
                raise ValueError(f"in {text!r}: `*` stands for a whole key, not part of one")
            segments.append(key)
        elif match.group("index") is not None:
            segments.append(int(match.group("index")))
        elif match.group("star") is not None:
            segments.append(WILDCARD)
        else:
            segments.append(json.loads(match.group("quoted")))
        pos = match.end()
    if not segments:
        raise ValueError("an empty path")
    return tuple(segments)


def render_segment(segment: Segment, *, first: bool) -> str:
    if isinstance(segment, int):
        return f"[{segment}]"
    if segment == WILDCARD:
        return segment if first else "[*]"
    if _IDENT.fullmatch(segment):
        return segment if first else f".{segment}"
    return f"[{json.dumps(segment)}]"


def render_path(segments: tuple[Segment, ...] | list[Segment]) -> str:
    """The inverse of `parse_path`."""
    return "".join(render_segment(s, first=i == 0) for i, s in enumerate(segments))
