/**
 * Over 400 lines for a reason: it is the Session API of docs/api.md, one method per public
 * method with its argument checks, and the lifecycle they share; the work is done elsewhere.
 *
 * A session: one Python interpreter in its own worker (docs/api.md). The public class reads
 * as the API, and owns the session's lifecycle; the parts live beside it: workers.js (spawn,
 * spare, lock), transport.js (the page's side of atomics and jspi), executions.js (the
 * running execution, the queue, the worker's messages about them), execution.js (one
 * execution's states), host-calls.js, proxies.js, limits.js. The session's and an
 * execution's states are the contract in docs/protocol.md, "States".
 */
import { MSG } from "../wire/messages.js";
import { encodeArguments } from "../wire/values.js";
import { callback } from "./callback.js";
import { deferred } from "./deferred.js";
import { typeName } from "./describe.js";
import { HostcallError, PythonError, fail, typed } from "./errors.js";
import { Executions } from "./executions.js";
import { HandleTable } from "./handles.js";
import { RESUME_ENCODED, WATCH, Watchers } from "./hooks.js";
import { checkInitOptions } from "./init-options.js";
import { isolation, pendingServiceWorker, requestServiceWorker } from "./isolation.js";
import { executionLimits } from "./limits.js";
import { checkHandlers, checkOptions, resolveLimits } from "./options.js";
import { PythonProxies } from "./proxies.js";
import { transportFor } from "./transport.js";
import { Workers } from "./workers.js";

/**
 * The session's lifecycle: `new` → `loading` → `ready`; from `ready` (or `loading`) to
 * `crashed` or `terminated`, which restart on the next use, or `disposed`; a load that
 * fails leaves `failed`. init() loads again from any state but `loading` and `ready`.
 * @typedef {"new" | "loading" | "ready" | "failed" | "crashed" | "terminated" | "disposed"} SessionState
 */

/**
 * One Python interpreter in its own worker. `Hostcall.createSession()` makes these;
 * the top-level `Hostcall` methods use a default one.
 */
