"""The blocking form of :mod:`hostcall.headless.browser`, for scripts, tests and the REPL.

An asyncio loop in a background thread drives the async API, and every method here waits for
its coroutine there. So it works wherever the caller is: a plain script, a thread, a process
that already runs sync Playwright in its main thread, or code inside a running event loop
(which it blocks while it waits, as any blocking call does).

Ctrl-C while a method waits interrupts the execution in the browser (``interrupt()``), waits
for it to stop, then raises ``KeyboardInterrupt`` here, as a local computation would; any other
exception raised in the waiting thread (pytest-timeout's alarm, say) does the same.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import Any, TypeVar, Unpack

from hostcall.headless import browser
from hostcall.headless.options import BrowserOptions, HostFunction, RunOptions, SessionOptions
from hostcall.headless.session import Result, Session

T = TypeVar("T")


class _LoopThread:
    """An event loop running in a daemon thread until :meth:`stop`."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="hostcall-browser", daemon=True
        )
        self._thread.start()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.submit(coroutine).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class SyncBrowser:
    """:class:`hostcall.Browser`, blocking: ``with SyncBrowser() as browser: ...``.

    Starts at once (the server and Chromium); the options are :class:`hostcall.Browser`'s.
    """

    def __init__(self, **options: Unpack[BrowserOptions]) -> None:
        # Built first: it checks the arguments, and a bad one must not leave a thread behind.
        self._browser = browser.Browser(**options)
        self._thread = _LoopThread()
        try:
            self._thread.run(self._browser.start())
        except BaseException:
            self._thread.stop()
            raise

    @property
    def url(self) -> str:
        """The dev server's address."""
        return self._browser.url

    def __enter__(self) -> SyncBrowser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def session(self, **options: Unpack[SessionOptions]) -> SyncSession:
        """Open a session (see :meth:`hostcall.Browser.session`)."""
        return SyncSession(self._thread.run(self._browser.session(**options)), self._thread)

    def close(self) -> None:
        """Close every session, Chromium and the server, then the loop's thread."""
        if self._thread.loop.is_closed():
            return
        try:
            self._thread.run(self._browser.close())
        finally:
            self._thread.stop()


class SyncSession:
    """:class:`hostcall.Session`, blocking. ``on_output`` callbacks run in the loop's thread."""

    def __init__(self, session: Session, thread: _LoopThread) -> None:
        self._session = session
        self._thread = thread

    @property
    def info(self) -> dict[str, Any]:
        """What ``init`` resolved with: transport, isolation, versions, …"""
        return self._session.info

    def _wait(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Wait for ``coroutine``; on Ctrl-C, interrupt the browser's Python first.

        The same for any exception raised here while waiting (a signal handler's, such as
        pytest-timeout's): the execution is stopped before it propagates, so the session is
        not left ``busy`` with a run nobody waits for.
        """
        future = self._thread.submit(coroutine)
        try:
            return future.result()
        except BaseException:
            if future.done():  # the coroutine's own outcome, or nothing left to stop
                raise
            try:
                self._thread.run(self._session.interrupt())
                future.exception()  # wait for the interrupted execution to end
            except KeyboardInterrupt:
                future.cancel()  # asked twice: give up on it (the driver stops it)
            raise

    def run(self, code: str, **options: Unpack[RunOptions]) -> Result:
        """Run ``code`` to completion (see :meth:`hostcall.Session.run`)."""
        return self._wait(self._session.run(code, **options))

    def run_with_host_functions(
        self, code: str, handlers: Mapping[str, HostFunction], **options: Unpack[RunOptions]
    ) -> Result:
        """Run ``code`` with Python callables as host functions (sync ones in a worker thread)."""
        return self._wait(self._session.run_with_host_functions(code, handlers, **options))

    def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Call the browser's Python function ``name`` (see :meth:`hostcall.Session.call`)."""
        return self._wait(self._session.call(name, *args, **kwargs))

    def discover(self) -> dict[str, Any]:
        """The bridge's ``discover()``."""
        return self._thread.run(self._session.discover())

    def interrupt(self) -> None:
        """Stop the current execution (callable from any thread)."""
        self._thread.run(self._session.interrupt())

    def close(self) -> None:
        """Dispose of the interpreter and close its page."""
        self._thread.run(self._session.close())
