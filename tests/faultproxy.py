"""A fault-injecting TCP proxy of the test suite's own, between a page and a server on loopback.

    with FaultProxy(server_port) as proxy:
        page.goto(f"http://127.0.0.1:{proxy.port}/showcase/blank.html")
        proxy.arm("black-hole", when=b'"type":"result"')  # the next result towards the page
        ...
        assert proxy.triggered.is_set()

A fault applies to connections open at that moment (``fault(mode)``), or to the one connection
on which ``when`` next passes from the server towards the page (``arm(mode, when=...)``; the
chunk that carries it already meets the fault). New connections pass, so a page that
reconnects gets through, unless the fault is ``lasting`` (``fault(mode, lasting=True)``: a
link that stays slow; ``fault("pass", lasting=True)`` ends it). Only server-to-page bytes can be matched: a browser masks its
websocket frames, so what a page sends never shows its text.

Modes:

- ``pass``: forward both ways.
- ``drop``: close both sides now (the peers see the connection reset).
- ``stall``: stop reading both ways; the sockets stay open and the senders' buffers fill.
- ``black-hole``: read and discard both ways; the sockets stay open and nothing arrives,
  not even a close.
- ``slow-read``: read from the server at ``rate`` bytes per second (a page slow to read).

Bounded: it listens on 127.0.0.1 only and closes everything by itself after ``lifetime``
seconds, whatever the test does.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

Mode = Literal["pass", "drop", "stall", "black-hole", "slow-read"]
CHUNK = 65536
KEEP_SEEN = 256  # bytes of a chunk kept to match a pattern split across two chunks
SLOW_TICK = 0.05  # seconds between slow reads: rate * SLOW_TICK bytes each


@dataclass(eq=False)  # a link is itself: hashed by identity, kept in a set
class _Link:
    """One proxied connection: the page's socket and the server's, and the fault they meet."""

    page: asyncio.StreamWriter
    server: asyncio.StreamWriter
    mode: Mode = "pass"
    rate: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def set(self, mode: Mode, rate: int) -> None:
        self.mode, self.rate = mode, rate
        self.changed.set()
        self.changed = asyncio.Event()
        if mode == "drop":
            self.page.transport.abort()
            self.server.transport.abort()

    async def unstalled(self) -> None:
        while self.mode == "stall":
            await self.changed.wait()


class FaultProxy:
    """A TCP proxy from ``127.0.0.1:port`` to ``127.0.0.1:target_port``, run in its own thread."""

    def __init__(self, target_port: int, *, lifetime: float = 90.0) -> None:
        self.target_port = target_port
        self.connections = 0  # accepted so far: a reconnect shows as one more
        self.triggered = threading.Event()  # set when an armed fault met its connection
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[None]] = set()  # one per connection, until its pipes end
        self._stopping: asyncio.Future[None] | None = None  # the shutdown, once begun
        self._armed: tuple[Mode, bytes, int] | None = None
        self._lasting: tuple[Mode, int] = ("pass", 0)  # what new connections meet
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready, lifetime), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault proxy did not start")

    # ------------------------------------------------------------- the test's side --

    def fault(self, mode: Mode, *, rate: int = 0, lasting: bool = False) -> None:
        """Apply ``mode`` to every connection open now, and to new ones if ``lasting``."""
        self._call(self._fault_all, mode, rate, lasting)

    def arm(self, mode: Mode, *, when: bytes, rate: int = 0) -> None:
        """Apply ``mode`` to the connection on which ``when`` next goes towards the page."""
        self.triggered.clear()
        self._call(self._arm, mode, when, rate)

    def close(self) -> None:
        """Close every connection and stop; returns once the proxy's thread has ended."""
        with contextlib.suppress(RuntimeError):  # its loop is closed: stopped already
            self._loop.call_soon_threadsafe(self._stop)
        self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, fn: Callable[..., None], *args: object) -> None:
        """Run ``fn`` in the proxy's loop, and return once it has."""
        if not self._loop.is_running():
            raise RuntimeError("the fault proxy has stopped (closed, or its lifetime is over)")

        async def run() -> None:
            fn(*args)

        asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    # ------------------------------------------------------------- the proxy's side --

    def _fault_all(self, mode: Mode, rate: int, lasting: bool = False) -> None:
        if lasting:
            self._lasting = (mode, rate)
        for link in list(self._links):
            link.set(mode, rate)

    def _arm(self, mode: Mode, when: bytes, rate: int) -> None:
        self._armed = (mode, when, rate)

    def _serve(self, ready: threading.Event, lifetime: float) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port: int = server.sockets[0].getsockname()[1]
        self._server = server
        # Whatever the test does, the proxy and its sockets go after `lifetime` seconds.
        self._loop.call_later(lifetime, self._stop)
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _accept(self, page_in: asyncio.StreamReader, page_out: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            server_in, server_out = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            page_out.transport.abort()  # as the server itself would: nobody there
            return
        link = _Link(page_out, server_out)
        link.set(*self._lasting)
        self._links.add(link)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await asyncio.gather(
                self._pipe(link, page_in, server_out, to_page=False),
                self._pipe(link, server_in, page_out, to_page=True),
            )
        finally:
            self._links.discard(link)
            self._tasks.discard(task)

    async def _pipe(
        self,
        link: _Link,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        to_page: bool,
    ) -> None:
        seen = b""  # the end of the last chunk too, so a pattern split in two still matches
        try:
            while True:
                await link.unstalled()
                slow = to_page and link.mode == "slow-read"
                chunk = await reader.read(max(1, int(link.rate * SLOW_TICK)) if slow else CHUNK)
                if not chunk:
                    break
                if to_page:
                    seen = self._watch(link, seen, chunk)
                await link.unstalled()  # a stall that began during the read holds this chunk
                if link.mode == "black-hole":
                    continue
                if link.mode == "drop":
                    return
                await self._forward(link, writer, chunk, to_page=to_page)
        except (ConnectionError, OSError):
            return
        # The sender closed its side: pass that on, unless the fault hides it.
        if link.mode in ("pass", "slow-read"):
            writer.close()

    @staticmethod
    async def _forward(
        link: _Link, writer: asyncio.StreamWriter, chunk: bytes, *, to_page: bool
    ) -> None:
        # Slowly in pieces too: a chunk read before the link turned slow is as slow as the rest.
        step = max(1, int(link.rate * SLOW_TICK)) if to_page and link.mode == "slow-read" else CHUNK
        for start in range(0, len(chunk), step):
            writer.write(chunk[start : start + step])
            await writer.drain()
            if step < CHUNK:
                await asyncio.sleep(SLOW_TICK)

    def _watch(self, link: _Link, seen: bytes, chunk: bytes) -> bytes:
        """Trigger the armed fault if its pattern ends in ``chunk``; return what to keep seen."""
        text = seen + chunk
        if self._armed is not None:
            mode, when, rate = self._armed
            # A match must take a byte of the new chunk: bytes seen before arming do not count.
            if text.find(when, max(0, len(seen) - len(when) + 1)) >= 0:
                self._armed = None
                link.set(mode, rate)
                self.triggered.set()
        return text[-KEEP_SEEN:]

    def _stop(self) -> None:
        # Once: the end of its lifetime and close() may both ask.
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._shut_down())

    async def _shut_down(self) -> None:
        """Close the listener and every connection, let the pipes end, and stop the loop."""
        self._server.close()
        self._fault_all("drop", 0)
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        self._loop.stop()
