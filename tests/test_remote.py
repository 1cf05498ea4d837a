"""Server-side host functions end to end: browser Python calls Python on the server."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page

from faultproxy import FaultProxy
from serverprocess import ServerProcess

APP = ("--app", "tests.remote_app:functions")
CONNECT_AND_RUN = """async ([code, options]) => {
    const remote = await Hostcall.connect("/hostcall", options);
    await Hostcall.init();
    const result = await Hostcall.runWithHostFunctions(code, remote.handlers);
    remote.close();
    return result.ok ? {value: result.value} : {error: result.error.type, message: result.error.message};
}"""


@pytest.fixture(scope="module")
def remote_servers() -> Iterator[dict[str, ServerProcess]]:
    started = {"isolated": ServerProcess(*APP), "open": ServerProcess("--no-isolation", *APP)}
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture
def page(
    remote_servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext], mode: str
) -> Iterator[Page]:
    page = contexts[mode].new_page()
    page.goto(remote_servers[mode].url + "showcase/blank.html")
    yield page
    page.close()


@pytest.mark.parametrize("mode", ["isolated", "open"])
def test_browser_python_calls_server_functions_with_their_types_checked(page: Page) -> None:
    result = page.evaluate(
        CONNECT_AND_RUN,
        [
            """
user = lookup(3)
total = add(1.5, b=2)
try:
    lookup("three")
except TypeError as error:
    refused = str(error)
try:
    echo(b"x" * 100_000)
except ValueError as error:
    too_big = str(error)
[user, total, refused, echo(b"\\x00\\xff") == b"\\x00\\xff", echo((1, 2)), too_big]
""",
            {},
        ],
    )
    user, total, refused, bytes_back, pair, too_big = result["value"]
    assert user == {"id": 3, "name": "user 3"}
    assert total == 3.5
    assert refused == "lookup() argument 'user_id' must be int, not str"
    assert bytes_back is True
    assert pair == [1, 2]  # a tuple, as JavaScript shows one
    assert "more than the server accepts (65536)" in too_big


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_server_functions_exception_crosses_with_its_args(page: Page) -> None:
    code = """
def describe(error):
    if isinstance(error, BaseExceptionGroup):
        return [type(error).__name__, error.message, [describe(e) for e in error.exceptions]]
    return [type(error).__name__, repr(error.args)]
seen = []
for name, args in [("KeyError", ["missing"]), ("UnicodeDecodeError", ["utf-8", b"\\xff", 0, 1, "bad"]),
                   ("OSError", [2, "gone"]), ("ExceptionGroup", ["two", "a", "b"])]:
    try:
        fail(name, args)
    except Exception as error:
        seen.append(describe(error))
seen
"""
    assert page.evaluate(CONNECT_AND_RUN, [code, {}])["value"] == [
        ["KeyError", "('missing',)"],
        ["UnicodeDecodeError", "('utf-8', b'\\xff', 0, 1, 'bad')"],
        ["FileNotFoundError", "(2, 'gone')"],
        ["ExceptionGroup", "two", [["KeyError", "('a',)"], ["KeyError", "('b',)"]]],
    ]


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_page_object_names_hostcall_handle_only_where_a_handle_can_go(page: Page) -> None:
    messages = page.evaluate(
        """async () => {
            class Point {}
            const remote = await Hostcall.connect("/hostcall");
            let toServer, toPython;
            try { await remote.handlers.echo([new Point()], {}); } catch (e) { toServer = e.message; }
            remote.close();
            await Hostcall.init();
            const result = await Hostcall.runWithHostFunctions("f()", {f: () => new Point()});
            toPython = result.error.message;
            return [toServer, toPython];
        }"""
    )
    assert messages == [
        "echo() argument 1: a value of type 'Point' cannot cross to the server",
        "f returned resume() value: a value of type 'Point' cannot cross to Python "
        "(Hostcall.handle() hands it out as a handle)",
    ]


@pytest.mark.parametrize("mode", ["isolated", "open"])
def test_values_pass_through_the_page_still_encoded(page: Page) -> None:
    """A datetime keeps its microseconds on the way to the server and back: the page relays
    the call as the worker encoded it. Decoded on the page it becomes a Date, which keeps
    milliseconds only: so it does for a page function, and for a wrapper around a handler
    (docs/remote.md), which is still called with values."""
    code = """
