"""Start-up from a memory snapshot of freshly loaded Pyodide (bridge.js, startupSnapshot)."""

from __future__ import annotations

import pytest

from conftest import BridgePage

CACHED_SIZE = """async () => {
    const cache = await caches.open("hostcall-startup");
    const response = await cache.match(new URL("/pyodide/hostcall-startup-snapshot", location.href));
    return response ? (await response.arrayBuffer()).byteLength : null;
}"""


@pytest.mark.modes("isolated")  # Cache Storage and Pyodide's loader: the same in both transports
def test_a_snapshot_of_another_build_is_refused_and_replaced(bridge: BridgePage) -> None:
    bridge.js(
        """async () => {
            const cache = await caches.open("hostcall-startup");
            await cache.put(new URL("/pyodide/hostcall-startup-snapshot", location.href),
                            new Response(new Uint8Array(4096)));
        }"""
    )
    bridge.init()
    assert bridge.run("import json\njson.dumps([6 * 7])")["value"] == "[42]"
    size = bridge.js(CACHED_SIZE)
    assert size is not None and size > 10 * 2**20  # a real heap snapshot took its place


@pytest.mark.modes("isolated")
def test_a_session_may_load_without_a_snapshot(bridge: BridgePage) -> None:
    result = bridge.js(
        """async () => {
            await caches.delete("hostcall-startup");
            const s = Hostcall.createSession({startupSnapshot: false});
            await s.init();
            const value = (await s.run("6 * 7")).value;
            await s.dispose();
            return {value, cached: await caches.has("hostcall-startup")};
        }"""
    )
    assert result == {"value": 42, "cached": False}


def test_sessions_started_from_the_snapshot_are_independent(bridge: BridgePage) -> None:
    """Two workers restored from the same heap share nothing afterwards."""
    result = bridge.js(
        """async () => {
            const [a, b] = [Hostcall.createSession(), Hostcall.createSession()];
            await a.init();
            await b.init();  // from the snapshot a's load left in this page
            await a.run("import sys\\nsys.tag = 'a'");
            const seen = (await b.run("import sys\\ngetattr(sys, 'tag', 'untagged')")).value;
            const ask = await b.runWithHostFunctions("ask(20) + 1", {ask: (x) => x * 2});
            await Promise.all([a.dispose(), b.dispose()]);
            return {seen, ask: ask.value};
        }"""
    )
    assert result == {"seen": "untagged", "ask": 41}
