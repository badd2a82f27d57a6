"""The new Foundry agents (`project_client.agents` of azure-ai-projects 2.x): named agents and their
versions, under a project endpoint (see `emulator/project.py`)."""

from ._http import Routes

routes = Routes()
