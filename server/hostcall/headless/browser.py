"""Headless runs driven from Python: the dev server, Chromium and sessions, with asyncio.

``async with Browser() as browser`` serves hostcall from this process (aiohttp on a free
port of 127.0.0.1) and drives Debian's Chromium through Playwright; each
``await browser.session()`` is a page of one browser context holding one bridge session (its
own worker and interpreter). The pages share the context's Cache Storage, so only the first
session loads Pyodide in full and later ones start from its memory snapshot.

Host functions are Python callables of this process: the driver follows the bridge's
start → pending → resume loop from here (``page.js`` is its page side), calling the
callable for each pending call and answering with its value or exception. Values cross as
JSON texts (:mod:`hostcall.values`), not through Playwright's serialization.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Unpack

from aiohttp import web

from hostcall import values
from hostcall.app import create_app
from hostcall.errors import HostcallError
from hostcall.headless import checks
from hostcall.headless.errors import PythonError
from hostcall.headless.handlers import error_reply, invoke
from hostcall.headless.options import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LIMIT_NAMES,
    TRANSPORTS,
    BrowserOptions,
    HostFunction,
    OutputCallback,
    RunOptions,
    SessionOptions,
)
from hostcall.runtime import ensure_runtime

if TYPE_CHECKING:
    from playwright.async_api import Browser as PlaywrightBrowser
    from playwright.async_api import BrowserContext, Page, Playwright

_PAGE_SCRIPT = (Path(__file__).with_name("page.js")).read_text(encoding="utf-8")
_INTERRUPTED = {"type": "KeyboardInterrupt", "message": "interrupted by the page"}


@dataclass(frozen=True)
class Result:
    """How an execution ended: the JavaScript ``{ok, value, stdout, stderr, error}``.

    ``value`` is the last expression's value (None when ``ok`` is false); ``error`` the
    Python exception that ended it (None when ``ok``).
    """

    ok: bool
    value: Any
    stdout: str
    stderr: str
    error: PythonError | None = None

    def unwrap(self) -> Any:
        """Return the value, or raise the :class:`PythonError` that ended the execution."""
        if self.error is not None:
            raise self.error
        return self.value


class Browser:
    """The dev server and a headless Chromium, started on entry and stopped on exit.

    The options are :class:`BrowserOptions`: ``isolation`` serves the pages cross-origin
    isolated (the atomics transport) or not (JSPI); ``allow_connect`` lists origins the
    worker's Python may reach besides its runtime on the server (``hostcall serve
    --allow-connect``); ``log`` receives set-up progress lines (default: stderr).
    """

    def __init__(self, **options: Unpack[BrowserOptions]) -> None:
        where = "Browser()"
        checks.known(where, options, BrowserOptions.__annotations__)
        isolation = options.get("isolation", True)
        allow_connect = options.get("allow_connect", ())
        headless = options.get("headless", True)
        executable_path = options.get("executable_path", CHROMIUM)
        log = options.get("log")
        checks.flag(where, "isolation", isolation)
        checks.strings(where, "allow_connect", allow_connect)
        checks.flag(where, "headless", headless)
        checks.text(where, "executable_path", executable_path)
        checks.optional_callable(where, "log", log)
        self.isolation = isolation
        self._connect = tuple(allow_connect)
        self._headless = headless
        self._executable = executable_path
        self._log = log or _log_to_stderr
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
            isolation=self.isolation, runtime=ensure_runtime(self._log), connect=self._connect
        )
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
        on_output = options.get("on_output")
        checks.choice(where, "transport", transport, TRANSPORTS)
        checks.limits(where, limits, LIMIT_NAMES)
        checks.milliseconds(where, "interrupt_grace_ms", interrupt_grace_ms, positive=False)
        checks.flag(where, "allow_js", allow_js)
        checks.flag(where, "spare", spare)
        checks.flag(where, "startup_snapshot", startup_snapshot)
        checks.optional_callable(where, "on_output", on_output)
        if self._context is None:
            raise HostcallError("closed", "the browser is not running")
        page_options: dict[str, Any] = {
            "transport": transport,
            "allowJs": allow_js,
            "spare": spare,
            "startupSnapshot": startup_snapshot,
        }
        if limits is not None:
            page_options["limits"] = _camel_limits(limits)
        if interrupt_grace_ms is not None:
            page_options["interruptGraceMs"] = interrupt_grace_ms
        session = Session(await self._context.new_page(), on_output, self._sessions.discard)
        self._sessions.add(session)
        try:
            await session._open(self.url + "showcase/blank.html", page_options)
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


def _camel_limits(limits: Mapping[str, Any]) -> dict[str, Any]:
    """The page's names of limits already checked (:func:`checks.limits`)."""
    return {LIMIT_NAMES[key]: value for key, value in limits.items()}


