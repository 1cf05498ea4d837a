"""hostcall inside the worker: what Python code running under hostcall can import.

Host functions themselves need no import: the names a run declares (``extFns``) are
placed in the script's globals for that run.
"""

from __future__ import annotations

__all__ = ["HostError"]


class HostError(Exception):
    """The host answered a call with an error that has no Python builtin of its type.

    ``type`` is the host's error name (a JavaScript ``RangeError``, say) and
    ``message`` its message; ``str(error)`` reads ``"RangeError: message"``.
    """

    def __init__(self, type: str, message: str) -> None:
        super().__init__(f"{type}: {message}")
        self.type = type
        self.message = message
