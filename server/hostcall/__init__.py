"""hostcall: run Python in a browser tab and let it call functions of its host.

Python (Pyodide) runs in a Web Worker owned by ``bridge.js``; this package is the Python
side: the development server that serves the bridge, the worker and a pinned Pyodide
runtime with the cross-origin isolation headers, the ``hostcall`` command line, host functions
on the server (:class:`HostFunctions`), and headless runs driven from Python
(:mod:`hostcall.headless`: :class:`Browser`, :class:`SyncBrowser`; the pytest plugin).

The names below are imported on first use, so ``import hostcall`` (and ``hostcall serve``)
stays light: Playwright is loaded only once a browser starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hostcall.errors import HostcallError
    from hostcall.headless import (
        Browser,
        Frame,
        Limits,
        PythonError,
        Result,
        Session,
        SyncBrowser,
        SyncSession,
    )
    from hostcall.pytest_plugin import in_browser
    from hostcall.remote import HostFunctions

__version__ = "0.1.0"

_LAZY = {
    "HostFunctions": "hostcall.remote",
    "Browser": "hostcall.headless",
    "Limits": "hostcall.headless",
    "Result": "hostcall.headless",
    "Session": "hostcall.headless",
    "Frame": "hostcall.headless",
    "HostcallError": "hostcall.errors",
    "PythonError": "hostcall.headless",
    "SyncBrowser": "hostcall.headless",
    "SyncSession": "hostcall.headless",
    "in_browser": "hostcall.pytest_plugin",
}

__all__ = [
    "Browser",
    "Frame",
    "HostFunctions",
    "HostcallError",
    "Limits",
    "PythonError",
    "Result",
    "Session",
    "SyncBrowser",
    "SyncSession",
    "in_browser",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hostcall' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
