"""The Python API's contract with its caller: arguments checked in Python's terms, closing
while a host function runs, host exceptions crossing with their args (issue 13).

Real server, real Chromium, real Pyodide: the test session's browser (conftest.py's
``headless``); the tests that close a browser start their own.
"""

from __future__ import annotations

import asyncio
import builtins
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
import pytest_asyncio

from hostcall import Browser, HostcallError, Session, SyncBrowser

in_loop = pytest.mark.asyncio(loop_scope="session")  # the session's browser lives in its loop


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def session(headless: Browser) -> Session:
    return await headless.session()


# (arguments of the call, the exception type, what its message says)
SESSION_OPTIONS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"limits": {"timeout": 5}}, ValueError, "unknown limit 'timeout'; did you mean 'timeout_ms'?"),
    ({"limits": {"timeoutMs": 5}}, ValueError, "unknown limit 'timeoutMs'; did you mean 'timeout_ms'?"),
    ({"limits": {"zzz": 5}}, ValueError, "known: timeout_ms, memory_bytes, recursion_depth"),
    ({"limits": {"timeout_ms": "5"}}, TypeError, "limits['timeout_ms'] must be a positive number of milliseconds or None, not str"),
    ({"limits": {"timeout_ms": 0}}, ValueError, "limits['timeout_ms'] must be a positive number"),
    ({"limits": {"max_host_calls": 1.5}}, TypeError, "limits['max_host_calls'] must be a positive int or None, not float"),
    ({"limits": {"memory_bytes": True}}, TypeError, "not bool"),
    ({"limits": [("timeout_ms", 5)]}, TypeError, "limits must be a mapping"),
    ({"transport": "jsp"}, ValueError, "transport must be one of 'auto', 'atomics', 'jspi', not 'jsp'; did you mean 'jspi'?"),
    ({"transport": None}, TypeError, "transport must be a str, not None"),
    ({"interrupt_grace_ms": "1s"}, TypeError, "interrupt_grace_ms must be a non-negative number"),
    ({"interrupt_grace_ms": -1}, ValueError, "interrupt_grace_ms must be a non-negative number"),
    ({"allow_js": "yes"}, TypeError, "allow_js must be True or False, not str"),
    ({"spare": 1}, TypeError, "spare must be True or False, not int"),
    ({"startup_snapshot": None}, TypeError, "startup_snapshot must be True or False, not None"),
    ({"on_output": "print"}, TypeError, "on_output must be callable or None, not str"),
    ({"packages": "six"}, TypeError, "packages must be a sequence of str, not str"),
    ({"trasport": "auto"}, TypeError, "unexpected keyword argument 'trasport'; did you mean 'transport'?"),
]  # fmt: skip


@in_loop
@pytest.mark.parametrize(("options", "kind", "message"), SESSION_OPTIONS)
async def test_session_options_are_checked_in_python_terms(
    headless: Browser, options: dict[str, Any], kind: type[Exception], message: str
) -> None:
    with pytest.raises(kind) as raised:
        await headless.session(**options)
    assert isinstance(raised.value, HostcallError) and raised.value.code == "invalid-argument"
    assert str(raised.value).startswith("invalid-argument: Browser.session(): ")
    assert message in str(raised.value)


RUN_ARGUMENTS: list[tuple[str, tuple[Any, ...], dict[str, Any], type[Exception], str]] = [
    ("run", (b"1",), {}, TypeError, "Session.run(): code must be a str, not bytes"),
    ("run", ("1",), {"limits": {"timeout_msec": 9}}, ValueError, "Session.run(): unknown limit 'timeout_msec'; did you mean 'timeout_ms'?"),
    ("run", ("1",), {"script_name": 3}, TypeError, "script_name must be a str or None, not int"),
    ("run", ("1",), {"script_name": ""}, ValueError, "script_name must not be empty"),
    ("run", ("1",), {"on_output": 1}, TypeError, "on_output must be callable or None, not int"),
    ("run", ("1",), {"scriptname": "a.py"}, TypeError, "Session.run(): unexpected keyword argument 'scriptname'; did you mean 'script_name'?"),
    ("run_with_host_functions", ("1", {}), {"limit": {}}, TypeError, "unexpected keyword argument 'limit'; did you mean 'limits'?"),
    ("run_with_host_functions", ("1", [print]), {}, TypeError, "Session.run_with_host_functions(): handlers must be a mapping of names to callables, not list"),
    ("run_with_host_functions", ("1", {1: print}), {}, TypeError, "a handler's name must be a str, not int"),
    ("run_with_host_functions", ("1", {"a b": print}), {}, ValueError, "handlers: 'a b' is not a Python identifier"),
    ("run_with_host_functions", ("1", {"print": print}), {}, ValueError, "handlers: 'print' would shadow the Python builtin"),
    ("run_with_host_functions", ("1", {"f": "print"}), {}, TypeError, "handlers['f'] must be callable, not str"),
    ("run_with_host_functions", (None, {}), {}, TypeError, "code must be a str, not None"),
    ("call", (len,), {}, TypeError, "Session.call(): name must be a str, not builtin_function_or_method"),
]  # fmt: skip


