"""What the commands share: the exit status of Ctrl-C, their progress lines, and an error's
line without the bridge's note that the session restarts."""

from __future__ import annotations

import sys

from hostcall.errors import HostcallError

INTERRUPTED = 130  # the exit status of a process stopped by Ctrl-C, as the shell reports it
RESTART_NOTE = "; the session restarts on its next use"  # the bridge's, not a CLI's concern


def _log(message: str) -> None:
    print(f"hostcall: {message}", file=sys.stderr, flush=True)


def error_line(error: HostcallError) -> str:
    """``code: message``, without the bridge's note that the session restarts."""
    return f"{error.code}: {error.message.removesuffix(RESTART_NOTE)}"
