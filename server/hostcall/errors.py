"""The errors every part of the Python side shares: a refused request and refused arguments.

``HostcallError`` mirrors the JavaScript ``Hostcall.HostcallError`` (a misuse or a failure of
the bridge, with a stable ``code``), so the codes in ``docs/api.md`` mean the same here. This
module imports nothing of hostcall: the network codec (:mod:`hostcall.values`) and the headless
driver (:mod:`hostcall.headless`, which adds ``PythonError``) both build on it, neither on the
other.
"""

from __future__ import annotations


class HostcallError(Exception):
    """The bridge refused or could not finish a request; ``code`` says why.

    The codes are the bridge's (``busy``, ``terminated``, ``worker-crashed``,
    ``invalid-argument``, ``unserializable``, …, see ``docs/api.md``) plus the headless
    driver's own: ``closed`` (the session, its page or the browser is gone),
    ``page-crashed`` (the browser tab crashed), ``browser-missing`` and
    ``playwright-missing`` (``Browser.start()``: what to install).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ArgumentTypeError(HostcallError, TypeError):
    """An argument of the Python API has the wrong type (code ``invalid-argument``)."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid-argument", message)


class ArgumentValueError(HostcallError, ValueError):
    """An argument of the Python API has a bad value or an unknown key (``invalid-argument``)."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid-argument", message)
