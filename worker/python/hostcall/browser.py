"""Browser APIs over the standard host functions (docs/host-functions.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from ._host import call


@dataclass(frozen=True)
class PickedFile:
    """A file the person chose: ``text`` when read as text, ``data`` when read as bytes."""

    name: str
    type: str
    size: int
    text: str | None = None
    data: bytes | None = None


def pick_file(accept: str | None = None, binary: bool = False) -> PickedFile:
    """Ask the person for a file and read it, as bytes when ``binary``.

    ``accept`` filters the chooser like the HTML attribute (``".csv,text/plain"``). Without a
    recent click the page shows a "Choose a file…" button first. Raises
    ``hostcall.UserCancelledError`` when the person cancels.
    """
    info = call("pick_file", accept, binary)
    return PickedFile(info["name"], info["type"], info["size"], info.get("text"), info.get("bytes"))


def upload_file(accept: str | None = None) -> str:
    """Ask the person for a file and return its text (like :func:`pick_file`)."""
    return cast(str, call("upload_file", accept))


def download(name: str, data: str | bytes, mime: str = "application/octet-stream") -> None:
    """Offer ``data`` (text is saved as UTF-8) as a download called ``name``."""
    call("download", name, data, mime)


def now() -> datetime.datetime:
    """The page's current time, as an aware datetime in UTC."""
    return datetime.datetime.fromisoformat(cast(str, call("now")))


def sleep(seconds: float) -> None:
    """Wait ``seconds`` on the page's clock; the page keeps working (and queueing events)."""
    call("sleep", seconds)


def log(*args: Any) -> None:
    """``console.log`` the values on the page (elements show as elements)."""
    call("log", *args)


def storage_get(key: str) -> str | None:
    """The page's ``localStorage`` value for ``key``, or None."""
    return cast("str | None", call("storage_get", key))


def storage_set(key: str, value: str | None) -> None:
    """Store ``value`` under ``key`` in ``localStorage``; None removes it."""
    call("storage_set", key, value)
