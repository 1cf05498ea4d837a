"""A page's websocket: a hello that names its session, then frames in (calls, acks, pings)
and frames out (the welcome, results, pongs). A peer that does not take a frame within
``send_timeout`` is cut, so no stuck peer holds a result back."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from typing import Any, Protocol

from aiohttp import WSCloseCode, WSMsgType, web

from hostcall.remote.access import Access
from hostcall.remote.calls import Calls, Tasks
from hostcall.remote.registry import Registry
from hostcall.remote.results import ResultStore, Session
from hostcall.values import pack, unpack

# Close codes the page acts on (web/remote.js): it does not reconnect after these.
CLOSE_PROTOCOL = 4400  # a message that is not this protocol
CLOSE_UNKNOWN_SESSION = 4401  # no such session: a bad token, or the server restarted
CLOSE_ORIGIN = 4403  # a page of an origin not allowed
CLOSE_REPLACED = 4409  # a newer connection with the same token took this one's place
CLOSE_GRACE = 5.0  # seconds a connection being closed has to take its close frame


class SocketOptions(Protocol):
    """The options of ``HostFunctions`` connections read (docs/remote.md, *Options*)."""

    max_message_bytes: int
    send_timeout: float


class Connection:
    """A page's websocket, and its transport: cut at once when it takes nothing."""

    def __init__(
        self, ws: web.WebSocketResponse, transport: asyncio.Transport | None, options: SocketOptions
    ) -> None:
        self.ws, self._transport, self._options = ws, transport, options

    async def send(self, frame: bytes) -> None:
        """Send ``frame``; a peer that has not taken it within ``send_timeout`` is cut off."""
        try:
            async with asyncio.timeout(self._options.send_timeout):
                await self.ws.send_bytes(frame)
        except TimeoutError:
            self.cut()
        except ConnectionError:
            pass  # gone: the page sends its calls again when it is back

    async def close(self, code: int, reason: str) -> None:
        try:
            async with asyncio.timeout(CLOSE_GRACE):
                # A close frame holds 123 bytes of reason, whole UTF-8 characters.
                message = reason.encode()[:120].decode(errors="ignore").encode()
                await self.ws.close(code=code, message=message)
        except TimeoutError:
            self.cut()

    def cut(self) -> None:
        # Abort, not close: a transport closes only once its peer has read what it holds,
        # and a sender waiting for that would wait as long. No linger: the kernel resets the
        # connection and drops what it holds for the peer, instead of keeping it until read.
        if self._transport is None:
            return
        sock = self._transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._transport.abort()


class Sockets:
    """The websocket route: every page's connection, from its hello to its close."""

    def __init__(
        self,
        options: SocketOptions,
        *,
        access: Access,
        results: ResultStore,
        registry: Registry,
        calls: Calls,
        tasks: Tasks,
    ) -> None:
        self._options = options
        self._access, self._results, self._registry = access, results, registry
        self._calls, self._tasks = calls, tasks
        self._connections: set[Connection] = set()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """``GET {prefix}/ws``: serve one page's connection until it closes."""
        # No permessage-deflate: a call is small, and compressing it costs latency.
        # aiohttp refuses a message of max_msg_size bytes or more; max_message_bytes is the
        # largest call accepted, as the page checks it (web/remote.js).
        ws = web.WebSocketResponse(
            max_msg_size=self._options.max_message_bytes + 1, heartbeat=20, compress=False
        )
        await ws.prepare(request)
        connection = Connection(ws, request.transport, self._options)
        self._connections.add(connection)
        try:
            refusal = self._access.refusal(request)
            if refusal:
                await connection.close(CLOSE_ORIGIN, refusal)
                return ws
            session = await self._hello(connection)
            if session is not None:
                await self._serve(connection, session)
        finally:
            self._connections.discard(connection)
        return ws

    async def close_all(self, app: web.Application) -> None:
        """At shutdown: pages reconnect after "going away"; without this a server waits for
        them to leave."""
        # Every connection, not only sessions' current ones: an old one may not have noticed
        # yet that its page moved on.
        closing = [
            connection.close(WSCloseCode.GOING_AWAY, "the server is shutting down")
            for connection in list(self._connections)
        ]
        await asyncio.gather(*closing)

    async def _hello(self, connection: Connection) -> Session | None:
        """The session the first frame names, now on ``connection``; None if refused."""
        try:
            message, _ = unpack((await connection.ws.receive(timeout=10)).data)
        except (ValueError, TypeError, TimeoutError):
            await connection.close(CLOSE_PROTOCOL, "expected a hello frame first")
            return None
        token = message.get("token")
        session = (
            self._results.session(token)
            if isinstance(token, str) and message.get("type") == "hello"
            else None
        )
        if session is None:
            await connection.close(CLOSE_UNKNOWN_SESSION, "unknown or expired session")
            return None
        old, session.connection = session.connection, connection
        if old is not None:  # results now go to the new one; the old one is told why
            why = "another connection of this session replaced this one"
            self._tasks.spawn(old.close(CLOSE_REPLACED, why))
        await connection.send(pack(self._welcome()))
        return session

    def _welcome(self) -> dict[str, Any]:
        return {
            "type": "welcome",
            "functions": self._registry.listing(),
            "maxMessageBytes": self._options.max_message_bytes,
        }

    async def _serve(self, connection: Connection, session: Session) -> None:
        try:
            async for msg in connection.ws:
                try:
                    if msg.type is not WSMsgType.BINARY:
                        raise ValueError("expected a binary frame")
                    await self._receive(connection, session, *unpack(msg.data))
                except ValueError as exc:
                    await connection.close(CLOSE_PROTOCOL, str(exc))
        finally:
            if session.connection is connection:
                session.connection = None
                session.last_seen = time.monotonic()  # the session's idle time starts now

    async def _receive(
        self, connection: Connection, session: Session, message: dict[str, Any], blobs: list[bytes]
    ) -> None:
        """One frame of the page's: ValueError if it is not of this protocol."""
        kind = message.get("type")
        if kind == "ack":
            self._calls.acknowledge(session, message.get("ids"))
        elif kind == "call":
            await self._calls.answer(connection, session, message, blobs)
        elif kind == "ping":  # the page's liveness check
            pong = {"type": "pong", **({"n": message["n"]} if "n" in message else {})}
            await connection.send(pack(pong))
        else:
            raise ValueError(f"an unknown message type {kind!r}")
