/** `Hostcall.connect`: loads web/remote.js and hands it the bridge's codec. */
import { decodeHostError } from "../wire/host-errors.js";
import { OUTSIDE_PEER, decodeValue, encodeArguments } from "../wire/values.js";
import { fail, typed } from "./errors.js";
import { checkOptions } from "./options.js";
import { scriptURL } from "./script-url.js";
import { HOST_ERROR, KWARGS, RELAY } from "./host-calls.js";

let remoteModule = null; // the import of web/remote.js, once started

/**
 * Connect to a server's host functions (web/remote.js, docs/remote.md). Resolves with
 * `{handlers, functions, close()}` once the server has welcomed this page.
 */
export function connect(url, options = {}) {
  try {
    checkOptions("connect", options);
  } catch (error) {
    return Promise.reject(typed(error));
  }
  remoteModule ??= import(String(new URL("web/remote.js", scriptURL))).catch((error) => {
    remoteModule = null; // try again on the next connect()
    throw fail("load-failed", `connect: web/remote.js: ${error.message}`);
  });
  return remoteModule.then((module) => module.connect(url, options, REMOTE_CODEC)).catch((error) => Promise.reject(typed(error)));
}

/** What web/remote.js needs of the bridge: its values (for calls made from JavaScript), its errors, its handler markers. */
const REMOTE_CODEC = Object.freeze({
  encodeArguments: (name, args, kwargs) => encodeArguments(name, args, kwargs, null, null, "the server"),
  decodeValue: (wire, blobs) => decodeValue(wire, blobs, OUTSIDE_PEER),
  decodeHostError,
  fail,
  KWARGS,
  HOST_ERROR,
  RELAY,
});
