"""`/models`: the models the emulator's scripted-model catalogue knows."""

from __future__ import annotations

from .. import errors
from ..models import Model
from .base import Service


class Models(Service):
    def catalogue(self) -> list[Model]:
        from scripted_models.catalogue import CREATED

        return [
            Model(id=name, created=CREATED, owned_by="assistants-emulator") for name in self.emulator.models.names()
        ]

    def list(self) -> list[Model]:
        return self.catalogue()

    def get(self, model_id: str) -> Model:
        for model in self.catalogue():
            if model.id == model_id:
                return model
        raise errors.not_found("model", model_id)

    def check_usable(self, model_id: str) -> None:
        """With `strict_models`, an unknown model is refused as the real service refuses it."""
        if self.emulator.config.strict_models:
            self.get(model_id)
