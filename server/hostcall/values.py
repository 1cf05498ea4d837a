"""Values between the calling Python process and the browser's Python, as JSON texts.

Playwright's own serialization loses what matters here (a tuple arrives as a list, a
``Uint8Array`` as a list of ints, a big int as an imprecise number, a set not at all), so the
headless driver sends JSON texts in the value encoding of ``docs/protocol.md`` (*Values*):
JSON plus objects tagged ``{"$hc": <tag>, ...}``, except that bytes travel inline as base64
(``{"$hc": "bytes", "b64": ...}``) since a JSON text has no blob list beside it. The page side
(``headless_page.js``) turns these into the JavaScript values the bridge sends on to Python,
so a value arrives in the browser's Python as the type it left the calling process with.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
from collections.abc import Callable
from typing import Any

from hostcall.errors import HostcallError

TAG = "$hc"
MAX_DEPTH = 200  # as deep as the bridge and the worker's encoder go
_SAFE = 2**53 - 1
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_UTC = datetime.UTC


def dumps(value: Any, root: str = "value") -> str:
    """Encode ``value`` as a JSON text for the page.

    Raises :class:`HostcallError` with code ``unserializable`` naming the path (under
    ``root``) of what cannot cross: a type with no form in the encoding, a cycle, or nesting
    deeper than 200 containers.
    """
    return json.dumps(_encode(value, root, []), allow_nan=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """Decode a JSON text the page sent (see :func:`decode`)."""
    return decode(json.loads(text))


def decode(wire: Any) -> Any:
    """Turn an already parsed wire value into Python values (tags become their types)."""
    if isinstance(wire, list):
        return [decode(item) for item in wire]
    if not isinstance(wire, dict):
        return wire
    if TAG not in wire:
        return {key: decode(item) for key, item in wire.items()}
    decoder = _DECODERS.get(wire[TAG])
    if decoder is None:
        raise HostcallError("internal", f"unknown value tag {wire[TAG]!r} from the page")
    return decoder(wire)


def _hashable(value: Any) -> Any:
    """A list that must be a set item or a dict key becomes a tuple, as in the bridge."""
    return tuple(_hashable(item) for item in value) if isinstance(value, list) else value


_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "tuple": lambda wire: tuple(decode(item) for item in wire["v"]),
    "set": lambda wire: {_hashable(decode(item)) for item in wire["v"]},
    "map": lambda wire: {_hashable(decode(k)): decode(v) for k, v in wire["v"]},
    "int": lambda wire: int(wire["v"]),
    "float": lambda wire: _FLOATS[wire["v"]],
    "bytes": lambda wire: base64.b64decode(wire["b64"]),
    "date": lambda wire: datetime.datetime.fromtimestamp(wire["v"] / 1000, _UTC),
}


def _encode(value: Any, path: str, active: list[int]) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value) if -_SAFE <= value <= _SAFE else {TAG: "int", "v": str(int(value))}
    if isinstance(value, float):
        if math.isfinite(value):
            return float(value)
        return {TAG: "float", "v": "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {TAG: "bytes", "b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_UTC)  # naive = UTC
        return {TAG: "date", "v": aware.timestamp() * 1000}
    if isinstance(value, list | tuple | set | frozenset | dict):
        return _container(value, path, active)
    raise _unserializable(f"{path}: {type(value).__name__!r} objects cannot cross to the browser")


def _container(value: Any, path: str, active: list[int]) -> Any:
    if id(value) in active:
        raise _unserializable(f"{path}: a cyclic {type(value).__name__} cannot cross")
    if len(active) >= MAX_DEPTH:
        raise _unserializable(f"{path}: nested deeper than {MAX_DEPTH} levels")
    active.append(id(value))
    try:
        return _items(value, path, active)
    finally:
        active.pop()


def _items(value: Any, path: str, active: list[int]) -> Any:
    if isinstance(value, dict):
        if all(type(key) is str for key in value) and TAG not in value:
            return {key: _encode(item, f"{path}[{key!r}]", active) for key, item in value.items()}
        pairs = [
            [_encode(key, f"{path} key {key!r}", active), _encode(item, f"{path}[{key!r}]", active)]
            for key, item in value.items()
        ]
        return {TAG: "map", "v": pairs}
    items = [_encode(item, f"{path}[{i}]", active) for i, item in enumerate(value)]
    if isinstance(value, list):
        return items
    return {TAG: "tuple" if isinstance(value, tuple) else "set", "v": items}


def _unserializable(message: str) -> HostcallError:
    return HostcallError("unserializable", message)
