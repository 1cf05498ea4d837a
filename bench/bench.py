"""hostcall's benchmark: host-call round trips as ratios against floors measured in the same run.

    .venv/bin/python bench/bench.py [--calls 2000] [--batches 7]

For each transport it alternates batches of hostcall host calls (Python calling a page
function through ``runWithHostFunctions``) with batches of that transport's floor (web/floor.js):
- atomics (cross-origin isolated page): a raw JavaScript SharedArrayBuffer round trip;
- jspi (page not isolated): raw Pyodide blocking in ``run_sync`` on a postMessage reply.
It prints the median microseconds per call of each and their ratio. Timings on a shared
machine are noisy; only the ratios within one run mean anything.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from playwright.sync_api import Page, sync_playwright

from hostcall.launch import CHROMIUM, CHROMIUM_ARGS, ServerProcess

TARGETS = {"atomics": 1.5, "jspi": 1.2}
HOSTCALL_BATCH = """async (count) => {
    const result = await Hostcall.runWithHostFunctions(
        `import time\\nstart = time.perf_counter()\\nfor i in range(${count}):\\n    echo(i)\\n`
        + `(time.perf_counter() - start) * 1e6 / ${count}`,
        {echo: (x) => x});
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
}"""


def measure(page: Page, transport: str, calls: int, batches: int) -> dict[str, float]:
    """Median microseconds per call for hostcall and for the floor, batches interleaved."""
    info: dict[str, Any] = page.evaluate("Hostcall.init()")
    assert info["transport"] == transport, info
    floor_batch = f"(count) => HostcallFloor.{transport}(count)"
    page.evaluate(floor_batch, calls)  # warm both up: the jspi floor loads its own Pyodide
    page.evaluate(HOSTCALL_BATCH, calls)
    hostcall: list[float] = []
    floor: list[float] = []
    for _ in range(batches):
        hostcall.append(page.evaluate(HOSTCALL_BATCH, calls))
        floor.append(page.evaluate(floor_batch, calls))
    return {"hostcall": statistics.median(hostcall), "floor": statistics.median(floor)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="host calls per batch")
    parser.add_argument("--batches", type=int, default=7, help="batches of each kind")
    args = parser.parse_args()
    modes = {"atomics": [], "jspi": ["--no-isolation"]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for transport, flags in modes.items():
            server = ServerProcess(*flags)
            try:
                page = browser.new_page()
                page.goto(server.url + "showcase/blank.html")
                page.add_script_tag(url=server.url + "web/floor.js")
                result = measure(page, transport, args.calls, args.batches)
            finally:
                server.stop()
            ratio = result["hostcall"] / result["floor"]
            verdict = "meets" if ratio <= TARGETS[transport] else "misses"
            print(
                f"host call, {transport:7}: hostcall {result['hostcall']:7.1f} µs, "
                f"floor {result['floor']:7.1f} µs, ratio {ratio:5.2f} "
                f"({verdict} the target of {TARGETS[transport]}x)"
            )
        browser.close()


if __name__ == "__main__":
    main()
