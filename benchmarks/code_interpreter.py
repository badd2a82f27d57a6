"""5. code_interpreter: a sine-wave plot executed through a run (thread, message, run played by a
script that runs the code, the PNG stored as a file, the reply), and through `responses.create`
(the same script: a code_interpreter_call in a container, the PNG a container file and a data URL
in the outputs, the reply) vs the floor of a warm forked
interpreter that already imported matplotlib/numpy (Agg) running the same code plainly (no
RestrictedPython, no facades), saving the figure to PNG bytes and exiting. Also the cold start:
a fresh Emulator in a fresh process, and its first run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import Profile, emulator_client, fmt_time, interleaved, row, table

TARGET = 1.3
ROOT = Path(__file__).resolve().parent.parent

CODE = """\
import numpy as np
import matplotlib.pyplot as plt

x = np.linspace(0, 4 * np.pi, 400)
plt.figure(figsize=(6, 4))
plt.plot(x, np.sin(x), label="sin(x)")
plt.title("Sine wave")
plt.legend()
plt.show()
"""

PLOTTER = {
    "name": "plotter",
    "turns": [
        {"when": {"code_ran": True}, "do": [{"reply": "Here is the plot. {{ last_code.logs }}"}]},
        {"do": [{"run_code": CODE}]},
    ],
}

# The floor: a zygote that pre-imported matplotlib (Agg) and numpy; per line read on stdin it
# forks a child that runs the code plainly, saves the open figures as PNG and writes their size
# (after the bytes went through a pipe, as the sandbox's do), then exits.
FLOOR_ZYGOTE = r"""
import io, os, sys, json
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
fig, ax = plt.subplots(); ax.plot([0, 1], [0, 1], label="warm"); ax.legend(); ax.set_title("warm")
fig.savefig(io.BytesIO(), format="png"); plt.close("all")
code = compile(json.loads(sys.argv[1]), "<cell>", "exec")
out = sys.stdout.buffer
for line in sys.stdin:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        exec(code, {"__name__": "__main__"})
        images = []
        for n in plt.get_fignums():
            buffer = io.BytesIO()
            plt.figure(n).savefig(buffer, format="png")
            images.append(buffer.getvalue())
        plt.close("all")
        data = b"".join(images)
        os.write(w, len(data).to_bytes(8, "big"))
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as pipe:
        size = int.from_bytes(pipe.read(8), "big")
        png = pipe.read(size)
    os.waitpid(pid, 0)
    out.write(b"%d\n" % len(png)); out.flush()
"""


class Floor:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FLOOR_ZYGOTE, json.dumps(CODE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def execute(self) -> int:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()
        size = int(self.proc.stdout.readline())
        assert size > 1000, "the floor made no PNG"
        return size

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def plot_run(client: Any, assistant_id: str, thread_id: str | None = None) -> Any:
    """One execution through a run; a new thread (a new session) unless one is given."""
    beta = client.beta
    if thread_id is None:
        thread_id = beta.threads.create().id
    beta.threads.messages.create(thread_id, role="user", content="Plot a sine wave")
    run = beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id, poll_interval_ms=1)
    assert run.status == "completed", (run.status, run.last_error)
    return thread_id


def plot_response(client: Any, container: str | None = None) -> str:
    """One execution through `responses.create`: a new auto container unless one is named."""
    tools = [{"type": "code_interpreter", "container": container or {"type": "auto"}}]
    response = client.responses.create(model="plotter", input="Plot a sine wave", tools=tools,
                                       include=["code_interpreter_call.outputs"])  # fmt: skip
    assert response.status == "completed", (response.status, response.error)
    call = response.output[0]
    assert call.outputs and call.outputs[-1].type == "image", call.outputs
    return call.container_id


def cold() -> dict[str, float]:
    """In this (fresh) process: a fresh Emulator and its first plot run, then a second one."""
    t0 = time.perf_counter()
    emu, client = emulator_client(models=[PLOTTER])
    t1 = time.perf_counter()
    assistant = client.beta.assistants.create(model="plotter", tools=[{"type": "code_interpreter"}])
    plot_run(client, assistant.id)
    t2 = time.perf_counter()
    plot_run(client, assistant.id)
    t3 = time.perf_counter()
    emu.close()
    return {"emulator": t1 - t0, "first_run": t2 - t1, "second_run": t3 - t2}


def run(profile: Profile) -> str:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.code_interpreter", "--cold"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=True,
        text=True,
    )
    cold_wall = time.perf_counter() - started
    cold_times = json.loads(out.stdout.strip().splitlines()[-1])

    emu, client = emulator_client(models=[PLOTTER])
    assistant = client.beta.assistants.create(model="plotter", tools=[{"type": "code_interpreter"}])
    floor = Floor()
    warm_thread = plot_run(client, assistant.id)
    warm_container = plot_response(client)
    try:
        medians = interleaved(
            {
                "new thread": lambda: plot_run(client, assistant.id),
                "same thread": lambda: plot_run(client, assistant.id, warm_thread),
                "response, new container": lambda: plot_response(client),
                "response, same container": lambda: plot_response(client, warm_container),
                "floor": floor.execute,
            },
            profile.code_runs,
            1,
            warmup=2,
        )
    finally:
        floor.close()
        emu.close()
    rows = [
        row(
            "plot run, new thread (forks a session)",
            medians["new thread"],
            medians["floor"],
            TARGET,
            medians.ratio("new thread", "floor"),
        ),
        row(
            "plot run, same thread (warm session)",
            medians["same thread"],
            medians["floor"],
            TARGET,
            medians.ratio("same thread", "floor"),
        ),
        row(
            "plot through responses.create, new auto container (forks a session)",
            medians["response, new container"],
            medians["floor"],
            TARGET,
            medians.ratio("response, new container", "floor"),
        ),
        row(
            "plot through responses.create, same container (warm session)",
            medians["response, same container"],
            medians["floor"],
            TARGET,
            medians.ratio("response, same container", "floor"),
        ),
        row("cold: first run in a fresh process", cold_times["first_run"], medians["floor"], None),
    ]
    notes = [
        f"{profile.code_runs} alternating rounds; a run = message create, run create, polls until completed "
        "(code run in the sandbox, PNG stored as a file, reply); a response = one responses.create (a "
        "code_interpreter_call run in the container, PNG a container file and a data URL, reply)",
        "floor: fork of a warm interpreter (matplotlib/numpy/Agg imported), plain exec, savefig PNG, bytes "
        "through a pipe, exit",
        f"cold: Emulator() {fmt_time(cold_times['emulator'])}, first run {fmt_time(cold_times['first_run'])} "
        f"(starts the sandbox zygote), second run {fmt_time(cold_times['second_run'])}; "
        f"whole process incl. imports {fmt_time(cold_wall)}",
    ]
    return table("5. code_interpreter: sine-wave plot through a run or a response vs a warm forked interpreter", rows,
                 notes)  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:] == ["--cold"]:
        print(json.dumps(cold()))
    else:
        sys.exit("usage: python3 -m benchmarks.code_interpreter --cold (use benchmarks/run.py --only code_interpreter)")
