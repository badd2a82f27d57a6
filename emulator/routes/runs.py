"""/threads/{thread_id}/runs, /threads/runs and run steps."""

from flask import Blueprint, request

from ._http import api, endpoint, json_body, list_query, render

bp = Blueprint("runs", __name__)
RUN = "/threads/<thread_id>/runs/<run_id>"


def _include() -> list[str]:
    return request.args.getlist("include[]") + request.args.getlist("include")


@endpoint(bp, "/threads/<thread_id>/runs", ["POST"])
def create_run(thread_id: str):
    return api().runs.create(thread_id, json_body(), include=_include())


@endpoint(bp, "/threads/runs", ["POST"])
def create_thread_and_run():
    _, run = api().runs.create_thread_and_run(json_body())
    return run


@endpoint(bp, "/threads/<thread_id>/runs", ["GET"])
def list_runs(thread_id: str):
    return api().runs.list(thread_id, list_query())


@endpoint(bp, RUN, ["GET"])
def get_run(thread_id: str, run_id: str):
    run = api().runs.get(thread_id, run_id)
    response = render(run)
    response.headers["openai-poll-after-ms"] = str(api().runs.poll_after_ms(run_id))
    return response


@endpoint(bp, RUN, ["POST"])
def update_run(thread_id: str, run_id: str):
    return api().runs.update(thread_id, run_id, json_body())


@endpoint(bp, RUN + "/cancel", ["POST"])
def cancel_run(thread_id: str, run_id: str):
    return api().runs.cancel(thread_id, run_id)


@endpoint(bp, RUN + "/submit_tool_outputs", ["POST"])
def submit_tool_outputs(thread_id: str, run_id: str):
    return api().runs.submit_tool_outputs(thread_id, run_id, json_body())


@endpoint(bp, RUN + "/steps", ["GET"])
def list_steps(thread_id: str, run_id: str):
    return api().runs.list_steps(thread_id, run_id, list_query(), include=_include())


@endpoint(bp, RUN + "/steps/<step_id>", ["GET"])
def get_step(thread_id: str, run_id: str, step_id: str):
    return api().runs.get_step(thread_id, run_id, step_id, include=_include())
