"""Object ids with the real service's prefixes, from a seeded generator.

Real ids are a prefix and 24 base62 characters (`thread_sSbvUX4J1FqlUZBv6BaBbOj4`);
files use a hyphen (`file-...`). Same seed, same sequence of calls: same ids.

Each character is a byte of the seeded generator's stream, modulo 62 (so the first 8 letters
come a little more often, 5 in 256 instead of 4): ten times cheaper than drawing 24 choices,
and ids need only be unique (checked) and repeatable.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Iterable
from typing import Any

ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 24
#: A byte of the generator's stream -> a character of an id.
_CHARACTERS = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))

#: Prefix of each kind of object, as the real service writes it.
PREFIXES: dict[str, str] = {
    "assistant": "asst_",
    "thread": "thread_",
    "message": "msg_",
    "run": "run_",
    "step": "step_",
    "call": "call_",
    "file": "file-",
    #: a file made through Azure OpenAI (azure-openai VectorStoreTests and AssistantTests, 2024-06 to 2025-08)
    "azure_file": "assistant-",
    "vector_store": "vs_",
    "file_batch": "vsfb_",
}

#: Kinds whose ids are a prefix and lower-case hex, as the Responses and Conversations APIs write
#: them (`resp_04907f5d3de7…`: 50 hex digits; `conv_…`: 48), pydantic-ai's cassettes (2025-10 to
#: 2026-07) and azure-openai `ResponsesTests` (2025-08). `call_` ids of function calls stay base62.
HEX_IDS: dict[str, tuple[str, int]] = {
    "response": ("resp_", 50),
    "message_item": ("msg_", 50),
    "function_call_item": ("fc_", 50),
    "function_call_output_item": ("fco_", 50),
    "reasoning": ("rs_", 50),
    "conversation": ("conv_", 48),
    "compaction": ("cmp_", 50),
    #: the Containers API: `cntr_` and 48 hex digits (azure-ai-projects test_agent_code_interpreter_simple_math.json,
    #: 2025-12; pydantic-ai test_openai_responses_thinking_with_code_execution_tool.yaml); `cfile_` and 32 (the spec's
    #: examples: no recording shows a container file)
    "container": ("cntr_", 48),
    "container_file": ("cfile_", 32),
    "file_search_call": ("fs_", 50),
    #: MCP on Responses: `mcpl_`/`mcp_` (pydantic-ai test_openai_responses_model_mcp_server_tool.yaml, 2025-10);
    #: `mcpr_` (OpenAI's MCP guide's examples) and `mcpa_` (no recording shows an approval response's id)
    "mcp_list_tools": ("mcpl_", 50),
    "mcp_call": ("mcp_", 50),
    "mcp_approval_request": ("mcpr_", 50),
    "mcp_approval_response": ("mcpa_", 50),
    #: `ci_` and 48 hex digits (pydantic-ai test_openai_responses_thinking_with_code_execution_tool.yaml, 2025-09)
    "code_interpreter_call": ("ci_", 48),
    #: web_search (pydantic-ai test_openai_responses_model_web_search_tool.yaml, 2025-09: `ws_` and 50); the calls of
    #: tools only scripts play, and the app's answers (no recording shows them: prefixes as the service's docs write them)
    "web_search_call": ("ws_", 50),
    "computer_call": ("cu_", 50),
    "computer_call_output": ("cuo_", 50),
    "image_generation_call": ("ig_", 50),
    "local_shell_call": ("lsh_", 50),
    "local_shell_call_output": ("lsho_", 50),
    "shell_call": ("sh_", 50),
    "shell_call_output": ("sho_", 50),
    "apply_patch_call": ("apc_", 50),
    "apply_patch_call_output": ("apco_", 50),
    "custom_tool_call": ("ctc_", 50),
    "custom_tool_call_output": ("ctco_", 50),
}
#: Foundry's tools on the Responses API of a project: the prefixes of Foundry's Responses protocol
#: (azure-ai-agentserver-responses 2.3.0 `_id_generator.py`); no recording shows their length.
HEX_IDS.update({kind: (prefix, 50) for kind, prefix in (
    ("a2a_preview_call", "a2a_"), ("a2a_preview_call_output", "a2ao_"), ("bing_grounding_call", "bg_"),
    ("bing_grounding_call_output", "bgo_"), ("sharepoint_grounding_preview_call", "sp_"),
    ("sharepoint_grounding_preview_call_output", "spo_"), ("azure_ai_search_call", "ais_"),
    ("azure_ai_search_call_output", "aiso_"), ("bing_custom_search_preview_call", "bcs_"),
    ("bing_custom_search_preview_call_output", "bcso_"), ("openapi_call", "oa_"), ("openapi_call_output", "oao_"),
    ("browser_automation_preview_call", "ba_"), ("browser_automation_preview_call_output", "bao_"),
    ("fabric_dataagent_preview_call", "fda_"), ("fabric_dataagent_preview_call_output", "fdao_"),
    ("azure_function_call", "azf_"), ("azure_function_call_output", "azfo_"), ("structured_outputs", "so_"),
)})  # fmt: skip

DEFAULT_SEED = 0


class IdGenerator:
    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._lock = threading.Lock()
        self._issued: set[str] = set()
        #: Set (to a list) by the data directory: every id issued is appended to it, and None
        #: whenever the sequence is reseeded; the data directory empties it when it writes.
        self.journal: list[str | None] | None = None
        self.reseed(seed, forget=True)

    def reseed(self, seed: int, *, forget: bool = False) -> None:
        """Start the sequence of `seed` again. Ids issued before are never issued twice unless
        `forget` (used by a reset, when the objects that held them are gone)."""
        with self._lock:
            self.seed = seed
            self._random = random.Random(seed)
            if forget:
                self._issued = set()
            if self.journal is not None:
                if forget:
                    self.journal.clear()
                self.journal.append(None)

    def new(self, kind: str) -> str:
        hex_id = HEX_IDS.get(kind)
        prefix = PREFIXES[kind] if hex_id is None else hex_id[0]
        with self._lock:
            while True:
                if hex_id is None:
                    id = prefix + self._random.randbytes(ID_LENGTH).translate(_CHARACTERS).decode("ascii")
                else:
                    id = prefix + self._random.randbytes((hex_id[1] + 1) // 2).hex()[: hex_id[1]]
                if id not in self._issued:
                    self._issued.add(id)
                    if self.journal is not None:
                        self.journal.append(id)
                    return id

    def state(self) -> dict[str, Any]:
        """The seed and where the sequence is, as JSON-able values."""
        with self._lock:
            version, internal, gauss = self._random.getstate()
            return {"seed": self.seed, "random": [version, list(internal), gauss]}

    def restore(self, state: dict[str, Any], issued: Iterable[str]) -> None:
        """Continue the sequence of `state()` exactly, never reissuing an id of `issued`."""
        version, internal, gauss = state["random"]
        with self._lock:
            self.seed = state["seed"]
            self._random = random.Random()
            self._random.setstate((version, tuple(internal), gauss))
            self._issued = set(issued)
