"""One bridge session in its own page, driven from here: runs, host calls, interrupts.

:class:`hostcall.headless.Browser` opens it; the driver follows the bridge's start → pending →
resume loop from here, calling the host function of each pending call
(:mod:`hostcall.headless.handlers`) and answering with its value or exception. Values cross as
JSON texts (:mod:`hostcall.values`), not through Playwright's serialization; a host call's
come as the worker encoded them and go back encoded for it, the page passing them through
(blobs as base64 texts beside the JSON).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from hostcall import values
from hostcall.errors import HostcallError
from hostcall.headless import checks
from hostcall.headless.errors import PythonError
from hostcall.headless.handlers import error_reply, invoke
from hostcall.headless.options import (
    LIMIT_NAMES,
    HostFunction,
    OutputCallback,
    RunOptions,
    page_limits,
)

if TYPE_CHECKING:
    from playwright.async_api import Page

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
            options["limits"] = page_limits(limits)
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
        blobs = [base64.b64decode(blob) for blob in state["blobs"]]
        args, kwargs = values.decode(state["args"], blobs), values.decode(state["kwargs"], blobs)
        self._host_call = asyncio.ensure_future(invoke(handler, args, kwargs))
        try:
            await asyncio.wait([self._host_call])
        except asyncio.CancelledError:
            self._host_call.cancel()
            raise
        call, self._host_call = self._host_call, None
        if call.cancelled():  # interrupt() or close() stopped waiting for it
            return {"ok": False, "error": _INTERRUPTED}
        return _reply(name, *call.result())

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


def _reply(name: str, ok: bool, outcome: Any) -> dict[str, Any]:
    """The reply to host call ``name`` with the handler's value or exception, encoded for the
    worker (the page passes it on as it is), its blobs as base64 texts."""
    blobs: list[bytes] = []
    try:
        if ok:
            reply = {"ok": True, "value": values.encode(outcome, f"{name}()", blobs)}
        else:
            reply = {"ok": False, "error": error_reply(outcome, blobs)}
    except values.Unserializable as exc:
        message = f"{name}() returned a value that cannot cross: {exc}"
        return {"ok": False, "error": {"type": "TypeError", "message": message}}
    return {**reply, "blobs": [base64.b64encode(blob).decode("ascii") for blob in blobs]}


def _result(state: Mapping[str, Any]) -> Result:
    if state["ok"]:
        value = values.decode(state["value"])
        return Result(True, value, state["stdout"], state["stderr"])
    error = PythonError.from_wire(state["error"])
    return Result(False, None, state["stdout"], state["stderr"], error)
