"""``hostcall run`` and ``hostcall repl``: Python in headless Chromium (:mod:`hostcall.headless`,
imported only when used: the server does without Playwright). A run's script reads this
process's stdin through a host function, and Ctrl-C raises KeyboardInterrupt in it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from hostcall.cli.common import INTERRUPTED, _log, error_line
from hostcall.errors import HostcallError

if TYPE_CHECKING:
    from hostcall.headless import Session

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


async def _run_script(source: str, args: argparse.Namespace) -> int:
    """Run the script with its output streamed here; print its traceback if it fails."""
    from hostcall.headless import Browser, Limits, print_output
    from hostcall.headless.errors import without_frames_of

    limits: Limits = {} if args.timeout is None else {"timeout_ms": args.timeout * 1000}
    stdin = _Stdin()
    async with Browser(isolation=args.isolation, log=_log) as browser:
        # One session per browser: a startup snapshot would serve nobody.
        session = await browser.session(
            allow_js=args.allow_js,
            startup_snapshot=False,
            interrupt_grace_ms=_GRACE_MS,
            packages=args.packages,
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
                allow_js=args.allow_js,
                startup_snapshot=False,
                packages=args.packages,
                on_output=print_output,
            )
            return repl.interact(session)
    except HostcallError as exc:
        print(f"hostcall: error: {error_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while the browser starts (at the prompt it is caught)
        print("KeyboardInterrupt", file=sys.stderr)
        return INTERRUPTED
