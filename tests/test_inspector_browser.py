"""The state inspector in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven
by Playwright for Python, against the real HTTP server (`emulator_server`).

Skipped, with the reason, when Chromium or Playwright is missing, except under CI (the `CI`
environment variable), where they are installed and a skip would hide a broken page. Every
test saves a screenshot under test-artifacts/; the plot test's screenshot is the one README.md
and docs/server.md show (docs/inspector.png), rewritten only with UPDATE_SCREENSHOTS=1. The browser is kept from
the network: every request it makes must be to the emulator on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai import OpenAI

from conftest import needed, unavailable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # no name resolves but the loopback: nothing can reach beyond 127.0.0.1
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
DOCS_SCREENSHOT = ROOT / "docs" / "inspector.png"
VIEWPORT = {"width": 1440, "height": 900}
PLOT = "Plot sin(x) from 0 to 2*pi"


def _missing() -> list[str]:
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright for Python is not installed (pip install playwright; no browser download needed)")
    return missing


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        unavailable("the inspector's browser test cannot run: " + "; ".join(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, emulator_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    outside: list[str] = []
    problems: list[str] = []
    tab.on("request", lambda r: None if r.url.startswith(emulator_server.url) else outside.append(r.url))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()
    assert outside == [], f"the page reached beyond the emulator: {outside}"
    assert problems == [], f"errors in the page: {problems}"


def client_of(server: Any, key: str | None = None) -> OpenAI:
    return OpenAI(base_url=server.openai_base_url, api_key=key or server.api_key, max_retries=0)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def loaded_images(page: Any, selector: str) -> int:
    """How many images under `selector` have really loaded (a picture, not a broken icon)."""
    page.wait_for_function(
        """s => { const imgs = [...document.querySelectorAll(s)];
                  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0); }""",
        arg=selector,
    )
    return page.eval_on_selector_all(selector, "imgs => imgs.filter(i => i.naturalWidth > 0).length")


def test_a_plot_run_shows_the_chat_the_image_the_timeline_and_the_steps(page: Any, emulator_server: Any) -> None:
    client = client_of(emulator_server)
    assistant = client.beta.assistants.create(model="gpt-4o", name="Analyst", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": PLOT}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    reply = client.beta.threads.messages.list(thread_id=thread.id, order="desc").data[0]
    reply_text = next(part.text.value for part in reply.content if part.type == "text")

    page.goto(f"{emulator_server.url}/_emulator/inspector")
    chat = page.locator(f"[data-message='{reply.id}']")
    chat.wait_for()
    assert PLOT in page.locator(".msg.user").inner_text()
    assert reply_text in chat.inner_text()
    assert loaded_images(page, ".msg img") == 1
    card = page.locator(f".card.run[data-run='{run.id}']")
    assert [b.inner_text() for b in card.locator(".timeline .badge").all()] == ["queued", "in_progress", "completed"]
    assert card.locator(".timeline time").count() == 3

    card.click()
    detail = page.locator(f".run-detail[data-run='{run.id}']")
    detail.wait_for()
    code = page.locator(".step .tool.code pre.code")
    assert "plt" in code.inner_text() and "np.sin" in code.inner_text()
    assert loaded_images(page, ".step img") == 1
    assert page.locator(".step").count() == 2
    shot = screenshot(page, "inspector.png")
    if os.environ.get("UPDATE_SCREENSHOTS"):
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOT)


@pytest.mark.emulator(progression="seconds:10")
def test_the_page_follows_a_run_and_its_controls_move_the_clock_fail_runs_and_reset(
    page: Any, emulator_server: Any
) -> None:
    client = client_of(emulator_server)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    page.goto(f"{emulator_server.url}/_emulator/inspector")
    card = page.locator(f".card.run[data-run='{run.id}']")
    card.locator(".badge", has_text="queued").first.wait_for()
    before = emulator_server.emulator.clock.now()

    page.fill("#advance-seconds", "30")
    page.click("#advance button")
    shown = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(before + 30))
    page.locator("#clock", has_text=shown).wait_for()  # the page shows the clock it moved
    assert emulator_server.emulator.clock.now() == before + 30
    assert card.locator(".card-head .badge").inner_text() == "queued"  # looking moves nothing
    client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id)  # a client's poll does
    card.locator(".card-head .badge", has_text="completed").wait_for()  # and the page follows by itself
    assert [b.inner_text() for b in card.locator(".timeline .badge").all()] == ["queued", "in_progress", "completed"]

    page.select_option("#fault-code", "rate_limit_exceeded")
    page.click("#fault button")
    page.locator("#fault button", has_text="1 pending").wait_for()
    failing = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    emulator_server.emulator.advance(30)
    assert client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=failing.id).status == "failed"
    failed = page.locator(f".card.run[data-run='{failing.id}']")
    failed.locator(".error-box", has_text="rate_limit_exceeded").wait_for()
    assert [b.inner_text() for b in failed.locator(".timeline .badge").all()] == ["queued", "in_progress", "failed"]
    screenshot(page, "inspector-controls.png")

    page.click("#reset")  # the first click only arms it
    page.locator("#reset", has_text="Click again").wait_for()
    assert emulator_server.emulator.state()["namespaces"] != {}
    page.click("#reset")
    page.locator("main h2", has_text="Nothing here yet").wait_for()
    assert emulator_server.emulator.state()["namespaces"] == {}


@pytest.mark.emulator(api_keys=["key-one", "key-two"])
def test_the_key_selector_shows_one_key_at_a_time(page: Any, emulator_server: Any) -> None:
    client_of(emulator_server, "key-one").beta.assistants.create(model="gpt-4o", name="first key's")
    client_of(emulator_server, "key-two").beta.assistants.create(model="gpt-4o", name="second key's")
    page.goto(f"{emulator_server.url}/_emulator/inspector#/assistants")
    page.locator("main .card", has_text="first key's").wait_for()
    assert page.locator("#key option").all_inner_texts() == ["key-one", "key-two"]
    assert page.locator("main .card").count() == 1

    page.select_option("#key", "key-two")
    page.locator("main .card", has_text="second key's").wait_for()
    assert page.locator("main .card").count() == 1
    assert "key=key-two" in page.url
    screenshot(page, "inspector-keys.png")


CITING = {
    "name": "citing",
    "turns": [
        {"when": {"tool_used": True},
         "do": [{"reply": "See {{ last_tool.results[0].cite }} and {{ last_tool.results[1].cite }}."}]},
        {"do": [{"tool": "bing_grounding", "results": [
            {"url": "javascript:document.body.dataset.pwned='1'", "title": "a script"},
            {"url": "https://example.org/tides", "title": "Tides"},
        ]}]},
    ],
}  # fmt: skip


@pytest.mark.emulator(models=[CITING])
def test_a_citation_url_is_linked_only_when_it_is_http(page: Any, emulator_server: Any) -> None:
    """A url_citation's URL comes from a script (and through its templates, from anyone's text):
    a `javascript:` one is shown as text, never made a link that runs in the page's origin."""
    needed("azure.ai.agents")
    from emulator.foundry_clients import http_agents_client

    client = http_agents_client(emulator_server.foundry_endpoint, token=emulator_server.api_key)
    bing = {"type": "bing_grounding", "bing_grounding": {"search_configurations": [{"connection_id": "conn"}]}}
    agent = client.create_agent(model="citing", instructions="Cite.", tools=[bing])
    run = client.create_thread_and_process_run(agent_id=agent.id, polling_interval=0)
    assert run.status == "completed", run.last_error
    page.goto(f"{emulator_server.url}/_emulator/inspector")
    notes = page.locator("ol.footnotes li")
    notes.nth(1).wait_for()
    assert page.locator("ol.footnotes a[href^='https://example.org/tides']").inner_text() == "Tides"
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "a script" in notes.nth(0).inner_text()
    notes.nth(0).locator("span", has_text="a script").click()
    assert page.evaluate("document.body.dataset.pwned") is None


