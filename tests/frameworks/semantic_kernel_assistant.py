"""Semantic Kernel's OpenAIAssistantAgent (semantic-kernel 1.45.0) with a kernel-function plugin:
the menu host of its getting-started samples, over five user turns in one thread.

Follows python/samples/getting_started_with_agents/openai_assistant/step2_assistant_plugins.py of
microsoft/semantic-kernel (1.45), https://learn.microsoft.com/semantic-kernel/frameworks/agent/agent-types/assistant-agent
The client is configured by environment, as there: OPENAI_API_KEY, OPENAI_CHAT_MODEL_ID, and
OPENAI_BASE_URL (read by the openai client it makes). Prints one JSON line: the agent's replies.
"""

import asyncio
import json
from typing import Annotated

from semantic_kernel.agents import AssistantAgentThread, OpenAIAssistantAgent
from semantic_kernel.connectors.ai.open_ai import OpenAISettings
from semantic_kernel.functions import kernel_function


# Define a sample plugin for the sample
class MenuPlugin:
    """A sample Menu Plugin used for the concept sample."""

    @kernel_function(description="Provides a list of specials from the menu.")
    def get_specials(self) -> Annotated[str, "Returns the specials from the menu."]:
        return """
        Special Soup: Clam Chowder
        Special Salad: Cobb Salad
        Special Drink: Chai Tea
        """

    @kernel_function(description="Provides the price of the requested menu item.")
    def get_item_price(
        self, menu_item: Annotated[str, "The name of the menu item."]
    ) -> Annotated[str, "Returns the price of the menu item."]:
        return "$9.99"


# Simulate a conversation with the agent
USER_INPUTS = ["Hello", "What is the special soup?", "What is the special drink?", "How much is that?", "Thank you"]


async def main():
    # 1. Create the client using OpenAI resources and configuration
    client = OpenAIAssistantAgent.create_client()

    # 2. Create the assistant on the OpenAI service
    definition = await client.beta.assistants.create(
        model=OpenAISettings().chat_model_id,
        instructions="Answer questions about the menu.",
        name="Host",
    )

    # 3. Create a Semantic Kernel agent for the OpenAI assistant, with the plugin
    agent = OpenAIAssistantAgent(client=client, definition=definition, plugins=[MenuPlugin()])

    # 4. Create a new thread for use with the assistant
    thread: AssistantAgentThread = None
    replies = []
    try:
        for user_input in USER_INPUTS:
            print(f"# User: '{user_input}'")
            # 5. Invoke the agent for the current thread and print the response
            async for response in agent.invoke(messages=user_input, thread=thread):
                print(f"# {response.name}: {response}")
                replies.append([user_input, str(response)])
                thread = response.thread
    finally:
        # 6. Clean up the resources
        await thread.delete() if thread else None
        await client.beta.assistants.delete(assistant_id=agent.id)
    print(json.dumps(replies))


if __name__ == "__main__":
    asyncio.run(main())
