"""code_interpreter on the Responses API: the tool, its `code_interpreter_call` items, and the
container files a reply cites.

- The tool: `{"type": "code_interpreter", "container": "cntr_…"}` names a container (404 if there is
  none, the service's 400 if it expired), `{"container": {"type": "auto", "file_ids"?,
  "memory_limit"?}}` asks for one: the container of the latest `code_interpreter_call` in the
  response's context (its chain or conversation) while it is running, as OpenAI's guide says
  ("reuse an active container that was used by a previous code_interpreter_call item in the
  model's context"), else a new one, made when the model first runs code, with a copy of the
  files at /mnt/data/<filename>. On a Foundry project (dialect "project") a tool without `container`
  is `auto`, as the service assumes.
- A cell is a `code_interpreter_call` item: `output_item.added` (in_progress), `.in_progress`,
  the code in `code_interpreter_call_code.delta`... and `.done`, `.interpreting`, then the cell
  runs in the container (`domain/containers.py`: the same sandbox, limits and warm fork as a
  thread's session) and `.completed`, `output_item.done`; the model is asked again. Its
  `outputs` are the logs and each figure as a `data:image/png;base64,…` URL, shown only with
  `include=["code_interpreter_call.outputs"]`. Code that raises completes with the traceback in
  its logs (as on Assistants); a sandbox limit (time, memory) ends the call `failed` with the
  limit's message in its logs, and the model is asked again; a sandbox that died or cannot run
  fails the response.
- Files the code writes are container files; a reply's link `sandbox:/mnt/data/<name>` to one
  gets a `container_file_citation` {container_id, file_id, filename, start_index, end_index}
  over the link, and the file downloads at `GET /containers/{id}/files/{file_id}/content`.
- What the model sees: every call in the context as a `CodeRun` (its images, written files and
  failure kept in `ns.code_runs` under the item's id), the container's files as `code_files`.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scripted_models.base import CodeFile, CodeRun, ModelInput

from .. import errors, validation
from ..agent import code as agent_code
from ..agent import limits, tokens
from ..agent.loop import AGAIN, DONE, Failure
from ..domain.containers import MOUNT
from ..models.code_items import (
    MEMORY_LIMITS,
    CodeImageOutput,
    CodeInterpreterCallItem,
    CodeInterpreterToolEcho,
    CodeLogsOutput,
)
from ..runs.stream import chunks
from ..sandbox import SandboxUnavailable
from . import compaction, context, state_machine

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.response import Response
    from .turn import ResponseTurn

INCLUDE = "code_interpreter_call.outputs"
_LINK = re.compile(r"sandbox:/mnt/data/([^\s)\]\"'<>`]+)")


@dataclasses.dataclass(frozen=True)
class ContainerCodeFile(CodeFile):
    """A file the code reads in a container: at /mnt/data/<its name>, not <its id>."""

    @property
    def path(self) -> str:
        return MOUNT + self.filename


# --- the tool -------------------------------------------------------------------------------------


def parse_tool(raw: dict[str, Any], param: str, backend: Backend) -> CodeInterpreterToolEcho:
    """The tool as the response echoes it, or the service's 4xx for its container."""
    container = raw.get("container")
    where = f"{param}.container"
    if container is None and validation.DIALECT.get() == "project":
        # "If not provided, the service assumes auto" (azure-ai-projects 2.10 CodeInterpreterTool.container; Azure's
        # sample_agent_code_interpreter.py defines its agent with CodeInterpreterTool())
        container = {"type": "auto"}
    if container is None:
        raise errors.missing_parameter(where)
    if isinstance(container, str):
        backend.containers.require_running(container, param=where)
        return CodeInterpreterToolEcho(container=container)
    if not isinstance(container, dict):
        raise errors.invalid_type(where, "a string or an object", type(container).__name__)
    if container.get("type") != "auto":
        raise errors.invalid_value(f"{where}.type", container.get("type"), ["auto"])
    file_ids = container.get("file_ids")
    if file_ids is not None:
        if not isinstance(file_ids, list) or not all(isinstance(f, str) for f in file_ids):
            raise errors.invalid_type(f"{where}.file_ids", "an array of strings", type(file_ids).__name__)
        for file_id in file_ids:
            backend.files.require(file_id, f"{where}.file_ids")
    memory = container.get("memory_limit")
    if memory is not None and memory not in MEMORY_LIMITS:
        raise errors.invalid_value(f"{where}.memory_limit", memory, list(MEMORY_LIMITS))
    echoed = {k: container[k] for k in ("type", "file_ids", "memory_limit", "network_policy") if k in container}
    return CodeInterpreterToolEcho(container=echoed)


def tool_of(response: Response) -> CodeInterpreterToolEcho | None:
    return next((t for t in response.tools if isinstance(t, CodeInterpreterToolEcho)), None)


def _calls(items: Sequence[Any]) -> list[CodeInterpreterCallItem]:
    """The code_interpreter calls of `items` (compacted ones too), oldest first."""
    return [i for i in compaction.expanded(items) if isinstance(i, CodeInterpreterCallItem)]


