"""The default catalogue's arithmetic (issue 20): expressions parsed whole with precedence and
parentheses, computed with the app's add / multiply / ... tools one step per call (independent
steps in parallel), each output feeding the next; with code_interpreter, computed in code."""

from __future__ import annotations

import json
import math

import pytest

from scripted_models import arithmetic
from scripted_models.base import CallFunctions, ChatMessage, ModelInput, Reply, ToolOutput
from scripted_models.default import DefaultModel


def tool(name, description="", kind="number"):
    properties = {"a": {"type": kind}, "b": {"type": kind}}
    parameters = {"type": "object", "properties": properties, "required": ["a", "b"]}
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


ADD = tool("add", "Add two numbers and return the sum")
MULTIPLY = tool("multiply", "Multiply two integers and return the result", kind="integer")
CALCULATOR = (ADD, MULTIPLY)


@pytest.mark.parametrize(
    ("text", "value"),
    [("What is (121 * 3) + 42?", 405), ("10 - 4 raised to the 2.7", 10 - 4**2.7), ("what is 2^10 + 5?", 1029),
     ("What is 15% of 80?", 12), ("square root of 144 plus 3 squared", 21), ("2 to the power of 10", 1024),
     ("7 x 6 divided by 3", 14), ("-2 ** 2", -4), ("2 ** 3 ** 2", 512), ("(1 + 2) * (3 + 4) - 5 / 2", 18.5)],
)  # fmt: skip
def test_expressions_are_parsed_whole_with_precedence(text, value):
    tree = arithmetic.find(text)
    assert tree is not None and math.isclose(arithmetic.evaluate(tree), value)
    assert math.isclose(eval(arithmetic.python(tree), {"math": math}), value)  # the code written for it agrees


@pytest.mark.parametrize("text", ["hello", "I have 3 cats", "room 101", "call me at 5"])
def test_no_expression_no_arithmetic(text):
    assert arithmetic.find(text) is None


def step(text, outputs=(), parallel=True, tools=CALCULATOR):
    model_input = ModelInput(
        model="gpt-4o", instructions="", messages=(ChatMessage("user", text),), tools=tools,
        parallel_tool_calls=parallel, tool_outputs=tuple(outputs), turn=len(outputs) + 1,
    )  # fmt: skip
    (action,) = DefaultModel().respond(model_input)
    return action


def answer(call, value):
    return ToolOutput(f"call_{call.name}_{call.arguments_json()}", call.name, call.arguments_json(), json.dumps(value))


def test_one_call_per_step_in_order_each_output_feeding_the_next():
    first = step("What is (121 * 3) + 42?")
    assert isinstance(first, CallFunctions)
    assert [(c.name, c.arguments) for c in first.calls] == [("multiply", {"a": 121, "b": 3})]
    second = step("What is (121 * 3) + 42?", [answer(first.calls[0], 363)])
    assert [(c.name, c.arguments) for c in second.calls] == [("add", {"a": 363, "b": 42})]
    outputs = [answer(first.calls[0], 363), answer(second.calls[0], 405)]
    final = step("What is (121 * 3) + 42?", outputs)
    assert isinstance(final, Reply) and final.text.endswith("(121 * 3) + 42 = 405")
    assert "multiply(121, 3) = 363" in final.text
    # the app's answers are what the model goes on with (a wrong tool gives a wrong result)
    wrong = step("What is (121 * 3) + 42?", [answer(first.calls[0], 300), answer(step("(121*3)+42", [
        answer(first.calls[0], 300)]).calls[0], 342)])  # fmt: skip
    assert wrong.text.endswith("= 342")


def test_independent_steps_in_parallel_when_allowed():
    text = "Compute (2 + 3) * (4 + 5)"
    together = step(text)
    assert [(c.name, c.arguments) for c in together.calls] == [("add", {"a": 2, "b": 3}), ("add", {"a": 4, "b": 5})]
    alone = step(text, parallel=False)
    assert [(c.name, c.arguments) for c in alone.calls] == [("add", {"a": 2, "b": 3})]
    outputs = [answer(together.calls[0], 5), answer(together.calls[1], 9)]
    assert [(c.name, c.arguments) for c in step(text, outputs).calls] == [("multiply", {"a": 5, "b": 9})]


def test_operations_without_a_tool_or_outside_the_schema_are_done_by_the_model():
    first = step("What is 2.5 * 4 + 1?")  # multiply takes integers: 2.5 * 4 is the model's own
    assert [(c.name, c.arguments) for c in first.calls] == [("add", {"a": 10, "b": 1})]
    assert isinstance(step("What is 10 - 4?"), Reply)  # no subtract tool, nothing to call


def test_a_tool_taking_the_whole_expression():
    calculator = {"type": "function", "function": {"name": "calculator", "parameters": {
        "type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}}  # fmt: skip
    first = step("what is 3 + 4 * 2", tools=(calculator,))
    assert first.calls[0].arguments == {"expression": "3 + (4 * 2)"}
    assert step("what is 3 + 4 * 2", [answer(first.calls[0], 11)], tools=(calculator,)).text.endswith("= 11")


def test_a_calculator_agent_end_to_end(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=list(CALCULATOR))
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "What is (121 * 3) + 42?"}])
    run = openai_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    made = []
    while run.status == "requires_action":
        outputs = []
        for call in run.required_action.submit_tool_outputs.tool_calls:
            args = json.loads(call.function.arguments)
            made.append((call.function.name, args))
            value = args["a"] + args["b"] if call.function.name == "add" else args["a"] * args["b"]
            outputs.append({"tool_call_id": call.id, "output": str(value)})
        run = openai_client.beta.threads.runs.submit_tool_outputs_and_poll(
            run_id=run.id, thread_id=thread.id, tool_outputs=outputs
        )
    assert made == [("multiply", {"a": 121, "b": 3}), ("add", {"a": 363, "b": 42})]
    assert run.status == "completed"
    assert openai_client.beta.threads.messages.list(thread.id).data[0].content[0].text.value.endswith("= 405")


def test_code_interpreter_computes_the_whole_expression(openai_client):
    assistant = openai_client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "What is 10 - 4 raised to the 2.7?"}]},
    )
    reply = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert f"{10 - 4**2.7:.10f}"[:10] in reply


def test_without_tools_maths_is_answered_in_text_and_explained_when_asked():
    from scripted_models.base import ChatMessage, ModelInput, Reply
    from scripted_models.default import DefaultModel

    def reply(*texts):
        roles = ["user", "assistant"] * len(texts)
        messages = tuple(ChatMessage(role, text) for role, text in zip(roles, texts, strict=False))
        (action,) = DefaultModel().respond(ModelInput(model="gpt-4o", instructions="", messages=messages))
        assert isinstance(action, Reply)
        return action.text

    assert (
        reply("I need to solve the equation `3x + 11 = 14`.") == "Bring x to one side: 3x = 3, then divide by 3: x = 1."
    )
    assert reply("Solve 2(x - 1) = x + 4") == "Bring x to one side: x = 6."
    assert reply("What is 2^10 + 5?") == "(2 ** 10) + 5 = 1029"
    steps = reply("Solve 5x - 2 = 3x + 6", "x = 4", "Could you explain this to me?")
    assert steps.splitlines()[1:] == ["1. Move every x term to the left and every number to the right: 2x = 8.",
                                      "2. Divide both sides by 2: x = 8 / 2 = 4."]  # fmt: skip
    assert reply("Solve x^2 = 4").startswith("You said:")  # not linear: no made-up answer
    assert reply("Could you explain linear algebra?").startswith("You said:")  # nothing earlier to explain
