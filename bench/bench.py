"""hostcall's benchmark: speeds as ratios against floors measured in the same run.

    .venv/bin/python bench/bench.py [--calls 2000] [--batches 7] [--stops 200]

For each transport (atomics: the page cross-origin isolated; jspi: not) it measures:
- Host calls: batches of hostcall host calls (Python calling a page function through
  ``runWithHostFunctions``) alternate with batches of that transport's floor (web/floor.js):
  for atomics a raw JavaScript SharedArrayBuffer round trip, for jspi raw Pyodide blocking
  in ``run_sync`` on a postMessage reply. Median microseconds per call of each, and the ratio.
- Stopping: the time from ``interrupt()`` to the settled run, for Python computing and for
  Python waiting in a host call (median and p99), and the time to the next run after a
  kill with a warm spare worker, each against a fresh Pyodide start (``init()`` of a new
  session). Without isolation Python computing cannot be reached: it is terminated after
  the grace period (set to 100 ms here), so that row measures the kill.
Timings on a shared machine are noisy; only the ratios within one run mean anything.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from playwright.sync_api import Page, sync_playwright

from hostcall.launch import CHROMIUM, CHROMIUM_ARGS, ServerProcess

TARGETS = {"atomics": 1.5, "jspi": 1.2}
GRACE_MS = 100
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


STOP_BATCH = """async ([count, kills, grace]) => {
    const s = Hostcall.createSession({interruptGraceMs: grace});
    let started = performance.now();
    await s.init();
    const freshStart = performance.now() - started;
    const stop = async (code, handlers, ready) => {
        const running = s.runWithHostFunctions(code, handlers).catch((e) => e);
        await ready();
        const t = performance.now();
        await s.interrupt();
        await running;
        return performance.now() - t;
    };
    const compute = [], pending = [];
    const computing = () => new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < count; i++) {
        if (i < kills) compute.push(await stop("while True: pass", {}, computing));
        let called;
        const waiting = new Promise((r) => { called = r; });
        pending.push(await stop("wait()", {wait: () => { called(); return new Promise(() => {}); }},
                                () => waiting));
    }
    await s.dispose();
    return {freshStart, compute, pending};
}"""

RESTART_BATCH = """async ([count, grace]) => {
    const s = Hostcall.createSession({spare: true, interruptGraceMs: grace});
    await s.init();
    const restarts = [];
    for (let i = 0; i < count; i++) {
        while (s.discover().spare !== "ready") await new Promise((r) => setTimeout(r, 20));
        const stuck = s.run("import time\\ntime.sleep(60)").catch((e) => e.code);
        await new Promise((r) => setTimeout(r, 20));
        await s.interrupt();
        if (await stuck !== "terminated") throw new Error("the stuck run was not terminated");
        const t = performance.now();
        await s.run("1");
        restarts.push(performance.now() - t);
    }
    await s.dispose();
    return restarts;
}"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_stops(page: Page, transport: str, stops: int) -> dict[str, Any]:
    """Interrupt latencies and restart times (ms) with the fresh start they are compared to."""
    # Without isolation each interrupt of computing Python kills the worker and the next
    # one loads Pyodide again: a few of those are enough.
    kills = stops if transport == "atomics" else 5
    result: dict[str, Any] = page.evaluate(STOP_BATCH, [stops, kills, GRACE_MS])
    result["restarts"] = page.evaluate(RESTART_BATCH, [5, GRACE_MS])
    return result


def report_stops(transport: str, result: dict[str, Any]) -> None:
    fresh = result["freshStart"]
    print(f"stopping, {transport:7}: fresh Pyodide start {fresh:7.1f} ms")
    rows = {
        "interrupt, computing": result["compute"],
        "interrupt, in a call": result["pending"],
        "next run after a kill": result["restarts"],
    }
    for label, values in rows.items():
        median, p99 = statistics.median(values), percentile(values, 0.99)
        print(
            f"  {label:22}: median {median:7.1f} ms ({median / fresh:.4f} of a fresh start), "
            f"p99 {p99:7.1f} ms ({p99 / fresh:.4f}), n={len(values)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="host calls per batch")
    parser.add_argument("--batches", type=int, default=7, help="batches of each kind")
    parser.add_argument("--stops", type=int, default=200, help="interrupts of each kind")
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
                stops = measure_stops(page, transport, args.stops)
            finally:
                server.stop()
            ratio = result["hostcall"] / result["floor"]
            verdict = "meets" if ratio <= TARGETS[transport] else "misses"
            print(
                f"host call, {transport:7}: hostcall {result['hostcall']:7.1f} µs, "
                f"floor {result['floor']:7.1f} µs, ratio {ratio:5.2f} "
                f"({verdict} the target of {TARGETS[transport]}x)"
            )
            report_stops(transport, stops)
        browser.close()


if __name__ == "__main__":
    main()
