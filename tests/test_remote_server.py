"""Server-side host functions (hostcall.remote), spoken to in-process over real websockets."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from hostcall.remote import CLOSE_ORIGIN, CLOSE_PROTOCOL, CLOSE_UNKNOWN_SESSION, HostFunctions
from hostcall.values import decode, encode, pack, unpack

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[[web.Application], Awaitable[Client]]


def make_functions() -> tuple[HostFunctions, dict[str, int]]:
    functions = HostFunctions(max_message_bytes=4096, max_concurrent_calls=2, call_timeout=0.5)
    runs = {"slow": 0}

    @functions.host_function
    async def lookup(user_id: int, tags: list[str] | None = None) -> dict[str, Any]:
        return {"id": user_id, "tags": tags}

    @functions.host_function(name="total")
    def add_all(values: tuple[float, ...]) -> float:
        return sum(values)

    @functions.host_function
    async def slow(seconds: float) -> int:
        runs["slow"] += 1
        await asyncio.sleep(seconds)
        return runs["slow"]

    @functions.host_function
    async def unsendable() -> object:
        return object()

    return functions, runs


@pytest.fixture
async def remote(
    aiohttp_client: ClientFactory,
) -> AsyncIterator[tuple[Client, HostFunctions, dict[str, int]]]:
    functions, runs = make_functions()
    app = web.Application()
    functions.setup(app)
    client = await aiohttp_client(app)
    yield client, functions, runs


def origin(client: Client) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


async def connect(client: Client, token: str) -> aiohttp.ClientWebSocketResponse:
    ws = await client.ws_connect("/hostcall/ws", headers=origin(client))
    await ws.send_bytes(pack({"type": "hello", "token": token}))
    return ws


async def call(
    ws: aiohttp.ClientWebSocketResponse, name: str, *args: Any, call_id: str | None = None
) -> dict[str, Any]:
    blobs: list[bytes] = []
    wire = encode(list(args), blobs=blobs)
    await ws.send_bytes(
        pack(
            {
                "type": "call",
                "id": call_id or str(uuid.uuid4()),
                "name": name,
                "args": wire,
                "kwargs": {},
            },
            blobs,
        )
    )
    message, out = unpack((await ws.receive(timeout=5)).data)
    if message["ok"]:
        message["value"] = decode(message["value"], out)
    return message


async def token(client: Client) -> str:
    response = await client.post("/hostcall/session", headers=origin(client))
    assert response.status == 200
    value: str = (await response.json())["token"]
    return value


async def test_a_welcomed_page_calls_functions_with_checked_arguments(remote: Any) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    welcome, _ = unpack((await ws.receive()).data)
    assert welcome["type"] == "welcome" and welcome["maxMessageBytes"] == 4096
    assert [f["name"] for f in welcome["functions"]] == ["lookup", "total", "slow", "unsendable"]
    assert welcome["functions"][0]["signature"].startswith("lookup(user_id: int")

    assert (await call(ws, "lookup", 3, ["a"]))["value"] == {"id": 3, "tags": ["a"]}
    assert (await call(ws, "total", (1, 2.5)))["value"] == 3.5  # a sync function, in a thread
    cases = [
        (("lookup", "3"), "lookup() argument 'user_id' must be int, not str"),
        (("lookup", True), "lookup() argument 'user_id' must be int, not bool"),
        (("lookup", 1, [1]), "lookup() argument 'tags' must be list[str] | None, not list"),
        (("lookup",), "missing a required argument: 'user_id'"),
        (("total", (1, "x")), "total() argument 'values' must be tuple[float, ...], not tuple"),
        (("nowhere",), "the server has no host function 'nowhere'"),
        (("unsendable",), "unsendable() result: 'object' objects cannot cross to the browser"),
    ]
    for (name, *args), message in cases:
        answer = await call(ws, name, *args)
        assert answer["ok"] is False
        assert answer["error"]["message"] == message
        assert answer["error"]["type"] in ("TypeError", "NameError")
    await ws.close()


async def test_a_call_sent_again_is_answered_from_its_record_not_run_twice(remote: Any) -> None:
    client, _, runs = remote
    session = await token(client)
    first = await connect(client, session)
    await first.receive()  # welcome
    wire = encode([0.2])
    frame = pack({"type": "call", "id": "call-1", "name": "slow", "args": wire, "kwargs": {}})
    await first.send_bytes(frame)
    await first.close()  # dropped mid-call: the page sends it again on a new connection
    second = await connect(client, session)
    await second.receive()
    await second.send_bytes(frame)
    answer, _ = unpack((await second.receive(timeout=5)).data)
    assert answer == {"type": "result", "id": "call-1", "ok": True, "value": 1}
    await second.send_bytes(frame)  # after the run: from the record
    again, _ = unpack((await second.receive(timeout=5)).data)
    assert again == answer and runs["slow"] == 1
    await second.send_bytes(pack({"type": "ack", "ids": ["call-1"]}))  # acknowledged: forgotten
    await second.send_bytes(frame)
    fresh, _ = unpack((await second.receive(timeout=5)).data)
    assert fresh["value"] == 2


async def test_too_many_calls_at_once_and_a_call_past_its_time_are_refused(remote: Any) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    for i in range(3):  # the limit is 2
        wire = encode([0.3])
        await ws.send_bytes(
            pack({"type": "call", "id": f"c{i}", "name": "slow", "args": wire, "kwargs": {}})
        )
    answers = {}
    for _ in range(3):
        message, _ = unpack((await ws.receive(timeout=5)).data)
        answers[message["id"]] = message
    assert answers["c2"]["error"] == {
        "type": "RuntimeError",
        "message": "more than 2 calls of this session at once",
    }
    assert answers["c0"]["ok"] and answers["c1"]["ok"]
    late = await call(ws, "slow", 5)
    assert late["error"] == {
        "type": "TimeoutError",
        "message": "host function 'slow' did not finish within 0.5 s",
    }


@pytest.mark.parametrize(
    ("headers", "hello", "code"),
    [
        ({"Origin": "http://evil.example"}, None, CLOSE_ORIGIN),
        ({}, None, CLOSE_ORIGIN),
        (None, {"type": "hello", "token": "not issued"}, CLOSE_UNKNOWN_SESSION),
        (None, {"type": "hello", "token": ["a"]}, CLOSE_UNKNOWN_SESSION),
        (None, {"type": "call"}, CLOSE_UNKNOWN_SESSION),
    ],
    ids=["wrong-origin", "no-origin", "bad-token", "token-not-a-string", "no-hello"],
)
async def test_what_the_server_did_not_issue_is_closed_with_its_reason(
    remote: Any, headers: dict[str, str] | None, hello: dict[str, Any] | None, code: int
) -> None:
    client, _, _ = remote
    ws = await client.ws_connect(
        "/hostcall/ws", headers=origin(client) if headers is None else headers
    )
    if hello is not None:
        await ws.send_bytes(pack(hello))
    closed = await ws.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == code
    assert closed.extra


async def test_a_token_is_issued_only_to_an_allowed_origin(remote: Any) -> None:
    client, _, _ = remote
    response = await client.post("/hostcall/session", headers={"Origin": "http://evil.example"})
    assert response.status == 403
    assert "origin http://evil.example is not allowed" in await response.text()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x00" * 3, CLOSE_PROTOCOL),
        (pack({"type": "nonsense"}), CLOSE_PROTOCOL),
        (pack({"type": "call", "id": 5, "name": "slow"}), CLOSE_PROTOCOL),
        (pack({"type": "call", "id": "big", "name": "slow", "args": ["x" * 5000]}), 1009),
    ],
    ids=["not-a-frame", "unknown-type", "id-not-a-string", "oversized"],
)
async def test_malformed_and_oversized_messages_close_the_connection(
    remote: Any, frame: bytes, code: int
) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    await ws.send_bytes(frame)
    closed = await ws.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == code


def call_of_size(size: int) -> bytes:
    """A call frame of exactly ``size`` bytes."""
    base = len(pack({"type": "call", "id": "edge", "name": "lookup", "args": [""]}))
    frame = pack({"type": "call", "id": "edge", "name": "lookup", "args": ["x" * (size - base)]})
    assert len(frame) == size
    return frame


@pytest.mark.parametrize("size", [4095, 4096], ids=["one-below", "exactly"])
async def test_a_call_of_up_to_max_message_bytes_is_accepted(remote: Any, size: int) -> None:
    # The page lets a call of exactly max_message_bytes through (web/remote.js): so must we.
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    await ws.send_bytes(call_of_size(size))
    answer = await ws.receive(timeout=5)
    assert answer.type is aiohttp.WSMsgType.BINARY
    assert unpack(answer.data)[0]["error"]["type"] == "TypeError"  # answered, not closed


async def test_one_byte_over_max_message_bytes_closes_1009(remote: Any) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    await ws.send_bytes(call_of_size(4097))
    closed = await ws.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 1009


async def test_a_ping_is_answered_with_a_pong(remote: Any) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    await ws.send_bytes(pack({"type": "ping"}))
    assert unpack((await ws.receive(timeout=5)).data)[0] == {"type": "pong"}


def test_values_cross_in_both_directions_as_themselves() -> None:
    import datetime
    import math

    value = [
        None,
        True,
        2**60,
        -1.5,
        math.inf,
        b"\x00\xff",
        (1, "a"),
        {3},
        {1: "int key"},
        {"$hc": 1},
        datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    ]
    blobs: list[bytes] = []
    wire = encode(value, blobs=blobs)
    message, out = unpack(pack({"v": wire}, blobs))
    assert decode(message["v"], out) == value
    assert decode(encode(value)) == value  # bytes inline, as the headless driver sends them
    with pytest.raises(TypeError, match=r"value\[0\]: 'object' objects cannot cross"):
        encode([object()])
    with pytest.raises(ValueError, match="cannot reach this side"):
        decode({"$hc": "handle", "id": 1}, [])
