/**
 * A session: one Python interpreter in its own worker, and everything the page does with it
 * (docs/protocol.md). Over 400 lines because the Session class moved here whole from the old
 * bridge.js; splitting it by concern is the next step of issue 15.
 */
import { SLOT, createChannel, readFrame, writeFrame } from "../wire/frame.js";
import { errorToWire } from "../wire/host-errors.js";
import { MSG } from "../wire/messages.js";
import { poller } from "../wire/pacing.js";
import { TAG, decodeValue, encodeArguments, encodeValue, encoding, isTagged, namesEitherSide } from "../wire/values.js";
import { callback } from "./callback.js";
import { typeName } from "./describe.js";
import { HostcallError, PythonError, fail, typed } from "./errors.js";
import { HandleTable } from "./handles.js";
import { KEPT_OUTPUT_CHARS, checkInitOptions } from "./init-options.js";
import { DEFAULT_LIMITS, checkHandlers, checkOptions, resolveLimits } from "./options.js";
import { PythonIterator } from "./python-iterator.js";
import { scriptURL } from "./script-url.js";
import { startWorker, startupSnapshot, takeSnapshot, workerKey } from "./worker-start.js";

const INTERRUPT_GRACE_MS = 1000;

const PREEMPTED = Symbol("preempted"); // a host call the bridge answered before its handler
/** Marks a handler taking (args, kwargs) as they came: web/remote.js's. */
export const KWARGS = Symbol("kwargs");
/**
 * On a handler's thrown error: the resumeWithError argument it stands for (web/remote.js:
 * a server function's exception, args and all).
 */
export const HOST_ERROR = Symbol("host error");
/**
 * Marks a handler that only relays a call to another process (web/remote.js's): its
 * `[RELAY]({fn, args, kwargs, blobs})` takes the call as the worker encoded it and resolves
 * with the answer encoded, `{ok, value | error, blobs}` (docs/protocol.md, *Relays*). The
 * values pass through the page undecoded. A call naming an object of either side (a handle,
 * a Python callable) goes to the handler itself, with values, as to any other.
 */
export const RELAY = Symbol("relay");

/** A deferred: a promise with its settle functions, settled at most once. */
function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/**
 * One Python interpreter in its own worker. `Hostcall.createSession()` makes these;
 * the top-level `Hostcall` methods use a default one.
 */
export class Session {
  #options;
  #worker = null;
  #spare = null; // {worker, channel, key, ready}: a loaded worker kept for a restart
  #channel = null; // SharedArrayBuffer when the transport is atomics
  /** @type {Int32Array | null} */ #header = null; // the channel's Int32 header slots (SLOT)
  #info = null; // the worker's READY message
  #loading = null; // the deferred of an init in progress
  #nextId = 1;
  #exec = null; // the execution started and not yet complete
  #lastCrash = null;
  #outputSeq = 0; // the sequence number of the last output message received
  #requestsSeen = 0; // the shared channel's REQUEST count already handled
  #handles = new HandleTable();
  #peer = { object: (id) => this.#handles.object(id), python: (wire) => this.#pythonProxy(wire) };
  #queue = []; // executions waiting for the worker: Python callbacks and iterator pulls
  #forgotten = []; // ids of collected Python proxies, not yet reported to the worker
  #proxies = new FinalizationRegistry(({ worker, id }) => this.#forget(worker, id));
  #registered = {}; // host functions of every run (register())
  #library = null; // the loaded web/host-functions.js module
  #libraryLoad = null;
  #poll = poller(); // for the worker's next call, right after answering one
  #wires = new WeakMap(); // pending state -> its call as the worker encoded it, for a RELAY

  /** `options` are defaults for init()'s, checked now (throws `invalid-argument`). */
  constructor(options = {}) {
    try {
      this.#options = checkInitOptions("createSession", options);
    } catch (error) {
      throw typed(error);
    }
  }

