"""The worker's Python half: runs user code and turns host-function calls into requests.

worker.js creates one :class:`Runner` per session with a *channel*, a JavaScript object
whose ``request(text, ...blobs)`` hands one encoded call to the host and returns the
encoded reply: directly when the transport blocks the worker (SharedArrayBuffer and
``Atomics.wait``), or as a Promise that :func:`pyodide.ffi.run_sync` waits for (JSPI).
"""

from __future__ import annotations

import builtins
import inspect
import json
import keyword
import math
import os
import signal
import sys
import traceback
import types
from collections.abc import Awaitable, Callable
from typing import Any

from pyodide.code import eval_code_async
from pyodide.ffi import JsProxy, run_sync, to_js

from . import HostCallLimitError, OutputLimitError, _host
from ._wire import decode, encode, encode_call, host_exception

_PACKAGE_DIR = os.path.dirname(__file__)  # frames in hostcall's own modules are machinery


def problem_with(ext_fns: Any) -> str | None:
    """Why ``ext_fns`` cannot be a run's host functions, or None when it can."""
    if not isinstance(ext_fns, list):
        return "extFns must be an array of function names"
    for name in ext_fns:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            return f"extFns: {name!r} is not a Python identifier"
        if hasattr(builtins, name):
            return f"extFns: {name!r} would shadow the Python builtin of that name"
    if len(set(ext_fns)) != len(ext_fns):
        return "extFns: a name is declared twice"
    return None


