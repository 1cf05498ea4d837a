"""Server-side host functions end to end: browser Python calls Python on the server."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from hostcall.launch import ServerProcess

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
        "echo() argument 1: a Point cannot cross to the server",
        "f returned resume() value: a Point cannot cross to Python "
        "(Hostcall.handle() hands it out as a handle)",
    ]


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_token_the_server_did_not_issue_is_refused(page: Page) -> None:
    outcome = page.evaluate(
        """() => Hostcall.connect("/hostcall", {token: "forged"}).then(
            () => "connected", (e) => [e.code, e.message])"""
    )
    assert outcome[0] == "remote-refused"
    assert "does not know this session" in outcome[1]


class DroppingProxy:
    """A TCP proxy to ``target`` that cuts every connection once, when the server first
    sends a call's result, so the result is lost on the way."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.loop = asyncio.new_event_loop()
        self.writers: set[asyncio.StreamWriter] = set()
        self.dropped = False
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers |= {client_writer, server_writer}
        await asyncio.gather(
            self._pipe(client_reader, server_writer, watch=False),
            self._pipe(server_reader, client_writer, watch=True),
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, watch: bool
    ) -> None:
        try:
            while chunk := await reader.read(65536):
                if watch and not self.dropped and b'"type":"result"' in chunk:
                    self.dropped = True
                    for each in self.writers:
                        each.transport.abort()
                    return
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shut_down(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _shut_down(self) -> None:
        for writer in self.writers:
            writer.transport.abort()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_connection_cut_mid_call_neither_loses_the_call_nor_runs_it_twice(
    remote_servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext], mode: str
) -> None:
    port = int(remote_servers[mode].url.rsplit(":", 1)[1].strip("/"))
    proxy = DroppingProxy(port)
    page = contexts[mode].new_page()
    try:
        page.goto(f"http://127.0.0.1:{proxy.port}/showcase/blank.html")
        key = uuid.uuid4().hex
        result = page.evaluate(CONNECT_AND_RUN, [f"[count_run({key!r}, 0.2), runs({key!r})]", {}])
    finally:
        page.close()
        proxy.stop()
    assert proxy.dropped is True  # the result was lost once on the way
    assert result == {"value": [1, 1]}  # and delivered after the reconnect, from one run


@pytest.mark.parametrize("mode", ["isolated"])
def test_a_server_restart_mid_call_fails_the_call_with_a_clear_error(
    contexts: dict[str, BrowserContext], mode: str
) -> None:
    server = ServerProcess(*APP)
    port = server.url.rsplit(":", 1)[1].strip("/")
    page = contexts[mode].new_page()
    try:
        page.goto(server.url + "showcase/blank.html")
        page.evaluate(
            """async () => {
                const remote = await Hostcall.connect("/hostcall");
                await Hostcall.init();
                const count = remote.handlers.count_run;
                // A wrapper keeps the handler's marker (it takes args and kwargs as they came).
                const wait = Object.assign((args, kwargs) => { window.sent = true; return count(args, kwargs); }, count);
                window.outcome = Hostcall.runWithHostFunctions("count_run('restart', 60)", {count_run: wait})
                    .then((r) => ({error: r.error?.type, message: r.error?.message}));
            }"""
        )
        page.wait_for_function("window.sent === true")
        server.stop()
        server = ServerProcess(*APP, "--port", port)  # the same address, none of the sessions
        outcome: dict[str, Any] = page.evaluate("window.outcome")
    finally:
        page.close()
        server.stop()
    assert outcome["error"] == "ConnectionError"
    assert "does not know this session" in outcome["message"]
    assert "may or may not have run" in outcome["message"]