  /**
   * Create the worker and load Pyodide. Resolves with `discover()`'s info; calling it
   * again while loading or loaded returns the same answer.
   */
  init(options = {}) {
    try {
      this.#takeOptions(options);
    } catch (error) {
      return Promise.reject(typed(error));
    }
    if (this.#info) return Promise.resolve(this.discover());
    if (this.#loading) return this.#loading.promise;
    this.#loading = deferred();
    try {
      this.#spawn();
    } catch (error) {
      this.#loading = null; // nothing loads: the next init() tries again
      return Promise.reject(typed(error));
    }
    return this.#loading.promise;
  }

  /** Check init()'s options and, unless a worker is loading or loaded, keep them. */
  #takeOptions(options) {
    options = { ...this.#options, ...checkInitOptions("init", options) };
    if ((options.transport ?? "auto") === "atomics" && !globalThis.crossOriginIsolated) {
      throw fail("transport-unavailable", "init: the atomics transport needs a cross-origin isolated page "
        + "(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)");
    }
    if (!this.#info && !this.#loading) this.#options = options;
  }

  /** Give the session a worker: the warm spare when there is one, else a new one. */
  #spawn() {
    const options = this.#options;
    let spare = this.#spare;
    this.#spare = null;
    if (spare && spare.key !== workerKey(options)) {
      spare.worker.terminate(); // loaded for options init() has since changed
      spare = null;
    }
    const { worker, channel } = spare ?? this.#createWorker(options);
    this.#worker = worker;
    this.#outputSeq = 0;
    this.#requestsSeen = 0;
    this.#channel = channel;
    this.#header = channel && new Int32Array(channel, 0, 4);
    if (spare?.ready) this.#onReady(worker, spare.ready);
  }

  /** Start a worker loading Pyodide; its messages go to #onMessage. */
  #createWorker(options) {
    const base = new URL(options.baseURL ?? ".", scriptURL);
    const worker = startWorker(new URL("worker/worker.js", base));
    const channel = options.transport !== "jspi" && globalThis.crossOriginIsolated ? createChannel() : null;
    const indexURL = String(new URL(options.indexURL ?? "pyodide/", base));
    this.#libraryLoad ??= import(String(new URL("web/host-functions.js", base)));
    worker.onmessage = (event) => this.#onMessage(worker, takeSnapshot(indexURL, event.data));
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crash(worker, `an uncaught error in the worker: ${event.message || "the worker script failed to load"}`);
    };
    worker.onmessageerror = () => this.#crash(worker, "a message from the worker could not be read");
    const init = {
      type: MSG.INIT,
      id: this.#nextId++,
      indexURL,
      channel,
      // Pages not in a secure context have neither randomUUID nor Web Locks (the lock unused).
      lock: `hostcall-worker-${crypto.randomUUID?.() ?? Math.random().toString(36).slice(2)}`,
      allowJs: Boolean(options.allowJs),
    };
    const useSnapshot = options.startupSnapshot !== false;
    (useSnapshot ? startupSnapshot(indexURL) : Promise.resolve(null)).then((snapshot) => {
      worker.postMessage({ ...init, snapshot, makeSnapshot: useSnapshot && !snapshot });
    });
    return { worker, channel };
  }

  /**
   * With `spare: true`, keep a second worker loaded and idle, so that a session whose
   * worker was terminated or crashed starts again at once instead of loading Pyodide.
   */
  #prepareSpare() {
    if (!this.#options.spare || this.#spare) return;
    try {
      this.#spare = { ...this.#createWorker(this.#options), key: workerKey(this.#options), ready: null };
    } catch (error) {
      globalThis.reportError(error); // the session runs on without a spare
    }
  }

