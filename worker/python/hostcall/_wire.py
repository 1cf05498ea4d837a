"""hostcall's value encoding, Python side (docs/protocol.md, "Values").

A value travels as JSON text plus a list of binary blobs. JSON carries None, bools,
strings, lists, dicts with string keys and finite numbers as themselves; everything
else is a tagged object ``{"$hc": tag, ...}``. ``bytes`` go into the blob list and
the JSON holds their index, so binary data is never base64-encoded.

The JavaScript half lives in bridge.js (``encodeValue``/``decodeValue``), the server's
twin in server/hostcall/values.py; all pass the cases of tests/wire-vectors.json, the
contract (checked here under CPython by tests/test_wire_vectors.py). Also here: the
exception a host error raises (:func:`host_exception`).
"""

from __future__ import annotations

import builtins
import datetime
import json
import math
import types
from collections.abc import Callable, Iterable
from typing import Any, cast

from . import HostError, StaleHandleError, UserCancelledError
from ._host import Handle, HostIterator, current
from .dom import Element

TAG = "$hc"
MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 200  # as bridge.js and values.py: tests/wire-vectors.json checks all three

# The class a handle of each kind arrives as.
_KINDS: dict[str, type[Handle]] = {"object": Handle, "iterator": HostIterator, "element": Element}
_FLOAT_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_TAG_KEY = json.dumps(TAG)  # how a tagged object's key appears in a JSON text

# Built once: json.dumps with non-default options constructs an encoder on every call,
# which costs microseconds per host call in Pyodide. Cycles are refused by _to_wire.
_dumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode
_quote = json.encoder.encode_basestring_ascii  # a str as a JSON string, as _dumps writes it
# A path names a dict's key as a JSON string: JavaScript's JSON.stringify writes the same,
# and both languages read it as a subscript (tests/wire-vectors.json, *refusals*).
_key_text = json.encoder.encode_basestring
# json.loads checks for whitespace around the document with two regex matches; the texts
# decoded here are written by JSON.stringify or _dumps, without any.
_raw_decode = json.JSONDecoder().raw_decode


class _Refused(Exception):
    """A value cannot cross; ``path`` collects the way to it as the encoder unwinds."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
        self.path: list[str] = []

    def at(self, segment: str) -> _Refused:
        self.path.append(segment)
        return self

    def error(self, root: str) -> TypeError:
        return TypeError(f"{root}{''.join(reversed(self.path))}: {self.what}")


def encode(value: Any, root: str = "value") -> tuple[str, list[bytes]]:
    """Return ``(json_text, blobs)`` for ``value``.

    A value that cannot cross raises TypeError whose message names its type and its path
    from ``root``.
    """
    blobs: list[bytes] = []
    try:
        wire = _to_wire(value, blobs, set())
    except _Refused as refused:
        raise refused.error(root) from None
    return _dumps(wire), blobs


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
    try:
        wire_args = _each(args, blobs, set(), lambda i: f" argument {i + 1}")
        wire_kwargs = _entries(kwargs, blobs, set(), lambda key: f" argument {key!r}")
    except _Refused as refused:
        raise refused.error(f"{name}()") from None
    envelope = {"id": call_id, "fn": name, "args": wire_args, "kwargs": wire_kwargs, **notes}
    return _dumps(envelope), blobs


def _plain_json(value: Any) -> str | None:
    """The JSON text of a value that crosses as itself (as _dumps writes it), else None."""
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
    return json.loads(text, object_hook=_hook(blobs))


def _to_wire(value: Any, blobs: list[bytes], active: set[int]) -> Any:
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
    if isinstance(value, Handle):
        return {TAG: "handle", "id": int(value)}
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return {TAG: "date", "v": moment.timestamp() * 1000}
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return _container_to_wire(value, blobs, active)
    if isinstance(value, (types.GeneratorType, types.AsyncGeneratorType)):
        return {TAG: "iterator", "id": current().export(value)}
    if callable(value) and not isinstance(value, type):
        name = getattr(value, "__name__", None)
        name = name if isinstance(name, str) and name.isidentifier() else "call"
        return {TAG: "callable", "id": current().export(value), "name": name}
    # Subclasses of the scalar types (IntEnum, str enums) cross as their base type.
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return _to_wire(base(value), blobs, active)
    raise _Refused(f"a value of type {kind.__name__!r} cannot cross to the host")


def _container_to_wire(value: Any, blobs: list[bytes], active: set[int]) -> Any:
    if id(value) in active:
        raise _Refused(f"a cyclic {type(value).__name__} cannot cross to the host")
    if len(active) >= MAX_DEPTH:
        raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
    active.add(id(value))
    try:
        if isinstance(value, list):
            return _each(value, blobs, active, lambda i: f"[{i}]")
        if isinstance(value, tuple):
            return {TAG: "tuple", "v": _each(value, blobs, active, lambda i: f"[{i}]")}
        if isinstance(value, (set, frozenset)):
            return {TAG: "set", "v": _each(value, blobs, active, lambda i: f"{{item {i}}}")}
        if all(type(key) is str for key in value):
            entries = _entries(value, blobs, active, lambda key: f"[{_key_text(key)}]")
            # A "$hc" key would read as a tag: such a dict crosses as a map, paths unchanged.
            return entries if TAG not in value else {TAG: "map", "v": [*map(list, entries.items())]}
        wire_keys = _each(value, blobs, active, lambda i: f"{{key {i}}}")
        items = _each(value.values(), blobs, active, lambda i: f"{{value {i}}}")
        return {TAG: "map", "v": [list(pair) for pair in zip(wire_keys, items, strict=True)]}
    finally:
        active.discard(id(value))


def _each(
    items: Iterable[Any], blobs: list[bytes], active: set[int], segment: Callable[[int], str]
) -> list[Any]:
    wire = []
    for i, item in enumerate(items):
        try:
            wire.append(_to_wire(item, blobs, active))
        except _Refused as refused:
            raise refused.at(segment(i)) from None
    return wire


def _entries(
    items: dict[str, Any], blobs: list[bytes], active: set[int], segment: Callable[[str], str]
) -> dict[str, Any]:
    wire = {}
    for key, item in items.items():
        try:
            wire[key] = _to_wire(item, blobs, active)
        except _Refused as refused:
            raise refused.at(segment(key)) from None
    return wire


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
        if tag == "handle":
            return _KINDS.get(obj["kind"], Handle)(obj["id"])
        raise ValueError(f"unknown value tag {json.dumps(tag)}")

    return unwire


def _hashable(value: Any) -> Any:
    """Where Python needs a hashable (a set item, a dict key): lists become tuples, sets
    frozensets; a dict cannot be one."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, set):
        return frozenset(value)
    if isinstance(value, dict):
        raise TypeError("a dict cannot be a set item or a dict key")
    return value


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
