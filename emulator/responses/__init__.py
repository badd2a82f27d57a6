"""The Responses API's front end of the agent loop: what a response shows the model
(`context`), how its actions become output items and stream events (`turn`, `stream`), and how
it moves (`engine`, `state_machine`). Its requests are served by `emulator/domain/responses.py`
and `emulator/domain/conversations.py`."""
