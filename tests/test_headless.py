"""The async Python API (hostcall.Browser): real server, real Chromium, real Pyodide.

The test session's browser (conftest.py's ``headless``, in the session's event loop) and one
warm session for the module; tests that need another session open it in the same browser
context, which starts it from the snapshot.
"""

from __future__ import annotations

import asyncio
import datetime
import math
from typing import Any

import pytest
import pytest_asyncio

from hostcall import Browser, HostcallError, PythonError, Result, Session

pytestmark = pytest.mark.asyncio(loop_scope="session")  # the loop of conftest.py's headless

VALUES: list[Any] = [
    None,
    True,
    -7,
    2**70,
    -(2**64),
    1.5,
    float("inf"),
    "é\u0000x",
    b"\x00\xff" * 3,
    (1, (2, "t")),
    [1, [None]],
    {1, "two"},
    {"a": {"b": [1]}},
    {(1, 2): "tuple key", 3: "int key"},
    {"$hc": "a key the encoding uses"},
    datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=datetime.UTC),
]
BROWSER_TYPES = [
    "NoneType", "bool", "int", "int", "int", "float", "float", "str", "bytes", "tuple",
    "list", "set", "dict", "dict", "dict", "datetime",
]  # fmt: skip


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def session(headless: Browser) -> Session:
    return await headless.session()


async def spinning(session: Session) -> asyncio.Task[Result]:
    """Start an endless loop in ``session``; return its run once Python is in the loop."""
    looping = asyncio.Event()
    run = asyncio.create_task(
        session.run(
            "print('looping', flush=True)\nwhile True:\n    pass",
            on_output=lambda stream, text: looping.set(),
        )
    )
    await looping.wait()
    return run


async def test_values_cross_both_ways_as_their_types(session: Session) -> None:
    result = await session.run_with_host_functions(
        "values = get()\n[type(v).__name__ for v in values], values",
        {"get": lambda: VALUES},
    )
    types, back = result.unwrap()
    assert types == BROWSER_TYPES
    assert back == VALUES
    assert [type(v) for v in back] == [type(v) for v in VALUES]
    assert math.isnan(await session.call("float", "nan"))
    assert await session.call("max", 2**80, 3) == 2**80


async def test_a_host_calls_values_pass_through_the_page_encoded(session: Session) -> None:
    """The page hands a host call on as the worker encoded it, and the answer back so: a
    datetime keeps the microseconds a page Date would drop, bytes cross as blobs both ways."""
    moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    seen: list[Any] = []

    def echo(*args: Any) -> Any:
        seen.append(args)
        if args[1] == b"raise":
            raise ValueError(b"\x00\xff", moment)
        return args

    code = (
        "import datetime\n"
        "m = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)\n"
        "back = echo(m, b'\\x00\\xff')\n"
        "try:\n    echo(m, b'raise')\nexcept ValueError as e:\n    raised = e.args\n"
        "(back == (m, b'\\x00\\xff'), back[0].microsecond, raised == (b'\\x00\\xff', m))"
    )
    result = await session.run_with_host_functions(code, {"echo": echo})
    assert seen == [(moment, b"\x00\xff"), (moment, b"raise")]
    assert result.unwrap() == (True, 123456, True)


async def test_a_value_that_cannot_cross_is_a_typed_error(session: Session) -> None:
    with pytest.raises(HostcallError) as raised:
        await session.call("len", [object()])
    assert raised.value.code == "unserializable"
    assert "a value of type 'object' cannot cross" in raised.value.message
    returned = await session.run("def f():\n    pass\nf")
    assert returned.error is not None and returned.error.type == "TypeError"
    assert "cannot cross to the calling Python process" in returned.error.message
    answered = await session.run_with_host_functions(
        "try:\n    f()\nexcept TypeError as e:\n    r = str(e)\nr", {"f": lambda: object()}
    )
    assert (
        answered.value == "f() returned a value that cannot cross: "
        "f(): a value of type 'object' cannot cross to the browser"
    )


@pytest.mark.parametrize("transport", ["atomics", "jspi"])
async def test_host_functions_are_python_callables_here(
    headless: Browser, session: Session, transport: str
) -> None:
    """Sync and async handlers, keyword arguments, and exceptions raised at the call."""
    if transport == "jspi":
        session = await headless.session(transport="jspi")
        assert session.info["transport"] == "jspi"

    class Refused(Exception):
        pass

    def refuse() -> None:
        raise Refused("no way")

    async def add(a: int, b: int = 0) -> int:
        await asyncio.sleep(0)
        return a + b

    code = (
        "out = [add(1, b=2), add(5), greet('Ada')]\n"
        "try:\n    lookup('k')\nexcept KeyError as e:\n    out.append(repr(e))\n"
        "try:\n    refuse()\nexcept Exception as e:\n    out.append((type(e).__name__, e.type, e.message))\n"
        "out"
    )
    result = await session.run_with_host_functions(
        code,
        {
            "add": add,
            "greet": lambda name: f"hi {name}",
            "lookup": {}.__getitem__,
            "refuse": refuse,
        },
    )
    assert result.unwrap() == [
        3,
        5,
        "hi Ada",
        "KeyError('k')",  # its args, not its str(): issue 13
        ("HostError", "Refused", "no way"),
    ]
    if transport == "jspi":
        await session.close()