@in_loop
@pytest.mark.parametrize(("method", "args", "kwargs", "kind", "message"), RUN_ARGUMENTS)
async def test_session_arguments_are_checked_in_python_terms(
    session: Session,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    kind: type[Exception],
    message: str,
) -> None:
    with pytest.raises(kind) as raised:
        await getattr(session, method)(*args, **kwargs)
    assert isinstance(raised.value, HostcallError) and raised.value.code == "invalid-argument"
    assert message in str(raised.value)
    assert (await session.run("'still usable'")).value == "still usable"


BROWSER_ARGUMENTS: list[tuple[dict[str, Any], str]] = [
    ({"isolation": "no"}, "Browser(): isolation must be True or False, not str"),
    ({"allow_connect": "http://a.example"}, "allow_connect must be a sequence of str, not str"),
    ({"allow_connect": [1]}, "an item of allow_connect must be a str, not int"),
    ({"headless": None}, "headless must be True or False, not None"),
    ({"executable_path": 5}, "executable_path must be a str, not int"),
    ({"log": "stderr"}, "log must be callable or None, not str"),
    (
        {"isolated": False},
        "Browser(): unexpected keyword argument 'isolated'; did you mean 'isolation'?",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BROWSER_ARGUMENTS)
@pytest.mark.parametrize("cls", [Browser, SyncBrowser])
def test_browser_arguments_are_checked_before_anything_starts(
    cls: Callable[..., Any], kwargs: dict[str, Any], message: str
) -> None:
    threads = threading.active_count()
    with pytest.raises(TypeError, match=re.escape(message)):
        cls(**kwargs)
    assert threading.active_count() == threads  # SyncBrowser left no loop thread behind


class Blocked:
    """A host function that blocks until the test ends it: sync (in its thread) or async."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.started = threading.Event()
        self.release = threading.Event()  # the sync one's only way out
        self.cancelled = threading.Event()

    def handler(self) -> Callable[[], Any]:
        def sync_wait() -> str:
            self.started.set()
            self.release.wait()
            return "too late"

        async def async_wait() -> str:
            self.started.set()
            try:
                await asyncio.Event().wait()
            finally:
                self.cancelled.set()
            return "too late"

        return sync_wait if self.kind == "sync" else async_wait

    def start(self, session: Session) -> asyncio.Task[Any]:
        return asyncio.create_task(
            session.run_with_host_functions("print('before')\nwait()", {"wait": self.handler()})
        )

    async def running(self) -> None:
        await asyncio.to_thread(self.started.wait)

    async def assert_disposed(self, run: asyncio.Task[Any]) -> None:
        """The run fails ``disposed`` while a sync handler still blocks (it would hang else)."""
        try:
            with pytest.raises(HostcallError) as raised:
                await run
            assert raised.value.code == "disposed"
            assert "closed while host function 'wait' ran" in raised.value.message
            if self.kind == "async":
                assert self.cancelled.is_set()
            else:
                assert not self.release.is_set()
        finally:
            self.release.set()


@in_loop
@pytest.mark.parametrize("transport", ["atomics", "jspi"])
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_closing_a_session_fails_a_run_whose_host_function_runs(
    headless: Browser, transport: str, kind: str
) -> None:
    doomed = await headless.session(transport=transport)
    blocked = Blocked(kind)
    run = blocked.start(doomed)
    await blocked.running()
    await doomed.close()
    await blocked.assert_disposed(run)


@in_loop
async def test_closing_the_browser_fails_every_run_whose_host_function_runs() -> None:
    async with Browser() as browser:
        blocked = [Blocked("sync"), Blocked("async")]
        sessions = [await browser.session() for _ in blocked]
        runs = [each.start(session) for each, session in zip(blocked, sessions, strict=True)]
        for each in blocked:
            await each.running()
    for each, run in zip(blocked, runs, strict=True):
        await each.assert_disposed(run)


def test_sync_twins_check_arguments_and_close_fails_a_run_at_once() -> None:
    blocked = Blocked("sync")
    with SyncBrowser() as browser:
        with pytest.raises(ValueError, match="did you mean 'jspi'"):
            browser.session(transport="jsp")  # type: ignore[arg-type]
        session = browser.session()
        with pytest.raises(TypeError, match="handlers must be a mapping of names to callables"):
            session.run_with_host_functions("1", [print])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="did you mean 'max_host_calls'"):
            session.run("1", limits={"max_calls": 1})  # type: ignore[typeddict-unknown-key]
        # Closed from another thread while a sync handler blocks: the run fails at once.
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                session.run_with_host_functions("wait()", {"wait": blocked.handler()})
            except BaseException as error:
                outcome.append(error)

        runner = threading.Thread(target=run)
        runner.start()
        blocked.started.wait()
        session.close()
        runner.join()  # hangs if the run waits for the handler, which is still blocked
        try:
            assert not blocked.release.is_set()
            assert isinstance(outcome[0], HostcallError) and outcome[0].code == "disposed"
        finally:
            blocked.release.set()


BUILTIN_EXCEPTIONS = [
    cls
    for cls in vars(builtins).values()
    if isinstance(cls, type) and issubclass(cls, BaseException)
]
# The args of each: bytes and an int beside the text, to show they cross as their types.
EXCEPTION_ARGS: dict[type[BaseException], tuple[Any, ...]] = {
    UnicodeDecodeError: ("utf-8", b"\xff", 0, 1, "invalid start byte"),
    UnicodeEncodeError: ("ascii", "é", 0, 1, "ordinal not in range(128)"),
    UnicodeTranslateError: ("é", 0, 1, "no mapping"),
    BaseExceptionGroup: ("several", [KeyboardInterrupt("k"), KeyError("missing")]),
    ExceptionGroup: ("several", [KeyError("missing"), ExceptionGroup("inner", [OSError(2, "gone")])]),
}  # fmt: skip
DESCRIBE = """
def describe(error):
    if isinstance(error, BaseExceptionGroup):
        return (type(error).__name__, error.message, [describe(each) for each in error.exceptions])
    return (type(error).__name__, error.args)
"""


def describe(error: BaseException) -> Any:
    """What the browser's ``describe`` (above) returns for ``error``, values as they come back."""
    if isinstance(error, BaseExceptionGroup):
        return (type(error).__name__, error.message, [describe(each) for each in error.exceptions])
    return (type(error).__name__, error.args)


@in_loop
@pytest.mark.parametrize("cls", BUILTIN_EXCEPTIONS, ids=lambda cls: cls.__name__)
async def test_every_builtin_exception_crosses_with_its_args(
    session: Session, cls: type[BaseException]
) -> None:
    raised = cls(*EXCEPTION_ARGS.get(cls, ("missing", 2, b"\x00")))

    def fail() -> None:
        raise raised

    code = (
        DESCRIBE
        + "try:\n    fail()\nexcept BaseException as error:\n    seen = describe(error)\nseen"
    )
    result = await session.run_with_host_functions(code, {"fail": fail})
    assert result.unwrap() == describe(raised)


@in_loop
async def test_a_key_error_keeps_its_key(session: Session) -> None:
    """The issue's case: ``KeyError("missing")``, not ``KeyError("'missing'")``."""
    result = await session.run_with_host_functions(
        "try:\n    get('missing')\nexcept KeyError as error:\n    seen = (repr(error), error.args[0])\nseen",
        {"get": {}.__getitem__},
    )
    assert result.unwrap() == ("KeyError('missing')", "missing")


@in_loop
async def test_args_that_cannot_cross_leave_the_message(session: Session) -> None:
    def fail() -> None:
        raise ValueError(object(), "text")

    result = await session.run_with_host_functions(
        "try:\n    fail()\nexcept ValueError as error:\n    seen = error.args\nseen", {"fail": fail}
    )
    assert result.unwrap()[0].startswith("(<object object at ")
