"""Keeps user code away from the worker's JavaScript unless the page allows it.

By default Python reaches the page only through the host functions it was given:
``import js``, ``pyodide`` (``pyodide.ffi``, ``pyodide.code.run_js``, ``pyodide.http``) and
Pyodide's private modules raise :class:`ImportError` in user code, however they are
imported (``import``, ``__import__``, ``importlib``). Python's own modules, Pyodide's and
hostcall's keep using them. The page opts in with ``init({allowJs: true})``.

This stops accidental and casual use, not a determined attacker: Python has no private
state, so JavaScript objects stay reachable through ``sys.modules``, ``gc`` or hostcall's
internals. The boundary is the worker and its Content-Security-Policy (docs/api.md).
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Mapping, Sequence

BLOCKED = frozenset({"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core"})

# Code from these files may import anything: Python's and Pyodide's modules (the standard
# library lives in /lib/python314.zip, packages in /lib/python3.14) and hostcall's own.
_TRUSTED = ("/lib/", os.path.dirname(__file__) + os.sep)
_THIS_FILE = __file__
_MACHINERY = "<frozen importlib"


def install() -> None:
    """Refuse the blocked modules to user code from now on, for the worker's lifetime."""
    original_import = builtins.__import__
    original_import_module = importlib.import_module

    def guarded_import(
        name: str,
        globals: Mapping[str, object] | None = None,
        locals: Mapping[str, object] | None = None,
        fromlist: Sequence[str] | None = (),
        level: int = 0,
    ) -> types.ModuleType:
        if level == 0:
            _check(name)
        return original_import(name, globals, locals, fromlist, level)

    def guarded_import_module(name: str, package: str | None = None) -> types.ModuleType:
        if not name.startswith("."):
            _check(name)
        return original_import_module(name, package)

    builtins.__import__ = guarded_import
    importlib.import_module = guarded_import_module
    # Anything else that reaches the import machinery (importlib._bootstrap, runpy) ends
    # up asking the finders for a module not yet loaded, such as js.
    sys.meta_path.insert(0, _Refuser())


class _Refuser(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        _check(name)
        return None  # not ours to find: the next finder goes on


def _check(name: str) -> None:
    if name.partition(".")[0] in BLOCKED and not _importer_trusted():
        raise ImportError(
            f"import of {name!r} is blocked: Python in this session reaches the page only "
            "through its host functions (the page may allow it with init({allowJs: true}))",
            name=name,
        )


def _importer_trusted() -> bool:
    """Whether the code asking for an import, past the import machinery, is trusted."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename != _THIS_FILE and not filename.startswith(_MACHINERY):
            return filename.startswith(_TRUSTED)
        frame = frame.f_back  # type: ignore[assignment]
    return True  # nothing but machinery: the runtime itself, called from JavaScript
