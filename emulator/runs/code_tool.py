"""The code_interpreter tool inside a run: what the code can read, what its execution leaves
behind (images and files of purpose `assistants_output`), and how replies link them.

- Files the code can read: the run's (the assistant's, or thread-and-run's)
  `tool_resources.code_interpreter.file_ids`, the thread's, and the thread's message
  attachments with the code_interpreter tool; each at `/mnt/data/<file_id>`.
- Images: each figure open at the end of a cell (or shown with `plt.show()`) becomes a PNG
  file; the next assistant message starts with one `image_file` block per image.
- Written files: each file the cell created or changed under /mnt/data becomes a file named
  `/mnt/data/<name>`; a reply that links it as `sandbox:/mnt/data/<name>` gets a `file_path`
  annotation over exactly that text, and the file as an attachment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scripted_models.base import CodeFile, CodeRun

from ..models.common import CodeInterpreterTool
from ..models.message import Attachment, FilePath, FilePathAnnotation
from ..models.run_step import CodeImage, CodeImageFile, CodeInterpreterCall, CodeInterpreterToolCall, CodeLogs
from ..sandbox.sessions import Execution, InputFile

if TYPE_CHECKING:
    from ..domain import Backend
    from ..models.run import Run

# Fix: a backtick ends a link too (`sandbox:/mnt/data/x.csv` in inline code used to find no file).
_LINK = re.compile(r"sandbox:/mnt/data/([^\s)\]\"'<>`]+)")


def code_files(backend: Backend, run: Run) -> list[CodeFile]:
    """The files the run's code can read, each once, in a stable order."""
    ns = backend.ns
    ids: list[str] = []
    for resources in (run.resources, ns.threads.get(run.thread_id).tool_resources):
        if resources.code_interpreter is not None:
            ids.extend(resources.code_interpreter.file_ids)
    messages = ns.messages.get(run.thread_id)
    for message in messages.values() if messages is not None else ():
        for attachment in message.attachments:
            if any(t.type == "code_interpreter" for t in attachment.tools):
                ids.append(attachment.file_id)
    found, seen = [], set()
    for file_id in ids:
        file = ns.files.get(file_id)
        if file is None or file_id in seen or file_id not in ns.file_contents:
            continue
        seen.add(file_id)
        found.append(CodeFile(file_id=file_id, filename=file.filename))
    return found


def inputs(backend: Backend, files: list[CodeFile]) -> list[InputFile]:
    return [InputFile(f.file_id, f.filename, backend.ns.file_contents[f.file_id]) for f in files]


def pending_call(call_id: str, code: str) -> CodeInterpreterToolCall:
    return CodeInterpreterToolCall(id=call_id, code_interpreter=CodeInterpreterCall(input=code, outputs=[]))


def record(backend: Backend, run: Run, call_id: str, code: str, execution: Execution) -> tuple[Any, CodeRun]:
    """Store what the cell produced as files; the finished tool call and the model's view of it."""
    ns = backend.ns
    history = ns.code_runs.setdefault(run.thread_id, [])
    image_ids = []
    for png in execution.images:
        count = sum(len(r.images) for r in history) + len(image_ids) + 1
        image = backend.files.store(filename=f"code_interpreter_image_{count}.png", content=png,
                                    purpose="assistants_output")  # fmt: skip
        image_ids.append(image.id)
    written = []
    outputs = ns.code_outputs.setdefault(run.thread_id, {})
    for name, data in execution.files:
        file = backend.files.store(filename=f"/mnt/data/{name}", content=data, purpose="assistants_output")
        outputs[name] = file.id
        written.append((name, file.id))
    results: list[Any] = [CodeLogs(logs=execution.logs)] if execution.logs else []
    results += [CodeImage(image=CodeImageFile(file_id=i)) for i in image_ids]
    call = CodeInterpreterToolCall(id=call_id, code_interpreter=CodeInterpreterCall(input=code, outputs=results))
    seen = CodeRun(code=code, logs=execution.logs, images=tuple(image_ids), files=tuple(written),
                   failed=execution.error is not None, run_id=run.id)  # fmt: skip
    history.append(seen)
    return call, seen


def links(backend: Backend, thread_id: str, text: str) -> tuple[list[FilePathAnnotation], list[Attachment]]:
    """file_path annotations for every `sandbox:/mnt/data/NAME` link to a file the code wrote."""
    outputs = backend.ns.code_outputs.get(thread_id) or {}
    annotations, attachments, attached = [], [], set()
    for match in _LINK.finditer(text):
        name = match.group(1).rstrip(".,;:!?")
        file_id = outputs.get(name)
        if file_id is None:
            continue
        end = match.start() + len("sandbox:/mnt/data/") + len(name)
        annotations.append(FilePathAnnotation(text=text[match.start() : end], file_path=FilePath(file_id=file_id),
                                              start_index=match.start(), end_index=end))  # fmt: skip
        if file_id not in attached:
            attached.add(file_id)
            attachments.append(Attachment(file_id=file_id, tools=[CodeInterpreterTool()]))
    return annotations, attachments
