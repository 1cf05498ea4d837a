"""Python's side of the host: calling host functions by name, and opaque handles.

A handle is a page object (a DOM element, a File, ...) that Python holds by an integer id
(docs/protocol.md, "Handles"). Each one that crosses to Python arrives as a new
:class:`Handle` (an ``int``), so the seed's bare style ``dom_text(btn, "hi")`` keeps working;
when the wrapper is garbage-collected its id is queued and handed back to the page with the
next host call or at the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_released: list[int] = []  # ids of collected wrappers, not yet reported to the page
_kept: set[int] = set()  # ids to keep past the end of their run, not yet reported
_call: Callable[[str, tuple[Any, ...], dict[str, Any]], Any] | None = None  # set by the Runner
_exported: dict[int, Any] = {}  # Python callables and generators the page holds, by id
_last_export = 0

H = TypeVar("H", bound="Handle")


class Handle(int):
    """An opaque handle to a page object; ``int(handle)`` is its id."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {int(self)}>"

    def __del__(self) -> None:
        _released.append(int(self))

    def free(self) -> None:
        """Release the page object now (``dom_free``); using the handle afterwards raises."""
        call("dom_free", self)

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.free()


class HostIterator(Handle):
    """A page async iterable (a ReadableStream, an async generator) consumed from Python."""

    __slots__ = ()

    def __iter__(self) -> HostIterator:
        return self

    def __next__(self) -> Any:
        step = call("$next", self)
        if step["done"]:
            raise StopIteration
        return step["value"]


# The class a handle of each kind arrives as; hostcall.dom adds "element".
KINDS: dict[str, type[Handle]] = {"object": Handle, "iterator": HostIterator}


def keep(handle: H) -> H:
    """Keep ``handle`` valid after the run that made it ends (until freed or collected)."""
    if not isinstance(handle, Handle):
        raise TypeError(f"keep() takes a handle, not {type(handle).__name__}")
    _kept.add(int(handle))
    return handle


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the host function ``name``, which the current run must declare."""
    if _call is None:
        raise RuntimeError("host functions can only be called while hostcall runs this code")
    return _call(name, args, kwargs)


def export(value: Any) -> int:
    """Hold ``value`` (a callable or a generator) for the page, which refers to it by id."""
    global _last_export
    _last_export += 1
    _exported[_last_export] = value
    return _last_export


def exported(ref: int) -> Any:
    """The object the page refers to as ``ref``; LookupError once the page let go of it."""
    try:
        return _exported[ref]
    except KeyError:
        raise LookupError(f"the page no longer holds Python object {ref}") from None


def forget(refs: list[int]) -> None:
    """The page collected its proxies of these objects."""
    for ref in refs:
        _exported.pop(ref, None)


def take_notes() -> dict[str, list[int]]:
    """The handle notes for the next message to the page: released and kept ids."""
    notes: dict[str, list[int]] = {}
    if _released:
        released = _released[:]
        del _released[: len(released)]  # a __del__ may append meanwhile: keep its id
        notes["release"] = released
    if _kept:
        notes["keep"] = list(_kept)
        _kept.clear()
    return notes
