"""Server-side host functions: Python in the browser calls them over a websocket.

    functions = HostFunctions()

    @functions.host_function
    async def lookup(user_id: int) -> dict:
        ...

    functions.setup(app)  # into an aiohttp application; or: hostcall serve --app module:functions

A page connects with ``Hostcall.connect("/hostcall")`` (web/remote.js) and gets one handler
per function to pass to ``runWithHostFunctions`` or ``register``. docs/remote.md has the
whole story; the wire is in docs/protocol.md, "Remote host functions".

Exactly once: each call carries an id the page chose. The server keeps the outcome of every
call by id (until the page acknowledges it, or ``keep_results`` seconds), so a call the page
sends again after a reconnect is answered from that record, or joins the run still going,
and never runs twice. A run that ends sends its result to the connection its session has
then; a connection that does not take a frame within ``send_timeout`` is cut, so no stuck
peer holds a result back. The records live in this process: a server that restarts forgets
its sessions, and a page that comes back is told so (its calls fail with ConnectionError).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import inspect
import ipaddress
import secrets
import socket
import struct
import time
import types
import typing
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from hostcall.values import Unserializable, decode, encode, encode_error, pack, unpack

HostFunction = Callable[..., Any]

# Close codes the page acts on (web/remote.js): it does not reconnect after these.
CLOSE_PROTOCOL = 4400  # a message that is not this protocol
CLOSE_UNKNOWN_SESSION = 4401  # no such session: a bad token, or the server restarted
CLOSE_ORIGIN = 4403  # a page of an origin not allowed
CLOSE_REPLACED = 4409  # a newer connection with the same token took this one's place
CLOSE_GRACE = 5.0  # seconds a connection being closed has to take its close frame


@dataclass(eq=False)
class _Connection:
    """A page's websocket, and its transport: cut at once when it takes nothing."""

    ws: web.WebSocketResponse
    transport: asyncio.Transport | None

    async def send(self, frame: bytes, timeout: float) -> None:
        """Send ``frame``; a peer that has not taken it within ``timeout`` s is cut off."""
        try:
            async with asyncio.timeout(timeout):
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
        if self.transport is None:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()


@dataclass(eq=False)
class _Record:
    frame: bytes | None = None  # the result frame, once the run has ended
    created: float = field(default_factory=time.monotonic)
    dropped: bool = False  # the result gave way to newer ones (max_stored_bytes)


@dataclass(eq=False)
class _Session:
    records: dict[str, _Record] = field(default_factory=dict)
    running: int = 0
    last_seen: float = field(default_factory=time.monotonic)
    connection: _Connection | None = None  # the page's connection, while it has one


class _Function:
    """A host function, with what each call needs of it worked out once."""

    def __init__(self, func: HostFunction) -> None:
        self.func = func
        self.signature = inspect.signature(func, eval_str=True)
        self.is_async = inspect.iscoroutinefunction(func)

    @functools.cached_property
    def hints(self) -> dict[str, Any]:
        # At the first call, not at registration: annotations may name what is defined later.
        return typing.get_type_hints(self.func)


