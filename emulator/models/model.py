"""The model object (`object: "model"`; note `created`, not `created_at`)."""

from __future__ import annotations

from typing import Literal

from .common import APIModel


class Model(APIModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(APIModel):
    """`GET /models`: a plain list, without the cursor fields of other lists."""

    object: Literal["list"] = "list"
    data: list[Model]
