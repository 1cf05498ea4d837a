"""The ``hostcall`` command line.

``hostcall serve`` runs the development server; ``hostcall setup`` only makes sure the
pinned Pyodide runtime and the showcase's editor are installed. Progress goes to stderr;
stdout carries the one ``serving`` line (or the runtime path) so scripts and tests can
read it.
"""

import argparse
import asyncio
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from aiohttp import web

from hostcall import __version__, demo
from hostcall.app import create_app
from hostcall.editor import ensure_editor
from hostcall.remote import HostFunctions
from hostcall.runtime import RuntimeSetupError, ensure_runtime

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except RuntimeSetupError as exc:
        print(f"hostcall: error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostcall", description="Run Python in a browser tab with calls to its host."
    )
    parser.add_argument("--version", action="version", version=f"hostcall {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run the development server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port, 0 for any free one")
    serve.add_argument(
        "--no-isolation",
        dest="isolation",
        action="store_false",
        help="omit the COOP/COEP/CORP headers (to try the non-isolated fallback)",
    )
    serve.add_argument(
        "--allow-connect",
        dest="connect",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin the worker's Python may reach besides this server (repeatable)",
    )
    serve.add_argument(
        "--app",
        metavar="MODULE:NAME",
        help="serve the host functions of a hostcall.HostFunctions (docs/remote.md); "
        "default: the showcase's demo functions (hostcall.demo)",
    )
    serve.set_defaults(command=_serve)

    setup = commands.add_parser(
        "setup",
        help="install the Pyodide runtime and the showcase's editor; print the runtime's path",
    )
    setup.set_defaults(command=_setup)
    return parser


def _log(message: str) -> None:
    print(f"hostcall: {message}", file=sys.stderr, flush=True)


def _setup(args: argparse.Namespace) -> int:
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


def _host_functions(spec: str | None) -> HostFunctions:
    """The ``HostFunctions`` that ``--app module:name`` names; ValueError saying what is wrong."""
    if spec is None:
        return demo.functions
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise ValueError(f"expected MODULE:NAME, not {spec!r}")
    sys.path.insert(0, os.getcwd())  # as `python -m` would find the module
    try:
        found = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load {spec}: {exc}") from None
    if not isinstance(found, HostFunctions):
        raise ValueError(f"{spec} is a {type(found).__name__}, not a hostcall.HostFunctions")
    return found


def _serve(args: argparse.Namespace) -> int:
    try:
        host_functions = _host_functions(args.app)
    except ValueError as exc:
        print(f"hostcall: error: --app: {exc}", file=sys.stderr)
        return 2
    try:
        app = create_app(
            isolation=args.isolation,
            runtime=ensure_runtime(_log),
            vendor=_editor_or_none(),
            connect=args.connect,
            host_functions=host_functions,
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
