"""Limits, interrupt and termination end to end, with the page isolated and not."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import BridgePage

SETTLE = """const settle = (p) => p.then(
    (r) => ({ok: r.ok, type: r.error?.type, message: r.error?.message, stdout: r.stdout,
             stderr: r.stderr, value: r.value}),
    (e) => ({rejected: e.code, message: e.message}));"""


def settled(bridge: BridgePage, body: str, arg: Any = None) -> Any:
    """Run an async function body that may use ``settle(promise)``."""
    return bridge.js(f"async (arg) => {{ {SETTLE}\n{body} }}", arg)


@pytest.mark.parametrize(
    ("code", "limits", "error_type", "fragment"),
    [
        ("while True: pass", {"timeoutMs": 200}, "TimeoutError", "timeoutMs=200"),
        ("def f(n): return f(n + 1)\nf(0)", {"recursionDepth": 100}, "RecursionError", ""),
        (
            "while True: print('x' * 1000)",
            {"maxOutputBytes": 20_000},
            "OutputLimitError",
            "maxOutputBytes=20000",
        ),
        ("while True: ping()", {"maxHostCalls": 50}, "HostCallLimitError", "maxHostCalls=50"),
        (
            "hoard = []\nwhile True: hoard.append(bytearray(10**6))",
            {"memoryBytes": 300 * 2**20},
            "MemoryError",
            "memoryBytes=314572800",
        ),
    ],
    ids=["timeout", "recursion", "output", "host-calls", "memory"],
)
def test_each_limit_ends_the_run_with_its_error_and_the_session_goes_on(
    ready: BridgePage, code: str, limits: dict[str, int], error_type: str, fragment: str
) -> None:
    result = settled(
        ready,
        """const [code, limits] = arg;
        const over = await settle(Hostcall.runWithHostFunctions(code, {ping: () => 1}, {limits}));
        const next = await settle(Hostcall.run("hoard = None\\n6 * 7"));
        return {over, next};""",
        [code, limits],
    )
    assert result["over"].get("ok") is False, result
    assert result["over"]["type"] == error_type
    assert fragment in result["over"]["message"]
    assert result["next"]["value"] == 42
    if error_type == "OutputLimitError":
        assert len(result["over"]["stdout"]) <= 20_000


def test_time_paused_in_host_calls_does_not_count(ready: BridgePage) -> None:
    result = settled(
        ready,
        """return settle(Hostcall.runWithHostFunctions("wait()\\nwait()\\n'done'",
            {wait: () => new Promise((resolve) => setTimeout(resolve, 300))},
            {limits: {timeoutMs: 200}}));""",
    )
    assert result["ok"] is True and result["value"] == "done"


def test_session_limits_apply_to_every_run_and_a_run_may_lift_them(bridge: BridgePage) -> None:
    result = settled(
        bridge,
        """const session = Hostcall.createSession({limits: {maxHostCalls: 2}});
        await session.init();
        const handlers = {f: () => 1};
        const capped = await settle(session.runWithHostFunctions("f()\\nf()\\nf()", handlers));
        const lifted = await settle(session.runWithHostFunctions("f()\\nf()\\nf()", handlers,
            {limits: {maxHostCalls: null}}));
        await session.dispose();
        return [capped.type, lifted.ok];""",
    )
    assert result == ["HostCallLimitError", True]


@pytest.mark.parametrize(
    "limits",
    [
        "{timeoutMs: -1}",
        "{memoryBytes: 'lots'}",
        "{maxHostCalls: Infinity}",
        "{recursionDepth: 1.5}",
        "[]",
        "{depth: 1}",
    ],
)
def test_bad_limits_are_refused(ready: BridgePage, limits: str) -> None:
    error = ready.failure(f"() => Hostcall.run('1', {{limits: {limits}}})")
    assert error["code"] == "invalid-argument"
    assert "limit" in error["message"]


@pytest.mark.modes("isolated")  # without shared memory: the next test
def test_interrupt_stops_a_busy_loop_without_losing_a_signal(ready: BridgePage) -> None:
    result = settled(
        ready,
        """let stopped = 0;
        const tries = 1000;
        for (let i = 0; i < tries; i++) {
            const run = Hostcall.run("while True: pass");
            // Half of the interrupts land before Python starts, half while it loops.
            if (i % 2) await new Promise((resolve) => setTimeout(resolve, 0));
            await Hostcall.interrupt();
            const r = await run;
            if (r.error?.type === "KeyboardInterrupt") stopped++;
        }
        return {tries, stopped, after: (await Hostcall.run("1 + 1")).value};""",
    )
    lost = result["tries"] - result["stopped"]
    print(f"interrupts: {result['tries']} sent, {result['stopped']} stopped, {lost} lost")
    assert result == {"tries": 1000, "stopped": 1000, "after": 2}


@pytest.mark.modes("open")
def test_interrupt_terminates_python_it_cannot_reach(ready: BridgePage) -> None:
    """Without shared memory a message cannot reach a worker busy in Python: after the grace
    period the worker is terminated, and the session restarts on its next use."""
    result = settled(
        ready,
        """const run = settle(Hostcall.run("while True: pass"));
        await new Promise((resolve) => setTimeout(resolve, 50));
        await Hostcall.interrupt();
        const stopped = await run;
        const info = Hostcall.discover();
        return {stopped, loaded: info.loaded, lastCrash: info.lastCrash,
                next: (await Hostcall.run("'fresh'")).value};""",
    )
    assert result["stopped"]["rejected"] == "terminated"
    assert "did not stop within 1000 ms of interrupt()" in result["stopped"]["message"]
    assert result["loaded"] is False and "terminated" in result["lastCrash"]
    assert result["next"] == "fresh"


def test_interrupt_raises_at_a_pending_host_call(ready: BridgePage) -> None:
    result = settled(
        ready,
        """let answer;
        const run = settle(Hostcall.runWithHostFunctions(`
try:
    wait()
    outcome = "answered"
except KeyboardInterrupt:
    outcome = "interrupted"
outcome`, {wait: () => new Promise((resolve) => { answer = resolve; })}));
        while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));
        await Hostcall.interrupt();
        const done = await run;
        answer("too late");  // the handler finishing afterwards changes nothing
        const low = await Hostcall.start("ask()", {extFns: ["ask"]});
        const ended = Hostcall.interrupt();
        await ended;
        const resumeLate = await Hostcall.resume(1).then(() => "resolved", (e) => e.code);
        return {done, low: low.state, resumeLate, next: (await Hostcall.run("2")).value};""",
    )
    assert result["done"]["value"] == "interrupted"
    assert result["low"] == "pending"
    assert result["resumeLate"] == "no-pending-call"
    assert result["next"] == 2


def test_python_stuck_in_c_code_is_terminated_and_replaced(ready: BridgePage) -> None:
    result = settled(
        ready,
        """let asleep;
        const sleeping = new Promise((resolve) => { asleep = resolve; });
        const stuck = settle(Hostcall.run("import time\\nprint('asleep')\\ntime.sleep(30)",
            {onOutput: asleep}));
        // Past the print Python is in the sleep, out of the interrupt's reach (waiting a
        // fixed time instead lets a loaded machine interrupt it before, where it can).
        await sleeping;
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = performance.now();
        await Hostcall.interrupt();
        const waited = performance.now() - started;
        const after = await settle(Hostcall.run("'alive'"));
        return {stuck: await stuck, waitedEnough: waited >= 900, after};""",
    )
    assert result["stuck"]["rejected"] == "terminated"
    assert result["waitedEnough"] is True
    assert result["after"]["value"] == "alive"


def test_a_warm_spare_takes_over_after_a_kill(bridge: BridgePage) -> None:
    result = settled(
        bridge,
        """let progress = 0;
        const s = Hostcall.createSession({spare: true, interruptGraceMs: 100,
                                          onProgress: () => { progress++; }});
        await s.init();
        while (s.discover().spare !== "ready") await new Promise((r) => setTimeout(r, 20));
        await s.run("x = 'the old worker'");
        const stuck = settle(s.run("import time\\ntime.sleep(30)"));
        await new Promise((resolve) => setTimeout(resolve, 50));
        await s.interrupt();
        const loadsBefore = progress;
        const after = await s.run("'x' in globals()");
        const info = s.discover();
        await s.dispose();
        return {stuck: await stuck, fresh: after.value === false, loads: progress - loadsBefore,
                nextSpare: info.spare !== null, spareAfterDispose: s.discover().spare};""",
    )
    assert result["stuck"]["rejected"] == "terminated"
    assert result["fresh"] is True
    assert result["loads"] == 0  # the spare had loaded already: no progress to report
    assert result["nextSpare"] is True  # and a new one is on its way
    assert result["spareAfterDispose"] is None


def test_a_swallowed_timeout_still_ends_the_run(ready: BridgePage) -> None:
    # The limit is long enough that the run is inside its try when it trips: one that expired
    # while a loaded machine was still starting the run would trip before the try, and escape.
    result = settled(
        ready,
        """return settle(Hostcall.run(`
while True:
    try:
        while True:
            pass
    except TimeoutError:
        pass`, {limits: {timeoutMs: 1000}}));""",
    )
    assert result["rejected"] == "terminated"
    assert "ran past its time limit (timeoutMs=1000)" in result["message"]


def test_a_timeout_caught_after_a_stall_is_not_raised_again_inside_its_handler(
    ready: BridgePage,
) -> None:
    # The handler stalls in C code past the 20 ms quiet time (as a descheduled worker on a
    # loaded machine does), then runs a few hundred bytecodes: the limit must not trip again
    # there, outside the try, so the run is still swallowing when the watchdog ends it.
    result = settled(
        ready,
        """return settle(Hostcall.run(`
while True:
    try:
        while True:
            pass
    except TimeoutError:
        sum(range(5_000_000))  # C code: no poll until it returns
        for _ in range(200):
            pass`, {limits: {timeoutMs: 1000}}));""",
    )
    assert result.get("rejected") == "terminated", result
    assert "ran past its time limit (timeoutMs=1000)" in result["message"]


def test_a_crash_in_one_session_leaves_the_other_running(bridge: BridgePage) -> None:
    result = settled(
        bridge,
        """const [a, b] = [Hostcall.createSession(), Hostcall.createSession()];
        await Promise.all([a.init({allowJs: true}), b.init()]);  // a's ctypes crash needs allowJs
        await b.run("kept = 'b survives'");
        let callback, queued;
        await a.runWithHostFunctions("hold(print)", {hold: (f) => { callback = f; }});
        const crashed = await settle(a.runWithHostFunctions(
            "queue_a_callback()\\nimport ctypes\\nctypes.string_at(2**32 - 16, 64)",
            {queue_a_callback: () => { queued = settle(callback("never printed")); }}));
        const other = await b.run("kept");
        const again = await a.run("'a again'");
        await Promise.all([a.dispose(), b.dispose()]);
        return {crashed, queued: await queued, other: other.value, again: again.value};""",
    )
    assert result["crashed"]["rejected"] == "worker-crashed"
    assert "fatal error" in result["crashed"]["message"]
    assert result["queued"]["rejected"] == "worker-crashed"
    assert result["other"] == "b survives"
    assert result["again"] == "a again"


@pytest.mark.modes("isolated")  # the runner's own handling, the same in both transports
def test_a_sigint_handler_of_one_run_does_not_disable_the_limits_of_the_next(
    ready: BridgePage,
) -> None:
    result = settled(
        ready,
        """await Hostcall.run("import signal\\nsignal.signal(signal.SIGINT, lambda *a: None)");
        return settle(Hostcall.run("while True: pass", {limits: {timeoutMs: 100}}));""",
    )
    assert result["type"] == "TimeoutError"


@pytest.mark.modes("isolated")  # the runner's own handling, the same in both transports
def test_a_limit_exceeded_deep_in_the_stack_is_still_the_runs_result(ready: BridgePage) -> None:
    """Describing 2,500 frames takes longer than the guard's quiet time after a signal: the
    limit, still exceeded, must not trip again while the error is being described."""
    result = settled(
        ready,
        """return settle(Hostcall.run(`
import sys
sys.setrecursionlimit(5000)
def f(n):
    if n:
        return f(n - 1)
    while True:
        pass
f(2500)`, {limits: {timeoutMs: 100}}));""",
    )
    assert result["type"] == "TimeoutError"
    assert result["ok"] is False
