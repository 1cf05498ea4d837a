"""Which pages get a session: their origin (the server's own by default, never the Host
header's), CORS for the pages of other origins allowed, and how many new sessions one client
address gets in a while. Serves ``POST {prefix}/session`` and its preflight."""

from __future__ import annotations

import collections
import ipaddress
import time
from typing import Protocol

from aiohttp import web

from hostcall.remote.results import ResultStore, TooManySessions

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AccessOptions(Protocol):
    """The options of ``HostFunctions`` this part reads (docs/remote.md, *Options*)."""

    origins: frozenset[str] | None
    session_rate: tuple[int, float] | None


class _Refused(Exception):
    """A session not issued: an HTTP status, and a reason the page shows."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


class Access:
    """The session route's handlers, and the origin check the websocket makes too."""

    def __init__(self, options: AccessOptions, results: ResultStore) -> None:
        self._options = options  # read at each use: `hostcall serve --origin` sets origins later
        self._results = results
        self._issued: dict[str, collections.deque[float]] = {}  # client address -> times

    async def issue(self, request: web.Request) -> web.Response:
        """``POST {prefix}/session``: a new session's token, or a JSON refusal."""
        # The origin is echoed even to a page refused: it can then read why.
        cors = _cors_headers(request)
        try:
            refusal = self.refusal(request)
            if refusal:
                raise _Refused(403, "origin-not-allowed", refusal)
            self._count_new_session(request.remote or "")
            token = self._results.open_session()
        except TooManySessions as full:
            body = {"error": "too-many-sessions", "message": str(full)}
            return web.json_response(body, status=503, headers=cors)
        except _Refused as refused:
            rate = self._options.session_rate
            if refused.status == 429 and rate is not None:
                cors["Retry-After"] = str(max(1, round(rate[1])))
            body = {"error": refused.error, "message": refused.message}
            return web.json_response(body, status=refused.status, headers=cors)
        return web.json_response({"token": token}, headers=cors)

    async def preflight(self, request: web.Request) -> web.Response:
        # Any origin may ask: the POST itself then refuses one not allowed, readably.
        headers = _cors_headers(request)
        headers["Access-Control-Allow-Methods"] = "POST"
        headers["Access-Control-Allow-Headers"] = "Content-Type"
        headers["Access-Control-Max-Age"] = "600"
        return web.Response(status=204, headers=headers)

    def refusal(self, request: web.Request) -> str | None:
        """Why the page that sent ``request`` may not use these functions; None if it may."""
        origin = request.headers.get("Origin")
        allowed = self._options.origins
        if allowed is None:
            local = _local_address(request)
            if local is None or not local[0].is_loopback:
                return "a server beyond loopback accepts only the pages of its origins=[...]"
            allowed = _own_origins(request.scheme, *local)
        if origin in allowed:
            return None
        return f"origin {origin} is not allowed"

    def check_address(self, host: str) -> None:
        """ValueError if serving on ``host`` reaches beyond loopback with no ``origins``."""
        if self._options.origins is None and not _is_loopback(host):
            raise ValueError(
                f"host functions served on {host}, beyond loopback, need the page origins "
                "they accept: HostFunctions(origins=['https://app.example'])"
            )

    def _count_new_session(self, address: str) -> None:
        """Refuse (429) a client address that had its ``session_rate`` of new sessions."""
        if self._options.session_rate is None:
            return
        limit, window = self._options.session_rate
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name, or all addresses ("0.0.0.0", "::")


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
