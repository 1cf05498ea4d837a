"""The headless driver's options, each declared once, here.

``Browser()``, ``Browser.session()`` and ``Session.run()`` / ``run_with_host_functions()``
take their options as keyword arguments typed by the dicts below (``**options:
Unpack[SessionOptions]``), and the blocking twins in :mod:`hostcall.headless.sync` take and
pass on the same dicts: a new option is added here and read where it is used, nowhere else.
The defaults are in each dict's comments and in ``docs/python-api.md``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypedDict

CHROMIUM = os.environ.get("HOSTCALL_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps calling home, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

OutputCallback = Callable[[str, str], None]
"""Receives ``(stream, text)``: ``stream`` is ``"stdout"`` or ``"stderr"``."""

HostFunction = Callable[..., Any]
"""A host function: a sync callable, or an async one (or one returning an awaitable)."""

Transport = Literal["auto", "atomics", "jspi"]
TRANSPORTS: tuple[Transport, ...] = ("auto", "atomics", "jspi")


class Limits(TypedDict, total=False):
    """An execution's limits (``docs/api.md``, *Limits*); ``None`` lifts one."""

    timeout_ms: float | None
    memory_bytes: int | None
    recursion_depth: int | None
    max_output_bytes: int | None
    max_host_calls: int | None


# The page's names of the limits.
LIMIT_NAMES = {
    "timeout_ms": "timeoutMs",
    "memory_bytes": "memoryBytes",
    "recursion_depth": "recursionDepth",
    "max_output_bytes": "maxOutputBytes",
    "max_host_calls": "maxHostCalls",
}


class BrowserOptions(TypedDict, total=False):
    """``Browser()`` and ``SyncBrowser()``: how the server and Chromium start."""

    isolation: bool  # True: pages cross-origin isolated (atomics); False: JSPI
    allow_connect: Sequence[str]  # (): origins the worker's Python may reach
    headless: bool  # True
    executable_path: str  # CHROMIUM
    log: Callable[[str], None] | None  # None: set-up lines go to stderr
    packages_dir: str | os.PathLike[str]  # "hostcall-packages": the package folder served


class SessionOptions(TypedDict, total=False):
    """``Browser.session()`` and ``SyncBrowser.session()``: ``init``'s options in snake_case."""

    transport: Transport  # "auto"
    limits: Limits | None  # None: the bridge's defaults
    interrupt_grace_ms: float | None  # None: the bridge's default
    allow_js: bool  # False
    spare: bool  # False
    startup_snapshot: bool  # True
    packages: Sequence[str]  # (): packages of the package folder to load (docs/packages.md)
    on_output: OutputCallback | None  # None; else gets every output chunk of the session


class RunOptions(TypedDict, total=False):
    """``run()`` and ``run_with_host_functions()`` of ``Session`` and ``SyncSession``."""

    limits: Limits | None  # None: the session's
    script_name: str | None  # None: main.py
    on_output: OutputCallback | None  # None; else gets this execution's output


def page_limits(limits: Mapping[str, Any]) -> dict[str, Any]:
    """The page's names of limits already checked (:func:`checks.limits`)."""
    return {LIMIT_NAMES[key]: value for key, value in limits.items()}
