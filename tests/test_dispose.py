"""dispose() settles everything at once, even what waits for a host function that never returns.

Each handler here never settles (or outlives the session), so an execution that settles at all
did not wait for it.
"""

from __future__ import annotations

from typing import Any

from conftest import BridgePage

# settle(p): how a promise ended, as [outcome, code]. called(): a handler that records that it
# runs (a promise resolved on its first call) and then returns `returns()`.
HELPERS = """
    const settle = (p) => p.then((v) => ["resolved", v?.state ?? v ?? null], (e) => ["rejected", e.code]);
    const called = (returns) => {
        let started;
        const running = new Promise((resolve) => { started = resolve; });
        return {running, handler: (...args) => { started(); return returns(...args); }};
    };
    const never = () => new Promise(() => {});
"""


def scenario(page: BridgePage, body: str) -> Any:
    """Run `body` (statements using HELPERS and a fresh initialised `session`) in the page."""
    return page.js(
        f"""async () => {{
            {HELPERS}
            const session = Hostcall.createSession();
            await session.init();
            {body}
        }}"""
    )


def test_dispose_settles_a_run_whose_handler_never_returns(bridge: BridgePage) -> None:
    outcome = scenario(
        bridge,
        """
        const results = {};
        for (const [kind, returns] of [["sync", never], ["async", async () => never()]]) {
            const wait = called(returns);
            const run = settle(session.runWithHostFunctions("wait()", {wait: wait.handler}));
            await wait.running;
            results[kind] = {disposed: await settle(session.dispose()), run: await run};
            await session.init();
        }
        await session.dispose();
        return results;
        """,
    )
    expected = {"disposed": ["resolved", None], "run": ["rejected", "disposed"]}
    assert outcome == {"sync": expected, "async": expected}


def test_a_handler_that_disposes_its_session_ends_the_run_disposed(bridge: BridgePage) -> None:
    """The handler's own value or error comes too late: the session is gone."""
    outcome = scenario(
        bridge,
        """
        const results = [];
        const handlers = [
            () => { session.dispose(); return 1; },
            () => { session.dispose(); throw new RangeError("after dispose"); },
            async () => { await session.dispose(); return 1; },
        ];
        for (const stop of handlers) {
            results.push(await settle(session.runWithHostFunctions("stop()", {stop})));
            await session.init();
        }
        await session.dispose();
        return results;
        """,
    )
    assert outcome == [["rejected", "disposed"]] * 3


def test_dispose_settles_a_call_and_python_functions_waiting_for_handlers(
    bridge: BridgePage,
) -> None:
    outcome = scenario(
        bridge,
        """
        const wait = called(never);
        session.register({wait: wait.handler});
        await session.run("def f():\\n    return wait()");
        const call = settle(session.call("f"));
        await wait.running;
        const disposedCall = await settle(session.dispose());
        await session.init();

        // A Python function the page holds: one call waiting for its handler, one queued behind it.
        let f;
        await session.runWithHostFunctions("def f():\\n    return wait()\\nhold(f)", {hold: (g) => { f = g; }});
        const again = called(never);
        session.register({wait: again.handler});
        const first = settle(f());
        const queued = settle(f());
        await again.running;
        const disposedPython = await settle(session.dispose());
        return {call: await call, disposedCall, first: await first, queued: await queued,
                disposedPython, after: await settle(f())};
        """,
    )
    assert outcome == {
        "call": ["rejected", "disposed"],
        "disposedCall": ["resolved", None],
        "first": ["rejected", "disposed"],
        "queued": ["rejected", "disposed"],
        "disposedPython": ["resolved", None],
        "after": ["rejected", "stale-handle"],
    }


def test_dispose_with_a_pending_state_nobody_answers(bridge: BridgePage) -> None:
    """start() resolved `pending` and nothing resumed it: dispose() resolves, resume refuses."""
    outcome = scenario(
        bridge,
        """
        const paused = await session.start("ask()", {extFns: ["ask"]});
        let f;
        await session.dispose();
        await session.init();
        await session.runWithHostFunctions("hold(lambda: 1)", {hold: (g) => { f = g; }});
        await session.start("ask()", {extFns: ["ask"]});
        const queued = settle(f());  // a Python function's call waits behind the paused run
        const disposed = await settle(session.dispose());
        return {paused: paused.state, disposed, queued: await queued,
                resume: await settle(session.resume(1)), busy: session.discover().busy};
        """,
    )
    assert outcome == {
        "paused": "pending",
        "disposed": ["resolved", None],
        "queued": ["rejected", "disposed"],
        "resume": ["rejected", "not-initialized"],
        "busy": False,
    }
