"""The worker's Python half: runs user code and turns host-function calls into requests.

worker.js creates one :class:`Runner` per session with a *channel*, a JavaScript object
whose ``request(text, ...blobs)`` hands one encoded call to the host and returns the
encoded reply: directly when the transport blocks the worker (SharedArrayBuffer and
``Atomics.wait``), or as a Promise that :func:`pyodide.ffi.run_sync` waits for (JSPI).
"""

from __future__ import annotations

import builtins
import keyword
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from pyodide.code import eval_code_async
from pyodide.ffi import JsProxy, run_sync, to_js

from . import HostError, _wire
from ._wire import decode, encode, encode_call

_INTERNAL_FILES = (__file__, _wire.__file__, sys.modules[HostError.__module__].__file__)


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

    def __init__(self, channel: JsProxy) -> None:
        self._channel = channel
        self._request = channel.request  # looked up once: each JsProxy attribute access costs
        self._globals: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self._next_call_id = 0
        self._declared: frozenset[str] = frozenset()  # the host functions of the current run

    async def run(self, code: str, filename: str, ext_fns: list[str]) -> Any:
        """Run ``code``; return ``[result_json, ...blobs]`` as a JavaScript array."""
        shadowed = {name: self._globals.get(name, _MISSING) for name in ext_fns}
        self._globals.update({name: self._host_function(name) for name in ext_fns})
        self._declared = frozenset(ext_fns)
        try:
            value = await eval_code_async(code, self._globals, filename=filename)
            text, blobs = encode({"ok": True, "value": value}, root="result")
        except BaseException as error:  # every exception, SystemExit too, is a result
            text, blobs = encode({"ok": False, "error": describe(error, filename)})
        finally:
            self._flush()
            self._declared = frozenset()
            self._restore(shadowed)
        return to_js([text, *blobs])

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
        if name not in self._declared:
            # A stub kept from an earlier run: nobody on the host side would answer it.
            raise RuntimeError(f"host function {name!r} is not declared for this run (extFns)")
        self._next_call_id += 1
        text, blobs = encode_call(self._next_call_id, name, args, kwargs)
        self._flush()
        # Most calls carry no bytes: then skip building and spreading an argument list.
        reply = self._request(text, *map(to_js, blobs)) if blobs else self._request(text)
        if not isinstance(reply, str):
            reply = run_sync(reply)
        answer = decode(reply, self._reply_blobs)
        if answer["ok"]:
            return answer["value"]
        raise host_exception(answer["error"]["type"], answer["error"]["message"])

    def _reply_blobs(self) -> list[bytes]:
        return [blob.to_bytes() for blob in self._channel.replyBlobs()]

    @staticmethod
    def _flush() -> None:
        # Output must reach the host before the call it precedes.
        sys.stdout.flush()
        sys.stderr.flush()


_MISSING = object()


def host_exception(type_name: str, message: str) -> Exception:
    """The exception a host error raises in Python: the builtin of that name, else HostError."""
    builtin = getattr(builtins, type_name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except TypeError:
            pass  # a builtin that takes more than a message (UnicodeDecodeError, ...)
    return HostError(type_name, message)


def describe(error: BaseException, filename: str) -> dict[str, Any]:
    """The ``error`` object of a failed result: type, message, frames, and the script's line."""
    frames = _user_frames(error.__traceback__, filename)
    message = str(error)
    if isinstance(error, SyntaxError) and error.filename == filename:
        frames.append({"filename": filename, "line": error.lineno, "name": "<module>"})
        message = error.msg
    script_lines = [frame["line"] for frame in frames if frame["filename"] == filename]
    return {
        "type": type(error).__name__,
        "message": message,
        "traceback": frames,
        "line": script_lines[-1] if script_lines else None,
    }


def _user_frames(tb: TracebackType | None, filename: str) -> list[dict[str, Any]]:
    """Frames from the user's script inward, without hostcall's own machinery."""
    frames = traceback.extract_tb(tb)
    first = next((i for i, f in enumerate(frames) if f.filename == filename), len(frames))
    return [
        {"filename": f.filename, "line": f.lineno, "name": f.name}
        for f in frames[first:]
        if f.filename not in _INTERNAL_FILES
    ]