class Session:
    """One bridge session (a worker and its interpreter) in its own page.

    One execution at a time: another one started meanwhile raises ``HostcallError("busy")``.
    Globals persist across executions, as in the JavaScript API.
    """

    def __init__(
        self,
        page: Page,
        on_output: OutputCallback | None,
        forget: Callable[[Session], None],
    ) -> None:
        self._page = page
        self._outputs: list[OutputCallback] = [on_output] if on_output else []
        self._forget = forget
        self._busy = False
        self._crashed = False
        self._closing = False
        self._host_call: asyncio.Future[Any] | None = None
        self.info: dict[str, Any] = {}
        page.on("crash", self._on_crash)

    def _on_crash(self, page: Page) -> None:
        self._crashed = True

    async def _open(self, url: str, options: dict[str, Any]) -> None:
        await self._page.expose_function("__hostcallOutput", self._on_output)
        await self._page.goto(url)
        self.info = await self._page_call("open", json.dumps(options))

    def _on_output(self, stream: str, text: str) -> None:
        for callback in list(self._outputs):
            try:
                callback(stream, text)
            except Exception as exc:  # a broken callback must not disturb the run
                asyncio.get_running_loop().call_exception_handler(
                    {"message": "hostcall: an on_output callback failed", "exception": exc}
                )

    async def _page_call(self, method: str, *args: str) -> Any:
        """Call ``HostcallHeadless.<method>`` in the page; return its value or raise its error."""
        from playwright.async_api import Error as PlaywrightError

        try:
            text = await self._page.evaluate(
                "([method, args]) => HostcallHeadless[method](...args)", [method, list(args)]
            )
        except PlaywrightError as exc:
            if self._crashed:
                raise HostcallError("page-crashed", "the session's page crashed") from exc
            raise HostcallError("closed", f"the session's page is gone: {exc.message}") from exc
        outcome = json.loads(text)
        if outcome["ok"]:
            return outcome.get("value")
        error = outcome["error"]
        if error["kind"] == "python":
            raise PythonError.from_wire(error)
        raise HostcallError(error["code"], error["message"])

    async def discover(self) -> dict[str, Any]:
        """The bridge's ``discover()``: loaded, busy, transport, isolation, lastCrash, …"""
        info: dict[str, Any] = await self._page_call("discover")
        return info

    async def run(self, code: str, **options: Unpack[RunOptions]) -> Result:
        """Run ``code`` to completion, without host functions."""
        return await self._run("Session.run()", code, {}, options)

    async def run_with_host_functions(
        self, code: str, handlers: Mapping[str, HostFunction], **options: Unpack[RunOptions]
    ) -> Result:
        """Run ``code`` with ``handlers`` as its host functions, answering every call.

        Python in the browser calls ``name(*args, **kwargs)``; the handler gets the same
        arguments here. Async handlers run on this event loop, sync ones in a thread each
        (so a blocking one, such as ``input``, leaves the loop free). A value that cannot
        cross raises ``TypeError`` at the call; an exception raises there: a builtin one as
        itself, args and all, any other as ``hostcall.HostError``.
        """
        return await self._run("Session.run_with_host_functions()", code, handlers, options)

    async def _run(
        self,
        where: str,
        code: str,
        handlers: Mapping[str, HostFunction],
        run_options: RunOptions,
    ) -> Result:
        checks.known(where, run_options, RunOptions.__annotations__)
        limits = run_options.get("limits")
        script_name = run_options.get("script_name")
        on_output = run_options.get("on_output")
        checks.text(where, "code", code)
        checks.handlers(where, handlers)
        checks.limits(where, limits, LIMIT_NAMES)
        checks.text(where, "script_name", script_name, optional=True)
        checks.optional_callable(where, "on_output", on_output)
        options: dict[str, Any] = {"extFns": list(handlers)}
        if limits is not None:
            options["limits"] = _camel_limits(limits)
        if script_name is not None:
            options["scriptName"] = script_name
        async with self._execution(on_output):
            state = await self._page_call("start", code, json.dumps(options))
            while state["state"] == "pending":
                reply = await self._answer(handlers[state["functionName"]], state)
                if self._closing:  # close() stopped waiting for the handler
                    name = state["functionName"]
                    raise HostcallError(
                        "disposed", f"the session was closed while host function {name!r} ran"
                    )
                state = await self._page_call("resume", json.dumps(reply))
        return _result(state)

    @contextlib.asynccontextmanager
    async def _execution(self, on_output: OutputCallback | None) -> Any:
        """Hold the session for one execution; one given up on (cancelled) is stopped."""
        if self._busy:
            raise HostcallError("busy", "another execution of this session is running or paused")
        self._busy = True
        if on_output:
            self._outputs.append(on_output)
        try:
            yield
        except asyncio.CancelledError:
            await asyncio.shield(self._abandon())
            raise
        finally:
            if on_output:
                self._outputs.remove(on_output)
            self._busy = False

    async def _abandon(self) -> None:
        with contextlib.suppress(HostcallError):
            await self._page_call("abandon")

    async def _answer(self, handler: HostFunction, state: Mapping[str, Any]) -> dict[str, Any]:
        """Call the handler for a pending call; return the reply for the page."""
        name = state["functionName"]
        args, kwargs = values.decode(state["args"]), values.decode(state["kwargs"])
        self._host_call = asyncio.ensure_future(invoke(handler, args, kwargs))
        try:
            await asyncio.wait([self._host_call])
        except asyncio.CancelledError:
            self._host_call.cancel()
            raise
        call, self._host_call = self._host_call, None
        if call.cancelled():  # interrupt() or close() stopped waiting for it
            return {"ok": False, "error": _INTERRUPTED}
        ok, value = call.result()
        if not ok:
            return {"ok": False, "error": error_reply(value)}
        try:
            return {"ok": True, "value": json.loads(values.dumps(value, f"{name}()"))}
        except HostcallError as exc:
            message = f"{name}() returned a value that cannot cross: {exc.message}"
            return {"ok": False, "error": {"type": "TypeError", "message": message}}

    async def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Call the browser's Python function ``name`` (a global of earlier code, or a builtin).

        Returns its value (awaited if awaitable); raises :class:`PythonError` for its
        exception, ``HostcallError("unserializable")`` for an argument that cannot cross.
        """
        checks.text("Session.call()", "name", name)
        args_text = values.dumps(list(args), f"{name}() arguments")
        kwargs_text = values.dumps(kwargs, f"{name}() keyword arguments")
        async with self._execution(None):
            wire = await self._page_call("call", name, args_text, kwargs_text)
        return values.decode(wire)

    async def interrupt(self) -> None:
        """Stop the current execution with ``KeyboardInterrupt``, as ``interrupt()`` does.

        At a host call still being answered here, Python raises at the call and the handler's
        eventual result is ignored (an async handler is cancelled). Returns once the
        execution stopped or, if it does not within ``interrupt_grace_ms``, was terminated.
        """
        await self._page_call("interrupt")
        if self._host_call is not None:
            self._host_call.cancel()

    async def close(self) -> None:
        """Dispose of the interpreter and close the page; a pending execution fails ``disposed``.

        It fails at once, also while a host function runs here: an async one is cancelled, a
        sync one (in its thread, where nothing can stop it) is abandoned, its result ignored.
        """
        self._closing = True
        if self._host_call is not None:
            self._host_call.cancel()
        self._forget(self)
        with contextlib.suppress(HostcallError):
            await self._page_call("dispose")
        with contextlib.suppress(Exception):  # the browser may be gone already
            await self._page.close()


def _result(state: Mapping[str, Any]) -> Result:
    if state["ok"]:
        value = values.decode(state["value"])
        return Result(True, value, state["stdout"], state["stderr"])
    error = PythonError.from_wire(state["error"])
    return Result(False, None, state["stdout"], state["stderr"], error)
