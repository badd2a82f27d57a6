"""HTTP routes, one module per resource. They only translate HTTP to domain calls and back."""

from flask import Blueprint

from . import admin, assistants, files, models, runs, threads, vector_stores


def api_blueprint() -> Blueprint:
    """Every API route, to be mounted once per URL shape (`/v1`, `/openai`)."""
    api = Blueprint("api", __name__)
    for module in (assistants, threads, runs, files, vector_stores, models):
        api.register_blueprint(module.bp)
    return api


__all__ = ["admin", "api_blueprint"]
