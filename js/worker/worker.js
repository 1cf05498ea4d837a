/**
 * hostcall's module worker: loads Pyodide, runs code, and hands each host-function
 * call to the page (docs/protocol.md). One worker is one session's interpreter.
 */
import PYTHON_SOURCES from "hostcall:python";

import { SLOT, readFrame, writeFrame } from "../wire/frame.js";
import { MSG } from "../wire/messages.js";
import { backoff, poller } from "../wire/pacing.js";
import { createGuard } from "./guard.js";

/** How long the JSPI transport's thread stays awake for a REPLY before it may sleep. */
const AWAKE_MS = 0.3;

/** @type {any} */ let pyodide = null;
/** @type {any} */ let runner = null;
/** @type {any} */ let runnerModule = null;
/** @type {ReturnType<typeof createGuard> | null} */ let guard = null;
let transport = "none";
let outputSeq = 0;
/** The JSPI transport's unanswered call, resolved by a REPLY message. */
let awaitingReply = null;
let replyBlobs = [];

const post = (message, transfer = []) => self.postMessage(message, transfer);
/** The WebAssembly heap's size: it grows and never shrinks. */
const heapBytes = () => pyodide._module.HEAP8.length;

self.onmessage = ({ data }) => {
  switch (data?.type) {
    case MSG.INIT: return init(data);
    case MSG.RUN: return run(data);
    case MSG.INVOKE: return invoke(data);
    case MSG.REPLY: return reply(data);
    case MSG.FORGET: return runner.forget(data.ids);
    case MSG.INTERRUPT: return guard?.interrupt(data.id);
    default: return post({ type: MSG.CRASHED, cause: `the worker got an unknown message ${JSON.stringify(data?.type)}` });
  }
};

self.addEventListener("unhandledrejection", (event) => crashIfFatal(event.reason));

async function init({ id, indexURL, channel, lock, allowJs, snapshot, makeSnapshot, packages, packagesURL }) {
  // Held until the worker dies, so the page learns of a death that fires no event.
  navigator.locks?.request(lock, () => new Promise(() => {}));
  try {
    let missing = [];
    // One download, as onProgress sees it: the packages' lock file, the runtime, the packages.
    const { instance, made } = await withProgress(id, async () => {
      const packageLock = await readPackageLock(packages, packagesURL);
      const config = { indexURL, ...packageConfig(packageLock, packagesURL) };
      const started = await startPyodide(config, snapshot, makeSnapshot);
      missing = await loadPackages(started.instance, packages, packageLock);
      return started;
    });
    pyodide = instance;
    guard = createGuard(channel && new Int32Array(channel, 0, 4), SLOT.INTERRUPT, heapBytes);
    pyodide.setInterruptBuffer(guard.signals);
    installOutput();
    installRunner(channel);
    pyodide.pyimport("hostcall._packages").setup(pyodide.toPy(missing), packagesURL);
    if (!allowJs) pyodide.pyimport("hostcall._sandbox").install();
    const reason = describeTransport(channel);
    post({
      type: MSG.READY, id, lock, transport, reason,
      pyodideVersion: pyodide.version,
      pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
      snapshot: made,
    }, made ? [made.buffer] : []);
  } catch (error) {
    post({ type: MSG.READY, id, lock, error: String(error?.message ?? error) });
  }
}

/**
 * Load Pyodide with `config`: from the startup `snapshot` when there is one, else afresh,
 * making a snapshot (`made`, else null) when asked to.
 */
async function startPyodide(config, snapshot, makeSnapshot) {
  const { loadPyodide } = await import(`${config.indexURL}pyodide.mjs`);
  if (snapshot) {
    try {
      return { instance: await loadPyodide({ ...config, _loadSnapshot: snapshot }), made: null };
    } catch {
      // Another Pyodide build's snapshot (Pyodide checks): load afresh, and offer a new one.
      makeSnapshot = true;
    }
  }
  if (!makeSnapshot) return { instance: await loadPyodide(config), made: null };
  const maker = await loadPyodide({ ...config, _makeSnapshot: true });
  const made = maker.makeMemorySnapshot();
  // The instance that made a snapshot has stand-ins for JavaScript globals (js.self
  // throws): run one restored from it, as every later worker will.
  return { instance: await loadPyodide({ ...config, _loadSnapshot: made.slice() }), made };
}

