"""`POST /responses/compact`: a long context made short for the next response.

As the service answers (pydantic-ai `test_openai_responses_compact_messages.yaml` and
`..._compact_with_auto_previous_response_id.yaml`, 2026-04), the output shows the user's messages,
as new items, then one `compaction` item whose `encrypted_content` only the service reads. The
app sends the compaction item as the next response's input (pydantic-ai sends it alone, with the
new message, and the service still knew the whole exchange: its input tokens grew), so the
compaction holds every item of the context; the emulator opens it again and the model sees them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter

from .. import errors
from ..models.items import CompactionItem, InputMessage, Item
from .reasoning import PREFIX

_ITEMS = TypeAdapter(list[Item])


def compact(items: Sequence[Any], new_id: Callable[[str], str]) -> tuple[list[Any], str]:
    """The compacted output (kept user messages, then the compaction item) and the compacted text."""
    kept = [i.model_copy(update={"id": new_id("message_item")}) for i in items if _kept(i)]
    payload = json.dumps([i.model_dump(mode="json") for i in items], separators=(",", ":"))
    item = CompactionItem(id=new_id("compaction"), encrypted_content=PREFIX + base64.urlsafe_b64encode(
        payload.encode()).decode())  # fmt: skip
    return [*kept, item], payload


def _kept(item: Any) -> bool:
    return isinstance(item, InputMessage) and item.role == "user"


def opened(item: CompactionItem, param: str = "input") -> list[Any]:
    """The items a compaction item holds, or the service's 400 when it is not the emulator's."""
    content = item.encrypted_content
    try:
        if not content.startswith(PREFIX):
            raise ValueError("no prefix")
        return _ITEMS.validate_json(base64.urlsafe_b64decode(content[len(PREFIX) :].encode()))
    except ValueError:
        raise errors.bad_request(f"The encrypted content for item {item.id} could not be verified.", param=param,
                                 code="invalid_encrypted_content") from None  # fmt: skip


def expanded(items: Sequence[Any]) -> list[Any]:
    """`items` with every compaction item opened in its place."""
    out: list[Any] = []
    for item in items:
        out.extend(opened(item) if isinstance(item, CompactionItem) else [item])
    return out
