"""web_search on the Responses API through the official SDK: a script's canned results as a
`web_search_call` item (sources only with `include`), the service's stream events, `url_citation`
annotations over the reply's links, the default model's offline answer, the tool echoed with the
service's defaults; and the tools the emulator cannot play: accepted, played by a script's canned
call (the app answers it with its `*_output` item), failing the response otherwise."""

from __future__ import annotations

import openai

from conftest import error_of

SOURCES = ["web_search_call.action.sources"]
RESULTS = [
    {"url": "https://www.weather.example/sf", "title": "SF weather", "text": "Sunny, 21 C."},
    {"url": "https://news.example.org/fog", "title": "Fog report", "text": "No fog today."},
]
FORECASTER = {"name": "forecaster", "turns": [
    {"when": {"tool_used": True}, "do": [{"reply": "Sunny and 21 C {{ last_tool.results[0].cite }}; "
                                                   "{{ last_tool.results[1].text }} {{ last_tool.results[1].cite }}"}]},
    {"when": {"user": "(?i)weather"}, "do": [{"web_search": "weather: {{ user }}", "results": RESULTS}]},
    {"do": [{"reply": "Ask me about the weather."}]},
]}  # fmt: skip
WEB = [{"type": "web_search"}]


def _forecaster(emulator):
    emulator.models.register(FORECASTER)


def test_a_script_searches_and_the_reply_cites_its_sources(openai_client, emulator):
    _forecaster(emulator)
    response = openai_client.responses.create(model="forecaster", input="Weather in SF?", tools=WEB)
    assert [i.type for i in response.output] == ["web_search_call", "message"]
    call = response.output[0]
    assert call.id.startswith("ws_") and call.status == "completed"
    assert call.action.type == "search" and call.action.query == "weather: Weather in SF?"
    assert call.action.sources is None  # only with include
    text = response.output_text
    assert text == ("Sunny and 21 C ([weather.example](https://www.weather.example/sf)); No fog today. "
                    "([news.example.org](https://news.example.org/fog))")  # fmt: skip
    notes = response.output[1].content[0].annotations
    assert [(a.type, a.url, a.title) for a in notes] == [
        ("url_citation", RESULTS[0]["url"], "SF weather"),
        ("url_citation", RESULTS[1]["url"], "Fog report"),
    ]
    for note in notes:
        assert (
            text[note.start_index : note.end_index] == f"([{note.url.split('/')[2].removeprefix('www.')}]({note.url}))"
        )
    echoed = response.tools[0]
    assert echoed.type == "web_search" and echoed.search_context_size == "medium" and echoed.filters is None
    assert echoed.user_location.country == "US" and echoed.user_location.type == "approximate"


def test_sources_with_include(openai_client, emulator):
    _forecaster(emulator)
    response = openai_client.responses.create(model="forecaster", input="Weather?", tools=WEB, include=SOURCES)
    assert [s.url for s in response.output[0].action.sources] == [r["url"] for r in RESULTS]


def test_the_stream_has_the_services_events_in_order(openai_client, emulator):
    _forecaster(emulator)
    events = list(openai_client.responses.create(model="forecaster", input="Weather?", tools=WEB, stream=True))
    kinds = [e.type for e in events]
    at = kinds.index("response.web_search_call.in_progress")
    assert kinds[at - 1 : at + 4] == ["response.output_item.added", "response.web_search_call.in_progress",
                                      "response.web_search_call.searching", "response.web_search_call.completed",
                                      "response.output_item.done"]  # fmt: skip
    assert events[at - 1].item.status == "in_progress" and events[at + 3].item.action.query == "weather: Weather?"
    added = [e for e in events if e.type == "response.output_text.annotation.added"]
    assert [e.annotation.url for e in added] == [r["url"] for r in RESULTS]
    assert [e.sequence_number for e in events] == list(range(len(events)))


def test_open_page_and_find_in_page(openai_client, emulator):
    emulator.models.register({"name": "reader", "turns": [
        {"when": {"tool_used": True}, "do": [{"reply": "Read {{ last_tool.arguments }}."}]},
        {"when": {"user": "open"}, "do": [{"web_search": {"open_page": "https://a.example/page"}}]},
        {"do": [{"web_search": {"find": "fog", "url": "https://a.example/page"}}]},
    ]})  # fmt: skip
    opened = openai_client.responses.create(model="reader", input="open it", tools=[{"type": "web_search_preview"}])
    assert opened.output[0].action.type == "open_page" and opened.output[0].action.url == "https://a.example/page"
    assert opened.tools[0].type == "web_search_preview" and not hasattr(opened.tools[0], "filters")
    found = openai_client.responses.create(model="reader", input="find", tools=WEB)
    assert found.output[0].action.type == "find_in_page" and found.output[0].action.pattern == "fog"


