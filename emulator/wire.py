"""Who reads an API object: the shape of the API (openai, azure, foundry) and the channel (a REST
answer or a stream event). The real service writes a few fields only for some of them, as its
recorded traffic shows (../shared/recordings, copied where tests need it):

- messages carry `status`, `incomplete_details`, `incomplete_at`, `completed_at` in stream events
  only; REST answers (create, retrieve, list, modify) leave them out (ruby-openai
  `messages_retrieve.yml` and `runs_streamed_create.yml`, 2024-04-29; azure-openai
  `FunctionToolsWork.json`; azure-ai-agents `test_create_stream.json`, 2025);
- `reasoning_effort: null` is on OpenAI's assistants and runs (ruby-openai
  `run_steps_retrieve_*_setup.yml`, 2025-03-14), not on Azure OpenAI's (`StreamingToolCall.json`,
  2025-01-22) nor on Foundry's (azure-ai-agents, 2025-04 to 2025-08);
- a Foundry run's or step's usage has `prompt_token_details` (azure-ai-agents, 2025);
- stream events of threads and runs show `tool_resources.code_interpreter: {file_ids: []}` even
  when unset (`Sparse.STREAM_DEFAULTS` of `ToolResources`; ruby-openai `runs_streamed_create.yml`,
  azure-openai `StreamingToolCall.json`).

The dispatcher sets the reader for each request (`reading(shape)`); a run's stream keeps the
shape it was opened on and writes its events with `reading(shape, stream=True)`. Objects
written outside a request (the admin API, the inspector) are read as OpenAI REST answers.
Models say which fields depend on the reader (`models.common.Shaped`, `Sparse`).
"""

from __future__ import annotations

from contextvars import ContextVar

#: (shape, stream): the reader of the objects written now.
READER: ContextVar[tuple[str, bool]] = ContextVar("assistants_emulator_reader", default=("openai", False))


class reading:  # lower case: used as a function, `with reading("foundry", stream=True): ...`
    """`READER` is (`shape`, `stream`) in this block (no shape: the OpenAI one)."""

    __slots__ = ("reader", "_token")

    def __init__(self, shape: str | None, *, stream: bool = False) -> None:
        self.reader = (shape or "openai", stream)

    def __enter__(self) -> None:
        self._token = READER.set(self.reader)

    def __exit__(self, *exc: object) -> None:
        READER.reset(self._token)


def shape() -> str:
    """The shape of the request being answered ("openai" outside one)."""
    return READER.get()[0]
