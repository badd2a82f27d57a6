"""Resource bombs against the code_interpreter sandbox (emulator.sandbox): each limit of `SandboxLimits` (CPU,
wall time, memory, output, file count and size, recursion) stops the cell with the right error, and the session
(or its replacement) answers afterwards. Escape attempts are in test_sandbox_escapes.py."""

from __future__ import annotations

import dataclasses
import os

import pytest
from test_sandbox_escapes import answers

from emulator.sandbox import SandboxLimits, SessionProcess, host

#: Tight limits for the resource bombs (Landlock off, as for the escape attempts).
BOMB = SandboxLimits(wall_seconds=3, cpu_seconds=1, memory_mb=256, max_files=40, max_file_bytes=1 << 20,
                     max_output_chars=5_000, landlock=False)  # fmt: skip


@pytest.fixture
def fresh() -> SessionProcess:
    process = host().spawn("bomb", BOMB)
    yield process
    process.close()


def test_busy_loop_hits_the_cpu_limit_and_the_session_survives(fresh: SessionProcess) -> None:
    # wall time to spare: on a loaded machine 1 s of CPU can take longer than BOMB's 3 s of wall time
    out = fresh.run("x = 41\nwhile True:\n    pass", dataclasses.replace(BOMB, wall_seconds=30))
    assert (out.error, out.limit) == ("TimeoutError", "cpu"), out
    assert "CPU time" in out.logs
    assert fresh.run("x + 1", BOMB).logs == "42\n"  # the same interpreter, variables kept


def test_swallowing_the_cpu_signal_hits_the_wall_limit(fresh: SessionProcess) -> None:
    code = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
    out = fresh.run(code, BOMB)
    assert (out.error, out.limit) == ("TimeoutError", "wall"), out
    assert not fresh.alive
    replacement = host().spawn("after-wall", BOMB)
    try:
        answers(replacement, BOMB)
    finally:
        replacement.close()


def test_sleep_hits_the_wall_limit_and_a_new_session_starts(fresh: SessionProcess) -> None:
    out = fresh.run("import time\ntime.sleep(60)", BOMB)
    assert (out.error, out.limit) == ("TimeoutError", "wall") and "restarted" in out.logs, out
    replacement = host().spawn("after-sleep", BOMB)
    try:
        answers(replacement, BOMB)
    finally:
        replacement.close()


@pytest.mark.parametrize(
    "code", ["b = bytearray(10**11)", "x = [0] * 10**10", "x = 'a' * 10**9", "import numpy as np\na = np.ones(10**9)"]
)
def test_memory_bombs_fail_with_memory_error(fresh: SessionProcess, code: str) -> None:
    out = fresh.run(code, BOMB)
    assert out.error.endswith("MemoryError") and out.limit is None, out
    answers(fresh, BOMB)


def test_huge_output_is_truncated(fresh: SessionProcess) -> None:
    out = fresh.run("for i in range(100000):\n    print('x' * 100)", BOMB)
    assert out.error is None and len(out.logs) < 5_200 and "[output truncated" in out.logs
    out = fresh.run("'y' * 10**7", BOMB)  # an echoed last expression too
    assert len(out.logs) < 5_200 and "[output truncated" in out.logs
    answers(fresh, BOMB)


def test_file_count_quota(fresh: SessionProcess) -> None:
    out = fresh.run("for i in range(10000):\n    open(f'f{i}.txt', 'w').close()", BOMB)
    assert out.error == "PermissionError" and "too many files" in out.logs, out
    assert len(os.listdir(fresh.root)) <= BOMB.max_files
    out = fresh.run("import numpy as np\nfor i in range(100):\n    np.save(f'a{i}.npy', np.arange(3))", BOMB)
    assert out.error == "PermissionError", out
    assert len(os.listdir(fresh.root)) <= BOMB.max_files
    answers(fresh, BOMB)


def test_file_size_limit(fresh: SessionProcess) -> None:
    out = fresh.run("f = open('big.bin', 'wb')\nf.write(b'x' * (2 << 20))\nf.close()", BOMB)
    assert out.error == "OSError" and "Errno 27" in out.logs, out
    out = fresh.run("import numpy as np\nnp.save('big.npy', np.zeros(1 << 19))", BOMB)
    assert out.error == "OSError", out
    assert all(os.path.getsize(os.path.join(fresh.root, n)) <= BOMB.max_file_bytes for n in os.listdir(fresh.root))
    answers(fresh, BOMB)


def test_deep_recursion(fresh: SessionProcess) -> None:
    out = fresh.run("def f(n):\n    return f(n + 1)\nf(0)", BOMB)
    assert out.error == "RecursionError" and "skipping similar frames" in out.logs, out
    answers(fresh, BOMB)


@pytest.mark.parametrize(
    "code",
    ["x = " + "-" * 100_000 + "1", "x = " + "(" * 5_000 + "1" + ")" * 5_000, "x = " + "[" * 3_000 + "]" * 3_000],
    ids=["unary-minus", "parentheses", "brackets"],
)
def test_compile_time_recursion(fresh: SessionProcess, code: str) -> None:
    out = fresh.run(code, BOMB)
    assert out.error is not None and out.limit is None, out
    answers(fresh, BOMB)


def test_a_figure_too_big_to_draw_does_not_kill_the_session(fresh: SessionProcess) -> None:
    out = fresh.run("import matplotlib.pyplot as plt\nfig = plt.figure(figsize=(10**5, 10**5))\nx = 7", BOMB)
    assert out.limit is None and "could not be drawn" in out.logs, out
    assert fresh.run("x", BOMB).logs == "7\n"
