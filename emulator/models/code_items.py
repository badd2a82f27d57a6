"""code_interpreter on the Responses API: the tool as a response echoes it, and its output item.

pydantic-ai `test_openai_responses_thinking_with_code_execution_tool.yaml` (api.openai.com,
2025-09): the tool is echoed as it was sent (`{"type": "code_interpreter", "container": {"type":
"auto"}}`, or a container's id); a `code_interpreter_call` item is `{"id": "ci_…", "type", "status",
"code", "container_id", "outputs"}`, `outputs` (`{"type": "logs", "logs"}`, `{"type": "image",
"url"}`, the image a `data:image/png;base64,…` URL as pydantic-ai issue #2391 shows it) null
unless the request included `code_interpreter_call.outputs`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .common import APIModel

#: The memory limits the service takes for a container (`ContainerAuto.memory_limit`).
MEMORY_LIMITS = ("1g", "4g", "16g", "64g")


class CodeInterpreterToolEcho(APIModel):
    type: Literal["code_interpreter"] = "code_interpreter"
    #: A container's id, or `{"type": "auto", "file_ids"?, "memory_limit"?}` as it was sent.
    container: str | dict[str, Any]


class CodeLogsOutput(APIModel):
    type: Literal["logs"] = "logs"
    logs: str


class CodeImageOutput(APIModel):
    type: Literal["image"] = "image"
    url: str


CodeOutput = Annotated[CodeLogsOutput | CodeImageOutput, Field(discriminator="type")]


class CodeInterpreterCallItem(APIModel):
    id: str
    type: Literal["code_interpreter_call"] = "code_interpreter_call"
    status: Literal["in_progress", "interpreting", "completed", "incomplete", "failed"] = "completed"
    code: str | None = None
    container_id: str
    outputs: list[CodeOutput] | None = None
