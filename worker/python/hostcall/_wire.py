"""hostcall's value encoding, Python side (docs/protocol.md, "Values").

A value travels as JSON text plus a list of binary blobs. JSON carries None, bools,
strings, lists, dicts with string keys and finite numbers as themselves; everything
else is a tagged object ``{"$hc": tag, ...}``. ``bytes`` go into the blob list and
the JSON holds their index, so binary data is never base64-encoded.

The JavaScript half lives in bridge.js (``encodeValue``/``decodeValue``); both must
agree with the table in docs/protocol.md.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Callable
from typing import Any

TAG = "$hc"
MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 200

_FLOAT_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def encode(value: Any, root: str = "value") -> tuple[str, list[bytes]]:
    """Return ``(json_text, blobs)`` for ``value``.

    A value that cannot cross raises TypeError whose message names its type and path.
    """
    blobs: list[bytes] = []
    wire = _to_wire(value, blobs, root, set())
    return json.dumps(wire, separators=(",", ":"), allow_nan=False), blobs


def encode_call(
    call_id: int, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, list[bytes]]:
    """Encode a host-function call; a bad argument's error names the function and argument."""
    blobs: list[bytes] = []
    wire_args = [
        _to_wire(arg, blobs, f"{name}() argument {i + 1}", set()) for i, arg in enumerate(args)
    ]
    wire_kwargs = {
        key: _to_wire(arg, blobs, f"{name}() argument {key!r}", set())
        for key, arg in kwargs.items()
    }
    envelope = {"id": call_id, "fn": name, "args": wire_args, "kwargs": wire_kwargs}
    return json.dumps(envelope, separators=(",", ":"), allow_nan=False), blobs


def decode(text: str, blobs: Callable[[], list[bytes]] = list) -> Any:
    """Inverse of :func:`encode` (and of bridge.js's ``encodeValue``).

    ``blobs`` is called once, and only if the text refers to a blob, so a reply without
    binary data never pays for fetching the blob list.
    """
    return json.loads(text, object_hook=_hook(blobs))


def _to_wire(value: Any, blobs: list[bytes], path: str, active: set[int]) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else {TAG: "int", "v": str(value)}
    if kind is float:
        return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        blobs.append(bytes(value))
        return {TAG: "bytes", "i": len(blobs) - 1}
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return {TAG: "date", "v": moment.timestamp() * 1000}
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return _container_to_wire(value, blobs, path, active)
    # Subclasses of the scalar types (IntEnum, str enums, numpy-free floats) cross as the base.
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return _to_wire(base(value), blobs, path, active)
    raise TypeError(f"{path}: a value of type {kind.__name__!r} cannot cross to the host")


def _container_to_wire(value: Any, blobs: list[bytes], path: str, active: set[int]) -> Any:
    if id(value) in active:
        raise TypeError(f"{path}: a cyclic {type(value).__name__} cannot cross to the host")
    if len(active) >= MAX_DEPTH:
        raise TypeError(f"{path}: nested deeper than {MAX_DEPTH} levels")
    active.add(id(value))
    try:
        return _container_items(value, blobs, path, active)
    finally:
        active.discard(id(value))


def _container_items(value: Any, blobs: list[bytes], path: str, active: set[int]) -> Any:
    def each(items: Any, at: Callable[[int], str]) -> list[Any]:
        return [_to_wire(item, blobs, at(i), active) for i, item in enumerate(items)]

    if isinstance(value, list):
        return each(value, lambda i: f"{path}[{i}]")
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": each(value, lambda i: f"{path}[{i}]")}
    if isinstance(value, (set, frozenset)):
        return {TAG: "set", "v": each(value, lambda i: f"{path}{{item {i}}}")}
    if all(type(key) is str for key in value) and TAG not in value:
        return {
            key: _to_wire(item, blobs, f"{path}[{key!r}]", active) for key, item in value.items()
        }
    pairs = [
        [
            _to_wire(key, blobs, f"{path}{{key {key!r}}}", active),
            _to_wire(item, blobs, f"{path}[{key!r}]", active),
        ]
        for key, item in value.items()
    ]
    return {TAG: "map", "v": pairs}


def _hook(load_blobs: Callable[[], list[bytes]]) -> Callable[[dict[str, Any]], Any]:
    blobs: list[bytes] = []

    def unwire(obj: dict[str, Any]) -> Any:
        tag = obj.get(TAG)
        if tag is None:
            return obj
        if tag == "bytes":
            if not blobs:
                blobs.extend(load_blobs())
            return blobs[obj["i"]]
        if tag == "tuple":
            return tuple(obj["v"])
        if tag == "set":
            return {_hashable(item) for item in obj["v"]}
        if tag == "map":
            return {_hashable(key): item for key, item in obj["v"]}
        if tag == "int":
            return int(obj["v"])
        if tag == "float":
            return _FLOAT_NAMES[obj["v"]]
        if tag == "date":
            return datetime.datetime.fromtimestamp(obj["v"] / 1000, tz=datetime.UTC)
        raise ValueError(f"unknown value tag {tag!r}")

    return unwire


def _hashable(value: Any) -> Any:
    """Lists arrive where Python needs a hashable (a set item, a dict key): make them tuples."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        raise TypeError("a dict cannot be a set item or a dict key")
    return value
