"""Server-side host functions: Python in the browser calls them over a websocket.

    functions = HostFunctions()

    @functions.host_function
    async def lookup(user_id: int) -> dict:
        ...

    functions.setup(app)  # into an aiohttp application; or: hostcall serve --app module:functions

A page connects with ``Hostcall.connect("/hostcall")`` (web/remote.js) and gets one handler
per function to pass to ``runWithHostFunctions`` or ``register``. docs/remote.md has the
whole story; the wire is in docs/protocol.md, "Remote host functions".

``HostFunctions`` holds the options and hands the work to its parts, one concern each:
``registry`` (the functions and their argument checks), ``results`` (sessions and the outcome
of each call: the exactly-once journal), ``access`` (origins, CORS, the session route),
``connection`` (a page's websocket) and ``calls`` (running a call and sending its result).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiohttp import web

from hostcall.remote.access import Access
from hostcall.remote.calls import Calls, Tasks
from hostcall.remote.connection import (
    CLOSE_ORIGIN,
    CLOSE_PROTOCOL,
    CLOSE_REPLACED,
    CLOSE_UNKNOWN_SESSION,
    Sockets,
)
from hostcall.remote.registry import HostFunction, Registry, check_arguments, describe, matches
from hostcall.remote.results import MemoryResults

__all__ = [
    "CLOSE_ORIGIN",
    "CLOSE_PROTOCOL",
    "CLOSE_REPLACED",
    "CLOSE_UNKNOWN_SESSION",
    "HostFunction",
    "HostFunctions",
    "check_arguments",
    "describe",
    "matches",
]


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
        # The parts read these from here at each use, so one set later (as
        # `hostcall serve --origin` sets origins) takes effect.
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
        self._registry = Registry()
        self._results = MemoryResults(self)
        self._access = Access(self, self._results)
        tasks = Tasks()
        calls = Calls(self, self._registry, self._results, tasks)
        self._sockets = Sockets(
            self,
            access=self._access,
            results=self._results,
            registry=self._registry,
            calls=calls,
            tasks=tasks,
        )

    def host_function(self, func: HostFunction | None = None, /, *, name: str | None = None) -> Any:
        """Register ``func`` (sync or async) under its own name or ``name``; a decorator."""

        def register(func: HostFunction) -> HostFunction:
            self._registry.add(name or func.__name__, func)
            return func

        return register if func is None else register(func)

    def issue_token(self) -> str:
        """A new session's token, to hand to a page (``Hostcall.connect(url, {token})``).

        RuntimeError when the server holds ``max_sessions`` already.
        """
        return self._results.open_session()

    def check_address(self, host: str) -> None:
        """ValueError if a server listening on ``host`` would serve these functions beyond
        loopback with no ``origins`` (``hostcall serve --host`` checks it at start-up)."""
        self._access.check_address(host)

    def setup(self, app: web.Application, prefix: str = "/hostcall") -> None:
        """Serve ``POST {prefix}/session`` (a token for a page of an allowed origin, with
        CORS for other origins allowed) and the websocket ``{prefix}/ws`` in ``app``."""
        app.router.add_post(f"{prefix}/session", self._access.issue)
        app.router.add_route("OPTIONS", f"{prefix}/session", self._access.preflight)
        app.router.add_get(f"{prefix}/ws", self._sockets.handle)
        app.on_shutdown.append(self._sockets.close_all)
