"""Python's side of the host: calling host functions by name, and opaque handles.

A handle is a page object (a DOM element, a File, ...) that Python holds by an integer id
(docs/protocol.md, "Handles"). Each one that crosses to Python arrives as a new
:class:`Handle` (an ``int``), so the seed's bare style ``dom_text(btn, "hi")`` keeps working;
when the wrapper is garbage-collected its id is queued and handed back to the page with the
next host call or at the end of the run.

What the worker's Python shares with the page lives in one :class:`HostState`, which the
Runner makes with :func:`connect` and owns; the functions here reach it through
:func:`current`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

CallFunction = Callable[[str, tuple[Any, ...], dict[str, Any]], Any]


class HostState:
    """One session's link to the page: how to call it, and what must reach it.

    Handle notes (ids of collected wrappers, ids to keep past their run) wait here for the
    next message to the page; the Python callables and generators the page holds stay here,
    by id, until the page lets go of them.
    """

    def __init__(self, call: CallFunction) -> None:
        self.call = call  # the Runner's: encodes a host call, waits for the page's answer
        self._released: list[int] = []  # ids of collected wrappers, not yet reported
        self._kept: set[int] = set()  # ids to keep past the end of their run, not yet reported
        self._exported: dict[int, Any] = {}
        self._last_export = 0

    def release(self, ref: int) -> None:
        """A handle's wrapper was collected: the page may let go of its object."""
        self._released.append(ref)

    def keep(self, ref: int) -> None:
        """The page keeps this handle's object past the end of its run."""
        self._kept.add(ref)

    def export(self, value: Any) -> int:
        """Hold ``value`` (a callable or a generator) for the page, which refers to it by id."""
        self._last_export += 1
        self._exported[self._last_export] = value
        return self._last_export

    def exported(self, ref: int) -> Any:
        """The object the page refers to as ``ref``; LookupError once the page let go of it."""
        try:
            return self._exported[ref]
        except KeyError:
            raise LookupError(f"the page no longer holds Python object {ref}") from None

    def forget(self, refs: list[int]) -> None:
        """The page collected its proxies of these objects."""
        for ref in refs:
            self._exported.pop(ref, None)

    def take_notes(self) -> dict[str, list[int]]:
        """The handle notes for the next message to the page: released and kept ids."""
        notes: dict[str, list[int]] = {}
        if self._released:
            released = self._released[:]
            del self._released[: len(released)]  # a __del__ may append meanwhile: keep its id
            notes["release"] = released
        if self._kept:
            notes["keep"] = list(self._kept)
            self._kept.clear()
        return notes


# The Runner's state: a worker runs one session, so one Runner, for the worker's lifetime.
# Handles die whenever the garbage collector says, between runs too, so this outlives a run.
_state: HostState | None = None


def connect(call: CallFunction) -> HostState:
    """A new Runner's state, the one :func:`call`, handles and the codec use from now on."""
    global _state
    _state = HostState(call)
    return _state


def current() -> HostState:
    """The Runner's state; RuntimeError when no Runner runs this code (plain CPython)."""
    if _state is None:
        raise RuntimeError("host functions can only be called while hostcall runs this code")
    return _state


H = TypeVar("H", bound="Handle")


class Handle(int):
    """An opaque handle to a page object; ``int(handle)`` is its id."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {int(self)}>"

    def __del__(self) -> None:
        if _state is not None:  # else there is no page to tell (the codec used on its own)
            _state.release(int(self))

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


def keep(handle: H) -> H:
    """Keep ``handle`` valid after the run that made it ends (until freed or collected)."""
    if not isinstance(handle, Handle):
        raise TypeError(f"keep() takes a handle, not {type(handle).__name__}")
    current().keep(int(handle))
    return handle


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the host function ``name``, which the current run must declare."""
    return current().call(name, args, kwargs)