async def test_output_streams_in_order_before_the_result(session: Session) -> None:
    chunks: list[tuple[str, str]] = []
    code = (
        "import sys\nfor i in range(50):\n    print(i)\n    print('e', i, file=sys.stderr)\n'done'"
    )
    result = await session.run(code, on_output=lambda stream, text: chunks.append((stream, text)))
    assert result.value == "done"
    assert "".join(text for stream, text in chunks if stream == "stdout") == result.stdout
    assert "".join(text for stream, text in chunks if stream == "stderr") == result.stderr
    assert result.stdout == "".join(f"{i}\n" for i in range(50))


async def test_a_python_exception_is_a_result_with_its_traceback(session: Session) -> None:
    result = await session.run(
        "def inner():\n    raise ValueError('bad')\n\ninner()", script_name="job.py"
    )
    assert not result.ok and result.value is None
    error = result.error
    assert error is not None
    assert (error.type, error.message, error.line) == ("ValueError", "bad", 2)
    assert [(f.filename, f.line, f.name) for f in error.traceback] == [
        ("job.py", 4, "<module>"),
        ("job.py", 2, "inner"),
    ]
    sources = {"job.py": "def inner():\n    raise ValueError('bad')\n\ninner()"}
    assert error.format(sources) == (
        "Traceback (most recent call last):\n"
        '  File "job.py", line 4, in <module>\n'
        "    inner()\n"
        '  File "job.py", line 2, in inner\n'
        "    raise ValueError('bad')\n"
        "ValueError: bad\n"
    )
    with pytest.raises(PythonError, match="ValueError: bad"):
        result.unwrap()


async def test_call_returns_or_raises(session: Session) -> None:
    await session.run("def area(w, h=1):\n    return w * h")
    assert await session.call("area", 3, h=4) == 12
    with pytest.raises(PythonError) as raised:
        await session.call("area", None)
    assert raised.value.type == "TypeError"
    assert raised.value.traceback[0].name == "area"


async def test_limits_are_snake_case_and_checked(session: Session) -> None:
    result = await session.run("while True:\n    pass", limits={"timeout_ms": 200})
    assert result.error is not None and result.error.type == "TimeoutError"
    with pytest.raises(HostcallError) as raised:
        await session.run("1", limits={"timeout": 1})  # type: ignore[typeddict-unknown-key]
    assert raised.value.code == "invalid-argument"
    assert "unknown limit 'timeout'; did you mean 'timeout_ms'?" in raised.value.message


async def test_interrupt_stops_running_python(session: Session) -> None:
    running = await spinning(session)
    await session.interrupt()
    result = await running
    assert result.error is not None and result.error.type == "KeyboardInterrupt"


async def test_interrupt_at_a_host_call_cancels_its_handler(session: Session) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def wait_forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    running = asyncio.create_task(
        session.run_with_host_functions(
            "print('waiting')\nwait_forever()", {"wait_forever": wait_forever}
        )
    )
    await started.wait()
    await session.interrupt()
    result = await running
    assert result.error is not None
    assert (result.error.type, result.error.message) == (
        "KeyboardInterrupt",
        "interrupted by the page",
    )
    assert result.stdout == "waiting\n"
    assert cancelled.is_set()
    assert (await session.run("6 * 7")).value == 42


async def test_one_execution_at_a_time_and_a_cancelled_one_is_stopped(session: Session) -> None:
    running = await spinning(session)
    with pytest.raises(HostcallError) as raised:
        await session.run("1")
    assert raised.value.code == "busy"
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert (await session.run("'free again'")).value == "free again"
    assert (await session.discover())["busy"] is False


async def test_closing_settles_what_is_pending(headless: Browser) -> None:
    doomed = await headless.session()
    running = await spinning(doomed)
    await doomed.close()
    with pytest.raises(HostcallError) as raised:
        await running
    assert raised.value.code == "disposed"  # the bridge's code: dispose() came first


async def test_a_crashed_page_fails_its_calls(headless: Browser) -> None:
    doomed = await headless.session()
    running = await spinning(doomed)
    devtools = await doomed._page.context.new_cdp_session(doomed._page)
    crash = asyncio.create_task(devtools.send("Page.crash"))  # answers only once the tab is gone
    with pytest.raises(HostcallError) as raised:
        await running
    assert raised.value.code == "page-crashed"
    crash.cancel()
    await doomed.close()


async def test_a_session_may_start_without_the_startup_snapshot(headless: Browser) -> None:
    """``startup_snapshot=False`` (what ``hostcall run`` uses) neither looks for nor makes one."""
    assert headless._context is not None
    # Pages opened from now on note every Cache Storage lookup: the snapshot's only store.
    await headless._context.add_init_script(
        script="""(() => {
            const open = CacheStorage.prototype.open;
            globalThis.cacheOpens = [];
            CacheStorage.prototype.open = function (name) {
                cacheOpens.push(name);
                return open.call(this, name);
            };
        })()"""
    )
    plain = await headless.session(startup_snapshot=False)
    usual = await headless.session()
    try:
        assert (await plain.run("6 * 7")).value == 42
        assert await plain._page.evaluate("cacheOpens") == []
        assert "hostcall-startup" in await usual._page.evaluate("cacheOpens")
    finally:
        await plain.close()
        await usual.close()
