"""hostcall's value codec, the part both Python sides share (docs/protocol.md, *Values*).

A value travels as JSON plus a list of binary blobs. JSON carries None, bools, strings,
lists, dicts with string keys and finite numbers as themselves; everything else is a
tagged object ``{"$hc": tag, ...}``. Here: scalars, containers, tuples, sets, maps, dates,
non-finite floats, big ints, the depth limit, cycles, the paths of refusals, and decoding.
What differs between the sides are the extension points of :class:`Encoder` and
:class:`Decoder`: the worker (worker/python/hostcall/_wire.py) sends handles and exports
callables and generators; the server (server/hostcall/values.py) refuses those and carries
bytes inline as base64 where a text has no blob list beside it.

One file for both packages: this is worker/python/hostcall/_codec.py, and
server/hostcall/_codec.py is a symlink to it. Hence only the standard library here: no
relative imports, nothing of Pyodide. The cases of tests/wire-vectors.json are the contract
(tests/test_wire_vectors.py checks both sides; bridge.js's codec passes them under Node).
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

TAG = "$hc"
MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 200  # as bridge.js's: tests/wire-vectors.json checks both

_FLOAT_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

# Built once: json.dumps with non-default options constructs an encoder on every call,
# which costs microseconds per host call in Pyodide. Cycles are refused by Encoder.
dumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode
# A path names a dict's key as a JSON string: JavaScript's JSON.stringify writes the same,
# and both languages read it as a subscript (tests/wire-vectors.json, *refusals*).
_key_text = json.encoder.encode_basestring

Inner = Callable[[Any], Any]  # decodes a value nested one level deeper


class Refused(Exception):
    """A value cannot cross; ``path`` collects the way to it as the encoder unwinds."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
        self.path: list[str] = []

    def at(self, segment: str) -> Refused:
        self.path.append(segment)
        return self

    def error(self, root: str, kind: type[TypeError] = TypeError) -> TypeError:
        """The error to raise: ``<root><path>: <what>``."""
        return kind(f"{root}{''.join(reversed(self.path))}: {self.what}")


class Undecodable(ValueError):
    """A wire value this side does not decode: malformed, an unknown tag, nested too deep."""


class TooDeep(Undecodable):
    """A wire value nested deeper than :data:`MAX_DEPTH` containers."""


