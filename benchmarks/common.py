"""Shared pieces of the benchmarks: interleaved timing, medians, the floor transport, machine
information and table printing.

Absolute times vary on shared machines; ratios measured side by side in one run hold. So every
measurement times the emulator and its floor in alternating rounds (A B A B ...) and reports
the median of each and their ratio.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from emulator import Emulator, create_app
from emulator.clients import IN_PROCESS_BASE, in_process_client
from emulator.transport import sdk_http_module

# the SDK marks every Assistants call deprecated; the benchmarks do not care
warnings.filterwarnings("ignore", category=DeprecationWarning)


@dataclass
class Profile:
    """How long to measure: `quick` is a smoke run, `default` the real one."""

    name: str
    rounds: int  # A/B rounds per measurement
    calls: int  # calls per round (per-request measurements)
    lifecycles: int  # lifecycles per round
    scale_sizes: tuple[int, ...]
    server_seconds: float
    code_runs: int
    stream_words: int
    stream_rounds: int
    fixture_tests: int
    fixture_rounds: int
    soak_rounds: int  # message + run rounds per soak client (50 clients)
    lifecycle_rounds: int  # A/B rounds of the lifecycle (its ratio sits nearest its target)


PROFILES = {
    "default": Profile("default", 7, 300, 20, (100, 10_000, 100_000), 4.0, 7, 3000, 5, 1000, 3, 20, 15),
    "quick": Profile("quick", 3, 60, 4, (100, 10_000), 1.0, 3, 600, 3, 200, 1, 2, 3),
}


# --- timing --------------------------------------------------------------------------------


def per_call(fn: Callable[[], Any], n: int) -> float:
    """Seconds per call of `fn`, over `n` calls."""
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


class Timings(dict[Any, float]):
    """Median seconds per call of each variant, and every round's time (`samples`)."""

    samples: dict[Any, list[float]]

    def ratio(self, a: Any, b: Any) -> float:
        """The median over rounds of a's time over b's in the same round: a slower spell of a
        shared machine slows both sides of a round, so it cancels where medians of each side
        apart do not (on this project's machines they drift by ±20% from run to run)."""
        return statistics.median(x / y for x, y in zip(self.samples[a], self.samples[b], strict=True))


_held_pages: list[type] = []


def hold_sdk_page_classes() -> None:
    """Keep the SDK's page classes alive for the rest of the run (both sides of every table).

    The SDK parametrizes its page class on each list call (`SyncCursorPage[Message]`), and
    pydantic keeps parametrized classes only weakly: when a garbage collection ran since the
    previous list call, the next one re-creates the class, about 4 ms of the SDK's time. Where
    collections land follows the count of allocations, so in a loop of identical lifecycles
    it is a lottery that any change of code shifts: one change that made the emulator faster
    moved the unheld lifecycle from 1.46× to 1.54×, held 1.45× either way. Held, a table times
    what each side does, not where the collector happens to run."""
    if _held_pages:
        return
    from openai.pagination import SyncCursorPage
    from openai.types.beta import Assistant
    from openai.types.beta.threads import Message, Run
    from openai.types.beta.threads.runs import RunStep

    _held_pages.extend(SyncCursorPage[item] for item in (Assistant, Message, Run, RunStep))


def interleaved(
    variants: dict[str, Callable[[], Any]],
    rounds: int,
    n: int,
    warmup: int = 3,
    before_round: dict[str, Callable[[], Any]] | None = None,
) -> Timings:
    """Median seconds per call of each variant, timed in alternating rounds (A B A B ...);
    `before_round[name]`, if given, runs (untimed) before each of that variant's rounds."""
    hold_sdk_page_classes()
    for fn in variants.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    gc.collect()
    for r in range(rounds):
        # alternate the order too, so neither side always runs first in a round
        names = list(variants) if r % 2 == 0 else list(reversed(variants))
        for name in names:
            if before_round and name in before_round:
                before_round[name]()
            samples[name].append(per_call(variants[name], n))
    timings = Timings({name: statistics.median(values) for name, values in samples.items()})
    timings.samples = samples
    return timings


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# --- the emulator and the floor ------------------------------------------------------------


def emulator_client(**options: Any) -> tuple[Emulator, Any]:
    """An emulator and the client the `openai_client` fixture would give (in-process)."""
    emu = Emulator(**options)
    client = in_process_client(create_app(emu))
    return emu, client


