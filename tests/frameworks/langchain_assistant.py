"""LangChain's OpenAI assistant runnables, as their API reference shows them: a code_interpreter
assistant asked a math question, then an assistant agent with a function tool under `AgentExecutor`.

Follows the class docstrings of `langchain.agents.openai_assistant.OpenAIAssistantRunnable`
(langchain 0.3.27) and `langchain_community.agents.openai_assistant.OpenAIAssistantV2Runnable`
(langchain-community 0.3.31); https://python.langchain.com/v0.2/docs/integrations/platforms/openai/
Changed: the E2BDataAnalysisTool of the AgentExecutor example (a cloud sandbox) is a local tool,
and the assistant is the calculator agent of the issue. The client reads OPENAI_BASE_URL and
OPENAI_API_KEY from the environment (the test points them at the emulator).

Usage: python langchain_assistant.py OpenAIAssistantRunnable|OpenAIAssistantV2Runnable
Prints one JSON line: what each example answered.
"""

import json
import sys

from langchain.agents import AgentExecutor
from langchain.agents.openai_assistant import OpenAIAssistantRunnable
from langchain_community.agents.openai_assistant import OpenAIAssistantV2Runnable
from langchain_core.tools import tool

Runnable = {"OpenAIAssistantRunnable": OpenAIAssistantRunnable, "OpenAIAssistantV2Runnable": OpenAIAssistantV2Runnable}[
    sys.argv[1]
]

# Example using OpenAI tools
interpreter_assistant = Runnable.create_assistant(
    name="langchain assistant",
    instructions="You are a personal math tutor. Write and run code to answer math questions.",
    tools=[{"type": "code_interpreter"}],
    model="gpt-4-1106-preview",
)
output = interpreter_assistant.invoke({"content": "What's 10 - 4 raised to the 2.7"})
interpreter_answer = output[-1].content[-1].text.value


# Example using custom tools and AgentExecutor
@tool
def multiply(a: int, b: int) -> int:
    """Multiply two integers and return the result."""
    return a * b


@tool
def add(a: int, b: int) -> int:
    """Add two integers and return the result."""
    return a + b


tools = [multiply, add]
agent = Runnable.create_assistant(
    name="langchain assistant calculator tool",
    instructions="You are a calculator. Use the tools to compute the answer.",
    tools=tools,
    model="gpt-4-1106-preview",
    as_agent=True,
)
agent_executor = AgentExecutor(agent=agent, tools=tools)
result = agent_executor.invoke({"content": "What is (121 * 3) + 42?"})

print(json.dumps({"code_interpreter": interpreter_answer, "agent_executor": result["output"]}))
