/**
 * Host calls on the page (docs/protocol.md, "Host calls"): reading the worker's call and
 * done texts, the calls the bridge serves itself, and answering pending calls with handlers.
 */
import { decodeValue, encodeValue, isTagged, namesEitherSide } from "../wire/values.js";
import { typeName } from "./describe.js";
import { HostcallError, fail } from "./errors.js";
import { PREEMPTED } from "./execution.js";
import { ENCODED_CALL } from "./hooks.js";

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

/**
 * How values the worker sends become page values: a handle's object, a Python object's proxy.
 * @typedef {{object: (id: number) => unknown, python: (wire: any) => unknown}} Peer
 */

/**
 * A call text from the worker, its handle notes applied: `{id, fn, args, kwargs}`, or
 * `{refusal}`, the answer text for a call naming a stale handle (the host never sees a call
 * naming a dead object: Python gets the error at once).
 * @param {string} text
 * @param {Uint8Array[]} blobs
 * @param {import("./handles.js").HandleTable} handles
 * @param {Peer} peer
 */
export function readCall(text, blobs, handles, peer) {
  const call = JSON.parse(text);
  settleHandles(handles, call);
  const tagged = isTagged(text);
  if (!call.fn.startsWith("$") && !(tagged && namesEitherSide([call.args, call.kwargs]))) {
    // Data only: kept encoded for a RELAY handler, decoded when anyone reads the values.
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

/**
 * The pending state the host sees for a call `readCall` read. A data-only call carries its
 * encoded form under `ENCODED_CALL`, and its `args` and `kwargs` are decoded when first read,
 * so a relay's call (a RELAY handler's, the headless driver's) is never decoded.
 * @param {any} call
 * @returns {import("./execution.js").PendingState}
 */
export function pendingState({ id, fn, args, kwargs, encoded, decode }) {
  if (!encoded) return { state: "pending", callId: id, functionName: fn, args, kwargs };
  /** @type {import("./execution.js").PendingState} */
  const state = { state: "pending", callId: id, functionName: fn, args: encoded.args, kwargs: encoded.kwargs };
  Object.defineProperty(state, ENCODED_CALL, { value: encoded });
  if (decode) {
    let values = null;
    const read = (i) => (values ??= decode())[i];
    Object.defineProperties(state, {
      args: { get: () => read(0), enumerable: true },
      kwargs: { get: () => read(1), enumerable: true },
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
    Object.fromEntries(Object.entries(kwargs).map(([key, arg]) => [key, decode(arg, `argument '${key}'`)])),
  ];
}

/**
 * A done text's result; a stale handle in the value fails the run with StaleHandleError.
 * @param {string} text
 * @param {Uint8Array[]} blobs
 * @param {import("./handles.js").HandleTable} handles
 * @param {Peer} peer
 */
export function readResult(text, blobs, handles, peer) {
  let result = JSON.parse(text);
  const notes = { release: result.release, keep: result.keep };
  try {
    if (isTagged(text)) result = decodeValue(result, blobs, peer);
  } catch (error) {
    if (error?.code !== "stale-handle") throw error;
    result = { ok: false, error: { ...errorInfo(error), traceback: [], line: null } };
  }
  // After decoding: the notes release the wrappers of the result's own handles.
  settleHandles(handles, notes);
  return result;
}

/** Apply the handle notes a call or a done text carries: wrappers Python dropped or kept. */
function settleHandles(handles, { release, keep }) {
  if (release) handles.release(release);
  if (keep) handles.keep(keep);
}

/**
 * The answer to a call the bridge serves itself (a name starting with `$`): `$next` pulls a
 * page async iterator for Python. Resolves with `{text, blobs}`, a failure as Python's error.
 * @param {string} fn
 * @param {any[]} args
 * @param {import("./handles.js").HandleTable} handles
 * @param {number} run the execution's id
 */
export async function serveOwnCall(fn, [iterator], handles, run) {
  try {
    if (fn !== "$next" || typeof iterator?.next !== "function") throw fail("internal", `the bridge has no ${fn} for ${typeName(iterator)}`);
    const { done, value } = await iterator.next();
    const { wire, blobs } = encodeValue(done ? { done: true } : { done: false, value }, "the iterator's value", handles, run);
    return { text: JSON.stringify({ ok: true, value: wire }), blobs };
  } catch (error) {
    return { text: JSON.stringify({ ok: false, error: errorInfo(error) }), blobs: [] };
  }
}

/**
 * What answers pending calls for {@link drive}: the execution now current, and the public
 * resume methods.
 * @typedef {{
 *   current: () => import("./execution.js").Execution,
 *   resume: (value: unknown) => Promise<any>,
 *   resumeWithError: (error: unknown) => Promise<any>,
 *   answerEncoded: (answer: {ok: boolean, value?: unknown, error?: unknown, blobs?: Uint8Array[]}) => Promise<any>,
 * }} Driver
 */

/**
 * Answer each pending state with `handlers` until the execution completes.
 * @param {Promise<any>} first the execution's first state
 * @param {Record<string, Function>} handlers
 * @param {Driver} driver
 */
export async function drive(first, handlers, driver) {
  let state = await first;
  while (state.state === "pending") state = await handle(handlers, state, driver);
  return state;
}

async function handle(handlers, state, { current, resume, resumeWithError, answerEncoded }) {
  const { functionName } = state; // args and kwargs are read only where a handler takes values
  const exec = current();
  let value, failure, encoded;
  try {
    const handler = handlers[functionName];
    encoded = handler[RELAY] && state[ENCODED_CALL];
    if (encoded) value = handler[RELAY](encoded);
    else if (handler[KWARGS]) value = handler(state.args, state.kwargs);
    else value = Object.keys(state.kwargs).length ? handler(...state.args, state.kwargs) : handler(...state.args);
    // Await only a promise (or thenable): answering a plain value at once skips the
    // microtask turns an await would add to every synchronous host call. Stop waiting
    // when the bridge answered the call itself (interrupt) or the worker is gone.
    if (typeof value?.then === "function") value = await Promise.race([value, exec.preempted]);
  } catch (error) {
    failure = error?.[HOST_ERROR] ?? errorInfo(error);
  }
  // interrupt() may have answered the call meanwhile, or the handler itself disposed of
  // the session (or it crashed): then follow the execution on, to its end.
  if (value === PREEMPTED || exec.pending !== state) return exec.next;
  if (failure) return resumeWithError(failure);
  try {
    return await (encoded ? answerEncoded(value) : resume(value));
  } catch (error) {
    // Any failure to encode the value (a throwing getter too) is the handler's, not ours.
    if (error instanceof HostcallError && !["unserializable", "invalid-argument"].includes(error.code)) throw error;
    return resumeWithError({ type: "TypeError", message: `${functionName} returned ${error.message}` });
  }
}

/** The Python exception a thrown JavaScript value becomes: its name and message. */
function errorInfo(error) {
  if (error instanceof HostcallError && error.code === "stale-handle") return { type: "StaleHandleError", message: error.message };
  if (!(error instanceof Error)) return { type: "Error", message: String(error) };
  const info = { type: error.name || "Error", message: error.message };
  if (typeof error.stack === "string") info.traceback = error.stack; // shown as a note in Python
  return info;
}
