"""hostcall's value encoding on the server (docs/protocol.md, "Values").

The same format the worker speaks (worker/python/hostcall/_wire.py): JSON for what JSON
carries, tagged objects ``{"$hc": tag, ...}`` for the rest, and bytes as separate blobs.
Page objects (handles) and Python callables never reach a server, so those tags are refused.

Frames put one encoded value and its blobs in a single binary message:
``[u32 text bytes][u32 blob count][u32 blob bytes]* [UTF-8 text][blob]*``, little-endian,
the layout of bridge.js's channel frames.
"""

from __future__ import annotations

import datetime
import json
import math
import struct
from collections.abc import Sequence
from typing import Any

TAG = "$hc"
MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 200
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode(value: Any, root: str = "value") -> tuple[Any, list[bytes]]:
    """Return ``(wire, blobs)``; a value that cannot cross raises TypeError naming its path."""
    blobs: list[bytes] = []
    return _to_wire(value, root, blobs, 0), blobs


def decode(wire: Any, blobs: list[bytes]) -> Any:
    """Inverse of :func:`encode` (and of bridge.js's ``encodeValue``); ValueError if malformed."""
    if isinstance(wire, list):
        return [decode(item, blobs) for item in wire]
    if not isinstance(wire, dict):
        return wire
    if TAG not in wire:
        return {key: decode(item, blobs) for key, item in wire.items()}
    tag = wire[TAG]
    try:
        if tag == "bytes":
            return blobs[wire["i"]]
        if tag == "tuple":
            return tuple(decode(item, blobs) for item in wire["v"])
        if tag == "set":
            return {decode(item, blobs) for item in wire["v"]}
        if tag == "map":
            return {decode(key, blobs): decode(item, blobs) for key, item in wire["v"]}
        if tag == "int":
            return int(wire["v"])
        if tag == "float":
            return _FLOATS[wire["v"]]
        if tag == "date":
            return _EPOCH + datetime.timedelta(milliseconds=wire["v"])
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"a malformed {tag!r} value: {exc!r}") from None
    raise ValueError(f"a {tag!r} value cannot reach the server")


def _to_wire(value: Any, path: str, blobs: list[bytes], depth: int) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else {TAG: "int", "v": str(value)}
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {TAG: "float", "v": "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"}
    if isinstance(value, (bytes, bytearray, memoryview)):
        blobs.append(bytes(value))
        return {TAG: "bytes", "i": len(blobs) - 1}
    if isinstance(value, datetime.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return {TAG: "date", "v": (when - _EPOCH) / datetime.timedelta(milliseconds=1)}
    if depth >= MAX_DEPTH:
        raise TypeError(f"{path}: nested deeper than {MAX_DEPTH} levels")
    return _container_to_wire(value, path, blobs, depth + 1)


def _container_to_wire(value: Any, path: str, blobs: list[bytes], depth: int) -> Any:
    def each(items: Any, at: str) -> list[Any]:
        return [_to_wire(item, f"{path}{at}[{i}]", blobs, depth) for i, item in enumerate(items)]

    if isinstance(value, list):
        return each(value, "")
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": each(value, "")}
    if isinstance(value, (set, frozenset)):
        return {TAG: "set", "v": each(value, "{}")}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and TAG not in value:
            return {k: _to_wire(v, f"{path}[{k!r}]", blobs, depth) for k, v in value.items()}
        return {
            TAG: "map",
            "v": [
                [
                    _to_wire(k, f"{path}{{key {k!r}}}", blobs, depth),
                    _to_wire(v, f"{path}[{k!r}]", blobs, depth),
                ]
                for k, v in value.items()
            ],
        }
    raise TypeError(f"{path}: a {type(value).__name__} cannot cross to the browser")


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
    if at != len(frame) or not isinstance(message, dict):
        raise ValueError("not a hostcall frame: its sizes do not add up")
    return message, blobs
