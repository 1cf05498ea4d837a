/**
 * The value codec: JavaScript values to and from their wire form (docs/protocol.md, "Values").
 */
import { typeName } from "../bridge/describe.js";
import { fail } from "../bridge/errors.js";
import { HandleRef, nativeHandleKind } from "../bridge/handles.js";

// Tuples are recognised by a registered symbol, not by class identity: the headless driver's
// page script (a bundle of its own) decodes values that bridge.js then encodes.
const TUPLE = Symbol.for("hostcall.tuple");

/** A Python tuple on the JavaScript side: an Array that goes back to Python as a tuple. */
export class Tuple extends Array {
  get [TUPLE]() { return true; }

  /** Whether `value` is a Tuple of any copy of this module. */
  static [Symbol.hasInstance](value) { return Array.isArray(value) && value[TUPLE] === true; }
}

/** The key that marks a tagged value on the wire: `{"$hc": "bytes", ...}`. */
export const TAG = "$hc";
const MAX_DEPTH = 200; // as deep as Python's encoders go: tests/wire-vectors.json checks all three
const FLOATS = { nan: NaN, inf: Infinity, "-inf": -Infinity };

/**
 * Encode a JavaScript value for Python: `{wire, blobs}` (see docs/protocol.md, "Values").
 * Page objects become handles in `handles` made during execution `run`.
 * Throws HostcallError("unserializable") naming the offending type and its path.
 */
export function encodeValue(value, root, handles, run) {
  return encoding({ handles, run }, (context) => toWire(value, root, context));
}

/**
 * Run `encode(context)`; if it throws, give back the handles it handed out. `inline`
 * writes bytes into the value as base64 instead of into the blobs.
 * @template T
 * @param {{handles?: any, run?: any, to?: string, inline?: boolean}} options
 * @param {(context: any) => T} encode
 * @returns {{wire: T, blobs: Uint8Array[]}}
 */
export function encoding({ handles, run, to = "Python", inline = false }, encode) {
  const context = { blobs: [], active: new Set(), handles, run, handedOut: [], to, inline };
  try {
    return { wire: encode(context), blobs: context.blobs };
  } catch (error) {
    handles?.release(context.handedOut);
    throw error;
  }
}

/** The wire form of `value`, at `path` (named in errors), within an {@link encoding}'s `context`. */
export function toWire(value, path, context) {
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
      return objectToWire(value, path, context);
    default:
      throw fail("unserializable", `${path}: a value of type '${typeof value}' cannot cross to ${context.to}`);
  }
}

function objectToWire(value, path, context) {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
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
    const hint = context.handles ? " (Hostcall.handle() hands it out as a handle)" : ""; // only Python holds handles
    throw fail("unserializable", `${path}: a value of type '${typeName(value)}' cannot cross to ${context.to}${hint}`);
  }
  // A key in a path is a JSON string, as in Python's codecs (tests/wire-vectors.json, refusals).
  const entries = Object.entries(value).map(([k, v]) => [k, toWire(v, `${path}[${JSON.stringify(k)}]`, context)]);
  if (Object.hasOwn(value, TAG)) return { [TAG]: "map", v: entries };
  return Object.fromEntries(entries);
}

/**
 * Decode a value sent by Python (the `wire` form of docs/protocol.md) in place. `peer`
 * resolves what refers to either side: `object(id)` a handle (a stale one throws
 * `stale-handle`), `python(wire)` a Python callable or iterator.
 */
export function decodeValue(wire, blobs, peer) {
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
    case "bytes": return wire.b64 === undefined ? blobs[wire.i] : Uint8Array.fromBase64(wire.b64);
    case "tuple": return Tuple.from(wire.v, decode);
    case "set": return new Set(wire.v.map(decode));
    case "map": {
      const pairs = wire.v.map(([k, v]) => [decode(k), decode(v)]);
      // A dict keyed by strings only is an object, even when it needed the map form (a "$hc" key).
      return pairs.every(([k]) => typeof k === "string") ? Object.fromEntries(pairs) : new Map(pairs);
    }
    case "int": return BigInt(wire.v);
    case "float": return FLOATS[wire.v];
    case "date": return new Date(wire.v);
    case "handle": return peer.object(wire.id);
    case "callable": case "iterator": return peer.python(wire);
    default: throw fail("internal", `unknown value tag ${JSON.stringify(wire[TAG])}`);
  }
}

/**
 * Encode a call's arguments: `{wire: {args, kwargs}, blobs}`, paths naming `method`'s
 * arguments. Without `handles` (a call to a server), page objects cannot cross.
 */
export function encodeArguments(method, args, kwargs, handles, run, to) {
  return encoding({ handles, run, to }, (context) => ({
    args: args.map((arg, i) => toWire(arg, `${method}() argument ${i + 1}`, context)),
    kwargs: Object.fromEntries(Object.entries(kwargs).map(([key, arg]) => [key, toWire(arg, `${method}() argument '${key}'`, context)])),
  }));
}

/** Whether a JSON text from the worker holds tagged values, so decoding must walk it. */
export const isTagged = (text) => text.includes(`"${TAG}"`);

const EITHER_SIDE = new Set(["handle", "callable", "iterator"]);

/**
 * Whether a wire value names an object of either side (a page object's handle, a Python
 * callable or iterator): only a value free of them means the same beyond the page, so only
 * such a value can pass through it still encoded.
 */
export function namesEitherSide(wire) {
  if (wire === null || typeof wire !== "object") return false;
  if (EITHER_SIDE.has(wire[TAG])) return true;
  return (Array.isArray(wire) ? wire : Object.values(wire)).some(namesEitherSide);
}

/** The peer of values from outside the page (a server, the calling process): they name neither side's objects. */
export const OUTSIDE_PEER = Object.freeze({
  object: () => { throw fail("internal", "a value from outside the page named a page object"); },
  python: () => { throw fail("internal", "a value from outside the page named a Python callable"); },
});
