/**
 * The checks of host-function arguments and the errors they raise, in Python's terms: each
 * check takes `(value, where)` and returns the value, or throws naming `where`.
 */

import { typeName } from "../../bridge/describe.js";
import { pythonError } from "../../bridge/errors.js";

// The host functions raise Python exceptions through the bridge's one helper.
export { pythonError };

const MAX_SECONDS = 2_147_483; // setTimeout's longest delay, 2**31 - 1 ms

/** A check accepting the values `test` approves of, described to Python as `expected`. */
function accepting(expected, test) {
  return (value, where) => {
    if (!test(value)) throw new TypeError(`${where} must be ${expected}, not ${pyType(value)}`);
    return value;
  };
}

export const text = accepting("str", (value) => typeof value === "string");
export const textOrNone = accepting("str or None", (value) => value === null || typeof value === "string");
export const flag = accepting("bool", (value) => typeof value === "boolean");
export const pythonFunction = accepting("function", (value) => typeof value === "function");
export const fileData = accepting("str or bytes", (value) => typeof value === "string" || value instanceof Uint8Array);
export const attributeValue = accepting("str, int, float, bool or None",
  (value) => value === null || ["string", "number", "boolean"].includes(typeof value));

export function nonEmptyText(value, where) {
  text(value, where);
  if (!value) throw pythonError("ValueError", `${where} must not be empty`);
  return value;
}

/** A check for one name that cannot hold spaces: a class name, an event type. */
function word(what) {
  return (value, where) => {
    nonEmptyText(value, where);
    if (/\s/.test(value)) throw pythonError("ValueError", `${where} must be one ${what}, without spaces, not ${JSON.stringify(value)}`);
    return value;
  };
}

export const className = word("class name");
export const eventType = word("event type");

export function seconds(value, where) {
  if (typeof value !== "number") throw new TypeError(`${where} must be int or float (seconds), not ${pyType(value)}`);
  if (!(value >= 0 && value <= MAX_SECONDS)) {
    throw pythonError("ValueError", `${where} must be from 0 to ${MAX_SECONDS} seconds, not ${value}`);
  }
  return value;
}

export function secondsOrNone(value, where) {
  return value === null ? null : seconds(value, where);
}

/** Data for a property: what crosses from Python without becoming a handle. */
export function plainData(value, where) {
  return data(value, where, false);
}

/** Data JSON can hold: no NaN or infinities, no big ints, no dates. */
export function jsonData(value, where) {
  return data(value, where, true);
}

function data(value, where, json) {
  switch (typeof value) {
    case "string": case "boolean": return value;
    case "number":
      if (json && !Number.isFinite(value)) throw pythonError("ValueError", `${where} is ${value}, which JSON cannot hold`);
      return value;
    case "bigint":
      if (json) throw pythonError("ValueError", `${where} is an int beyond 2**53, which JSON here cannot hold`);
      return value;
  }
  if (value === null || (!json && value instanceof Date)) return value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => data(item, `${where}[${i}]`, json));
    return value;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) data(item, `${where}[${JSON.stringify(key)}]`, json);
    return value;
  }
  const kind = json ? "JSON data" : "plain data";
  throw new TypeError(`${where} must be ${kind} (None, bool, int, float, str, list or dict), not ${pyType(value)}`);
}

/** A check for an element: a handle Python passed, or a bare id of one. */
export function elementIn(handles) {
  return (value, where) => {
    const object = isId(value) ? objectOf(handles, value, where) : value;
    if (object instanceof Element) return object;
    throw new TypeError(`${where} must be an element handle, not ${pyType(object)}`);
  };
}

/** A check for any live handle, or a bare id of one; gives the id. */
export function handleIn(handles) {
  return (value, where) => {
    if (isId(value)) {
      objectOf(handles, value, where);
      return value;
    }
    const id = value !== null && typeof value === "object" ? handles.idOf(value) : undefined;
    if (id === undefined) throw new TypeError(`${where} must be a handle, not ${pyType(value)}`);
    return id;
  };
}

const isId = (value) => Number.isInteger(value);

function objectOf(handles, id, where) {
  try {
    return handles.object(id);
  } catch (error) {
    if (error?.code === "stale-handle") throw pythonError("StaleHandleError", `${where}: ${error.message}`);
    throw error;
  }
}


/** The Python type a value Python sent had, for error messages. */
export function pyType(value) {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "string": return "str";
    case "boolean": return "bool";
    case "number": return Number.isInteger(value) ? "int" : "float";
    case "bigint": return "int";
    case "function": return "a function";
  }
  if (Array.isArray(value)) return value.constructor === Array ? "list" : "tuple";
  if (value instanceof Uint8Array) return "bytes";
  if (value instanceof Date) return "datetime";
  if (value instanceof Set) return "set";
  if (value instanceof Map) return "dict with keys that are not str";
  if (isPlainObject(value)) return "dict";
  if (value instanceof Element) return "an element handle";
  return `a ${typeName(value)} handle`;
}

export function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isFormControl(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}
