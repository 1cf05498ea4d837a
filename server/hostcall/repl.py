"""``hostcall repl``: an interactive prompt backed by the Python in headless Chromium.

Lines are read here and judged, compiled and run in the browser by the standard library's
``code.InteractiveInterpreter`` (so continuation lines, the display of expression values and
tracebacks are CPython 3.14's own, not this process's Python's), in one warm session whose
globals persist. Its output streams back as it is printed. Ctrl-C interrupts a running
statement (``KeyboardInterrupt`` in the browser) or clears the line being typed; Ctrl-D exits.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from hostcall.cli import RESTART_NOTE, error_line
from hostcall.errors import HostcallError
from hostcall.headless import PythonError, SyncSession

# Defined in the session's globals under a name user code will not clash with.
_CONSOLE = '''
def _hostcall_console():
    import ast, code, inspect, sys, traceback

    class Console(code.InteractiveInterpreter):
        """Runs top-level await too: the coroutine is handed to the bridge to await."""

        def __init__(self):
            super().__init__(globals())
            self.compile.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
            self.awaiting = None

        def runcode(self, code):
            try:
                result = eval(code, self.locals)
            except SystemExit:
                raise
            except BaseException:
                self.showtraceback()
                return
            if inspect.iscoroutine(result):
                self.awaiting = result

        def showtraceback(self):
            """Python's, without the console's own frame and hostcall's (its SIGINT handler)."""
            error = traceback.TracebackException.from_exception(sys.exception())
            frames = [f for f in error.stack[1:] if not f.filename.startswith("/hostcall/")]
            error.stack = traceback.StackSummary.from_list(frames)
            self.write("".join(error.format()))

        async def finish(self, coroutine):
            try:
                await coroutine
            except SystemExit:
                raise
            except BaseException:
                self.showtraceback()
            return False

    console = Console()

    def push(source):
        more = console.runsource(source, "<stdin>", "single")
        coroutine, console.awaiting = console.awaiting, None
        return console.finish(coroutine) if coroutine is not None else more

    return push

__hostcall_repl__ = _hostcall_console()
del _hostcall_console
'''

_RESTARTED = ("terminated", "worker-crashed")


def banner(session: SyncSession) -> str:
    """The first line: what runs the prompt."""
    info = session.info
    return (
        f"hostcall repl: Python {info['pythonVersion']} (Pyodide {info['pyodideVersion']}) "
        f"in headless Chromium, transport {info['transport']}. Ctrl-D exits."
    )


def install(session: SyncSession) -> None:
    """Define the console in the session (again after the worker restarted)."""
    session.run(_CONSOLE, script_name="<hostcall-repl>").unwrap()


def interact(session: SyncSession, read: Callable[[str], str] = input) -> int:
    """Read, run and print until end of input; return the exit status."""
    install(session)
    print(banner(session), file=sys.stderr, flush=True)
    lines: list[str] = []
    while True:
        try:
            lines.append(read("... " if lines else ">>> "))
        except EOFError:
            print(file=sys.stderr)
            return 0
        except KeyboardInterrupt:
            print("\nKeyboardInterrupt", file=sys.stderr, flush=True)
            lines = []
            continue
        try:
            more = push(session, "\n".join(lines))
        except PythonError as error:  # only SystemExit leaves the console
            return _exit_status(error)
        if not more:
            lines = []


def push(session: SyncSession, source: str) -> bool:
    """Hand ``source`` to the console; return whether it needs more lines."""
    try:
        return bool(session.call("__hostcall_repl__", source))
    except KeyboardInterrupt:
        crash = session.discover().get("lastCrash")
        if crash:  # it did not stop in time, and was terminated
            _restart(session, crash)
        return False  # else the console printed the KeyboardInterrupt it raised
    except HostcallError as error:
        if error.code in _RESTARTED:
            _restart(session, error.message)
        else:
            print(f"hostcall: {error_line(error)}", file=sys.stderr, flush=True)
        return False


def _restart(session: SyncSession, why: str) -> None:
    """Say why the interpreter is gone, and set up the console in the new one."""
    print(
        f"hostcall: {why.removesuffix(RESTART_NOTE)}; the prompt goes on in a new interpreter "
        "(earlier globals are gone)",
        file=sys.stderr,
        flush=True,
    )
    install(session)


def _exit_status(error: PythonError) -> int:
    """``exit(n)`` / ``raise SystemExit(n)`` in the browser ends the prompt with status n."""
    if error.type != "SystemExit":
        raise error
    code = error.message
    if not code:
        return 0
    if code.lstrip("-").isdigit():
        return int(code)
    print(code, file=sys.stderr)
    return 1
