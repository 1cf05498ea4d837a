"""hostcall inside the worker: what Python code running under hostcall can import.

Host functions themselves need no import: the names a run declares (``extFns``) are
placed in the script's globals for that run, and :func:`call` reaches any of them by name.
Page objects arrive as :class:`Handle` ids (DOM elements as :class:`hostcall.dom.Element`).
"""

from __future__ import annotations

from ._display import display
from ._host import Handle, call, keep
from .dom import Element

__all__ = [
    "Element",
    "Handle",
    "HostCallLimitError",
    "HostError",
    "LimitError",
    "OutputLimitError",
    "StaleHandleError",
    "UserCancelledError",
    "call",
    "display",
    "keep",
]


class HostError(Exception):
    """The host answered a call with an error that has no Python builtin of its type.

    ``type`` is the host's error name (a JavaScript ``RangeError``, say) and
    ``message`` its message; ``str(error)`` reads ``"RangeError: message"``.
    """

    def __init__(self, type: str, message: str) -> None:
        super().__init__(f"{type}: {message}")
        self.type = type
        self.message = message


class _NamedHostError(HostError):
    """A host error with a class of its own: its message reads as the host's message."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.type = type(self).__name__
        self.message = message


class StaleHandleError(_NamedHostError, LookupError):
    """A handle that was freed, released at the end of its run, or is another session's."""


class UserCancelledError(_NamedHostError):
    """The person at the page dismissed what a host function asked of them (a file picker)."""


class LimitError(Exception):
    """A run exceeded one of its limits that has no builtin exception of its own."""


class OutputLimitError(LimitError):
    """The run wrote more than ``maxOutputBytes`` to stdout and stderr (the rest is dropped)."""


class HostCallLimitError(LimitError):
    """The run made more than ``maxHostCalls`` host calls."""
