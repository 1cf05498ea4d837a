"""hostcall's value encoding inside the worker (docs/protocol.md, "Values").

The codec itself is _codec.py, which the server shares (server/hostcall/values.py); here is
what only the worker does: page objects (handles) cross both ways, Python callables and
generators are exported for the page to call, a host function's call is encoded with a
fast path for plain arguments, a reply without tagged values is read by a fast path, and a
host error becomes the exception Python raises (:func:`host_exception`).
"""

from __future__ import annotations

import builtins
import json
import math
import types
from collections.abc import Callable
from typing import Any, cast

from . import HostError, StaleHandleError, UserCancelledError
from ._codec import MAX_SAFE_INT, TAG, Decoder, Encoder, Refused, dumps
from ._host import Handle, HostIterator, current
from .dom import Element

# The class a handle of each kind arrives as.
_KINDS: dict[str, type[Handle]] = {"object": Handle, "iterator": HostIterator, "element": Element}

_TAG_KEY = json.dumps(TAG)  # how a tagged object's key appears in a JSON text
_quote = json.encoder.encode_basestring_ascii  # a str as a JSON string, as dumps writes it
# json.loads checks for whitespace around the document with two regex matches; the texts
# decoded here are written by JSON.stringify or dumps, without any.
_raw_decode = json.JSONDecoder().raw_decode


class _Encoder(Encoder):
    """The core's encoder, plus what lives in the page's session: handles and exports."""

    def other(self, value: Any) -> Any:
        if isinstance(value, Handle):
            return {TAG: "handle", "id": int(value)}
        if isinstance(value, (types.GeneratorType, types.AsyncGeneratorType)):
            return {TAG: "iterator", "id": current().export(value)}
        if callable(value) and not isinstance(value, type):
            name = getattr(value, "__name__", None)
            name = name if isinstance(name, str) and name.isidentifier() else "call"
            return {TAG: "callable", "id": current().export(value), "name": name}
        return super().other(value)


class _Decoder(Decoder):
    """The core's decoder, plus the page objects held by handle."""

    def other(self, tag: Any, wire: dict[str, Any]) -> Any:
        if tag == "handle":
            return _KINDS.get(wire["kind"], Handle)(wire["id"])
        return super().other(tag, wire)


def encode(value: Any, root: str = "value") -> tuple[str, list[bytes]]:
    """Return ``(json_text, blobs)`` for ``value``.

    A value that cannot cross raises TypeError whose message names its type and its path
    from ``root``.
    """
    blobs: list[bytes] = []
    return dumps(_Encoder(blobs).encode(value, root)), blobs


def encode_call(
    call_id: int,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    notes: dict[str, list[int]],
) -> tuple[str, list[bytes]]:
    """Encode a host-function call with the handle ``notes`` (release/keep lists).

    A bad argument's error names the function and the argument.
    """
    if not kwargs and not notes:
        # The common call, a few plain positional values, is written directly: the general
        # path below costs several times more, which matters at microseconds per call.
        items = [_plain_json(arg) for arg in args]
        if None not in items:
            args_json = ",".join(cast("list[str]", items))
            return f'{{"id":{call_id},"fn":{_quote(name)},"args":[{args_json}],"kwargs":{{}}}}', []
    blobs: list[bytes] = []
    encoder = _Encoder(blobs)
    try:
        wire_args = encoder.each(args, lambda i: f" argument {i + 1}")
        wire_kwargs = encoder.entries(kwargs, lambda key: f" argument {key!r}")
    except Refused as refused:
        raise refused.error(f"{name}()") from None
    envelope = {"id": call_id, "fn": name, "args": wire_args, "kwargs": wire_kwargs, **notes}
    return dumps(envelope), blobs


def _plain_json(value: Any) -> str | None:
    """The JSON text of a value that crosses as itself (as dumps writes it), else None."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return repr(value) if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else None
    if kind is float:
        return repr(value) if math.isfinite(value) else None
    if kind is bool:
        return "true" if value else "false"
    return "null" if value is None else None


def decode(text: str, blobs: Callable[[], list[bytes]] = list) -> Any:
    """Inverse of :func:`encode` (and of bridge.js's ``encodeValue``).

    ``blobs`` is called once, and only if the text refers to a blob, so a reply without
    binary data never pays for fetching the blob list.
    """
    if _TAG_KEY not in text:  # no tagged value: plain JSON, no hook to call on every object
        return _raw_decode(text)[0]
    return json.loads(text, object_hook=_Decoder(blobs).unwire)


def host_exception(error: dict[str, Any]) -> BaseException:
    """The exception a host error (docs/protocol.md, *Errors*) raises in Python.

    The builtin of that name, built from the error's ``args`` when the host sent them (an
    exception group's from its message and ``exceptions``), else from its message;
    hostcall's exception of that name (StaleHandleError, ...); else HostError. The host's
    stack, when it sent one, is a note on it (printed under Python's traceback).
    """
    exception = _exception(error)
    if error.get("traceback"):
        exception.add_note(f"host traceback:\n{error['traceback']}")
    return exception


def _exception(error: dict[str, Any]) -> BaseException:
    type_name, message = error["type"], error["message"]
    own = _OWN_ERRORS.get(type_name)
    if own:
        return own(message)
    builtin = getattr(builtins, type_name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        args = error.get("args", [message])
        if "exceptions" in error:
            args = [*args[:1], [host_exception(each) for each in error["exceptions"]]]
        try:
            return builtin(*args)
        except (TypeError, ValueError):
            pass  # args it does not take (UnicodeDecodeError from a message, ...)
    return HostError(type_name, message)


_OWN_ERRORS: dict[str, Callable[[str], HostError]] = {
    "StaleHandleError": StaleHandleError,
    "UserCancelledError": UserCancelledError,
}
