/**
 * The floors hostcall's benchmark compares against (see bench/floor.js): the cheapest round
 * trip each transport's mechanism allows, with no hostcall code on either side. It loads
 * nothing a message names: its Pyodide is the server's own, beside this script.
 */
const INDEX_URL = String(new URL("../pyodide/", import.meta.url));

self.onmessage = async ({ data }) => {
  if (data.kind === "reply") return; // answers to a jspi batch, taken by its own listener
  const micros = data.kind === "atomics" ? atomicsBatch(data) : await jspiBatch(data);
  self.postMessage({ micros });
};

/** Plain JavaScript: write, wake the page, sleep until it answers. */
function atomicsBatch({ sab, count }) {
  const header = new Int32Array(sab, 0, 4);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const answered = Atomics.load(header, 1);
    header[2] = i;
    Atomics.add(header, 0, 1);
    Atomics.notify(header, 0);
    while (Atomics.load(header, 1) === answered) Atomics.wait(header, 1, answered);
  }
  return ((performance.now() - start) * 1000) / count;
}

let pyodide = null;
let answer = null;

/** Raw Pyodide: Python blocks in run_sync on a promise settled by the page's reply message. */
async function jspiBatch({ count }) {
  if (!pyodide) {
    const { loadPyodide } = await import(`${INDEX_URL}pyodide.mjs`);
    pyodide = await loadPyodide({ indexURL: INDEX_URL });
    self.addEventListener("message", ({ data }) => data.kind === "reply" && answer(data.value));
    pyodide.globals.set("ask", (value) => new Promise((resolve) => {
      answer = resolve;
      self.postMessage({ kind: "call", value });
    }));
  }
  const loop = pyodide.runPython(`
import time
from pyodide.ffi import run_sync
async def loop(count):
    start = time.perf_counter()
    for i in range(count):
        run_sync(ask(i))
    return (time.perf_counter() - start) * 1e6 / count
loop`);
  return loop(count);
}
