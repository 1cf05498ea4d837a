/**
 * The showcase: wires the gallery, the editor, the output panel, the page area, the live
 * panel and the status bar to one hostcall session (the default one, `Hostcall`).
 */
import { EXAMPLES } from "./gallery.js";
import { createEditor } from "./editor.js";
import { createOutput } from "./output.js";
import { createHandleTable, floorOf, measureHostCalls } from "./live.js";

const SCRIPT_NAME = "main.py";
const $ = (id) => document.getElementById(id);

/** What the page is doing: "loading" | "ready" | "running" | "measuring" | "failed". */
let phase = "loading";
let info = null;
let selected = EXAMPLES[0];
let editor = null;

// spare: a second worker stays loaded, so that after Stop has to terminate Python the next
// run starts at once instead of loading Pyodide again.
const INIT_OPTIONS = { onProgress: showProgress, spare: true };

const output = createOutput($("output"), SCRIPT_NAME);
const handleTable = createHandleTable({ count: $("handle-count"), rows: $("handle-rows"), empty: $("handle-empty") });

// ---- phases: which controls work when ----

const PHASE_TEXT = { ready: "Ready", running: "Running main.py…", measuring: "Measuring host calls…" };

function setPhase(next) {
  phase = next;
  if (next in PHASE_TEXT) {
    $("status-text").textContent = PHASE_TEXT[next];
    $("status-state").dataset.state = next;
  }
  const idle = next === "ready";
  $("run").disabled = !idle;
  $("measure").disabled = !idle;
  $("stop").disabled = next !== "running";
  for (const button of document.querySelectorAll(".gallery-run")) button.disabled = !idle;
}

// ---- status bar ----

function showProgress({ loaded, total }) {
  const progress = $("load-progress");
  progress.hidden = false;
  progress.max = total || 1;
  progress.value = loaded;
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  $("status-text").textContent = total
    ? `Loading Python… ${mb(loaded)} of ${mb(total)} MB`
    : `Loading Python… ${mb(loaded)} MB`;
}

function showReady(started) {
  $("load-progress").hidden = true;
  const transport = $("status-transport");
  const reason = document.createElement("span");
  reason.className = "reason";
  reason.textContent = ` ${info.reason}`;
  transport.replaceChildren(badge(info.transport), reason);
  $("status-versions").textContent = `Pyodide ${info.pyodideVersion} · Python ${info.pythonVersion}`;
  $("status-startup").textContent = `started in ${((performance.now() - started) / 1000).toFixed(2)} s`;
  showIsolationNotice();
}

function badge(text) {
  const span = document.createElement("span");
  span.className = `badge ${text}`;
  span.textContent = text;
  return span;
}

/** Without cross-origin isolation, say what was lost rather than let it surprise. */
function showIsolationNotice() {
  const notice = $("isolation-notice");
  notice.hidden = info.transport === "atomics";
  if (notice.hidden) return;
  notice.replaceChildren(
    strong("Not cross-origin isolated"),
    " (no COOP/COEP headers): host calls use JSPI instead of shared memory. Lost: speed "
    + "(each call is a postMessage round trip; see Measure), and Stop during pure computation, "
    + "which terminates and restarts the worker after 1 s instead of raising KeyboardInterrupt.",
  );
}

function strong(text) {
  const element = document.createElement("strong");
  element.textContent = text;
  return element;
}

// ---- starting Python ----

/** Loads (or, after a termination, reloads) Python; the status bar follows. */
async function startPython(why = "Loading Python…") {
  setPhase("loading");
  $("status-state").dataset.state = "loading";
  $("status-text").textContent = why;
  const started = performance.now();
  try {
    info = await Hostcall.init(INIT_OPTIONS);
  } catch (error) {
    setPhase("failed");
    $("status-state").dataset.state = "failed";
    $("load-progress").hidden = true;
    $("status-text").textContent = `Python could not load (${error.code ?? error.name}): ${error.message}`;
    return;
  }
  showReady(started);
  setPhase("ready");
}

// ---- running ----

let server = null;

/** The server's host functions (hostcall serve offers demo ones); none if it has none. */
async function serverFunctions() {
  server ??= Hostcall.connect("/hostcall").catch((error) => {
    output.note(`The server's host functions are unavailable: ${error.message}`, "explain");
    server = null; // try again on the next run
    return { handlers: {} };
  });
  return (await server).handlers;
}

