"""The Python codecs against the shared wire vectors (tests/wire-vectors.json).

Both sides run one codec core (worker/python/hostcall/_codec.py, symlinked as
server/hostcall/_codec.py) with their own additions, and both run here under CPython: the
server's (server/hostcall/values.py) as installed, and the worker's
(worker/python/hostcall/_wire.py, which runs in Pyodide) imported from its folder under
another package name, as the server's package is already ``hostcall``. The JavaScript
codecs check the same file under Node (tests/js/wire.test.mjs).
"""

from __future__ import annotations

import base64
import datetime
import enum
import functools
import importlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import worker_package
from hostcall import _codec as codec
from hostcall import values
from hostcall.errors import HostcallError

VECTORS = json.loads((Path(__file__).parent / "wire-vectors.json").read_text())

worker = worker_package.load()
_wire: Any = importlib.import_module(f"{worker_package.NAME}._wire")
worker_codec: Any = importlib.import_module(f"{worker_package.NAME}._codec")

NAMES = {"datetime": datetime, "enum": enum, "functools": functools, "math": math}
WORKER_NAMES = {**NAMES, "Handle": worker.Handle, "HostError": worker.HostError}


def cases(section: str, codec: str, *, where: Callable[[dict[str, Any]], bool] = bool) -> Any:
    """The cases of ``section`` that apply to ``codec``, as pytest parameters named by case."""
    chosen = [
        case for case in VECTORS[section] if codec in case.get("only", [codec]) and where(case)
    ]
    return pytest.mark.parametrize("case", chosen, ids=[case["name"] for case in chosen])


def python(case: dict[str, Any], direction: str) -> str | None:
    """The case's Python expression for ``direction`` (encode or decode), if it has one."""
    spec = case.get("py")
    return spec if isinstance(spec, str) else (spec or {}).get(direction)


def encodes(case: dict[str, Any]) -> bool:
    return python(case, "encode") is not None


def decodes(case: dict[str, Any]) -> bool:
    return python(case, "decode") is not None


def blobs_of(case: dict[str, Any]) -> list[bytes]:
    return [base64.b64decode(blob) for blob in case.get("blobs", [])]


def text(wire: Any) -> str:
    """A wire value as canonical JSON: 1 and 1.0, 0.0 and -0.0 stay apart."""
    return json.dumps(wire, sort_keys=True)


