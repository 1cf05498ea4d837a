"""The worker's Python package (worker/python/hostcall), imported under CPython for tests.

It runs in Pyodide, but its codec and its state need neither js nor pyodide. Imported as
``worker_hostcall``: the server's package is already ``hostcall`` here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FOLDER = Path(__file__).resolve().parent.parent / "worker" / "python" / "hostcall"
NAME = "worker_hostcall"


def load() -> ModuleType:
    """The package, imported once per test process (its modules are ``worker_hostcall.*``)."""
    if NAME in sys.modules:
        return sys.modules[NAME]
    spec = importlib.util.spec_from_file_location(
        NAME, FOLDER / "__init__.py", submodule_search_locations=[str(FOLDER)]
    )
    assert spec and spec.loader
    package = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = package
    spec.loader.exec_module(package)
    return package
