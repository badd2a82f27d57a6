"""Run by tests/test_https.py in the Semantic Kernel side environment (its own venv: Semantic
Kernel's pins conflict with the test extras), against the emulator's https server.

Semantic Kernel's Azure assistant sample (getting_started_with_agents, azure_openai_assistant
step 1) as its docs give it, configured as they say, by environment variables:
AZURE_OPENAI_ENDPOINT (the emulator's https URL), AZURE_OPENAI_API_KEY,
AZURE_OPENAI_CHAT_DEPLOYMENT_NAME, and SSL_CERT_FILE (the emulator's CA). Prints one JSON
object: what the settings say of an http endpoint, what Semantic Kernel's default api-version
got, and the conversation with AZURE_OPENAI_API_VERSION set to a version that serves Assistants.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

import openai
import semantic_kernel
from pydantic import ValidationError
from semantic_kernel.agents import AssistantAgentThread, AzureAssistantAgent
from semantic_kernel.connectors.ai.open_ai import AzureOpenAISettings

USER_INPUTS = ["Hello", "What is the special soup?"]


async def sample() -> list[str]:
    """The sample: create the client, the assistant, the agent; a thread; invoke; clean up."""
    replies = []
    client = AzureAssistantAgent.create_client()
    definition = await client.beta.assistants.create(
        model=AzureOpenAISettings().chat_deployment_name,
        instructions="Answer questions about the menu.",
        name="Host",
    )
    agent = AzureAssistantAgent(client=client, definition=definition)
    thread: AssistantAgentThread | None = None
    try:
        for user_input in USER_INPUTS:
            async for response in agent.invoke(messages=user_input, thread=thread):
                replies.append(str(response))
                thread = response.thread
    finally:
        await thread.delete() if thread else None
        await agent.client.beta.assistants.delete(assistant_id=agent.id)
    return replies


async def main() -> dict:
    result: dict = {"semantic_kernel": semantic_kernel.__version__, "openai": openai.__version__}
    https_endpoint = os.environ["AZURE_OPENAI_ENDPOINT"]
    try:  # the settings' endpoint is an HttpsUrl: the reason the emulator needs https for Semantic Kernel
        AzureOpenAISettings(endpoint=https_endpoint.replace("https://", "http://", 1))
        result["http_endpoint"] = "accepted"
    except ValidationError as exc:
        result["http_endpoint"] = exc.errors()[0]["msg"]
    result["default_api_version"] = AzureOpenAISettings().api_version
    os.environ.pop("AZURE_OPENAI_API_VERSION", None)
    try:
        await sample()
        result["default_version_answer"] = "served"
    except openai.APIStatusError as exc:
        result["default_version_answer"] = {"status": exc.status_code, "body": exc.body}
    os.environ["AZURE_OPENAI_API_VERSION"] = sys.argv[1]
    result["replies"] = await sample()
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
