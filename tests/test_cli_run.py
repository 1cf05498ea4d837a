"""``hostcall run`` and ``hostcall repl``, as a user runs them: subprocesses, real Chromium.

Each command starts its own server and browser, so the scripts of a fixture run side by side.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import batch

SCRIPTS = {
    "prints.py": (
        "import sys\n"
        "print('hello from', sys.platform)\n"
        "print('to stderr', file=sys.stderr)\n"
        "print(greet('Ada'))\n"
    ),
    "fails.py": "def divide(a, b):\n    return a / b\n\nprint('before')\ndivide(1, 0)\n",
    "spins.py": "print('spinning')\nwhile True:\n    pass\n",
    "swallows.py": (
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except TimeoutError:\n        pass\n"
    ),
    "asks.py": (
        "import sys\n"
        "name = input('name? ')\n"
        "print('hello', name)\n"
        "print('the rest:', sys.stdin.read().split())\n"
        "try:\n"
        "    input()\n"
        "except EOFError:\n"
        "    print('end of input')\n"
    ),
}
STDIN = {"asks.py": "Ada Lovelace\nb c\nd\n"}
HANDLERS = "def greet(name):\n    return f'hi {name}'\n\nHANDLERS = {'greet': greet}\n"
FLAGS = {
    "prints.py": ["--host-functions", "handlers:HANDLERS"],
    "fails.py": ["--no-isolation"],
    "spins.py": ["--timeout", "0.5"],
    "swallows.py": ["--timeout", "0.5"],
    "asks.py": ["--no-isolation"],
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
        started[name] = _start(where, name, *FLAGS[name])
    yield batch.finish(started, batch.TIMEOUT, STDIN)


def _start(where: Path, script: str, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hostcall", "run", script, *flags],
        cwd=where,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@batch.reads_a_batch
def test_a_script_that_prints(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["prints.py"]
    assert run.returncode == 0, run.stderr
    assert run.stdout == "hello from emscripten\nhi Ada\n"
    assert run.stderr.endswith("to stderr\n")


@batch.reads_a_batch
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


@batch.reads_a_batch
def test_a_script_that_times_out(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["spins.py"]
    assert run.returncode == 1
    assert run.stdout == "spinning\n"
    assert run.stderr.endswith(
        "TimeoutError: the run took longer than its time limit (timeoutMs=500)\n"
    )
    assert 'File "spins.py"' in run.stderr


@batch.reads_a_batch
def test_a_script_terminated_by_the_watchdog(
    runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    """It swallows its TimeoutError; the note that the session restarts means nothing here."""
    run = runs["swallows.py"]
    assert run.returncode == 1
    assert run.stderr == (
        "hostcall: error: terminated: the worker was terminated: it ran past its time limit "
        "(timeoutMs=500) by more than 2000 ms\n"
    )


@batch.reads_a_batch
def test_input_reads_this_process_stdin(runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = runs["asks.py"]
    assert run.returncode == 0, run.stderr
    assert run.stdout == ("name? hello Ada Lovelace\nthe rest: ['b', 'c', 'd']\nend of input\n")


CTRL_C = {
    "spins.py": ("print('spinning', flush=True)\nwhile True:\n    pass\n", []),
    # Without isolation a busy Python never sees the interrupt: it is terminated.
    "spins-jspi.py": ("print('spinning', flush=True)\nwhile True:\n    pass\n", ["--no-isolation"]),
    "waits.py": ("print('waiting', flush=True)\ninput()\n", []),
}


@pytest.fixture(scope="module")
def interrupted(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run each script until its first line, then press Ctrl-C (SIGINT)."""
    where = tmp_path_factory.mktemp("interrupted")
    started = {}
    for name, (source, flags) in CTRL_C.items():
        (where / name).write_text(source)
        started[name] = _start(where, name, *flags)
    for process in started.values():
        assert process.stdout is not None
        process.stdout.readline()  # the script is running
        process.send_signal(signal.SIGINT)
    return batch.finish(started, batch.TIMEOUT)


@batch.reads_a_batch
@pytest.mark.parametrize(
    ("name", "ending"),
    [
        ("spins.py", "KeyboardInterrupt\n"),  # raised where Python is
        # raised at the host call of input()'s read, which Ctrl-C answered
        ("waits.py", "    input()\nKeyboardInterrupt: interrupted by the page\n"),
    ],
)
def test_ctrl_c_exits_130_with_the_traceback(
    interrupted: dict[str, subprocess.CompletedProcess[str]], name: str, ending: str
) -> None:
    run = interrupted[name]
    assert run.returncode == 130, run.stderr
    assert run.stderr.startswith(f'Traceback (most recent call last):\n  File "{name}", line ')
    assert run.stderr.endswith(ending), run.stderr
    assert "<hostcall-run>" not in run.stderr  # the frames of input()'s plumbing are left out


@batch.reads_a_batch
def test_ctrl_c_of_a_script_that_does_not_stop(
    interrupted: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    run = interrupted["spins-jspi.py"]
    assert run.returncode == 130, run.stderr
    assert run.stderr == (
        "hostcall: the script did not stop within 1000 ms of Ctrl-C: it was terminated\n"
    )


def _interrupt_repl(tmp_path: Path, lines: str, *flags: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``hostcall repl``, type ``lines`` (the last prints "go", then runs forever) and
    press Ctrl-C once "go" is out; return the repl and what it printed until then."""
    repl = subprocess.Popen(
        [sys.executable, "-m", "hostcall", "repl", *flags],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert repl.stdin is not None and repl.stdout is not None
    repl.stdin.write(lines + "print('go'); [0 for _ in iter(int, 1)]\n")
    repl.stdin.flush()
    seen = ""
    while not seen.endswith("go\n"):  # the endless statement is running
        seen += repl.stdout.read(1)
    repl.send_signal(signal.SIGINT)
    return repl, seen


def test_the_repl_keeps_state_and_survives_ctrl_c(tmp_path: Path) -> None:
    repl, seen = _interrupt_repl(
        tmp_path, "x = 6 * 7\nx\nfor i in range(2):\n    print(i)\n\n1/0\n"
    )
    stdout, stderr = repl.communicate("print('after', x)\n", timeout=60)
    assert repl.returncode == 0, stderr
    assert seen + stdout == ">>> >>> 42\n>>> ... ... 0\n1\n>>> >>> go\n>>> after 42\n>>> "
    assert "ZeroDivisionError: division by zero" in stderr
    assert stderr.rstrip().endswith("KeyboardInterrupt")


def test_the_repl_goes_on_after_a_statement_is_terminated(tmp_path: Path) -> None:
    """Without isolation, Python busy computing never sees Ctrl-C: it is terminated."""
    repl, seen = _interrupt_repl(tmp_path, "x = 1\n", "--no-isolation")
    stdout, stderr = repl.communicate("print('after', 'x' in globals())\n", timeout=60)
    assert repl.returncode == 0, stderr
    assert seen + stdout == ">>> >>> go\n>>> after False\n>>> "
    assert (
        "hostcall: the worker was terminated: it did not stop within 1000 ms of interrupt(); "
        "the prompt goes on in a new interpreter (earlier globals are gone)\n"
    ) in stderr
    assert "restarts on its next use" not in stderr
