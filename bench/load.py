"""Load on server-side host functions: many sessions calling at once over websockets.

    .venv/bin/python bench/load.py [--sessions 200] [--calls 50]

Starts ``hostcall serve --app tests.remote_app:functions`` (one process), opens
``--sessions`` websocket sessions with the ``websockets`` client on loopback, each making
``--calls`` sequential calls of the async ``echo(i)``, all sessions at once; prints calls
per second and the p50/p99 latency of one call. ``tests/test_remote_load.py`` runs the same, marked
``load`` so the default suite skips it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import websockets

from hostcall.values import encode, pack, unpack

# ServerProcess is test tooling, kept out of the shipped package: it lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serverprocess import ServerProcess

APP = ("--app", "tests.remote_app:functions")


@dataclass
class Load:
    sessions: int
    calls: int
    seconds: float
    latencies: list[float]  # seconds per call
    wrong: int  # answers that were not what was sent

    @property
    def calls_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def report(self) -> str:
        p50, p99 = statistics.median(self.latencies) * 1e3, self.percentile(0.99) * 1e3
        return (
            f"load: {self.sessions} sessions x {self.calls} calls: "
            f"{self.calls_per_second:.0f} calls/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"wrong answers {self.wrong}"
        )


def issue_token(url: str, origin: str) -> str:
    request = urllib.request.Request(
        url + "hostcall/session", method="POST", headers={"Origin": origin}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token: str = json.load(response)["token"]
    return token


async def one_session(url: str, token: str, calls: int, latencies: list[float]) -> int:
    """Make ``calls`` sequential calls; return how many answers were wrong."""
    origin = url.rstrip("/")
    wrong = 0
    async with websockets.connect(
        url.replace("http", "ws", 1) + "hostcall/ws", origin=origin
    ) as ws:
        await ws.send(pack({"type": "hello", "token": token}))
        unpack(await ws.recv())  # welcome
        acks: list[str] = []  # as the page does: acknowledgements ride on the next call
        for i in range(calls):
            call = {"type": "call", "id": f"{token[:8]}-{i}", "name": "echo", "args": encode([i])}
            started = time.perf_counter()
            await ws.send(pack({**call, "kwargs": {}, "acks": acks}))
            answer, _ = unpack(await ws.recv())
            latencies.append(time.perf_counter() - started)
            acks = [answer["id"]]
            wrong += answer.get("value") != i
    return wrong


async def drive(url: str, sessions: int, calls: int) -> Load:
    origin = url.rstrip("/")
    tokens = [issue_token(url, origin) for _ in range(sessions)]
    latencies: list[float] = []
    started = time.perf_counter()
    wrong = await asyncio.wait_for(
        asyncio.gather(*(one_session(url, token, calls, latencies) for token in tokens)),
        timeout=120,
    )
    return Load(sessions, calls, time.perf_counter() - started, latencies, sum(wrong))


def run_load(sessions: int, calls: int) -> Load:
    server = ServerProcess(*APP)
    try:
        return asyncio.run(drive(server.url, sessions, calls))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    print(run_load(args.sessions, args.calls).report())


if __name__ == "__main__":
    main()
