"""The headless driver: hostcall run in Debian's Chromium, driven from this Python process.

``Browser`` / ``Session`` (asyncio) and their blocking twins ``SyncBrowser`` /
``SyncSession``; the options they take (:mod:`hostcall.headless.options`, declared once for
both); ``PythonError``, an exception of the browser's Python; the page side of the driver
(``page.js``) and the REPL of ``hostcall repl``. The top-level package re-exports the public
names (``hostcall.Browser``, …). Playwright is imported only once a browser starts.

Not to be confused with ``hostcall.browser`` inside Pyodide (worker/python/hostcall/), the
browser functions that in-browser code calls.
"""

from hostcall.headless.browser import Browser, print_output
from hostcall.headless.errors import Frame, PythonError
from hostcall.headless.options import (
    CHROMIUM,
    CHROMIUM_ARGS,
    BrowserOptions,
    HostFunction,
    Limits,
    OutputCallback,
    RunOptions,
    SessionOptions,
    Transport,
)
from hostcall.headless.session import Result, Session
from hostcall.headless.sync import SyncBrowser, SyncSession

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "Browser",
    "BrowserOptions",
    "Frame",
    "HostFunction",
    "Limits",
    "OutputCallback",
    "PythonError",
    "Result",
    "RunOptions",
    "Session",
    "SessionOptions",
    "SyncBrowser",
    "SyncSession",
    "Transport",
    "print_output",
]
