"""Headless runs driven from Python: the dev server, Chromium and sessions, with asyncio.

``async with Browser() as browser`` serves hostcall from this process (aiohttp on a free
port of 127.0.0.1) and drives Debian's Chromium through Playwright; each
``await browser.session()`` is a page of one browser context holding one bridge session (its
own worker and interpreter). The pages share the context's Cache Storage, so only the first
session loads Pyodide in full and later ones start from its memory snapshot.

Each page gets ``page.js``, the driver's page side, before bridge.js loads; a session's
runs and host calls are :mod:`hostcall.headless.session`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Unpack

from aiohttp import web

from hostcall.app import create_app
from hostcall.errors import HostcallError
from hostcall.headless import checks
from hostcall.headless.options import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LIMIT_NAMES,
    TRANSPORTS,
    BrowserOptions,
    SessionOptions,
    page_limits,
)
from hostcall.headless.session import Session
from hostcall.packages import DEFAULT_DIR
from hostcall.runtime import ensure_runtime

if TYPE_CHECKING:
    from playwright.async_api import Browser as PlaywrightBrowser
    from playwright.async_api import BrowserContext, Playwright

_PAGE_SCRIPT = (Path(__file__).with_name("page.js")).read_text(encoding="utf-8")

# The driver's own page, holding only the bridge (page.js is added to it by the context), so
# headless runs do not depend on the showcase's files.
_PAGE_PATH = "/headless.html"
_PAGE_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostcall headless</title>'
    '<link rel="icon" href="data:,"><script src="/bridge.js"></script></head><body></body></html>'
)


async def _page(request: web.Request) -> web.Response:
    return web.Response(
        text=_PAGE_HTML, content_type="text/html", headers={"Cache-Control": "no-cache"}
    )


class Browser:
    """The dev server and a headless Chromium, started on entry and stopped on exit.

    The options are :class:`BrowserOptions`: ``isolation`` serves the pages cross-origin
    isolated (the atomics transport) or not (JSPI); ``allow_connect`` lists origins the
    worker's Python may reach besides its runtime on the server (``hostcall serve
    --allow-connect``); ``log`` receives set-up progress lines (default: stderr);
    ``packages_dir`` is the package folder served to the pages (docs/packages.md).
    """

    def __init__(self, **options: Unpack[BrowserOptions]) -> None:
        where = "Browser()"
        checks.known(where, options, BrowserOptions.__annotations__)
        isolation = options.get("isolation", True)
        allow_connect = options.get("allow_connect", ())
        headless = options.get("headless", True)
        executable_path = options.get("executable_path", CHROMIUM)
        log = options.get("log")
        packages_dir = options.get("packages_dir", DEFAULT_DIR)
        checks.flag(where, "isolation", isolation)
        checks.strings(where, "allow_connect", allow_connect)
        checks.flag(where, "headless", headless)
        checks.text(where, "executable_path", executable_path)
        checks.optional_callable(where, "log", log)
        checks.of_type(where, "packages_dir", packages_dir, str | os.PathLike, "a str or a path")
        self.isolation = isolation
        self._connect = tuple(allow_connect)
        self._headless = headless
        self._executable = executable_path
        self._log = log or _log_to_stderr
        self._packages = Path(packages_dir)
        self._runner: web.AppRunner | None = None
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None
        self._context: BrowserContext | None = None
        self._sessions: set[Session] = set()
        self.url = ""

    async def __aenter__(self) -> Browser:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Start the server and Chromium; on failure, stop whatever had started.

        Raises ``HostcallError("playwright-missing")`` or ``HostcallError("browser-missing")``
        before anything starts (and before the runtime is fetched) when either is not here.
        """
        _check_playwright()
        _check_chromium(self._executable)
        try:
            await self._serve()
            await self._launch()
        except BaseException:
            await self.close()
            raise

    async def _serve(self) -> None:
        app = create_app(
            isolation=self.isolation,
            runtime=ensure_runtime(self._log),
            connect=self._connect,
            packages=self._packages,
        )
        app.router.add_get(_PAGE_PATH, _page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"

    async def _launch(self) -> None:
        # Imported here: the server and the rest of the command line do without Playwright.
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self._executable, headless=self._headless, args=CHROMIUM_ARGS
        )
        self._context = await self._browser.new_context()
        await self._context.add_init_script(script=_PAGE_SCRIPT)

    async def session(self, **options: Unpack[SessionOptions]) -> Session:
        """Open a page holding a new, initialised bridge session.

        The options (:class:`SessionOptions`) are ``init``'s (``docs/api.md``) in snake_case;
        ``on_output`` receives every output chunk of every execution of the session, as it is
        printed.
        """
        where = "Browser.session()"
        checks.known(where, options, SessionOptions.__annotations__)
        transport = options.get("transport", "auto")
        limits = options.get("limits")
        interrupt_grace_ms = options.get("interrupt_grace_ms")
        allow_js = options.get("allow_js", False)
        spare = options.get("spare", False)
        startup_snapshot = options.get("startup_snapshot", True)
        packages = options.get("packages", ())
        on_output = options.get("on_output")
        checks.choice(where, "transport", transport, TRANSPORTS)
        checks.limits(where, limits, LIMIT_NAMES)
        checks.milliseconds(where, "interrupt_grace_ms", interrupt_grace_ms, positive=False)
        checks.flag(where, "allow_js", allow_js)
        checks.flag(where, "spare", spare)
        checks.flag(where, "startup_snapshot", startup_snapshot)
        checks.strings(where, "packages", packages)
        checks.optional_callable(where, "on_output", on_output)
        if self._context is None:
            raise HostcallError("closed", "the browser is not running")
        page_options: dict[str, Any] = {
            "transport": transport,
            "allowJs": allow_js,
            "spare": spare,
            "startupSnapshot": startup_snapshot,
            "packages": list(packages),
        }
        if limits is not None:
            page_options["limits"] = page_limits(limits)
        if interrupt_grace_ms is not None:
            page_options["interruptGraceMs"] = interrupt_grace_ms
        session = Session(await self._context.new_page(), on_output, self._sessions.discard)
        self._sessions.add(session)
        try:
            await session._open(self.url + _PAGE_PATH.removeprefix("/"), page_options)
        except BaseException:
            await session.close()
            raise
        return session

    async def close(self) -> None:
        """Close every session, Chromium and the server; their executions fail ``disposed``."""
        # Together: each fails its execution at once, none waits for another's page to close.
        await asyncio.gather(*(session.close() for session in list(self._sessions)))
        if self._browser is not None:
            with contextlib.suppress(Exception):  # already gone: nothing left to close
                await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        self._context = self._browser = self._playwright = self._runner = None


def _check_playwright() -> None:
    """Refuse, in one line saying how to install it, to start without Playwright."""
    try:
        import playwright.async_api  # noqa: F401 (only whether it imports)
    except ImportError:
        raise HostcallError(
            "playwright-missing",
            "Playwright is not installed; install it with: pip install 'hostcall[headless]'",
        ) from None


def _check_chromium(executable: str) -> None:
    """Refuse, in one line, a Chromium that is not there (Playwright's own error is a page)."""
    if shutil.which(executable) is None:
        raise HostcallError(
            "browser-missing",
            f"no Chromium at {executable}: install it (apt-get install chromium) "
            "or set HOSTCALL_CHROMIUM to its path",
        )


def print_output(stream: str, text: str) -> None:
    """An ``on_output`` that prints to this process's ``sys.stdout`` / ``sys.stderr`` at once.

    The streams are looked up at each call, so output captured by pytest lands in the test's
    report.
    """
    out = sys.stdout if stream == "stdout" else sys.stderr
    out.write(text)
    out.flush()


def _log_to_stderr(message: str) -> None:
    print(f"hostcall: {message}", file=sys.stderr, flush=True)
