"""Server-side host functions the remote tests call (``hostcall serve --app tests.remote_app:functions``)."""

from __future__ import annotations

import asyncio
import builtins
from collections import Counter
from typing import Any

from hostcall import HostFunctions

# No limit on new sessions per client: the load test (bench/load.py) opens 200 at once.
functions = HostFunctions(
    max_message_bytes=64 * 1024, max_concurrent_calls=4, call_timeout=3.0, session_rate=None
)
_runs: Counter[str] = Counter()


@functions.host_function
async def lookup(user_id: int) -> dict[str, Any]:
    """A user record."""
    return {"id": user_id, "name": f"user {user_id}"}


@functions.host_function
def add(a: float, b: float = 0.0) -> float:
    """Synchronous: run in a thread."""
    return a + b


@functions.host_function
async def echo(value: Any) -> Any:
    return value


@functions.host_function
async def count_run(key: str, seconds: float = 0.0) -> int:
    """Count the runs of ``key`` (after ``seconds``): exactly once means 1."""
    _runs[key] += 1
    await asyncio.sleep(seconds)
    return _runs[key]


@functions.host_function
async def runs(key: str) -> int:
    return _runs[key]


@functions.host_function
async def forever() -> None:
    await asyncio.sleep(3600)


@functions.host_function
def fail(name: str, args: Any) -> None:
    """Raise the builtin exception ``name(*args)`` (an ExceptionGroup of KeyErrors of args[1:])."""
    if name == "ExceptionGroup":
        raise ExceptionGroup(args[0], [KeyError(key) for key in args[1:]])
    raise getattr(builtins, name)(*args)
