"""Subprocesses started together and awaited against one deadline.

Each of the tests' slow subprocesses (``hostcall run``, a script, an inner pytest) starts its
own Chromium and Pyodide and then mostly waits; started as a batch, they take about as long
as the slowest of them instead of their sum.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from typing import TypeVar

import pytest

Key = TypeVar("Key")

# Seconds after which a batch has hung. Generous: on a loaded 2-core machine a batch's
# Chromium starts run at a fraction of their speed, and a limit that fires is a hang, not
# slowness.
TIMEOUT = 300
# The mark of a test whose fixture runs a batch: the batch's time counts as the test's own,
# and pyproject.toml's 120 s a test would cut it short.
reads_a_batch = pytest.mark.timeout(TIMEOUT + 60)


def finish(
    started: Mapping[Key, subprocess.Popen[str]],
    timeout: float,
    stdin: Mapping[Key, str] | None = None,
) -> dict[Key, subprocess.CompletedProcess[str]]:
    """Wait for every process of ``started`` (given its ``stdin`` text, if any), all within
    ``timeout`` seconds from now. One still running then has hung: it is killed, and its
    stderr ends with a line saying so (its return code is ``-SIGKILL``)."""
    deadline = time.monotonic() + timeout
    return {
        key: _finish_one(process, (stdin or {}).get(key, ""), deadline, timeout)
        for key, process in started.items()
    }


def _finish_one(
    process: subprocess.Popen[str], stdin: str, deadline: float, timeout: float
) -> subprocess.CompletedProcess[str]:
    try:
        stdout, stderr = process.communicate(stdin, timeout=max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        stderr += f"\n[hung: killed after {timeout:g} s]\n"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