def test_the_default_model_says_it_cannot_browse(openai_client):
    response = openai_client.responses.create(model="gpt-4o", input="What is the weather in Paris today?", tools=WEB)
    assert [i.type for i in response.output] == ["message"]
    assert "cannot search the web" in response.output_text and not response.output[0].content[0].annotations
    preview = [{"type": "web_search_preview"}]
    forced = openai_client.responses.create(model="gpt-4o", input="News today?", tools=preview,
                                            tool_choice={"type": "web_search_preview"})  # fmt: skip
    assert [i.type for i in forced.output] == ["web_search_call", "message"]
    assert forced.output[0].action.query == "News today?"
    assert "cannot search the web" in forced.output_text


def test_a_web_search_sent_back_and_chained(openai_client, emulator):
    _forecaster(emulator)
    first = openai_client.responses.create(model="forecaster", input="Weather?", tools=WEB)
    history = [{"role": "user", "content": "Weather?"}, *[i.to_dict() for i in first.output]]
    again = openai_client.responses.create(model="forecaster", input=[*history, {"role": "user", "content": "Hi"}],
                                           tools=WEB)  # fmt: skip
    assert again.output_text == "Ask me about the weather."
    items = openai_client.responses.input_items.list(again.id, order="asc").data
    assert items[1].type == "web_search_call" and items[1].id == first.output[0].id
    chained = openai_client.responses.create(model="forecaster", previous_response_id=first.id, input="weather again?",
                                             tools=WEB)  # fmt: skip
    assert chained.output[1].content[0].annotations[0].url == RESULTS[0]["url"]


def test_the_services_400s_and_a_search_without_the_tool(openai_client, emulator, http):
    def refused(body):
        answer = http.post("/v1/responses", json={"model": "gpt-4o", "input": "hi", **body})
        assert answer.status_code == 400, answer.get_json()
        return error_of(answer)

    assert refused({"tools": [{"type": "web_search", "search_context_size": "huge"}]})["param"] == (
        "tools[0].search_context_size")  # fmt: skip
    assert refused({"tools": [{"type": "computer_use_preview"}]})["param"] == "tools[0].environment"
    assert refused({"tools": WEB, "tool_choice": {"type": "web_search"}})["param"] == "tool_choice.type"
    assert refused({"input": [{"type": "custom_tool_call_output", "output": "x"}]})["message"]
    _forecaster(emulator)
    response = openai_client.responses.create(model="forecaster", input="weather?")
    assert response.status == "failed" and "no web_search tool" in response.error.message


def test_over_the_dev_server_streamed(emulator_server):
    client = openai.OpenAI(base_url=emulator_server.openai_base_url, api_key=emulator_server.api_key)
    emulator_server.emulator.models.register(FORECASTER)
    events = list(client.responses.create(model="forecaster", input="Weather?", tools=WEB, stream=True,
                                          include=SOURCES))  # fmt: skip
    final = events[-1].response
    assert final.output[0].action.sources[1].url == RESULTS[1]["url"]
    assert [a.url for a in final.output[1].content[0].annotations] == [r["url"] for r in RESULTS]


# --- the tools the emulator cannot play ----------------------------------------------------------

COMPUTER = {"type": "computer_use_preview", "display_width": 1024, "display_height": 768, "environment": "browser"}


