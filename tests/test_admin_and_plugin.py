"""The admin API, the emulator object, and the pytest plugin's promises."""

from __future__ import annotations

import pytest

from conftest import BETA
from emulator import Emulator
from emulator.clock import DEFAULT_EPOCH


def test_admin_reset_state_clock_seed(http):
    http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA)
    state = http.get("/_emulator/state").get_json()
    assert state["namespaces"]["__shared__"]["counts"]["assistants"] == 1
    assert http.get("/_emulator/clock").get_json() == {"time": DEFAULT_EPOCH, "kind": "virtual"}
    assert http.post("/_emulator/clock/advance", json={"seconds": 90}).get_json()["time"] == DEFAULT_EPOCH + 90
    assert http.post("/_emulator/clock/advance", json={"seconds": -1}).status_code == 400
    assert http.post("/_emulator/clock/advance", json={}).status_code == 400
    for raw in (b'{"seconds": Infinity}', b'{"seconds": NaN}', b'{"seconds": 1e308}'):
        assert http.post("/_emulator/clock/advance", data=raw, content_type="application/json").status_code == 400
    assert http.get("/_emulator/clock").get_json()["time"] == DEFAULT_EPOCH + 90
    a = http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA).get_json()
    assert a["created_at"] == DEFAULT_EPOCH + 90
    assert http.post("/_emulator/reset", json={"seed": 5}).get_json()["seed"] == 5
    assert http.get("/_emulator/state").get_json()["namespaces"] == {}
    assert http.get("/_emulator/clock").get_json()["time"] == DEFAULT_EPOCH
    first = http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA).get_json()["id"]
    http.post("/_emulator/reset", json={"seed": 5})
    assert http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA).get_json()["id"] == first
    # reseeding without a reset restarts the sequence but never hands out an id twice
    assert http.post("/_emulator/seed", json={"seed": 5}).get_json() == {"seed": 5}
    again = http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA).get_json()["id"]
    assert again != first
    assert len(http.get("/v1/assistants", headers=BETA).get_json()["data"]) == 2
    assert http.post("/_emulator/seed", json={"seed": "x"}).status_code == 400
    assert http.get("/_emulator/health").get_json() == {"status": "ok"}


def test_another_sites_page_cannot_change_the_emulator(http):
    """The admin API takes POSTs of any content type and has no key: a browser's request from
    another site's page (a form, a no-cors fetch) is refused; its own pages' and non-browser
    clients' (no Origin) are not."""
    http.post("/v1/assistants", json={"model": "gpt-4o"}, headers=BETA)
    for origin in ("http://evil.example", "http://localhost.evil.example", "null", "http://[::1"):
        headers = {"Origin": origin}
        refused = http.post("/_emulator/reset", data="{}", content_type="text/plain", headers=headers)
        assert refused.status_code == 403, origin
        assert set(refused.get_json()["error"]) == {"message", "type", "param", "code"}
        assert http.post("/_emulator/models", json={"name": "x", "turns": []}, headers=headers).status_code == 403
        assert http.delete("/_emulator/faults", headers=headers).status_code == 403
        assert http.get("/_emulator/state", headers=headers).status_code == 200  # reading: the browser keeps it
    assert http.get("/_emulator/state").get_json()["namespaces"]["__shared__"]["counts"]["assistants"] == 1
    same_site = {"Origin": "http://localhost"}  # the test client's Host
    assert http.post("/_emulator/clock/advance", json={"seconds": 1}, headers=same_site).status_code == 200
    assert http.post("/_emulator/reset", json={}).status_code == 200  # no Origin: not a browser
    assert http.get("/_emulator/state").get_json()["namespaces"] == {}


def test_domain_is_usable_without_http():
    emu = Emulator(seed=3)
    api = emu.backend()
    a = api.assistants.create({"model": "gpt-4o", "name": "direct"})
    assert api.assistants.get(a.id).name == "direct"
    emu.advance(10)
    assert api.threads.create({}).created_at == DEFAULT_EPOCH + 10


def test_state_left_by_one_test(openai_client):
    openai_client.beta.assistants.create(model="gpt-4o", name="left behind")


def test_is_gone_in_the_next(openai_client):
    assert openai_client.beta.assistants.list().data == []


