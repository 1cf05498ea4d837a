"""The bridge's promise methods never throw: every failure is a rejection with a code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from conftest import INSECURE_HOST, BridgePage
from serverprocess import ServerProcess

# attempt(f): how calling f went: ["threw", name, message] when it threw synchronously, else how
# its promise settled: ["resolved"] or ["rejected", name, code, message].
ATTEMPT = """
    const attempt = (f) => {
        let promise;
        try { promise = f(); } catch (e) { return ["threw", e?.name, e?.message]; }
        if (!(promise instanceof Promise)) return ["returned", String(promise)];
        return promise.then(() => ["resolved"], (e) => ["rejected", e?.name, e?.code, e?.message]);
    };
"""


def test_a_worker_of_another_origin_without_cors_rejects_saying_why(
    bridge: BridgePage, servers: dict[str, ServerProcess]
) -> None:
    """A worker of another origin starts through a blob that imports its script (docs/hosting.md);
    from a server sending no CORS that import fails: init rejects, naming what the server must
    send, and nothing is left loading."""
    other = servers["open" if bridge.mode == "isolated" else "isolated"].url  # no --cors
    outcome = bridge.js(
        f"""async (baseURL) => {{
            {ATTEMPT}
            const session = Hostcall.createSession({{baseURL}});
            const viaSession = await attempt(() => session.init());
            const loading = session.discover().loading;
            const viaDefault = await attempt(() => Hostcall.init({{baseURL}}));
            const again = await attempt(() => Hostcall.init());  // still that baseURL: same answer
            // Nothing is left loading: init with a baseURL of this origin loads.
            const info = await Hostcall.init({{baseURL: "."}});
            return {{viaSession, loading, viaDefault, again, loaded: info.loaded,
                     ran: (await Hostcall.run("6 * 7")).value}};
        }}""",
        other,
    )
    for attempt in [outcome["viaSession"], outcome["viaDefault"], outcome["again"]]:
        assert attempt == [
            "rejected",
            "HostcallError",
            "worker-crashed",
            "the worker crashed: an uncaught error in the worker: the worker script failed to load "
            f"(it is of another origin, {other.rstrip('/')}: its server must send "
            "Access-Control-Allow-Origin, as hostcall serve --cors does; docs/hosting.md)",
        ]
    assert outcome["loading"] is False
    assert (outcome["loaded"], outcome["ran"]) == (True, 42)


# A revoked Proxy throws whenever it is read: the worst argument a method can get.
HOSTILE = "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()"


@pytest.mark.modes("isolated")  # argument checks: the same whatever the transport
def test_no_promise_method_throws_synchronously(bridge: BridgePage) -> None:
    """Every promise method, given hostile arguments, before and after init, rejects typed."""
    outcome = bridge.js(
        f"""async () => {{
            {ATTEMPT}
            const hostile = {HOSTILE};
            const argumentSets = [[hostile, hostile, hostile], [null, null, null], [7, "x", 7],
                                  ["1", {{}}, hostile], ["1", [], {{limits: hostile}}],
                                  [{{baseURL: "http://other.example/"}}]];
            const methods = ["init", "run", "start", "resume", "resumeWithError", "snapshot",
                             "restore", "runWithHostFunctions", "call", "interrupt", "connect", "dispose"];
            const outcomes = [];
            for (const ready of [false, true]) {{
                if (ready) await Hostcall.init({{baseURL: "."}});  // the last init set another
                for (const method of methods) {{
                    for (const args of argumentSets) {{
                        const result = await attempt(() => Hostcall[method](...args));
                        outcomes.push([method, ready, ...result]);
                    }}
                }}
            }}
            return outcomes;
        }}"""
    )
    for method, ready, *result in outcome:
        assert result[0] in ("rejected", "resolved"), (method, ready, result)
        if result[0] == "rejected":
            assert result[1] == "HostcallError" and result[2], (method, ready, result)


def test_init_works_on_an_insecure_origin(browser: Browser) -> None:
    """A page served over plain http from a name other than localhost lacks crypto.randomUUID,
    Web Locks and Cache Storage: init must neither throw for want of them nor fail.

    The name is mapped to the loopback server by the test browser's resolver rules
    (conftest.py), so no traffic leaves this machine's loopback."""
    server = ServerProcess("--no-isolation")
    port = server.url.rsplit(":", 1)[1].strip("/")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://{INSECURE_HOST}:{port}/showcase/blank.html")
        outcome = page.evaluate(
            f"""async () => {{
                {ATTEMPT}
                const init = await attempt(() => Hostcall.init());
                return {{secure: isSecureContext, init,
                         ran: init[0] === "resolved" ? (await Hostcall.run("6 * 7")).value : null}};
            }}"""
        )
    finally:
        context.close()
        server.stop()
    assert outcome == {"secure": False, "init": ["resolved"], "ran": 42}