/**
 * The package folder's lock file (a copy of the runtime's with the added packages), when
 * `packages` names any and the folder has one; else null (the runtime's own lock is used).
 */
async function readPackageLock(packages, packagesURL) {
  if (!packages.length) return null;
  const response = await fetch(`${packagesURL}pyodide-lock.json`).catch(() => null);
  // Unreadable counts as absent: each named package then raises the ImportError on import.
  return response?.ok ? response.json().catch(() => null) : null;
}

/** loadPyodide's options that make it install packages from the folder's lock. */
const packageConfig = (packageLock, packagesURL) =>
  packageLock ? { lockFileContents: packageLock, packageBaseUrl: packagesURL } : {};

/** The PEP 503 form of a package name, as the lock file's keys are. */
const canonical = (name) => name.toLowerCase().replace(/[-_.]+/g, "-");

/**
 * Install `packages` (with their dependencies) from the folder; return the names that are
 * not there or failed to load, each with why, for the ImportError that names them.
 */
async function loadPackages(instance, packages, packageLock) {
  const names = [...new Set(packages.map(canonical))];
  const known = names.filter((name) => packageLock?.packages[name]);
  const errors = [];
  try {
    if (known.length) await instance.loadPackage(known, { messageCallback: () => {}, errorCallback: (text) => errors.push(text) });
  } catch (error) {
    errors.push(String(error?.message ?? error));
  }
  const cause = errors.length ? `it failed to load: ${errors.join("; ")}` : "it is not in the package folder";
  return names.filter((name) => !(name in instance.loadedPackages)).map((name) => [name, known.includes(name) ? cause : "it is not in the package folder"]);
}

/** Count the bytes of every fetch made while `load` runs and report them as progress. */
async function withProgress(id, load) {
  const realFetch = globalThis.fetch;
  let loaded = 0;
  let total = 0;
  let lastReport = 0;
  const report = (force) => {
    const now = performance.now();
    if (!force && now - lastReport < 50) return;
    lastReport = now;
    post({ type: MSG.PROGRESS, id, loaded, total });
  };
  globalThis.fetch = async (...args) => {
    const response = await realFetch(...args);
    if (!response.body) return response;
    total += Number(response.headers.get("content-length") ?? 0);
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        report(false);
        controller.enqueue(chunk);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  };
  try {
    return await load();
  } finally {
    globalThis.fetch = realFetch;
    report(true);
  }
}

function installOutput() {
  for (const stream of ["stdout", "stderr"]) {
    const decoder = new TextDecoder();
    const write = (bytes) => {
      if (!guard.wrote(bytes.length)) return bytes.length; // past maxOutputBytes: dropped
      const text = decoder.decode(bytes, { stream: true });
      if (text) post({ type: MSG.OUTPUT, stream, text, seq: ++outputSeq });
      return bytes.length;
    };
    (stream === "stdout" ? pyodide.setStdout : pyodide.setStderr)({ write });
  }
}

/** Write the worker's Python package (embedded in this bundle by scripts/build) and start its runner. */
function installRunner(channel) {
  pyodide.FS.mkdirTree("/hostcall/hostcall");
  for (const [name, source] of Object.entries(PYTHON_SOURCES)) pyodide.FS.writeFile(`/hostcall/hostcall/${name}`, source);
  pyodide.runPython("import sys; sys.path.insert(0, '/hostcall')");
  runnerModule = pyodide.pyimport("hostcall._runner");
  runner = runnerModule.Runner(channel ? atomicsChannel(channel) : jspiChannel(), guard);
}

function describeTransport(channel) {
  if (channel) {
    transport = "atomics";
    return "the page is cross-origin isolated: host calls block on a SharedArrayBuffer with Atomics.wait";
  }
  if (typeof WebAssembly.Suspending === "function") {
    transport = "jspi";
    return "the page is not cross-origin isolated, so host calls suspend Python with JSPI (run_sync), "
      + "and interrupt() cannot reach Python while it computes: it is terminated after interruptGraceMs";
  }
  transport = "none";
  return "host functions need either a cross-origin isolated page (headers Cross-Origin-Opener-Policy: "
    + "same-origin and Cross-Origin-Embedder-Policy: require-corp) or a browser with WebAssembly "
    + "JavaScript Promise Integration (WebAssembly.Suspending)";
}