class Encoder:
    """Python values to their wire form (objects for JSON), for one value at a time.

    A side subclasses it for what differs: :meth:`blob` (how bytes travel) and
    :meth:`other` (types the core does not know), and names itself in refusals.
    """

    destination = "the host"  # where a refused value "cannot cross to"
    refusal: type[TypeError] = TypeError  # what a refusal raises

    def __init__(self, blobs: list[bytes]) -> None:
        self.blobs = blobs
        self.active: set[int] = set()  # ids of the containers being encoded: cycles, depth

    def encode(self, value: Any, root: str = "value") -> Any:
        """The wire form of ``value``; a refusal names its path from ``root``."""
        try:
            return self.wire(value)
        except Refused as refused:
            raise refused.error(root, self.refusal) from None

    def wire(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return (
                value if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else {TAG: "int", "v": str(value)}
            )
        if kind is float:
            return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
        if isinstance(value, (bytes, bytearray, memoryview)):
            return self.blob(bytes(value))
        if isinstance(value, datetime.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)  # naive: UTC
            return {TAG: "date", "v": moment.timestamp() * 1000}
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            return self.container(value)
        return self.other(value)

    def blob(self, data: bytes) -> Any:
        """Bytes go into the blob list; the JSON holds their index."""
        self.blobs.append(data)
        return {TAG: "bytes", "i": len(self.blobs) - 1}

    def other(self, value: Any) -> Any:
        """A value of no type above: a side's own types first (then call this), then the
        subclasses of the scalar types (IntEnum, str enums) as their base type."""
        for base in (bool, int, float, str):
            if isinstance(value, base):
                return self.wire(base(value))
        raise Refused(
            f"a value of type {type(value).__name__!r} cannot cross to {self.destination}"
        )

    def container(self, value: Any) -> Any:
        # One function with the dispatch below: each Python frame per level of nesting counts
        # towards the recursion limit, and 200 levels must fit under it with room to spare.
        active = self.active
        if id(value) in active:
            raise Refused(f"a cyclic {type(value).__name__} cannot cross to {self.destination}")
        if len(active) >= MAX_DEPTH:
            raise Refused(f"nested deeper than {MAX_DEPTH} levels")
        active.add(id(value))
        try:
            if isinstance(value, list):
                return self.each(value, lambda i: f"[{i}]")
            if isinstance(value, tuple):
                return {TAG: "tuple", "v": self.each(value, lambda i: f"[{i}]")}
            if isinstance(value, (set, frozenset)):
                return {TAG: "set", "v": self.each(value, lambda i: f"{{item {i}}}")}
            if all(type(key) is str for key in value):
                entries = self.entries(value, lambda key: f"[{_key_text(key)}]")
                # A "$hc" key would read as a tag: such a dict crosses as a map, paths unchanged.
                if TAG not in value:
                    return entries
                return {TAG: "map", "v": [*map(list, entries.items())]}
            keys = self.each(value, lambda i: f"{{key {i}}}")
            items = self.each(value.values(), lambda i: f"{{value {i}}}")
            return {TAG: "map", "v": [list(pair) for pair in zip(keys, items, strict=True)]}
        finally:
            active.discard(id(value))

    def each(self, items: Iterable[Any], segment: Callable[[int], str]) -> list[Any]:
        """The wire form of each item; a refusal's path gets ``segment(index)``."""
        wire = []
        for i, item in enumerate(items):
            try:
                wire.append(self.wire(item))
            except Refused as refused:
                raise refused.at(segment(i)) from None
        return wire

    def entries(self, items: dict[str, Any], segment: Callable[[str], str]) -> dict[str, Any]:
        """The wire form of each value of a string-keyed dict; paths get ``segment(key)``."""
        wire = {}
        for key, item in items.items():
            try:
                wire[key] = self.wire(item)
            except Refused as refused:
                raise refused.at(segment(key)) from None
        return wire


class Decoder:
    """Wire values back to Python values, for one value (and its blobs) at a time.

    ``blobs`` is called once, and only if the value refers to a blob, so a value without
    binary data never pays for fetching the blob list. A side subclasses it for the tags
    only it knows (:meth:`other`) and for the error an unhashable set item raises.
    """

    unhashable: type[Exception] = TypeError  # a dict as a set item or a dict key

    def __init__(self, blobs: Callable[[], Sequence[bytes]] = list) -> None:
        self._load_blobs = blobs
        self._blobs: Sequence[bytes] | None = None

    def walk(self, wire: Any, depth: int = 0) -> Any:
        """Decode a value already parsed from JSON, refusing one nested deeper than
        :data:`MAX_DEPTH` containers (deeper than any encoder of hostcall goes)."""
        if not isinstance(wire, (list, dict)):
            return wire
        if depth >= MAX_DEPTH:
            raise TooDeep(f"a value nested deeper than {MAX_DEPTH} levels")

        # A partial, not a closure, and map, not a comprehension: neither adds a Python frame
        # per level of nesting, so 200 levels stay well under the recursion limit.
        inner = functools.partial(self.walk, depth=depth + 1)
        if isinstance(wire, list):
            return list(map(inner, wire))
        if TAG not in wire:
            return {key: inner(item) for key, item in wire.items()}
        return self.unwire(wire, inner)

    def unwire(self, wire: dict[str, Any], inner: Inner | None = None) -> Any:
        """The value of a JSON object: a tagged one's, else the object itself. ``inner``
        decodes the values inside it; None when they are decoded already (as for json's
        ``object_hook``, which this is). A malformed one raises :class:`Undecodable`."""
        if TAG not in wire:
            return wire
        tag = wire[TAG]
        try:
            if tag == "bytes":
                return self.blob(wire)
            if tag == "tuple":
                return tuple(wire["v"] if inner is None else map(inner, wire["v"]))
            if tag == "set":
                items = wire["v"] if inner is None else map(inner, wire["v"])
                return {self.hashable(item) for item in items}
            if tag == "map":
                pairs = wire["v"] if inner is None else [(inner(k), inner(v)) for k, v in wire["v"]]
                return {self.hashable(key): item for key, item in pairs}
            if tag == "int":
                return int(wire["v"])
            if tag == "float":
                return _FLOAT_NAMES[wire["v"]]
            if tag == "date":
                return datetime.datetime.fromtimestamp(wire["v"] / 1000, tz=datetime.UTC)
            return self.other(tag, wire)
        except (Undecodable, self.unhashable):  # named already (the worker's TypeError lets
            raise  # other TypeErrors through unnamed: from the page, they do not occur)
        except (KeyError, IndexError, TypeError, ValueError, OverflowError) as exc:
            raise Undecodable(f"a malformed {tag!r} value: {exc!r}") from None

    def blob(self, wire: dict[str, Any]) -> bytes:
        """The bytes of a ``bytes`` tag: blob ``i`` of the list beside the JSON."""
        if self._blobs is None:
            self._blobs = self._load_blobs()
        return bytes(self._blobs[wire["i"]])

    def other(self, tag: Any, wire: dict[str, Any]) -> Any:
        """A tag of no kind above: a side's own tags first (then call this)."""
        raise Undecodable(f"unknown value tag {json.dumps(tag)}")

    def hashable(self, value: Any) -> Any:
        """Where Python needs a hashable (a set item, a dict key): lists become tuples, sets
        frozensets; a dict cannot be one."""
        if isinstance(value, list):
            return tuple(self.hashable(item) for item in value)
        if isinstance(value, set):
            return frozenset(value)
        if isinstance(value, dict):
            raise self.unhashable("a dict cannot be a set item or a dict key")
        return value
