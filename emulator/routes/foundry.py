"""Routes only a Foundry project serves (see `emulator/foundry.py`)."""

from ._http import Call, Routes

routes = Routes()


@routes.get("/threads")
def list_threads(call: Call):
    return call.api.threads.list(call.list_query())
