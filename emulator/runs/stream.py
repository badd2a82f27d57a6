"""A run's stream: the engine's events, reshaped into the events the real service streams.

The engine emits whole objects as a run moves (`thread.message.created` with its final
content, `thread.run.step.created` with its tool calls). The real stream shows them
arriving: a message is created `in_progress` with empty content, its content comes as
`thread.message.delta` chunks, then `thread.message.completed` has it all; a tool_calls step
is created with no calls, which come as `thread.run.step.delta` (function arguments and
code_interpreter input in pieces, then the code's outputs). `RunStream` does that reshaping
for one run, and queues the wire events for the HTTP response (see routes/runs.py), which
ends after the event that puts the run at rest (`requires_action`, or a terminal status)
with `done` / `[DONE]`.

Text is cut into deltas by the model's `chunking` policy: `"words"` (the default: each
word with the spaces before the next), `"whole"` (one delta), or a number of characters.
An annotation's text is never cut: the chunk holding it carries the annotation. The
deltas of a content part always concatenate to its final text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import wire
from ..jsonbody import event_data
from ..models.run import TERMINAL_STATUSES
from ..streams import EventQueue
from .search_tool import delta_annotation, without_contents

#: Run events after which the stream ends (the run waits for the client, or is over).
RESTING = frozenset({"requires_action"} | set(TERMINAL_STATUSES))


def chunks(text: str, policy: Any = "words", keep: list[tuple[int, int]] | None = None) -> list[tuple[int, str]]:
    """(offset, piece) pieces of `text` under a chunking policy; no piece boundary falls
    inside a span of `keep` (annotation texts)."""
    if not text:
        return []
    if policy == "whole" or policy is None:
        bounds = [0]
    elif isinstance(policy, int) and not isinstance(policy, bool) and policy > 0:
        bounds = list(range(0, len(text), policy))
    else:  # words
        bounds = [0] + [m.start() for m in re.finditer(r"(?<=\s)(?=\S)", text)]
    for start, end in keep or ():
        bounds = [b for b in bounds if not start < b < end]
    bounds = sorted(set(bounds) | {0})
    ends = bounds[1:] + [len(text)]
    return [(b, text[b:e]) for b, e in zip(bounds, ends, strict=True) if e > b]


def check_chunking(policy: Any) -> Any:
    if policy in (None, "words", "whole") or (isinstance(policy, int) and not isinstance(policy, bool) and policy > 0):
        return policy
    raise ValueError(f"chunking must be 'words', 'whole' or a positive number of characters, not {policy!r}")


class RunStream(EventQueue):
    """The wire events of one streamed run, produced as the engine moves it."""

    def __init__(self, run_id: str, thread_id: str, chunking: Any = "words", *, contents: bool = False) -> None:
        super().__init__()
        self.run_id = run_id
        self.thread_id = thread_id
        #: file_search results carry their text only when the request asked (`include[]`)
        self.contents = contents
        self.chunking = chunking
        #: The shape of the request that opened the stream: its events are written for it, as
        #: stream events (`emulator/wire.py`), whichever request moves the run.
        self.shape = wire.shape()

    # --- producing (under the emulator's lock, from whichever request moves the run) --------

    def send(self, event: str, data: Any) -> None:
        if self.closed:
            return
        if not isinstance(data, str):
            with wire.reading(self.shape, stream=True):
                data = event_data(data)
        self._put((event, data))

    def __call__(self, event: str, obj: Any) -> None:
        """The engine's listener."""
        if self.closed:
            return
        kind = event.rsplit(".", 1)[0]
        if kind == "thread.message" and event != "thread.message.delta":
            self._message(event, obj)
        elif kind == "thread.run.step":
            self._step(event, obj)
        else:
            self.send(event, obj)
        if kind == "thread.run" and getattr(obj, "status", None) in RESTING:
            self.end()

    def error(self, message: str) -> None:
        """The server failed while streaming: an `error` event, then the end."""
        error = {"message": message, "type": "server_error", "param": None, "code": "server_error"}
        self.send("error", {"error": error})
        self.end()

    # --- consuming (by the HTTP response, outside the lock) ------------------------------

    def events(self, timeout: float | None = None) -> Iterator[tuple[str, str]]:
        """(event, data) until the run rests; then ("done", "[DONE]")."""
        yield from self._items(timeout)
        yield "done", "[DONE]"

    # --- reshaping ----------------------------------------------------------------------

    def _message(self, event: str, message: Any) -> None:
        if event in ("thread.message.created", "thread.message.in_progress"):
            empty = message.model_copy(update={"status": "in_progress", "content": [], "attachments": [],
                                               "completed_at": None, "incomplete_at": None,
                                               "incomplete_details": None})  # fmt: skip
            self.send(event, empty)
            return
        for index, part in enumerate(message.content):
            for delta in self._content_deltas(index, part):
                self.send("thread.message.delta", {"id": message.id, "object": "thread.message.delta",
                                                   "delta": {"content": [delta]}})  # fmt: skip
        self.send(event, message)

    def _content_deltas(self, index: int, part: Any) -> list[dict[str, Any]]:
        if part.type != "text":
            return [{"index": index, **part.model_dump(mode="json")}]
        text = part.text.value
        annotations = [delta_annotation(a.model_dump(mode="json")) for a in part.text.annotations]
        spans = [(a["start_index"], a["end_index"]) for a in annotations]
        deltas = []
        for n, (offset, piece) in enumerate(chunks(text, self.chunking, spans)):
            inside = [(k, a) for k, a in enumerate(annotations) if offset <= a["start_index"] < offset + len(piece)]
            body: dict[str, Any] = {"value": piece}
            if n == 0 or inside:
                body["annotations"] = [{"index": k, **a} for k, a in inside]
            deltas.append({"index": index, "type": "text", "text": body})
        return deltas

    def _step(self, event: str, step: Any) -> None:
        if not self.contents:
            step = without_contents(step)
        details = step.step_details
        if details.type != "tool_calls":
            self.send(event, step)
            return
        if event in ("thread.run.step.created", "thread.run.step.in_progress"):
            self.send(event, step.model_copy(update={"step_details": details.model_copy(update={"tool_calls": []})}))
            if event == "thread.run.step.in_progress":
                for delta in self._call_deltas(details.tool_calls):
                    self._step_delta(step.id, delta)
            return
        if event == "thread.run.step.completed":
            for index, call in enumerate(details.tool_calls):
                if call.type == "code_interpreter":
                    for n, output in enumerate(call.code_interpreter.outputs):
                        self._step_delta(step.id, {"index": index, "type": "code_interpreter", "code_interpreter": {
                            "outputs": [{"index": n, **output.model_dump(mode="json")}]}})  # fmt: skip
        self.send(event, step)

    def _call_deltas(self, calls: list[Any]) -> Iterator[dict[str, Any]]:
        for index, call in enumerate(calls):
            if call.type == "function":
                yield {"index": index, "id": call.id, "type": "function",
                       "function": {"name": call.function.name, "arguments": "", "output": None}}  # fmt: skip
                for _offset, piece in chunks(call.function.arguments, self.chunking):
                    yield {"index": index, "type": "function", "function": {"arguments": piece}}
            elif call.type == "code_interpreter":
                yield {"index": index, "id": call.id, "type": "code_interpreter",
                       "code_interpreter": {"input": "", "outputs": []}}  # fmt: skip
                for _offset, piece in chunks(call.code_interpreter.input, self.chunking):
                    yield {"index": index, "type": "code_interpreter", "code_interpreter": {"input": piece}}
            elif call.type == "file_search":
                yield {"index": index, "id": call.id, "type": "file_search", "file_search": {}}
            elif call.type == "mcp":  # RunStepDeltaMcpToolCall: the arguments only
                yield {"index": index, "id": call.id, "type": "mcp", "arguments": call.arguments}
            else:
                yield {"index": index, **call.model_dump(mode="json")}

    def _step_delta(self, step_id: str, call_delta: dict[str, Any]) -> None:
        self.send("thread.run.step.delta", {"id": step_id, "object": "thread.run.step.delta",
                                            "delta": {"step_details": {"type": "tool_calls",
                                                                       "tool_calls": [call_delta]}}})  # fmt: skip