def test_a_canned_computer_call_and_its_output(openai_client, emulator):
    emulator.models.register({"name": "clicker", "turns": [
        {"when": {"tool_outputs": True}, "do": [{"reply": "Clicked; the screen is {{ outputs[0].json.image_url }}."}]},
        {"do": [{"tool": "computer_use_preview", "arguments": {"type": "click", "button": "left", "x": 5, "y": 9}}]},
    ]})  # fmt: skip
    first = openai_client.responses.create(model="clicker", input="Click the button", tools=[COMPUTER],
                                           truncation="auto")  # fmt: skip
    assert first.status == "completed" and [i.type for i in first.output] == ["computer_call"]
    call = first.output[0]
    assert call.action.type == "click" and call.action.x == 5 and call.pending_safety_checks == []
    assert first.tools[0].display_width == 1024
    shot = {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"}
    second = openai_client.responses.create(model="clicker", previous_response_id=first.id, tools=[COMPUTER],
                                            truncation="auto", input=[{"type": "computer_call_output",
                                                                       "call_id": call.call_id, "output": shot}])  # fmt: skip
    assert second.output_text == "Clicked; the screen is data:image/png;base64,AAAA."


def test_a_canned_custom_tool_call_and_image(openai_client, emulator):
    emulator.models.register({"name": "artist", "turns": [
        {"when": {"tool_outputs": True}, "do": [{"reply": "Ran: {{ outputs[0].output }}"}]},
        {"when": {"tool_used": True}, "do": [{"reply": "Here it is ({{ last_tool.output|length }} characters)."}]},
        {"when": {"user": "draw"}, "do": [{"tool": "image_generation", "output": "iVBORw0KGgo="}]},
        {"do": [{"tool": "custom", "name": "grammar", "input": "SELECT 1"}]},
    ]})  # fmt: skip
    custom = [{"type": "custom", "name": "grammar", "description": "SQL"}]
    first = openai_client.responses.create(model="artist", input="query", tools=custom)
    call = first.output[0]
    assert call.type == "custom_tool_call" and call.name == "grammar" and call.input == "SELECT 1"
    second = openai_client.responses.create(model="artist", previous_response_id=first.id, tools=custom, input=[
        {"type": "custom_tool_call_output", "call_id": call.call_id, "output": "1 row"}])  # fmt: skip
    assert second.output_text == "Ran: 1 row"
    image = openai_client.responses.create(model="artist", input="draw a cat", tools=[{"type": "image_generation"}])
    assert [i.type for i in image.output] == ["image_generation_call", "message"]
    assert image.output[0].result == "iVBORw0KGgo=" and image.output[0].id.startswith("ig_")
    assert image.output_text == "Here it is (12 characters)."


def test_without_a_canned_call_the_response_fails_naming_the_tool(openai_client):
    response = openai_client.responses.create(model="gpt-4o", input="Draw a cat", tools=[{"type": "image_generation"}],
                                              tool_choice={"type": "image_generation"})  # fmt: skip
    assert response.status == "failed" and "image_generation" in response.error.message
    plain = openai_client.responses.create(model="gpt-4o", input="hello", tools=[{"type": "local_shell"}])
    assert plain.status == "completed" and plain.tools[0].type == "local_shell"


def test_azure_answers_a_response_without_its_deployment_as_recorded(http):
    """azure-openai ResponsesTests/WebSearchNotSupported.json: no `model` on the dated-version path."""
    answer = http.post("/openai/responses?api-version=2025-04-01-preview", headers={"api-key": "k"},
                       json={"input": "What was a positive news story from today?", "tools": [
                           {"type": "web_search_preview"}]})  # fmt: skip
    assert answer.status_code == 400 and not answer.headers.get("Content-Type")
    assert answer.get_data(as_text=True) == '{\n  "error": {\n    "message": "Missed model deployment"\n  }\n}'
    v1 = http.post("/openai/v1/responses", headers={"api-key": "k"}, json={"input": "hi"})
    assert v1.status_code == 400 and error_of(v1)["param"] == "model"


def test_on_a_run_the_same_script_fails_saying_there_is_no_web_search(openai_client, emulator):
    """The Assistants API has no web_search tool (Foundry's grounding is `bing_grounding`)."""
    _forecaster(emulator)
    assistant = openai_client.beta.assistants.create(model="forecaster")
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "Weather?"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "failed" and "no web_search tool" in run.last_error.message


def test_the_inspector_shows_the_search_and_its_citations(openai_client, emulator):
    from emulator.inspector.chats import item_view

    _forecaster(emulator)
    response = openai_client.responses.create(model="forecaster", input="Weather?", tools=WEB, include=SOURCES)
    call, message = (item_view(i) for i in emulator.backend().ns.responses.get(response.id).output)
    assert call["action"]["query"] == "weather: Weather?" and "results" not in call
    assert [n["url"] for n in message["content"][0]["footnotes"]] == [r["url"] for r in RESULTS]
