"""``hostcall run`` and ``hostcall repl``, as a user runs them: subprocesses, real Chromium.

Each command starts its own server and browser, so the three scripts run side by side.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPTS = {
    "prints.py": (
        "import sys\n"
        "print('hello from', sys.platform)\n"
        "print('to stderr', file=sys.stderr)\n"
        "print(greet('Ada'))\n"
    ),
    "fails.py": "def divide(a, b):\n    return a / b\n\nprint('before')\ndivide(1, 0)\n",
    "spins.py": "print('spinning')\nwhile True:\n    pass\n",
}
HANDLERS = "def greet(name):\n    return f'hi {name}'\n\nHANDLERS = {'greet': greet}\n"
FLAGS = {
    "prints.py": ["--host-functions", "handlers:HANDLERS"],
    "fails.py": ["--no-isolation"],
    "spins.py": ["--timeout", "0.5"],
}


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, subprocess.CompletedProcess[str]]]:
    """Run every script at once; each test reads its own outcome."""
    where = tmp_path_factory.mktemp("scripts")
    (where / "handlers.py").write_text(HANDLERS)
    started = {}
    for name, source in SCRIPTS.items():
        (where / name).write_text(source)
        command = [sys.executable, "-m", "hostcall", "run", name, *FLAGS[name]]
        started[name] = subprocess.Popen(
            command, cwd=where, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    yield {name: _finish(process) for name, process in started.items()}


def _finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    stdout, stderr = process.communicate(timeout=90)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_a_script_that_prints(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["prints.py"]
    assert run.returncode == 0, run.stderr
    assert run.stdout == "hello from emscripten\nhi Ada\n"
    assert run.stderr.endswith("to stderr\n")


def test_a_script_that_fails(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["fails.py"]
    assert run.returncode == 1
    assert run.stdout == "before\n"
    assert run.stderr.endswith(
        "Traceback (most recent call last):\n"
        '  File "fails.py", line 5, in <module>\n'
        "    divide(1, 0)\n"
        '  File "fails.py", line 2, in divide\n'
        "    return a / b\n"
        "ZeroDivisionError: division by zero\n"
    )


def test_a_script_that_times_out(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["spins.py"]
    assert run.returncode == 1
    assert run.stdout == "spinning\n"
    assert run.stderr.endswith(
        "TimeoutError: the run took longer than its time limit (timeoutMs=500)\n"
    )
    assert 'File "spins.py"' in run.stderr


def test_the_repl_keeps_state_and_survives_ctrl_c(tmp_path: Path) -> None:
    repl = subprocess.Popen(
        [sys.executable, "-m", "hostcall", "repl"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert repl.stdin is not None and repl.stdout is not None
    repl.stdin.write(
        "x = 6 * 7\nx\nfor i in range(2):\n    print(i)\n\n1/0\nprint('go'); [0 for _ in iter(int, 1)]\n"
    )
    repl.stdin.flush()
    seen = ""
    while not seen.endswith("go\n"):  # the endless statement is running
        seen += repl.stdout.read(1)
    repl.send_signal(signal.SIGINT)
    stdout, stderr = repl.communicate("print('after', x)\n", timeout=60)
    assert repl.returncode == 0, stderr
    assert seen + stdout == ">>> >>> 42\n>>> ... ... 0\n1\n>>> >>> go\n>>> after 42\n>>> "
    assert "ZeroDivisionError: division by zero" in stderr
    assert stderr.rstrip().endswith("KeyboardInterrupt")
