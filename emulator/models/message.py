"""The message object (`object: "thread.message"`) and its content parts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import APIModel, AttachmentTool, Metadata, Shaped, Sparse


class FileCitation(APIModel):
    file_id: str


class FileCitationAnnotation(APIModel):
    """Keys in the service's order (a v2 message of openai-php/client#405, 2024-05: type, text,
    start_index, end_index, file_citation with `file_id` alone)."""

    type: Literal["file_citation"] = "file_citation"
    text: str
    start_index: int
    end_index: int
    file_citation: FileCitation


class FilePath(APIModel):
    file_id: str


class FilePathAnnotation(APIModel):
    type: Literal["file_path"] = "file_path"
    text: str
    file_path: FilePath
    start_index: int
    end_index: int


class UrlCitation(APIModel):
    url: str
    title: str


class UrlCitationAnnotation(APIModel):
    """A grounding source cited (Foundry's Bing tools)."""

    type: Literal["url_citation"] = "url_citation"
    text: str
    url_citation: UrlCitation
    start_index: int
    end_index: int


Annotation = Annotated[FileCitationAnnotation | FilePathAnnotation | UrlCitationAnnotation, Field(discriminator="type")]


class Text(APIModel):
    value: str
    annotations: list[Annotation] = Field(default_factory=list)


class TextContent(APIModel):
    type: Literal["text"] = "text"
    text: Text


class ImageFile(Sparse):
    """`detail` is echoed for images a user sent; images the code_interpreter made carry
    only `file_id` (as in the Azure tutorial's printed messages)."""

    file_id: str
    detail: Literal["auto", "low", "high"] | None = "auto"


class ImageFileContent(APIModel):
    type: Literal["image_file"] = "image_file"
    image_file: ImageFile


class ImageURL(APIModel):
    url: str
    detail: Literal["auto", "low", "high"] = "auto"


class ImageURLContent(APIModel):
    type: Literal["image_url"] = "image_url"
    image_url: ImageURL


class RefusalContent(APIModel):
    type: Literal["refusal"] = "refusal"
    refusal: str


MessageContent = Annotated[
    TextContent | ImageFileContent | ImageURLContent | RefusalContent, Field(discriminator="type")
]


class Attachment(APIModel):
    file_id: str
    tools: list[AttachmentTool] = Field(default_factory=list)


class IncompleteDetails(APIModel):
    reason: Literal["content_filter", "max_tokens", "run_cancelled", "run_expired", "run_failed"]


class Message(Shaped):
    """Keys in the order of the real service's stream events (ruby-openai `runs_streamed_create.yml`,
    2024-04-29; azure-ai-agents `test_create_stream.json`, 2025-04-28). REST answers leave out
    `status`, `incomplete_details`, `incomplete_at` and `completed_at` (`messages_retrieve.yml`,
    `FunctionToolsWork.json`, `test_code_interpreter_tool.json`; `emulator/wire.py`)."""

    STREAM_ONLY = ("status", "incomplete_details", "incomplete_at", "completed_at")

    id: str
    object: Literal["thread.message"] = "thread.message"
    created_at: int
    assistant_id: str | None = None
    thread_id: str
    run_id: str | None = None
    status: Literal["in_progress", "incomplete", "completed"] = "completed"
    incomplete_details: IncompleteDetails | None = None
    incomplete_at: int | None = None
    completed_at: int | None = None
    role: Literal["user", "assistant"]
    content: list[MessageContent] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=dict)
