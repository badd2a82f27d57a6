"""Run by tests/test_https.py with the Semantic Kernel side environment's python (Semantic
Kernel's pins conflict with the test extras), against the emulator's https server:

    python semantic_kernel_assistant.py SAMPLE.py

SAMPLE.py is docs/https.md's Semantic Kernel example (its Azure assistant sample), configured as
its docs say, by environment variables: AZURE_OPENAI_ENDPOINT (the emulator's https URL),
AZURE_OPENAI_API_KEY, AZURE_OPENAI_CHAT_DEPLOYMENT_NAME, AZURE_OPENAI_API_VERSION, and
SSL_CERT_FILE (the emulator's CA). Prints one JSON object on its last line: what the settings
say of an http endpoint, Semantic Kernel's default api-version and what the sample got with it,
and the sample's output with the configured version.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys

import openai
import semantic_kernel
from pydantic import ValidationError
from semantic_kernel.connectors.ai.open_ai import AzureOpenAISettings


def run_sample(path: str) -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(path, run_name="__main__")
    return printed.getvalue().splitlines()


def main(sample: str) -> dict:
    result: dict = {"semantic_kernel": semantic_kernel.__version__, "openai": openai.__version__}
    endpoint = os.environ["AZURE_OPENAI_ENDPOINT"]
    try:  # the settings take only https: why Semantic Kernel needs the https server
        AzureOpenAISettings(endpoint=endpoint.replace("https://", "http://", 1))
        result["http_endpoint"] = "accepted"
    except ValidationError as exc:
        result["http_endpoint"] = exc.errors()[0]["msg"]

    configured = os.environ.pop("AZURE_OPENAI_API_VERSION")
    result["default_api_version"] = AzureOpenAISettings().api_version
    try:
        run_sample(sample)
        result["default_version_answer"] = "served"
    except openai.APIStatusError as exc:
        result["default_version_answer"] = {"status": exc.status_code, "body": exc.body}

    os.environ["AZURE_OPENAI_API_VERSION"] = configured
    result["sample_output"] = run_sample(sample)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
