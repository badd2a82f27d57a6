"""AutoGen 0.2's GPTAssistantAgent (pyautogen 0.2.35) with code_interpreter, in a two-agent chat
with a UserProxyAgent that ends the chat when the assistant says TERMINATE.

Follows the AutoGen 0.2 notebook "Auto Generated Agent Chat: GPTAssistant with Code Interpreter"
(notebook/agentchat_oai_code_interpreter.ipynb, https://microsoft.github.io/autogen/0.2/docs/notebooks/agentchat_oai_code_interpreter).
The configuration comes from OAI_CONFIG_LIST, as there (the test sets it to the emulator's base
URL and key). Prints one JSON line: the chat's messages, as the user proxy saw them.
"""

import json
import logging
import os

from autogen import UserProxyAgent, config_list_from_json
from autogen.agentchat.contrib.gpt_assistant_agent import GPTAssistantAgent

logger = logging.getLogger(__name__)
logger.setLevel(logging.WARNING)

assistant_id = os.environ.get("ASSISTANT_ID", None)

config_list = config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list}

assistant_config = {"tools": [{"type": "code_interpreter"}]}

gpt_assistant = GPTAssistantAgent(
    name="Coder Assistant",
    llm_config=llm_config,
    assistant_config=assistant_config,
    instructions="You are an expert at solving math questions. "
    "Write code and run it to solve math problems. "
    "Reply TERMINATE when the math problem is solved.",
)

user_proxy = UserProxyAgent(
    name="user_proxy",
    is_termination_msg=lambda msg: "TERMINATE" in msg["content"],
    code_execution_config={"work_dir": "coding", "use_docker": False},
    human_input_mode="NEVER",
)

# When all is set, initiate the chat.
user_proxy.initiate_chat(
    gpt_assistant, message="If $725x + 727y = 1500$ and $729x+ 731y = 1508$, what is the value of $x - y$ ?"
)
gpt_assistant.delete_assistant()

print(json.dumps([m["content"] for m in user_proxy.chat_messages[gpt_assistant]]))
