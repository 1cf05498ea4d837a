"""The pytest plugin (entry point ``pytest11``): tests that run in headless Chromium's Pyodide.

- ``hostcall_browser`` (session scope): a :class:`hostcall.SyncBrowser`, started the first
  time a test asks for it, so test runs that never use the plugin never start a browser.
  Override it in a ``conftest.py`` to pass options (``SyncBrowser(isolation=False)``).
- ``hostcall_session`` (per test): one warm interpreter for the whole test session, whose
  user globals are cleared before each test (modules stay imported and other interpreter
  state stays: ``sys.modules``, ``sys.path``, files written). Its output goes to
  ``sys.stdout`` / ``sys.stderr``, so pytest captures it with the test's.
- ``@hostcall.in_browser``: the test function's source is shipped to that interpreter and
  called there, with its arguments (parameters, fixtures' values) carried as hostcall values
  (:mod:`hostcall.values`), never pickled. A failure is reported with the browser's
  traceback, its lines those of the test file.
- Time limits, so a runaway test fails instead of hanging the run: every execution of the
  session has the ``timeout_ms`` limit of ``--hostcall-timeout`` (else the ini option
  ``hostcall_timeout``, else 60 s; 0 lifts it), and ``@pytest.mark.hostcall(timeout=S)``
  sets an ``in_browser`` test's own (``None`` lifts it). Time in host calls does not count.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hostcall.errors import HostcallError
from hostcall.headless import Limits, PythonError, SyncBrowser, SyncSession, print_output
from hostcall.headless.errors import without_frames_of

DEFAULT_TIMEOUT = 60.0  # seconds of Python time per execution (host calls not counted)

_HELPERS = "<hostcall-pytest>"  # the file name of the plugin's own code in the browser

# Defines, in the session's globals, what clears every global defined after it, and what
# defines an in_browser test and calls it (two steps: only the call runs under the test's
# own time limit, and the arguments cross as values only through call()).
_RESET = """
def __hostcall_reset__():
    names = globals()
    for name in set(names) - __hostcall_baseline__:
        del names[name]

def __hostcall_define__(source, filename, name, arguments):
    global __hostcall_test__
    exec(compile(source, filename, "exec"), globals())
    test = globals()[name]
    __hostcall_test__ = lambda: test(**arguments)

async def __hostcall_run_test__():
    result = __hostcall_test__()
    if hasattr(result, "__await__"):
        await result

__hostcall_baseline__ = frozenset(globals()) | {"__hostcall_baseline__"}
"""
_RUN_TEST = "await __hostcall_run_test__()"
_TEST_LIMITS = pytest.StashKey["Limits"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    help_text = (
        "time limit in seconds of Python time for each execution in the browser "
        f"(@hostcall.in_browser tests, hostcall_session); 0 for none (default {DEFAULT_TIMEOUT:g})"
    )
    parser.getgroup("hostcall").addoption(
        "--hostcall-timeout", dest="hostcall_timeout", metavar="S", help=help_text
    )
    parser.addini("hostcall_timeout", help_text, default=str(DEFAULT_TIMEOUT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "hostcall(timeout=S): this @hostcall.in_browser test's time limit in seconds of "
        "Python time (None: no limit), instead of --hostcall-timeout / hostcall_timeout",
    )
    _configured_limits(config)  # a bad value is a usage error before any test runs


def _configured_limits(config: pytest.Config) -> Limits:
    """The session's limits: ``--hostcall-timeout``, else ``hostcall_timeout``."""
    option = config.getoption("hostcall_timeout")
    where, text = (
        ("--hostcall-timeout", option)
        if option is not None
        else ("hostcall_timeout", config.getini("hostcall_timeout"))
    )
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise pytest.UsageError(f"{where}: expected a number of seconds >= 0, not {text!r}")
    return {"timeout_ms": seconds * 1000 if seconds else None}


@pytest.fixture(scope="session")
def hostcall_browser() -> Iterator[SyncBrowser]:
    """The dev server and headless Chromium, for the whole test session."""
    try:
        browser = SyncBrowser()
    except HostcallError as error:  # no Chromium, no Playwright: one line, no traceback
        failure = f"hostcall: {error}"
    else:
        with browser:
            yield browser
        return
    pytest.fail(failure, pytrace=False)  # outside the except: no chained exception shown


