// The page side of the headless driver (server/hostcall/headless/browser.py), installed in every page
// of its browser context before bridge.js loads. Each page holds one bridge session, opened
// by open(); the calling Python process drives it through the functions of
// globalThis.HostcallHeadless, which take and return JSON texts (values in the form of
// server/hostcall/values.py) and never reject: a failure is an envelope {ok: false, error}.
// A host call's values pass through encoded, both ways: the page relays them (the bridge's
// hooks, js/bridge/hooks.js; docs/protocol.md, *Relays*), their blobs as base64 texts.
// Bundled on its own (scripts/build) into server/hostcall/headless/page.js: tooling, not
// part of the public bridge.js.
import { ENCODED_CALL, RESUME_ENCODED } from "../bridge/hooks.js";
import { jsonCodec } from "../wire/json.js";

const INTERRUPTED = { type: "KeyboardInterrupt", message: "interrupted by the page" };

let session = null;
// The state promise of the current execution's last step (start or resume).
let inflight = null;
// True while a pending state handed to Python waits for its answer.
let held = false;
// The next state, when interrupt() answered the held call before Python did.
let preempted = null;

// The bridge's codec in its JSON form (bytes inline as base64); it throws naming a value's path.
const { encode, decode } = jsonCodec;

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
      let call;
      try {
        call = encodedCall(state);
      } catch (error) {
        inflight = session.resumeWithError({ type: "TypeError", message: error.message });
        continue;
      }
      held = true;
      return { state: "pending", functionName: state.functionName, ...call };
    }
  } catch (error) {
    inflight = null;
    throw error;
  }
}

/**
 * A pending call as the calling process takes it, `{args, kwargs, blobs}`: as the worker
 * encoded it, blobs as base64. A call naming an object of either side has no such form: its
 * values are encoded here, which refuses a page object or a Python callable by its path.
 */
function encodedCall(state) {
  const encoded = state[ENCODED_CALL];
  if (encoded) return { args: encoded.args, kwargs: encoded.kwargs, blobs: encoded.blobs.map((blob) => blob.toBase64()) };
  const { functionName: name } = state;
  const args = state.args.map((arg, i) => encode(arg, `${name}() argument ${i + 1}`));
  return { args, kwargs: encode(state.kwargs, `${name}() keyword arguments`), blobs: [] };
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

/**
 * Answer the held call with `reply` ({ok, value, blobs} or {ok: false, error, blobs}, blobs as
 * base64), passed on to the worker still encoded.
 */
function answer(reply) {
  held = false;
  if (preempted) {
    const next = preempted; // interrupt() answered it already
    preempted = null;
    return next;
  }
  const blobs = (reply.blobs ?? []).map((blob) => Uint8Array.fromBase64(blob));
  return session[RESUME_ENCODED]({ ...reply, blobs });
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
