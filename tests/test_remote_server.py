"""Server-side host functions (hostcall.remote), spoken to in-process over real websockets."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request

from hostcall.remote import (
    CLOSE_ORIGIN,
    CLOSE_PROTOCOL,
    CLOSE_REPLACED,
    CLOSE_UNKNOWN_SESSION,
    HostFunctions,
)
from hostcall.values import decode, encode, pack, unpack

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[[web.Application], Awaitable[Client]]


def make_functions(**options: Any) -> tuple[HostFunctions, dict[str, int]]:
    limits = {"max_message_bytes": 4096, "max_concurrent_calls": 2, "call_timeout": 0.5}
    functions = HostFunctions(**(limits | options))
    runs = {"slow": 0, "big": 0}

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

    @functions.host_function
    async def big(size: int) -> bytes:
        runs["big"] += 1
        return b"x" * size

    return functions, runs


async def serve(aiohttp_client: ClientFactory, functions: HostFunctions) -> Client:
    app = web.Application()
    functions.setup(app)
    return await aiohttp_client(app)


@pytest.fixture
async def remote(
    aiohttp_client: ClientFactory,
) -> AsyncIterator[tuple[Client, HostFunctions, dict[str, int]]]:
    functions, runs = make_functions()
    yield await serve(aiohttp_client, functions), functions, runs


def origin(client: Client) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


async def connect(client: Client, token: str) -> aiohttp.ClientWebSocketResponse:
    ws = await client.ws_connect("/hostcall/ws", headers=origin(client), max_msg_size=0)
    await ws.send_bytes(pack({"type": "hello", "token": token}))
    return ws


def call_frame(name: str, *args: Any, call_id: str | None = None) -> bytes:
    blobs: list[bytes] = []
    wire = encode(list(args), blobs=blobs)
    message = {"type": "call", "id": call_id or str(uuid.uuid4()), "name": name, "args": wire}
    return pack(message | {"kwargs": {}}, blobs)


async def answer(ws: aiohttp.ClientWebSocketResponse, timeout: float = 5) -> dict[str, Any]:
    """The next result frame on ``ws``, its value decoded."""
    message, out = unpack((await ws.receive(timeout=timeout)).data)
    if message["ok"]:
        message["value"] = decode(message["value"], out)
    return dict(message)


async def call(
    ws: aiohttp.ClientWebSocketResponse, name: str, *args: Any, call_id: str | None = None
) -> dict[str, Any]:
    await ws.send_bytes(call_frame(name, *args, call_id=call_id))
    return await answer(ws)


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
    names = [f["name"] for f in welcome["functions"]]
    assert names == ["lookup", "total", "slow", "unsendable", "big"]
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
        (
            ("unsendable",),
            "unsendable() result: a value of type 'object' cannot cross to the browser",
        ),
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
    with pytest.raises(TypeError, match=r"value\[0\]: a value of type 'object' cannot cross"):
        encode([object()])
    with pytest.raises(ValueError, match="cannot reach this side"):
        decode({"$hc": "handle", "id": 1}, [])


# ------------------------------------------------ stuck peers and replaced connections --

BIG = 16 << 20  # a result far larger than loopback's socket buffers hold


class SilentPeer:
    """A websocket client on a bare socket with a tiny receive buffer that reads only when
    told to: the server's sends to it back up, as to a page that stopped reading."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.loop = asyncio.get_running_loop()

    @classmethod
    async def open(cls, client: Client, token: str) -> SilentPeer:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        peer = cls(sock)
        await peer.loop.sock_connect(sock, (client.host, client.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /hostcall/ws HTTP/1.1\r\nHost: {client.host}:{client.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Key: {key}\r\nOrigin: {origin(client)['Origin']}\r\n\r\n"
        )
        await peer.loop.sock_sendall(sock, request.encode())
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += await peer.read(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        await peer.send(pack({"type": "hello", "token": token}))
        return peer

    async def read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = await self.loop.sock_recv(self.sock, size - len(data))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            data += chunk
        return data

    async def send(self, payload: bytes) -> None:
        """One binary frame, masked (as a client's must be) with a zero mask."""
        size = len(payload)
        if size < 126:
            length = bytes([0x80 | size])
        elif size < 1 << 16:
            length = bytes([0x80 | 126]) + size.to_bytes(2, "big")
        else:
            length = bytes([0x80 | 127]) + size.to_bytes(8, "big")
        await self.loop.sock_sendall(self.sock, b"\x82" + length + b"\0\0\0\0" + payload)

    async def frame_size(self) -> int:
        """Read the next frame's header only: the size of what follows."""
        _, second = await self.read(2)
        size = second & 0x7F
        if size >= 126:
            size = int.from_bytes(await self.read(2 if size == 126 else 8), "big")
        return size

    async def frame(self) -> bytes:
        return await self.read(await self.frame_size())

    async def wait_cut(self, within: float = 45) -> None:
        """Return once the server has reset the connection, without reading from it."""
        async with asyncio.timeout(within):
            # tcp_info's first byte is the state: 7 (closed) after a reset; 1 while open.
            while self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != 7:
                await asyncio.sleep(0.05)

    def close(self) -> None:
        self.sock.close()


async def stuck_peer(client: Client, session: str) -> SilentPeer:
    """A peer that asked for a big result, saw its sending begin, and then stopped reading."""
    peer = await SilentPeer.open(client, session)
    welcome, _ = unpack(await peer.frame())
    assert welcome["type"] == "welcome"
    await peer.send(call_frame("big", BIG, call_id="big-1"))
    assert await peer.frame_size() > BIG  # the result is on its way, and will stay there
    return peer


async def test_a_call_sent_again_is_answered_on_the_new_connection_while_the_old_is_stuck(
    aiohttp_client: ClientFactory,
) -> None:
    functions, runs = make_functions()
    client = await serve(aiohttp_client, functions)
    session = await token(client)
    stuck = await stuck_peer(client, session)
    try:
        fresh = await connect(client, session)  # the page reconnected, and sends the call again
        await fresh.receive(timeout=30)  # welcome
        await fresh.send_bytes(call_frame("big", BIG, call_id="big-1"))
        result = await answer(fresh, timeout=30)
        assert result["id"] == "big-1" and result["value"] == b"x" * BIG
        assert runs["big"] == 1
        await stuck.wait_cut()  # replaced, and cut since its close frame cannot go either
    finally:
        stuck.close()


async def test_a_connection_that_takes_nothing_is_cut_after_the_send_timeout(
    aiohttp_client: ClientFactory,
) -> None:
    functions, runs = make_functions(send_timeout=0.5)
    client = await serve(aiohttp_client, functions)
    session = await token(client)
    stuck = await stuck_peer(client, session)
    try:
        await stuck.wait_cut()
    finally:
        stuck.close()
    fresh = await connect(client, session)
    await fresh.receive(timeout=30)
    await fresh.send_bytes(call_frame("big", BIG, call_id="big-1"))
    result = await answer(fresh, timeout=30)  # from the record: not run again
    assert result["value"] == b"x" * BIG and runs["big"] == 1


async def test_a_second_connection_on_a_token_replaces_the_first_and_gets_its_results(
    remote: Any,
) -> None:
    client, _, runs = remote
    session = await token(client)
    first = await connect(client, session)
    await first.receive()
    await first.send_bytes(call_frame("slow", 0.3, call_id="first-call"))
    second = await connect(client, session)
    await second.receive()
    closed = await first.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == CLOSE_REPLACED
    assert closed.extra == "another connection of this session replaced this one"
    await second.send_bytes(call_frame("lookup", 7, call_id="second-call"))
    answers = [await answer(second), await answer(second)]  # the first's result comes here
    by_id = {each["id"]: each for each in answers}
    assert by_id["second-call"]["value"] == {"id": 7, "tags": None}
    assert by_id["first-call"]["value"] == 1 and runs["slow"] == 1


async def test_a_ping_is_answered_with_a_pong_at_once_even_while_calls_run(remote: Any) -> None:
    client, _, _ = remote
    ws = await connect(client, await token(client))
    await ws.receive()
    await ws.send_bytes(call_frame("slow", 0.3))
    await ws.send_bytes(pack({"type": "ping", "n": 7}))
    pong, _ = unpack((await ws.receive(timeout=5)).data)
    assert pong == {"type": "pong", "n": 7}


# ------------------------------------------------------------------- malformed input --


@pytest.mark.parametrize("depth", [5_000, 100_000])
async def test_json_nested_deeper_than_the_parser_goes_closes_with_4400(
    aiohttp_client: ClientFactory, depth: int
) -> None:
    functions, _ = make_functions(max_message_bytes=1 << 20)
    client = await serve(aiohttp_client, functions)
    ws = await connect(client, await token(client))
    await ws.receive()
    deep = "[" * depth + "]" * depth
    text = f'{{"type":"call","id":"deep","name":"lookup","args":[{deep}],"kwargs":{{}}}}'
    await ws.send_bytes(struct.pack("<2I", len(text), 0) + text.encode())
    closed = await ws.receive(timeout=30)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == CLOSE_PROTOCOL
    assert closed.extra == "not a hostcall frame: its JSON is nested too deeply"


async def test_a_value_nested_deeper_than_any_encoder_goes_is_a_type_error(
    aiohttp_client: ClientFactory,
) -> None:
    functions, _ = make_functions(max_message_bytes=1 << 20)
    client = await serve(aiohttp_client, functions)
    ws = await connect(client, await token(client))
    await ws.receive()

    def nested(levels: int) -> Any:
        value: Any = []
        for _ in range(levels - 1):
            value = {"$hc": "tuple", "v": [value]}  # a tuple: two levels of JSON
        return value

    # 200 containers, as deep as the page's encoder goes, pass (then fail the annotation).
    await ws.send_bytes(
        pack({"type": "call", "id": "200", "name": "lookup", "args": [nested(200)]})
    )
    refused = await answer(ws)
    assert refused["error"]["message"] == "lookup() argument 'user_id' must be int, not tuple"
    await ws.send_bytes(
        pack({"type": "call", "id": "201", "name": "lookup", "args": [nested(201)]})
    )
    message = "lookup(): a value nested deeper than 200 levels"
    assert (await answer(ws))["error"] == {
        "type": "TypeError",
        "message": message,
        "args": [message],
    }


# ----------------------------------------------------------------------- sessions --


async def test_a_connected_session_outlives_its_ttl_and_an_idle_one_does_not(
    aiohttp_client: ClientFactory,
) -> None:
    functions, _ = make_functions(session_ttl=0.05)
    client = await serve(aiohttp_client, functions)
    session = await token(client)
    ws = await connect(client, session)
    await ws.receive()
    await asyncio.sleep(0.3)  # connected, silent, past the TTL
    functions.issue_token()  # which forgets idle sessions
    await ws.close()  # a blip: the page comes back
    again = await connect(client, session)
    welcome = await again.receive(timeout=5)
    assert unpack(welcome.data)[0]["type"] == "welcome"
    await again.close()
    await asyncio.sleep(0.3)  # gone for longer than the TTL: forgotten
    functions.issue_token()
    late = await connect(client, session)
    closed = await late.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == CLOSE_UNKNOWN_SESSION


async def test_sessions_beyond_max_sessions_are_refused_until_some_go(
    aiohttp_client: ClientFactory,
) -> None:
    functions, _ = make_functions(max_sessions=2, session_ttl=0.05)
    client = await serve(aiohttp_client, functions)
    held = [await token(client), await token(client)]
    response = await client.post("/hostcall/session", headers=origin(client))
    assert response.status == 503
    assert await response.json() == {
        "error": "too-many-sessions",
        "message": "the server holds as many sessions as it takes (2); try again later",
    }
    with pytest.raises(RuntimeError, match=r"as many sessions as it takes \(2\)"):
        functions.issue_token()
    ws = await connect(client, held[0])  # a connected session never expires
    await ws.receive()
    await asyncio.sleep(0.3)
    assert functions.issue_token()  # the idle one went, and made room
    await ws.close()


async def test_a_client_asking_for_too_many_sessions_is_told_to_wait(
    aiohttp_client: ClientFactory,
) -> None:
    functions, _ = make_functions(session_rate=(3, 60.0))
    client = await serve(aiohttp_client, functions)
    for _ in range(3):
        await token(client)
    response = await client.post("/hostcall/session", headers=origin(client))
    assert response.status == 429 and response.headers["Retry-After"] == "60"
    assert await response.json() == {
        "error": "too-many-new-sessions",
        "message": "this client asked for more than 3 sessions in 60 s; try again later",
    }
    assert functions.issue_token()  # the application's own tokens are not rate limited


async def test_stored_results_have_a_ceiling_and_are_freed_when_acknowledged_or_forgotten(
    aiohttp_client: ClientFactory,
) -> None:
    functions, runs = make_functions(max_stored_bytes=10_000, session_ttl=0.05)
    client = await serve(aiohttp_client, functions)
    ws = await connect(client, await token(client))
    await ws.receive()
    for call_id in ("a", "b"):  # 12,000 bytes of results, neither acknowledged
        assert (await call(ws, "big", 6000, call_id=call_id))["value"] == b"x" * 6000
    # Sent again, the older one is not run twice: it says its result gave way.
    dropped = await call(ws, "big", 6000, call_id="a")
    assert dropped["error"]["type"] == "RuntimeError"
    assert "at most 10000 bytes of results (max_stored_bytes)" in dropped["error"]["message"]
    assert (await call(ws, "big", 6000, call_id="b"))["value"] == b"x" * 6000
    assert runs["big"] == 2
    # What the server holds (peeked: no public API shows it) goes as results are
    # acknowledged, and with the session.
    await ws.send_bytes(pack({"type": "ack", "ids": ["b"]}))
    await call(ws, "lookup", 1)  # after the ack, in order
    assert 0 < functions._results._stored_bytes < 1000  # the note about "a", and lookup's result
    await ws.close()
    await asyncio.sleep(0.3)
    functions.issue_token()
    assert functions._results._stored_bytes == 0


# ------------------------------------------------------------------------ origins --


async def test_the_default_origin_comes_from_the_listening_address_not_the_host_header(
    remote: Any,
) -> None:
    client, _, _ = remote
    rebound = f"evil.example:{client.port}"  # a rebinding name that resolves to this server
    response = await client.post(
        "/hostcall/session", headers={"Host": rebound, "Origin": f"http://{rebound}"}
    )
    assert response.status == 403
    assert (await response.json())["error"] == "origin-not-allowed"
    for page in (f"http://localhost:{client.port}", f"http://127.0.0.1:{client.port}"):
        response = await client.post("/hostcall/session", headers={"Origin": page})
        assert response.status == 200


def test_serving_beyond_loopback_needs_origins() -> None:
    functions, _ = make_functions()
    for host in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"):
        functions.check_address(host)
    for host in ("0.0.0.0", "::", "192.168.1.2", "myhost.example"):
        with pytest.raises(ValueError, match=r"beyond loopback, need the page origins"):
            functions.check_address(host)
    HostFunctions(origins=["https://app.example"]).check_address("0.0.0.0")


class LanTransport(asyncio.Transport):
    """A transport that says it reached the server on a LAN address: no such address is
    listened on here (the tests stay on loopback), so the request is built, not received."""

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("192.168.1.2", 8000) if name == "sockname" else default


async def test_a_server_reached_beyond_loopback_refuses_every_page_without_origins() -> None:
    functions, _ = make_functions()
    headers = {"Origin": "http://192.168.1.2:8000", "Host": "192.168.1.2:8000"}
    request = make_mocked_request("POST", "/hostcall/session", headers, transport=LanTransport())
    refused = await functions._access.issue(request)
    assert refused.status == 403
    assert json.loads(refused.text or "") == {
        "error": "origin-not-allowed",
        "message": "a server beyond loopback accepts only the pages of its origins=[...]",
    }
    allowed = HostFunctions(origins=["http://192.168.1.2:8000"])
    assert (await allowed._access.issue(request)).status == 200


def test_hostcall_serve_refuses_to_start_an_app_beyond_loopback_without_origins() -> None:
    app = ("--app", "tests.remote_app:functions")
    served = subprocess.run(
        [sys.executable, "-m", "hostcall", "serve", "--host", "0.0.0.0", "--port", "0", *app],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert served.returncode == 2
    assert served.stderr.startswith(
        "hostcall: error: --app: host functions served on 0.0.0.0, beyond loopback, need"
    )


async def test_the_session_route_answers_other_origins_with_cors(
    aiohttp_client: ClientFactory,
) -> None:
    page = "http://127.0.0.1:1"  # another port: another origin
    client = await serve(aiohttp_client, HostFunctions(origins=[page]))
    preflight = await client.options(
        "/hostcall/session",
        headers={"Origin": page, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == page
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    allowed = await client.post("/hostcall/session", headers={"Origin": page})
    assert allowed.status == 200 and "token" in await allowed.json()
    assert allowed.headers["Access-Control-Allow-Origin"] == page
    # A page refused can read why (no token in it).
    other = "http://127.0.0.1:2"
    refused = await client.post("/hostcall/session", headers={"Origin": other})
    assert refused.status == 403 and refused.headers["Access-Control-Allow-Origin"] == other
    assert (await refused.json())["message"].startswith(f"origin {other} is not allowed")
