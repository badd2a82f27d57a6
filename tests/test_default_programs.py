"""The default catalogue's small programs with code_interpreter (issue 20), run for real in the
sandbox and answered from their output; termination conventions from the instructions; the
honest reply when there is no program for a request."""

from __future__ import annotations

import pytest

from scripted_models import analyst, programs
from scripted_models.base import ChatMessage, ModelInput, Reply
from scripted_models.default import DefaultModel
from scripted_models.termination import Convention, convention, follow

AUTOGEN_DEFAULT_TAIL = (
    "When you find an answer, verify the answer carefully. Include verifiable evidence in your response if possible.\n"
    'Reply "TERMINATE" in the end when everything is done.\n    '
)  # the end of autogen 0.2's AssistantAgent.DEFAULT_SYSTEM_MESSAGE (GPTAssistantAgent's default instructions)


def run_code(client, text, files=()):
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}],
        tool_resources={"code_interpreter": {"file_ids": [f.id for f in files]}},
    )  # fmt: skip
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": text}]}
    )
    assert run.status == "completed", run.last_error
    steps = client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id).data
    return client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value, steps


@pytest.mark.parametrize(
    ("text", "printed"),
    [("Generate the first 20 fibonacci numbers with code", "0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, "
      "610, 987, 1597, 2584, 4181"),
     ("List the primes below 30", "10 primes below 30: 2, 3, 5, 7, 11, 13, 17, 19, 23, 29"),
     ("Give me the first 5 primes", "2, 3, 5, 7, 11"),
     ("What is the factorial of 20?", "20! = 2432902008176640000"),
     ("Sort these numbers in descending order: 5, 3.5, 9, -1", "[9, 5, 3.5, -1]"),
     ("What is the sum and the average of 4, 8 and 15?", "sum = 27\nmean = 9"),
     ("Solve the system 2x + 3y = 7 and x - y = 1", "x = 2, y = 1"),
     ("Solve: x + y + z = 6, 2x - y = 0; y - z = -1", "x = 1, y = 2, z = 3")],
)  # fmt: skip
def test_small_programs_run_in_the_sandbox(openai_client, text, printed):
    reply, steps = run_code(openai_client, text)
    assert [s.type for s in steps] == ["message_creation", "tool_calls"]  # newest first
    assert printed in reply


def test_statistics_of_an_attached_files_column(openai_client):
    file = openai_client.files.create(file=("sales.csv", b"month,revenue,units\nJan,100,3\nFeb,250,5\nMar,150,4\n"),
                                      purpose="assistants")  # fmt: skip
    reply, _ = run_code(openai_client, "What is the mean and the max of the revenue column?", [file])
    assert "revenue: mean = 166.667, max = 250" in reply


@pytest.mark.parametrize("text", ["Write me a poem about the sea", "hello"])
def test_anything_else_gets_an_honest_reply(openai_client, text):
    reply, steps = run_code(openai_client, text)
    assert reply == analyst.CAPABILITIES and [s.type for s in steps] == ["message_creation"]


def test_no_program_without_numbers_to_work_on():
    assert programs.write("sort my thoughts") is None and programs.write("what is the average?") is None


@pytest.mark.parametrize(
    ("instructions", "rule"),
    [("Reply TERMINATE when done.", Convention(word="TERMINATE")), (AUTOGEN_DEFAULT_TAIL, Convention(word="TERMINATE")),
     ("When the task is complete, say DONE.", Convention(word="DONE")),
     ("Finish your answer with the template: FINAL ANSWER: [YOUR FINAL ANSWER]", Convention(prefix="FINAL ANSWER:")),
     ("You are a helpful assistant. Answer in JSON.", None), ("", None)],
)  # fmt: skip
def test_termination_conventions_are_read_from_the_instructions(instructions, rule):
    assert convention(instructions) == rule


def test_replies_follow_the_convention():
    assert follow("It is 4.", Convention(word="TERMINATE")) == "It is 4.\n\nTERMINATE"
    assert follow("It is 4.\n\nTERMINATE", Convention(word="TERMINATE")) == "It is 4.\n\nTERMINATE"
    assert follow("I computed it.", Convention(prefix="FINAL ANSWER:"), "4") == "I computed it.\n\nFINAL ANSWER: 4"
    model_input = ModelInput(model="gpt-4o", instructions="Reply TERMINATE when done.",
                             messages=(ChatMessage("user", "hello"),))  # fmt: skip
    (reply,) = DefaultModel().respond(model_input)
    assert isinstance(reply, Reply) and reply.text.endswith("\n\nTERMINATE")


def test_a_final_answer_holds_the_computed_value(openai_client):
    assistant = openai_client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}],
        instructions="Report your thoughts, and finish your answer with: FINAL ANSWER: [YOUR FINAL ANSWER]",
    )  # fmt: skip
    thread = openai_client.beta.threads.create(messages=[{"role": "user", "content": "What is 2^10 + 5?"}])
    run = openai_client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, additional_instructions="Be brief."
    )
    reply = openai_client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0].text.value
    assert reply.endswith("FINAL ANSWER: 1029")


@pytest.mark.parametrize(
    ("text", "asked"),
    [("If $725x + 727y = 1500$ and $729x+ 731y = 1508$, what is the value of $x - y$ ?", "x - y"),
     ("Given 2x + 3y = 7 and x - y = 1, find x + 2y.", "x + 2y"),
     ("2a + b = 4 and a - b = 5: what is the sum of a and b?", "a + b"),
     ("x + y = 3 and x - y = 1; compute x^2 - y^2", "x^2 - y^2"),
     ("Solve for x and y: 2x + 3y = 7, x - y = 1", None),
     ("Solve the system 2x + 3y = 7 and x - y = 1, then tell me a joke", None)],
)  # fmt: skip
def test_a_system_answers_the_expression_the_question_asks_for(text, asked):
    names = ["a", "b"] if "2a" in text else ["x", "y"]
    assert programs.asked_expression(text.lower(), names) == asked
