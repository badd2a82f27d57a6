"""Cursor pagination: limit, order, after, before, first_id/last_id/has_more, and the SDK's
auto-pagination making exactly one request per page."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openai import OpenAI

from conftest import BETA, error_of
from emulator.pytest_plugin import IN_PROCESS_BASE
from emulator.transport import sdk_http_module, sync_transport


@pytest.fixture
def counted(emulator, _emulator_session):
    """An OpenAI client that counts the requests it sends."""
    http = sdk_http_module()
    sent = []
    client = OpenAI(
        api_key="k",
        base_url=f"{IN_PROCESS_BASE}/v1",
        http_client=http.Client(
            transport=sync_transport(_emulator_session.app, http),
            event_hooks={"request": [lambda request: sent.append(request.url)]},
        ),
    )
    return client, sent


def _make_messages(emulator, n):
    api = emulator.backend()
    thread = api.threads.create({})
    ids = [api.messages.create(thread.id, {"role": "user", "content": str(i)}).id for i in range(n)]
    return thread.id, ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 45), limit=st.integers(1, 20), order=st.sampled_from(["asc", "desc"]))
def test_auto_pagination_sees_everything_once_in_one_request_per_page(emulator, counted, n, limit, order):
    emulator.reset()
    client, sent = counted
    thread_id, ids = _make_messages(emulator, n)
    sent.clear()
    seen = [m.id for m in client.beta.threads.messages.list(thread_id, limit=limit, order=order)]
    assert seen == (ids if order == "asc" else ids[::-1])
    assert len(sent) == max(1, math.ceil(n / limit))


def test_page_fields(http, emulator):
    thread_id, ids = _make_messages(emulator, 5)
    url = f"/v1/threads/{thread_id}/messages"
    page = http.get(f"{url}?limit=2", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[4], ids[3]]
    assert (page["object"], page["first_id"], page["last_id"], page["has_more"]) == ("list", ids[4], ids[3], True)
    page = http.get(f"{url}?limit=2&after={ids[3]}", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[2], ids[1]] and page["has_more"] is True
    page = http.get(f"{url}?limit=2&after={ids[1]}", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[0]] and page["has_more"] is False
    page = http.get(f"{url}?limit=5", headers=BETA).get_json()
    assert page["has_more"] is False  # exactly full: still the last page


def test_before_returns_the_page_just_before_the_cursor_in_list_order(http, emulator):
    thread_id, ids = _make_messages(emulator, 6)
    url = f"/v1/threads/{thread_id}/messages"
    page = http.get(f"{url}?limit=2&order=asc&before={ids[4]}", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[2], ids[3]] and page["has_more"] is True
    page = http.get(f"{url}?limit=3&order=desc&before={ids[1]}", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[4], ids[3], ids[2]] and page["has_more"] is True
    page = http.get(f"{url}?limit=3&order=asc&before={ids[1]}", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == [ids[0]] and page["has_more"] is False


def test_empty_list(http, emulator):
    thread_id, _ = _make_messages(emulator, 0)
    page = http.get(f"/v1/threads/{thread_id}/messages", headers=BETA).get_json()
    assert page == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_deleted_objects_leave_no_gap(http, emulator):
    api = emulator.backend()
    thread_id, ids = _make_messages(emulator, 200)
    for mid in ids[::2]:
        api.messages.delete(thread_id, mid)
    kept = ids[1::2]
    page = http.get(f"/v1/threads/{thread_id}/messages?limit=100&order=asc", headers=BETA).get_json()
    assert [m["id"] for m in page["data"]] == kept and page["has_more"] is False


@pytest.mark.parametrize(
    "query, param, code",
    [
        ("limit=0", "limit", "integer_below_min_value"),
        ("limit=101", "limit", "integer_above_max_value"),
        ("limit=ten", "limit", "invalid_type"),
        ("order=up", "order", "invalid_value"),
        ("after=msg_unknown", "after", "invalid_value"),
        ("before=msg_unknown", "before", "invalid_value"),
    ],
)
def test_bad_list_queries(http, emulator, query, param, code):
    thread_id, _ = _make_messages(emulator, 1)
    response = http.get(f"/v1/threads/{thread_id}/messages?{query}", headers=BETA)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"]) == (param, code)


def test_limit_bounds_are_inclusive(http, emulator):
    thread_id, ids = _make_messages(emulator, 3)
    assert len(http.get(f"/v1/threads/{thread_id}/messages?limit=1", headers=BETA).get_json()["data"]) == 1
    assert len(http.get(f"/v1/threads/{thread_id}/messages?limit=100", headers=BETA).get_json()["data"]) == 3


def test_default_limit_is_20(http, emulator):
    thread_id, ids = _make_messages(emulator, 25)
    page = http.get(f"/v1/threads/{thread_id}/messages", headers=BETA).get_json()
    assert len(page["data"]) == 20 and page["has_more"] is True and page["first_id"] == ids[-1]


@pytest.mark.parametrize("path", ["/v1/assistants", "/v1/vector_stores"])
def test_every_list_paginates(http, emulator, path):
    api = emulator.backend()
    make = {"/v1/assistants": lambda: api.assistants.create({"model": "gpt-4o"}),
            "/v1/vector_stores": lambda: api.vector_stores.create({})}[path]  # fmt: skip
    ids = [make().id for _ in range(7)]
    collected, after = [], None
    while True:
        page = http.get(f"{path}?limit=3&order=asc" + (f"&after={after}" if after else ""), headers=BETA).get_json()
        collected += [o["id"] for o in page["data"]]
        if not page["has_more"]:
            break
        after = page["last_id"]
    assert collected == ids
