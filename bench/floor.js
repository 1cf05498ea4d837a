/**
 * `window.HostcallFloor`: the round trips hostcall's host calls are measured against,
 * taken on the spot in the same page (bench/bench.py, and the showcase's measure button).
 * Served at /bench/floor.js only when the server is asked to (`create_app(bench=True)`,
 * as `hostcall serve` does for the showcase).
 *
 * - `atomics(count)`: a raw JavaScript SharedArrayBuffer round trip (worker waits with
 *   Atomics.wait, page answers from Atomics.waitAsync); needs cross-origin isolation.
 * - `jspi(count)`: raw Pyodide (the server's, at /pyodide/) calling `run_sync` on a promise
 *   that a postMessage reply settles.
 * Each resolves with the mean microseconds per round trip of one batch of `count`.
 */
(function (global) {
  "use strict";
  const base = new URL(".", document.currentScript.src);
  let worker = null;

  function floorWorker() {
    worker ??= new Worker(new URL("floor-worker.js", base), { type: "module" });
    return worker;
  }

  function batch(message, onCall) {
    const w = floorWorker();
    return new Promise((resolve) => {
      w.onmessage = ({ data }) => (data.kind === "call" ? onCall(w, data) : resolve(data.micros));
      w.postMessage(message);
    });
  }

  async function atomics(count) {
    const sab = new SharedArrayBuffer(64);
    const header = new Int32Array(sab, 0, 4);
    let running = true;
    (async () => {
      let seen = 0;
      while (running) {
        const wait = Atomics.waitAsync(header, 0, seen);
        if (wait.async) await wait.value;
        const now = Atomics.load(header, 0);
        if (now === seen) continue;
        seen = now;
        header[3] = header[2];
        Atomics.add(header, 1, 1);
        Atomics.notify(header, 1);
      }
    })();
    try {
      return await batch({ kind: "atomics", sab, count });
    } finally {
      running = false;
      Atomics.add(header, 0, 1);
      Atomics.notify(header, 0);
    }
  }

  function jspi(count) {
    return batch({ kind: "jspi", count }, (w, { value }) => w.postMessage({ kind: "reply", value }));
  }

  global.HostcallFloor = Object.freeze({ atomics, jspi });
})(globalThis);