function timeLimitMs() {
  const seconds = Number.parseFloat($("time-limit").value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
}

async function run() {
  if (phase !== "ready") return;
  setPhase("running");
  // What ran, for its traceback: the person may open another example meanwhile.
  const example = selected;
  const code = editor.code();
  output.clear();
  $("page-area").replaceChildren();
  const limit = timeLimitMs();
  output.note(`▶ ${example.title}${limit ? ` (time limit ${limit / 1000} s)` : ""}`, "start");
  handleTable.watch(true);
  const started = performance.now();
  let restart = false;
  try {
    const result = await Hostcall.runWithHostFunctions(
      code,
      { ...Hostcall.hostFunctions({ root: $("page-area") }), ...await serverFunctions() },
      { scriptName: SCRIPT_NAME, limits: limit ? { timeoutMs: limit } : {}, onOutput: output.write },
    );
    const took = `${((performance.now() - started) / 1000).toFixed(2)} s`;
    if (result.ok) {
      output.value(result.value);
      output.note(`✓ finished in ${took}`, "done");
    } else {
      output.pythonError(result.error, code, (line) => {
        if (selected !== example) select(example);
        editor.goToLine(line);
      });
      output.note(`✗ ${result.error.type} after ${took}`, "failed");
    }
  } catch (error) {
    restart = reportFailure(error);
  } finally {
    handleTable.watch(false);
  }
  if (restart) await startPython("Restarting Python (the worker was stopped)…");
  else setPhase("ready");
}

/** A rejection of the bridge (typed by `code`); returns whether the worker must restart. */
function reportFailure(error) {
  const code = error instanceof Hostcall.HostcallError ? error.code : null;
  output.note(`✗ ${error.name}${code ? ` [${code}]` : ""}: ${error.message}`, "failed");
  if (code === "terminated") {
    output.note(info?.transport === "jspi"
      ? "Without cross-origin isolation Stop cannot reach Python while it computes, so the "
        + "worker was terminated. A warm spare worker takes over: the next run starts at once, "
        + "with fresh globals."
      : "Python did not stop in time, so the worker was terminated. A warm spare worker takes over.",
    "explain");
  }
  return code === "terminated" || code === "worker-crashed";
}

async function stop() {
  if (phase !== "running") return;
  $("stop").disabled = true;
  output.note(info.transport === "atomics"
    ? "■ Stop: KeyboardInterrupt sent"
    : "■ Stop: sent. Python waiting in a host call stops at once; Python computing cannot "
      + "hear it without isolation and is terminated after 1 s", "stop");
  try {
    await Hostcall.interrupt();
  } catch (error) {
    output.note(`Stop failed (${error.code ?? error.name}): ${error.message}`, "failed");
  }
}

// ---- measure ----

async function measure() {
  if (phase !== "ready") return;
  setPhase("measuring");
  const about = $("measure-about");
  const floor = floorOf(info.transport);
  try {
    const { hostcall, floor: raw } = await measureHostCalls(info.transport, (text) => {
      about.textContent = `Measuring: ${text}`;
    });
    $("measure-hostcall").textContent = hostcall.toFixed(1);
    $("measure-floor").textContent = raw.toFixed(1);
    $("measure-ratio").textContent = `${(hostcall / raw).toFixed(2)}×`;
    about.textContent = `Median µs per call of 3 batches of 2,000 on ${info.transport}; `
      + `the floor is ${floor.about}, with no hostcall code on either side.`;
  } catch (error) {
    about.textContent = `The measurement failed: ${error.message}`;
  } finally {
    setPhase("ready");
  }
}

// ---- gallery ----

function renderGallery() {
  const list = $("gallery");
  for (const example of EXAMPLES) {
    const item = document.createElement("li");
    const open = document.createElement("button");
    open.type = "button";
    open.className = "gallery-open";
    open.dataset.example = example.id;
    open.append(strong(example.title), document.createElement("br"), example.uses.join(" · "));
    open.addEventListener("click", () => select(example));
    const go = document.createElement("button");
    go.type = "button";
    go.className = "gallery-run";
    go.disabled = true;
    go.setAttribute("aria-label", `Run ${example.title}`);
    go.textContent = "▶";
    go.addEventListener("click", () => {
      select(example);
      run();
    });
    item.append(open, go);
    list.append(item);
  }
}

function select(example) {
  selected = example;
  for (const button of document.querySelectorAll(".gallery-open")) {
    button.setAttribute("aria-pressed", String(button.dataset.example === example.id));
  }
  $("example-about").textContent = example.about;
  $("time-limit").value = example.limits?.timeoutMs ? String(example.limits.timeoutMs / 1000) : "";
  editor?.show(example.id, example.code);
  history.replaceState(null, "", `#${example.id}`);
}

// ---- start-up ----

function onShortcut(event) {
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && !event.defaultPrevented) {
    event.preventDefault();
    run();
  }
}

async function main() {
  renderGallery();
  const fromHash = EXAMPLES.find((example) => `#${example.id}` === location.hash);
  select(fromHash ?? EXAMPLES[0]);
  $("run").addEventListener("click", run);
  $("stop").addEventListener("click", stop);
  $("measure").addEventListener("click", measure);
  $("clear-output").addEventListener("click", () => output.clear());
  document.addEventListener("keydown", onShortcut);
  if (/Mac|iPhone|iPad/.test(navigator.platform)) $("run").querySelector("kbd").textContent = "⌘ ↵";
  const python = startPython();
  editor = await createEditor($("editor"), {
    onRun: run,
    onFallback: (error) => {
      const notice = $("editor-notice");
      notice.hidden = false;
      notice.textContent = `The code editor (CodeMirror) could not be loaded, so this is a plain `
        + `text area. (${error.message}) \`hostcall setup\` fetches the editor.`;
    },
  });
  $("editor").dataset.editor = editor.kind;
  editor.show(selected.id, selected.code);
  await python;
}

main().catch((error) => {
  $("status-text").textContent = `The page failed to start: ${error.message}`;
  throw error;
});