class _Refused(Exception):
    """A session not issued: an HTTP status, and a reason the page shows."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


class HostFunctions:
    """A set of server-side host functions and the websocket that serves them to pages.

    ``origins`` lists the page origins allowed (default: the server's own, ``localhost`` or
    the loopback address it listens on; a server listening beyond loopback needs them).
    ``max_message_bytes`` caps one call; ``max_concurrent_calls`` caps the calls one session
    runs at once; ``call_timeout`` (seconds) ends a call that runs longer with TimeoutError;
    ``keep_results`` (seconds) is how long an outcome the page did not acknowledge is kept;
    ``session_ttl`` (seconds) forgets sessions with no connection that long;
    ``send_timeout`` (seconds) cuts a connection that does not take a frame that long.
    Caps across sessions: ``max_sessions`` held at once, ``max_stored_bytes`` of results
    kept for pages that may ask again (the oldest give way), ``session_rate`` = (n, seconds):
    new sessions one client address may get in that window (None: no limit).
    docs/remote.md, *Options*.
    """

    def __init__(
        self,
        *,
        origins: Sequence[str] | None = None,
        max_message_bytes: int = 1 << 20,
        max_concurrent_calls: int = 16,
        call_timeout: float = 30.0,
        keep_results: float = 600.0,
        session_ttl: float = 3600.0,
        send_timeout: float = 60.0,
        max_sessions: int = 10_000,
        max_stored_bytes: int = 128 << 20,
        session_rate: tuple[int, float] | None = (60, 60.0),
    ) -> None:
        self.origins = None if origins is None else frozenset(origins)
        self.max_message_bytes = max_message_bytes
        self.max_concurrent_calls = max_concurrent_calls
        self.call_timeout = call_timeout
        self.keep_results = keep_results
        self.session_ttl = session_ttl
        self.send_timeout = send_timeout
        self.max_sessions = max_sessions
        self.max_stored_bytes = max_stored_bytes
        self.session_rate = session_rate
        self._functions: dict[str, _Function] = {}
        self._sessions: dict[str, _Session] = {}
        self._connections: set[_Connection] = set()
        self._tasks: set[asyncio.Future[Any]] = set()  # held, so none is collected mid-run
        # Results kept for a page that may ask again, oldest first: their frames' sizes.
        self._stored: collections.OrderedDict[tuple[_Session, str], int] = collections.OrderedDict()
        self._stored_bytes = 0
        self._issued: dict[str, collections.deque[float]] = {}  # client address -> times

    def host_function(self, func: HostFunction | None = None, /, *, name: str | None = None) -> Any:
        """Register ``func`` (sync or async) under its own name or ``name``; a decorator."""

        def register(func: HostFunction) -> HostFunction:
            key = name or func.__name__
            if not key.isidentifier():
                raise ValueError(f"a host function name must be an identifier, not {key!r}")
            self._functions[key] = _Function(func)
            return func

        return register if func is None else register(func)

    def issue_token(self) -> str:
        """A new session's token, to hand to a page (``Hostcall.connect(url, {token})``).

        RuntimeError when the server holds ``max_sessions`` already.
        """
        try:
            return self._new_session()
        except _Refused as refusal:
            raise RuntimeError(refusal.message) from None

    def check_address(self, host: str) -> None:
        """ValueError if a server listening on ``host`` would serve these functions beyond
        loopback with no ``origins`` (``hostcall serve --host`` checks it at start-up)."""
        if self.origins is None and not _is_loopback(host):
            raise ValueError(
                f"host functions served on {host}, beyond loopback, need the page origins "
                "they accept: HostFunctions(origins=['https://app.example'])"
            )

    def setup(self, app: web.Application, prefix: str = "/hostcall") -> None:
        """Serve ``POST {prefix}/session`` (a token for a page of an allowed origin, with
        CORS for other origins allowed) and the websocket ``{prefix}/ws`` in ``app``."""
        app.router.add_post(f"{prefix}/session", self._issue)
        app.router.add_route("OPTIONS", f"{prefix}/session", self._preflight)
        app.router.add_get(f"{prefix}/ws", self._socket)
        app.on_shutdown.append(self._close_connections)

    # ------------------------------------------------------------------ sessions --

    async def _issue(self, request: web.Request) -> web.Response:
        # The origin is echoed even to a page refused: it can then read why.
        cors = _cors_headers(request)
        try:
            refusal = self._origin_refusal(request)
            if refusal:
                raise _Refused(403, "origin-not-allowed", refusal)
            self._count_new_session(request.remote or "")
            token = self._new_session()
        except _Refused as refused:
            if refused.status == 429 and self.session_rate is not None:
                cors["Retry-After"] = str(max(1, round(self.session_rate[1])))
            body = {"error": refused.error, "message": refused.message}
            return web.json_response(body, status=refused.status, headers=cors)
        return web.json_response({"token": token}, headers=cors)

    async def _preflight(self, request: web.Request) -> web.Response:
        # Any origin may ask: the POST itself then refuses one not allowed, readably.
        headers = _cors_headers(request)
        headers["Access-Control-Allow-Methods"] = "POST"
        headers["Access-Control-Allow-Headers"] = "Content-Type"
        headers["Access-Control-Max-Age"] = "600"
        return web.Response(status=204, headers=headers)

    def _new_session(self) -> str:
        self._forget_idle_sessions()
        if len(self._sessions) >= self.max_sessions:
            raise _Refused(
                503,
                "too-many-sessions",
                f"the server holds as many sessions as it takes ({self.max_sessions}); "
                "try again later",
            )
        token = secrets.token_urlsafe(32)
        self._sessions[token] = _Session()
        return token

    def _count_new_session(self, address: str) -> None:
        """Refuse (429) a client address that had its ``session_rate`` of new sessions."""
        if self.session_rate is None:
            return
        limit, window = self.session_rate
        now = time.monotonic()
        for other, times in list(self._issued.items()):  # forget what is out of the window
            while times and times[0] <= now - window:
                times.popleft()
            if not times:
                del self._issued[other]
        times = self._issued.setdefault(address, collections.deque())
        if len(times) >= limit:
            raise _Refused(
                429,
                "too-many-new-sessions",
                f"this client asked for more than {limit} sessions in {window:g} s; "
                "try again later",
            )
        times.append(now)

    def _origin_refusal(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        allowed = self.origins
        if allowed is None:
            local = _local_address(request)
            if local is None or not local[0].is_loopback:
                return "a server beyond loopback accepts only the pages of its origins=[...]"
            allowed = _own_origins(request.scheme, *local)
        if origin in allowed:
            return None
        return f"origin {origin} is not allowed"

    # --------------------------------------------------------------- connections --

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        # No permessage-deflate: a call is small, and compressing it costs latency.
        # aiohttp refuses a message of max_msg_size bytes or more; max_message_bytes is the
        # largest call accepted, as the page checks it (web/remote.js).
        ws = web.WebSocketResponse(
            max_msg_size=self.max_message_bytes + 1, heartbeat=20, compress=False
        )
        await ws.prepare(request)
        connection = _Connection(ws, request.transport)
        self._connections.add(connection)
        try:
            refusal = self._origin_refusal(request)
            if refusal:
                await connection.close(CLOSE_ORIGIN, refusal)
                return ws
            session = await self._hello(connection)
            if session is not None:
                await self._serve(connection, session)
        finally:
            self._connections.discard(connection)
        return ws

    async def _close_connections(self, app: web.Application) -> None:
        # Pages reconnect after "going away"; without this a server waits for them to leave.
        # Every connection, not only sessions' current ones: an old one may not have noticed
        # yet that its page moved on.
        closing = [
            connection.close(WSCloseCode.GOING_AWAY, "the server is shutting down")
            for connection in list(self._connections)
        ]
        await asyncio.gather(*closing)

    async def _hello(self, connection: _Connection) -> _Session | None:
        """The session the first frame names, now on ``connection``; None if refused."""
        try:
            message, _ = unpack((await connection.ws.receive(timeout=10)).data)
        except (ValueError, TypeError, TimeoutError):
            await connection.close(CLOSE_PROTOCOL, "expected a hello frame first")
            return None
        token = message.get("token")
        session = (
            self._sessions.get(token)
            if isinstance(token, str) and message.get("type") == "hello"
            else None
        )
        if session is None:
            await connection.close(CLOSE_UNKNOWN_SESSION, "unknown or expired session")
            return None
        old, session.connection = session.connection, connection
        if old is not None:  # results now go to the new one; the old one is told why
            why = "another connection of this session replaced this one"
            self._spawn(old.close(CLOSE_REPLACED, why))
        await connection.send(pack(self._welcome()), self.send_timeout)
        return session

    def _welcome(self) -> dict[str, Any]:
        functions = [
            {
                "name": name,
                "signature": f"{name}{function.signature}",
                "doc": inspect.getdoc(function.func),
            }
            for name, function in self._functions.items()
        ]
        return {
            "type": "welcome",
            "functions": functions,
            "maxMessageBytes": self.max_message_bytes,
        }

    async def _serve(self, connection: _Connection, session: _Session) -> None:
        ws = connection.ws
        try:
            async for msg in ws:
                try:
                    if msg.type is not WSMsgType.BINARY:
                        raise ValueError("expected a binary frame")
                    message, blobs = unpack(msg.data)
                    if message.get("type") == "ack":
                        self._acknowledge(session, message.get("ids"))
                    elif message.get("type") == "call":
                        await self._answer(connection, session, message, blobs)
                    elif message.get("type") == "ping":  # the page's liveness check
                        pong = {"type": "pong", **({"n": message["n"]} if "n" in message else {})}
                        await connection.send(pack(pong), self.send_timeout)
                    else:
                        raise ValueError(f"an unknown message type {message.get('type')!r}")
                except ValueError as exc:
                    await connection.close(CLOSE_PROTOCOL, str(exc))
        finally:
            if session.connection is connection:
                session.connection = None
                session.last_seen = time.monotonic()  # the session's idle time starts now

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --------------------------------------------------------------------- calls --

    async def _answer(
        self,
        connection: _Connection,
        session: _Session,
        message: dict[str, Any],
        blobs: list[bytes],
    ) -> None:
        self._acknowledge(session, message.get("acks", []))
        call_id = message.get("id")
        if not isinstance(call_id, str) or not 0 < len(call_id) <= 100:
            raise ValueError("a call needs an id: a string of 1 to 100 characters")
        record = session.records.get(call_id)
        if record is not None:  # a call sent again: answered now, or when its run ends
            if record.frame is not None:
                await connection.send(record.frame, self.send_timeout)
            return
        if session.running >= self.max_concurrent_calls:
            refusal = f"more than {self.max_concurrent_calls} calls of this session at once"
            await connection.send(_failure(call_id, "RuntimeError", refusal), self.send_timeout)
            return
        self._forget_old_records(session)
        session.running += 1  # now, not when the task starts: the next message may be a call
        record = session.records[call_id] = _Record()
        self._spawn(self._run(session, record, message, blobs))

    def _acknowledge(self, session: _Session, ids: Any) -> None:
        if not isinstance(ids, list):
            raise ValueError("acks must be a list of call ids")
        for call_id in ids:
            if isinstance(call_id, str):
                self._forget_record(session, call_id)

    async def _run(
        self, session: _Session, record: _Record, message: dict[str, Any], blobs: list[bytes]
    ) -> None:
        """Run a call, keep its result frame, and send it to the session's connection."""
        call_id, name = message["id"], str(message.get("name"))
        try:
            async with asyncio.timeout(self.call_timeout):
                value = await self._invoke(name, message, blobs)
            out: list[bytes] = []
            wire = encode(value, f"{name}() result", out)
            frame = pack({"type": "result", "id": call_id, "ok": True, "value": wire}, out)
        except TimeoutError:
            why = f"host function {name!r} did not finish within {self.call_timeout:g} s"
            frame = _failure(call_id, "TimeoutError", why)
        except Unserializable as exc:  # a result that cannot cross, as the worker reports one
            frame = _failure(call_id, "TypeError", str(exc))
        except Exception as exc:  # the function's own error, raised in the browser's Python
            raised: list[bytes] = []  # its args' bytes
            error = encode_error(exc, raised)
            frame = pack({"type": "result", "id": call_id, "ok": False, "error": error}, raised)
        finally:
            session.running -= 1
        if session.records.get(call_id) is record:  # else acknowledged before it ended
            self._store(session, call_id, record, frame)
        # The connection of now, not of when the call came: a page that reconnected is there.
        # Without one, the page gets the result from the record when it sends the call again.
        if session.connection is not None:
            await session.connection.send(frame, self.send_timeout)

    async def _invoke(self, name: str, message: dict[str, Any], blobs: list[bytes]) -> Any:
        function = self._functions.get(name)
        if function is None:
            raise NameError(f"the server has no host function {name!r}")
        wire_args, wire_kwargs = message.get("args", []), message.get("kwargs", {})
        if not isinstance(wire_args, list) or not isinstance(wire_kwargs, dict):
            raise TypeError(f"{name}(): malformed arguments")
        try:  # each on its own, as the page encodes them: the depth limit is per argument
            args = [decode(arg, blobs) for arg in wire_args]
            kwargs = {key: decode(arg, blobs) for key, arg in wire_kwargs.items()}
        except (ValueError, TypeError) as exc:
            raise TypeError(f"{name}(): {exc}") from None
        bound = function.signature.bind(*args, **kwargs)  # TypeError names what is wrong
        check_arguments(name, function.hints, bound.arguments)
        if function.is_async:
            return await function.func(*bound.args, **bound.kwargs)
        return await asyncio.to_thread(function.func, *bound.args, **bound.kwargs)

    # ------------------------------------------------------------ stored results --

    def _store(self, session: _Session, call_id: str, record: _Record, frame: bytes) -> None:
        """Keep a result frame for the page to ask again; the oldest give way past the cap."""
        record.frame = frame
        self._stored[session, call_id] = len(frame)
        self._stored_bytes += len(frame)
        while self._stored_bytes > self.max_stored_bytes and len(self._stored) > 1:
            (old_session, old_id), size = self._stored.popitem(last=False)
            self._stored_bytes -= size
            old = old_session.records[old_id]
            if old.dropped:  # even its note is past the cap: the record goes
                del old_session.records[old_id]
                continue
            # The call is remembered, so sent again it is not run twice, but as an error.
            why = (
                "the server dropped this call's result before the page acknowledged it: "
                f"it keeps at most {self.max_stored_bytes} bytes of results (max_stored_bytes)"
            )
            old.frame, old.dropped = _failure(old_id, "RuntimeError", why), True
            self._stored[old_session, old_id] = len(old.frame)
            self._stored_bytes += len(old.frame)

    def _forget_record(self, session: _Session, call_id: str) -> None:
        session.records.pop(call_id, None)
        self._stored_bytes -= self._stored.pop((session, call_id), 0)

    def _forget_old_records(self, session: _Session) -> None:
        oldest = time.monotonic() - self.keep_results
        for call_id, record in list(session.records.items()):
            if record.created < oldest and record.frame is not None:
                self._forget_record(session, call_id)

    def _forget_idle_sessions(self) -> None:
        """Forget sessions with no connection for ``session_ttl``, and their results."""
        oldest = time.monotonic() - self.session_ttl
        for token, session in list(self._sessions.items()):
            idle = session.connection is None and not session.running
            if idle and session.last_seen < oldest:
                del self._sessions[token]
                for call_id in list(session.records):
                    self._forget_record(session, call_id)