def same(a: Any, b: Any) -> bool:
    """Equal in type and value, all the way down (NaN equals NaN, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        pairs = zip(a.items(), b.items(), strict=False)
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb) for (ka, va), (kb, vb) in pairs
        )
    if isinstance(a, BaseException):
        return same(a.args, b.args) and same(
            getattr(a, "exceptions", None), getattr(b, "exceptions", None)
        )
    return bool(a == b)


def test_both_sides_run_one_codec_whose_max_depth_is_the_vectors() -> None:
    # server/hostcall/_codec.py is a symlink to the worker's file (a wheel holds its text).
    assert Path(codec.__file__).read_bytes() == Path(worker_codec.__file__).read_bytes()
    assert codec.MAX_DEPTH == worker_codec.MAX_DEPTH == VECTORS["max_depth"]


# ---------------------------------------------------------------- the worker's codec --


@cases("values", "worker", where=encodes)
def test_worker_encodes(case: dict[str, Any]) -> None:
    wire, blobs = _wire.encode(eval(python(case, "encode"), WORKER_NAMES))  # type: ignore[arg-type]
    assert text(json.loads(wire)) == text(case["wire"])
    assert blobs == blobs_of(case)


@cases("values", "worker", where=decodes)
def test_worker_decodes(case: dict[str, Any]) -> None:
    decoded = _wire.decode(json.dumps(case["wire"]), lambda: blobs_of(case))
    assert same(decoded, eval(python(case, "decode"), WORKER_NAMES))  # type: ignore[arg-type]


@cases("refusals", "worker", where=lambda case: "py" in case)
def test_worker_refuses(case: dict[str, Any]) -> None:
    expression, message = case["py"]
    with pytest.raises(TypeError) as refused:
        _wire.encode(eval(expression, WORKER_NAMES))
    assert str(refused.value) == message.replace("{to}", "the host")


@cases("undecodable", "worker")
def test_worker_does_not_decode(case: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)) as refused:
        _wire.decode(json.dumps(case["wire"]))
    assert str(refused.value) == case["message"]


@cases("errors", "worker")
def test_worker_raises_host_errors(case: dict[str, Any]) -> None:
    reply = json.dumps({"ok": False, "error": case["wire"]})
    raised = _wire.host_exception(_wire.decode(reply, lambda: blobs_of(case))["error"])
    assert same(raised, eval(case.get("raises") or case["py"], WORKER_NAMES))


MALFORMED = [
    {"$hc": "int", "v": "x"},
    {"$hc": "float", "v": "zero"},
    {"$hc": "bytes"},
    {"$hc": "date", "v": 1e300},
]


@pytest.mark.parametrize("wire", MALFORMED, ids=[wire["$hc"] for wire in MALFORMED])
def test_both_sides_name_a_malformed_tagged_value_once(wire: dict[str, Any]) -> None:
    expected = f"^a malformed '{wire['$hc']}' value: "  # the innermost one, not each around it
    with pytest.raises(ValueError, match=expected):
        _wire.decode(json.dumps({"$hc": "tuple", "v": [wire]}))
    with pytest.raises(ValueError, match=expected):
        values.decode({"$hc": "tuple", "v": [wire]})


def test_a_dict_as_a_set_item_is_a_type_error_only_in_the_worker() -> None:
    wire = {"$hc": "set", "v": [{}]}
    with pytest.raises(TypeError) as in_the_worker:  # as Python's own {{}} at the call site
        _wire.decode(json.dumps(wire))
    assert type(in_the_worker.value) is TypeError
    with pytest.raises(ValueError, match="a dict cannot be a set item"):  # bad network input
        values.decode(wire)


# ---------------------------------------------------------------- the server's codec --


@cases("values", "server", where=encodes)
def test_server_encodes(case: dict[str, Any]) -> None:
    value = eval(python(case, "encode"), NAMES)  # type: ignore[arg-type]
    blobs: list[bytes] = []
    assert text(json.loads(json.dumps(values.encode(value, blobs=blobs)))) == text(case["wire"])
    assert blobs == blobs_of(case)
    assert text(json.loads(values.dumps(value))) == text(case.get("inline", case["wire"]))


@cases("values", "server", where=decodes)
def test_server_decodes(case: dict[str, Any]) -> None:
    expected = eval(python(case, "decode"), NAMES)  # type: ignore[arg-type]
    assert same(values.decode(case["wire"], blobs_of(case)), expected)
    assert same(values.loads(json.dumps(case.get("inline", case["wire"]))), expected)


@cases("refusals", "server", where=lambda case: "py" in case)
def test_server_refuses(case: dict[str, Any]) -> None:
    expression, message = case["py"]
    with pytest.raises(values.Unserializable) as refused:
        values.encode(eval(expression, NAMES))
    assert str(refused.value) == message.replace("{to}", "the browser")
    with pytest.raises(HostcallError) as unserializable:
        values.dumps(eval(expression, NAMES))
    assert unserializable.value.message == message.replace("{to}", "the browser")


@cases("undecodable", "server")
def test_server_does_not_decode(case: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as refused:
        values.decode(case["wire"])
    assert str(refused.value) == case["message"]


@cases("errors", "server", where=lambda case: "py" in case)
def test_server_encodes_host_errors(case: dict[str, Any]) -> None:
    blobs: list[bytes] = []
    wire = values.encode_error(eval(case["py"], NAMES), blobs)
    assert text(json.loads(json.dumps(wire))) == text(case["wire"])
    assert blobs == blobs_of(case)
    inline = values.encode_error(eval(case["py"], NAMES))  # as the headless driver sends it
    assert text(json.loads(json.dumps(inline))) == text(case.get("inline", case["wire"]))


@cases("frames", "server")
def test_server_frames(case: dict[str, Any]) -> None:
    frame, message = bytes.fromhex(case["frame"]), json.loads(case["text"])
    if not case.get("read_only"):
        assert values.pack(message, blobs_of(case)) == frame
    assert values.unpack(frame) == (message, blobs_of(case))


@cases("bad_frames", "server")
def test_server_refuses_frames(case: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as refused:
        values.unpack(bytes.fromhex(case["frame"]))
    assert str(refused.value) == case["message"]
