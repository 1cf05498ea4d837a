"""The pytest plugin, used by an inner test run (pytester, in a subprocess of its own)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

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


def test_the_plugin_runs_tests_in_the_browser(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTCALL_CACHE_DIR", str(CACHE_DIR))
    inner = pytester.makepyfile(test_inner=INNER_TESTS)
    failing_line = (
        inner.read_text().splitlines().index('    assert total == 4, f"total was {total}"') + 1
    )
    installed = any(point.name == "hostcall" for point in entry_points(group="pytest11"))
    # An install made before the entry point existed does not load it: name the plugin.
    flags = [] if installed else ["-p", "hostcall.pytest_plugin"]
    result = pytester.runpytest_subprocess(*flags, "-rA", timeout=120)
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
