"""The agent-loop core both API front ends share.

What the model is asked, what its answer may be, and what happens turn by turn until it
rests, are the same whether an app calls the Assistants API (runs, steps, messages) or the
Responses API (responses, items): `asking` checks a scripted model's answer, `loop` plays the
turns and hands each action to a `Front` (the API's front end), which turns it into its own
objects and stream events.
"""
