"""A session's calls: each run once, within the session's limits; its result is kept in the
store and sent to the connection its session has when the run ends, which is not always the
one the call came on (the page may have reconnected meanwhile)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from hostcall.remote.registry import Registry
from hostcall.remote.results import Record, ResultStore, Session, failure
from hostcall.values import Unserializable, encode, encode_error, pack

if TYPE_CHECKING:
    from hostcall.remote.connection import Connection


class CallOptions(Protocol):
    """The options of ``HostFunctions`` calls read (docs/remote.md, *Options*)."""

    max_concurrent_calls: int
    call_timeout: float


class Tasks:
    """Tasks started and not awaited, held so that none is collected mid-run."""

    def __init__(self) -> None:
        self._held: set[asyncio.Future[Any]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._held.add(task)
        task.add_done_callback(self._held.discard)


class Calls:
    """Answers the calls of every session: runs new ones, answers repeats from their record."""

    def __init__(
        self, options: CallOptions, registry: Registry, results: ResultStore, tasks: Tasks
    ) -> None:
        self._options = options
        self._registry = registry
        self._results = results
        self._tasks = tasks

    async def answer(
        self,
        connection: Connection,
        session: Session,
        message: dict[str, Any],
        blobs: list[bytes],
    ) -> None:
        """Start the run of a ``call`` message, or answer it from its record; ValueError if
        the message is not a call of this protocol."""
        self.acknowledge(session, message.get("acks", []))
        call_id = message.get("id")
        if not isinstance(call_id, str) or not 0 < len(call_id) <= 100:
            raise ValueError("a call needs an id: a string of 1 to 100 characters")
        record = self._results.record(session, call_id)
        if record is not None:  # a call sent again: answered now, or when its run ends
            if record.frame is not None:
                await connection.send(record.frame)
            return
        limit = self._options.max_concurrent_calls
        if session.running >= limit:
            refusal = f"more than {limit} calls of this session at once"
            await connection.send(failure(call_id, "RuntimeError", refusal))
            return
        session.running += 1  # now, not when the task starts: the next message may be a call
        record = self._results.begin(session, call_id)
        self._tasks.spawn(self._run(session, record, message, blobs))

    def acknowledge(self, session: Session, ids: Any) -> None:
        """The page has these results: the store may forget them."""
        if not isinstance(ids, list):
            raise ValueError("acks must be a list of call ids")
        for call_id in ids:
            if isinstance(call_id, str):
                self._results.forget(session, call_id)

    async def _run(
        self, session: Session, record: Record, message: dict[str, Any], blobs: list[bytes]
    ) -> None:
        """Run a call, keep its result frame, and send it to the session's connection."""
        call_id = message["id"]
        try:
            frame = await self._outcome(message, blobs)
        finally:
            session.running -= 1
        self._results.finish(session, call_id, record, frame)
        # The connection of now, not of when the call came: a page that reconnected is there.
        # Without one, the page gets the result from the record when it sends the call again.
        if session.connection is not None:
            await session.connection.send(frame)

    async def _outcome(self, message: dict[str, Any], blobs: list[bytes]) -> bytes:
        """The result frame of running the call: its value, or the error it raised."""
        call_id, name = message["id"], str(message.get("name"))
        timeout = self._options.call_timeout
        try:
            async with asyncio.timeout(timeout):
                value = await self._registry.invoke(name, message, blobs)
            out: list[bytes] = []
            wire = encode(value, f"{name}() result", out)
            return pack({"type": "result", "id": call_id, "ok": True, "value": wire}, out)
        except TimeoutError:
            why = f"host function {name!r} did not finish within {timeout:g} s"
            return failure(call_id, "TimeoutError", why)
        except Unserializable as exc:  # a result that cannot cross, as the worker reports one
            return failure(call_id, "TypeError", str(exc))
        except Exception as exc:  # the function's own error, raised in the browser's Python
            raised: list[bytes] = []  # its args' bytes
            error = encode_error(exc, raised)
            return pack({"type": "result", "id": call_id, "ok": False, "error": error}, raised)
