"""Azure OpenAI's content filter results on a response, as its v1 route (`/openai/v1/responses`) answers them: a
list with the prompt's result, then the completion's once the response is over (pydantic-ai
`test_azure_responses_reasoning_context_default_wire_contract[gpt-5.4].yaml`, 2026-07; its keys are sorted there).
The dated api-versions (`/openai/responses?api-version=`) answer `content_filters: null` (azure-openai
ResponsesTests, 2025-08). The emulator filters nothing: every category is safe and nothing is blocked; the offsets
span the text checked (the service's prompt offset counts text the emulator does not see, its own wrapping).
"""

from __future__ import annotations

from typing import Any

#: The categories of each source's result, as recorded.
PROMPT = ("hate", "jailbreak", "self_harm", "sexual", "violence")
COMPLETION = ("hate", "protected_material_code", "protected_material_text", "self_harm", "sexual", "violence")
#: Categories answered `{detected, filtered}` rather than `{filtered, severity}`.
DETECTED = frozenset({"jailbreak", "protected_material_code", "protected_material_text"})


def result(source_type: str, length: int) -> dict[str, Any]:
    """One source's result (`prompt` or `completion`) for a text of `length` characters."""
    categories = PROMPT if source_type == "prompt" else COMPLETION
    return {
        "blocked": False,
        "content_filter_offsets": {"check_offset": 0, "end_offset": length, "start_offset": 0},
        "content_filter_raw": [],
        "content_filter_results": {
            name: {"detected": False, "filtered": False}
            if name in DETECTED
            else {"filtered": False, "severity": "safe"}
            for name in categories
        },
        "source_type": source_type,
    }
