"""The pytest plugin, used by an inner test run (pytester, in a subprocess of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import batch
from hostcall import npm

pytest_plugins = ["pytester"]

# Read before pytester points HOME at its temporary directory, so the inner run finds the
# runtime where it is instead of fetching it again.
CACHE_DIR = npm.cache_dir()

INNER_TESTS = """
import pytest

import hostcall


def test_the_session_fixture_runs_code_in_the_browser(hostcall_session):
    assert hostcall_session.run("import sys\\nsys.platform").value == "emscripten"
    hostcall_session.run("left_behind = 1")


def test_each_test_gets_fresh_globals(hostcall_session):
    result = hostcall_session.run("'left_behind' in globals()")
    assert result.value is False


@pytest.mark.parametrize("data", [(1, b"\\x00\\xff"), (2, b"")])
@hostcall.in_browser
def test_arguments_arrive_as_values(data):
    import sys
    number, blob = data
    assert sys.platform == "emscripten"
    assert type(data) is tuple and type(blob) is bytes
    print("in the browser:", number, len(blob))


@hostcall.in_browser
async def test_an_async_body_is_awaited():
    import asyncio
    await asyncio.sleep(0)


@hostcall.in_browser
def test_a_failure_shows_the_browser_traceback():
    total = sum([1, 2])
    assert total == 4, f"total was {total}"
"""


@batch.reads_a_batch
def test_the_plugin_runs_tests_in_the_browser(inner_runs: dict[str, pytest.RunResult]) -> None:
    failing_line = INNER_TESTS.splitlines().index('    assert total == 4, f"total was {total}"') + 1
    result = inner_runs["in-browser"]
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ test_a_failure_shows_the_browser_traceback _*",
            "Traceback (most recent call last):",
            f'  File "*test_inner.py", line {failing_line}, in test_a_failure_shows_the_browser_traceback',
            '    assert total == 4, f"total was {total}"',
            "AssertionError: total was 3",
            "*Captured stdout call*",
            "in the browser: 1 2",
        ]
    )
    assert "During handling" not in result.stdout.str()


TIMEOUT_TESTS = """
import pytest

import hostcall


@hostcall.in_browser
def test_a_first_test_warms_up():
    pass


@hostcall.in_browser
def test_spins_past_the_configured_limit():
    while True:
        pass


@pytest.mark.hostcall(timeout=0.5)
@hostcall.in_browser
def test_spins_past_its_marker_limit():
    while True:
        pass


# 2 s: setup (one call) fits in it many times over on a loaded machine; no longer is needed.
@pytest.mark.timeout(2)
@pytest.mark.hostcall(timeout=None)
@hostcall.in_browser
def test_stopped_by_pytest_timeout():
    global left_behind
    left_behind = 1
    while True:
        pass


def test_the_limit_holds_for_the_fixture_too(hostcall_session):
    error = hostcall_session.run("while True: pass").error
    assert error is not None and error.type == "TimeoutError", error
    assert "timeoutMs=1000" in error.message, error


@pytest.mark.hostcall(timeout=0.5)
@hostcall.in_browser
def test_swallows_its_timeout_error():
    while True:
        try:
            while True:
                pass
        except TimeoutError:
            pass


@hostcall.in_browser
def test_the_next_test_gets_a_clean_interpreter():
    import sys
    assert sys.platform == "emscripten"
    assert "left_behind" not in globals()
"""

NOT_ISOLATED = """
import pytest

import hostcall


@pytest.fixture(scope="session")
def hostcall_browser():
    with hostcall.SyncBrowser(isolation=False) as browser:
        yield browser