def test_a_run_waiting_for_another_kind_of_action_is_drawn(page: Any, emulator_server: Any) -> None:
    """A run may wait for something other than tool outputs (Foundry's MCP approvals:
    `submit_tool_approval`); the page shows what it waits for instead of breaking."""
    client = client_of(emulator_server)
    weather = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[weather])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "get_weather in Oslo"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    approval = {"id": "call_mcp1", "type": "mcp", "name": "get_weather", "arguments": '{"city": "Oslo"}',
                "server_label": "weather"}  # fmt: skip

    def waiting_for_approval(route: Any) -> None:
        state = route.fetch().json()
        (shown,) = state["threads"][0]["runs"]
        shown["required_action"] = {"type": "submit_tool_approval", "submit_tool_approval": {"tool_calls": [approval]}}
        route.fulfill(json=state)

    page.route("**/_emulator/inspector/state*", waiting_for_approval)
    page.goto(f"{emulator_server.url}/_emulator/inspector")
    box = page.locator(f".card.run[data-run='{run.id}'] .action-box")
    box.wait_for()
    assert "required_action: submit_tool_approval" in box.inner_text()
    assert 'weather.get_weather({"city": "Oslo"}) call_mcp1' in box.inner_text()


def test_a_conversation_is_a_chat_and_a_response_shows_its_chain(page: Any, emulator_server: Any) -> None:
    client = client_of(emulator_server)
    weather = {"type": "function", "name": "get_weather",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}  # fmt: skip
    conversation = client.conversations.create(items=[{"role": "user", "content": "get_weather in Oslo"}])
    called = client.responses.create(model="gpt-4o", conversation=conversation.id, tools=[weather])
    (call,) = called.output
    output = {"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 4}'}
    answered = client.responses.create(model="gpt-4o", conversation=conversation.id, input=[output], tools=[weather])
    first = client.responses.create(model="gpt-4o", input="one")
    second = client.responses.create(model="gpt-4o", input="two", previous_response_id=first.id)

    page.goto(f"{emulator_server.url}/_emulator/inspector")  # no thread: the latest conversation
    page.locator(f"[data-item='{answered.output[0].id}']").wait_for()
    kinds = page.eval_on_selector_all("main .chat [data-item]", "els => els.map(e => e.dataset.type)")
    assert kinds == ["message", "function_call", "function_call_output", "message"]
    assert "get_weather" in page.locator("[data-type='function_call']").text_content()
    assert answered.output_text in page.locator(".msg.assistant").inner_text()
    cards = page.locator("aside .card.response")
    assert cards.count() == 2 and "completed" in cards.first.inner_text()
    screenshot(page, "inspector-conversation.png")

    page.locator(f"nav [data-response-nav='{second.id}']").click()
    detail = page.locator(f".response-detail[data-response='{second.id}']")
    detail.wait_for()
    assert f"= {second.usage.total_tokens}" in detail.inner_text()
    assert page.locator("main .chat.input").inner_text().strip().endswith("two")
    page.locator(f"aside .chain [data-response-link='{first.id}']").click()
    page.locator(f".response-detail[data-response='{first.id}']").wait_for()
    assert page.locator(f"aside .chain [data-response-link='{second.id}']").count() == 1
    screenshot(page, "inspector-response.png")


def test_mcp_items_show_the_server_the_tool_its_arguments_output_and_approval(page: Any, emulator_server: Any) -> None:
    url = "https://mcp.example.com/mcp"  # the emulator stands in for it: no server, no network
    emulator_server.emulator.register_mcp_server(url, [{"name": "get_weather", "description": "Weather now",
        "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": True}}],
        [{"name": "get_weather", "output": "Oslo: 7 degrees"}])  # fmt: skip
    client = client_of(emulator_server)
    tool = {"type": "mcp", "server_label": "weather", "server_url": url, "allowed_tools": ["get_weather"]}
    conversation = client.conversations.create()
    asked = client.responses.create(model="gpt-4o", conversation=conversation.id, tools=[tool],
                                    input='Call get_weather with {"city": "Oslo"}')  # fmt: skip
    approval = {"type": "mcp_approval_response", "approval_request_id": asked.output[1].id, "approve": True}
    done = client.responses.create(model="gpt-4o", conversation=conversation.id, tools=[tool], input=[approval])

    page.goto(f"{emulator_server.url}/_emulator/inspector")
    page.locator(f"[data-item='{done.output[0].id}']").wait_for()
    kinds = page.eval_on_selector_all("main .chat [data-item]", "els => els.map(e => e.dataset.type)")
    assert kinds == [
        "message",
        "mcp_list_tools",
        "mcp_approval_request",
        "mcp_approval_response",
        "mcp_call",
        "message",
    ]
    listing = page.locator("[data-type='mcp_list_tools']").text_content()
    assert "weather · 1 tool" in listing and "get_weather" in listing and "Weather now" in listing
    assert "waiting for the app" in page.locator("[data-type='mcp_approval_request']").text_content()
    assert "approved" in page.locator("[data-type='mcp_approval_response']").text_content()
    call = page.locator("[data-type='mcp_call']").text_content()
    assert "weather · get_weather" in call and '"city": "Oslo"' in call and "Oslo: 7 degrees" in call
    assert asked.output[1].id in call  # the approved request it answers
    screenshot(page, "inspector-mcp.png")


