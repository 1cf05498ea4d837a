// Generated from js/bridge/index.js by scripts/build; do not edit.
"use strict";
(() => {
  // js/bridge/errors.js
  var HostcallError = class extends Error {
    /**
     * @param {import("../../bridge.js").HostcallErrorCode} code
     * @param {string} message
     * @param {ErrorOptions} [options]
     */
    constructor(code, message, options) {
      super(message, options);
      this.name = /** @type {const} */
      "HostcallError";
      this.code = code;
    }
  };
  var fail = (code, message, options) => new HostcallError(code, message, options);
  function typed(error) {
    if (error instanceof HostcallError) return error;
    return fail("invalid-argument", `an argument could not be read: ${error?.message ?? String(error)}`, { cause: error });
  }
  var PythonError = class extends Error {
    /** @param {{type: string, message: string, traceback?: import("../../bridge.js").TracebackFrame[], line?: number | null}} error */
    constructor({ type, message, traceback = [], line = null }) {
      super(`${type}: ${message}`);
      this.name = /** @type {const} */
      "PythonError";
      this.type = type;
      this.pythonMessage = message;
      this.traceback = traceback;
      this.line = line;
    }
  };
  function pythonError(type, message) {
    return Object.assign(new Error(message), { name: type });
  }

  // js/bridge/script-url.js
  var bridgeScript = (
    /** @type {HTMLScriptElement | null} */
    document.currentScript
  );
  var scriptURL = bridgeScript?.src || location.href;

  // js/wire/messages.js
  var MSG = Object.freeze({
    INIT: "init",
    RUN: "run",
    INVOKE: "invoke",
    REPLY: "reply",
    FORGET: "forget",
    INTERRUPT: "interrupt",
    // bridge -> worker
    READY: "ready",
    PROGRESS: "progress",
    OUTPUT: "output",
    CALL: "call",
    DONE: "done",
    FAILED: "failed",
    CRASHED: "crashed"
    // worker -> bridge
  });

  // js/bridge/describe.js
  function describeObject(object, kind) {
    if (kind !== "element") return typeName(object);
    const id = object.id ? `#${object.id}` : "";
    const classes = [...object.classList].map((name) => `.${name}`).join("");
    return `<${object.localName}${id}${classes}>`;
  }
  function typeName(value) {
    try {
      return value?.constructor?.name || Object.prototype.toString.call(value).slice(8, -1);
    } catch {
      return typeof value;
    }
  }
  var errorText = (error) => `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;

  // js/bridge/callback.js
  function callback(fn, ...args) {
    try {
      fn?.(...args);
    } catch (error) {
      globalThis.reportError(error);
    }
  }

  // js/bridge/handles.js
  var HandleRef = class {
    constructor(object) {
      if (object === null || typeof object !== "object" && typeof object !== "function") {
        throw fail("invalid-argument", "handle(object): only an object can be handed out as a handle");
      }
      this.object = object;
    }
  };
  var lastHandleId = 0;
  var HandleTable = class {
    #entries = /* @__PURE__ */ new Map();
    // id -> {object, refs, kept, run}
    #ids = /* @__PURE__ */ new Map();
    // object -> id
    #onFree = /* @__PURE__ */ new Set();
    get size() {
      return this.#entries.size;
    }
    /** The id of `object`, handed out (once more) to Python during execution `run`. */
    handOut(object, run, kind) {
      let id = this.#ids.get(object);
      if (id === void 0) {
        id = ++lastHandleId;
        this.#entries.set(id, { object, kind, refs: 0, kept: false, run });
        this.#ids.set(object, id);
      }
      this.#entries.get(id).refs++;
      return id;
    }
    /** The object behind `id`; a freed or foreign id throws a `stale-handle` error. */
    object(id) {
      const entry = this.#entries.get(id);
      if (!entry) {
        throw fail("stale-handle", `handle ${id} is stale: it was freed (explicitly, by garbage collection, or at the end of the run that made it; hostcall.keep() keeps one) or belongs to another session`);
      }
      return entry.object;
    }
    /** The id `object` is handed out under, or undefined. */
    idOf(object) {
      return this.#ids.get(object);
    }
    /** Python dropped one wrapper per id listed; an id may be listed more than once. */
    release(ids) {
      for (const id of ids) {
        const entry = this.#entries.get(id);
        if (entry && --entry.refs <= 0) this.free(id);
      }
    }
    /** Keep handles past the end of the run that made them. */
    keep(ids) {
      for (const id of ids) {
        const entry = this.#entries.get(id);
        if (entry) entry.kept = true;
      }
    }
    /** Forget `id` at once, whatever holds it; false when it was not handed out. */
    free(id) {
      const entry = this.#entries.get(id);
      if (!entry) return false;
      this.#entries.delete(id);
      this.#ids.delete(entry.object);
      for (const listener of this.#onFree) callback(listener, entry.object, id);
      return true;
    }
    /** Free the handles made during execution `run` that were not kept. */
    endRun(run) {
      for (const [id, entry] of this.#entries) if (entry.run === run && !entry.kept) this.free(id);
    }
    clear() {
      for (const id of [...this.#entries.keys()]) this.free(id);
    }
    /** Call `listener(object, id)` whenever a handle is freed; returns the unsubscribe function. */
    onFree(listener) {
      this.#onFree.add(listener);
      return () => this.#onFree.delete(listener);
    }
    /** `[{id, kind, refs, kept, label}]`, oldest first. */
    list() {
      return Array.from(this.#entries, ([id, { object, kind, refs, kept }]) => ({
        id,
        kind,
        refs,
        kept,
        label: describeObject(object, kind)
      }));
    }
  };
  function nativeHandleKind(value) {
    if (typeof Element === "function" && value instanceof Element) return "element";
    if (typeof Node === "function" && value instanceof Node) return "object";
    if (typeof value[Symbol.asyncIterator] === "function") return "iterator";
    return null;
  }

  // js/wire/values.js
  var TUPLE = /* @__PURE__ */ Symbol.for("hostcall.tuple");
  var Tuple = class extends Array {
    get [TUPLE]() {
      return true;
    }
    /** Whether `value` is a Tuple of any copy of this module. */
    static [Symbol.hasInstance](value) {
      return Array.isArray(value) && value[TUPLE] === true;
    }
  };
  var TAG = "$hc";
  var MAX_DEPTH = 200;
  var FLOATS = { nan: NaN, inf: Infinity, "-inf": -Infinity };
  function encodeValue(value, root, handles, run) {
    return encoding({ handles, run }, (context) => toWire(value, root, context));
  }
  function encoding({ handles, run, to = "Python", inline = false }, encode) {
    const context = { blobs: [], active: /* @__PURE__ */ new Set(), handles, run, handedOut: [], to, inline };
    try {
      return { wire: encode(context), blobs: context.blobs };
    } catch (error) {
      handles?.release(context.handedOut);
      throw error;
    }
  }
  function toWire(value, path, context) {
    switch (typeof value) {
      case "undefined":
        return null;
      case "boolean":
      case "string":
        return value;
      case "number":
        if (Number.isFinite(value)) return value;
        return { [TAG]: "float", v: Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
      case "bigint":
        return Number.isSafeInteger(Number(value)) ? Number(value) : { [TAG]: "int", v: String(value) };
      case "object":
        if (value === null) return null;
        return objectToWire(value, path, context);
      default:
        throw fail("unserializable", `${path}: a value of type '${typeof value}' cannot cross to ${context.to}`);
    }
  }
  function objectToWire(value, path, context) {
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      if (context.inline) return { [TAG]: "bytes", b64: view.toBase64() };
      context.blobs.push(view.slice());
      return { [TAG]: "bytes", i: context.blobs.length - 1 };
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw fail("unserializable", `${path}: an invalid Date cannot cross to ${context.to}`);
      return { [TAG]: "date", v: value.getTime() };
    }
    if (value instanceof HandleRef) return handleToWire(value.object, "object", path, context);
    const kind = nativeHandleKind(value);
    if (kind) return handleToWire(kind === "iterator" ? value[Symbol.asyncIterator]() : value, kind, path, context);
    if (context.active.has(value)) throw fail("unserializable", `${path}: a cyclic ${typeName(value)} cannot cross to ${context.to}`);
    if (context.active.size >= MAX_DEPTH) throw fail("unserializable", `${path}: nested deeper than ${MAX_DEPTH} levels`);
    context.active.add(value);
    try {
      return containerToWire(value, path, context);
    } finally {
      context.active.delete(value);
    }
  }
  function handleToWire(object, kind, path, { handles, run, handedOut, to }) {
    if (!handles) throw fail("unserializable", `${path}: a page object (${kind}) cannot cross to ${to}`);
    const id = handles.handOut(object, run, kind);
    handedOut.push(id);
    return { [TAG]: "handle", id, kind };
  }
  function containerToWire(value, path, context) {
    const each = (items, at) => Array.from(items, (item, i) => toWire(item, at(i), context));
    if (value instanceof Tuple) return { [TAG]: "tuple", v: each(value, (i) => `${path}[${i}]`) };
    if (Array.isArray(value)) return each(value, (i) => `${path}[${i}]`);
    if (value instanceof Set) return { [TAG]: "set", v: each(value, (i) => `${path}{item ${i}}`) };
    if (value instanceof Map) {
      const pairs = Array.from(value, ([k, v], i) => [toWire(k, `${path}{key ${i}}`, context), toWire(v, `${path}{value ${i}}`, context)]);
      return { [TAG]: "map", v: pairs };
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const hint = context.handles ? " (Hostcall.handle() hands it out as a handle)" : "";
      throw fail("unserializable", `${path}: a value of type '${typeName(value)}' cannot cross to ${context.to}${hint}`);
    }
    const entries = Object.entries(value).map(([k, v]) => [k, toWire(v, `${path}[${JSON.stringify(k)}]`, context)]);
    if (Object.hasOwn(value, TAG)) return { [TAG]: "map", v: entries };
    return Object.fromEntries(entries);
  }
  function decodeValue(wire, blobs, peer) {
    const decode = (item) => decodeValue(item, blobs, peer);
    if (Array.isArray(wire)) {
      for (let i = 0; i < wire.length; i++) wire[i] = decode(wire[i]);
      return wire;
    }
    if (wire === null || typeof wire !== "object") return wire;
    if (!Object.hasOwn(wire, TAG)) {
      for (const key of Object.keys(wire)) wire[key] = decode(wire[key]);
      return wire;
    }
    switch (wire[TAG]) {
      case "bytes":
        return wire.b64 === void 0 ? blobs[wire.i] : Uint8Array.fromBase64(wire.b64);
      case "tuple":
        return Tuple.from(wire.v, decode);
      case "set":
        return new Set(wire.v.map(decode));
      case "map": {
        const pairs = wire.v.map(([k, v]) => [decode(k), decode(v)]);
        return pairs.every(([k]) => typeof k === "string") ? Object.fromEntries(pairs) : new Map(pairs);
      }
      case "int":
        return BigInt(wire.v);
      case "float":
        return FLOATS[wire.v];
      case "date":
        return new Date(wire.v);
      case "handle":
        return peer.object(wire.id);
      case "callable":
      case "iterator":
        return peer.python(wire);
      default:
        throw fail("internal", `unknown value tag ${JSON.stringify(wire[TAG])}`);
    }
  }
  function encodeArguments(method, args, kwargs, handles, run, to) {
    return encoding({ handles, run, to }, (context) => ({
      args: args.map((arg, i) => toWire(arg, `${method}() argument ${i + 1}`, context)),
      kwargs: Object.fromEntries(Object.entries(kwargs).map(([key, arg]) => [key, toWire(arg, `${method}() argument '${key}'`, context)]))
    }));
  }
  var isTagged = (text) => text.includes(`"${TAG}"`);
  var EITHER_SIDE = /* @__PURE__ */ new Set(["handle", "callable", "iterator"]);
  function namesEitherSide(wire) {
    if (wire === null || typeof wire !== "object") return false;
    if (EITHER_SIDE.has(wire[TAG])) return true;
    return (Array.isArray(wire) ? wire : Object.values(wire)).some(namesEitherSide);
  }
  var OUTSIDE_PEER = Object.freeze({
    object: () => {
      throw fail("internal", "a value from outside the page named a page object");
    },
    python: () => {
      throw fail("internal", "a value from outside the page named a Python callable");
    }
  });

  // js/bridge/deferred.js
  function deferred() {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  // js/bridge/options.js
  var DEFAULT_LIMITS = Object.freeze({
    timeoutMs: null,
    memoryBytes: 2 ** 31,
    recursionDepth: null,
    maxOutputBytes: 2 ** 24,
    maxHostCalls: null
  });
  function checkHandlers(method, handlers) {
    if (handlers === null || typeof handlers !== "object") throw fail("invalid-argument", `${method}: handlers must be an object of functions`);
    for (const [name, handler] of Object.entries(handlers)) {
      if (typeof handler !== "function") throw fail("invalid-argument", `${method}: handler ${name} is not a function`);
    }
  }
  var RUN_OPTIONS = ["scriptName", "limits", "onOutput"];
  var OPTIONS = Object.freeze({
    init: ["baseURL", "indexURL", "transport", "onProgress", "onOutput", "limits", "interruptGraceMs", "allowJs", "startupSnapshot", "spare", "keptOutputChars", "serviceWorker", "packages"],
    run: RUN_OPTIONS,
    runWithHostFunctions: RUN_OPTIONS,
    start: ["extFns", ...RUN_OPTIONS],
    call: ["kwargs", "handlers", "onOutput", "limits"],
    hostFunctions: ["root", "only"],
    connect: ["token", "giveUpAfterMs", "heartbeatMs", "heartbeatTimeoutMs"],
    resumeWithError: ["type", "message", "traceback", "args", "exceptions"]
  });
  function checkOptions(method, options, known = OPTIONS[method], what = "option") {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw fail("invalid-argument", `${method}: ${what}s must be an object, not ${options === null ? "null" : typeName(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) throw fail("invalid-argument", `${method}: unknown ${what} ${JSON.stringify(key)}${suggestion(key, known, what)}`);
    }
    return options;
  }
  function suggestion(key, known, what) {
    const candidates = known.flatMap((name) => name === "limits" ? [[name, name], ...Object.keys(DEFAULT_LIMITS).map((limit) => [limit, `limits.${limit}`])] : [[name, name]]);
    let best = { path: null, score: Infinity };
    for (const [name, path] of candidates) {
      const score = closeness(key, name);
      if (score < best.score) best = { path, score };
    }
    if (!best.path) return `; known ${what}s: ${known.join(", ")}`;
    const [top, ...rest] = best.path.split(".");
    return `; did you mean ${JSON.stringify(top)}${rest.length ? ` (${best.path})` : ""}?`;
  }
  function closeness(key, name) {
    const [a, b] = [key.toLowerCase(), name.toLowerCase()];
    const distance = editDistance(a, b);
    const contained = Math.min(a.length, b.length) >= 4 && (a.includes(b) || b.includes(a));
    let at = 0;
    for (const char of b) if (char === a[at]) at++;
    const abbreviated = a.length >= 3 && a[0] === b[0] && at === a.length;
    if (contained || abbreviated) return distance / 100;
    return distance <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3)) ? distance : Infinity;
  }
  function editDistance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }
  function resolveLimits(method, limits) {
    if (limits === void 0) return {};
    checkOptions(method, limits, Object.keys(DEFAULT_LIMITS), "limit");
    for (const [key, value] of Object.entries(limits)) {
      const counted = key === "timeoutMs" ? Number.isFinite(value) : Number.isSafeInteger(value);
      if (value !== null && !(counted && value > 0)) {
        const what = key === "timeoutMs" ? "a positive number" : "a positive integer";
        throw fail("invalid-argument", `${method}: limits.${key} must be ${what} or null, not ${String(value)}`);
      }
    }
    return limits;
  }

  // js/wire/host-errors.js
  function errorToWire(error, path, context) {
    if (error === null || typeof error !== "object" || typeof error.type !== "string" || !error.type) {
      throw fail("invalid-argument", `${path}: expected {type: string, message: string}`);
    }
    const { type, message = "", traceback, args, exceptions } = checkOptions(path, error, OPTIONS.resumeWithError, "key");
    if (typeof message !== "string") throw fail("invalid-argument", `${path}: message must be a string`);
    if (traceback !== void 0 && typeof traceback !== "string") throw fail("invalid-argument", `${path}: traceback must be a string`);
    for (const [name, list] of [["args", args], ["exceptions", exceptions]]) {
      if (list !== void 0 && !Array.isArray(list)) throw fail("invalid-argument", `${path}: ${name} must be an array`);
    }
    const wire = { type, message, traceback };
    if (args) wire.args = toWire(args, `${path}: args`, context);
    if (exceptions) wire.exceptions = exceptions.map((each, i) => errorToWire(each, `${path}: exceptions[${i}]`, context));
    return wire;
  }
  function decodeHostError({ args, exceptions, ...error }, blobs) {
    if (args) error.args = decodeValue(args, blobs, OUTSIDE_PEER);
    if (exceptions) error.exceptions = exceptions.map((each) => decodeHostError(each, blobs));
    return error;
  }

  // js/bridge/output.js
  var KeptOutput = class {
    #ceiling;
    #kept = 0;
    // code units kept, both streams together
    /** @type {{stdout: string[], stderr: string[]}} */
    #parts = { stdout: [], stderr: [] };
    #dropped = { stdout: 0, stderr: 0 };
    /** @param {number} ceiling the most code units kept (init's keptOutputChars) */
    constructor(ceiling) {
      this.#ceiling = ceiling;
    }
    /**
     * Keep `text` of `stream` while the kept output is under the ceiling. The kept copy is the
     * start of the output: once a chunk does not fit whole, nothing later is kept.
     * @param {"stdout" | "stderr"} stream
     * @param {string} text
     */
    keep(stream, text) {
      let part = text;
      if (this.#kept + text.length > this.#ceiling) {
        part = text.slice(0, this.#ceiling - this.#kept);
        if (/[\ud800-\udbff]$/.test(part)) part = part.slice(0, -1);
        this.#kept = this.#ceiling;
      } else {
        this.#kept += text.length;
      }
      if (part) this.#parts[stream].push(part);
      this.#dropped[stream] += text.length - part.length;
    }
    /**
     * The kept `stream`, and a line saying how much was not kept, if any was.
     * @param {"stdout" | "stderr"} stream
     */
    collected(stream) {
      const text = this.#parts[stream].join("");
      const dropped = this.#dropped[stream];
      if (!dropped) return text;
      return `${text}
[hostcall: ${dropped} more characters of ${stream} not kept (keptOutputChars=${this.#ceiling}); onOutput received them all]
`;
    }
  };

  // js/bridge/execution.js
  var PREEMPTED = /* @__PURE__ */ Symbol("preempted");
  var Execution = class {
    /** @type {ExecutionState} */
    state = "running";
    #waiter = deferred();
    // the next state the execution reaches (pending or complete)
    #ended = deferred();
    #preempted = deferred();
    // resolved with PREEMPTED when the bridge takes the pending call from its host
    /** @type {{state: PendingState, outputSeq: number} | null} */
    #held = null;
    /** @type {PendingState | null} */
    #pending = null;
    #startedAt = performance.now();
    #pausedMs = 0;
    // time spent in answered host calls: the watchdog does not count it
    /** @type {number | null} */
    #pausedAt = null;
    /**
     * @param {number} id the execution's id (unique in its session)
     * @param {{onOutput?: Function, internal?: boolean, keptOutputChars: number}} options
     *   `internal`: a Python callback or iterator pull, which queues behind other executions
     */
    constructor(id, { onOutput, internal = false, keptOutputChars }) {
      this.id = id;
      this.onOutput = onOutput;
      this.internal = internal;
      this.output = new KeptOutput(keptOutputChars);
    }
    /** The execution's next state: a pending call or its completion (a failure rejects). */
    get next() {
      return this.#waiter.promise;
    }
    /** Resolves once the execution has ended, however it ended. */
    get ended() {
      return this.#ended.promise;
    }
    /** Resolves with PREEMPTED when the host's pending call is answered or dropped by the bridge. */
    get preempted() {
      return this.#preempted.promise;
    }
    /** The pending state the host holds, or null. */
    get pending() {
      return this.#pending;
    }
    /** Whether a host function call waits for the host (pending) or for output before it (held). */
    get awaitsHost() {
      return this.state === "held" || this.state === "pending";
    }
    /** Milliseconds the execution has run, less the time its host calls took. */
    activeMs(now = performance.now()) {
      const paused = this.#pausedMs + (this.#pausedAt === null ? 0 : now - this.#pausedAt);
      return now - this.#startedAt - paused;
    }
    /** Whether Python is paused in a host call (the watchdog waits for its answer). */
    get paused() {
      return this.#pausedAt !== null;
    }
    /** Python called out: the bridge decodes the call, and serves it or hands it on. */
    called() {
      this.#move(["running"], "serving");
      this.#pausedAt = performance.now();
    }
    /**
     * The call is for a host function: hold its pending state until the output posted before
     * the call (up to `outputSeq`) has arrived, so onOutput sees it first (docs/protocol.md).
     * @param {PendingState} state
     * @param {number} outputSeq
     */
    hold(state, outputSeq) {
      this.#move(["serving"], "held");
      this.#held = { state, outputSeq };
    }
    /**
     * Output up to `outputSeq` has arrived: a held call whose output is all in becomes
     * pending, and its state goes to whoever awaits the execution. Otherwise nothing changes.
     * @param {number} outputSeq
     */
    release(outputSeq) {
      if (this.state !== "held" || outputSeq < this.#held.outputSeq) return;
      this.#move(["held"], "pending");
      this.#pending = this.#held.state;
      this.#held = null;
      this.#waiter.resolve(this.#pending);
    }
    /** The host answered the pending call (resume, resumeWithError); returns the next state's promise. */
    answer() {
      this.#move(["pending"], "running");
      this.#resumed();
      return this.#waiter.promise;
    }
    /** The bridge answered a call it serves itself (`$next`, a call naming a stale handle). */
    served() {
      this.#move(["serving"], "running");
      this.#unpause();
    }
    /**
     * interrupt() answers the host's call itself, racing a handler that may still be running:
     * a pending call's handler sees `preempted` settle and follows the execution on instead
     * of answering (its late value is ignored). A held call's state was never delivered, so
     * whoever awaits it gets the next state instead.
     */
    preempt() {
      this.#move(["held", "pending"], "running");
      if (this.#held) {
        this.#held = null;
        this.#unpause();
        return;
      }
      this.#preempted.resolve(PREEMPTED);
      this.#preempted = deferred();
      this.#resumed();
    }
    /**
     * The execution finished: `state` is its complete state.
     * @param {object} state
     */
    complete(state) {
      this.#move(["running"], "ended");
      this.#ended.resolve();
      this.#waiter.resolve(state);
    }
    /**
     * The worker refused or failed the execution (a `failed` message).
     * @param {Error} error
     */
    fail(error) {
      this.#move(["running"], "ended");
      this.#ended.resolve();
      this.#waiter.reject(error);
    }
    /**
     * The worker is gone (crash, terminate, dispose): end in any state, with `error`.
     * @param {Error} error
     */
    shutDown(error) {
      const was = this.state;
      this.#move(["running", "serving", "held", "pending"], "ended");
      if (was === "pending") {
        this.#waiter = deferred();
        this.#waiter.promise.catch(() => {
        });
      }
      this.#pending = null;
      this.#held = null;
      this.#ended.resolve();
      this.#preempted.resolve(PREEMPTED);
      this.#waiter.reject(error);
    }
    /** Leave one of `from` for `to`, or throw (nothing changed). */
    #move(from, to) {
      if (!from.includes(this.state)) throw fail("internal", `execution ${this.id}: no way from ${this.state} to ${to}`);
      this.state = to;
    }
    /** A pending call was answered: its next state goes to a fresh waiter. */
    #resumed() {
      this.#pending = null;
      this.#waiter = deferred();
      this.#unpause();
    }
    #unpause() {
      if (this.#pausedAt !== null) this.#pausedMs += performance.now() - this.#pausedAt;
      this.#pausedAt = null;
    }
  };

  // js/bridge/hooks.js
  var ENCODED_CALL = /* @__PURE__ */ Symbol.for("hostcall.encodedCall");
  var RESUME_ENCODED = /* @__PURE__ */ Symbol.for("hostcall.resumeEncoded");
  var WATCH = /* @__PURE__ */ Symbol("hostcall.watch");
  var Watchers = class {
    /** @type {Set<Watcher>} */
    #watchers = /* @__PURE__ */ new Set();
    /** @param {Watcher} watcher */
    add(watcher) {
      this.#watchers.add(watcher);
    }
    /** @param {keyof Watcher} what @param {...any} args */
    notify(what, ...args) {
      for (const watcher of this.#watchers) callback(watcher[what], ...args);
    }
  };

  // js/bridge/host-calls.js
  var KWARGS = /* @__PURE__ */ Symbol("kwargs");
  var HOST_ERROR = /* @__PURE__ */ Symbol("host error");
  var RELAY = /* @__PURE__ */ Symbol("relay");
  function readCall(text, blobs, handles, peer) {
    const call = JSON.parse(text);
    settleHandles(handles, call);
    const tagged = isTagged(text);
    if (!call.fn.startsWith("$") && !(tagged && namesEitherSide([call.args, call.kwargs]))) {
      const encoded = { fn: call.fn, args: call.args, kwargs: call.kwargs, blobs };
      return { id: call.id, fn: call.fn, encoded, decode: tagged ? () => callArguments(call, blobs, true, peer) : null };
    }
    try {
      const [args, kwargs] = callArguments(call, blobs, tagged, peer);
      return { id: call.id, fn: call.fn, args, kwargs };
    } catch (error) {
      if (error?.code !== "stale-handle") throw error;
      return { refusal: JSON.stringify({ ok: false, error: errorInfo(error) }) };
    }
  }
  function pendingState({ id, fn, args, kwargs, encoded, decode }) {
    if (!encoded) return { state: "pending", callId: id, functionName: fn, args, kwargs };
    const state = { state: "pending", callId: id, functionName: fn, args: encoded.args, kwargs: encoded.kwargs };
    Object.defineProperty(state, ENCODED_CALL, { value: encoded });
    if (decode) {
      let values = null;
      const read = (i) => (values ??= decode())[i];
      Object.defineProperties(state, {
        args: { get: () => read(0), enumerable: true },
        kwargs: { get: () => read(1), enumerable: true }
      });
    }
    return state;
  }
  function callArguments({ fn, args, kwargs }, blobs, tagged, peer) {
    if (!tagged) return [args, kwargs];
    const decode = (value, what) => {
      try {
        return decodeValue(value, blobs, peer);
      } catch (error) {
        if (error?.code === "stale-handle") error.message = `${fn}() ${what}: ${error.message}`;
        throw error;
      }
    };
    return [
      args.map((arg, i) => decode(arg, `argument ${i + 1}`)),
      Object.fromEntries(Object.entries(kwargs).map(([key, arg]) => [key, decode(arg, `argument '${key}'`)]))
    ];
  }
  function readResult(text, blobs, handles, peer) {
    let result = JSON.parse(text);
    const notes = { release: result.release, keep: result.keep };
    try {
      if (isTagged(text)) result = decodeValue(result, blobs, peer);
    } catch (error) {
      if (error?.code !== "stale-handle") throw error;
      result = { ok: false, error: { ...errorInfo(error), traceback: [], line: null } };
    }
    settleHandles(handles, notes);
    return result;
  }
  function settleHandles(handles, { release, keep }) {
    if (release) handles.release(release);
    if (keep) handles.keep(keep);
  }
  async function serveOwnCall(fn, [iterator], handles, run) {
    try {
      if (fn !== "$next" || typeof iterator?.next !== "function") throw fail("internal", `the bridge has no ${fn} for ${typeName(iterator)}`);
      const { done, value } = await iterator.next();
      const { wire, blobs } = encodeValue(done ? { done: true } : { done: false, value }, "the iterator's value", handles, run);
      return { text: JSON.stringify({ ok: true, value: wire }), blobs };
    } catch (error) {
      return { text: JSON.stringify({ ok: false, error: errorInfo(error) }), blobs: [] };
    }
  }
  async function drive(first, handlers, driver) {
    let state = await first;
    while (state.state === "pending") state = await handle(handlers, state, driver);
    return state;
  }
  async function handle(handlers, state, { current, resume, resumeWithError, answerEncoded }) {
    const { functionName } = state;
    const exec = current();
    let value, failure, encoded;
    try {
      const handler = handlers[functionName];
      encoded = handler[RELAY] && state[ENCODED_CALL];
      if (encoded) value = handler[RELAY](encoded);
      else if (handler[KWARGS]) value = handler(state.args, state.kwargs);
      else value = Object.keys(state.kwargs).length ? handler(...state.args, state.kwargs) : handler(...state.args);
      if (typeof value?.then === "function") value = await Promise.race([value, exec.preempted]);
    } catch (error) {
      failure = error?.[HOST_ERROR] ?? errorInfo(error);
    }
    if (value === PREEMPTED || exec.pending !== state) return exec.next;
    if (failure) return resumeWithError(failure);
    try {
      return await (encoded ? answerEncoded(value) : resume(value));
    } catch (error) {
      if (error instanceof HostcallError && !["unserializable", "invalid-argument"].includes(error.code)) throw error;
      return resumeWithError({ type: "TypeError", message: `${functionName} returned ${error.message}` });
    }
  }
  function errorInfo(error) {
    if (error instanceof HostcallError && error.code === "stale-handle") return { type: "StaleHandleError", message: error.message };
    if (!(error instanceof Error)) return { type: "Error", message: String(error) };
    const info = { type: error.name || "Error", message: error.message };
    if (typeof error.stack === "string") info.traceback = error.stack;
    return info;
  }

  // js/bridge/init-options.js
  var TRANSPORTS = ["auto", "atomics", "jspi"];
  var KEPT_OUTPUT_CHARS = 2 ** 25;
  var MAX_KEPT_OUTPUT_CHARS = 2 ** 28;
  function checkInitOptions(method, options) {
    checkOptions(method, options, OPTIONS.init);
    const { limits, interruptGraceMs: grace } = options;
    if (!TRANSPORTS.includes(options.transport ?? "auto")) throw fail("invalid-argument", `${method}: transport must be one of ${TRANSPORTS.join(", ")}`);
    for (const key of ["baseURL", "indexURL"]) {
      const url = options[key];
      if (url !== void 0 && !isURL(url)) throw fail("invalid-argument", `${method}: ${key} must be a URL, not ${describe(url)}`);
    }
    const sw = options.serviceWorker;
    if (sw !== void 0 && typeof sw !== "boolean" && !isURL(sw)) {
      throw fail("invalid-argument", `${method}: serviceWorker must be true, false or a URL, not ${describe(sw)}`);
    }
    for (const key of ["onProgress", "onOutput"]) {
      if (options[key] !== void 0 && typeof options[key] !== "function") throw fail("invalid-argument", `${method}: ${key} must be a function`);
    }
    if (limits !== void 0) resolveLimits(method, limits);
    checkKeptOutput(method, options.keptOutputChars);
    if (grace !== void 0 && !(Number.isFinite(grace) && grace >= 0)) throw fail("invalid-argument", `${method}: interruptGraceMs must be a number of milliseconds`);
    for (const flag of ["allowJs", "spare", "startupSnapshot"]) {
      if (options[flag] !== void 0 && typeof options[flag] !== "boolean") throw fail("invalid-argument", `${method}: ${flag} must be true or false`);
    }
    checkPackages(method, options.packages);
    return options;
  }
  function isURL(value) {
    return (typeof value === "string" || value instanceof URL) && URL.canParse(value, scriptURL);
  }
  var describe = (value) => typeof value === "string" ? JSON.stringify(value) : typeName(value);
  var PACKAGE_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
  function checkPackages(method, packages) {
    if (packages === void 0) return;
    if (!Array.isArray(packages)) throw fail("invalid-argument", `${method}: packages must be an array of package names, not ${typeName(packages)}`);
    for (const name of packages) {
      if (typeof name !== "string" || !PACKAGE_NAME.test(name)) {
        throw fail("invalid-argument", `${method}: packages: ${describe(name)} is not a package name`);
      }
    }
  }
  function checkKeptOutput(method, chars) {
    if (chars === void 0 || Number.isSafeInteger(chars) && chars > 0 && chars <= MAX_KEPT_OUTPUT_CHARS) return;
    throw fail("invalid-argument", `${method}: keptOutputChars must be a positive integer up to ${MAX_KEPT_OUTPUT_CHARS}, not ${String(chars)}`);
  }

  // js/bridge/limits.js
  var INTERRUPT_GRACE_MS = 1e3;
  function executionLimits(method, session, own) {
    return { ...DEFAULT_LIMITS, ...resolveLimits(method, session), ...resolveLimits(method, own) };
  }
  function graceMs(options) {
    return options.interruptGraceMs ?? INTERRUPT_GRACE_MS;
  }
  function watchdog(exec, timeoutMs, grace, terminate) {
    const slack = 2 * grace;
    const check = () => {
      if (exec.state === "ended") return;
      const left = timeoutMs + slack - exec.activeMs();
      if (left > 0 || exec.paused) return void setTimeout(check, Math.max(left, 10));
      terminate(`it ran past its time limit (timeoutMs=${timeoutMs}) by more than ${slack} ms`);
    };
    setTimeout(check, timeoutMs + slack);
  }
  function outgrown(heapBytes, limits) {
    const limit = { ...DEFAULT_LIMITS, ...limits }.memoryBytes;
    if (limit === null || !(heapBytes > limit)) return null;
    return `its heap grew to ${heapBytes} bytes, past the session's memory limit (memoryBytes=${limit}), and a heap never shrinks`;
  }

  // js/bridge/queue.js
  var ExecutionQueue = class {
    /** @type {{start: () => Promise<any>, queued: ReturnType<typeof deferred>}[]} */
    #waiting = [];
    get length() {
      return this.#waiting.length;
    }
    /**
     * Run `start` later (see {@link drain}); resolves or rejects as its promise does.
     * @param {() => Promise<any>} start
     */
    add(start) {
      const queued = deferred();
      this.#waiting.push({ start, queued });
      return queued.promise;
    }
    /**
     * Start the queued executions in order while `idle()` says the worker is free.
     * @param {() => boolean} idle
     */
    drain(idle) {
      while (idle() && this.#waiting.length) {
        const { start, queued } = this.#waiting.shift();
        try {
          start().then(queued.resolve, queued.reject);
        } catch (error) {
          queued.reject(error);
        }
      }
    }
    /**
     * Empty the queue; returns a function that rejects what was in it with its argument.
     * @returns {(error: Error) => void}
     */
    clear() {
      const waiting = this.#waiting;
      this.#waiting = [];
      return (error) => {
        for (const { queued } of waiting) queued.reject(error);
      };
    }
  };

  // js/bridge/executions.js
  var INTERRUPTED = JSON.stringify({ ok: false, error: { type: "KeyboardInterrupt", message: "interrupted by the page" } });
  var Executions = class {
    /** @type {Execution | null} */
    #exec = null;
    // the execution started and not yet ended
    #queue = new ExecutionQueue();
    /** @type {Worker | null} */
    #worker = null;
    /** @type {import("./transport.js").Transport | null} */
    #transport = null;
    #outputSeq = 0;
    // the sequence number of the last output message received
    #handles;
    #peer;
    #options;
    #replace;
    #watch;
    /** @type {import("./host-calls.js").Driver} */
    #driver = {
      current: () => this.#exec,
      resume: (value) => this.resume(value),
      resumeWithError: (error) => this.resumeWithError(error),
      answerEncoded: (answer) => this.answerEncoded(answer)
    };
    /**
     * @param {{
     *   handles: import("./handles.js").HandleTable,
     *   peer: import("./host-calls.js").Peer,
     *   options: () => any,
     *   replace: (why: string) => void,
     *   watch: (stream: string, text: string, internal: boolean) => void,
     * }} session its handles, how values from Python become page values, its options now,
     *   how it replaces a worker that is stuck or outgrew its memory, and who else sees output
     */
    constructor({ handles, peer, options, replace, watch }) {
      this.#handles = handles;
      this.#peer = peer;
      this.#options = options;
      this.#replace = replace;
      this.#watch = watch;
    }
    /** The execution started and not yet ended, or null. */
    get current() {
      return this.#exec;
    }
    /** How many executions wait in the queue. */
    get queued() {
      return this.#queue.length;
    }
    /**
     * Executions go to `worker` from now on, answered over `transport`.
     * @param {Worker} worker
     * @param {import("./transport.js").Transport} transport
     */
    attach(worker, transport) {
      this.#worker = worker;
      this.#transport = transport;
      this.#outputSeq = 0;
    }
    /**
     * Run `start` once the worker is idle (after the execution now running and those queued).
     * @param {() => Promise<any>} start
     */
    later(start) {
      return this.#queue.add(start);
    }
    /** Start an execution in the worker; resolves with its first state. */
    launch(request, onOutput, internal = false) {
      const keptOutputChars = this.#options().keptOutputChars ?? KEPT_OUTPUT_CHARS;
      const exec = new Execution(request.id, { onOutput, internal, keptOutputChars });
      this.#exec = exec;
      this.#worker.postMessage(request, (request.blobs ?? []).map((blob) => blob.buffer));
      this.#transport.listen(exec);
      const { timeoutMs } = request.limits;
      if (timeoutMs !== null) watchdog(exec, timeoutMs, graceMs(this.#options()), (why) => this.#terminate(exec, why));
      return exec.next;
    }
    /**
     * Answer each pending state from `first` on with `handlers` until the execution completes.
     * @param {Promise<any>} first
     * @param {Record<string, Function>} handlers
     */
    follow(first, handlers) {
      return drive(first, handlers, this.#driver);
    }
    /** interrupt() of the current execution; resolves once it has ended. */
    interrupt() {
      const exec = this.#exec;
      if (!exec) return Promise.resolve();
      if (exec.awaitsHost) this.#transport.answer(exec, INTERRUPTED, [], () => exec.preempt());
      else this.#transport.interrupt(exec.id);
      const grace = graceMs(this.#options());
      setTimeout(() => this.#terminate(exec, `it did not stop within ${grace} ms of interrupt()`), grace);
      return exec.ended;
    }
    /** resume() of the pending call: it returns `value`; resolves with the next state. */
    resume(value) {
      try {
        const exec = this.#pendingExec("resume");
        const { wire, blobs } = encodeValue(value, "resume() value", this.#handles, exec.id);
        return this.#transport.answer(exec, JSON.stringify({ ok: true, value: wire }), blobs, () => exec.answer());
      } catch (error) {
        return Promise.reject(typed(error));
      }
    }
    /** resumeWithError() of the pending call: it raises `error`; resolves with the next state. */
    resumeWithError(error) {
      try {
        const exec = this.#pendingExec("resumeWithError");
        const context = { handles: this.#handles, run: exec.id };
        const { wire, blobs } = encoding(context, (each) => errorToWire(error, "resumeWithError", each));
        return this.#transport.answer(exec, JSON.stringify({ ok: false, error: wire }), blobs, () => exec.answer());
      } catch (failure) {
        return Promise.reject(typed(failure));
      }
    }
    /**
     * A relay's answer to the pending call, still encoded: `{ok, value | error, blobs}` (a
     * RELAY handler's, or the headless driver's through the session's RESUME_ENCODED).
     * @param {{ok: boolean, value?: unknown, error?: unknown, blobs?: Uint8Array[]}} answer
     */
    answerEncoded({ ok, value, error, blobs = [] }) {
      try {
        const exec = this.#pendingExec("the relay");
        return this.#transport.answer(exec, JSON.stringify({ ok, value, error }), blobs, () => exec.answer());
      } catch (failure) {
        return Promise.reject(typed(failure));
      }
    }
    #pendingExec(method) {
      const exec = this.#exec;
      if (!exec?.pending) throw fail("no-pending-call", `${method}: no host call is waiting for an answer`);
      return exec;
    }
    /** An `output` message: the session's and the execution's onOutput, the kept copy, a held call. */
    onOutput({ stream, text, seq }) {
      const exec = this.#exec;
      this.#outputSeq = seq;
      callback(this.#options().onOutput, stream, text);
      if (!exec) return;
      callback(exec.onOutput, stream, text);
      this.#watch(stream, text, exec.internal);
      exec.output.keep(stream === "stderr" ? "stderr" : "stdout", text);
      exec.release(seq);
    }
    /**
     * Python called out (a `call` message, or a frame on the channel): answer it here, or hold
     * it for the host (docs/protocol.md, "Host calls").
     * @param {{text: string, blobs: Uint8Array[], outputSeq: number}} message
     */
    onCall({ text, blobs, outputSeq }) {
      const exec = this.#exec;
      if (!exec) return;
      exec.called();
      const call = readCall(text, blobs, this.#handles, this.#peer);
      if (call.refusal !== void 0) return this.#serve(exec, call.refusal, []);
      if (call.fn.startsWith("$")) return void this.#serveOwn(exec, call.fn, call.args);
      exec.hold(pendingState(call), outputSeq);
      exec.release(this.#outputSeq);
    }
    async #serveOwn(exec, fn, args) {
      const { text, blobs } = await serveOwnCall(fn, args, this.#handles, exec.id);
      if (exec.state === "serving") this.#serve(exec, text, blobs);
    }
    /** Answer a call the bridge serves itself. */
    #serve(exec, text, blobs) {
      this.#transport.answer(exec, text, blobs, () => exec.served());
    }
    /** A `done` message: the execution completes with its result and kept output. */
    onDone({ id, text, blobs, heapBytes }) {
      const exec = this.#exec;
      if (!exec || exec.id !== id) return;
      const result = readResult(text, blobs, this.#handles, this.#peer);
      const output = { stdout: exec.output.collected("stdout"), stderr: exec.output.collected("stderr") };
      exec.complete(result.ok ? { state: "complete", ok: true, value: result.value, ...output } : { state: "complete", ok: false, error: result.error, ...output });
      this.#ended(exec, heapBytes);
    }
    /** A `failed` message: the worker refused or could not run the execution. */
    onFailed({ id, code, message, heapBytes }) {
      const exec = this.#exec;
      if (!exec || exec.id !== id) return;
      exec.fail(fail(code, message));
      this.#ended(exec, heapBytes);
    }
    /** After an execution ended in the worker: free its handles; replace a worker whose heap outgrew the limit. */
    #ended(exec, heapBytes) {
      this.#end();
      this.#handles.endRun(exec.id);
      const why = outgrown(heapBytes, this.#options().limits);
      if (why) this.#replace(why);
    }
    /** No execution is current: the queue may go on, and a listener for calls wakes. */
    #end() {
      this.#exec = null;
      if (this.#queue.length) setTimeout(() => this.#queue.drain(() => !this.#exec));
      this.#transport?.wake();
    }
    #terminate(exec, why) {
      if (exec.state !== "ended") this.#replace(why);
    }
    /**
     * The worker is gone: the current execution and the queued ones fail with `error`, and the
     * handles Python held are freed (their wrappers died with it). Returns a function that
     * rejects the queued executions, for the session to call after its own cleanup.
     * @param {Error} error
     */
    shutDown(error) {
      const exec = this.#exec;
      const rejectQueued = this.#queue.clear();
      this.#end();
      exec?.shutDown(error);
      this.#handles.clear();
      return () => rejectQueued(error);
    }
  };

  // js/bridge/isolation.js
  var RELOADED = "hostcall-service-worker-reloaded";
  var defaultURL = () => new URL("hostcall-sw.js", scriptURL).href;
  var attempt = null;
  var registering = null;
  function requestServiceWorker(url) {
    if (attempt) return;
    const href = url === true ? defaultURL() : new URL(url, scriptURL).href;
    attempt = { url: href, done: false, why: "it is still being registered" };
    const current = attempt;
    registering = isolate(href).catch((error) => `it failed (${errorText(error)})`).then((why) => {
      current.why = why;
      current.done = true;
    });
  }
  function requestFromScriptTag() {
    const value = bridgeScript?.dataset.serviceWorker;
    if (value === void 0) return;
    if (value === "" || isURL(value)) return requestServiceWorker(value || true);
    globalThis.reportError(fail("invalid-argument", `bridge.js: data-service-worker must be empty or a URL, not ${JSON.stringify(value)}`));
  }
  function pendingServiceWorker() {
    return attempt && !attempt.done ? registering : null;
  }
  function isolation() {
    const url = attempt?.url ?? defaultURL();
    if (globalThis.crossOriginIsolated) {
      return navigator.serviceWorker?.controller?.scriptURL === url ? { tier: "service-worker", why: `the service worker ${url} added the isolation headers` } : { tier: "headers", why: null };
    }
    const headers = "the page was served without Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (or Document-Isolation-Policy: isolate-and-require-corp)";
    if (!attempt) return { tier: "none", why: `${headers}, and no service worker was asked for (data-service-worker)` };
    return { tier: "none", why: `${headers}, and the service worker ${url} did not isolate it: ${attempt.why}` };
  }
  async function isolate(url) {
    if (globalThis.crossOriginIsolated) return forgetReload();
    const obstacle = obstacleTo(url);
    if (obstacle) return obstacle;
    if (navigator.serviceWorker.controller?.scriptURL === url) return "the browser ignored the headers it added";
    if (reloadedBefore()) return "the page was reloaded once for it and is still not controlled by it (a hard reload bypasses service workers); it is not reloaded again in this tab";
    let registration;
    try {
      registration = await navigator.serviceWorker.register(url);
    } catch (error) {
      return `its registration was refused (${errorText(error)})`;
    }
    if (!await activated(registration)) return "it failed to install";
    sessionStorage.setItem(RELOADED, "1");
    location.reload();
    return "the page is being reloaded under it";
  }
  function obstacleTo(url) {
    if (window !== window.top) return "the page is in a frame, which a service worker cannot isolate (isolate the top page, and allow the frame cross-origin-isolated)";
    if (!window.isSecureContext) return "the page is not a secure context (https, or http://localhost): it has no service workers";
    if (!navigator.serviceWorker) return "this browser offers no service workers here (a private window may disable them)";
    const scope = new URL(".", url);
    if (scope.origin !== location.origin) return `it must be of the page's origin ${location.origin}: host bridge.js and hostcall-sw.js with the page`;
    if (!location.href.startsWith(scope.href)) return `the page lies outside its scope ${scope.href}: host hostcall-sw.js in the page's directory or above`;
    try {
      sessionStorage.getItem(RELOADED);
    } catch {
      return "sessionStorage is unavailable, and without it a reload could not be kept from looping";
    }
    return null;
  }
  function reloadedBefore() {
    return sessionStorage.getItem(RELOADED) !== null;
  }
  function forgetReload() {
    try {
      sessionStorage.removeItem(RELOADED);
    } catch {
    }
    return null;
  }
  function activated(registration) {
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    return new Promise((resolve) => {
      const check = () => {
        if (worker?.state === "activated") resolve(true);
        else if (!worker || worker.state === "redundant") resolve(false);
      };
      worker?.addEventListener("statechange", check);
      check();
    });
  }

  // js/bridge/python-iterator.js
  var PythonIterator = class {
    #pull;
    #done = false;
    #last = (
      /** @type {Promise<unknown>} */
      Promise.resolve()
    );
    // pulls run one after another, as a generator can only go on
    constructor(pull) {
      this.#pull = pull;
    }
    [Symbol.asyncIterator]() {
      return this;
    }
    next() {
      const step = this.#last.then(() => this.#step());
      this.#last = step.catch(() => {
      });
      return step;
    }
    async #step() {
      if (this.#done) return { done: true, value: void 0 };
      try {
        const step = await this.#pull("next");
        this.#done = step.done;
        return { done: step.done, value: step.done ? void 0 : step.value };
      } catch (error) {
        this.#done = true;
        throw error;
      }
    }
    async return(value) {
      if (!this.#done) {
        this.#done = true;
        await this.#pull("close");
      }
      return { done: true, value };
    }
  };

  // js/bridge/proxies.js
  var PythonProxies = class {
    #current;
    #invoke;
    /** @type {number[]} */
    #forgotten = [];
    // ids of collected proxies, not yet reported to the worker
    #registry = new FinalizationRegistry(({ worker, id }) => this.#forget(worker, id));
    /**
     * @param {() => Worker | null} current the session's worker now: a proxy of another one is stale
     * @param {(name: string, target: {kind: string, ref: number}, args: unknown[]) => Promise<any>} invoke
     *   runs the Python object `ref` (`kind`: "callable", "next", "close") as an execution
     */
    constructor(current, invoke) {
      this.#current = current;
      this.#invoke = invoke;
    }
    /**
     * The proxy for a tagged `callable` or `generator` value of the worker now current.
     * @param {{[TAG]: string, id: number, name?: string}} wire
     */
    make({ [TAG]: tag, id, name }) {
      const worker = this.#current();
      const invoke = (kind, args) => {
        if (worker !== this.#current()) {
          return Promise.reject(fail("stale-handle", `this Python ${tag} belonged to a worker that has stopped`));
        }
        return this.#invoke(name ?? "next", { kind, ref: id }, args);
      };
      const proxy = tag === "callable" ? { [name]: (...args) => invoke("callable", args) }[name] : new PythonIterator((step) => invoke(step, []));
      this.#registry.register(proxy, { worker, id });
      return proxy;
    }
    /** A proxy was garbage-collected: let its worker, if still current, drop the object. */
    #forget(worker, id) {
      if (worker !== this.#current()) return;
      if (!this.#forgotten.length) {
        queueMicrotask(() => {
          if (worker === this.#current()) worker.postMessage({ type: MSG.FORGET, ids: this.#forgotten });
          this.#forgotten = [];
        });
      }
      this.#forgotten.push(id);
    }
  };

  // js/wire/frame.js
  var SLOT = Object.freeze({ REQUEST: 0, REPLY: 1, OUTPUT_SEQ: 2, INTERRUPT: 3 });
  var HEADER_BYTES = 64;
  var CHANNEL_BYTES = 1 << 16;
  var CHANNEL_MAX_BYTES = 1 << 30;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  function createChannel() {
    return new SharedArrayBuffer(CHANNEL_BYTES, { maxByteLength: CHANNEL_MAX_BYTES });
  }
  var channelViews = /* @__PURE__ */ new WeakMap();
  function viewsOf(sab) {
    let views = channelViews.get(sab);
    if (views?.byteLength !== sab.byteLength) {
      views = { byteLength: sab.byteLength, bytes: new Uint8Array(sab), words: new Uint32Array(sab) };
      channelViews.set(sab, views);
    }
    return views;
  }
  var TABLE = HEADER_BYTES / 4;
  var SHORT_TEXT = 2048;
  var ASCII = /^[\x00-\x7f]*$/;
  function utf8(text) {
    return text.length <= SHORT_TEXT && ASCII.test(text) ? null : encoder.encode(text);
  }
  function putText(data, at, text, bytes) {
    if (bytes) return data.set(bytes, at);
    for (let i = 0; i < text.length; i++) data[at + i] = text.charCodeAt(i);
  }
  function getText(data, at, length) {
    if (length <= SHORT_TEXT) {
      const view = data.subarray(at, at + length);
      if (view.every((byte) => byte < 128)) return String.fromCharCode.apply(null, view);
    }
    return decoder.decode(data.slice(at, at + length));
  }
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

  // js/wire/pacing.js
  var POLL_MS = 0.05;
  var MAX_REST = 1024;
  function backoff() {
    let resting = 0;
    let rest = 1;
    return {
      /** Whether this wait should sleep at once. */
      resting() {
        if (resting === 0) return false;
        resting--;
        return true;
      },
      missed() {
        resting = rest;
        rest = Math.min(2 * rest, MAX_REST);
      },
      hit() {
        rest = 1;
      }
    };
  }
  function poller() {
    const pace = backoff();
    return (header, slot, value) => {
      if (pace.resting()) return false;
      const until = performance.now() + POLL_MS;
      while (Atomics.load(header, slot) === value) {
        if (performance.now() > until) {
          pace.missed();
          return false;
        }
      }
      pace.hit();
      return true;
    };
  }

  // js/bridge/transport.js
  function transportFor(worker, channel, events) {
    return channel ? atomicsTransport(worker, channel, events) : jspiTransport(worker);
  }
  function atomicsTransport(worker, channel, { onCall, onBroken }) {
    const header = new Int32Array(channel, 0, 4);
    const poll = poller();
    let requestsSeen = 0;
    async function listen(exec, polling = false) {
      while (exec.state !== "ended") {
        const seen = requestsSeen;
        if (!polling || !poll(header, SLOT.REQUEST, seen)) {
          const wait = Atomics.waitAsync(header, SLOT.REQUEST, seen);
          if (wait.async) await wait.value;
        }
        polling = false;
        const now = Atomics.load(header, SLOT.REQUEST);
        if (exec.state === "ended" || now === seen) continue;
        requestsSeen = now;
        try {
          const { text, blobs } = readFrame(channel);
          onCall({ text, blobs: blobs.map((blob) => blob.slice()), outputSeq: Atomics.load(header, SLOT.OUTPUT_SEQ) });
        } catch (error) {
          onBroken(`the bridge could not read a call from the channel: ${error.message}`);
        }
        return;
      }
    }
    return {
      answer(exec, text, blobs, transition) {
        try {
          writeFrame(channel, text, blobs);
        } catch (error) {
          throw fail("unserializable", `the answer does not fit the channel: ${error.message}`);
        }
        const result = transition();
        Atomics.add(header, SLOT.REPLY, 1);
        Atomics.notify(header, SLOT.REPLY);
        listen(exec, true);
        return result;
      },
      interrupt: (id) => Atomics.store(header, SLOT.INTERRUPT, id),
      // the worker's guard polls it
      listen: (exec) => void listen(exec),
      wake: () => void Atomics.notify(header, SLOT.REQUEST)
      // a listener waiting for a call that will not come
    };
  }
  function jspiTransport(worker) {
    return {
      answer(exec, text, blobs, transition) {
        const result = transition();
        worker.postMessage({ type: MSG.REPLY, id: exec.id, text, blobs }, blobs.map((blob) => blob.buffer));
        return result;
      },
      interrupt: (id) => worker.postMessage({ type: MSG.INTERRUPT, id }),
      // seen once Python yields
      listen: () => {
      },
      wake: () => {
      }
    };
  }

  // js/bridge/worker-start.js
  var SNAPSHOT_CACHE = "hostcall-startup";
  var snapshots = /* @__PURE__ */ new Map();
  var snapshotKey = (indexURL) => new URL("hostcall-startup-snapshot", indexURL).href;
  function startupSnapshot(indexURL) {
    if (!snapshots.has(indexURL)) snapshots.set(indexURL, readSnapshot(indexURL));
    return snapshots.get(indexURL);
  }
  async function readSnapshot(indexURL) {
    try {
      const cache = await globalThis.caches.open(SNAPSHOT_CACHE);
      const response = await cache.match(snapshotKey(indexURL));
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    } catch {
      return null;
    }
  }
  function takeSnapshot(indexURL, message) {
    if (message?.type !== MSG.READY || !(message.snapshot instanceof Uint8Array)) return message;
    const { snapshot, ...rest } = message;
    snapshots.set(indexURL, Promise.resolve(snapshot));
    globalThis.caches?.open(SNAPSHOT_CACHE).then((cache) => cache.put(snapshotKey(indexURL), new Response(snapshot))).catch(() => {
    });
    return rest;
  }
  function startWorker(url) {
    const trampoline = url.origin === globalThis.location.origin ? null : importerOf(url);
    try {
      const worker = new Worker(trampoline ?? url, { type: "module", name: "hostcall" });
      if (trampoline) worker.addEventListener("message", () => URL.revokeObjectURL(trampoline), { once: true });
      return worker;
    } catch (error) {
      if (trampoline) URL.revokeObjectURL(trampoline);
      const cause = errorText(error);
      const fix = "check that the page may start module workers (its Content-Security-Policy: worker-src, blob: for a worker of another origin; a sandboxed iframe) and that baseURL is right";
      throw fail("worker-unavailable", `init: the worker ${url} could not be started (${cause}); ${fix}`, { cause: error });
    }
  }
  function importerOf(url) {
    const source = `import ${JSON.stringify(url.href)};
`;
    return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  }
  function workerKey({ baseURL, indexURL, transport, allowJs, packages }) {
    return JSON.stringify([baseURL, indexURL, transport ?? "auto", Boolean(allowJs), packages ?? []]);
  }

  // js/bridge/workers.js
  var Workers = class {
    /** @type {{worker: Worker, channel: SharedArrayBuffer | null, key: string, ready: object | null} | null} */
    #spare = null;
    // a loaded worker kept for a restart
    /** @type {{url: string, module: Promise<any>} | null} */
    #library = null;
    // the import of web/host-functions.js
    #newId;
    #onMessage;
    #onCrash;
    /**
     * @param {{newId: () => number, onMessage: (worker: Worker, message: any) => void, onCrash: (worker: Worker, cause: string) => void}} events
     *   `newId` numbers the init messages; messages and failures of every worker but the spare
     *   go to `onMessage` and `onCrash` (which ignore a worker that is no longer theirs).
     */
    constructor({ newId, onMessage, onCrash }) {
      this.#newId = newId;
      this.#onMessage = onMessage;
      this.#onCrash = onCrash;
    }
    /**
     * A worker for a session with `options`: the spare when it was loaded for the same
     * options, else a new one (throws `worker-unavailable` when the page may not start one).
     * @returns {Started}
     */
    take(options) {
      let spare = this.#spare;
      this.#spare = null;
      if (spare && spare.key !== workerKey(options)) {
        spare.worker.terminate();
        spare = null;
      }
      return spare ?? { ...this.#create(options), ready: null };
    }
    /**
     * With `spare: true`, keep a second worker loaded and idle, so that a session whose
     * worker was terminated or crashed starts again at once instead of loading Pyodide.
     */
    prepareSpare(options) {
      if (!options.spare || this.#spare) return;
      try {
        this.#spare = { ...this.#create(options), key: workerKey(options), ready: null };
      } catch (error) {
        globalThis.reportError(error);
      }
    }
    dropSpare() {
      this.#spare?.worker.terminate();
      this.#spare = null;
    }
    /** The spare's state for discover(): "ready", "loading", or null (none). */
    get spare() {
      if (!this.#spare) return null;
      return this.#spare.ready ? "ready" : "loading";
    }
    /** The web/host-functions.js module, imported with the first worker (again for another baseURL). */
    get library() {
      return this.#library?.module ?? null;
    }
    /** The import failed: the next worker started imports it again. */
    forgetLibrary() {
      this.#library = null;
    }
    /**
     * A worker can vanish without an event (terminate, self.close): it holds the Web Lock
     * `lock` while it lives, so getting the lock means it stopped.
     * @param {Worker} worker
     * @param {string} lock
     */
    watch(worker, lock) {
      globalThis.navigator.locks?.request(lock, () => this.#crashed(worker, "the worker stopped"));
    }
    /** Start a worker loading Pyodide. */
    #create(options) {
      const base = new URL(options.baseURL ?? ".", scriptURL);
      const worker = startWorker(new URL("worker/worker.js", base));
      const channel = options.transport !== "jspi" && globalThis.crossOriginIsolated ? createChannel() : null;
      const indexURL = String(new URL(options.indexURL ?? "pyodide/", base));
      this.#importLibrary(String(new URL("web/host-functions.js", base)));
      worker.onmessage = (event) => this.#route(worker, takeSnapshot(indexURL, event.data));
      worker.onerror = (event) => {
        event.preventDefault();
        this.#crashed(worker, `an uncaught error in the worker: ${event.message || scriptFailed(base)}`);
      };
      worker.onmessageerror = () => this.#crashed(worker, "a message from the worker could not be read");
      const init = {
        type: MSG.INIT,
        id: this.#newId(),
        indexURL,
        channel,
        // Pages not in a secure context have neither randomUUID nor Web Locks (the lock unused).
        lock: `hostcall-worker-${crypto.randomUUID?.() ?? Math.random().toString(36).slice(2)}`,
        allowJs: Boolean(options.allowJs),
        // The package folder sits beside bridge.js, as `hostcall serve` and build-site put it.
        packages: options.packages ?? [],
        packagesURL: String(new URL("packages/", base))
      };
      const useSnapshot = options.startupSnapshot !== false;
      (useSnapshot ? startupSnapshot(indexURL) : Promise.resolve(null)).then((snapshot) => {
        worker.postMessage({ ...init, snapshot, makeSnapshot: useSnapshot && !snapshot });
      });
      return { worker, channel };
    }
    /** Import web/host-functions.js from `url`, unless it was already (a failure is forgotten by init). */
    #importLibrary(url) {
      if (this.#library?.url === url) return;
      const module = import(url);
      module.catch(() => {
      });
      this.#library = { url, module };
    }
    #route(worker, message) {
      if (worker !== this.#spare?.worker) return this.#onMessage(worker, message);
      if (message?.type === MSG.PROGRESS) return;
      if (message?.type === MSG.READY && !message.error) this.#spare.ready = message;
      else this.dropSpare();
    }
    #crashed(worker, cause) {
      if (worker === this.#spare?.worker) this.dropSpare();
      else this.#onCrash(worker, cause);
    }
  };
  function scriptFailed(base) {
    if (base.origin === globalThis.location.origin) return "the worker script failed to load";
    return `the worker script failed to load (it is of another origin, ${base.origin}: its server must send Access-Control-Allow-Origin, as hostcall serve --cors does; docs/hosting.md)`;
  }

  // js/bridge/session.js
  var Session = class {
    #options;
    /** @type {SessionState} */
    #state = "new";
    #info = null;
    // the worker's READY message, while ready
    #loading = null;
    // the deferred of the load in progress
    #lastCrash = null;
    // why the worker crashed or was terminated: the next use restarts it
    #nextId = 1;
    #worker = null;
    #handles = new HandleTable();
    #proxies = new PythonProxies(() => this.#worker, (name, target, args) => this.#invokeProxy(name, target, args));
    #executions = new Executions({
      handles: this.#handles,
      peer: { object: (id) => this.#handles.object(id), python: (wire) => this.#proxies.make(wire) },
      options: () => this.#options,
      replace: (why) => this.#replace(why),
      watch: (stream, text, internal) => this.#watchers.notify("output", stream, text, internal)
    });
    #watchers = new Watchers();
    // the embed layer's (hooks.js, WATCH)
    #registered = {};
    // host functions of every run (register())
    #library = null;
    // the loaded web/host-functions.js module
    #workers = new Workers({
      newId: () => this.#nextId++,
      onMessage: (worker, message) => this.#onMessage(worker, message),
      onCrash: (worker, cause) => this.#crash(worker, cause)
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
      const registering2 = pendingServiceWorker();
      if (!registering2) this.#load(loading, before);
      else registering2.then(() => this.#load(loading, before));
      return loading.promise;
    }
    /** Start loading, unless `loading` was given up meanwhile (dispose()). */
    #load(loading, before) {
      if (this.#loading !== loading) return;
      try {
        this.#spawn();
      } catch (error) {
        this.#state = before;
        this.#loading = null;
        loading.reject(typed(error));
      }
    }
    /** Check init()'s options and, unless a worker is loading or loaded, keep them. */
    #takeOptions(options) {
      options = { ...this.#options, ...checkInitOptions("init", options) };
      if (options.serviceWorker) requestServiceWorker(options.serviceWorker);
      if ((options.transport ?? "auto") === "atomics" && !globalThis.crossOriginIsolated) {
        throw fail("transport-unavailable", "init: the atomics transport needs a cross-origin isolated page (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)");
      }
      if (this.#state !== "ready" && this.#state !== "loading") this.#options = options;
    }
    /** Give the session a worker (the warm spare when there is one) and its transport. */
    #spawn() {
      const { worker, channel, ready } = this.#workers.take(this.#options);
      this.#worker = worker;
      this.#executions.attach(worker, transportFor(worker, channel, {
        onCall: (call) => this.#executions.onCall(call),
        onBroken: (cause) => this.#crash(worker, cause)
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
      if (onOutput !== void 0 && typeof onOutput !== "function") throw fail("invalid-argument", "start: onOutput must be a function");
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
        if (onOutput !== void 0 && typeof onOutput !== "function") throw fail("invalid-argument", "call: onOutput must be a function");
        checkHandlers("call", handlers);
        resolveLimits("call", options.limits);
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
        type: MSG.INVOKE,
        id,
        target,
        text: JSON.stringify(wire),
        blobs,
        extFns: Object.keys(handlers),
        limits: executionLimits("call", this.#options.limits, options.limits)
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
        spare: this.#workers.spare
      };
    }
    /** Terminate the worker; every outstanding promise rejects with a `disposed` error. */
    dispose() {
      this.#shutDown(fail("disposed", "the session was disposed"), "disposed");
      this.#workers.dropSpare();
      this.#lastCrash = null;
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
      if (bad !== void 0) throw fail("invalid-argument", `unregister: names must be strings, not ${typeName(bad)}`);
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
        this.#crash(worker, `the bridge could not handle a ${message?.type} message: ${error.message}`);
      }
    }
    #dispatch(worker, message) {
      switch (message?.type) {
        case MSG.READY:
          return this.#onReady(worker, message);
        case MSG.PROGRESS:
          this.#watchers.notify("progress", message.loaded, message.total);
          return callback(this.#options.onProgress, { loaded: message.loaded, total: message.total });
        case MSG.OUTPUT:
          return this.#executions.onOutput(message);
        case MSG.CALL:
          return this.#executions.onCall(message);
        case MSG.DONE:
          return this.#executions.onDone(message);
        case MSG.FAILED:
          return this.#executions.onFailed(message);
        case MSG.CRASHED:
          return this.#crash(worker, message.cause);
        default:
          return this.#crash(worker, `an unknown message from the worker: ${JSON.stringify(message?.type)}`);
      }
    }
    #onReady(worker, message) {
      if (message.error) return this.#shutDown(fail("load-failed", `init: ${message.error}`), "failed");
      this.#workers.library.then(
        (library) => this.#ready(worker, message, library),
        (error) => {
          this.#workers.forgetLibrary();
          if (worker === this.#worker) this.#shutDown(fail("load-failed", `init: web/host-functions.js: ${error.message}`), "failed");
        }
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
  };

  // js/embed/blocks.js
  var PYTHON_TYPES = ["text/python", "text/x-python", "application/python", "python", "py"];
  var LOOKS_PYTHON = /py/i;
  function blockKind(element) {
    if (!(element instanceof HTMLScriptElement)) return null;
    const type = (element.getAttribute("type") ?? "").trim().toLowerCase();
    if (PYTHON_TYPES.includes(type)) return "python";
    return LOOKS_PYTHON.test(type) ? "misnamed" : null;
  }
  function blocksIn(root = document) {
    return [...root.querySelectorAll("script[type]")].filter((element) => blockKind(element) !== null);
  }
  function watchBlocks(found) {
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          const added = blockKind(node) !== null ? [node] : blocksIn(node);
          for (const block of added) found(
            /** @type {HTMLScriptElement} */
            block
          );
        }
      }
    });
    observer.observe(document, { childList: true, subtree: true });
    return () => observer.disconnect();
  }

  // js/embed/block-error.js
  var blockError = (message) => pythonError("BlockError", message);

  // js/embed/source.js
  function fileNameOf(block, number) {
    if (block.hasAttribute("src")) return block.src;
    const page = new URL(location.href);
    page.hash = `block-${number}`;
    return page.href;
  }
  async function codeOf(block) {
    if (!block.hasAttribute("src")) return dedent(block.text.replace(/^\r?\n/, ""));
    return fetchText(block.src, "src");
  }
  async function fetchText(url, what) {
    let response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw blockError(`${what} ${url} could not be fetched (${error.message})`);
    }
    if (!response.ok) throw blockError(`${what} ${url} could not be loaded: ${response.status} ${response.statusText}`.trim());
    return response.text();
  }
  function dedent(text) {
    const lines = text.split("\n");
    const indents = lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)[0]);
    if (!indents.length) return text;
    let common = indents[0];
    for (const indent of indents) {
      while (!indent.startsWith(common)) common = common.slice(0, -1);
    }
    return common ? lines.map((line) => line.startsWith(common) ? line.slice(common.length) : line.trimStart()).join("\n") : text;
  }

  // js/embed/config.js
  async function configOf(element) {
    const value = element.getAttribute("config")?.trim();
    if (value === void 0) return void 0;
    if (value.startsWith("{")) return parse(value, "the config attribute");
    const url = new URL(value, document.baseURI).href;
    return parse(await fetchText(url, "config"), `config ${url}`);
  }
  function parse(text, what) {
    let config;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw blockError(`${what} is not valid JSON: ${error.message}`);
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw blockError(`${what} must be a JSON object of init() options, like {"limits": {"timeoutMs": 5000}}`);
    }
    return config;
  }

  // js/embed/events.js
  function emit(target, name, detail) {
    target.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
  }

  // js/web/host-functions/sets.js
  var HOST_SETS = Object.freeze({
    dom: [
      "dom_root",
      "dom_create",
      "dom_text",
      "dom_attr",
      "dom_prop",
      "dom_class_add",
      "dom_class_remove",
      "dom_append",
      "dom_remove",
      "dom_query",
      "dom_value",
      "dom_free"
    ],
    events: ["dom_on_click", "dom_await_click_any", "dom_wait_event", "dom_listen", "dom_on", "dom_off"],
    browser: ["upload_file", "pick_file", "download", "now", "sleep", "log", "storage_get", "storage_set", "json_dumps"]
  });

  // js/embed/render.js
  var STYLE = ":where(.hostcall-output){white-space:pre-wrap;display:block}:where(.hostcall-stderr){color:#b00020}:where(.hostcall-error){white-space:pre-wrap;font-family:monospace;color:#b00020;border-left:3px solid #b00020;padding:.25em .5em;margin:.25em 0}";
  var styled = false;
  function addStyle() {
    if (styled) return;
    styled = true;
    const style = document.createElement("style");
    style.dataset.hostcall = "";
    style.textContent = STYLE;
    document.head.prepend(style);
  }
  function elementFor(selector, what) {
    let element = null;
    try {
      element = document.querySelector(selector);
    } catch {
      throw pythonError("ValueError", `${what} ${JSON.stringify(selector)} is not a valid CSS selector`);
    }
    if (!element) throw pythonError("ValueError", `${what} ${JSON.stringify(selector)} matches no element of the page`);
    return element;
  }
  var BlockView = class {
    #block;
    #target;
    // the block's target= element, or null
    /** @type {HTMLElement | null} */
    #output = null;
    /**
     * @param {HTMLScriptElement} block
     * @param {Element | null} target
     */
    constructor(block, target) {
      this.#block = block;
      this.#target = target;
    }
    /** Append a chunk of stdout or stderr (marked `.hostcall-stderr`). */
    write(stream, text) {
      const output = this.#outputElement();
      if (stream !== "stderr") return output.append(text);
      const last = output.lastChild;
      if (last instanceof HTMLElement && last.classList.contains("hostcall-stderr")) return last.append(text);
      const span = document.createElement("span");
      span.className = "hostcall-stderr";
      span.textContent = text;
      output.append(span);
    }
    /**
     * `display()`: `content` as HTML or text in `where` (an element; null: the block's output),
     * after what is there or (`append` false) instead of it.
     */
    display(kind, content, where, append) {
      const into = where ?? this.#outputElement();
      const item = document.createElement("div");
      item.className = "hostcall-display";
      if (kind === "html") item.innerHTML = content;
      else item.textContent = content;
      if (append) into.append(item);
      else into.replaceChildren(item);
    }
    /** Show `error` (`{type, message, traceback}`) right after the block and its output. */
    showError({ type, message, traceback = [] }) {
      const element = document.createElement("div");
      element.className = "hostcall-error";
      element.setAttribute("role", "alert");
      element.textContent = formatError({ type, message, traceback });
      const output = this.#output?.parentElement === this.#block.parentElement ? this.#output : null;
      lastErrorAfter(output ?? this.#block).after(element);
    }
    #outputElement() {
      if (this.#output?.isConnected) return this.#output;
      this.#output = document.createElement("div");
      this.#output.className = "hostcall-output";
      if (this.#target) this.#target.append(this.#output);
      else this.#block.after(this.#output);
      return this.#output;
    }
  };
  function lastErrorAfter(element) {
    let last = element;
    while (last.nextElementSibling?.classList.contains("hostcall-error")) last = last.nextElementSibling;
    return last;
  }
  function formatError({ type, message, traceback = [] }) {
    const frames = traceback.map(({ filename, line, name }) => `  File "${filename}", line ${line}, in ${name}
`);
    const head = frames.length ? `Traceback (most recent call last):
${frames.join("")}` : "";
    return `${head}${type}: ${message}`;
  }

  // js/embed/page-session.js
  var DISPLAY = "hostcall_display";
  var ALL_SETS = Object.keys(HOST_SETS);
  var PageSession = class {
    #env;
    #session;
    #init = null;
    // the promise of this env's init, once its first block asked for it
    #chain = Promise.resolve();
    // the blocks, one after the other
    /** @type {Block[]} */
    #handlerBlocks = [];
    // whose event handlers wait or run, oldest first
    #sets = /* @__PURE__ */ new Set();
    // the host sets registered for event handlers so far
    #lastBlock = null;
    // the block that ran last: a handler installed by a handler belongs to it
    /**
     * @param {string} env
     * @param {import("../bridge/session.js").Session} session
     */
    constructor(env, session) {
      this.#env = env;
      this.#session = session;
      session[WATCH]({
        progress: (loaded, total) => emit(document, "hostcall:progress", { env, loaded, total }),
        output: (stream, text, internal) => {
          if (internal) this.#handlerBlocks[0]?.view.write(stream, text);
        }
      });
    }
    get session() {
      return this.#session;
    }
    /**
     * Run `block` after the blocks queued before it; resolves (never rejects) once it has run
     * or failed, its event dispatched. `fallback` configures the session when the first block
     * has no `config` of its own (the bridge's script tag's).
     * @param {Block} block
     * @param {() => Promise<Record<string, unknown> | undefined>} fallback
     */
    add(block, fallback) {
      const run = this.#chain.then(() => this.#run(block, fallback));
      this.#chain = run;
      return run;
    }
    /** @param {Block} block */
    async #run(block, fallback) {
      try {
        const { element } = block;
        const sets = hostSetsOf(element);
        const config = await block.config;
        if (this.#init && config !== void 0) {
          throw blockError(`config: the ${this.#env} session is configured by its first block; give config to that one (or env="..." for a session of its own)`);
        }
        await this.#ready(config ?? await fallback());
        const code = await block.code;
        this.#register(sets);
        this.#lastBlock = block;
        element.dataset.hostcallState = "running";
        const result = await this.#session.runWithHostFunctions(code, this.#functions(sets, () => block), {
          scriptName: block.fileName,
          onOutput: (stream, text) => block.view.write(stream, text)
        });
        if (!result.ok) return block.failed(result.error);
        element.dataset.hostcallState = "done";
        emit(element, "hostcall:done", { block: block.number, fileName: block.fileName, result });
      } catch (error) {
        block.failed(describe2(error));
      }
    }
    /**
     * Load the session once, with `config` (the first block's); again after a crash or a
     * termination (a limit's watchdog), which took its worker and namespace with it.
     */
    async #ready(config) {
      this.#init ??= this.#load(config);
      await this.#init;
      if (!this.#session.discover().loaded) await this.#load(void 0);
    }
    /** Start the session's worker; `display` needs no import in a block. */
    async #load(config) {
      const info = await this.#session.init(config ?? {});
      await this.#session.run("from hostcall import display", { scriptName: "<hostcall embed>", limits: { timeoutMs: null } });
      emit(document, "hostcall:ready", { env: this.#env, info });
    }
    /**
     * Event handlers run with the session's registered host functions: those of every set its
     * blocks asked for so far (a registered function is every later run's, so a block's
     * narrower `host=` cannot take back what an earlier block was given).
     */
    #register(sets) {
      if (sets.every((set) => this.#sets.has(set)) && this.#sets.size) return;
      for (const set of sets) this.#sets.add(set);
      this.#session.register(this.#functions([...this.#sets], () => this.#handlerBlocks[0] ?? this.#lastBlock));
    }
    /**
     * The host functions of `sets`, with `display` and `dom_on` answering for `blockNow()`.
     * @param {string[]} sets
     * @param {() => Block} blockNow
     */
    #functions(sets, blockNow) {
      const standard = this.#session.hostFunctions({ only: sets.flatMap((set) => HOST_SETS[set]) });
      const functions = {
        ...standard,
        [DISPLAY]: (kind, content, target, append) => {
          const where = typeof target === "string" ? elementFor(target, "display(): target") : target;
          if (where !== null && !(where instanceof Element)) throw pythonError("TypeError", "display(): target must be a CSS selector or an Element");
          blockNow().view.display(kind, content, where, append);
        }
      };
      if (standard.dom_on) {
        functions.dom_on = (...args) => {
          const block = blockNow();
          return standard.dom_on(...args.map((arg) => typeof arg === "function" ? this.#handler(arg, block) : arg));
        };
      }
      return functions;
    }
    /** A Python event handler whose output and errors belong to `block`. */
    #handler(handler, block) {
      return (...args) => {
        this.#handlerBlocks.push(block);
        return handler(...args).catch((error) => block.failed(describe2(error))).finally(() => {
          this.#handlerBlocks.splice(this.#handlerBlocks.indexOf(block), 1);
        });
      };
    }
  };
  function hostSetsOf(element) {
    const value = element.getAttribute("host");
    if (value === null) return ALL_SETS;
    const sets = value.split(/[\s,]+/).filter(Boolean);
    const unknown = sets.filter((set) => !Object.hasOwn(HOST_SETS, set));
    if (unknown.length) {
      throw blockError(`host: unknown host function set ${unknown.map((set) => JSON.stringify(set)).join(", ")}; the sets are ${ALL_SETS.join(", ")}`);
    }
    return sets;
  }
  function describe2(error) {
    if (error instanceof PythonError) {
      return { type: error.type, message: error.pythonMessage, traceback: error.traceback, line: error.line };
    }
    if (error instanceof HostcallError) return { type: "HostcallError", code: error.code, message: error.message, traceback: [], line: null };
    return { type: error?.name ?? "Error", message: error?.message ?? String(error), traceback: [], line: null };
  }

  // js/embed/index.js
  var DEFAULT_ENV = "default";
  var PageBlocks = class {
    #defaultSession;
    /** @type {Map<string, PageSession>} */
    #envs = /* @__PURE__ */ new Map();
    #seen = /* @__PURE__ */ new WeakSet();
    // blocks taken already (one moved in the page does not run again)
    #numbered = 0;
    // Python blocks found so far: block-N in file names
    #booted = null;
    #bridgeConfig = null;
    // the promise of the bridge tag's config, read once
    /** @param {Session} defaultSession `Hostcall`'s own: the default env's */
    constructor(defaultSession2) {
      this.#defaultSession = defaultSession2;
    }
    /** Boot at DOMContentLoaded (at once if it has passed), unless the bridge's tag says `data-boot="manual"`. */
    start() {
      if (bridgeScript?.dataset.boot === "manual") return;
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => this.boot(), { once: true });
      else queueMicrotask(() => this.boot());
    }
    /**
     * Run the page's blocks, and those added later; resolves once every block present now has
     * run, with `{blocks, errors}` (the detail of `hostcall:all-done`). Once per page.
     * @returns {Promise<{blocks: number, errors: number}>}
     */
    boot() {
      this.#booted ??= this.#boot();
      return this.#booted;
    }
    async #boot() {
      const present = blocksIn().map((element) => this.#take(element));
      watchBlocks((element) => this.#take(element));
      const outcomes = await Promise.all(present);
      const summary = { blocks: outcomes.length, errors: outcomes.filter((ok) => !ok).length };
      emit(document, "hostcall:all-done", summary);
      return summary;
    }
    /** The session of `env` (made now if no block has named it yet). */
    session(env = DEFAULT_ENV) {
      if (typeof env !== "string" || !env) throw fail("invalid-argument", "session: the name of an env must be a non-empty string");
      return this.#env(env).session;
    }
    #env(env) {
      if (!this.#envs.has(env)) {
        const session = env === DEFAULT_ENV ? this.#defaultSession : new Session();
        this.#envs.set(env, new PageSession(env, session));
      }
      return this.#envs.get(env);
    }
    /**
     * Run one block (after those of its env found before it); resolves with whether it ran
     * without error. A block seen before resolves true and does nothing.
     * @param {Element} element
     */
    async #take(element) {
      if (this.#seen.has(element)) return true;
      this.#seen.add(element);
      addStyle();
      const script = (
        /** @type {HTMLScriptElement} */
        element
      );
      const python = blockKind(script) === "python";
      const number = python ? ++this.#numbered : null;
      const fileName = python ? fileNameOf(script, number) : null;
      let view = new BlockView(script, null);
      const failed = (error) => {
        script.dataset.hostcallState = "error";
        view.showError(error);
        console.error(`hostcall: a Python block failed
${formatError(error)}`);
        emit(script, "hostcall:error", { block: number, fileName, error });
      };
      try {
        if (!python) {
          throw blockError(`type ${JSON.stringify(script.type)} is not a Python block type; hostcall runs <script type="text/python"> (also ${PYTHON_TYPES.slice(1).join(", ")})`);
        }
        const target = script.getAttribute("target");
        if (target !== null) view = new BlockView(script, elementFor(target, "target"));
      } catch (error) {
        failed({ type: error.name === "ValueError" ? "BlockError" : error.name, message: error.message, traceback: [] });
        return false;
      }
      const env = script.getAttribute("env")?.trim() || DEFAULT_ENV;
      const block = { element: script, number, fileName, view, code: quiet(codeOf(script)), config: quiet(configOf(script)), failed };
      script.dataset.hostcallState = "queued";
      await this.#env(env).add(block, () => this.#configFor(env));
      return script.dataset.hostcallState === "done";
    }
    /** The default env's configuration when its first block has none: the bridge tag's. */
    #configFor(env) {
      if (env !== DEFAULT_ENV || !bridgeScript) return Promise.resolve(void 0);
      this.#bridgeConfig ??= configOf(bridgeScript).catch((error) => {
        throw blockError(`the bridge's config: ${error.message}`);
      });
      return this.#bridgeConfig;
    }
  };
  function quiet(promise) {
    promise.catch(() => {
    });
    return promise;
  }

  // js/bridge/connect.js
  var remoteModule = null;
  function connect(url, options = {}) {
    try {
      checkOptions("connect", options);
    } catch (error) {
      return Promise.reject(typed(error));
    }
    remoteModule ??= import(String(new URL("web/remote.js", scriptURL))).catch((error) => {
      remoteModule = null;
      throw fail("load-failed", `connect: web/remote.js: ${error.message}`);
    });
    return remoteModule.then((module) => module.connect(url, options, REMOTE_CODEC)).catch((error) => Promise.reject(typed(error)));
  }
  var REMOTE_CODEC = Object.freeze({
    encodeArguments: (name, args, kwargs) => encodeArguments(name, args, kwargs, null, null, "the server"),
    decodeValue: (wire, blobs) => decodeValue(wire, blobs, OUTSIDE_PEER),
    decodeHostError,
    fail,
    KWARGS,
    HOST_ERROR,
    RELAY
  });

  // js/bridge/index.js
  var defaultSession = new Session();
  var pageBlocks = new PageBlocks(defaultSession);
  var Hostcall = Object.freeze({
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
    register: (handlers) => defaultSession.register(handlers),
    unregister: (...names) => defaultSession.unregister(...names),
    hostFunctions: (options) => defaultSession.hostFunctions(options),
    handleCount: () => defaultSession.handleCount(),
    handles: () => defaultSession.handles(),
    call: (name, args, options) => defaultSession.call(name, args, options),
    interrupt: () => defaultSession.interrupt(),
    handle: (object) => new HandleRef(object),
    connect,
    createSession: (options) => new Session(options),
    boot: () => pageBlocks.boot(),
    session: (env) => pageBlocks.session(env),
    Session,
    HostcallError,
    PythonError,
    Tuple
  });
  if (!globalThis.Hostcall) {
    globalThis.Hostcall = Hostcall;
    requestFromScriptTag();
    pageBlocks.start();
  }
})();
