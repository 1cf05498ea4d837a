/**
 * hostcall's bridge: run Python (Pyodide) in a Web Worker and let it call the page.
 *
 * A self-contained script: `<script src="/bridge.js"></script>` defines `window.Hostcall`.
 * The public API is documented in docs/api.md and typed in bridge.d.ts; every message
 * between this file and worker/worker.js is described in docs/protocol.md.
 *
 * The worker imports this same file to share the wire section below, so the protocol
 * is written down once: in a worker it defines only `globalThis.HostcallWire`.
 */
(function (global) {
  "use strict";

  // ---------------------------------------------------------------- wire (shared) --

  /** Message types, bridge -> worker and worker -> bridge (docs/protocol.md). */
  const MSG = Object.freeze({
    INIT: "init", RUN: "run", REPLY: "reply", // bridge -> worker
    READY: "ready", PROGRESS: "progress", OUTPUT: "output", CALL: "call",
    DONE: "done", FAILED: "failed", CRASHED: "crashed", // worker -> bridge
  });

  /**
   * The shared call channel (atomics transport): an Int32 header, then one frame.
   * The worker bumps REQUEST after writing a call; the page bumps REPLY after writing
   * the answer. Strict alternation means one frame area serves both directions.
   */
  const SLOT = Object.freeze({ REQUEST: 0, REPLY: 1, OUTPUT_SEQ: 2, INTERRUPT: 3 });
  const HEADER_BYTES = 64;
  const CHANNEL_BYTES = 1 << 16;
  const CHANNEL_MAX_BYTES = 1 << 30;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  /** A growable SharedArrayBuffer for the call channel. */
  function createChannel() {
    return new SharedArrayBuffer(CHANNEL_BYTES, { maxByteLength: CHANNEL_MAX_BYTES });
  }

  /** Typed views of a channel, made again only when it has grown. */
  const channelViews = new WeakMap();

  function viewsOf(sab) {
    let views = channelViews.get(sab);
    if (views?.byteLength !== sab.byteLength) {
      views = { byteLength: sab.byteLength, bytes: new Uint8Array(sab), words: new Uint32Array(sab) };
      channelViews.set(sab, views);
    }
    return views;
  }

  const TABLE = HEADER_BYTES / 4; // word index of the frame's table
  const SHORT_TEXT = 2048;
  const ASCII = /^[\x00-\x7f]*$/;

  /**
   * UTF-8 bytes of `text`, or null for short ASCII, which {@link putText} copies by hand:
   * TextEncoder costs microseconds per call, more than the rest of a host call's framing.
   */
  function utf8(text) {
    return text.length <= SHORT_TEXT && ASCII.test(text) ? null : encoder.encode(text);
  }

  function putText(data, at, text, bytes) {
    if (bytes) return data.set(bytes, at); // encodeInto refuses shared views: encode, then copy
    for (let i = 0; i < text.length; i++) data[at + i] = text.charCodeAt(i);
  }

  function getText(data, at, length) {
    if (length <= SHORT_TEXT) {
      const view = data.subarray(at, at + length);
      if (view.every((byte) => byte < 128)) return String.fromCharCode.apply(null, view);
    }
    return decoder.decode(data.slice(at, at + length)); // decode refuses shared views
  }

  /**
   * Write `text` and `blobs` (Uint8Arrays) as one frame after the header:
   * [u32 textBytes][u32 blobCount][u32 blobBytes]* [text][blob]*.
   */
  function writeFrame(sab, text, blobs) {
    const bytes = utf8(text);
    const textBytes = bytes ? bytes.length : text.length;
    const dataStart = HEADER_BYTES + 8 + 4 * blobs.length;
    const size = blobs.reduce((sum, blob) => sum + blob.byteLength, dataStart + textBytes);
    if (size > CHANNEL_MAX_BYTES) throw new RangeError(`a frame of ${size} bytes exceeds the channel`);
    if (size > sab.byteLength) sab.grow(Math.min(CHANNEL_MAX_BYTES, 2 ** Math.ceil(Math.log2(size))));
    const { words, bytes: data } = viewsOf(sab);
    words[TABLE] = textBytes;
    words[TABLE + 1] = blobs.length;
    putText(data, dataStart, text, bytes);
    let at = dataStart + textBytes;
    blobs.forEach((blob, i) => {
      words[TABLE + 2 + i] = blob.byteLength;
      data.set(blob, at);
      at += blob.byteLength;
    });
  }

  /** Read the frame written by {@link writeFrame}; blobs are views valid until the next frame. */
  function readFrame(sab) {
    const { words, bytes: data } = viewsOf(sab);
    const textBytes = words[TABLE];
    const count = words[TABLE + 1];
    let at = HEADER_BYTES + 8 + 4 * count;
    const text = getText(data, at, textBytes);
    at += textBytes;
    const blobs = [];
    for (let i = 0; i < count; i++) {
      const size = words[TABLE + 2 + i];
      blobs.push(data.subarray(at, at + size));
      at += size;
    }
    return { text, blobs };
  }

  /** How long a waiter polls before it sleeps, and at most how many waits it skips polling. */
  const POLL_MS = 0.05;
  const MAX_REST = 1024;

  /**
   * A waiter's bounded poll before it sleeps: `poll(header, slot, value)` spins while
   * `header[slot]` holds `value`, for at most POLL_MS, and says whether it changed.
   *
   * Waking a thread that sleeps in Atomics.wait or waitAsync costs tens of microseconds,
   * more than a whole round trip between two awake threads, so polling pays when the other
   * side answers quickly. A poll that fails wastes its time, and when busy threads
   * outnumber cores every poll fails (the poller holds the core the other side needs): so
   * after a miss the next waits sleep at once, twice as many after each further miss.
   */
  function poller() {
    let resting = 0; // waits left that sleep without polling
    let rest = 1; // how many waits the next miss skips
    return (header, slot, value) => {
      if (resting > 0) {
        resting--;
        return false;
      }
      const until = performance.now() + POLL_MS;
      while (Atomics.load(header, slot) === value) {
        if (performance.now() > until) {
          resting = rest;
          rest = Math.min(2 * rest, MAX_REST);
          return false;
        }
      }
      rest = 1;
      return true;
    };
  }

  const inWorker = typeof WorkerGlobalScope !== "undefined" && global instanceof WorkerGlobalScope;
  if (inWorker) {
    global.HostcallWire = Object.freeze({ MSG, SLOT, writeFrame, readFrame, poller });
    return;
  }

  // ---------------------------------------------------------------- errors --

  /**
   * A misuse of the bridge or a failure of the machinery (never a Python exception:
   * those are results). `code` is stable; docs/api.md lists every code.
   */
  class HostcallError extends Error {
    constructor(code, message, options) {
      super(message, options);
      this.name = "HostcallError";
      this.code = code;
    }
  }

  const fail = (code, message, options) => new HostcallError(code, message, options);

  // ---------------------------------------------------------------- values --

  /** A Python tuple on the JavaScript side: an Array that goes back to Python as a tuple. */
  class Tuple extends Array {}

  const TAG = "$hc";
  const FLOATS = { nan: NaN, inf: Infinity, "-inf": -Infinity };

  /**
   * Encode a JavaScript value for Python: `{json, blobs}` (see docs/protocol.md, "Values").
   * Throws HostcallError("unserializable") naming the offending type and its path.
   */
  function encodeValue(value, root) {
    const blobs = [];
    return { wire: toWire(value, blobs, root, new Set()), blobs };
  }

  function toWire(value, blobs, path, active) {
    switch (typeof value) {
      case "undefined": return null;
      case "boolean": case "string": return value;
      case "number":
        if (Number.isFinite(value)) return value;
        return { [TAG]: "float", v: Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
      case "bigint":
        return Number.isSafeInteger(Number(value)) ? Number(value) : { [TAG]: "int", v: String(value) };
      case "object":
        if (value === null) return null;
        return objectToWire(value, blobs, path, active);
      default:
        throw fail("unserializable", `${path}: a ${typeof value} cannot cross to Python`);
    }
  }

  function objectToWire(value, blobs, path, active) {
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      const view = value instanceof ArrayBuffer ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      blobs.push(view.slice());
      return { [TAG]: "bytes", i: blobs.length - 1 };
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw fail("unserializable", `${path}: an invalid Date cannot cross to Python`);
      return { [TAG]: "date", v: value.getTime() };
    }
    if (active.has(value)) throw fail("unserializable", `${path}: a cyclic ${typeName(value)} cannot cross to Python`);
    active.add(value);
    try {
      return containerToWire(value, blobs, path, active);
    } finally {
      active.delete(value);
    }
  }

  function containerToWire(value, blobs, path, active) {
    const each = (items, at) => Array.from(items, (item, i) => toWire(item, blobs, at(i), active));
    if (value instanceof Tuple) return { [TAG]: "tuple", v: each(value, (i) => `${path}[${i}]`) };
    if (Array.isArray(value)) return each(value, (i) => `${path}[${i}]`);
    if (value instanceof Set) return { [TAG]: "set", v: each(value, (i) => `${path}{item ${i}}`) };
    if (value instanceof Map) {
      const pairs = Array.from(value, ([k, v]) => [
        toWire(k, blobs, `${path}{key ${String(k)}}`, active),
        toWire(v, blobs, `${path}.get(${String(k)})`, active),
      ]);
      return { [TAG]: "map", v: pairs };
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw fail("unserializable", `${path}: a ${typeName(value)} cannot cross to Python`);
    }
    const entries = Object.entries(value).map(([k, v]) => [k, toWire(v, blobs, `${path}.${k}`, active)]);
    if (Object.hasOwn(value, TAG)) return { [TAG]: "map", v: entries };
    return Object.fromEntries(entries);
  }

  function typeName(value) {
    return value?.constructor?.name || Object.prototype.toString.call(value).slice(8, -1);
  }

  /** Decode a value sent by Python (the `wire` form of docs/protocol.md) in place. */
  function decodeValue(wire, blobs) {
    if (Array.isArray(wire)) {
      for (let i = 0; i < wire.length; i++) wire[i] = decodeValue(wire[i], blobs);
      return wire;
    }
    if (wire === null || typeof wire !== "object") return wire;
    if (!Object.hasOwn(wire, TAG)) {
      for (const key of Object.keys(wire)) wire[key] = decodeValue(wire[key], blobs);
      return wire;
    }
    switch (wire[TAG]) {
      case "bytes": return blobs[wire.i];
      case "tuple": return Tuple.from(wire.v, (item) => decodeValue(item, blobs));
      case "set": return new Set(wire.v.map((item) => decodeValue(item, blobs)));
      case "map": {
        const pairs = wire.v.map(([k, v]) => [decodeValue(k, blobs), decodeValue(v, blobs)]);
        // A dict keyed by strings only is an object, even when it needed the map form (a "$hc" key).
        return pairs.every(([k]) => typeof k === "string") ? Object.fromEntries(pairs) : new Map(pairs);
      }
      case "int": return BigInt(wire.v);
      case "float": return FLOATS[wire.v];
      case "date": return new Date(wire.v);
      default: throw fail("internal", `unknown value tag ${JSON.stringify(wire[TAG])}`);
    }
  }

  /** Parse a JSON text from the worker and decode its values; skip the walk when untagged. */
  function parseWire(text, blobs) {
    const parsed = JSON.parse(text);
    return text.includes(`"${TAG}"`) ? decodeValue(parsed, blobs) : parsed;
  }

  // ---------------------------------------------------------------- sessions --

  const scriptURL = document.currentScript?.src ?? location.href;
  const TRANSPORTS = ["auto", "atomics", "jspi"];
  const LIMIT_KEYS = ["timeoutMs", "memoryBytes", "recursionDepth", "maxOutputBytes", "maxHostCalls"];

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
  class Session {
    #options;
    #worker = null;
    #channel = null; // SharedArrayBuffer when the transport is atomics
    #header = null; // the channel's Int32 header slots (SLOT)
    #info = null; // the worker's READY message
    #loading = null; // the deferred of an init in progress
    #nextId = 1;
    #exec = null; // the execution started and not yet complete
    #lastCrash = null;
    #outputSeq = 0; // the sequence number of the last output message received
    #requestsSeen = 0; // the shared channel's REQUEST count already handled
    #poll = poller(); // for the worker's next call, right after answering one

    constructor(options = {}) {
      this.#options = options;
    }

    /**
     * Create the worker and load Pyodide. Resolves with `discover()`'s info; calling it
     * again while loading or loaded returns the same answer.
     */
    init(options = {}) {
      try {
        options = this.#initOptions(options);
      } catch (error) {
        return Promise.reject(error);
      }
      if (this.#info) return Promise.resolve(this.discover());
      if (this.#loading) return this.#loading.promise;
      this.#loading = deferred();
      this.#spawn(options);
      return this.#loading.promise;
    }

    #initOptions(options) {
      if (options === null || typeof options !== "object") throw fail("invalid-argument", "init(options): options must be an object");
      options = { ...this.#options, ...options };
      const transport = options.transport ?? "auto";
      if (!TRANSPORTS.includes(transport)) throw fail("invalid-argument", `init: transport must be one of ${TRANSPORTS.join(", ")}`);
      if (transport === "atomics" && !global.crossOriginIsolated) {
        throw fail("transport-unavailable", "init: the atomics transport needs a cross-origin isolated page "
          + "(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)");
      }
      if (!this.#info && !this.#loading) this.#options = options;
      return { ...options, transport };
    }

    #spawn(options) {
      const base = new URL(options.baseURL ?? ".", scriptURL);
      const worker = new Worker(new URL("worker/worker.js", base), { type: "module", name: "hostcall" });
      this.#worker = worker;
      this.#outputSeq = 0;
      this.#requestsSeen = 0;
      this.#channel = options.transport !== "jspi" && global.crossOriginIsolated ? createChannel() : null;
      this.#header = this.#channel && new Int32Array(this.#channel, 0, 4);
      worker.onmessage = (event) => this.#onMessage(worker, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#crash(worker, `an uncaught error in the worker: ${event.message || "the worker script failed to load"}`);
      };
      worker.onmessageerror = () => this.#crash(worker, "a message from the worker could not be read");
      worker.postMessage({
        type: MSG.INIT,
        id: this.#nextId++,
        indexURL: String(new URL(options.indexURL ?? "pyodide/", base)),
        pythonURL: String(new URL("worker/python/", base)),
        channel: this.#channel,
        lock: `hostcall-worker-${crypto.randomUUID()}`,
      });
    }

    /** Run `code` to completion; it may not call host functions. */
    run(code, options = {}) {
      return this.start(code, { ...options, extFns: [] });
    }

    /**
     * Start running `code`. Resolves with the first state: `pending` when Python calls
     * one of `extFns`, or `complete`.
     */
    start(code, options = {}) {
      try {
        const request = this.#runRequest(code, options);
        const exec = this.#begin(request.id, options.onOutput);
        this.#worker.postMessage(request);
        if (this.#channel && request.extFns.length) this.#listen(exec);
        return exec.waiter.promise;
      } catch (error) {
        return Promise.reject(error);
      }
    }

    #runRequest(code, options) {
      this.#assertReady("start");
      if (this.#exec) throw fail("busy", "start: another execution of this session is running or paused; resume it or wait for it to complete");
      if (typeof code !== "string") throw fail("invalid-argument", `start: code must be a string, not ${typeName(code)}`);
      if (options === null || typeof options !== "object") throw fail("invalid-argument", "start: options must be an object");
      const { extFns = [], scriptName = "main.py", limits, onOutput } = options;
      if (!Array.isArray(extFns)) throw fail("invalid-argument", "start: extFns must be an array of function names");
      if (typeof scriptName !== "string" || !scriptName) throw fail("invalid-argument", "start: scriptName must be a non-empty string");
      if (onOutput !== undefined && typeof onOutput !== "function") throw fail("invalid-argument", "start: onOutput must be a function");
      checkLimits(limits);
      if (extFns.length && this.#info.transport === "none") throw fail("transport-unavailable", `start: ${this.#info.reason}`);
      return { type: MSG.RUN, id: this.#nextId++, code, scriptName, extFns };
    }

    #begin(id, onOutput) {
      this.#exec = {
        id, onOutput, waiter: deferred(), pending: null, held: null,
        stdout: [], stderr: [],
      };
      return this.#exec;
    }

    /** Continue the paused Python code: the pending call returns `value`. */
    resume(value) {
      try {
        const exec = this.#pendingExec("resume");
        const { wire, blobs } = encodeValue(value, "resume() value");
        return this.#answer(exec, JSON.stringify({ ok: true, value: wire }), blobs);
      } catch (error) {
        return Promise.reject(error);
      }
    }

    /**
     * Continue the paused Python code by raising at the pending call: the builtin
     * exception named `type` (ValueError, KeyError, ...), or `hostcall.HostError`.
     */
    resumeWithError(error) {
      try {
        const exec = this.#pendingExec("resumeWithError");
        if (error === null || typeof error !== "object" || typeof error.type !== "string" || !error.type) {
          throw fail("invalid-argument", "resumeWithError: expected {type: string, message: string}");
        }
        const message = error.message === undefined ? "" : error.message;
        if (typeof message !== "string") throw fail("invalid-argument", "resumeWithError: message must be a string");
        return this.#answer(exec, JSON.stringify({ ok: false, error: { type: error.type, message } }), []);
      } catch (failure) {
        return Promise.reject(failure);
      }
    }

    #pendingExec(method) {
      this.#assertReady(method);
      const exec = this.#exec;
      if (!exec?.pending) throw fail("no-pending-call", `${method}: no host call is waiting for an answer`);
      return exec;
    }

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
      if (this.#channel) {
        Atomics.add(this.#header, SLOT.REPLY, 1);
        Atomics.notify(this.#header, SLOT.REPLY);
        this.#listen(exec, true); // Python usually calls again within microseconds: poll first
      } else {
        this.#worker.postMessage({ type: MSG.REPLY, id: exec.id, text, blobs }, blobs.map((b) => b.buffer));
      }
      return exec.waiter.promise;
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
      const call = JSON.parse(text);
      const state = {
        state: "pending",
        callId: call.id,
        functionName: call.fn,
        args: decodeValue(call.args, blobs),
        kwargs: decodeValue(call.kwargs, blobs),
      };
      // Output posted before the call may still be in flight: hold the call until it lands.
      exec.held = { state, outputSeq };
      this.#release(exec);
    }

    #release(exec) {
      if (!exec.held || this.#outputSeq < exec.held.outputSeq) return;
      exec.pending = exec.held.state;
      exec.held = null;
      exec.waiter.resolve(exec.pending);
    }

    /** `{loaded, loading, busy, transport, reason, isolation, ...}` without waiting. */
    discover() {
      const info = this.#info;
      return {
        loaded: Boolean(info),
        loading: Boolean(this.#loading),
        busy: Boolean(this.#exec),
        transport: info?.transport ?? null,
        reason: info?.reason ?? null,
        isolation: Boolean(global.crossOriginIsolated),
        pyodideVersion: info?.pyodideVersion ?? null,
        pythonVersion: info?.pythonVersion ?? null,
        lastCrash: this.#lastCrash,
      };
    }

    /** Terminate the worker; every outstanding promise rejects with a `disposed` error. */
    dispose() {
      this.#shutDown(fail("disposed", "the session was disposed"));
      return Promise.resolve();
    }

    /** Not yet available: snapshots arrive with their own issue. */
    snapshot() {
      return Promise.reject(fail("not-supported", "snapshot is not supported yet"));
    }

    /** Not yet available: snapshots arrive with their own issue. */
    restore() {
      return Promise.reject(fail("not-supported", "restore is not supported yet"));
    }

    /**
     * Run `code` and answer its host calls with `handlers` (name -> function, sync or
     * async). A handler that throws raises in Python (see resumeWithError).
     */
    async runWithHostFunctions(code, handlers, options = {}) {
      if (handlers === null || typeof handlers !== "object") throw fail("invalid-argument", "runWithHostFunctions: handlers must be an object of functions");
      for (const [name, handler] of Object.entries(handlers)) {
        if (typeof handler !== "function") throw fail("invalid-argument", `runWithHostFunctions: handler ${name} is not a function`);
      }
      let state = await this.start(code, { ...options, extFns: Object.keys(handlers) });
      while (state.state === "pending") {
        const { functionName, args, kwargs } = state;
        let value;
        try {
          value = Object.keys(kwargs).length ? handlers[functionName](...args, kwargs) : handlers[functionName](...args);
          // Await only a promise (or thenable): answering a plain value at once skips the
          // microtask turns an await would add to every synchronous host call.
          if (typeof value?.then === "function") value = await value;
        } catch (error) {
          state = await this.resumeWithError(errorInfo(error));
          continue;
        }
        try {
          state = await this.resume(value);
        } catch (error) {
          if (error?.code !== "unserializable") throw error;
          state = await this.resumeWithError({ type: "TypeError", message: `${functionName} returned ${error.message}` });
        }
      }
      return state;
    }

    #assertReady(method) {
      if (this.#info) return;
      const why = this.#lastCrash ? ` (the worker crashed: ${this.#lastCrash}; call init() again)` : "; call init() first";
      throw fail("not-initialized", `${method}: the session is not initialised${why}`);
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
      this.#info = message;
      this.#lastCrash = null;
      this.#watch(worker, message.lock);
      const loading = this.#loading;
      this.#loading = null;
      loading.resolve(this.discover());
    }

    /** A worker can vanish without an event (terminate, self.close): its Web Lock tells us. */
    #watch(worker, lock) {
      global.navigator.locks?.request(lock, () => this.#crash(worker, "the worker stopped"));
    }

    #onOutput({ stream, text, seq }) {
      const exec = this.#exec;
      this.#outputSeq = seq;
      callback(this.#options.onOutput, stream, text);
      if (!exec) return;
      callback(exec.onOutput, stream, text);
      (stream === "stderr" ? exec.stderr : exec.stdout).push(text);
      this.#release(exec);
    }

    #onDone({ id, text, blobs }) {
      const exec = this.#exec;
      if (!exec || exec.id !== id) return;
      this.#end();
      const result = parseWire(text, blobs);
      const output = { stdout: exec.stdout.join(""), stderr: exec.stderr.join("") };
      exec.waiter.resolve(result.ok
        ? { state: "complete", ok: true, value: result.value, ...output }
        : { state: "complete", ok: false, error: result.error, ...output });
    }

    #onFailed({ id, code, message }) {
      const exec = this.#exec;
      if (!exec || exec.id !== id) return;
      this.#end();
      exec.waiter.reject(fail(code, message));
    }

    #end() {
      this.#exec = null;
      // Wake a listener still waiting for a call that will not come.
      if (this.#header) Atomics.notify(this.#header, SLOT.REQUEST);
    }

    #crash(worker, cause) {
      if (worker !== this.#worker) return;
      this.#lastCrash = cause;
      this.#shutDown(fail("worker-crashed", `the worker crashed: ${cause}`));
    }

    /** Terminate the worker and reject everything outstanding with `error`. */
    #shutDown(error) {
      const { exec, loading } = { exec: this.#exec, loading: this.#loading };
      this.#worker?.terminate();
      this.#worker = null;
      this.#info = null;
      this.#loading = null;
      this.#end();
      exec?.waiter.reject(error);
      loading?.reject(error);
    }
  }

  function checkLimits(limits) {
    if (limits === undefined) return;
    if (limits === null || typeof limits !== "object") throw fail("invalid-argument", "start: limits must be an object");
    const unknown = Object.keys(limits).filter((key) => !LIMIT_KEYS.includes(key));
    if (unknown.length) throw fail("invalid-argument", `start: unknown limits ${unknown.join(", ")}; known: ${LIMIT_KEYS.join(", ")}`);
    if (Object.keys(limits).length) throw fail("not-supported", "start: limits are not enforced yet");
  }

  /** Call a user's callback; its exception is reported, never allowed to derail the bridge. */
  function callback(fn, ...args) {
    try {
      fn?.(...args);
    } catch (error) {
      global.reportError(error);
    }
  }

  function errorInfo(error) {
    if (error instanceof Error) return { type: error.name || "Error", message: error.message };
    return { type: "Error", message: String(error) };
  }

  const defaultSession = new Session();

  /** The public API: the default session's methods, plus sessions and types. */
  global.Hostcall = Object.freeze({
    init: (options) => defaultSession.init(options),
    run: (code, options) => defaultSession.run(code, options),
    start: (code, options) => defaultSession.start(code, options),
    resume: (value) => defaultSession.resume(value),
    resumeWithError: (error) => defaultSession.resumeWithError(error),
    snapshot: () => defaultSession.snapshot(),
    restore: (data) => defaultSession.restore(data),
    discover: () => defaultSession.discover(),
    dispose: () => defaultSession.dispose(),
    runWithHostFunctions: (code, handlers, options) => defaultSession.runWithHostFunctions(code, handlers, options),
    createSession: (options) => new Session(options),
    Session,
    HostcallError,
    Tuple,
  });
})(globalThis);
