"""Start the pieces hostcall runs on from Python: the dev server and Debian's Chromium.

Used by the tests and the benchmark; the headless Python API will build on it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

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
_SERVING = re.compile(r"serving (http://\S+/)")


class ServerProcess:
    """``hostcall serve --port 0`` in a subprocess, exactly as a user starts it."""

    def __init__(self, *flags: str, cwd: str | os.PathLike[str] | None = None) -> None:
        """``cwd``: where to run it (``--app`` imports its module from there)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hostcall", "serve", "--port", "0", *flags],
            stdout=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = _SERVING.search(line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"hostcall serve did not start: {line!r}")
        self.url = match.group(1)

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        self.process.terminate()
        self.process.wait(timeout=10)