class Runner:
    """One session's interpreter state: its globals persist from run to run."""

    def __init__(self, channel: JsProxy, guard: JsProxy) -> None:
        self._channel = channel
        self._guard = guard
        self._request = channel.request  # looked up once: each JsProxy attribute access costs
        self._calls_left: float = math.inf  # host calls the current execution may still make
        self._globals: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self._next_call_id = 0
        self._declared: frozenset[str] = frozenset()  # the host functions of the current run
        self._state = _host.connect(self._call)  # handle notes and the objects the page holds

    async def run(self, code: str, filename: str, ext_fns: list[str]) -> Any:
        """Run ``code``; return ``[done_text, ...blobs]`` as a JavaScript array."""
        return await self._execute(
            ext_fns, filename, lambda: eval_code_async(code, self._globals, filename=filename)
        )

    async def invoke(
        self, kind: str, ref: str | int, text: str, blobs: JsProxy, ext_fns: list[str]
    ) -> Any:
        """Call what the page holds (docs/protocol.md, ``invoke``); return like :meth:`run`.

        ``kind`` is ``name`` (a function among the globals), ``callable`` (one the page got
        as a value), or ``next``/``close`` (a step of a generator the page got).
        """

        async def work() -> Any:
            call = decode(text, lambda: [blob.to_bytes() for blob in blobs])
            return await self._invoke(kind, ref, call["args"], call["kwargs"])

        return await self._execute(ext_fns, None, work)

    async def _invoke(self, kind: str, ref: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if kind == "name":  # looked up as Python does: the globals, then the builtins
            target = self._globals.get(ref, getattr(builtins, ref, _MISSING))
            if target is _MISSING:
                raise NameError(f"name {ref!r} is not defined")
            if not callable(target):
                raise TypeError(f"{ref!r} is a {type(target).__name__}, not a function")
            return await _settle(target(*args, **kwargs))
        if kind == "callable":
            return await _settle(self._state.exported(ref)(*args, **kwargs))
        return await self._step(kind, ref)

    async def _step(self, kind: str, ref: int) -> Any:
        """Advance (``next``) or close (``close``) an exported generator, sync or async."""
        generator = self._state.exported(ref)
        is_async = isinstance(generator, types.AsyncGeneratorType)
        if kind == "close":
            self._state.forget([ref])
            return await generator.aclose() if is_async else generator.close()
        try:
            value = await anext(generator) if is_async else next(generator)
        except (StopIteration, StopAsyncIteration):
            self._state.forget([ref])
            return {"done": True}
        return {"done": False, "value": value}

    def forget(self, refs: list[int]) -> None:
        """The page collected its proxies of these exported objects."""
        self._state.forget(refs)

    async def _execute(
        self, ext_fns: list[str], filename: str | None, work: Callable[[], Awaitable[Any]]
    ) -> Any:
        shadowed = {name: self._globals.get(name, _MISSING) for name in ext_fns}
        self._globals.update({name: self._host_function(name) for name in ext_fns})
        self._declared = frozenset(ext_fns)
        limits = self._guard.reason().limits
        recursion_limit = sys.getrecursionlimit()
        self._calls_left = limits.maxHostCalls or math.inf
        # Every execution: code of an earlier one may have installed its own handler.
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            try:
                self._guard.arm()
                sys.setrecursionlimit(limits.recursionDepth or recursion_limit)  # may refuse
                value = await work()
            finally:
                # At once: describing an error takes time, and a limit still exceeded would
                # trip the guard again inside the handler below, where nothing catches it.
                self._guard.disarm()
            result = {"ok": True, "value": value}
            del value
        except BaseException as error:  # every exception, SystemExit too, is a result
            result = {"ok": False, "error": describe(error, filename)}
        finally:
            self._flush()
            self._declared = frozenset()
            self._restore(shadowed)
            sys.setrecursionlimit(recursion_limit)
        try:
            text, blobs = encode(result, root="result")
        except TypeError as error:
            text, blobs = encode({"ok": False, "error": describe(error, filename)})
        del result  # its handles' wrappers die here, so this run's notes release them
        return to_js([_with_notes(text, self._state.take_notes()), *blobs])

    def _restore(self, shadowed: dict[str, Any]) -> None:
        for name, previous in shadowed.items():
            if previous is _MISSING:
                self._globals.pop(name, None)
            else:
                self._globals[name] = previous

    def _host_function(self, name: str) -> Callable[..., Any]:
        def host_function(*args: Any, **kwargs: Any) -> Any:
            return self._call(name, args, kwargs)

        host_function.__name__ = host_function.__qualname__ = name
        host_function.__doc__ = f"Call the host function {name!r}; returns the host's answer."
        return host_function

    def _call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if name not in self._declared and not name.startswith("$"):  # "$...": the bridge's own
            # A stub kept from an earlier run: nobody on the host side would answer it.
            raise RuntimeError(
                f"host function {name!r} is not declared for this run: list it in extFns, or "
                "pass its handler to runWithHostFunctions (Hostcall.hostFunctions() has the "
                "standard ones)"
            )
        self._calls_left -= 1
        if self._calls_left < 0:
            raise HostCallLimitError(
                f"the run made more host calls than its limit (maxHostCalls="
                f"{self._guard.reason().limits.maxHostCalls})"
            )
        self._next_call_id += 1
        text, blobs = encode_call(self._next_call_id, name, args, kwargs, self._state.take_notes())
        self._flush()
        # Most calls carry no bytes: then skip building and spreading an argument list.
        reply = self._request(text, *map(to_js, blobs)) if blobs else self._request(text)
        if not isinstance(reply, str):
            reply = run_sync(reply)
        answer = decode(reply, self._reply_blobs)
        if answer["ok"]:
            return answer["value"]
        raise host_exception(answer["error"])

    def _on_signal(self, signum: int, frame: object) -> None:
        """SIGINT comes from the guard (js/worker/guard.js): raise what its cause calls for."""
        reason = self._guard.reason()
        raise _LIMIT_ERRORS.get(reason.cause, _interrupted)(reason.limits)

    def _reply_blobs(self) -> list[bytes]:
        return [blob.to_bytes() for blob in self._channel.replyBlobs()]

    @staticmethod
    def _flush() -> None:
        # Output must reach the host before the call it precedes.
        sys.stdout.flush()
        sys.stderr.flush()


_MISSING = object()


def _interrupted(limits: Any) -> BaseException:
    return KeyboardInterrupt()


_LIMIT_ERRORS: dict[str, Callable[[Any], BaseException]] = {
    "timeout": lambda limits: TimeoutError(
        f"the run took longer than its time limit (timeoutMs={limits.timeoutMs})"
    ),
    "memory": lambda limits: MemoryError(
        f"the heap grew past the memory limit (memoryBytes={limits.memoryBytes})"
    ),
    "output": lambda limits: OutputLimitError(
        f"the run wrote more output than its limit (maxOutputBytes={limits.maxOutputBytes})"
    ),
}


async def _settle(value: Any) -> Any:
    """A coroutine function's result once awaited; anything else as it is."""
    return await value if inspect.isawaitable(value) else value


def _with_notes(done_text: str, notes: dict[str, list[int]]) -> str:
    """Append the handle ``notes`` to a done text (a JSON object)."""
    if not notes:
        return done_text
    return done_text[:-1] + "," + json.dumps(notes, separators=(",", ":"))[1:]


def describe(error: BaseException, filename: str | None) -> dict[str, Any]:
    """The ``error`` object of a failed result: type, message, frames, and the script's line."""
    frames = _user_frames(error.__traceback__, filename)
    message = str(error)
    if isinstance(error, SyntaxError) and filename is not None and error.filename == filename:
        frames.append({"filename": filename, "line": error.lineno, "name": "<module>"})
        message = error.msg
    script_lines = [f["line"] for f in frames if filename is None or f["filename"] == filename]
    return {
        "type": type(error).__name__,
        "message": message,
        "traceback": frames,
        "line": script_lines[-1] if script_lines else None,
    }


def _user_frames(tb: types.TracebackType | None, filename: str | None) -> list[dict[str, Any]]:
    """Frames from the user's script (any code, when None) inward, without hostcall's own."""
    frames = traceback.extract_tb(tb)
    first = next((i for i, f in enumerate(frames) if filename in (None, f.filename)), len(frames))
    return [
        {"filename": f.filename, "line": f.lineno, "name": f.name}
        for f in frames[first:]
        if os.path.dirname(f.filename) != _PACKAGE_DIR
    ]