/** Calls through the shared buffer: write the call, wake the page, wait until it answers. */
function atomicsChannel(sab) {
  const header = new Int32Array(sab, 0, 4);
  const poll = poller(); // for the page's answer
  return {
    request(text, ...blobs) {
      const answered = Atomics.load(header, SLOT.REPLY);
      writeFrame(sab, text, blobs);
      Atomics.store(header, SLOT.OUTPUT_SEQ, outputSeq);
      Atomics.add(header, SLOT.REQUEST, 1);
      Atomics.notify(header, SLOT.REQUEST);
      guard.pause();
      poll(header, SLOT.REPLY, answered);
      while (Atomics.load(header, SLOT.REPLY) === answered) Atomics.wait(header, SLOT.REPLY, answered);
      guard.resume();
      const frame = readFrame(sab);
      replyBlobs = frame.blobs;
      return frame.text;
    },
    replyBlobs: () => replyBlobs,
  };
}

/** Calls by message: post the call and let run_sync suspend Python until the REPLY. */
function jspiChannel() {
  const awake = stayAwake();
  return {
    request(text, ...blobs) {
      guard.pause();
      return new Promise((resolve) => {
        awaitingReply = (reply) => {
          awake.answered();
          resolve(reply);
        };
        post({ type: MSG.CALL, text, blobs, outputSeq }, blobs.map((blob) => blob.buffer));
        awake.waiting();
      });
    },
    replyBlobs: () => replyBlobs,
  };
}

/**
 * While a JSPI host call waits, keep this thread running for up to AWAKE_MS (a chain of
 * messages to itself, so the REPLY still gets through): a thread the system put to sleep
 * wakes tens of microseconds late and runs Python slowly for a while after, and a page
 * usually answers within that time. Misses back off as the atomics poller's do.
 */
function stayAwake() {
  const { port1, port2 } = new MessageChannel();
  const pace = backoff();
  let until = 0; // while a wait stays awake: when it stops
  let turning = false; // a message to ourselves is on its way (one at a time)
  const turn = () => {
    turning = awaitingReply !== null && performance.now() < until;
    if (turning) port2.postMessage(null);
  };
  port1.onmessage = turn;
  return {
    waiting() {
      if (pace.resting()) return;
      until = performance.now() + AWAKE_MS;
      if (!turning) turn();
    },
    answered() {
      if (until === 0) return;
      if (performance.now() < until) pace.hit();
      else pace.missed();
      until = 0;
    },
  };
}

function reply({ text, blobs }) {
  const resolve = awaitingReply;
  awaitingReply = null;
  replyBlobs = blobs;
  guard.resume();
  resolve?.(text);
}

const run = ({ id, code, scriptName, extFns, limits }) =>
  execute(id, "start", extFns, limits, (names) => runner.run(code, scriptName, names));

/** Call a Python function, callable or iterator the page holds (`target`: {kind, ref}). */
const invoke = ({ id, target, text, blobs, extFns, limits }) =>
  execute(id, "call", extFns, limits, (names) => runner.invoke(target.kind, target.ref, text, blobs, names));

/**
 * Run one execution with host functions `extFns` under `limits`, and post its done text with
 * the heap's size (a heap past the session's memory limit makes the page replace this worker).
 */
async function execute(id, method, extFns, limits, work) {
  const names = pyodide.toPy(extFns);
  const problem = runnerModule.problem_with(names);
  if (problem) {
    names.destroy();
    return post({ type: MSG.FAILED, id, code: "invalid-argument", message: `${method}: ${problem}` });
  }
  try {
    guard.begin(id, limits);
    const [text, ...blobs] = await work(names);
    post({ type: MSG.DONE, id, text, blobs, heapBytes: heapBytes() }, blobs.map((blob) => blob.buffer));
  } catch (error) {
    crashIfFatal(error);
    post({ type: MSG.FAILED, id, code: "internal", message: `${method}: ${error?.message ?? error}`, heapBytes: heapBytes() });
  } finally {
    guard.end();
    names.destroy();
  }
}

/** Pyodide cannot go on after a fatal error (a trap, an abort): report it and stop. */
function crashIfFatal(error) {
  if (!error?.pyodide_fatal_error) return;
  post({ type: MSG.CRASHED, cause: `Pyodide suffered a fatal error: ${error.message ?? error}` });
  self.close();
}
