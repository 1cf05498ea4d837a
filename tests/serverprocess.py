"""``hostcall serve`` in a subprocess, for the tests and the benchmark (not shipped).

The tests import it as ``serverprocess`` (pytest puts tests/ on ``sys.path``, as it does for
conftest.py); the benchmark adds tests/ to ``sys.path`` itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

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


class StaticServer:
    """``python -m http.server`` on loopback, a port of its own, serving ``root``: a plain
    static host, sending none of hostcall's headers (no COOP/COEP, no CORS, no CSP)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # one log line per request: unread, it would fill a pipe
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"port (\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"http.server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{match.group(1)}/"

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        self.process.terminate()
        self.process.wait(timeout=10)
