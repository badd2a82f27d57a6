"""The fuzzer's world of real objects (tests/test_fuzz.py): ids an example may aim at instead of
random ones, made through the API as a client would."""

from __future__ import annotations

import io
from typing import Any

from conftest import BETA

HEADERS = {**BETA}

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


#: Ids that a generated body may carry, which may name the world's objects instead.
BODY_IDS = ("assistant_id", "file_id", "vector_store_id")
#: Placeholders a generated example carries, replaced by the world's ids just before the call.
SCENE = "__scene_"
#: A scene's container file: the `file_id` of the paths under /containers/{container_id}/files.
CONTAINER_FILE = "container_file_id"
REAL = "__world_"


class World:
    """Real objects whose ids an example may use instead of random ones: scenes of path
    parameters (`idle`: a thread with a finished run; `busy`: a run waiting for tool outputs)
    and ids for bodies."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()
        self.scenes: dict[str, dict[str, str]] = {}
        self.ids: dict[str, str] = {}
        self.stale = True

    def _post(self, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.client.post(f"/v1{path}", headers=HEADERS, **kwargs)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def _get(self, path: str) -> dict[str, Any]:
        response = self.client.get(f"/v1{path}", headers=HEADERS)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def _upload(self, name: str, text: str) -> str:
        data = {"purpose": "assistants", "file": (io.BytesIO(text.encode()), name)}
        return self._post("/files", data=data, content_type="multipart/form-data")["id"]

    def build(self) -> None:
        file_id = self._upload("notes.md", "# Notes\nThe capital of Norway is Oslo.\n")
        batch_file = self._upload("more.txt", "Lisbon is the capital of Portugal.")
        store = self._post("/vector_stores", json={"name": "docs", "file_ids": [file_id]})["id"]
        batch = self._post(f"/vector_stores/{store}/file_batches", json={"file_ids": [batch_file]})["id"]
        assistant = self._post("/assistants", json={"model": "gpt-4o", "tools": [WEATHER]})["id"]

        idle = self._post("/threads", json={"messages": [{"role": "user", "content": "Hello there"}]})["id"]
        idle_run = self._post(f"/threads/{idle}/runs", json={"assistant_id": assistant, "tool_choice": "none"})["id"]
        self._get(f"/threads/{idle}/runs/{idle_run}")  # completed
        idle_step = self._get(f"/threads/{idle}/runs/{idle_run}/steps")["data"][0]["id"]
        idle_message = self._get(f"/threads/{idle}/messages")["data"][0]["id"]

        busy = self._post("/threads", json={"messages": [{"role": "user", "content": "Weather in Oslo?"}]})["id"]
        busy_message = self._get(f"/threads/{busy}/messages")["data"][0]["id"]
        force = {"type": "function", "function": {"name": "get_weather"}}
        busy_run = self._post(f"/threads/{busy}/runs", json={"assistant_id": assistant, "tool_choice": force})["id"]
        run = self._get(f"/threads/{busy}/runs/{busy_run}")
        assert run["status"] == "requires_action", run
        call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
        busy_step = self._get(f"/threads/{busy}/runs/{busy_run}/steps")["data"][0]["id"]

        # a completed response and a conversation with a message; a queued background response and
        # a conversation waiting for a function call's output
        done = self._post("/responses", json={"model": "gpt-4o", "input": "Hello there"})["id"]
        chat = self._post("/conversations", json={"items": [{"role": "user", "content": "Hello there"}]})["id"]
        chat_item = self._get(f"/conversations/{chat}/items")["data"][0]["id"]
        queued = self._post("/responses", json={"model": "gpt-4o", "input": "Hi", "background": True})["id"]
        waiting = self._post("/conversations", json={})["id"]
        tool = {"type": "function", **WEATHER["function"]}
        self._post("/responses", json={"model": "gpt-4o", "input": "Weather in Oslo?", "conversation": waiting,
                                       "tools": [tool], "tool_choice": "required"})  # fmt: skip
        waiting_item = self._get(f"/conversations/{waiting}/items")["data"][0]["id"]
        # a container holding a copy of the file, and an empty one
        box = self._post("/containers", json={"name": "box", "file_ids": [file_id]})["id"]
        box_file = self._get(f"/containers/{box}/files")["data"][0]["id"]
        empty_box = self._post("/containers", json={"name": "empty"})["id"]

        common = {"assistant_id": assistant, "vector_store_id": store, "batch_id": batch, "model": "gpt-4o"}
        self.scenes = {
            "idle": {**common, "thread_id": idle, "run_id": idle_run, "step_id": idle_step,
                     "message_id": idle_message, "file_id": file_id, "response_id": done,
                     "conversation_id": chat, "item_id": chat_item, "container_id": box,
                     CONTAINER_FILE: box_file},
            "busy": {**common, "thread_id": busy, "run_id": busy_run, "step_id": busy_step,
                     "message_id": busy_message, "file_id": batch_file, "response_id": queued,
                     "conversation_id": waiting, "item_id": waiting_item, "container_id": empty_box,
                     CONTAINER_FILE: box_file},
        }  # fmt: skip
        self.ids = {"assistant_id": assistant, "file_id": file_id, "vector_store_id": store, "tool_call_id": call_id}
        self.stale = False

    def resolve(self, case: Any) -> bool:
        """Put the world's ids in place of the placeholders of `case`: whether it had any."""
        aimed = False
        for name, value in (case.path_parameters or {}).items():
            if isinstance(value, str) and value.startswith(SCENE):
                if self.stale:
                    self.build()
                scene = self.scenes[value[len(SCENE) :]]
                in_container = name == "file_id" and case.operation.path.startswith("/containers/")
                case.path_parameters[name] = scene[CONTAINER_FILE if in_container else name]
                aimed = True
        if isinstance(case.body, dict) and _has_placeholder(case.body):
            if self.stale:
                self.build()
            case.body = self._resolve(case.body)
            aimed = True
        return aimed

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(REAL):
            return self.ids[value[len(REAL) :]]
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        if isinstance(value, dict):
            return {key: self._resolve(item) for key, item in value.items()}
        return value


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(REAL)
    if isinstance(value, list):
        return any(_has_placeholder(item) for item in value)
    if isinstance(value, dict):
        return any(_has_placeholder(item) for item in value.values())
    return False
