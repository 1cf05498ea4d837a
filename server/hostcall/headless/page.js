// Generated from js/headless/page.js by scripts/build; do not edit.
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

  // js/bridge/describe.js
  function typeName(value) {
    try {
      return value?.constructor?.name || Object.prototype.toString.call(value).slice(8, -1);
    } catch {
      return typeof value;
    }
  }

  // js/bridge/options.js
  var DEFAULT_LIMITS = Object.freeze({
    timeoutMs: null,
    memoryBytes: 2 ** 31,
    recursionDepth: null,
    maxOutputBytes: 2 ** 24,
    maxHostCalls: null
  });
  var RUN_OPTIONS = ["scriptName", "limits", "onOutput"];
  var OPTIONS = Object.freeze({
    init: ["baseURL", "indexURL", "transport", "onProgress", "onOutput", "limits", "interruptGraceMs", "allowJs", "startupSnapshot", "spare", "keptOutputChars", "packages"],
    run: RUN_OPTIONS,
    runWithHostFunctions: RUN_OPTIONS,
    start: ["extFns", ...RUN_OPTIONS],
    call: ["kwargs", "handlers", "onOutput", "limits"],
    hostFunctions: ["root", "only"],
    connect: ["token", "giveUpAfterMs", "heartbeatMs", "heartbeatTimeoutMs"],
    resumeWithError: ["type", "message", "traceback", "args", "exceptions"]
  });

  // js/bridge/handles.js
  var HandleRef = class {
    constructor(object) {
      if (object === null || typeof object !== "object" && typeof object !== "function") {
        throw fail("invalid-argument", "handle(object): only an object can be handed out as a handle");
      }
      this.object = object;
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
  function encoding({ handles, run, to = "Python", inline = false }, encode2) {
    const context = { blobs: [], active: /* @__PURE__ */ new Set(), handles, run, handedOut: [], to, inline };
    try {
      return { wire: encode2(context), blobs: context.blobs };
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
    const decode2 = (item) => decodeValue(item, blobs, peer);
    if (Array.isArray(wire)) {
      for (let i = 0; i < wire.length; i++) wire[i] = decode2(wire[i]);
      return wire;
    }
    if (wire === null || typeof wire !== "object") return wire;
    if (!Object.hasOwn(wire, TAG)) {
      for (const key of Object.keys(wire)) wire[key] = decode2(wire[key]);
      return wire;
    }
    switch (wire[TAG]) {
      case "bytes":
        return wire.b64 === void 0 ? blobs[wire.i] : Uint8Array.fromBase64(wire.b64);
      case "tuple":
        return Tuple.from(wire.v, decode2);
      case "set":
        return new Set(wire.v.map(decode2));
      case "map": {
        const pairs = wire.v.map(([k, v]) => [decode2(k), decode2(v)]);
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
  var OUTSIDE_PEER = Object.freeze({
    object: () => {
      throw fail("internal", "a value from outside the page named a page object");
    },
    python: () => {
      throw fail("internal", "a value from outside the page named a Python callable");
    }
  });

  // js/wire/host-errors.js
  function decodeHostError({ args, exceptions, ...error }, blobs) {
    if (args) error.args = decodeValue(args, blobs, OUTSIDE_PEER);
    if (exceptions) error.exceptions = exceptions.map((each) => decodeHostError(each, blobs));
    return error;
  }

  // js/wire/json.js
  var jsonCodec = Object.freeze({
    encode: (value, path) => encoding({ to: "the calling Python process", inline: true }, (context) => toWire(value, path, context)).wire,
    decode: (wire) => decodeValue(wire, [], OUTSIDE_PEER),
    decodeHostError: (wire) => decodeHostError(wire, [])
  });

  // js/headless/page.js
  var INTERRUPTED = { type: "KeyboardInterrupt", message: "interrupted by the page" };
  var session = null;
  var inflight = null;
  var held = false;
  var preempted = null;
  var { encode, decode, decodeHostError: decodeError } = jsonCodec;
  function failure(error) {
    if (error instanceof Hostcall.PythonError) {
      const { type, pythonMessage: message, traceback, line } = error;
      return { ok: false, error: { kind: "python", type, message, traceback, line } };
    }
    const code = error instanceof Hostcall.HostcallError ? error.code : "internal";
    return { ok: false, error: { kind: "hostcall", code, message: String(error?.message ?? error) } };
  }
  async function envelope(action) {
    let outcome;
    try {
      outcome = { ok: true, value: await action() };
    } catch (error) {
      outcome = failure(error);
    }
    return JSON.stringify(outcome);
  }
  async function settle(promise) {
    inflight = promise;
    try {
      for (; ; ) {
        const state = await inflight;
        if (state.state === "complete") return complete(state);
        let args, kwargs;
        try {
          args = state.args.map((arg, i) => encode(arg, `${state.functionName}() argument ${i + 1}`));
          kwargs = encode(state.kwargs, `${state.functionName}() keyword arguments`);
        } catch (error) {
          inflight = session.resumeWithError({ type: "TypeError", message: error.message });
          continue;
        }
        held = true;
        return { state: "pending", functionName: state.functionName, args, kwargs };
      }
    } catch (error) {
      inflight = null;
      throw error;
    }
  }
  function complete(state) {
    inflight = null;
    const { ok, stdout, stderr } = state;
    if (!ok) return { state: "complete", ok, error: state.error, stdout, stderr };
    try {
      return { state: "complete", ok, value: encode(state.value, "the result"), stdout, stderr };
    } catch (error) {
      const crossing = { type: "TypeError", message: error.message, traceback: [], line: null };
      return { state: "complete", ok: false, error: crossing, stdout, stderr };
    }
  }
  function answer(reply) {
    held = false;
    if (preempted) {
      const next = preempted;
      preempted = null;
      return next;
    }
    if (!reply.ok) return session.resumeWithError(decodeError(reply.error));
    return session.resume(decode(reply.value)).catch((error) => {
      if (error?.code !== "unserializable" && error?.code !== "invalid-argument") throw error;
      return session.resumeWithError({ type: "TypeError", message: error.message });
    });
  }
  globalThis.HostcallHeadless = Object.freeze({
    open: (options) => envelope(() => {
      const onOutput = (stream, text) => globalThis.__hostcallOutput(stream, text).catch(() => {
      });
      session = Hostcall.createSession({ ...JSON.parse(options), onOutput });
      return session.init();
    }),
    discover: () => envelope(() => session.discover()),
    start: (code, options) => envelope(() => settle(session.start(code, JSON.parse(options)))),
    resume: (reply) => envelope(() => settle(answer(JSON.parse(reply)))),
    call: (name, args, kwargs) => envelope(async () => {
      const value = await session.call(name, decode(JSON.parse(args)), { kwargs: decode(JSON.parse(kwargs)) });
      try {
        return encode(value, `${name}() result`);
      } catch (error) {
        throw new Hostcall.PythonError({ type: "TypeError", message: error.message });
      }
    }),
    interrupt: () => envelope(async () => {
      if (held) {
        held = false;
        inflight = preempted = session.resumeWithError(INTERRUPTED);
        return;
      }
      await session.interrupt();
    }),
    /** Stop the execution the calling process gave up on, answering its calls with KeyboardInterrupt. */
    abandon: () => envelope(async () => {
      let next = null;
      if (preempted || held) {
        next = answer({ ok: false, error: INTERRUPTED });
      } else {
        next = inflight;
        session.interrupt().catch(() => {
        });
      }
      inflight = null;
      while (next) {
        const state = await next.catch(() => null);
        next = state?.state === "pending" ? session.resumeWithError(INTERRUPTED) : null;
      }
    }),
    dispose: () => envelope(() => session?.dispose())
  });
})();
