"""HTTP routes, one module per resource. They only translate HTTP to domain calls and back
(see `_http.py` for what a view gets and returns, and `emulator/dispatch.py` for routing)."""

from . import admin, assistants, containers, conversations, files, models, responses, runs, threads, vector_stores
from ._http import Route


def api_routes() -> list[Route]:
    """Every API route, to be mounted once per URL shape (`/v1`, `/openai`)."""
    return [
        route
        for module in (assistants, threads, runs, files, vector_stores, models, responses, conversations, containers)
        for route in module.routes.table
    ]


__all__ = ["admin", "api_routes"]
