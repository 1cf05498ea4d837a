/** The error a host answers a call with, in its wire form (docs/protocol.md, "Errors"). */
import { fail } from "../bridge/errors.js";
import { OPTIONS, checkOptions } from "../bridge/options.js";
import { OUTSIDE_PEER, decodeValue, toWire } from "./values.js";

/**
 * The wire form of the error a host answers a call with (docs/protocol.md, "Errors"):
 * checked, its `args` encoded as values, an exception group's `exceptions` likewise.
 */
export function errorToWire(error, path, context) {
  if (error === null || typeof error !== "object" || typeof error.type !== "string" || !error.type) {
    throw fail("invalid-argument", `${path}: expected {type: string, message: string}`);
  }
  const { type, message = "", traceback, args, exceptions } = checkOptions(path, error, OPTIONS.resumeWithError, "key");
  if (typeof message !== "string") throw fail("invalid-argument", `${path}: message must be a string`);
  if (traceback !== undefined && typeof traceback !== "string") throw fail("invalid-argument", `${path}: traceback must be a string`);
  for (const [name, list] of [["args", args], ["exceptions", exceptions]]) {
    if (list !== undefined && !Array.isArray(list)) throw fail("invalid-argument", `${path}: ${name} must be an array`);
  }
  const wire = { type, message, traceback };
  if (args) wire.args = toWire(args, `${path}: args`, context);
  if (exceptions) wire.exceptions = exceptions.map((each, i) => errorToWire(each, `${path}: exceptions[${i}]`, context));
  return wire;
}

/**
 * A host error from outside the page (`{type, message, args?, exceptions?}`, docs/protocol.md,
 * Texts) as resumeWithError takes it: its args, and an exception group's exceptions', decoded.
 */
export function decodeHostError({ args, exceptions, ...error }, blobs) {
  if (args) error.args = decodeValue(args, blobs, OUTSIDE_PEER);
  if (exceptions) error.exceptions = exceptions.map((each) => decodeHostError(each, blobs));
  return error;
}
