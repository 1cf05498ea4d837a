"""Calling a host function for the headless driver: on this loop, or in a thread of its own.

The driver (:mod:`hostcall.headless.browser`) awaits :func:`invoke` for each pending call and
sends the browser its value, or the reply :func:`error_reply` makes of its exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import threading
import traceback
from typing import Any

from hostcall import values
from hostcall.headless.options import HostFunction


async def invoke(
    handler: HostFunction, args: list[Any], kwargs: dict[str, Any]
) -> tuple[bool, Any]:
    """Call a handler: ``(True, its value)``, or ``(False, the exception it raised)``.

    Any exception, SystemExit and StopIteration too, is an outcome to send to the browser,
    neither this event loop's business nor a future's (which refuses StopIteration).
    """
    try:
        if inspect.iscoroutinefunction(handler):
            return True, await handler(*args, **kwargs)
        ok, result = await _in_thread(handler, args, kwargs)
        if ok and inspect.isawaitable(result):
            result = await result
        return ok, result
    except asyncio.CancelledError:
        raise
    except BaseException as error:
        return False, error


def _in_thread(
    handler: HostFunction, args: list[Any], kwargs: dict[str, Any]
) -> asyncio.Future[tuple[bool, Any]]:
    """Call a sync handler in a daemon thread of its own, with this context's variables.

    Not the loop's executor (``asyncio.to_thread``): a handler abandoned by interrupt() or
    close() may block for ever (``input()``), and an executor's threads are waited for when
    the loop or the process ends.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[tuple[bool, Any]] = loop.create_future()
    context = contextvars.copy_context()

    def settle(outcome: tuple[bool, Any]) -> None:
        if not future.done():  # else cancelled: the outcome is ignored
            future.set_result(outcome)

    def work() -> None:
        outcome: tuple[bool, Any]
        try:
            outcome = (True, context.run(handler, *args, **kwargs))
        except BaseException as error:
            outcome = (False, error)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=work, name="hostcall-handler", daemon=True).start()
    return future


def error_reply(error: BaseException, blobs: list[bytes]) -> dict[str, Any]:
    """The reply that raises ``error`` in Python: its type, args and message, our traceback;
    bytes among its args go into ``blobs``."""
    stack = "".join(traceback.format_exception(error)).rstrip()
    return {**values.encode_error(error, blobs), "traceback": stack}