import datetime
moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)
value = [b"a", (b"bc", {b"k": b"d", 2: moment}), {"$hc": b"e"}, 2**60, float("nan")]
back = echo(value)
[back[:3] == value[:3], back[3] == 2**60, back[4] != back[4], echo(moment).microsecond,
 wrapped(moment).microsecond, on_page(moment).microsecond]
"""
    result = page.evaluate(
        """async (code) => {
            const remote = await Hostcall.connect("/hostcall");
            await Hostcall.init();
            const seen = [];
            const echo = remote.handlers.echo;
            const wrapped = Object.assign((args, kwargs) => { seen.push(args[0]); return echo(args, kwargs); }, echo);
            const result = await Hostcall.runWithHostFunctions(code, {...remote.handlers, wrapped, on_page: (x) => x});
            remote.close();
            return [result.ok ? result.value : result.error.message, seen.map((each) => each instanceof Date)];
        }""",
        code,
    )
    assert result == [[True, True, True, 123456, 123000, 123000], [True]]


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_token_the_server_did_not_issue_is_refused(page: Page) -> None:
    outcome = page.evaluate(
        """() => Hostcall.connect("/hostcall", {token: "forged"}).then(
            () => "connected", (e) => [e.code, e.message])"""
    )
    assert outcome[0] == "remote-refused"
    assert "does not know this session" in outcome[1]


def server_port(server: ServerProcess) -> int:
    return int(server.url.rsplit(":", 1)[1].strip("/"))


@pytest.fixture
def proxied(contexts: dict[str, BrowserContext], mode: str) -> Iterator[tuple[Page, FaultProxy]]:
    """A page that reaches a server of its own through a fault-injecting proxy.

    The page's origin is the proxy's, not the server's own, so the server is told to allow it.
    """
    with FaultProxy(0) as proxy:
        isolation = ("--no-isolation",) if mode == "open" else ()
        server = ServerProcess(*APP, *isolation, "--origin", f"http://127.0.0.1:{proxy.port}")
        proxy.target_port = server_port(server)  # read at each connection the proxy accepts
        page = contexts[mode].new_page()
        try:
            page.goto(f"http://127.0.0.1:{proxy.port}/showcase/blank.html")
            yield page, proxy
        finally:
            page.close()
            server.stop()


# Short heartbeats, so a dead link is noticed in about a second (a loaded machine may take a
# beat for a pong now and then: a false alarm only means one more reconnect).
FAST_HEARTBEAT = {"heartbeatMs": 250, "heartbeatTimeoutMs": 1500}
# A call through the handler, bounded: a hang shows as "pending", not as a test timeout.
CALL_BOUNDED = """async ([name, args]) => {
    const timeout = new Promise((resolve) => setTimeout(() => resolve("pending"), 30_000));
    return Promise.race([timeout, remote.handlers[name](args, {}).then(
        (value) => ({value}), (error) => ({error: error.name, message: error.message}))]);
}"""


def connect_fast(page: Page) -> None:
    page.evaluate(
        "async (options) => { window.remote = await Hostcall.connect('/hostcall', options); }",
        FAST_HEARTBEAT,
    )


def wait_for_new_connection(proxy: FaultProxy, before: int) -> None:
    """Wait (bounded) until the page has opened a connection after the first ``before``."""
    for _ in range(300):
        if proxy.connections > before:
            return
        time.sleep(0.1)
    raise AssertionError("the page did not reconnect within 30 s")


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_connection_cut_mid_call_neither_loses_the_call_nor_runs_it_twice(
    proxied: tuple[Page, FaultProxy],
) -> None:
    page, proxy = proxied
    proxy.arm("drop", when=b'"type":"result"')  # the result is lost on the way, once
    key = uuid.uuid4().hex
    result = page.evaluate(CONNECT_AND_RUN, [f"[count_run({key!r}, 0.2), runs({key!r})]", {}])
    assert proxy.triggered.is_set()
    assert result == {"value": [1, 1]}  # delivered after the reconnect, from one run


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_black_holed_connection_mid_call_is_noticed_and_the_call_completes_once(
    proxied: tuple[Page, FaultProxy],
) -> None:
    page, proxy = proxied
    connect_fast(page)
    before = proxy.connections  # the page makes no other connection from here on
    # The result goes into a link that swallows everything and never closes: only the page's
    # heartbeat can tell, and the call is sent again on a new connection.
    proxy.arm("black-hole", when=b'"type":"result"')
    key = uuid.uuid4().hex
    first = page.evaluate(CALL_BOUNDED, ["count_run", [key, 0.2]])
    assert proxy.triggered.is_set() and proxy.connections > before
    assert first == {"value": 1}
    assert page.evaluate(CALL_BOUNDED, ["runs", [key]]) == {"value": 1}  # it ran once
    assert page.evaluate("remote.connected") is True


@pytest.mark.parametrize("mode", ["isolated"])
def test_an_idle_connection_that_stalls_is_noticed_and_replaced(
    proxied: tuple[Page, FaultProxy],
) -> None:
    page, proxy = proxied
    connect_fast(page)
    before = proxy.connections
    proxy.fault("stall")  # nothing moves, nothing closes: the page is not even calling
    wait_for_new_connection(proxy, before)
    assert page.evaluate(CALL_BOUNDED, ["lookup", [2]]) == {"value": {"id": 2, "name": "user 2"}}
    assert page.evaluate("remote.connected") is True


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_large_result_on_a_slow_link_arrives_although_it_outlasts_the_heartbeat(
    proxied: tuple[Page, FaultProxy],
) -> None:
    page, proxy = proxied
    connect_fast(page)
    before = proxy.connections
    # 60 kB at 20 kB/s: about 3 s of silence, twice the heartbeat timeout, on every
    # connection. The page gives up on the first, and waits longer on each one after.
    proxy.fault("slow-read", rate=20_000, lasting=True)
    outcome = page.evaluate(
        """async () => {
            const timeout = new Promise((resolve) => setTimeout(() => resolve("pending"), 45_000));
            const echo = remote.handlers.echo([new Uint8Array(60_000).fill(7)], {});
            const value = await Promise.race([timeout, echo]);
            return value === "pending" ? value : [value.byteLength, value.every((byte) => byte === 7)];
        }"""
    )
    proxy.fault("pass", lasting=True)
    assert outcome == [60_000, True]
    assert proxy.connections > before  # it did give up on a connection at least once


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_call_of_exactly_max_message_bytes_goes_through(page: Page) -> None:
    # remote_app's max_message_bytes is 65536; the ValueError names the frame's size, so the
    # bytes around the payload are measured rather than assumed.
    outcomes = page.evaluate(
        r"""async () => {
            const remote = await Hostcall.connect("/hostcall");
            // A handler refuses a call by throwing at once: a promise holds either outcome.
            const echo = (size) => new Promise((resolve) => resolve(remote.handlers.echo([new Uint8Array(size)], {}))).then(
                (value) => ({bytes: value.byteLength}), (error) => ({error: error.name, message: error.message}));
            const probe = await echo(70_000);
            const around = Number(/takes (\d+) bytes/.exec(probe.message)[1]) - 70_000;
            const sizes = [65_535, 65_536, 65_537].map((frame) => frame - around);
            const outcomes = [];
            for (const size of sizes) outcomes.push(await echo(size));
            outcomes.push(await echo(10));
            remote.close();
            return {sizes, outcomes};
        }"""
    )
    below, exactly, _ = outcomes["sizes"]
    assert outcomes["outcomes"][:2] == [{"bytes": below}, {"bytes": exactly}]
    assert outcomes["outcomes"][2] == {
        "error": "ValueError",
        "message": "echo(): the call takes 65537 bytes, more than the server accepts (65536)",
    }
    assert outcomes["outcomes"][3] == {"bytes": 10}  # and the connection still serves


@pytest.mark.parametrize("mode", ["isolated"])
def test_heartbeat_options_are_checked(page: Page) -> None:
    refusals = page.evaluate(
        """async () => {
            const refusals = [];
            for (const options of [{heartbeatMs: 0}, {heartbeatTimeoutMs: Infinity}, {token: 5}]) {
                await Hostcall.connect("/hostcall", options).catch((e) => refusals.push([e.code, e.message]));
            }
            return refusals;
        }"""
    )
    assert refusals == [
        ["invalid-argument", "connect: heartbeatMs must be a positive number of milliseconds"],
        [
            "invalid-argument",
            "connect: heartbeatTimeoutMs must be a positive number of milliseconds",
        ],
        ["invalid-argument", "connect: token must be a string, or a function that returns one"],
    ]


# How the page gets its token: asked of POST /hostcall/session by itself, from a function of
# the application's, or given once as a string.
TOKENS = {
    "issued": "undefined",
    "function": """async () => {
        window.tokensAsked = (window.tokensAsked ?? 0) + 1;
        const response = await fetch("/hostcall/session", {method: "POST"});
        return (await response.json()).token;
    }""",
    "string": """(await (await fetch("/hostcall/session", {method: "POST"})).json()).token""",
}


@pytest.mark.parametrize("mode", ["isolated"])
@pytest.mark.parametrize("token", TOKENS)
def test_after_a_server_restart_the_page_carries_on_with_a_new_session(
    contexts: dict[str, BrowserContext], mode: str, token: str
) -> None:
    server = ServerProcess(*APP)
    port = str(server_port(server))
    page = contexts[mode].new_page()
    try:
        page.goto(server.url + "showcase/blank.html")
        page.evaluate(
            f"""async () => {{
                const token = {TOKENS[token]};
                window.remote = await Hostcall.connect("/hostcall", {{token, giveUpAfterMs: 100_000}});
                // A handler may refuse by throwing at once: a promise holds either outcome.
                window.settle = (call) => new Promise((resolve) => resolve(call())).then(
                    (value) => ({{value}}), (error) => ({{error: error.name, message: error.message}}));
                window.inFlight = settle(() => remote.handlers.count_run(["restart", 60], {{}}));
            }}"""
        )
        server.stop()
        page.wait_for_function("() => !remote.connected")
        # A call made while the server is away was never sent: it goes to the next session.
        page.evaluate("() => { window.queued = settle(() => remote.handlers.lookup([7], {})); }")
        server = ServerProcess(*APP, "--port", port)  # the same address, none of the sessions
        in_flight, queued, later, connected, asked = page.evaluate(
            "async () => [await inFlight, await queued, await settle(() => remote.handlers.lookup([8], {})),"
            " remote.connected, window.tokensAsked]"
        )
    finally:
        page.close()
        server.stop()
    assert in_flight["error"] == "ConnectionError"
    assert "does not know this session" in in_flight["message"]
    assert "may or may not have run" in in_flight["message"]
    if token == "string":  # no way to a new session: everything fails, clearly
        assert queued["error"] == later["error"] == "ConnectionError"
        assert queued["message"] == in_flight["message"]
        assert later["message"] == "lookup(): the connection to the server is closed"
        assert connected is False
        return
    assert queued == {"value": {"id": 7, "name": "user 7"}}
    assert later == {"value": {"id": 8, "name": "user 8"}}
    assert connected is True
    assert asked == (2 if token == "function" else None)  # once to connect, once after
