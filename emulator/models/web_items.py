"""web_search on the Responses API, and the tools the emulator cannot play, as responses show them.

web_search (pydantic-ai `test_openai_responses_model_web_search_tool.yaml`, api.openai.com, 2025-09):
the tool `{"type": "web_search", "search_context_size": "medium"}` is echoed with the service's
defaults filled in: `filters` null, `search_context_size` medium, `user_location` `{"type":
"approximate", "city": null, "country": "US", "region": null, "timezone": null}` (the United States
when not given, as the official types say); `web_search_preview` has no `filters` (its spec shape).
A `web_search_call` item is `{"id": "ws_…", "type", "status", "action"}`, the action `{"type":
"search", "query"}` (its `sources` only when the request includes `web_search_call.action.sources`),
`{"type": "open_page", "url"}` or `{"type": "find_in_page", "pattern", "url"}`.

The tools the emulator cannot play (computer use, image generation, shells, apply_patch, custom
tools) are echoed as the request gave them; their calls, which only a script makes, are items with
the fields the script gave (`CannedCallItem`), and the app's answers to them are kept as sent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from .common import APIModel

WEB_SEARCH = ("web_search", "web_search_2025_08_26")
WEB_SEARCH_PREVIEW = ("web_search_preview", "web_search_preview_2025_03_11")
#: Tools the service plays and the emulator cannot (it reaches nothing beyond loopback): only a
#: script's canned item stands for their calls.
UNPLAYABLE = ("computer_use_preview", "computer", "image_generation", "local_shell", "shell", "apply_patch", "custom")
#: The call item each of them makes, and (for those the app carries out) the input item that answers it.
CALL_ITEMS = {
    "computer_use_preview": "computer_call",
    "computer": "computer_call",
    "image_generation": "image_generation_call",
    "local_shell": "local_shell_call",
    "shell": "shell_call",
    "apply_patch": "apply_patch_call",
    "custom": "custom_tool_call",
}
OUTPUT_ITEMS = {
    "computer_call": "computer_call_output",
    "local_shell_call": "local_shell_call_output",
    "shell_call": "shell_call_output",
    "apply_patch_call": "apply_patch_call_output",
    "custom_tool_call": "custom_tool_call_output",
}
CANNED = (*CALL_ITEMS.values(), *OUTPUT_ITEMS.values())
CannedKind = Literal[
    "computer_call", "image_generation_call", "local_shell_call", "shell_call", "apply_patch_call", "custom_tool_call",
    "computer_call_output", "local_shell_call_output", "shell_call_output", "apply_patch_call_output",
    "custom_tool_call_output",
]  # fmt: skip


class UserLocation(APIModel):
    type: Literal["approximate"] = "approximate"
    city: str | None = None
    country: str | None = "US"
    region: str | None = None
    timezone: str | None = None


class WebSearchToolEcho(APIModel):
    type: Literal["web_search", "web_search_2025_08_26"] = "web_search"
    external_web_access: bool | None = Field(default=None, exclude_if=lambda v: v is None)
    filters: dict[str, Any] | None = None
    search_context_size: Literal["low", "medium", "high"] = "medium"
    user_location: UserLocation = Field(default_factory=UserLocation)


class WebSearchPreviewToolEcho(APIModel):
    type: Literal["web_search_preview", "web_search_preview_2025_03_11"] = "web_search_preview"
    search_content_types: list[str] | None = Field(default=None, exclude_if=lambda v: v is None)
    search_context_size: Literal["low", "medium", "high"] = "medium"
    user_location: UserLocation = Field(default_factory=UserLocation)


class UnplayableToolEcho(APIModel):
    """A tool the emulator cannot play, echoed as the request gave it (checked against the spec)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["computer_use_preview", "computer", "image_generation", "local_shell", "shell", "apply_patch",
                  "custom"]  # fmt: skip


class WebSource(APIModel):
    type: Literal["url"] = "url"
    url: str


class WebSearchAction(APIModel):
    """What the call did: a search (`query`, and `sources` when asked for), opened a page (`url`) or
    found a pattern in one (`pattern`, `url`); absent keys are left out."""

    type: Literal["search", "open_page", "find_in_page"] = "search"
    pattern: str | None = Field(default=None, exclude_if=lambda v: v is None)
    query: str | None = Field(default=None, exclude_if=lambda v: v is None)
    sources: list[WebSource] | None = Field(default=None, exclude_if=lambda v: v is None)
    url: str | None = Field(default=None, exclude_if=lambda v: v is None)


class WebResultEntry(APIModel):
    """A canned result of the script's search: what the model read (never shown on the wire)."""

    url: str
    title: str = ""
    text: str = ""


class WebSearchCallItem(APIModel):
    id: str
    type: Literal["web_search_call"] = "web_search_call"
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"] = "completed"
    action: WebSearchAction = Field(default_factory=WebSearchAction)
    #: The script's results (the model reads them; the service shows them only as `sources` urls).
    results: list[WebResultEntry] = Field(default_factory=list, exclude=True)


class CannedCallItem(APIModel):
    """A call of a tool the emulator cannot play (a script's canned item), or the app's answer to one:
    `id`, `type`, `status` (when it has one), then the fields the script or the app gave."""

    model_config = ConfigDict(extra="allow")

    id: str
    type: CannedKind
    status: str | None = Field(default=None, exclude_if=lambda v: v is None)

    @property
    def call_id(self) -> str:
        return str(getattr(self, "__pydantic_extra__", {}).get("call_id") or "")

    def fields(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})