@pytest.mark.emulator(seed=99)
def test_marker_sets_the_seed(emulator):
    assert emulator.config.seed == 99 and emulator.ids.seed == 99


def test_marker_does_not_leak(emulator):
    assert emulator.config.seed == 0 and emulator.config.api_keys == []


def test_unknown_marker_option_is_a_usage_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.emulator(sede=1)
        def test_x(emulator):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*unknown emulator option*sede*"])
    assert result.ret != 0


def test_plugin_is_active_on_its_own(pytester):
    """A project that only installs the package gets the fixtures, with no conftest."""
    pytester.makepyfile(
        """
        def test_uses_fixture(openai_client):
            assert openai_client.beta.threads.create().id.startswith("thread_")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1)


def test_in_process_clients_start_no_flask_app(pytester):
    """The in-process clients call the dispatcher: a suite that never asks for the HTTP server
    does not pay for importing the Flask app's module (and Flask) and making the app (a fresh
    process, to see its imports; Flask itself may come with another installed plugin)."""
    pytester.makepyfile(
        """
        import sys

        def test_in_process(openai_client, azure_openai_client, _emulator_session):
            assert openai_client.beta.threads.create().id.startswith("thread_")
            assert azure_openai_client.beta.assistants.list().data == []
            assert "emulator.app" not in sys.modules
            assert "app" not in vars(_emulator_session)  # the cached property was never read
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1)


def test_server_and_in_process_clients_share_one_dispatcher(emulator_server, openai_client):
    """One sequence of request ids, whichever way a request comes in."""
    import httpx2

    over_http = httpx2.get(f"{emulator_server.openai_base_url}/models", headers={"Authorization": "Bearer k"})
    in_process = openai_client.models.with_raw_response.list()
    first, second = (int(r.headers["x-request-id"].removeprefix("req_")) for r in (over_http, in_process))
    assert second == first + 1


def test_openai_env_points_code_that_builds_its_own_client(openai_env):
    from openai import OpenAI

    client = OpenAI()  # reads OPENAI_BASE_URL and OPENAI_API_KEY
    assert str(client.base_url).startswith(openai_env.url)
    assert client.beta.assistants.create(model="gpt-4o").object == "assistant"


def test_server_and_in_process_clients_share_one_emulator(emulator_server, openai_client):
    from openai import OpenAI

    over_http = OpenAI(base_url=emulator_server.openai_base_url, api_key="k", max_retries=0)
    a = over_http.beta.assistants.create(model="gpt-4o")
    assert openai_client.beta.assistants.retrieve(a.id).id == a.id


def test_admin_state_and_reset_cover_responses_and_conversations(http):
    conversation = http.post("/v1/conversations", json={"items": [{"role": "user", "content": "Hi"}]}).get_json()
    first = http.post("/v1/responses", json={"model": "gpt-4o", "input": "Hello", "conversation": conversation["id"]})
    second = http.post("/v1/responses", json={"model": "gpt-4o", "input": "Again", "store": False})
    assert first.status_code == second.status_code == 200
    shared = http.get("/_emulator/state").get_json()["namespaces"]["__shared__"]
    # the conversation holds its first item, the response's input and its output; store: false keeps nothing
    assert shared["counts"]["responses"] == 1 and shared["counts"]["conversations"] == 1
    assert shared["counts"]["conversation_items"] == 3
    (response,) = shared["responses"]
    assert response["id"] == first.get_json()["id"] and response["status"] == "completed"
    assert response["conversation"] == {"id": conversation["id"]}
    (given,) = shared["response_input_items"][response["id"]]
    assert given["content"][0]["text"] == "Hello"
    items = shared["conversation_items"][conversation["id"]]
    assert [i["role"] for i in items] == ["user", "user", "assistant"]
    assert items[-1]["id"] == response["output"][0]["id"]
    assert shared["conversations"][0]["id"] == conversation["id"]
    assert http.post("/_emulator/reset", json={}).status_code == 200
    assert http.get("/_emulator/state").get_json()["namespaces"] == {}
    assert http.get(f"/v1/responses/{response['id']}").status_code == 404
    assert http.get(f"/v1/conversations/{conversation['id']}").status_code == 404
