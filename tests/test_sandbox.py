"""The sandbox: user code is kept from the worker's JavaScript unless the page allows it,
and the worker's Content-Security-Policy keeps even allowed JavaScript off the network."""

from __future__ import annotations

import pytest

from conftest import BridgePage

FETCH_BOTH = """
import js
from pyodide.ffi import create_proxy, to_js

violations = []
js.self.addEventListener(
    "securitypolicyviolation", create_proxy(lambda e: violations.append(e.violatedDirective))
)

async def get(url):
    # no-cors: a cross-origin request that nothing but the policy would stop
    options = to_js({"mode": "no-cors"}, dict_converter=js.Object.fromEntries)
    try:
        return (await js.fetch(url, options)).status
    except Exception as error:
        return str(error)

[await get("/bridge.js"), await get("http://127.0.0.1:9/elsewhere"), violations]
"""


def test_python_in_the_worker_reaches_its_own_origin_only(bridge: BridgePage) -> None:
    bridge.js("Hostcall.init({allowJs: true})")
    result = bridge.run(FETCH_BOTH)
    own, elsewhere, violations = result["value"]
    assert own == 200
    assert "Failed to fetch" in elsewhere
    assert violations == ["connect-src"]


@pytest.mark.modes("isolated")  # the same Python in both transports
@pytest.mark.parametrize(
    "escape",
    [
        "import js",
        "from pyodide.ffi import to_js",
        "import pyodide.code",
        "__import__('pyodide_js')",
        "import importlib\nimportlib.import_module('js')",
        "import importlib._bootstrap\nimportlib._bootstrap._gcd_import('js')",
        "exec('import js')",
        "def later():\n    import js\nlater()",
    ],
)
def test_user_code_cannot_import_the_javascript_side(ready: BridgePage, escape: str) -> None:
    result = ready.run(escape)
    assert result["ok"] is False
    assert result["error"]["type"] == "ImportError"
    assert "is blocked" in result["error"]["message"]
    assert "init({allowJs: true})" in result["error"]["message"]


@pytest.mark.modes("isolated")
def test_the_standard_library_keeps_what_it_needs_from_pyodide(ready: BridgePage) -> None:
    """asyncio runs on Pyodide's event loop and imports from it: that is not user code."""
    result = ready.run(
        "import asyncio, json\nawait asyncio.sleep(0.01)\n"
        "async def twice(x): return 2 * x\n"
        "json.dumps(await asyncio.gather(twice(1), twice(2)))"
    )
    assert result["value"] == "[2, 4]"


@pytest.mark.modes("isolated")
def test_a_page_may_allow_javascript_and_a_spare_loaded_without_it_is_not_used(
    bridge: BridgePage,
) -> None:
    result = bridge.js(
        """async () => {
            const s = Hostcall.createSession({spare: true, interruptGraceMs: 100});
            await s.init();
            while (s.discover().spare !== "ready") await new Promise((r) => setTimeout(r, 20));
            const blocked = (await s.run("import js")).error.type;
            const stuck = s.run("import time\\ntime.sleep(30)").catch((e) => e.code);
            await new Promise((r) => setTimeout(r, 50));
            await s.interrupt();
            await s.init({allowJs: true});
            const allowed = await s.run("import js\\njs.self.constructor.name");
            await s.dispose();
            return {blocked, stuck: await stuck, allowed: allowed.value};
        }"""
    )
    assert result == {
        "blocked": "ImportError",
        "stuck": "terminated",
        "allowed": "DedicatedWorkerGlobalScope",
    }
