"""DOM elements as Python objects, over the standard host functions (docs/host-functions.md).

An :class:`Element` is still the ``int`` handle the bare ``dom_*`` functions take, so both
styles mix freely::

    from hostcall import dom

    counter = dom.create("output", "0", parent=dom.root())
    button = dom.create("button", "Add one", parent=dom.root(), classes=["primary"])
    for n in range(1, 4):
        button.wait_click()
        counter.text = str(n)

Errors come from the host functions and name them: ``el.text = 5`` raises
``TypeError("dom_text: argument 2 (text) must be str, not int")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from ._host import Handle, call


@dataclass(frozen=True)
class Event:
    """What happened, as the page saw it when the event fired.

    ``time`` is in seconds since the epoch (like :func:`time.time`); ``value`` is the value of
    the input, select or textarea the event happened on; ``key`` is a keyboard event's key;
    ``button``, ``x`` and ``y`` are a mouse event's button and position in CSS pixels from the
    element's top-left corner. Fields that do not apply are None.
    """

    type: str
    time: float
    value: str | None = None
    key: str | None = None
    button: int | None = None
    x: float | None = None
    y: float | None = None

    @classmethod
    def from_host(cls, info: dict[str, Any]) -> Event:
        """The event described by the dict ``dom_wait_event`` returns."""
        fields = ("value", "key", "button", "x", "y")
        return cls(info["type"], info["time"], **{name: info.get(name) for name in fields})


class Element(Handle):
    """A page element held by handle; an ``int``, so the bare ``dom_*`` functions take it."""

    __slots__ = ()

    @property
    def text(self) -> str:
        """The element's text (``textContent``); setting it replaces everything inside."""
        return cast(str, call("dom_text", self))

    @text.setter
    def text(self, text: str) -> None:
        call("dom_text", self, text)

    @property
    def value(self) -> str:
        """The current value of an input, select or textarea (TypeError for other elements)."""
        return cast(str, call("dom_value", self))

    def attr(self, name: str) -> str | None:
        """The attribute ``name``, or None when the element has none."""
        return cast("str | None", call("dom_attr", self, name))

    def set_attr(self, name: str, value: str | float | bool | None) -> None:
        """Set the attribute ``name``; None or False removes it, True sets it empty."""
        call("dom_attr", self, name, value)

    def prop(self, name: str) -> Any:
        """The DOM property ``name`` (``checked``, ``disabled``, ...), which must be plain data."""
        return call("dom_prop", self, name)

    def set_prop(self, name: str, value: Any) -> None:
        """Set the DOM property ``name`` to plain data (None, bool, number, str, list, dict)."""
        call("dom_prop", self, name, value)

    def add_class(self, *names: str) -> None:
        """Add each class name."""
        for name in names:
            call("dom_class_add", self, name)

    def remove_class(self, *names: str) -> None:
        """Remove each class name (absent ones are fine)."""
        for name in names:
            call("dom_class_remove", self, name)

    def append(self, *children: Element) -> Element:
        """Append ``children`` in order, moving them if they are elsewhere; returns the last."""
        if not children:
            raise TypeError("append() takes at least one child")
        for child in children:
            call("dom_append", self, child)
        return children[-1]

    def remove(self) -> None:
        """Detach the element from the page; the handle stays usable (append it again)."""
        call("dom_remove", self)

    def query(self, selector: str) -> Element | None:
        """The first element inside this one matching the CSS ``selector``, or None."""
        return cast("Element | None", call("dom_query", selector, self))

    def wait_click(self, timeout: float | None = None) -> Event:
        """Block until the element is clicked (or was, since waiting began: clicks queue).

        Raises TimeoutError after ``timeout`` seconds; None waits as long as it takes.
        """
        return self.wait_event("click", timeout)

    def wait_event(self, type: str, timeout: float | None = None) -> Event:
        """Block until an event ``type`` happens on the element; queued ones come first."""
        return Event.from_host(call("dom_wait_event", self, type, timeout))

    def listen(
        self, type: str, prevent_default: bool = False, stop_propagation: bool = False
    ) -> None:
        """Queue ``type`` events from now on, deciding on the page what Python cannot in time.

        Events before the first wait are kept only after ``listen``; ``prevent_default``
        stops the browser's own action (following a link, submitting a form).
        """
        call("dom_listen", self, type, prevent_default, stop_propagation)

    def on(
        self,
        type: str,
        handler: Callable[[Event], object],
        prevent_default: bool = False,
        stop_propagation: bool = False,
    ) -> None:
        """Call ``handler(event)`` for every ``type`` event from now on, also after this run.

        The page runs it when the worker is idle (after the current run, if one is going);
        its host calls use the session's registered host functions. Not a wait: the run goes
        on at once. The handler stays until :meth:`off`, even if this handle is freed.
        """

        def on_event(info: dict[str, Any]) -> object:
            return handler(Event.from_host(info))

        call("dom_on", self, type, on_event, prevent_default, stop_propagation)

    def off(self, type: str) -> None:
        """Remove the handlers :meth:`on` attached for ``type``."""
        call("dom_off", self, type)


def root() -> Element:
    """The element the host functions work within (the page's ``<body>`` by default)."""
    return cast(Element, call("dom_root"))


def create(
    tag: str,
    text: str | None = None,
    parent: Element | None = None,
    classes: Iterable[str] = (),
) -> Element:
    """A new ``<tag>`` element with ``text`` and ``classes``, appended to ``parent`` if given."""
    if isinstance(classes, str):
        raise TypeError("create(): classes must be a list of class names, not str")
    element = cast(Element, call("dom_create", tag, text))
    element.add_class(*classes)
    if parent is not None:
        parent.append(element)
    return element


def query(selector: str) -> Element | None:
    """The first element within the root matching the CSS ``selector``, or None."""
    return cast("Element | None", call("dom_query", selector))


def wait_click_any(elements: Sequence[Element], timeout: float | None = None) -> Element:
    """Block until one of ``elements`` is clicked and return it (the object passed in).

    The oldest click queued on any of them comes first, so a ``while True`` menu loop misses
    no click made while it was busy.
    """
    candidates = list(elements)
    clicked = call("dom_await_click_any", candidates, timeout)
    return next(element for element in candidates if element == clicked)