export class Session {
  #options;
  /** @type {SessionState} */ #state = "new";
  #info = null; // the worker's READY message, while ready
  #loading = null; // the deferred of the load in progress
  #lastCrash = null; // why the worker crashed or was terminated: the next use restarts it
  #nextId = 1;
  #worker = null;
  #handles = new HandleTable();
  #proxies = new PythonProxies(() => this.#worker, (name, target, args) => this.#invokeProxy(name, target, args));
  #executions = new Executions({
    handles: this.#handles,
    peer: { object: (id) => this.#handles.object(id), python: (wire) => this.#proxies.make(wire) },
    options: () => this.#options,
    replace: (why) => this.#replace(why),
    watch: (stream, text, internal) => this.#watchers.notify("output", stream, text, internal),
  });
  #watchers = new Watchers(); // the embed layer's (hooks.js, WATCH)
  #registered = {}; // host functions of every run (register())
  #library = null; // the loaded web/host-functions.js module
  #workers = new Workers({
    newId: () => this.#nextId++,
    onMessage: (worker, message) => this.#onMessage(worker, message),
    onCrash: (worker, cause) => this.#crash(worker, cause),
  });

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
    if (this.#state === "ready") return Promise.resolve(this.discover());
    if (this.#state === "loading") return this.#loading.promise;
    const before = this.#state;
    const loading = this.#loading = deferred();
    this.#state = "loading";
    // A service worker being registered may reload the page: no worker is started before.
    const registering = pendingServiceWorker();
    if (!registering) this.#load(loading, before);
    else registering.then(() => this.#load(loading, before));
    return loading.promise;
  }

  /** Start loading, unless `loading` was given up meanwhile (dispose()). */
  #load(loading, before) {
    if (this.#loading !== loading) return;
    try {
      this.#spawn();
    } catch (error) {
      this.#state = before; // nothing loads: the next init() tries again
      this.#loading = null;
      loading.reject(typed(error));
    }
  }

  /** Check init()'s options and, unless a worker is loading or loaded, keep them. */
  #takeOptions(options) {
    options = { ...this.#options, ...checkInitOptions("init", options) };
    if (options.serviceWorker) requestServiceWorker(options.serviceWorker);
    if ((options.transport ?? "auto") === "atomics" && !globalThis.crossOriginIsolated) {
      throw fail("transport-unavailable", "init: the atomics transport needs a cross-origin isolated page "
        + "(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)");
    }
    if (this.#state !== "ready" && this.#state !== "loading") this.#options = options;
  }

  /** Give the session a worker (the warm spare when there is one) and its transport. */
  #spawn() {
    const { worker, channel, ready } = this.#workers.take(this.#options);
    this.#worker = worker;
    this.#executions.attach(worker, transportFor(worker, channel, {
      onCall: (call) => this.#executions.onCall(call),
      onBroken: (cause) => this.#crash(worker, cause),
    }));
    if (ready) this.#onReady(worker, ready);
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
      if (this.#executions.current?.internal) return this.#executions.later(() => this.start(code, options));
      return this.#executions.launch(this.#runRequest(code, options), options.onOutput);
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  #runRequest(code, options) {
    this.#assertReady("start");
    if (this.#executions.current) throw fail("busy", "start: another execution of this session is running or paused; resume it or wait for it to complete");
    if (typeof code !== "string") throw fail("invalid-argument", `start: code must be a string, not ${typeName(code)}`);
    const { extFns = [], scriptName = "main.py", limits, onOutput } = options;
    if (!Array.isArray(extFns)) throw fail("invalid-argument", "start: extFns must be an array of function names");
    if (typeof scriptName !== "string" || !scriptName) throw fail("invalid-argument", "start: scriptName must be a non-empty string");
    if (onOutput !== undefined && typeof onOutput !== "function") throw fail("invalid-argument", "start: onOutput must be a function");
    if (extFns.length && this.#info.transport === "none") throw fail("transport-unavailable", `start: ${this.#info.reason}`);
    return { type: MSG.RUN, id: this.#nextId++, code, scriptName, extFns, limits: executionLimits("start", this.#options.limits, limits) };
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
      const current = this.#executions.current;
      if (current && !current.internal) throw fail("busy", "call: another execution of this session is running or paused");
      const go = () => this.#execute(name, { kind: "name", ref: name }, args, kwargs, { ...this.#registered, ...handlers }, options, false);
      return current ? this.#executions.later(go) : go();
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /** A Python callable or iterator the page holds: run it now, or after what runs and waits. */
  #invokeProxy(name, target, args) {
    const go = () => this.#execute(name, target, args, {}, this.#registered, {}, true);
    return this.#executions.current || this.#executions.queued ? this.#executions.later(go) : go();
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
      limits: executionLimits("call", this.#options.limits, options.limits),
    };
    const executions = this.#executions;
    const state = await executions.follow(executions.launch(request, options.onOutput, internal), handlers);
    if (state.ok) return state.value;
    throw new PythonError(state.error);
  }

  /**
   * Stop the running Python: KeyboardInterrupt at the next bytecodes, or at the pending
   * host call. If it has not stopped `interruptGraceMs` later (stuck in C code), the
   * worker is terminated. Resolves once the execution has ended either way.
   */
  interrupt() {
    // A run started during a restart begins once loading is done: stop it then.
    if (!this.#executions.current && this.#state === "loading") return this.#loading.promise.then(() => this.interrupt());
    return this.#executions.interrupt();
  }

  /** Continue the paused Python code: the pending call returns `value`. */
  resume(value) {
    return this.#whenReady("resume", () => this.#executions.resume(value));
  }

  /**
   * For hostcall's tooling (the headless driver's page script): continue the paused Python
   * code with an answer still encoded, `{ok, value | error, blobs}`, as a relay does
   * (docs/protocol.md, *Relays*). The pending state's `ENCODED_CALL` is its call so encoded.
   * @param {{ok: boolean, value?: unknown, error?: unknown, blobs?: Uint8Array[]}} answer
   */
  [RESUME_ENCODED](answer) {
    return this.#whenReady("resume", () => this.#executions.answerEncoded(answer));
  }

  /**
   * Continue the paused Python code by raising at the pending call: the builtin
   * exception named `type` (ValueError, KeyError, ...), built from `args` when given, or
   * `hostcall.HostError`.
   */
  resumeWithError(error) {
    return this.#whenReady("resumeWithError", () => this.#executions.resumeWithError(error));
  }

  /**
   * `{loaded, loading, busy, transport, reason, isolation, ...}` without waiting.
   * @returns {import("../../bridge.js").Info}
   */
  discover() {
    const info = this.#info;
    const { tier, why } = isolation();
    return {
      loaded: this.#state === "ready",
      loading: this.#state === "loading",
      busy: Boolean(this.#executions.current),
      transport: info?.transport ?? null,
      reason: info ? [info.reason, why].filter(Boolean).join("; ") : null,
      isolation: tier,
      pyodideVersion: info?.pyodideVersion ?? null,
      pythonVersion: info?.pythonVersion ?? null,
      lastCrash: this.#lastCrash,
      spare: this.#workers.spare,
    };
  }

  /** Terminate the worker; every outstanding promise rejects with a `disposed` error. */
  dispose() {
    this.#shutDown(fail("disposed", "the session was disposed"), "disposed");
    this.#workers.dropSpare();
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
    return this.#executions.follow(first, handlers);
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

  /** For the embed layer: see every progress report and output chunk (hooks.js, WATCH). */
  [WATCH](watcher) {
    this.#watchers.add(watcher);
  }

  /** Crashed or terminated (or loading again after that): the next use starts a new worker. */
  #restarting() {
    return this.#state !== "ready" && this.#lastCrash !== null;
  }

  #assertReady(method) {
    if (this.#state !== "ready") throw fail("not-initialized", `${method}: the session is not initialised; call init() first`);
  }

  /** `go()` once the session is ready, else a rejected `not-initialized` promise. */
  #whenReady(method, go) {
    try {
      this.#assertReady(method);
    } catch (error) {
      return Promise.reject(error);
    }
    return go();
  }

  #onMessage(worker, message) {
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
      case MSG.PROGRESS:
        this.#watchers.notify("progress", message.loaded, message.total);
        return callback(this.#options.onProgress, { loaded: message.loaded, total: message.total });
      case MSG.OUTPUT: return this.#executions.onOutput(message);
      case MSG.CALL: return this.#executions.onCall(message);
      case MSG.DONE: return this.#executions.onDone(message);
      case MSG.FAILED: return this.#executions.onFailed(message);
      case MSG.CRASHED: return this.#crash(worker, message.cause);
      default: return this.#crash(worker, `an unknown message from the worker: ${JSON.stringify(message?.type)}`);
    }
  }

  #onReady(worker, message) {
    if (message.error) return this.#shutDown(fail("load-failed", `init: ${message.error}`), "failed");
    this.#workers.library.then(
      (library) => this.#ready(worker, message, library),
      (error) => {
        this.#workers.forgetLibrary(); // try again on the next init()
        if (worker === this.#worker) this.#shutDown(fail("load-failed", `init: web/host-functions.js: ${error.message}`), "failed");
      },
    );
  }

  #ready(worker, message, library) {
    if (worker !== this.#worker) return;
    this.#library = library;
    this.#info = message;
    this.#state = "ready";
    this.#lastCrash = null;
    this.#workers.watch(worker, message.lock);
    const loading = this.#loading;
    this.#loading = null;
    loading.resolve(this.discover());
    this.#workers.prepareSpare(this.#options);
  }

  /** Terminate the worker because `why`; the session restarts on its next use. */
  #replace(why) {
    this.#lastCrash = `the worker was terminated: ${why}`;
    this.#shutDown(fail("terminated", `${this.#lastCrash}; the session restarts on its next use`), "terminated");
  }

  #crash(worker, cause) {
    if (worker !== this.#worker) return;
    this.#lastCrash = cause;
    this.#shutDown(fail("worker-crashed", `the worker crashed: ${cause}`), "crashed");
  }

  /**
   * Terminate the worker, reject everything outstanding with `error`, and enter `state`.
   * @param {Error} error
   * @param {SessionState} state
   */
  #shutDown(error, state) {
    const loading = this.#loading;
    this.#worker?.terminate();
    this.#worker = null;
    this.#info = null;
    this.#loading = null;
    this.#state = state;
    const rejectQueued = this.#executions.shutDown(error);
    loading?.reject(error);
    rejectQueued();
  }
}