"""


def _plugin_flags() -> list[str]:
    installed = any(point.name == "hostcall" for point in entry_points(group="pytest11"))
    # An install made before the entry point existed does not load it: name the plugin.
    return [] if installed else ["-p", "hostcall.pytest_plugin"]


# The inner runs that start a browser, each in a folder of its own: its files and flags.
INNER_RUNS: dict[str, tuple[dict[str, str], list[str]]] = {
    "in-browser": ({"test_inner.py": INNER_TESTS}, ["-rA"]),
    # 1 s of Python time from the command line (isolated) or the ini file (not isolated).
    "isolated": (
        {"test_timeouts.py": TIMEOUT_TESTS, "pytest.ini": "[pytest]\nhostcall_timeout = 30\n"},
        ["--hostcall-timeout", "1"],
    ),
    "not-isolated": (
        {
            "test_timeouts.py": TIMEOUT_TESTS,
            "pytest.ini": "[pytest]\nhostcall_timeout = 1\n",
            "conftest.py": NOT_ISOLATED,
        },
        [],
    ),
}


@pytest.fixture(scope="module")
def inner_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pytest.RunResult]:
    """Every inner run that starts a browser, all at once: each spends most of its time
    starting Chromium and Pyodide or waiting for a time limit to fire. Each test reads its own.
    """
    started = {}
    for name, (files, flags) in INNER_RUNS.items():
        folder = tmp_path_factory.mktemp(name)
        for filename, text in files.items():
            (folder / filename).write_text(text)
        started[name] = _start_inner(folder, *flags)
    began = time.monotonic()
    done = batch.finish(started, batch.TIMEOUT)
    duration = time.monotonic() - began
    return {
        name: pytest.RunResult(
            run.returncode, run.stdout.splitlines(), run.stderr.splitlines(), duration
        )
        for name, run in done.items()
    }


def _start_inner(folder: Path, *flags: str) -> subprocess.Popen[str]:
    """``pytest`` in ``folder``, as ``pytester.runpytest_subprocess`` runs it."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    env["HOSTCALL_CACHE_DIR"] = str(CACHE_DIR)
    command = [sys.executable, "-m", "pytest", f"--basetemp={folder / 'basetemp'}"]
    return subprocess.Popen(
        [*command, *_plugin_flags(), *flags],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@batch.reads_a_batch
@pytest.mark.parametrize("name", ["isolated", "not-isolated"])
def test_a_runaway_test_fails_and_the_next_one_runs(
    inner_runs: dict[str, pytest.RunResult], name: str
) -> None:
    spin_line = TIMEOUT_TESTS.splitlines().index("        pass") + 1
    result = inner_runs[name]
    result.assert_outcomes(passed=3, failed=4)
    result.stdout.fnmatch_lines(
        [
            "*_ test_spins_past_the_configured_limit _*",
            "Traceback (most recent call last):",
            f'  File "*test_timeouts.py", line {spin_line}, in test_spins_past_the_configured_limit',
            "TimeoutError: the run took longer than its time limit (timeoutMs=1000)",
            "*_ test_spins_past_its_marker_limit _*",
            "Traceback (most recent call last):",
            '  File "*test_timeouts.py", line *, in test_spins_past_its_marker_limit',
            "TimeoutError: the run took longer than its time limit (timeoutMs=500)",
            "*_ test_stopped_by_pytest_timeout _*",
            "*Failed: Timeout (>2.0s) from pytest-timeout.",
            "*_ test_swallows_its_timeout_error _*",
            "hostcall: terminated: the worker was terminated: it ran past its time limit "
            "(timeoutMs=500) by more than 2000 ms*",
        ]
    )
    output = result.stdout.str()
    assert "busy" not in output
    assert "<hostcall-pytest>" not in output  # the plugin's own frames are left out


NEEDS_A_BROWSER = """
import pytest

import hostcall


@hostcall.in_browser
def test_one():
    pass


def test_two(hostcall_session):
    pass


@pytest.mark.hostcall(timeout=-1)
@hostcall.in_browser
def test_a_bad_marker():
    pass
"""

NO_PLAYWRIGHT = """
import sys

sys.modules["playwright"] = sys.modules["playwright.async_api"] = None
"""


@pytest.mark.parametrize("missing", ["chromium", "playwright"])
def test_a_missing_browser_is_one_line_per_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    if missing == "chromium":
        monkeypatch.setenv("HOSTCALL_CHROMIUM", "/nonexistent")
        message = (
            "hostcall: browser-missing: no Chromium at /nonexistent: install it "
            "(apt-get install chromium) or set HOSTCALL_CHROMIUM to its path"
        )
    else:
        pytester.makeconftest(NO_PLAYWRIGHT)
        message = (
            "hostcall: playwright-missing: Playwright is not installed; "
            "install it with: pip install 'hostcall[headless]'"
        )
    pytester.makepyfile(test_needs_a_browser=NEEDS_A_BROWSER)
    result = pytester.runpytest_subprocess(*_plugin_flags(), "-rA", timeout=60)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_one _*",
            message,
            "*_ ERROR at setup of test_two _*",
            message,
            "*_ ERROR at setup of test_a_bad_marker _*",
            "@pytest.mark.hostcall(timeout=...) must be a number of seconds > 0 or None, not -1",
        ]
    )
    output = result.stdout.str()
    for wall in ("Traceback", "During handling", "def hostcall_browser"):
        assert wall not in output, output


def test_a_bad_timeout_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nhostcall_timeout = soon\n")
    result = pytester.runpytest_subprocess(*_plugin_flags(), "--hostcall-timeout=-1")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--hostcall-timeout: expected a number of seconds >= 0, not '-1'"]
    )
    result = pytester.runpytest_subprocess(*_plugin_flags())
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*hostcall_timeout: expected a number of seconds >= 0, not 'soon'"]
    )