def test_a_code_interpreter_call_shows_its_code_logs_and_image(page: Any, emulator_server: Any) -> None:
    client = client_of(emulator_server)
    tools = [{"type": "code_interpreter", "container": {"type": "auto"}}]
    code = "```python\nimport matplotlib.pyplot as plt\nprint('hi')\nline = plt.plot([1, 2])\n```"
    plot = client.responses.create(model="gpt-4o", input=code, tools=tools)
    page.goto(f"{emulator_server.url}/_emulator/inspector#/responses/{plot.id}")
    call = page.locator(f"[data-item='{plot.output[0].id}']")
    call.wait_for()
    assert "print('hi')" in call.locator("pre.code").inner_text() and plot.output[0].container_id in call.inner_text()
    assert call.locator("pre").nth(1).inner_text().strip() == "hi"
    page.wait_for_function("id => document.querySelector(`[data-item='${id}'] img`).naturalWidth > 0",
                           arg=plot.output[0].id)  # fmt: skip


def test_the_agents_page_shows_each_agent_its_versions_and_traffic_split(page: Any, emulator_server: Any) -> None:
    import requests

    base = f"{emulator_server.url}/api/projects/p/agents"
    auth = {"Authorization": f"Bearer {emulator_server.api_key}"}
    weather = {"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}
    for instructions, tools in (("Be brief.", []), ("Use the tool.", [weather])):
        definition = {"kind": "prompt", "model": "gpt-4o", "instructions": instructions, "tools": tools}
        answer = requests.post(f"{base}/helper/versions?api-version=v1", json={"definition": definition}, headers=auth)
        assert answer.status_code == 200, answer.text
    rules = [{"type": "FixedRatio", "agent_version": v, "traffic_percentage": 50} for v in ("1", "2")]
    patch = {"agent_endpoint": {"version_selector": {"version_selection_rules": rules}}}
    assert requests.patch(f"{base}/helper?api-version=v1", json=patch, headers=auth).status_code == 200

    page.goto(f"{emulator_server.url}/_emulator/inspector#/agents")
    card = page.locator("[data-agent='helper']")
    card.wait_for()
    assert "v1: 50%, v2: 50%" in card.inner_text()
    versions = page.eval_on_selector_all("[data-agent-version]", "els => els.map(e => e.dataset.agentVersion)")
    assert versions == ["helper:2", "helper:1"]
    newest = page.locator("[data-agent-version='helper:2']").inner_text()
    assert "Use the tool." in newest and "function get_weather" in newest
    screenshot(page, "inspector-agents.png")
