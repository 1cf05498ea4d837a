"""hostcall's values on the Python side of the network (docs/protocol.md, *Values*).

The same encoding the worker speaks (worker/python/hostcall/_wire.py): JSON for what JSON
carries, tagged objects ``{"$hc": <tag>, ...}`` for the rest. Bytes go where the carrier has
room for them: into a list of blobs beside the JSON (``{"$hc": "bytes", "i": n}``: websocket
frames, :func:`pack`), or inline as base64 (``{"$hc": "bytes", "b64": ...}``: the JSON texts
the headless driver exchanges with its page, :func:`dumps`). Page objects (handles) and Python
callables never leave the browser, so those tags are refused.

Frames put one message and its blobs in a single binary websocket message:
``[u32 text bytes][u32 blob count][u32 blob bytes]* [UTF-8 JSON text][blob]*``, little-endian,
the layout of bridge.js's channel frames.

The cases of tests/wire-vectors.json are the contract (tests/test_wire_vectors.py checks them).
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import struct
from collections.abc import Callable, Sequence
from typing import Any

from hostcall.errors import HostcallError

TAG = "$hc"
MAX_DEPTH = 200  # as bridge.js and _wire.py: tests/wire-vectors.json checks all three
_SAFE = 2**53 - 1
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_UTC = datetime.UTC
# A path names a dict's key as a JSON string, as every codec does (tests/wire-vectors.json).
_key_text = json.encoder.encode_basestring


class Unserializable(TypeError):
    """A value that cannot cross; the message names its path."""


class TooDeep(ValueError):
    """A wire value nested deeper than :data:`MAX_DEPTH` containers."""


class _Unhashable(ValueError):
    """A wire value where Python needs a hashable one (a set item, a dict key) that has none."""


def encode(value: Any, root: str = "value", blobs: list[bytes] | None = None) -> Any:
    """The wire form of ``value``: bytes are appended to ``blobs``, or inline without it.

    Raises :class:`Unserializable` naming the path (under ``root``) of what cannot cross: a
    type with no form in the encoding, a cycle, or nesting deeper than 200 containers.
    """
    return _Encoder(blobs).encode(value, root)


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
        wire["args"] = _Encoder(blobs).encode(args, "args")
    except Unserializable:  # the message alone, then: the browser raises type(message)
        if blobs is not None:
            del blobs[kept:]
    return wire


def decode(wire: Any, blobs: Sequence[bytes] = ()) -> Any:
    """Python values from a wire value already parsed from JSON; ValueError if malformed,
    or nested deeper than 200 containers (deeper than any encoder of hostcall goes)."""
    return _decode(wire, blobs, 0)


def _decode(wire: Any, blobs: Sequence[bytes], depth: int) -> Any:
    if not isinstance(wire, list | dict):
        return wire
    if depth >= MAX_DEPTH:
        raise TooDeep(f"a value nested deeper than {MAX_DEPTH} levels")

    def inner(item: Any) -> Any:
        return _decode(item, blobs, depth + 1)

    if isinstance(wire, list):
        return [inner(item) for item in wire]
    if TAG not in wire:
        return {key: inner(item) for key, item in wire.items()}
    decoder = _DECODERS.get(wire[TAG])
    if decoder is None:
        if wire[TAG] in _BROWSER_ONLY:
            raise ValueError(f"a {json.dumps(wire[TAG])} value cannot reach this side")
        raise ValueError(f"unknown value tag {json.dumps(wire[TAG])}")
    try:
        return decoder(wire, blobs, inner)
    except (TooDeep, _Unhashable):
        raise
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"a malformed {wire[TAG]!r} value: {exc!r}") from None


def dumps(value: Any, root: str = "value") -> str:
    """``value`` as a JSON text, bytes inline; HostcallError("unserializable") if it cannot be."""
    try:
        return json.dumps(encode(value, root), allow_nan=False, separators=(",", ":"))
    except Unserializable as exc:
        raise HostcallError("unserializable", str(exc)) from None


def loads(text: str) -> Any:
    """Inverse of :func:`dumps`."""
    return decode(json.loads(text))


def pack(message: dict[str, Any], blobs: Sequence[bytes] = ()) -> bytes:
    """One frame: ``message`` as JSON text, then ``blobs``."""
    text = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
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


def _hashable(value: Any) -> Any:
    """Where Python needs a hashable (a set item, a dict key): lists become tuples, sets
    frozensets; a dict cannot be one (as the worker's _wire._hashable)."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, set):
        return frozenset(value)
    if isinstance(value, dict):
        raise _Unhashable("a dict cannot be a set item or a dict key")
    return value


def _bytes(wire: dict[str, Any], blobs: Sequence[bytes]) -> bytes:
    return bytes(blobs[wire["i"]]) if "i" in wire else base64.b64decode(wire["b64"])


Inner = Callable[[Any], Any]  # decodes a value nested one level deeper
_BROWSER_ONLY = {"handle", "callable", "iterator"}  # page objects and Python objects of the page

_DECODERS: dict[str, Callable[[dict[str, Any], Sequence[bytes], Inner], Any]] = {
    "bytes": lambda wire, blobs, inner: _bytes(wire, blobs),
    "tuple": lambda wire, blobs, inner: tuple(inner(item) for item in wire["v"]),
    "set": lambda wire, blobs, inner: {_hashable(inner(item)) for item in wire["v"]},
    "map": lambda wire, blobs, inner: {_hashable(inner(k)): inner(v) for k, v in wire["v"]},
    "int": lambda wire, blobs, inner: int(wire["v"]),
    "float": lambda wire, blobs, inner: _FLOATS[wire["v"]],
    "date": lambda wire, blobs, inner: datetime.datetime.fromtimestamp(wire["v"] / 1000, _UTC),
}


class _Encoder:
    def __init__(self, blobs: list[bytes] | None) -> None:
        self.blobs = blobs
        self.active: list[int] = []  # ids of the containers being encoded: cycles

    def encode(self, value: Any, path: str) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            return int(value) if -_SAFE <= value <= _SAFE else {TAG: "int", "v": str(int(value))}
        if isinstance(value, float):
            if math.isfinite(value):
                return float(value)
            name = "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"
            return {TAG: "float", "v": name}
        if isinstance(value, str):
            return str(value)
        if isinstance(value, bytes | bytearray | memoryview):
            return self._bytes(bytes(value))
        if isinstance(value, datetime.datetime):
            aware = value if value.tzinfo is not None else value.replace(tzinfo=_UTC)  # naive: UTC
            return {TAG: "date", "v": aware.timestamp() * 1000}
        if isinstance(value, list | tuple | set | frozenset | dict):
            return self._container(value, path)
        raise Unserializable(
            f"{path}: a value of type {type(value).__name__!r} cannot cross to the browser"
        )

    def _bytes(self, data: bytes) -> dict[str, Any]:
        if self.blobs is None:
            return {TAG: "bytes", "b64": base64.b64encode(data).decode("ascii")}
        self.blobs.append(data)
        return {TAG: "bytes", "i": len(self.blobs) - 1}

    def _container(self, value: Any, path: str) -> Any:
        if id(value) in self.active:
            raise Unserializable(
                f"{path}: a cyclic {type(value).__name__} cannot cross to the browser"
            )
        if len(self.active) >= MAX_DEPTH:
            raise Unserializable(f"{path}: nested deeper than {MAX_DEPTH} levels")
        self.active.append(id(value))
        try:
            return self._items(value, path)
        finally:
            self.active.pop()

    def _items(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            if all(type(key) is str for key in value):
                entries = {
                    key: self.encode(item, f"{path}[{_key_text(key)}]")
                    for key, item in value.items()
                }
                # A "$hc" key would read as a tag: such a dict crosses as a map, paths unchanged.
                return (
                    entries
                    if TAG not in value
                    else {TAG: "map", "v": [*map(list, entries.items())]}
                )
            keys = [self.encode(key, f"{path}{{key {i}}}") for i, key in enumerate(value)]
            items = [
                self.encode(item, f"{path}{{value {i}}}") for i, item in enumerate(value.values())
            ]
            return {TAG: "map", "v": [list(pair) for pair in zip(keys, items, strict=True)]}
        if isinstance(value, set | frozenset):
            return {
                TAG: "set",
                "v": [self.encode(item, f"{path}{{item {i}}}") for i, item in enumerate(value)],
            }
        items = [self.encode(item, f"{path}[{i}]") for i, item in enumerate(value)]
        return items if isinstance(value, list) else {TAG: "tuple", "v": items}
