"""The worker's Content-Security-Policy: Python in the worker is kept off the network."""

from __future__ import annotations

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


def test_python_in_the_worker_reaches_its_own_origin_only(ready: BridgePage) -> None:
    result = ready.run(FETCH_BOTH)
    own, elsewhere, violations = result["value"]
    assert own == 200
    assert "Failed to fetch" in elsewhere
    assert violations == ["connect-src"]
