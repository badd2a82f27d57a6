"""autogen-ext's OpenAIAssistantAgent (autogen-agentchat and autogen-ext 0.7.5) with
code_interpreter and an uploaded CSV file, in a RoundRobinGroupChat that ends when a message
mentions TERMINATE.

Follows the OpenAIAssistantAgent docstring (autogen_ext/agents/openai/_openai_assistant_agent.py,
"Use the assistant to analyze data in a CSV file") and the AgentChat teams tutorial
(https://microsoft.github.io/autogen/stable/user-guide/agentchat-user-guide/tutorial/teams.html):
the agent is put in a team with TextMentionTermination("TERMINATE") instead of being called once.
The client reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment. Prints one JSON line:
the team's messages and why it stopped.
"""

import asyncio
import json

from autogen_agentchat.conditions import TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_core import CancellationToken
from autogen_ext.agents.openai import OpenAIAssistantAgent
from openai import AsyncOpenAI

DATA = "region,price\nnorth,12.5\nsouth,7.5\neast,10\nwest,14\n"


async def example():
    cancellation_token = CancellationToken()
    with open("data.csv", "w") as f:
        f.write(DATA)

    # Create an OpenAI client
    client = AsyncOpenAI()

    # Create an assistant with code interpreter
    assistant = OpenAIAssistantAgent(
        name="PythonHelper",
        description="Helps with Python programming",
        client=client,
        model="gpt-4o",
        instructions="You are a helpful Python programming assistant. Reply TERMINATE when the task is done.",
        tools=["code_interpreter"],
    )

    # Upload files for the assistant to use
    await assistant.on_upload_for_code_interpreter("data.csv", cancellation_token)

    # A team that runs until the assistant says TERMINATE
    team = RoundRobinGroupChat([assistant], termination_condition=TextMentionTermination("TERMINATE"), max_turns=10)
    result = await Console(team.run_stream(task="What is the average of the price column in data.csv?"))

    # Clean up resources
    await assistant.delete_uploaded_files(cancellation_token)
    await assistant.delete_assistant(cancellation_token)
    messages = [m.to_text() for m in result.messages]
    print(json.dumps({"messages": messages, "stop_reason": result.stop_reason}))


asyncio.run(example())
