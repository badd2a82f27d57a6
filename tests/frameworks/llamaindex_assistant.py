"""LlamaIndex's OpenAIAssistantAgent (llama-index-agent-openai 0.4.12, the last release with it),
as its example notebook uses it: an assistant with code_interpreter asked for a small program, and
one with two function tools asked an arithmetic question it answers by calling them.

Follows https://docs.llamaindex.ai/en/stable/examples/agent/openai_assistant_agent/ (the
code_interpreter "Math Tutor" and the function-calling sections). The client reads
OPENAI_BASE_URL and OPENAI_API_KEY from the environment (the test points them at the emulator).
Prints one JSON line: what each agent answered.
"""

import json

from llama_index.agent.openai import OpenAIAssistantAgent
from llama_index.core.tools import FunctionTool

# Simple agent with code_interpreter
agent = OpenAIAssistantAgent.from_new(
    name="Math Tutor",
    instructions="You are a personal math tutor. Write and run code to answer math questions.",
    openai_tools=[{"type": "code_interpreter"}],
    instructions_prefix="Please address the user as Jane Doe. The user has a premium account.",
)
response = agent.chat("Generate the first 20 fibonacci numbers with code")
code_answer = str(response)


# Assistant with function tools
def add(a: int, b: int) -> int:
    """Add two integers and returns the result integer"""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiple two integers and returns the result integer"""
    return a * b


add_tool = FunctionTool.from_defaults(fn=add)
multiply_tool = FunctionTool.from_defaults(fn=multiply)

agent = OpenAIAssistantAgent.from_new(
    name="Calculator",
    instructions="You are a calculator assistant.",
    tools=[add_tool, multiply_tool],
    verbose=True,
)
response = agent.chat("What is (121 * 3) + 42?")
print(json.dumps({"code_interpreter": code_answer, "functions": str(response)}))
