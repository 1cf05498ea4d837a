"""``hostcall serve`` (the development server, until SIGINT or SIGTERM) and ``hostcall setup``
(the pinned runtime and the showcase's editor, or the build's tools, installed)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from aiohttp import web

from hostcall import demo
from hostcall.app import create_app
from hostcall.buildtools import ensure_build_tools
from hostcall.cli.common import _log
from hostcall.editor import ensure_editor
from hostcall.runtime import RuntimeSetupError, ensure_runtime


def _setup(args: argparse.Namespace) -> int:
    if args.build_tools:
        print(ensure_build_tools(_log))
        return 0
    runtime = ensure_runtime(_log)
    ensure_editor(_log)
    print(runtime)
    return 0


def _editor_or_none() -> Path | None:
    """The editor's packages; without them the showcase still works, with a plain text area."""
    try:
        return ensure_editor(_log)
    except RuntimeSetupError as exc:
        _log(f"warning: {exc}\nhostcall: the showcase falls back to a plain text area")
        return None


def _serve(args: argparse.Namespace) -> int:
    functions = args.app or demo.functions
    if args.origins:
        functions.origins = frozenset(args.origins)
    # The demo functions need no such check: beyond loopback they refuse every page (no
    # origins), saying why.
    if args.app is not None:
        try:
            args.app.check_address(args.host)
        except ValueError as exc:
            print(f"hostcall: error: --app: {exc} (or --origin)", file=sys.stderr)
            return 2
    try:
        app = create_app(
            isolation=args.isolation,
            runtime=ensure_runtime(_log),
            vendor=_editor_or_none(),
            connect=args.connect,
            cors=args.cors or (),
            packages=args.packages,
            host_functions=functions,
            bench=True,  # the showcase's measure button runs the benchmark's floors
        )
    except ValueError as exc:
        print(f"hostcall: error: --allow-connect: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_run_until_stopped(app, args.host, args.port, args.isolation))
    except KeyboardInterrupt:
        pass  # Ctrl-C where signal handlers cannot be installed (Windows)
    except OSError as exc:
        print(f"hostcall: error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


async def _run_until_stopped(app: web.Application, host: str, port: int, isolation: bool) -> None:
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bound_port: int = runner.addresses[0][1]  # the real one, when port is 0
        mode = "cross-origin isolated" if isolation else "not isolated: --no-isolation"
        print(f"hostcall: serving {_url(host, bound_port)} ({mode})", flush=True)
        await _stop_signal()
    finally:
        await runner.cleanup()


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


async def _stop_signal() -> None:
    """Return on SIGINT or SIGTERM, so the server shuts down cleanly with status 0."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Unsupported on Windows, where Ctrl-C arrives as KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
