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
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hostcall.browser import print_output
from hostcall.errors import PythonError
from hostcall.sync import SyncBrowser, SyncSession

# Defines, in the session's globals, what clears every global defined after it.
_RESET = """
def __hostcall_reset__():
    names = globals()
    for name in set(names) - __hostcall_baseline__:
        del names[name]

__hostcall_baseline__ = frozenset(globals()) | {"__hostcall_baseline__"}
"""


@pytest.fixture(scope="session")
def hostcall_browser() -> Iterator[SyncBrowser]:
    """The dev server and headless Chromium, for the whole test session."""
    with SyncBrowser() as browser:
        yield browser


@pytest.fixture(scope="session")
def _hostcall_warm_session(hostcall_browser: SyncBrowser) -> SyncSession:
    return hostcall_browser.session(on_output=print_output)


@pytest.fixture
def hostcall_session(_hostcall_warm_session: SyncSession) -> SyncSession:
    """The warm session, its globals cleared of what earlier tests defined."""
    session = _hostcall_warm_session
    try:
        session.call("__hostcall_reset__")
    except PythonError:  # the first test, or the worker restarted: globals are fresh
        session.run(_RESET, script_name="<hostcall-pytest>").unwrap()
    return session


def in_browser(function: Callable[..., Any]) -> Callable[..., None]:
    """Run the decorated test function in the browser's Python instead of here.

    Its arguments are requested from pytest as usual (plus ``hostcall_session``) and sent
    as values; its source is all that crosses, so it must not use names of the test module
    (import inside it what it needs). A failure shows the browser-side traceback.
    """
    source, filename = _shipped_source(function)
    name = function.__name__
    parameters = list(inspect.signature(function).parameters.values())
    if any(parameter.name == "hostcall_session" for parameter in parameters):
        raise TypeError(f"{name}: in_browser provides hostcall_session itself")

    def test(*, hostcall_session: SyncSession, **arguments: Any) -> None:
        try:
            hostcall_session.run(source, script_name=filename).unwrap()
            hostcall_session.call(name, **arguments)
        except PythonError as error:
            failure = error.format()
        else:
            return
        pytest.fail(failure, pytrace=False)  # outside the except: no chained exception shown

    session_parameter = inspect.Parameter("hostcall_session", inspect.Parameter.KEYWORD_ONLY)
    test.__signature__ = inspect.Signature([*parameters, session_parameter])  # type: ignore[attr-defined]
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