def _failure(call_id: str, error_type: str, message: str) -> bytes:
    error = {"type": error_type, "message": message}
    return pack({"type": "result", "id": call_id, "ok": False, "error": error})


# ------------------------------------------------------------------ addresses --


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name, or all addresses ("0.0.0.0", "::")


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _local_address(request: web.Request) -> tuple[IPAddress, int] | None:
    """The address and port this connection reached the server on (not the Host header)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not isinstance(sockname, tuple):
        return None  # not an IP socket
    try:
        return ipaddress.ip_address(sockname[0]), sockname[1]
    except ValueError:
        return None


def _own_origins(scheme: str, address: IPAddress, port: int) -> frozenset[str]:
    """The origins of pages this loopback server serves itself: its address, or localhost."""
    suffix = "" if (scheme, port) in (("http", 80), ("https", 443)) else f":{port}"
    host = f"[{address}]" if address.version == 6 else str(address)
    return frozenset({f"{scheme}://{host}{suffix}", f"{scheme}://localhost{suffix}"})


def _cors_headers(request: web.Request) -> dict[str, str]:
    origin = request.headers.get("Origin")
    if origin is None:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


# ------------------------------------------------------------ argument checks --


def check_arguments(name: str, hints: dict[str, Any], arguments: dict[str, Any]) -> None:
    """Raise TypeError when an argument does not match its parameter's annotation."""
    for param, value in arguments.items():
        hint = hints.get(param)
        if hint is not None and not matches(value, hint):
            raise TypeError(
                f"{name}() argument {param!r} must be {describe(hint)}, not {type(value).__name__}"
            )


def matches(value: Any, hint: Any) -> bool:
    """Whether ``value`` fits the annotation ``hint``; what cannot be checked passes."""
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if hint is float:  # JSON has one number type: 3 is a fine float
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is None:
        return not isinstance(hint, type) or isinstance(value, hint)
    return _matches_container(value, origin, args)


def _matches_container(value: Any, origin: Any, args: tuple[Any, ...]) -> bool:
    if not isinstance(origin, type):
        return True  # a special form we do not check
    if not isinstance(value, origin):
        return False
    items: Any = value
    if not args:
        return True
    if origin is dict:
        return all(matches(k, args[0]) and matches(v, args[1]) for k, v in items.items())
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(matches(item, args[0]) for item in items)
        return len(args) == len(items) and all(map(matches, items, args))
    if origin in (list, set, frozenset):
        return all(matches(item, args[0]) for item in items)
    return True


def describe(hint: Any) -> str:
    """An annotation as a person reads it: ``int``, ``list[str]``, ``int | None``."""
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "")
