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
and never runs twice. The records live in this process: a server that restarts forgets its
sessions, and a page that comes back is told so (its calls fail with ConnectionError).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import secrets
import time
import types
import typing
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from hostcall.values import Unserializable, decode, encode, encode_error, pack, unpack

HostFunction = Callable[..., Any]

# Close codes the page acts on (web/remote.js): it does not reconnect after these.
CLOSE_PROTOCOL = 4400  # a message that is not this protocol
CLOSE_UNKNOWN_SESSION = 4401  # no such session: a bad token, or the server restarted
CLOSE_ORIGIN = 4403  # a page of an origin not allowed


@dataclass
class _Session:
    records: dict[str, _Record] = field(default_factory=dict)
    running: int = 0
    last_seen: float = field(default_factory=time.monotonic)
    socket: web.WebSocketResponse | None = None  # the page's connection, while it has one


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


@dataclass
class _Record:
    outcome: asyncio.Task[bytes]  # the result frame
    created: float = field(default_factory=time.monotonic)


class HostFunctions:
    """A set of server-side host functions and the websocket that serves them to pages.

    ``origins`` lists the page origins allowed (default: the server's own origin as the
    request names it). ``max_message_bytes`` caps one call; ``max_concurrent_calls`` caps
    the calls one session runs at once; ``call_timeout`` (seconds) ends a call that runs
    longer with TimeoutError; ``keep_results`` (seconds) is how long an outcome the page did
    not acknowledge is kept; ``session_ttl`` (seconds) forgets sessions idle that long.
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
    ) -> None:
        self.origins = None if origins is None else frozenset(origins)
        self.max_message_bytes = max_message_bytes
        self.max_concurrent_calls = max_concurrent_calls
        self.call_timeout = call_timeout
        self.keep_results = keep_results
        self.session_ttl = session_ttl
        self._functions: dict[str, _Function] = {}
        self._sessions: dict[str, _Session] = {}
        self._sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

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
        """A new session's token, to hand to a page (``Hostcall.connect(url, {token})``)."""
        self._forget_idle_sessions()
        token = secrets.token_urlsafe(32)
        self._sessions[token] = _Session()
        return token

    def setup(self, app: web.Application, prefix: str = "/hostcall") -> None:
        """Serve ``POST {prefix}/session`` (a token for a page of an allowed origin) and the
        websocket ``{prefix}/ws`` in ``app``."""
        app.router.add_post(f"{prefix}/session", self._issue)
        app.router.add_get(f"{prefix}/ws", self._socket)
        app.on_shutdown.append(self._close_sockets)

    # ------------------------------------------------------------------ handlers --

    async def _issue(self, request: web.Request) -> web.Response:
        refusal = self._origin_refusal(request)
        if refusal:
            raise web.HTTPForbidden(text=refusal)
        return web.json_response({"token": self.issue_token()})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        # No permessage-deflate: a call is small, and compressing it costs latency.
        ws = web.WebSocketResponse(
            max_msg_size=self.max_message_bytes, heartbeat=20, compress=False
        )
        await ws.prepare(request)
        refusal = self._origin_refusal(request)
        if refusal:
            await ws.close(code=CLOSE_ORIGIN, message=refusal.encode()[:120])
            return ws
        session = await self._hello(ws)
        if session is not None:
            self._sockets.add(ws)
            session.socket = ws
            try:
                await self._serve(ws, session)
            finally:
                if session.socket is ws:
                    session.socket = None
        return ws

    async def _close_sockets(self, app: web.Application) -> None:
        # Pages reconnect after "going away"; without this a server waits for them to leave.
        # Every connection, not only sessions' current ones: an old one may not have noticed
        # yet that its page moved on.
        for ws in list(self._sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"the server is shutting down")

    def _origin_refusal(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        allowed = self.origins or {f"{request.scheme}://{request.host}"}
        if origin in allowed:
            return None
        return f"origin {origin} is not allowed"

    async def _hello(self, ws: web.WebSocketResponse) -> _Session | None:
        try:
            message, _ = unpack((await ws.receive(timeout=10)).data)
        except (ValueError, TypeError, TimeoutError):
            await ws.close(code=CLOSE_PROTOCOL, message=b"expected a hello frame first")
            return None
        token = message.get("token")
        session = (
            self._sessions.get(token)
            if isinstance(token, str) and message.get("type") == "hello"
            else None
        )
        if session is None:
            await ws.close(code=CLOSE_UNKNOWN_SESSION, message=b"unknown or expired session")
            return None
        session.last_seen = time.monotonic()
        await ws.send_bytes(pack(self._welcome()))
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

    async def _serve(self, ws: web.WebSocketResponse, session: _Session) -> None:
        async for msg in ws:
            session.last_seen = time.monotonic()
            try:
                if msg.type is not WSMsgType.BINARY:
                    raise ValueError("expected a binary frame")
                message, blobs = unpack(msg.data)
                if message.get("type") == "ack":
                    self._acknowledge(session, message.get("ids"))
                elif message.get("type") == "call":
                    await self._answer(ws, session, message, blobs)
                else:
                    raise ValueError(f"an unknown message type {message.get('type')!r}")
            except ValueError as exc:
                await ws.close(code=CLOSE_PROTOCOL, message=str(exc).encode()[:120])
        session.last_seen = time.monotonic()

    # --------------------------------------------------------------------- calls --

    async def _answer(
        self,
        ws: web.WebSocketResponse,
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
            if record.outcome.done():
                await ws.send_bytes(record.outcome.result())
            return
        if session.running >= self.max_concurrent_calls:
            refusal = f"more than {self.max_concurrent_calls} calls of this session at once"
            await ws.send_bytes(_failure(call_id, "RuntimeError", refusal))
            return
        self._forget_old_records(session)
        session.running += 1  # now, not when the task starts: the next message may be a call
        outcome = asyncio.ensure_future(self._run(session, message, blobs))
        session.records[call_id] = _Record(outcome)

    @staticmethod
    def _acknowledge(session: _Session, ids: Any) -> None:
        if not isinstance(ids, list):
            raise ValueError("acks must be a list of call ids")
        for call_id in ids:
            if isinstance(call_id, str):
                session.records.pop(call_id, None)

    async def _run(self, session: _Session, message: dict[str, Any], blobs: list[bytes]) -> bytes:
        """Run a call; send its result frame to the session's connection, and return it."""
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
        socket = session.socket
        if socket is not None and not socket.closed:  # else sent when the page asks again
            with contextlib.suppress(ConnectionError):
                await socket.send_bytes(frame)
        return frame

    async def _invoke(self, name: str, message: dict[str, Any], blobs: list[bytes]) -> Any:
        function = self._functions.get(name)
        if function is None:
            raise NameError(f"the server has no host function {name!r}")
        try:
            args, kwargs = (
                decode(message.get("args", []), blobs),
                decode(message.get("kwargs", {}), blobs),
            )
        except (ValueError, TypeError) as exc:
            raise TypeError(f"{name}(): {exc}") from None
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise TypeError(f"{name}(): malformed arguments")
        bound = function.signature.bind(*args, **kwargs)  # TypeError names what is wrong
        check_arguments(name, function.hints, bound.arguments)
        if function.is_async:
            return await function.func(*bound.args, **bound.kwargs)
        return await asyncio.to_thread(function.func, *bound.args, **bound.kwargs)

    # ------------------------------------------------------------------ upkeep --

    def _forget_old_records(self, session: _Session) -> None:
        oldest = time.monotonic() - self.keep_results
        for call_id, record in list(session.records.items()):
            if record.created < oldest and record.outcome.done():
                del session.records[call_id]

    def _forget_idle_sessions(self) -> None:
        oldest = time.monotonic() - self.session_ttl
        for token, session in list(self._sessions.items()):
            if session.last_seen < oldest and not session.running:
                del self._sessions[token]


def _failure(call_id: str, error_type: str, message: str) -> bytes:
    error = {"type": error_type, "message": message}
    return pack({"type": "result", "id": call_id, "ok": False, "error": error})


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
