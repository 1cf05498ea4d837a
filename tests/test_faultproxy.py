"""The fault-injecting proxy the remote tests rely on (tests/faultproxy.py), against a plain
TCP server: each mode does what it says, so a remote test that passes through it means it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from faultproxy import FaultProxy, Mode

QUIET = 0.5  # seconds a stalled link is watched for bytes that should not come


@pytest.fixture
async def target() -> AsyncIterator[tuple[int, list[asyncio.StreamWriter]]]:
    """A server that echoes what it reads, and whose writers a test can use to send first."""
    writers: list[asyncio.StreamWriter] = []

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1], writers
    server.close()


async def open_through(proxy: FaultProxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", proxy.port)


async def closed(reader: asyncio.StreamReader) -> bool:
    """Whether the connection ends (closed or reset) rather than delivering bytes."""
    try:
        return await asyncio.wait_for(reader.read(100), 10) == b""
    except ConnectionError:
        return True


async def round_trip(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes
) -> bytes:
    writer.write(data)
    return await asyncio.wait_for(reader.readexactly(len(data)), 10)


async def test_pass_forwards_both_ways(target: tuple[int, list[asyncio.StreamWriter]]) -> None:
    with FaultProxy(target[0]) as proxy:
        reader, writer = await open_through(proxy)
        assert await round_trip(reader, writer, b"x" * 200_000) == b"x" * 200_000
        assert proxy.connections == 1
        writer.close()


async def test_drop_closes_the_connection_now(
    target: tuple[int, list[asyncio.StreamWriter]],
) -> None:
    with FaultProxy(target[0]) as proxy:
        reader, writer = await open_through(proxy)
        await round_trip(reader, writer, b"before")
        await asyncio.to_thread(proxy.fault, "drop")
        assert await closed(reader)
        # A new connection passes.
        reader, writer = await open_through(proxy)
        assert await round_trip(reader, writer, b"again") == b"again"
        writer.close()


@pytest.mark.parametrize("mode", ["stall", "black-hole"])
async def test_stall_and_black_hole_keep_the_socket_open_and_deliver_nothing(
    target: tuple[int, list[asyncio.StreamWriter]], mode: Mode
) -> None:
    with FaultProxy(target[0]) as proxy:
        reader, writer = await open_through(proxy)
        await round_trip(reader, writer, b"before")
        await asyncio.to_thread(proxy.fault, mode)
        writer.write(b"lost?")
        with pytest.raises(TimeoutError):  # neither an answer nor a close
            await asyncio.wait_for(reader.read(100), QUIET)
        await asyncio.to_thread(proxy.fault, "pass")
        writer.write(b"after")
        # A stall held the bytes and lets them through now; a black hole threw them away.
        expected = b"lost?after" if mode == "stall" else b"after"
        assert await asyncio.wait_for(reader.readexactly(len(expected)), 10) == expected
        writer.close()


async def test_slow_read_delivers_everything_intact(
    target: tuple[int, list[asyncio.StreamWriter]],
) -> None:
    with FaultProxy(target[0]) as proxy:
        reader, writer = await open_through(proxy)
        await round_trip(reader, writer, b"before")
        await asyncio.to_thread(proxy.fault, "slow-read", rate=20_000)
        data = bytes(range(256)) * 40
        writer.write(data)
        pieces: list[bytes] = []
        while sum(map(len, pieces)) < len(data):
            pieces.append(await asyncio.wait_for(reader.read(65536), 10))
        assert b"".join(pieces) == data
        assert len(pieces) > 1  # it came in pieces of rate * SLOW_TICK, a tick apart
        writer.close()


async def test_a_lasting_fault_meets_new_connections_too(
    target: tuple[int, list[asyncio.StreamWriter]],
) -> None:
    with FaultProxy(target[0]) as proxy:
        await asyncio.to_thread(proxy.fault, "black-hole", lasting=True)
        reader, writer = await open_through(proxy)
        writer.write(b"lost")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(100), QUIET)
        await asyncio.to_thread(proxy.fault, "pass", lasting=True)
        reader, writer = await open_through(proxy)
        assert await round_trip(reader, writer, b"through") == b"through"
        writer.close()


async def test_an_armed_fault_meets_the_connection_its_pattern_passes_on(
    target: tuple[int, list[asyncio.StreamWriter]],
) -> None:
    with FaultProxy(target[0]) as proxy:
        reader, writer = await open_through(proxy)
        await round_trip(reader, writer, b"before")
        quiet_reader, quiet_writer = await open_through(proxy)  # the server's second connection
        await round_trip(quiet_reader, quiet_writer, b"other")
        await asyncio.to_thread(proxy.arm, "drop", when=b"MARK")
        server_side = target[1][0]  # the server's end of the first connection
        server_side.write(b"..MA")  # the pattern split across two chunks still matches
        await server_side.drain()
        assert await asyncio.wait_for(reader.readexactly(4), 10) == b"..MA"
        server_side.write(b"RK..")
        assert await closed(reader)  # dropped: the rest of MARK never arrived
        assert proxy.triggered.is_set()
        assert await round_trip(quiet_reader, quiet_writer, b"still") == b"still"
        quiet_writer.close()


async def test_it_stops_by_itself(target: tuple[int, list[asyncio.StreamWriter]]) -> None:
    proxy = FaultProxy(target[0], lifetime=1.0)
    reader, _ = await open_through(proxy)
    assert await closed(reader)  # at the end of its life
    with pytest.raises(OSError):
        await open_through(proxy)
    proxy.close()
