"""The result store: the sessions a server has issued, and the outcome of each of their calls.

This is the exactly-once journal. Each call carries an id the page chose; its record stays
until the page acknowledges the result (or ``keep_results`` seconds after it ended), so a call
sent again after a reconnect is answered from the record, or joins the run still going, and
never runs twice. ``ResultStore`` is all the rest of ``hostcall.remote`` asks of a store;
``MemoryResults`` keeps it in this process, so a server that restarts forgets its sessions
(a page that comes back is told so, and its calls fail with ConnectionError).
"""

from __future__ import annotations

import collections
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from hostcall.values import pack

if TYPE_CHECKING:
    from hostcall.remote.connection import Connection


class TooManySessions(RuntimeError):
    """No new session: the store holds as many as it takes (``max_sessions``)."""


@dataclass(eq=False)
class Record:
    """One call, by its id: run once, its result frame kept for the page to ask again."""

    frame: bytes | None = None  # the result frame, once the run has ended
    created: float = field(default_factory=time.monotonic)
    dropped: bool = False  # the result gave way to newer ones (max_stored_bytes)


@dataclass(eq=False)
class Session:
    """What this process holds of a page's session: its connection and its running calls.
    Its calls' records are the store's."""

    running: int = 0  # calls started and not ended
    last_seen: float = field(default_factory=time.monotonic)  # issued, or last disconnected
    connection: Connection | None = None  # the page's connection, while it has one


class ResultStore(Protocol):
    """What the connections and calls ask of a store; ``MemoryResults`` is one. A store
    keeps within its own caps: sessions it takes, how long idle ones and unacknowledged
    results last, how many bytes of results it holds."""

    def open_session(self) -> str:
        """A new session's token; TooManySessions when the store holds all it takes."""

    def session(self, token: str) -> Session | None:
        """The session ``token`` names, or None: never issued, or forgotten."""

    def record(self, session: Session, call_id: str) -> Record | None:
        """The record of a call the session sent before, or None."""

    def begin(self, session: Session, call_id: str) -> Record:
        """The record of a new call, whose run starts now."""

    def finish(self, session: Session, call_id: str, record: Record, frame: bytes) -> None:
        """Keep a run's result frame for the page to ask again (unless acknowledged meanwhile)."""

    def forget(self, session: Session, call_id: str) -> None:
        """The page has the call's result (it acknowledged it): the record may go."""


class StoreLimits(Protocol):
    """The options of ``HostFunctions`` a store reads (docs/remote.md, *Options*)."""

    keep_results: float
    session_ttl: float
    max_sessions: int
    max_stored_bytes: int


class MemoryResults:
    """A result store in this process's memory, within the caps of ``limits``."""

    def __init__(self, limits: StoreLimits) -> None:
        self._limits = limits  # read at each use: an option set later takes effect
        self._sessions: dict[str, Session] = {}
        self._records: dict[Session, dict[str, Record]] = {}
        # Results kept for a page that may ask again, oldest first: their frames' sizes.
        self._stored: collections.OrderedDict[tuple[Session, str], int] = collections.OrderedDict()
        self._stored_bytes = 0

    def open_session(self) -> str:
        self._forget_idle_sessions()
        if len(self._sessions) >= self._limits.max_sessions:
            raise TooManySessions(
                f"the server holds as many sessions as it takes ({self._limits.max_sessions}); "
                "try again later"
            )
        token = secrets.token_urlsafe(32)
        session = self._sessions[token] = Session()
        self._records[session] = {}
        return token

    def session(self, token: str) -> Session | None:
        return self._sessions.get(token)

    def record(self, session: Session, call_id: str) -> Record | None:
        return self._calls(session).get(call_id)

    def begin(self, session: Session, call_id: str) -> Record:
        self._forget_old_records(session)
        record = self._calls(session)[call_id] = Record()
        return record

    def finish(self, session: Session, call_id: str, record: Record, frame: bytes) -> None:
        if self._calls(session).get(call_id) is record:  # else acknowledged before it ended
            self._store(session, call_id, record, frame)

    def forget(self, session: Session, call_id: str) -> None:
        self._calls(session).pop(call_id, None)
        self._stored_bytes -= self._stored.pop((session, call_id), 0)

    def _calls(self, session: Session) -> dict[str, Record]:
        """The session's records. A session forgotten while a replaced connection (in its
        close grace) still serves it has none: its calls there run, but are not kept."""
        return self._records.get(session, {})

    def _store(self, session: Session, call_id: str, record: Record, frame: bytes) -> None:
        """Keep a result frame for the page to ask again; the oldest give way past the cap."""
        record.frame = frame
        self._stored[session, call_id] = len(frame)
        self._stored_bytes += len(frame)
        cap = self._limits.max_stored_bytes
        while self._stored_bytes > cap and len(self._stored) > 1:
            (old_session, old_id), size = self._stored.popitem(last=False)
            self._stored_bytes -= size
            old = self._records[old_session][old_id]
            if old.dropped:  # even its note is past the cap: the record goes
                del self._records[old_session][old_id]
                continue
            # The call is remembered, so sent again it is not run twice, but as an error.
            why = (
                "the server dropped this call's result before the page acknowledged it: "
                f"it keeps at most {cap} bytes of results (max_stored_bytes)"
            )
            old.frame, old.dropped = failure(old_id, "RuntimeError", why), True
            self._stored[old_session, old_id] = len(old.frame)
            self._stored_bytes += len(old.frame)

    def _forget_old_records(self, session: Session) -> None:
        oldest = time.monotonic() - self._limits.keep_results
        for call_id, record in list(self._calls(session).items()):
            if record.created < oldest and record.frame is not None:
                self.forget(session, call_id)

    def _forget_idle_sessions(self) -> None:
        """Forget sessions with no connection for ``session_ttl``, and their results."""
        oldest = time.monotonic() - self._limits.session_ttl
        for token, session in list(self._sessions.items()):
            idle = session.connection is None and not session.running
            if idle and session.last_seen < oldest:
                del self._sessions[token]
                for call_id in self._records.pop(session):
                    self.forget(session, call_id)


def failure(call_id: str, error_type: str, message: str) -> bytes:
    """The result frame of a call that failed with Python's ``error_type``."""
    error = {"type": error_type, "message": message}
    return pack({"type": "result", "id": call_id, "ok": False, "error": error})
