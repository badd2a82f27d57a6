"""The default catalogue: the model names an app is likely to use, each served by a script.

`created` values are fixed (2024-05-13T00:00:00Z) so that `/models` answers are identical
on every run. Any other model name (an Azure deployment name, say) is accepted too unless
the emulator is started with `strict_models`.
"""

from __future__ import annotations

from dataclasses import dataclass

CREATED = 1_715_558_400


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    created: int = CREATED
    owned_by: str = "assistants-emulator"


DEFAULT_MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4-turbo",
    "gpt-4",
    "gpt-4-1106-preview",
    "gpt-3.5-turbo",
    "gpt-5",
    "gpt-5-mini",
    "o3-mini",
)


def catalogue() -> list[CatalogueEntry]:
    return [CatalogueEntry(id=name) for name in DEFAULT_MODELS]