@pytest.fixture(scope="session")
def _hostcall_warm_session(
    hostcall_browser: SyncBrowser, pytestconfig: pytest.Config
) -> SyncSession:
    return hostcall_browser.session(limits=_configured_limits(pytestconfig), on_output=print_output)


@pytest.fixture
def hostcall_session(_hostcall_warm_session: SyncSession) -> SyncSession:
    """The warm session, its globals cleared of what earlier tests defined."""
    session = _hostcall_warm_session
    try:
        session.call("__hostcall_reset__")
    except PythonError:  # the first test, or the worker restarted: globals are fresh
        session.run(_RESET, script_name=_HELPERS).unwrap()
    return session


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Read a test's ``hostcall`` marker before its fixtures start a browser."""
    marker = item.get_closest_marker("hostcall")
    if marker is not None:
        item.stash[_TEST_LIMITS] = _marker_limits(marker)


@pytest.fixture
def _hostcall_test_limits(request: pytest.FixtureRequest) -> Limits | None:
    """An in_browser test's own limits, from its ``hostcall`` marker (None: the session's)."""
    limits: Limits | None = request.node.stash.get(_TEST_LIMITS, None)
    return limits


def _marker_limits(marker: pytest.Mark) -> Limits:
    unknown = set(marker.kwargs) - {"timeout"}
    if marker.args or unknown:
        wrong = marker.args[0] if marker.args else min(unknown)
        pytest.fail(f"@pytest.mark.hostcall takes only timeout=S, not {wrong!r}", pytrace=False)
    timeout = marker.kwargs.get("timeout")
    if timeout is None:
        return {"timeout_ms": None}
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        pytest.fail(
            "@pytest.mark.hostcall(timeout=...) must be a number of seconds > 0 or None, "
            f"not {timeout!r}",
            pytrace=False,
        )
    return {"timeout_ms": timeout * 1000}


def in_browser(function: Callable[..., Any]) -> Callable[..., None]:
    """Run the decorated test function in the browser's Python instead of here.

    Its arguments are requested from pytest as usual (plus ``hostcall_session``) and sent
    as values; its source is all that crosses, so it must not use names of the test module
    (import inside it what it needs). A failure shows the browser-side traceback.
    """
    source, filename = _shipped_source(function)
    name = function.__name__
    parameters = list(inspect.signature(function).parameters.values())
    provided = ("_hostcall_test_limits", "hostcall_session")
    if any(parameter.name in provided for parameter in parameters):
        raise TypeError(f"{name}: in_browser provides hostcall_session itself")

    def test(
        *, _hostcall_test_limits: Limits | None, hostcall_session: SyncSession, **arguments: Any
    ) -> None:
        try:
            hostcall_session.call("__hostcall_define__", source, filename, name, arguments)
            hostcall_session.run(
                _RUN_TEST, limits=_hostcall_test_limits, script_name=_HELPERS
            ).unwrap()
        except PythonError as error:
            failure = without_frames_of(error, _HELPERS).format()
        except HostcallError as error:  # the worker terminated, say: no traceback of ours
            failure = f"hostcall: {error}"
        else:
            return
        pytest.fail(failure, pytrace=False)  # outside the except: no chained exception shown

    extra = [inspect.Parameter(each, inspect.Parameter.KEYWORD_ONLY) for each in provided]
    test.__signature__ = inspect.Signature([*parameters, *extra])  # type: ignore[attr-defined]
    for attribute in ("__name__", "__qualname__", "__module__", "__doc__"):
        setattr(test, attribute, getattr(function, attribute))
    if hasattr(function, "pytestmark"):  # marks applied below this decorator
        test.pytestmark = function.pytestmark  # type: ignore[attr-defined]
    return test


def _shipped_source(function: Callable[..., Any]) -> tuple[str, str]:
    """The function's definition without its decorators, on the lines it has in its file."""
    lines, first_line = inspect.getsourcelines(function)
    text = textwrap.dedent("".join(lines))
    definition = ast.parse(text).body[0]
    start = definition.lineno - 1  # the ``def`` line: decorators come before it
    body = "".join(text.splitlines(keepends=True)[start:])
    filename = inspect.getsourcefile(function) or f"<{function.__name__}>"
    return "\n" * (first_line - 1 + start) + body, filename
