"""Checks of the Python API's arguments, in Python's terms, before anything reaches the page.

The page checks its options too, but it speaks JavaScript (``limits.timeoutMs``, ``Number``);
here a wrong type raises :class:`~hostcall.errors.ArgumentTypeError` (a ``TypeError``) and a
bad value or an unknown key :class:`~hostcall.errors.ArgumentValueError` (a ``ValueError``),
both a ``HostcallError("invalid-argument")`` too, naming the method, the argument and, for a
misspelt key, the nearest known one.
"""

from __future__ import annotations

import builtins
import difflib
import keyword
import math
from collections.abc import Iterable, Mapping
from typing import Any

from hostcall.errors import ArgumentTypeError, ArgumentValueError

_SAFE = 2**53 - 1  # the largest integer the page's limits take


def _type_name(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def nearest(key: str, known: Iterable[str]) -> str:
    """``did you mean 'x'?`` for the known name closest to ``key``, else the known names."""
    known = list(known)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known: " + ", ".join(known)


def known(where: str, options: Mapping[str, Any], names: Iterable[str]) -> None:
    """TypeError, as Python's own for a keyword argument it does not take, with the nearest."""
    names = list(names)
    for key in options:
        if key not in names:
            raise ArgumentTypeError(
                f"{where}: unexpected keyword argument {key!r}; {nearest(key, names)}"
            )


def of_type(where: str, name: str, value: Any, kind: Any, what: str) -> None:
    """TypeError unless ``value`` is a ``kind`` (a bool is no number here)."""
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ArgumentTypeError(f"{where}: {name} must be {what}, not {_type_name(value)}")


def flag(where: str, name: str, value: Any) -> None:
    of_type(where, name, value, bool, "True or False")


def optional_callable(where: str, name: str, value: Any) -> None:
    if value is not None and not callable(value):
        raise ArgumentTypeError(
            f"{where}: {name} must be callable or None, not {_type_name(value)}"
        )


def choice(where: str, name: str, value: Any, choices: tuple[str, ...]) -> None:
    of_type(where, name, value, str, "a str")
    if value not in choices:
        listed = ", ".join(map(repr, choices))
        raise ArgumentValueError(
            f"{where}: {name} must be one of {listed}, not {value!r}; {nearest(value, choices)}"
        )


def milliseconds(where: str, name: str, value: Any, *, positive: bool) -> None:
    """A finite number of milliseconds (``positive``: above 0, else 0 or more) or None."""
    if value is None:
        return
    bound = "positive" if positive else "non-negative"
    of_type(where, name, value, int | float, f"a {bound} number of milliseconds or None")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ArgumentValueError(f"{where}: {name} must be a {bound} number or None, not {value!r}")


def limits(where: str, value: Any, names: Iterable[str]) -> None:
    """A :class:`hostcall.Limits` mapping: known keys, each a positive number or None."""
    if value is None:
        return
    of_type(where, "limits", value, Mapping, "a mapping (a hostcall.Limits dict) or None")
    names = list(names)
    for key, limit in value.items():
        if key not in names:
            hint = nearest(key, names) if isinstance(key, str) else "known: " + ", ".join(names)
            raise ArgumentValueError(f"{where}: unknown limit {key!r}; {hint}")
        if key == "timeout_ms":
            milliseconds(where, "limits['timeout_ms']", limit, positive=True)
        elif limit is not None:
            what = f"limits[{key!r}]"
            of_type(where, what, limit, int, "a positive int or None")
            if not 0 < limit <= _SAFE:
                raise ArgumentValueError(f"{where}: {what} must be positive and at most 2**53 - 1")


def handlers(where: str, value: Any) -> None:
    """A mapping of host function names (Python identifiers) to callables."""
    of_type(where, "handlers", value, Mapping, "a mapping of names to callables")
    for name, handler in value.items():
        of_type(where, "a handler's name", name, str, "a str")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ArgumentValueError(f"{where}: handlers: {name!r} is not a Python identifier")
        if hasattr(builtins, name):
            raise ArgumentValueError(
                f"{where}: handlers: {name!r} would shadow the Python builtin of that name"
            )
        if not callable(handler):
            raise ArgumentTypeError(
                f"{where}: handlers[{name!r}] must be callable, not {_type_name(handler)}"
            )


def text(where: str, name: str, value: Any, *, optional: bool = False) -> None:
    """A str; ``optional``: a non-empty one, or None."""
    if optional and value is None:
        return
    of_type(where, name, value, str, "a str or None" if optional else "a str")
    if optional and not value:
        raise ArgumentValueError(f"{where}: {name} must not be empty (None for the default)")


def strings(where: str, name: str, value: Any) -> None:
    """A sequence of str that is not itself one str."""
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise ArgumentTypeError(
            f"{where}: {name} must be a sequence of str, not {_type_name(value)}"
        )
    for item in value:
        of_type(where, f"an item of {name}", item, str, "a str")