def _running(backend: Backend, container_id: str) -> bool:
    """Whether the container exists and has not expired (looking is not activity: only running code is)."""
    container = backend.ns.containers.get(container_id)
    return (container is not None and container.status == "running"
            and backend.emulator.clock.now() - container.last_active_at < container.idle_seconds())  # fmt: skip


def container_of(backend: Backend, tool: CodeInterpreterToolEcho, items: Sequence[Any]) -> str | None:
    """The container the tool's code runs in: the one it names, or (auto) the running container of the
    latest call in `items`; None when an auto tool has none yet."""
    if isinstance(tool.container, str):
        return tool.container
    for call in reversed(_calls(items)):
        if _running(backend, call.container_id):
            return call.container_id
    return None


# --- what the model sees --------------------------------------------------------------------------


def shown_to_model(backend: Backend, response: Response, items: Sequence[Any], model_input: ModelInput,
                   prompt: int, *, own: Sequence[Any]) -> tuple[ModelInput, int]:  # fmt: skip
    """`model_input` with the context's code runs and the files the code can read (and their tokens)."""
    tool = tool_of(response)
    calls = _calls(items) if tool is not None or context.hosted(items) else []
    if not calls and tool is None:
        return model_input, prompt
    runs = tuple(_seen(backend, call, response.id, own=call in own) for call in calls)
    files = _files(backend, tool, items) if tool is not None else ()
    prompt += sum(tokens.count(r.code) + tokens.count(r.logs) for r in runs)
    return dataclasses.replace(model_input, code_runs=runs, code_files=files), prompt


def _seen(backend: Backend, call: CodeInterpreterCallItem, response_id: str, *, own: bool) -> CodeRun:
    kept = backend.ns.code_runs.get(call.id)
    if kept:
        return dataclasses.replace(kept[0], run_id=response_id if own else kept[0].run_id)
    # a call the app sent back from elsewhere: what its item shows
    logs = "".join(o.logs for o in call.outputs or () if isinstance(o, CodeLogsOutput))
    return CodeRun(code=call.code or "", logs=logs, failed=call.status == "failed", run_id="")


def _files(backend: Backend, tool: CodeInterpreterToolEcho, items: Sequence[Any]) -> tuple[CodeFile, ...]:
    container = container_of(backend, tool, items)
    if container is not None:
        if not _running(backend, container):
            return ()
        return tuple(ContainerCodeFile(f.id, f.path[len(MOUNT) :]) for f in backend.containers.files_of(container)
                     if f.path.startswith(MOUNT))  # fmt: skip
    found = []
    for file_id in tool.container.get("file_ids") or () if isinstance(tool.container, dict) else ():
        file = backend.ns.files.get(file_id)
        if file is not None:
            found.append(ContainerCodeFile(file_id, file.filename.rsplit("/", 1)[-1]))
    return tuple(found)


# --- a cell ---------------------------------------------------------------------------------------


def run(turn: ResponseTurn, code: str, prompt: int) -> str:
    """The model runs `code`: a code_interpreter_call item, the cell run in the container; AGAIN (the model
    is asked again) or DONE (the response failed)."""
    engine, state = turn.engine, turn.state
    backend = engine.backend
    tool = tool_of(turn.response)
    if tool is None:
        return turn.finish(failure=Failure("server_error", f"Scripted model '{turn.model}' ran code, but the "
                                           "response has no code_interpreter tool."), prompt=prompt)  # fmt: skip
    too_many = limits.exceeded("code", len(_calls(turn.output)), "response")
    if too_many:
        return turn.finish(failure=Failure("server_error", too_many), prompt=prompt)
    items = [*state.items, *turn.output]
    try:
        container_id = container_of(backend, tool, items)
        if container_id is None:
            auto = tool.container if isinstance(tool.container, dict) else {}
            container_id = backend.containers.create_auto(file_ids=auto.get("file_ids"),
                                                          memory_limit=auto.get("memory_limit")).id  # fmt: skip
        else:
            backend.containers.require_running(container_id)
    except errors.APIError as exc:  # the container expired (or went) since the request
        return turn.finish(failure=Failure("server_error", exc.message), prompt=prompt)
    turn._charge(prompt, tokens.count(code))
    emit = engine.emit
    item = CodeInterpreterCallItem(id=engine.new_id("code_interpreter_call"), status="in_progress", code="",
                                   container_id=container_id)  # fmt: skip
    index = turn._add(item)
    where = {"output_index": index, "item_id": item.id}
    emit(state, "response.output_item.added", output_index=index, item=item)
    emit(state, "response.code_interpreter_call.in_progress", **where)
    for _offset, piece in chunks(code, state.chunking) if state.heard else ():
        emit(state, "response.code_interpreter_call_code.delta", **where, delta=piece)  # no obfuscation in the spec
    emit(state, "response.code_interpreter_call_code.done", **where, code=code)
    turn._set(index, item.model_copy(update={"status": "interpreting", "code": code}))
    emit(state, "response.code_interpreter_call.interpreting", **where)
    try:
        cell = backend.containers.run_code(container_id, code)
    except (SandboxUnavailable, OSError, errors.APIError) as exc:
        message = exc.message if isinstance(exc, errors.APIError) else _unavailable(exc)
        return _failed(turn, index, where, message)
    if _gone(turn):
        return DONE
    if cell.limit == "crash":
        return _failed(turn, index, where, agent_code.CRASHED)
    outputs: list[Any] = [CodeLogsOutput(logs=cell.logs)] if cell.logs else []
    pngs = [backend.ns.file_contents.get(image.id, b"") for image in cell.images]
    outputs += [CodeImageOutput(url="data:image/png;base64," + base64.b64encode(png).decode()) for png in pngs]
    backend.ns.code_runs[item.id] = [CodeRun(
        code=code, logs=cell.logs, images=tuple(i.id for i in cell.images),
        files=tuple((f.path[len(MOUNT) :], f.id) for f in cell.files), failed=cell.error is not None or
        cell.limit is not None, run_id=turn.response.id)]  # fmt: skip
    done = item.model_copy(update={"status": "failed" if cell.limit else "completed", "code": code,
                                   "outputs": outputs})  # fmt: skip
    turn._set(index, done)
    emit(state, "response.code_interpreter_call.completed", **where)
    emit(state, "response.output_item.done", output_index=index, item=shown_item(done, state.include))
    return AGAIN


