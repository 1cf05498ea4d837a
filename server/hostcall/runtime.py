"""The pinned Pyodide runtime: where it lives and how it gets there.

The runtime is the npm package ``pyodide@314.0.7``, fetched once with the ordinary ``npm``
client, checked against npm's recorded integrity hash and unpacked into a per-user cache
(see :mod:`hostcall.npm`).
"""

import os
from collections.abc import Callable
from pathlib import Path

from hostcall import npm

PYODIDE_VERSION = "314.0.7"
PYODIDE_INTEGRITY = "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="  # noqa: E501 (a hash)

# The name callers catch: any pinned package that cannot be installed, the runtime included.
RuntimeSetupError = npm.SetupError


def runtime_dir() -> Path:
    """Return where the Pyodide runtime is (or will be) installed.

    ``$HOSTCALL_PYODIDE_DIR`` wins and is used as-is; otherwise it is
    ``<cache>/pyodide-<version>`` where the cache is ``$HOSTCALL_CACHE_DIR``,
    ``$XDG_CACHE_HOME/hostcall`` or ``~/.cache/hostcall``.
    """
    override = os.environ.get("HOSTCALL_PYODIDE_DIR")
    if override:
        return Path(override)
    return npm.cache_dir() / f"pyodide-{PYODIDE_VERSION}"


def ensure_runtime(log: Callable[[str], None]) -> Path:
    """Return the runtime directory, fetching and installing Pyodide first if needed.

    ``log`` receives one line per step taken. Raises :class:`RuntimeSetupError` when the
    runtime is missing and cannot be installed.
    """
    path = runtime_dir()
    if os.environ.get("HOSTCALL_PYODIDE_DIR"):
        if not (path / "pyodide.mjs").is_file():
            raise RuntimeSetupError(f"HOSTCALL_PYODIDE_DIR={path} holds no pyodide.mjs")
        return path
    if npm.is_installed(path):
        return path
    log(f"Pyodide {PYODIDE_VERSION} runtime not found; fetching it with npm…")
    # Read at call time, so that the pin can be swapped in tests.
    npm.install(path, [npm.Pin("pyodide", PYODIDE_VERSION, PYODIDE_INTEGRITY)], nested=False)
    log(f"Pyodide {PYODIDE_VERSION} installed in {path}")
    return path
