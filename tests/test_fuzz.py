"""Bad input at scale: every bridge method fed malformed arguments, and the worker's messages
fed garbage. Each case must settle with a typed error (or a well-formed answer), never hang,
and leave the page working."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import BridgePage

# Argument checks and message handling are the bridge's own, above either transport.
pytestmark = pytest.mark.modes("isolated")

# Values no method expects. Built in the page: some cannot be serialized by Playwright.
BAD_VALUES = """() => {
    const cyclic = {}; cyclic.self = cyclic;
    const cyclicList = [1]; cyclicList.push(cyclicList);
    let deep = [];
    for (let i = 0; i < 10000; i++) deep = [deep];
    let deepObject = {};
    for (let i = 0; i < 10000; i++) deepObject = {d: deepObject};
    return [
        undefined, null, true, 0, -1, 1.5, NaN, Infinity, -Infinity, 2n ** 80n, "", "x",
        "\\u0000", "x".repeat(10_000_000), Symbol("s"), () => 1, [], [1, "a"], {},
        {type: 1, message: 2}, {extFns: "f"}, {limits: {timeoutMs: NaN}}, {kwargs: []},
        cyclic, cyclicList, deep, deepObject, new Date(NaN), new Map([[{}, 1]]),
        new Proxy({}, {get() { throw new Error("hostile getter"); }}), document.body,
        new ArrayBuffer(8), Object.create(null),
    ];
}"""

# Each method with the argument positions to fuzz, on a session that is initialised.
METHODS = """{
    run: 2, start: 2, resume: 1, resumeWithError: 1, call: 3, runWithHostFunctions: 3,
    register: 1, unregister: 1, hostFunctions: 1, init: 1, interrupt: 0, snapshot: 1,
    restore: 1, handleCount: 0, handles: 0, discover: 0,
}"""


def test_every_method_answers_every_bad_argument_with_a_typed_error(bridge: BridgePage) -> None:
    report: dict[str, Any] = bridge.js(
        f"""async () => {{
            const bad = ({BAD_VALUES})();
            const methods = {METHODS};
            const session = Hostcall.createSession();
            await session.init();
            const counts = {{tried: 0, typed: 0, answered: 0, untyped: [], hangs: []}};
            const HANG_MS = 10000;
            for (const [name, arity] of Object.entries(methods)) {{
                for (let position = 0; position < Math.max(arity, 1); position++) {{
                    for (const [index, value] of bad.entries()) {{
                        const args = Array(arity).fill(undefined);
                        if (arity) args[position] = value;
                        // A string of code or a name where the method wants one, so that the
                        // other position's value is what gets judged.
                        if (["run", "start", "call", "runWithHostFunctions"].includes(name) && position > 0) args[0] = "1";
                        counts.tried++;
                        const label = `${{name}}(arg ${{position + 1}} = bad[${{index}}])`;
                        let outcome;
                        try {{
                            outcome = await Promise.race([
                                Promise.resolve().then(() => session[name](...args)).then(
                                    () => "answered",
                                    (error) => error instanceof Hostcall.HostcallError
                                        || error instanceof Hostcall.PythonError ? "typed" : `untyped ${{error}}`),
                                new Promise((resolve) => setTimeout(() => resolve("hang"), HANG_MS)),
                            ]);
                        }} catch (error) {{
                            outcome = `untyped ${{error}}`;
                        }}
                        if (outcome === "hang") {{
                            counts.hangs.push(label);
                            await session.dispose();  // settle what hangs, go on fresh
                            await session.init();
                        }} else if (outcome === "typed") counts.typed++;
                        else if (outcome === "answered") counts.answered++;
                        else counts.untyped.push(`${{label}}: ${{outcome}}`);
                        // Whatever it was, a run paused at a host call must not block the next case.
                        if (session.discover().busy) await session.interrupt();
                    }}
                }}
            }}
            counts.working = (await session.run("6 * 7")).value;
            await session.dispose();
            return counts;
        }}"""
    )
    print(
        f"fuzz: {report['tried']} cases tried, {report['typed']} typed errors, "
        f"{report['answered']} answered, {len(report['untyped'])} untyped, "
        f"hangs: {len(report['hangs'])}"
    )
    assert report["hangs"] == []
    assert report["untyped"] == [], "\n".join(report["untyped"])
    assert report["working"] == 42
    assert report["typed"] > report["tried"] // 2


def test_garbage_from_the_worker_is_a_crash_never_a_hang(bridge: BridgePage) -> None:
    """The bridge's side of the protocol: messages a worker should never send."""
    report: dict[str, Any] = bridge.js(
        """async () => {
            // Reach the real worker of a session by wrapping the constructor, test-only.
            const RealWorker = window.Worker;
            const made = [];
            window.Worker = class extends RealWorker {
                constructor(...args) { super(...args); made.push(this); }
            };
            const garbage = [
                null, 42, "text", {}, {type: "nonsense"}, {type: "done", id: 999999, text: "{}", blobs: []},
                {type: "failed", id: -1, code: "internal", message: "x"},
                {type: "output", stream: "stdout", text: 5, seq: "x"},
                {type: "call", text: "not json", blobs: [], outputSeq: 0},
                {type: "done", text: "{]", blobs: []},
                {type: "progress", loaded: "a", total: null},
            ];
            const results = [];
            for (const message of garbage) {
                const session = Hostcall.createSession();
                await session.init();
                const worker = made.at(-1);
                const running = session.runWithHostFunctions("wait()", {wait: () => new Promise(() => {})})
                    .then((r) => r.error?.type ?? "completed", (e) => e.code ?? `untyped ${e}`);
                await new Promise((resolve) => setTimeout(resolve, 50));
                worker.onmessage(new MessageEvent("message", {data: message}));
                const later = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
                // Garbage the bridge ignores leaves the run waiting in wait(): stop it.
                if (await Promise.race([running, later(300, "waiting")]) === "waiting") session.interrupt();
                const outcome = await Promise.race([running, later(5000, "hang")]);
                const after = await session.run("'ok'").then((r) => r.value, (e) => e.code);
                results.push({message: JSON.stringify(message), outcome, after, busy: session.discover().busy});
                await session.dispose();
            }
            window.Worker = RealWorker;
            return results;
        }"""
    )
    for result in report:
        assert result["outcome"] != "hang", result
        assert not result["outcome"].startswith("untyped"), result
        assert result["after"] == "ok", result
    outcomes = {r["message"]: r["outcome"] for r in report}
    # A message the bridge cannot make sense of ends the worker: nothing after it is trusted.
    assert outcomes['{"type":"nonsense"}'] == "worker-crashed"
    assert (
        outcomes['{"type":"call","text":"not json","blobs":[],"outputSeq":0}'] == "worker-crashed"
    )
