/**
 * The live panel: the handle table (what page objects Python holds right now) and the
 * measure button (the cost of one host call next to the raw floor, measured on the spot).
 */

/**
 * The handle table, redrawn from `Hostcall.handles()` only when it changed.
 * @param {{count: HTMLElement, rows: HTMLElement, empty: HTMLElement}} elements
 */
export function createHandleTable({ count, rows, empty }) {
  let shown = "";
  let timer = null;

  function refresh() {
    const handles = Hostcall.handles();
    const key = JSON.stringify(handles);
    if (key === shown) return;
    shown = key;
    count.textContent = String(Hostcall.handleCount());
    empty.hidden = handles.length > 0;
    rows.replaceChildren(...handles.map((h) => row([h.id, h.kind, h.label, h.refs, h.kept ? "yes" : ""])));
  }

  return {
    refresh,
    /** While Python runs, handles come and go with each host call: poll, cheaply. */
    watch(on) {
      clearInterval(timer);
      timer = on ? setInterval(refresh, 150) : null;
      refresh();
    },
  };
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

const CALLS = 2000;
const BATCHES = 3;

// The same batch as bench/bench.py: Python times a loop of host calls to a page echo.
const HOSTCALL_BATCH = `import time
start = time.perf_counter()
for i in range(${CALLS}):
    echo(i)
(time.perf_counter() - start) * 1e6 / ${CALLS}`;

async function hostcallBatch() {
  const result = await Hostcall.runWithHostFunctions(HOSTCALL_BATCH, { echo: (x) => x });
  if (!result.ok) throw new Error(`${result.error.type}: ${result.error.message}`);
  return result.value;
}

/**
 * The floor of the transport in use (bench/floor.js): the cheapest round trip its mechanism
 * allows, with no hostcall code on either side.
 * @param {"atomics" | "jspi"} transport
 */
export function floorOf(transport) {
  return transport === "atomics"
    ? { run: (n) => HostcallFloor.atomics(n), about: "a raw JavaScript SharedArrayBuffer round trip" }
    : { run: (n) => HostcallFloor.jspi(n), about: "raw Pyodide run_sync on a postMessage reply" };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Measures as bench/bench.py does: one warm-up of each, then batches of each interleaved;
 * resolves with the median microseconds per call of hostcall and of the floor.
 * @param {"atomics" | "jspi"} transport
 * @param {(text: string) => void} progress
 */
export async function measureHostCalls(transport, progress) {
  const floor = floorOf(transport);
  progress(transport === "jspi" ? "warming up (the floor loads its own Pyodide)…" : "warming up…");
  await floor.run(CALLS);
  await hostcallBatch();
  const hostcall = [];
  const raw = [];
  for (let i = 1; i <= BATCHES; i++) {
    progress(`batch ${i} of ${BATCHES}…`);
    hostcall.push(await hostcallBatch());
    raw.push(await floor.run(CALLS));
  }
  return { hostcall: median(hostcall), floor: median(raw) };
}
