"""The grounding script the Foundry tool tests share: one `bing_grounding` call with canned results, then a reply
citing them. The same script plays a classic agent's run (tests/test_foundry_tools.py) and a project's response
(tests/test_project_tools.py): a migrating app keeps its scripted behaviour."""

from __future__ import annotations

#: A Bing grounding call (its input the user's message, two canned sources), then a reply citing both.
GROUNDED = {
    "name": "grounded",
    "turns": [
        {
            "when": {"tool_used": True},
            "do": [{"reply": "Tides follow the moon {{ last_tool.results[0].cite }} and the sun "
                             "{{ last_tool.results[1].cite }}."}],
        },
        {
            "do": [{
                "tool": "bing_grounding",
                "input": "{{ user }}",
                "results": [
                    {"url": "https://example.org/moon", "title": "The moon and tides"},
                    {"url": "https://example.org/sun", "title": "Solar tides"},
                ],
            }],
        },
    ],
}  # fmt: skip
