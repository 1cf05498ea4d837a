// The page side of the headless driver (server/hostcall/browser.py), installed in every page
// of its browser context before bridge.js loads. Each page holds one bridge session, opened
// by open(); the calling Python process drives it through the functions of
// globalThis.HostcallHeadless, which take and return JSON texts (values in the form of
// server/hostcall/values.py) and never reject: a failure is an envelope {ok: false, error}.
"use strict";
(() => {
  const TAG = "$hc";
  const MAX_DEPTH = 200;
  const FLOATS = { nan: NaN, inf: Infinity, "-inf": -Infinity };
  const INTERRUPTED = { type: "KeyboardInterrupt", message: "interrupted by the page" };

  let session = null;
  // The state promise of the current execution's last step (start or resume).
  let inflight = null;
  // True while a pending state handed to Python waits for its answer.
  let held = false;
  // The next state, when interrupt() answered the held call before Python did.
  let preempted = null;

  /** Encode a value the bridge produced, for the calling process; throws naming its path. */
  function encode(value, path, depth = 0) {
    switch (typeof value) {
      case "undefined": return null;
      case "boolean": case "string": return value;
      case "number":
        if (Number.isFinite(value)) return value;
        return { [TAG]: "float", v: Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
      case "bigint": return { [TAG]: "int", v: String(value) };
      case "object": if (value === null) return null; break;
      default: throw new TypeError(`${path}: a ${typeof value} cannot cross to the calling Python process`);
    }
    if (value instanceof Uint8Array) return { [TAG]: "bytes", b64: value.toBase64() };
    if (value instanceof Date) return { [TAG]: "date", v: value.getTime() };
    if (depth >= MAX_DEPTH) throw new TypeError(`${path}: nested deeper than ${MAX_DEPTH} levels`);
    const each = (items, at) => Array.from(items, (item, i) => encode(item, at(i), depth + 1));
    if (value instanceof Hostcall.Tuple) return { [TAG]: "tuple", v: each(value, (i) => `${path}[${i}]`) };
    if (Array.isArray(value)) return each(value, (i) => `${path}[${i}]`);
    if (value instanceof Set) return { [TAG]: "set", v: each(value, (i) => `${path}{item ${i}}`) };
    if (value instanceof Map) {
      return { [TAG]: "map", v: each(value, (i) => `${path}{entry ${i}}`) };
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = value.constructor?.name ?? "object";
      throw new TypeError(`${path}: a ${name} cannot cross to the calling Python process`);
    }
    const entries = Object.entries(value).map(([k, v]) => [k, encode(v, `${path}[${JSON.stringify(k)}]`, depth + 1)]);
    if (Object.hasOwn(value, TAG)) return { [TAG]: "map", v: entries };
    return Object.fromEntries(entries);
  }

  /** Decode a value of the calling process into what the bridge sends to Python. */
  function decode(wire) {
    if (Array.isArray(wire)) return wire.map(decode);
    if (wire === null || typeof wire !== "object") return wire;
    if (!Object.hasOwn(wire, TAG)) {
      return Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, decode(v)]));
    }
    switch (wire[TAG]) {
      case "bytes": return Uint8Array.fromBase64(wire.b64);
      case "tuple": return Hostcall.Tuple.from(wire.v, decode);
      case "set": return new Set(wire.v.map(decode));
      case "map": return new Map(wire.v.map(([k, v]) => [decode(k), decode(v)]));
      case "int": return BigInt(wire.v);
      case "float": return FLOATS[wire.v];
      case "date": return new Date(wire.v);
      default: throw new TypeError(`unknown value tag ${JSON.stringify(wire[TAG])}`);
    }
  }

  /** The envelope of a rejection: its code, or a Python exception's fields. */
  function failure(error) {
    if (error instanceof Hostcall.PythonError) {
      const { type, pythonMessage: message, traceback, line } = error;
      return { ok: false, error: { kind: "python", type, message, traceback, line } };
    }
    const code = error instanceof Hostcall.HostcallError ? error.code : "internal";
    return { ok: false, error: { kind: "hostcall", code, message: String(error?.message ?? error) } };
  }

  /** Run `action` and wrap its outcome in an envelope, as a JSON text. */
  async function envelope(action) {
    let outcome;
    try {
      outcome = { ok: true, value: await action() };
    } catch (error) {
      outcome = failure(error);
    }
    return JSON.stringify(outcome);
  }

  /**
   * Follow an execution from `promise` to the next state the calling process must see: a
   * pending call whose arguments it can receive, or the end. Arguments that cannot cross
   * are answered here with a TypeError, as the bridge does for a handler's bad value.
   */
  async function settle(promise) {
    inflight = promise;
    try {
      for (;;) {
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

  /** Answer the held call with `answer` ({ok, value} or {ok: false, error}). */
  function answer(reply) {
    held = false;
    if (preempted) {
      const next = preempted; // interrupt() answered it already
      preempted = null;
      return next;
    }
    if (!reply.ok) return session.resumeWithError(reply.error);
    return session.resume(decode(reply.value)).catch((error) => {
      if (error?.code !== "unserializable" && error?.code !== "invalid-argument") throw error;
      return session.resumeWithError({ type: "TypeError", message: error.message });
    });
  }

  globalThis.HostcallHeadless = Object.freeze({
    open: (options) => envelope(() => {
      const onOutput = (stream, text) => globalThis.__hostcallOutput(stream, text).catch(() => {});
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
        next = inflight; // running, or a call(): stop it where it is
        session.interrupt().catch(() => {});
      }
      inflight = null;
      while (next) {
        const state = await next.catch(() => null);
        next = state?.state === "pending" ? session.resumeWithError(INTERRUPTED) : null;
      }
    }),
    dispose: () => envelope(() => session?.dispose()),
  });
})();