def _unavailable(exc: Exception) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, SandboxUnavailable):
        return f"The code_interpreter session could not run the code: {exc.strerror or exc}."
    return str(exc)


def _gone(turn: ResponseTurn) -> bool:
    """Whether the response was cancelled or deleted (or the emulator reset) while its cell ran: nothing
    more is written."""
    return state_machine.gone(turn.engine.ns, turn.response)


def _failed(turn: ResponseTurn, index: int, where: dict[str, Any], message: str) -> str:
    """The call ends failed and the response with it."""
    if _gone(turn):
        return DONE
    item = turn.output[index].model_copy(update={"status": "failed"})
    turn._set(index, item)
    turn.engine.emit(turn.state, "response.output_item.done", output_index=index, item=item)
    return turn.finish(failure=Failure("server_error", message))


# --- what answers show ----------------------------------------------------------------------------


def shown_item(item: Any, include: Any) -> Any:
    """A code_interpreter call as an answer shows it: its outputs only with `code_interpreter_call.outputs`."""
    if isinstance(item, CodeInterpreterCallItem) and item.outputs is not None and INCLUDE not in include:
        return item.model_copy(update={"outputs": None})
    return item


def citations(backend: Backend, items: Sequence[Any], text: str) -> list[dict[str, Any]]:
    """A `container_file_citation` for each `sandbox:/mnt/data/<name>` link of `text` to a file of a
    container the context's code ran in (the newest first)."""
    containers = list(dict.fromkeys(c.container_id for c in reversed(_calls(items))))
    if not containers:
        return []
    found = []
    for match in _LINK.finditer(text):
        name = match.group(1).rstrip(".,;:!?")
        file = next((f for c in containers for f in backend.containers.files_of(c) if f.path == MOUNT + name), None)
        if file is None:
            continue
        end = match.start() + len("sandbox:/mnt/data/") + len(name)
        found.append({"type": "container_file_citation", "container_id": file.container_id, "end_index": end,
                      "file_id": file.id, "filename": name.rsplit("/", 1)[-1], "start_index": match.start()})  # fmt: skip
    return found


def input_item(raw: dict[str, Any], param: str) -> CodeInterpreterCallItem:
    """An earlier code_interpreter call sent back as input (its outputs null unless the app had them)."""
    for key in ("id", "container_id"):
        if not isinstance(raw.get(key), str):
            raise errors.missing_parameter(f"{param}.{key}")
    code = raw.get("code")
    if code is not None and not isinstance(code, str):
        raise errors.invalid_type(f"{param}.code", "a string", type(code).__name__)
    outputs = raw.get("outputs")
    parsed: list[Any] | None = None
    if outputs is not None:
        if not isinstance(outputs, list) or not all(isinstance(o, dict) for o in outputs):
            raise errors.invalid_type(f"{param}.outputs", "an array of objects", type(outputs).__name__)
        parsed = []
        for n, output in enumerate(outputs):
            kind, value = output.get("type"), output.get("logs" if output.get("type") == "logs" else "url")
            if kind not in ("logs", "image"):
                raise errors.invalid_value(f"{param}.outputs[{n}].type", kind, ["logs", "image"])
            if not isinstance(value, str):
                raise errors.missing_parameter(f"{param}.outputs[{n}].{'logs' if kind == 'logs' else 'url'}")
            parsed.append(CodeLogsOutput(logs=value) if kind == "logs" else CodeImageOutput(url=value))
    statuses = ("in_progress", "interpreting", "completed", "incomplete", "failed")
    status = raw.get("status") if raw.get("status") in statuses else "completed"
    return CodeInterpreterCallItem(id=raw["id"], status=status, code=code, container_id=raw["container_id"],
                                   outputs=parsed)  # fmt: skip
