"""The spec-built fixtures' recorded-facts pass (fixtures/spec_builder/recorded.py) reads what the service
was recorded doing from the emulator's models, not from copies of them: change a model and the pass follows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

from spec_builder import recorded  # noqa: E402
from spec_builder.scenario import Scenario  # noqa: E402

from emulator.models.assistant import Assistant  # noqa: E402
from emulator.models.common import ToolResources  # noqa: E402
from emulator.models.message import Message  # noqa: E402

ASSISTANT = {"id": "asst_1", "object": "assistant", "created_at": 1, "model": "gpt-4o", "name": None,
             "tools": [{"type": "function", "function": {"name": "f"}}], "metadata": {}, "tool_resources": {}}  # fmt: skip
THREAD = {"object": "thread", "id": "thread_1", "created_at": 1, "tool_resources": {}, "metadata": {}}
MESSAGE = {"id": "msg_1", "object": "thread.message", "created_at": 1, "status": "completed", "role": "user"}


def _answers(shape: str, body: dict, events: list[dict] | None = None, method: str = "POST") -> Scenario:
    sc = Scenario(name="t", shape=shape)
    response = {"status": 200, "body": body} if events is None else {"status": 200, "events": events}
    path = "/v1/threads/thread_1" if method == "GET" else "/v1/assistants"
    sc.custom("test", {"method": method, "path": path}, response, "a test")
    return recorded.recorded_shapes(sc)


def test_the_models_order_and_defaults_are_applied():
    (ex,) = _answers("openai", dict(ASSISTANT)).exchanges
    body = ex.response["body"]
    assert list(body) == [k for k in Assistant.model_fields if k in body]  # the model's order
    assert body["reasoning_effort"] is None  # OpenAI's only (Assistant.ONLY_ON)
    assert body["tools"][0]["function"] == {"name": "f", "parameters": {"type": "object", "properties": {}},
                                            "strict": False}  # fmt: skip
    assert "reasoning_effort" not in _answers("azure", dict(ASSISTANT)).exchanges[0].response["body"]


def test_the_pass_follows_the_models_not_copies(monkeypatch):
    monkeypatch.setattr(Assistant, "ONLY_ON", {"reasoning_effort": frozenset({"azure"})})
    assert "reasoning_effort" not in _answers("openai", dict(ASSISTANT)).exchanges[0].response["body"]
    assert _answers("azure", dict(ASSISTANT)).exchanges[0].response["body"]["reasoning_effort"] is None

    def events() -> list[dict]:
        return [{"event": "thread.created", "data": dict(THREAD)}]

    streamed = _answers("openai", {}, events()).exchanges[0].response["events"][0]["data"]
    assert streamed["tool_resources"] == {"code_interpreter": {"file_ids": []}}
    assert _answers("openai", dict(THREAD), method="GET").exchanges[0].response["body"]["tool_resources"] == {
        "code_interpreter": {"file_ids": []}}  # fmt: skip
    monkeypatch.setattr(ToolResources, "STREAM_DEFAULTS", {})
    assert _answers("openai", {}, events()).exchanges[0].response["events"][0]["data"]["tool_resources"] == {}

    assert "status" not in _answers("openai", dict(MESSAGE)).exchanges[0].response["body"]
    monkeypatch.setattr(Message, "STREAM_ONLY", ("role",))
    assert list(_answers("openai", dict(MESSAGE)).exchanges[0].response["body"]) == [
        "id", "object", "created_at", "status"]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(recorded.ORDERED))
def test_every_reordered_object_has_a_model(kind):
    model = recorded.ORDERED[kind]
    assert model.model_fields["object"].default == kind
