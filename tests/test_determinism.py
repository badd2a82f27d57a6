"""Same seed, same calls: byte-identical answers (ids from a seeded generator, time from a virtual clock)."""

from __future__ import annotations

from emulator import Emulator, create_app

BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer k"}


def _session(seed: int) -> list[bytes]:
    http = create_app(Emulator(seed=seed)).test_client()
    out = []
    a = http.post("/v1/assistants", json={"model": "gpt-4o", "tools": [{"type": "file_search"}]}, headers=BETA)
    out.append(a.data)
    t = http.post("/v1/threads", json={"messages": [{"role": "user", "content": "hi"}]}, headers=BETA)
    out.append(t.data)
    thread_id = t.get_json()["id"]
    out.append(http.post(f"/v1/threads/{thread_id}/messages", json={"role": "user", "content": "x"}, headers=BETA).data)
    f = http.post("/v1/files", data={"purpose": "assistants", "file": (__import__("io").BytesIO(b"abc"), "a.txt")},
                  headers=BETA)  # fmt: skip
    out.append(f.data)
    out.append(http.post("/v1/vector_stores", json={"file_ids": [f.get_json()["id"]]}, headers=BETA).data)
    out.append(http.get(f"/v1/threads/{thread_id}/messages", headers=BETA).data)
    out.append(http.get("/v1/assistants", headers=BETA).data)
    return out


def test_same_seed_same_bytes():
    assert _session(42) == _session(42)


def test_other_seed_other_ids():
    assert _session(1)[0] != _session(2)[0]


def test_reset_replays_identically(emulator, openai_client):
    first = openai_client.beta.assistants.create(model="gpt-4o").to_json()
    emulator.reset()
    assert openai_client.beta.assistants.create(model="gpt-4o").to_json() == first


def test_ids_have_the_real_prefixes(openai_client):
    f = openai_client.files.create(file=("a.txt", b"x"), purpose="assistants")
    vs = openai_client.vector_stores.create(file_ids=[f.id])
    batch = openai_client.vector_stores.file_batches.create(vs.id, file_ids=[f.id])
    t = openai_client.beta.threads.create(messages=[{"role": "user", "content": "x"}])
    m = openai_client.beta.threads.messages.list(t.id).data[0]
    a = openai_client.beta.assistants.create(model="gpt-4o")
    for obj, prefix in [(f, "file-"), (vs, "vs_"), (batch, "vsfb_"), (t, "thread_"), (m, "msg_"), (a, "asst_")]:
        assert obj.id.startswith(prefix) and len(obj.id) == len(prefix) + 24 and obj.id[len(prefix) :].isalnum()
