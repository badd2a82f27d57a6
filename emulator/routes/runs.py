"""/threads/{thread_id}/runs, /threads/runs and run steps."""

from flask import Blueprint, Response, request

from ..runs.stream import RunStream, frame
from ._http import api, endpoint, json_body, list_query, render

bp = Blueprint("runs", __name__)
RUN = "/threads/<thread_id>/runs/<run_id>"


def _include() -> list[str]:
    return request.args.getlist("include[]") + request.args.getlist("include")


def _streams(body: dict) -> bool:
    return body.get("stream") is True


def _sse(stream: RunStream) -> Response:
    """The stream as Server-Sent Events, each frame flushed as it comes; when the client goes
    away (or the stream ends) the run stops being listened to, and goes on."""
    runs = api().runs

    def frames():
        try:
            for event, data in stream.events():
                yield frame(event, data)
        finally:
            runs.close_stream(stream)

    return Response(frames(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


@endpoint(bp, "/threads/<thread_id>/runs", ["POST"])
def create_run(thread_id: str):
    body = json_body()
    if _streams(body):
        return _sse(api().runs.create_streamed(thread_id, body, include=_include()))
    return api().runs.create(thread_id, body, include=_include())


@endpoint(bp, "/threads/runs", ["POST"])
def create_thread_and_run():
    body = json_body()
    if _streams(body):
        return _sse(api().runs.create_thread_and_run_streamed(body))
    _, run = api().runs.create_thread_and_run(body)
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
    body = json_body()
    if _streams(body):
        return _sse(api().runs.submit_tool_outputs_streamed(thread_id, run_id, body))
    return api().runs.submit_tool_outputs(thread_id, run_id, body)


@endpoint(bp, RUN + "/steps", ["GET"])
def list_steps(thread_id: str, run_id: str):
    return api().runs.list_steps(thread_id, run_id, list_query(), include=_include())


@endpoint(bp, RUN + "/steps/<step_id>", ["GET"])
def get_step(thread_id: str, run_id: str, step_id: str):
    return api().runs.get_step(thread_id, run_id, step_id, include=_include())