@dataclass
class Canned:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Recorder:
    """Wraps a transport and keeps every response (status, headers, body), in order."""

    inner: Any
    responses: list[Canned] = field(default_factory=list)
    on: bool = True

    def handle_request(self, request: Any) -> Any:
        response = self.inner.handle_request(request)
        if not self.on:
            return response
        body = b"".join(response.stream)
        response.stream.close()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length",)]
        self.responses.append(Canned(response.status_code, headers, body))
        http = sdk_http_module()
        return http.Response(response.status_code, headers=headers, content=body, request=request)

    def close(self) -> None:
        pass


def recording_client(**options: Any) -> tuple[Emulator, Any, Recorder, Any]:
    """An in-process client whose responses are recorded (to be replayed by the floor), and a
    plain in-process client (what the fixture gives) on the same emulator, to be timed."""
    import openai

    from emulator.transport import sync_transport

    emu = Emulator(**options)
    app = create_app(emu)
    http = sdk_http_module()
    recorder = Recorder(sync_transport(app, http))

    class _Transport(http.BaseTransport):  # type: ignore[name-defined, misc]
        def handle_request(self, request: Any) -> Any:
            return recorder.handle_request(request)

    client = openai.OpenAI(
        api_key="sk-emulator-test",
        base_url=f"{IN_PROCESS_BASE}/v1",
        http_client=http.Client(transport=_Transport(), trust_env=False),
    )
    return emu, client, recorder, in_process_client(app)


def floor_client(responses: list[Canned]) -> Any:
    """An SDK client answered by a canned-JSON `MockTransport`: the responses are replayed in
    order (cyclically). Its cost is what the SDK itself costs (building the request, the HTTP
    client, parsing the JSON into its models)."""
    import openai

    http = sdk_http_module()
    state = {"i": 0}

    def handler(request: Any) -> Any:
        request.read()
        canned = responses[state["i"] % len(responses)]
        state["i"] += 1
        return http.Response(canned.status, headers=canned.headers, content=canned.body)

    client = openai.OpenAI(
        api_key="sk-emulator-test",
        base_url=f"{IN_PROCESS_BASE}/v1",
        http_client=http.Client(transport=http.MockTransport(handler), trust_env=False),
        max_retries=0,
    )
    client._floor_state = state  # type: ignore[attr-defined]
    return client


def reset_floor(client: Any) -> None:
    client._floor_state["i"] = 0


# --- machine -------------------------------------------------------------------------------


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def machine_info() -> str:
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or "?"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    load = ""
    if hasattr(os, "getloadavg"):
        load = f" load {os.getloadavg()[0]:.2f}"
    versions = ", ".join(
        f"{name} {_version(name)}" for name in ("openai", "httpx2", "pydantic", "flask", "werkzeug", "cheroot")
    )
    return (
        f"machine: {usable} cores ({os.cpu_count()} online), {model}{load}; "
        f"Python {platform.python_version()}; {versions}"
    )


# --- tables --------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def verdict(value: float, target: float | None, higher_is_better: bool = False) -> str:
    if target is None:
        return "-"
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


@dataclass
class Row:
    name: str
    emulator: str
    floor: str
    ratio: str
    target: str
    result: str


def row(name: str, emu: float, floor: float, target: float | None, ratio: float | None = None) -> Row:
    """A row comparing two times: ratio emulator/floor (or the `ratio` given, e.g. the median of
    paired rounds' ratios) against an upper target."""
    if ratio is None:
        ratio = emu / floor if floor else float("inf")
    return Row(
        name,
        fmt_time(emu),
        fmt_time(floor),
        f"{ratio:.2f}×",
        f"≤ {target:g}×" if target is not None else "-",
        verdict(ratio, target),
    )


def table(title: str, rows: list[Row], notes: list[str] | None = None) -> str:
    header = Row("measurement", "emulator", "floor", "ratio", "target", "result")
    cells = [header, *rows]
    cols = list(zip(*[(r.name, r.emulator, r.floor, r.ratio, r.target, r.result) for r in cells], strict=True))
    widths = [max(len(c) for c in col) for col in cols]

    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [f"## {title}", machine_info(), ""]
    out.append(line((header.name, header.emulator, header.floor, header.ratio, header.target, header.result)))
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        out.append(line((r.name, r.emulator, r.floor, r.ratio, r.target, r.result)))
    for note in notes or []:
        out.append(f"  note: {note}")
    return "\n".join(out) + "\n"
