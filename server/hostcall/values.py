"""hostcall's values on the Python side of the network (docs/protocol.md, *Values*).

The codec is hostcall._codec, the very file the worker runs (worker/python/hostcall/_codec.py;
server/hostcall/_codec.py is a symlink to it). What this side adds: page objects (handles)
and Python callables never leave the browser, so those are refused both ways; bytes go where
the carrier has room for them: into a list of blobs beside the JSON (``{"$hc": "bytes", "i":
n}``: websocket frames, :func:`pack`; the headless driver's host calls, whose blobs travel
beside the JSON as base64 texts), or inline as base64 (``{"$hc": "bytes", "b64": ...}``: the
other JSON texts the headless driver exchanges with its page, :func:`dumps`); and the errors
of host functions (:func:`encode_error`).

Frames put one message and its blobs in a single binary websocket message:
``[u32 text bytes][u32 blob count][u32 blob bytes]* [UTF-8 JSON text][blob]*``, little-endian,
the layout of bridge.js's channel frames.

The cases of tests/wire-vectors.json are the contract (tests/test_wire_vectors.py checks them).
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Sequence
from typing import Any

from hostcall._codec import TAG, Decoder, Encoder, Undecodable
from hostcall._codec import dumps as _dumps
from hostcall.errors import HostcallError


class Unserializable(TypeError):
    """A value that cannot cross; the message names its path."""


class _Unhashable(Undecodable):
    """A wire value where Python needs a hashable one (a set item, a dict key) that has none."""


class _Encoder(Encoder):
    """The core's encoder, bytes into the blob list."""

    destination = "the browser"
    refusal = Unserializable


class _InlineEncoder(_Encoder):
    """Bytes inline as base64, where a text has no blob list beside it."""

    def blob(self, data: bytes) -> Any:
        return {TAG: "bytes", "b64": base64.b64encode(data).decode("ascii")}


class _Decoder(Decoder):
    """The core's decoder, bytes inline as base64 too, and the browser's own tags refused."""

    unhashable = _Unhashable

    def blob(self, wire: dict[str, Any]) -> bytes:
        return super().blob(wire) if "i" in wire else base64.b64decode(wire["b64"])

    def other(self, tag: Any, wire: dict[str, Any]) -> Any:
        if tag in _BROWSER_ONLY:
            raise Undecodable(f"a {json.dumps(tag)} value cannot reach this side")
        return super().other(tag, wire)


_BROWSER_ONLY = {"handle", "callable", "iterator"}  # page objects and Python objects of the page


def encode(value: Any, root: str = "value", blobs: list[bytes] | None = None) -> Any:
    """The wire form of ``value``: bytes are appended to ``blobs``, or inline without it.

    Raises :class:`Unserializable` naming the path (under ``root``) of what cannot cross: a
    type with no form in the encoding, a cycle, or nesting deeper than 200 containers.
    """
    return (_InlineEncoder([]) if blobs is None else _Encoder(blobs)).encode(value, root)


def encode_error(error: BaseException, blobs: list[bytes] | None = None) -> dict[str, Any]:
    """The wire form of an exception a host function raised (docs/protocol.md, *Errors*).

    ``type`` and ``message`` (its ``str()``, for hosts and readers that know no more), and its
    ``args`` as values when they can cross, so that the browser raises ``type(*args)``; an
    exception group's args are its message, and its ``exceptions`` go the same way.
    """
    wire: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    args: list[Any] = list(error.args)
    if isinstance(error, BaseExceptionGroup):
        args = [error.message]
        wire["exceptions"] = [encode_error(each, blobs) for each in error.exceptions]
    kept = len(blobs or ())
    try:
        wire["args"] = encode(args, "args", blobs)
    except Unserializable:  # the message alone, then: the browser raises type(message)
        if blobs is not None:
            del blobs[kept:]
    return wire


def decode(wire: Any, blobs: Sequence[bytes] = ()) -> Any:
    """Python values from a wire value already parsed from JSON; ValueError if malformed,
    or nested deeper than 200 containers (deeper than any encoder of hostcall goes)."""
    return _Decoder(lambda: blobs).walk(wire)


def dumps(value: Any, root: str = "value") -> str:
    """``value`` as a JSON text, bytes inline; HostcallError("unserializable") if it cannot be."""
    try:
        return _dumps(encode(value, root))
    except Unserializable as exc:
        raise HostcallError("unserializable", str(exc)) from None


def loads(text: str) -> Any:
    """Inverse of :func:`dumps`."""
    return decode(json.loads(text))


def pack(message: dict[str, Any], blobs: Sequence[bytes] = ()) -> bytes:
    """One frame: ``message`` as JSON text, then ``blobs``."""
    text = _dumps(message).encode()
    head = struct.pack(f"<{2 + len(blobs)}I", len(text), len(blobs), *map(len, blobs))
    return b"".join([head, text, *blobs])


def unpack(frame: bytes) -> tuple[Any, list[bytes]]:
    """Inverse of :func:`pack`; ValueError for a frame that is not one."""
    try:
        size, count = struct.unpack_from("<2I", frame)
        if 8 + 4 * count > len(frame):
            raise struct.error("more blobs than the frame could hold")
        sizes = struct.unpack_from(f"<{count}I", frame, 8)
        at = 8 + 4 * count
        message = json.loads(frame[at : at + size])
        at += size
        blobs = []
        for blob_size in sizes:
            blobs.append(frame[at : at + blob_size])
            at += blob_size
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a hostcall frame: {exc}") from None
    except RecursionError:
        raise ValueError("not a hostcall frame: its JSON is nested too deeply") from None
    if at != len(frame) or not isinstance(message, dict):
        raise ValueError("not a hostcall frame: its sizes do not add up")
    return message, blobs