  #onSpareMessage(message) {
    if (message?.type === MSG.PROGRESS) return;
    if (message?.type === MSG.READY && !message.error) this.#spare.ready = message;
    else this.#dropSpare(); // a spare that failed is not retried until the next ready
  }

  #dropSpare() {
    this.#spare?.worker.terminate();
    this.#spare = null;
  }

  /** Run `code` to completion; it may not call host functions. */
  run(code, options = {}) {
    try {
      return this.start(code, { ...checkOptions("run", options), extFns: [] });
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /**
   * Start running `code`. Resolves with the first state: `pending` when Python calls
   * one of `extFns`, or `complete`.
   */
  start(code, options = {}) {
    try {
      checkOptions("start", options);
      if (this.#restarting()) return this.init().then(() => this.start(code, options));
      if (this.#exec?.internal) return this.#enqueue(() => this.start(code, options));
      return this.#launch(this.#runRequest(code, options), options.onOutput);
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /**
   * Call the Python function `name` defined by earlier code with `args` (an array) and
   * `options.kwargs`; its host calls are answered by the registered host functions and
   * `options.handlers`. Resolves with the return value; a Python exception rejects with
   * a `PythonError`.
   */
  call(name, args = [], options = {}) {
    try {
      checkOptions("call", options);
      if (this.#restarting()) return this.init().then(() => this.call(name, args, options));
      this.#assertReady("call");
      if (typeof name !== "string") throw fail("invalid-argument", `call: name must be a string, not ${typeName(name)}`);
      if (!Array.isArray(args)) throw fail("invalid-argument", "call: args must be an array");
      const { kwargs = {}, handlers = {}, onOutput } = options;
      if (kwargs === null || typeof kwargs !== "object") throw fail("invalid-argument", "call: kwargs must be an object");
      if (onOutput !== undefined && typeof onOutput !== "function") throw fail("invalid-argument", "call: onOutput must be a function");
      checkHandlers("call", handlers);
      resolveLimits("call", options.limits); // here, where a limits object that throws is typed
      if (this.#exec && !this.#exec.internal) throw fail("busy", "call: another execution of this session is running or paused");
      const go = () => this.#execute(name, { kind: "name", ref: name }, args, kwargs, { ...this.#registered, ...handlers }, options, false);
      return this.#exec ? this.#enqueue(go) : go();
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /** Invoke Python's `target` (called `name` in errors) and answer its host calls with `handlers`. */
  async #execute(name, target, args, kwargs, handlers, options, internal) {
    this.#assertReady("call");
    if (this.#info.transport === "none" && Object.keys(handlers).length) throw fail("transport-unavailable", `call: ${this.#info.reason}`);
    const id = this.#nextId++;
    let encoded;
    try {
      encoded = encodeArguments(name, args, kwargs, this.#handles, id);
    } catch (error) {
      throw typed(error);
    }
    const { wire, blobs } = encoded;
    const request = {
      type: MSG.INVOKE, id, target, text: JSON.stringify(wire), blobs, extFns: Object.keys(handlers),
      limits: this.#limits("call", options.limits),
    };
    const state = await this.#drive(this.#launch(request, options.onOutput, internal), handlers);
    if (state.ok) return state.value;
    throw new PythonError(state.error);
  }

  /** Start an execution in the worker; resolves with its first state. */
  #launch(request, onOutput, internal = false) {
    const exec = this.#begin(request.id, onOutput, internal);
    this.#worker.postMessage(request, (request.blobs ?? []).map((blob) => blob.buffer));
    if (this.#channel) this.#listen(exec);
    if (request.limits.timeoutMs !== null) this.#watchdog(exec, request.limits.timeoutMs);
    return exec.waiter.promise;
  }

  /**
   * Stop the running Python: KeyboardInterrupt at the next bytecodes, or at the pending
   * host call. If it has not stopped `interruptGraceMs` later (stuck in C code), the
   * worker is terminated. Resolves once the execution has ended either way.
   */
  interrupt() {
    const exec = this.#exec;
    // A run started during a restart begins once loading is done: stop it then.
    if (!exec && this.#loading) return this.#loading.promise.then(() => this.interrupt());
    if (!exec) return Promise.resolve();
    if (exec.pending || exec.held) {
      this.#answerQuietly(exec, JSON.stringify({ ok: false, error: { type: "KeyboardInterrupt", message: "interrupted by the page" } }));
    } else if (this.#channel) {
      Atomics.store(this.#header, SLOT.INTERRUPT, exec.id); // the worker's guard polls it
    } else {
      this.#worker.postMessage({ type: MSG.INTERRUPT, id: exec.id }); // seen once Python yields
    }
    const grace = this.#graceMs();
    setTimeout(() => this.#terminate(exec, `it did not stop within ${grace} ms of interrupt()`), grace);
    return exec.ended.promise;
  }

  /**
   * The worker enforces timeoutMs; this catches Python that ignores it (C code, a swallowed
   * TimeoutError). Two grace periods of slack: a worker starved of CPU is not a stuck one.
   */
  #watchdog(exec, timeoutMs) {
    const grace = 2 * this.#graceMs();
    const check = () => {
      if (this.#exec !== exec) return;
      const paused = exec.pausedMs + (exec.pausedAt === null ? 0 : performance.now() - exec.pausedAt);
      const left = timeoutMs + grace - (performance.now() - exec.startedAt - paused);
      if (left > 0 || exec.pausedAt !== null) return void setTimeout(check, Math.max(left, 10));
      this.#terminate(exec, `it ran past its time limit (timeoutMs=${timeoutMs}) by more than ${grace} ms`);
    };
    setTimeout(check, timeoutMs + grace);
  }

  /** How long Python may take to stop when asked before its worker is terminated. */
  #graceMs() {
    return this.#options.interruptGraceMs ?? INTERRUPT_GRACE_MS;
  }

  #terminate(exec, why) {
    if (this.#exec === exec) this.#replace(why);
  }

  /** Terminate the worker because `why`; the session restarts on its next use. */
  #replace(why) {
    this.#lastCrash = `the worker was terminated: ${why}`;
    this.#shutDown(fail("terminated", `${this.#lastCrash}; the session restarts on its next use`));
  }

  /** Answer the worker's call without surfacing a state: the caller awaits the next one already. */
  #answerQuietly(exec, text, blobs = []) {
    if (exec.pending) {
      exec.preempted.resolve(PREEMPTED);
      exec.preempted = deferred(); // for the calls after this one
      return void this.#answer(exec, text, blobs);
    }
    exec.held = null;
    if (this.#channel) writeFrame(this.#channel, text, blobs);
    this.#reply(exec, text, blobs);
  }

  /** Run `start` once the worker is idle (after the execution now running and those queued). */
  #enqueue(start) {
    const queued = deferred();
    this.#queue.push({ start, queued });
    return queued.promise;
  }

  #drain() {
    while (!this.#exec && this.#queue.length) {
      const { start, queued } = this.#queue.shift();
      try {
        start().then(queued.resolve, queued.reject);
      } catch (error) {
        queued.reject(error);
      }
    }
  }

  /** The page's handle on a Python callable or generator (docs/protocol.md, "Values"). */
  #pythonProxy({ [TAG]: tag, id, name }) {
    const worker = this.#worker;
    const invoke = (kind, args) => {
      if (worker !== this.#worker) {
        return Promise.reject(fail("stale-handle", `this Python ${tag} belonged to a worker that has stopped`));
      }
      const go = () => this.#execute(name ?? "next", { kind, ref: id }, args, {}, this.#registered, {}, true);
      return this.#exec || this.#queue.length ? this.#enqueue(go) : go();
    };
    const proxy = tag === "callable"
      ? { [name]: (...args) => invoke("callable", args) }[name]
      : new PythonIterator((step) => invoke(step, []));
    this.#proxies.register(proxy, { worker, id });
    return proxy;
  }

  /** A proxy was garbage-collected: let the worker drop the object it stood for. */
  #forget(worker, id) {
    if (worker !== this.#worker) return;
    if (!this.#forgotten.length) {
      queueMicrotask(() => {
        if (worker === this.#worker) worker.postMessage({ type: MSG.FORGET, ids: this.#forgotten });
        this.#forgotten = [];
      });
    }
    this.#forgotten.push(id);
  }

  #runRequest(code, options) {
    this.#assertReady("start");
    if (this.#exec) throw fail("busy", "start: another execution of this session is running or paused; resume it or wait for it to complete");
    if (typeof code !== "string") throw fail("invalid-argument", `start: code must be a string, not ${typeName(code)}`);
    const { extFns = [], scriptName = "main.py", limits, onOutput } = options;
    if (!Array.isArray(extFns)) throw fail("invalid-argument", "start: extFns must be an array of function names");
    if (typeof scriptName !== "string" || !scriptName) throw fail("invalid-argument", "start: scriptName must be a non-empty string");
    if (onOutput !== undefined && typeof onOutput !== "function") throw fail("invalid-argument", "start: onOutput must be a function");
    if (extFns.length && this.#info.transport === "none") throw fail("transport-unavailable", `start: ${this.#info.reason}`);
    return { type: MSG.RUN, id: this.#nextId++, code, scriptName, extFns, limits: this.#limits("start", limits) };
  }

  /** An execution's limits: the defaults, then the session's, then its own. */
  #limits(method, own) {
    return { ...DEFAULT_LIMITS, ...resolveLimits(method, this.#options.limits), ...resolveLimits(method, own) };
  }

  #begin(id, onOutput, internal) {
    this.#exec = {
      id, onOutput, internal, waiter: deferred(), ended: deferred(), pending: null, held: null,
      preempted: deferred(), // settled when the bridge answers a pending call itself
      stdout: [], stderr: [], kept: 0, dropped: { stdout: 0, stderr: 0 }, // see #keep
      startedAt: performance.now(), pausedMs: 0, pausedAt: null,
    };
    return this.#exec;
  }

  /** Continue the paused Python code: the pending call returns `value`. */
  resume(value) {
    try {
      const exec = this.#pendingExec("resume");
      const { wire, blobs } = encodeValue(value, "resume() value", this.#handles, exec.id);
      return this.#answer(exec, JSON.stringify({ ok: true, value: wire }), blobs);
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /**
   * Continue the paused Python code by raising at the pending call: the builtin
   * exception named `type` (ValueError, KeyError, ...), built from `args` when given, or
   * `hostcall.HostError`.
   */
  resumeWithError(error) {
    try {
      const exec = this.#pendingExec("resumeWithError");
      const context = { handles: this.#handles, run: exec.id };
      const { wire, blobs } = encoding(context, (each) => errorToWire(error, "resumeWithError", each));
      return this.#answer(exec, JSON.stringify({ ok: false, error: wire }), blobs);
    } catch (failure) {
      return Promise.reject(typed(failure));
    }
  }

  #pendingExec(method) {
    this.#assertReady(method);
    const exec = this.#exec;
    if (!exec?.pending) throw fail("no-pending-call", `${method}: no host call is waiting for an answer`);
    return exec;
  }

  /** Answer the pending call; resolves with the execution's next state. */
  #answer(exec, text, blobs) {
    if (this.#channel) {
      try {
        writeFrame(this.#channel, text, blobs);
      } catch (error) {
        throw fail("unserializable", `the answer does not fit the channel: ${error.message}`);
      }
    }
    exec.pending = null;
    exec.waiter = deferred();
    this.#reply(exec, text, blobs);
    return exec.waiter.promise;
  }

  /** Send the answer to the worker's outstanding call (on the channel, already written). */
  #reply(exec, text, blobs) {
    if (exec.pausedAt !== null) exec.pausedMs += performance.now() - exec.pausedAt;
    exec.pausedAt = null;
    if (this.#channel) {
      Atomics.add(this.#header, SLOT.REPLY, 1);
      Atomics.notify(this.#header, SLOT.REPLY);
      this.#listen(exec, true); // Python usually calls again within microseconds: poll first
    } else {
      this.#worker.postMessage({ type: MSG.REPLY, id: exec.id, text, blobs }, blobs.map((b) => b.buffer));
    }
  }

  /** Wait (without blocking the page) for the worker's next call on the shared channel. */
  async #listen(exec, poll = false) {
    const header = this.#header;
    while (this.#exec === exec) {
      const seen = this.#requestsSeen;
      if (!poll || !this.#poll(header, SLOT.REQUEST, seen)) {
        const wait = Atomics.waitAsync(header, SLOT.REQUEST, seen);
        if (wait.async) await wait.value;
      }
      poll = false;
      const now = Atomics.load(header, SLOT.REQUEST);
      if (this.#exec !== exec || now === seen) continue;
      this.#requestsSeen = now;
      try {
        const { text, blobs } = readFrame(this.#channel);
        this.#onCall(exec, { text, blobs: blobs.map((b) => b.slice()), outputSeq: Atomics.load(header, SLOT.OUTPUT_SEQ) });
      } catch (error) {
        this.#crash(this.#worker, `the bridge could not read a call from the channel: ${error.message}`);
      }
      return;
    }
  }

  /** Python called a host function: resolve the waiting promise with a pending state. */
  #onCall(exec, { text, blobs, outputSeq }) {
    exec.pausedAt = performance.now();
    const call = JSON.parse(text);
    this.#settleHandles(call);
    const { id, fn, args, kwargs } = call;
    const state = { state: "pending", callId: id, functionName: fn, args, kwargs };
    const tagged = isTagged(text);
    const internal = fn.startsWith("$");
    if (internal || (tagged && namesEitherSide([args, kwargs]))) {
      try {
        [state.args, state.kwargs] = this.#callArguments(call, blobs, tagged);
      } catch (error) {
        if (error?.code !== "stale-handle") throw error;
        // The host never sees a call naming a dead object: Python gets the error at once.
        return this.#answerQuietly(exec, JSON.stringify({ ok: false, error: errorInfo(error) }));
      }
      if (internal) return this.#serveInternal(exec, fn, state.args);
    } else {
      // Data only: kept encoded for a RELAY handler, decoded when anyone reads the state's values.
      this.#wires.set(state, { fn, args, kwargs, blobs });
      if (tagged) decodeOnRead(state, () => this.#callArguments(call, blobs, true));
    }
    // Output posted before the call may still be in flight: hold the call until it lands.
    exec.held = { state, outputSeq };
    this.#release(exec);
  }

  /** Answer a call the bridge serves itself: `$next` pulls a page async iterator for Python. */
  async #serveInternal(exec, fn, [iterator]) {
    let text, blobs = [];
    try {
      if (fn !== "$next" || typeof iterator?.next !== "function") throw fail("internal", `the bridge has no ${fn} for ${typeName(iterator)}`);
      const { done, value } = await iterator.next();
      let wire;
      ({ wire, blobs } = encodeValue(done ? { done: true } : { done: false, value }, "the iterator's value", this.#handles, exec.id));
      text = JSON.stringify({ ok: true, value: wire });
    } catch (error) {
      text = JSON.stringify({ ok: false, error: errorInfo(error) });
      blobs = [];
    }
    if (this.#exec === exec) this.#answerQuietly(exec, text, blobs); // unless the worker died meanwhile
  }

  #callArguments({ fn, args, kwargs }, blobs, tagged) {
    if (!tagged) return [args, kwargs];
    const decode = (value, what) => {
      try {
        return decodeValue(value, blobs, this.#peer);
      } catch (error) {
        if (error?.code === "stale-handle") error.message = `${fn}() ${what}: ${error.message}`;
        throw error;
      }
    };
    return [
      args.map((arg, i) => decode(arg, `argument ${i + 1}`)),
      Object.fromEntries(Object.entries(kwargs).map(([key, arg]) => [key, decode(arg, `argument '${key}'`)])),
    ];
  }

  /** Apply the handle notes a call or a done text carries: wrappers Python dropped or kept. */
  #settleHandles({ release, keep }) {
    if (release) this.#handles.release(release);
    if (keep) this.#handles.keep(keep);
  }

  #release(exec) {
    if (!exec.held || this.#outputSeq < exec.held.outputSeq) return;
    exec.pending = exec.held.state;
    exec.held = null;
    exec.waiter.resolve(exec.pending);
  }

  /**
   * `{loaded, loading, busy, transport, reason, isolation, ...}` without waiting.
   * @returns {import("../../bridge.js").Info}
   */
  discover() {
    const info = this.#info;
    return {
      loaded: Boolean(info),
      loading: Boolean(this.#loading),
      busy: Boolean(this.#exec),
      transport: info?.transport ?? null,
      reason: info?.reason ?? null,
      isolation: Boolean(globalThis.crossOriginIsolated),
      pyodideVersion: info?.pyodideVersion ?? null,
      pythonVersion: info?.pythonVersion ?? null,
      lastCrash: this.#lastCrash,
      spare: this.#spare ? (this.#spare.ready ? "ready" : "loading") : null,
    };
  }

  /** Terminate the worker; every outstanding promise rejects with a `disposed` error. */
  dispose() {
    this.#shutDown(fail("disposed", "the session was disposed"));
    this.#dropSpare();
    this.#lastCrash = null; // disposed on purpose: no restart on the next use
    return Promise.resolve();
  }

  /** Not yet available: snapshots arrive with their own issue. */
  snapshot() {
    return Promise.reject(fail("not-supported", "snapshot is not supported yet"));
  }

  /**
   * Not yet available: snapshots arrive with their own issue.
   * @param {unknown} [_data] a snapshot, once they exist
   */
  restore(_data) {
    return Promise.reject(fail("not-supported", "restore is not supported yet"));
  }

  /**
   * Run `code` and answer its host calls with `handlers` (name -> function, sync or
   * async). A handler that throws raises in Python (see resumeWithError).
   */
  async runWithHostFunctions(code, handlers = {}, options = {}) {
    let first;
    try {
      checkHandlers("runWithHostFunctions", handlers);
      checkOptions("runWithHostFunctions", options);
      handlers = { ...this.#registered, ...handlers };
      first = this.start(code, { ...options, extFns: Object.keys(handlers) });
    } catch (error) {
      throw typed(error);
    }
    return this.#drive(first, handlers);
  }

  /** Answer each pending state with `handlers` until the execution completes. */
  async #drive(first, handlers) {
    let state = await first;
    while (state.state === "pending") state = await this.#handle(handlers, state);
    return state;
  }

  async #handle(handlers, state) {
    const { functionName } = state;
    const exec = this.#exec;
    let value, failure, wire;
    try {
      const handler = handlers[functionName];
      wire = handler[RELAY] && this.#wires.get(state);
      if (wire) value = handler[RELAY](wire);
      else if (handler[KWARGS]) value = handler(state.args, state.kwargs);
      else value = Object.keys(state.kwargs).length ? handler(...state.args, state.kwargs) : handler(...state.args);
      // Await only a promise (or thenable): answering a plain value at once skips the
      // microtask turns an await would add to every synchronous host call. Stop waiting
      // when the bridge answered the call itself (interrupt) or the worker is gone.
      if (typeof value?.then === "function") value = await Promise.race([value, exec.preempted.promise]);
    } catch (error) {
      failure = error?.[HOST_ERROR] ?? errorInfo(error);
    }
    // interrupt() may have answered the call meanwhile, or the handler itself disposed of
    // the session (or it crashed): then follow the execution on, to its end.
    if (value === PREEMPTED || exec.pending !== state || exec !== this.#exec) return exec.waiter.promise;
    if (failure) return this.resumeWithError(failure);
    try {
      if (!wire) return await this.resume(value);
      const { ok, value: answer, error, blobs } = value; // a relay's answer, still encoded
      return await this.#answer(exec, JSON.stringify({ ok, value: answer, error }), blobs);
    } catch (error) {
      // Any failure to encode the value (a throwing getter too) is the handler's, not ours.
      if (error instanceof HostcallError && !["unserializable", "invalid-argument"].includes(error.code)) throw error;
      return this.resumeWithError({ type: "TypeError", message: `${functionName} returned ${error.message}` });
    }
  }

  /**
   * Register host functions for every later `runWithHostFunctions` of this session
   * (name -> function); a run's own handlers of the same name take precedence.
   */
  register(handlers) {
    try {
      checkHandlers("register", handlers);
      Object.assign(this.#registered, handlers);
    } catch (error) {
      throw typed(error);
    }
  }

  /** Forget registered host functions by name. */
  unregister(...names) {
    const bad = names.find((name) => typeof name !== "string");
    if (bad !== undefined) throw fail("invalid-argument", `unregister: names must be strings, not ${typeName(bad)}`);
    for (const name of names) delete this.#registered[name];
  }

  /**
   * The standard host functions (docs/host-functions.md) bound to this session:
   * `{root, only}` choose the element they work within and which names to include.
   */
  hostFunctions(options = {}) {
    this.#assertReady("hostFunctions");
    try {
      return this.#library.createHostFunctions(this.#handles, checkOptions("hostFunctions", options));
    } catch (error) {
      throw error instanceof HostcallError ? error : fail("invalid-argument", `hostFunctions: ${error.message}`);
    }
  }

  /** How many page objects Python holds handles to. */
  handleCount() {
    return this.#handles.size;
  }

  /** The handles Python holds: `[{id, kind, refs, kept, label}]`, oldest first. */
  handles() {
    return this.#handles.list();
  }

  /** After a crash the session starts a new worker on its next use. */
  #restarting() {
    return !this.#info && this.#lastCrash !== null;
  }

  #assertReady(method) {
    if (this.#info) return;
    const why = "; call init() first";
    throw fail("not-initialized", `${method}: the session is not initialised${why}`);
  }

  #onMessage(worker, message) {
    if (worker === this.#spare?.worker) return this.#onSpareMessage(message);
    if (worker !== this.#worker) return;
    try {
      this.#dispatch(worker, message);
    } catch (error) {
      // A message we cannot handle means the two sides disagree: nothing can be trusted after it.
      this.#crash(worker, `the bridge could not handle a ${message?.type} message: ${error.message}`);
    }
  }

  #dispatch(worker, message) {
    switch (message?.type) {
      case MSG.READY: return this.#onReady(worker, message);
      case MSG.PROGRESS: return callback(this.#options.onProgress, { loaded: message.loaded, total: message.total });
      case MSG.OUTPUT: return this.#onOutput(message);
      case MSG.CALL: return this.#exec && this.#onCall(this.#exec, message);
      case MSG.DONE: return this.#onDone(message);
      case MSG.FAILED: return this.#onFailed(message);
      case MSG.CRASHED: return this.#crash(worker, message.cause);
      default: return this.#crash(worker, `an unknown message from the worker: ${JSON.stringify(message?.type)}`);
    }
  }

  #onReady(worker, message) {
    if (message.error) {
      this.#shutDown(fail("load-failed", `init: ${message.error}`));
      return;
    }
    this.#libraryLoad.then(
      (library) => this.#ready(worker, message, library),
      (error) => {
        this.#libraryLoad = null; // try again on the next init()
        if (worker === this.#worker) this.#shutDown(fail("load-failed", `init: web/host-functions.js: ${error.message}`));
      },
    );
  }

  #ready(worker, message, library) {
    if (worker !== this.#worker) return;
    this.#library = library;
    this.#info = message;
    this.#lastCrash = null;
    this.#watch(worker, message.lock);
    const loading = this.#loading;
    this.#loading = null;
    loading.resolve(this.discover());
    this.#prepareSpare();
  }

  /** A worker can vanish without an event (terminate, self.close): its Web Lock tells us. */
  #watch(worker, lock) {
    globalThis.navigator.locks?.request(lock, () => this.#crash(worker, "the worker stopped"));
  }

  #onOutput({ stream, text, seq }) {
    const exec = this.#exec;
    this.#outputSeq = seq;
    callback(this.#options.onOutput, stream, text);
    if (!exec) return;
    callback(exec.onOutput, stream, text);
    this.#keep(exec, stream === "stderr" ? "stderr" : "stdout", text);
    this.#release(exec);
  }

  /**
   * Keep `text` for the execution's `stream` while both streams together hold less than
   * keptOutputChars; past it, only count what is not kept. The kept copy is the start of
   * the output: once a chunk does not fit whole, nothing later is kept.
   */
  #keep(exec, stream, text) {
    const ceiling = this.#keptOutputChars();
    let part = text;
    if (exec.kept + text.length > ceiling) {
      part = text.slice(0, ceiling - exec.kept);
      if (/[\ud800-\udbff]$/.test(part)) part = part.slice(0, -1); // not half a character
      exec.kept = ceiling;
    } else {
      exec.kept += text.length;
    }
    if (part) exec[stream].push(part);
    exec.dropped[stream] += text.length - part.length;
  }

  /** The execution's kept `stream`, and a line saying how much was not kept, if any was. */
  #collected(exec, stream) {
    const text = exec[stream].join("");
    const dropped = exec.dropped[stream];
    if (!dropped) return text;
    return `${text}\n[hostcall: ${dropped} more characters of ${stream} not kept (keptOutputChars=${this.#keptOutputChars()}); onOutput received them all]\n`;
  }

  #keptOutputChars() {
    return this.#options.keptOutputChars ?? KEPT_OUTPUT_CHARS;
  }

  #onDone({ id, text, blobs, heapBytes }) {
    const exec = this.#exec;
    if (!exec || exec.id !== id) return;
    // All that can throw, while the execution is still current: a failure here becomes a
    // crash (#onMessage), which rejects it. Ended first, it would never settle.
    const result = this.#result(text, blobs);
    const output = { stdout: this.#collected(exec, "stdout"), stderr: this.#collected(exec, "stderr") };
    this.#end();
    this.#handles.endRun(exec.id);
    exec.waiter.resolve(result.ok
      ? { state: "complete", ok: true, value: result.value, ...output }
      : { state: "complete", ok: false, error: result.error, ...output });
    this.#replaceIfOutgrown(heapBytes);
  }

  /** The done text's result; a stale handle in the value fails the run with StaleHandleError. */
  #result(text, blobs) {
    let result = JSON.parse(text);
    const notes = { release: result.release, keep: result.keep };
    try {
      if (isTagged(text)) result = decodeValue(result, blobs, this.#peer);
    } catch (error) {
      if (error?.code !== "stale-handle") throw error;
      result = { ok: false, error: { ...errorInfo(error), traceback: [], line: null } };
    }
    // After decoding: the notes release the wrappers of the result's own handles.
    this.#settleHandles(notes);
    return result;
  }

  #onFailed({ id, code, message, heapBytes }) {
    const exec = this.#exec;
    if (!exec || exec.id !== id) return;
    this.#end();
    this.#handles.endRun(exec.id);
    exec.waiter.reject(fail(code, message));
    this.#replaceIfOutgrown(heapBytes);
  }

  /**
   * After an execution: a heap past the session's memoryBytes would fail every later
   * execution at once with MemoryError, and a WebAssembly heap never shrinks. So the worker
   * is terminated (its memory freed now) and the session restarts on its next use.
   */
  #replaceIfOutgrown(heapBytes) {
    const limit = { ...DEFAULT_LIMITS, ...this.#options.limits }.memoryBytes;
    if (limit === null || !(heapBytes > limit)) return;
    this.#replace(`its heap grew to ${heapBytes} bytes, past the session's memory limit (memoryBytes=${limit}), and a heap never shrinks`);
  }

  #end() {
    this.#exec?.ended.resolve();
    this.#exec = null;
    // Let the code awaiting this execution start its next one first, then the queue.
    if (this.#queue.length) setTimeout(() => this.#drain());
    // Wake a listener still waiting for a call that will not come.
    if (this.#header) Atomics.notify(this.#header, SLOT.REQUEST);
  }

  #crash(worker, cause) {
    if (worker === this.#spare?.worker) return this.#dropSpare();
    if (worker !== this.#worker) return;
    this.#lastCrash = cause;
    this.#shutDown(fail("worker-crashed", `the worker crashed: ${cause}`));
  }

  /** Terminate the worker and reject everything outstanding with `error`. */
  #shutDown(error) {
    const { exec, loading, queue } = { exec: this.#exec, loading: this.#loading, queue: this.#queue };
    this.#queue = [];
    this.#worker?.terminate();
    this.#worker = null;
    this.#info = null;
    this.#loading = null;
    this.#end();
    if (exec?.pending) {
      // Its waiter already delivered the pending state: whoever follows the execution on
      // (runWithHostFunctions, call) needs a state that fails.
      exec.waiter = deferred();
      exec.waiter.promise.catch(() => {}); // nobody may be following it (start/resume)
    }
    exec?.preempted.resolve(PREEMPTED);
    this.#handles.clear(); // the Python wrappers died with the worker
    exec?.waiter.reject(error);
    loading?.reject(error);
    for (const { queued } of queue) queued.reject(error);
  }
}

/** Make a pending state's `args` and `kwargs` the values `decode()` returns, decoded when first read. */
function decodeOnRead(state, decode) {
  let values = null;
  const read = (i) => (values ??= decode())[i];
  Object.defineProperties(state, {
    args: { get: () => read(0), enumerable: true },
    kwargs: { get: () => read(1), enumerable: true },
  });
}

/** The Python exception a thrown JavaScript value becomes: its name and message. */
function errorInfo(error) {
  if (error instanceof HostcallError && error.code === "stale-handle") return { type: "StaleHandleError", message: error.message };
  if (!(error instanceof Error)) return { type: "Error", message: String(error) };
  const info = { type: error.name || "Error", message: error.message };
  if (typeof error.stack === "string") info.traceback = error.stack; // shown as a note in Python
  return info;
}
