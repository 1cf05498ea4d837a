"""The ``hostcall`` command line.

``hostcall serve`` runs the development server; ``hostcall setup`` only makes sure the
pinned Pyodide runtime and the showcase's editor are installed (``--build-tools``: the
JavaScript build's tools instead). Progress goes to stderr;
stdout carries the one ``serving`` line (or the runtime path) so scripts and tests can
read it. ``hostcall run`` and ``hostcall repl`` run Python in headless Chromium
(:mod:`hostcall.headless`), imported only when used: the server does without Playwright.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from hostcall import __version__, demo
from hostcall.app import create_app
from hostcall.buildtools import ensure_build_tools
from hostcall.editor import ensure_editor
from hostcall.errors import HostcallError
from hostcall.remote import HostFunctions
from hostcall.runtime import RuntimeSetupError, ensure_runtime

if TYPE_CHECKING:
    from hostcall.headless import HostFunction, Session

Command = Callable[[argparse.Namespace], int]

INTERRUPTED = 130  # the exit status of a process stopped by Ctrl-C, as the shell reports it
RESTART_NOTE = "; the session restarts on its next use"  # the bridge's, not a CLI's concern
_GRACE_MS = 1000  # how long a script may take to stop at Ctrl-C before it is terminated

_HELPER = "<hostcall-run>"  # the file name of the command's own code in the browser
_STDIN_FUNCTION = "__hostcall_stdin__"
# Run before the script: its sys.stdin (and so input()) reads this process's stdin through
# the host function above, since the worker has no stdin of its own.
_STDIN_SETUP = f"""
def _hostcall_stdin():
    import io, sys
    import hostcall

    class Stdin(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            data = hostcall.call("{_STDIN_FUNCTION}", len(buffer))
            buffer[: len(data)] = data
            return len(data)

    sys.stdin = io.TextIOWrapper(io.BufferedReader(Stdin()), encoding="utf-8")

_hostcall_stdin()
del _hostcall_stdin
"""


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
        help="an origin the worker's Python may reach besides its runtime (repeatable)",
    )
    serve.add_argument(
        "--app",
        type=_app_functions,
        metavar="MODULE:NAME",
        help="serve the host functions of a hostcall.HostFunctions (docs/remote.md); "
        "default: the showcase's demo functions (hostcall.demo)",
    )
    serve.add_argument(
        "--origin",
        dest="origins",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a page origin allowed to use the host functions, in place of their own "
        "origins= (repeatable; needed beyond loopback unless the app sets origins=)",
    )
    serve.set_defaults(command=_serve)

    setup = commands.add_parser(
        "setup",
        help="install the Pyodide runtime and the showcase's editor; print the runtime's path",
    )
    setup.add_argument(
        "--build-tools",
        action="store_true",
        help="install only the JavaScript build's tools (esbuild, TypeScript); print their path",
    )
    setup.set_defaults(command=_setup)

    run = commands.add_parser("run", help="run a Python script in headless Chromium's Pyodide")
    run.add_argument("script", type=Path, help="the script to run")
    _browser_options(run)
    run.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help="stop the script with TimeoutError after S seconds (not counting host calls)",
    )
    run.add_argument(
        "--host-functions",
        dest="handlers",
        type=_host_functions,
        default={},
        metavar="MODULE:DICT",
        help="a dict of Python callables (name -> function) the script may call; "
        "MODULE is imported from the current directory",
    )
    run.set_defaults(command=_run)

    repl = commands.add_parser("repl", help="an interactive prompt in headless Chromium's Pyodide")
    _browser_options(repl)
    repl.set_defaults(command=_repl)
    return parser


def _browser_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-isolation",
        dest="isolation",
        action="store_false",
        help="serve the page without cross-origin isolation: host calls use JSPI",
    )
    parser.add_argument(
        "--allow-js", action="store_true", help="let the code import js and pyodide"
    )


def _seconds(text: str) -> float:
    seconds = float(text)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return seconds


def _import(spec: str, what: str) -> Any:
    """Import ``module:name`` with the current directory importable (as ``python -m`` has it)."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise argparse.ArgumentTypeError(f"expected MODULE:{what}, not {spec!r}")
    sys.path.insert(0, os.getcwd())
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise argparse.ArgumentTypeError(f"cannot import {spec}: {exc}") from exc


def _host_functions(spec: str) -> Mapping[str, HostFunction]:
    """``--host-functions``: a dict of callables."""
    table = _import(spec, "DICT")
    if not isinstance(table, Mapping) or not all(
        isinstance(key, str) and callable(value) for key, value in table.items()
    ):
        raise argparse.ArgumentTypeError(f"{spec} is not a dict of names to callables")
    return table


def _app_functions(spec: str) -> HostFunctions:
    """``--app``: the server's host functions (docs/remote.md)."""
    found = _import(spec, "NAME")
    if not isinstance(found, HostFunctions):
        raise argparse.ArgumentTypeError(
            f"{spec} is a {type(found).__name__}, not a hostcall.HostFunctions"
        )
    return found


def _log(message: str) -> None:
    print(f"hostcall: {message}", file=sys.stderr, flush=True)


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


def _run(args: argparse.Namespace) -> int:
    try:
        source = args.script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"hostcall: error: cannot read {args.script}: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run_script(source, args))
    except HostcallError as exc:
        print(f"hostcall: error: {error_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C before the script ran: nothing of it to show
        print("KeyboardInterrupt", file=sys.stderr)
        return INTERRUPTED


def error_line(error: HostcallError) -> str:
    """``code: message``, without the bridge's note that the session restarts."""
    return f"{error.code}: {error.message.removesuffix(RESTART_NOTE)}"


async def _run_script(source: str, args: argparse.Namespace) -> int:
    """Run the script with its output streamed here; print its traceback if it fails."""
    from hostcall.headless import Browser, Limits, print_output
    from hostcall.headless.errors import without_frames_of

    limits: Limits = {} if args.timeout is None else {"timeout_ms": args.timeout * 1000}
    stdin = _Stdin()
    async with Browser(isolation=args.isolation, log=_log) as browser:
        # One session per browser: a startup snapshot would serve nobody.
        session = await browser.session(
            allow_js=args.allow_js, startup_snapshot=False, interrupt_grace_ms=_GRACE_MS
        )
        (await session.run(_STDIN_SETUP, script_name=_HELPER)).unwrap()
        with _interrupt_on_ctrl_c(session) as ctrl_c:
            try:
                result = await session.run_with_host_functions(
                    source,
                    {**args.handlers, _STDIN_FUNCTION: stdin.read},
                    limits=limits,
                    script_name=str(args.script),
                    on_output=print_output,
                )
            except HostcallError as error:
                if error.code != "terminated" or not ctrl_c.is_set():
                    raise
                print(
                    f"hostcall: the script did not stop within {_GRACE_MS} ms of Ctrl-C: "
                    "it was terminated",
                    file=sys.stderr,
                )
                return INTERRUPTED
    if result.error is None:
        return 0
    failure = without_frames_of(result.error, _HELPER)  # input()'s reads, say
    print(failure.format(), end="", file=sys.stderr, flush=True)
    return INTERRUPTED if failure.type == "KeyboardInterrupt" else 1


class _Stdin:
    """This process's stdin, read for the script by the host function ``read(size)``.

    Each read blocks a daemon thread of its own (not the loop's executor): one the script gave
    up on (Ctrl-C at ``input()``) must not keep the process alive at exit. Its data, once it
    comes, goes to the script's next read.
    """

    def __init__(self) -> None:
        self._reading: asyncio.Future[bytes] | None = None
        self._buffered = b""

    async def read(self, size: int) -> bytes:
        """Up to ``size`` bytes, as soon as some are there; ``b""`` at the end of input."""
        if not self._buffered:
            if self._reading is None:
                self._reading = asyncio.get_running_loop().create_future()
                threading.Thread(
                    target=_read_stdin, args=(self._reading,), name="hostcall-stdin", daemon=True
                ).start()
            # Shielded: a cancelled read (Ctrl-C) leaves the data to the next one.
            self._buffered = await asyncio.shield(self._reading)
            self._reading = None
        data, self._buffered = self._buffered[:size], self._buffered[size:]
        return data


def _read_stdin(future: asyncio.Future[bytes]) -> None:
    """Read what stdin has (a line, from a terminal) and hand it to ``future``'s loop."""
    try:
        data = os.read(sys.stdin.fileno(), 65536) if sys.stdin else b""
    except OSError as error:  # raised at the script's read
        settle = functools.partial(future.set_exception, error)
    else:
        settle = functools.partial(future.set_result, data)
    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody is waiting
        future.get_loop().call_soon_threadsafe(settle)


@contextlib.contextmanager
def _interrupt_on_ctrl_c(session: Session) -> Iterator[threading.Event]:
    """Ctrl-C raises KeyboardInterrupt in the script, whose traceback then ends the run.

    Yields what is set once Ctrl-C was pressed.
    """
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()  # held, so none is collected while it runs
    pressed = threading.Event()

    def interrupt() -> None:
        pressed.set()
        task = loop.create_task(session.interrupt())
        tasks.add(task)
        task.add_done_callback(_forget_task(tasks))

    try:
        loop.add_signal_handler(signal.SIGINT, interrupt)
    except NotImplementedError:  # Windows: Ctrl-C stays KeyboardInterrupt here
        yield pressed
        return
    try:
        yield pressed
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def _forget_task(tasks: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
    """Drop a finished interrupt; its failure (the run ended meanwhile) is the run's to report."""

    def forget(task: asyncio.Task[None]) -> None:
        tasks.discard(task)
        if not task.cancelled():
            task.exception()

    return forget


def _repl(args: argparse.Namespace) -> int:
    from hostcall import repl
    from hostcall.headless import SyncBrowser, print_output

    if sys.stdin.isatty():
        import readline  # noqa: F401 (line editing and history for input())
    try:
        with SyncBrowser(isolation=args.isolation, log=_log) as browser:
            session = browser.session(
                allow_js=args.allow_js, startup_snapshot=False, on_output=print_output
            )
            return repl.interact(session)
    except HostcallError as exc:
        print(f"hostcall: error: {error_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while the browser starts (at the prompt it is caught)
        print("KeyboardInterrupt", file=sys.stderr)
        return INTERRUPTED


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
