"""The worker's state (worker/python/hostcall/_host.py) under CPython: one ``HostState`` per
Runner holds the call function, the handle notes and the objects the page holds, and a new
Runner's starts empty. End to end, in the browser: tests/test_handles.py and test_calls.py.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import pytest

import worker_package

worker = worker_package.load()
_host: Any = importlib.import_module(f"{worker_package.NAME}._host")
_wire: Any = importlib.import_module(f"{worker_package.NAME}._wire")


def calls_into(log: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> Any:
    """A Runner's call function that records each call and answers its name."""

    def call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        log.append((name, args, kwargs))
        return name

    return call


def handle(id: int) -> Any:
    """A handle as the codec decodes it from the page."""
    return _wire.decode(f'{{"$hc":"handle","id":{id},"kind":"element"}}')


def test_host_calls_go_to_the_newest_runners_state() -> None:
    first: list[Any] = []
    second: list[Any] = []
    _host.connect(calls_into(first))
    assert worker.call("a", 1, k=2) == "a"
    state = _host.connect(calls_into(second))
    assert _host.current() is state
    assert worker.call("b") == "b"
    assert first == [("a", (1,), {"k": 2})]
    assert second == [("b", (), {})]


def test_notes_and_exports_of_one_state_do_not_reach_the_next() -> None:
    old = _host.connect(calls_into([]))
    kept = worker.keep(handle(7))
    del kept
    gc.collect()
    ref = old.export(print)
    assert old.exported(ref) is print
    new = _host.connect(calls_into([]))
    assert new.take_notes() == {}
    with pytest.raises(LookupError, match=f"the page no longer holds Python object {ref}"):
        new.exported(ref)
    assert old.take_notes() == {"release": [7], "keep": [7]}
    assert old.take_notes() == {}


def test_a_wrapper_dying_between_runs_is_noted_for_the_next_message() -> None:
    state = _host.connect(calls_into([]))
    element = handle(3)
    assert isinstance(element, worker.Element)
    del element  # as when the garbage collector runs between two executions
    assert state.take_notes() == {"release": [3]}


def test_exports_count_up_and_the_page_forgets_them() -> None:
    state = _host.connect(calls_into([]))
    text, _ = _wire.encode([print, (n for n in range(2))])
    assert text == '[{"$hc":"callable","id":1,"name":"print"},{"$hc":"iterator","id":2}]'
    state.forget([1, 99])  # ids the worker does not hold are ignored
    with pytest.raises(LookupError):
        state.exported(1)
    assert next(state.exported(2)) == 0


def test_without_a_runner_host_calls_raise_and_dying_wrappers_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_host, "_state", None)  # as before the worker creates its Runner
    unraisable: list[Any] = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    outside = "host functions can only be called while hostcall runs this code"
    with pytest.raises(RuntimeError, match=outside):
        worker.call("now")
    with pytest.raises(RuntimeError, match=outside):
        worker.keep(handle(5))
    gc.collect()
    assert unraisable == []  # the wrappers died quietly: there is no page to tell
