"""``display()``: show a value beside the running ``<script type="text/python">`` block.

It is a host call the page's embed layer answers (js/embed/, docs/embed.md): the page knows
which block runs, or which block installed the event handler that runs, and where its output
goes. In a run started from JavaScript nobody answers it, and ``display`` says so.
"""

from __future__ import annotations

from typing import Any

from ._host import call

# The embed layer declares this host function for every block and event handler it runs.
HOST_FUNCTION = "hostcall_display"


def display(obj: object, target: Any = None, append: bool = True) -> None:
    """Show ``obj`` in the block's output, or in the element ``target`` names.

    HTML comes from ``obj._repr_html_()`` when it has one; otherwise its text: a ``str`` as
    it is, anything else as ``repr(obj)``. ``target`` is a CSS selector or a
    :class:`hostcall.dom.Element`; ``append=False`` replaces what the element holds.
    """
    html = _html_of(obj)
    kind, content = ("html", html) if html is not None else ("text", _text_of(obj))
    try:
        call(HOST_FUNCTION, kind, content, target, append)
    except RuntimeError as error:
        if HOST_FUNCTION not in str(error):
            raise
        raise RuntimeError(
            'display() shows output beside a <script type="text/python"> block: this code '
            "was not run from one (docs/embed.md)"
        ) from None


def _html_of(obj: object) -> str | None:
    repr_html = getattr(obj, "_repr_html_", None)
    if not callable(repr_html):
        return None
    html = repr_html()
    if html is not None and not isinstance(html, str):
        kind = type(html).__name__
        raise TypeError(f"{type(obj).__name__}._repr_html_() returned {kind}, not str")
    return html


def _text_of(obj: object) -> str:
    return obj if isinstance(obj, str) else repr(obj)
