/**
 * The standard host functions (docs/host-functions.md): the DOM, events and a few browser
 * APIs for Python running under hostcall. `Hostcall.hostFunctions()` binds them to a session.
 *
 * Arguments arrive as Python sent them (handles already turned into their page objects), so
 * every handler checks them (./signature.js, ./checks.js) and fails with the exception Python
 * should see: the error's `name` picks the Python class (TypeError, ValueError, TimeoutError,
 * UserCancelledError...) and its message names the function and the argument.
 */

import { browserFunctions } from "./browser.js";
import { domFunctions } from "./dom.js";
import { eventFunctions, eventQueuesOf } from "./events.js";

/**
 * The host functions, name -> handler, bound to one session's handle table.
 * `root` (an element or a CSS selector, default `document.body`) is the element they work
 * within; `only` (an array of names) includes just those functions.
 * @param {any} handles the session's handle table
 * @param {{root?: Element | string, only?: string[]}} [options]
 */
export function createHostFunctions(handles, options = {}) {
  if (options === null || typeof options !== "object") throw new TypeError("createHostFunctions: options must be an object");
  const { root = document.body, only } = options;
  const context = { handles, root: resolveRoot(root), events: eventQueuesOf(handles) };
  const all = { ...domFunctions(context), ...eventFunctions(context), ...browserFunctions(context) };
  return only === undefined ? all : select(all, only);
}

function resolveRoot(root) {
  let element = root;
  if (typeof root === "string") {
    try {
      element = document.querySelector(root);
    } catch {
      throw new TypeError(`createHostFunctions: root ${JSON.stringify(root)} is not a valid CSS selector`);
    }
  }
  if (!(element instanceof Element)) {
    throw new TypeError("createHostFunctions: root must be an element or a CSS selector matching one; "
      + `${JSON.stringify(root)} is not`);
  }
  return element;
}

function select(all, only) {
  if (!Array.isArray(only)) throw new TypeError("createHostFunctions: only must be an array of host function names");
  const unknown = only.filter((name) => !Object.hasOwn(all, name)).map((name) => JSON.stringify(name));
  if (unknown.length) {
    throw new TypeError(`createHostFunctions: only names unknown host functions ${unknown.join(", ")}; `
      + `known: ${Object.keys(all).join(", ")}`);
  }
  return Object.fromEntries(only.map((name) => [name, all[name]]));
}
