/** Checking the options of init() and createSession() (docs/api.md, init). */
import { typeName } from "./describe.js";
import { fail } from "./errors.js";
import { OPTIONS, checkOptions, resolveLimits } from "./options.js";
import { scriptURL } from "./script-url.js";

const TRANSPORTS = ["auto", "atomics", "jspi"];
/**
 * How much of an execution's output the bridge keeps for its `stdout`/`stderr` (UTF-16 code
 * units, both streams together), and the most an `init` may ask for: a JavaScript string
 * holds at most 2 ** 29 - 24 of them in V8, and output past `maxOutputBytes: null` has no end.
 */
export const KEPT_OUTPUT_CHARS = 2 ** 25;
const MAX_KEPT_OUTPUT_CHARS = 2 ** 28;

/** Check the options of init() or createSession() (docs/api.md, init); returns them. */
export function checkInitOptions(method, options) {
  checkOptions(method, options, OPTIONS.init);
  const { limits, interruptGraceMs: grace } = options;
  if (!TRANSPORTS.includes(options.transport ?? "auto")) throw fail("invalid-argument", `${method}: transport must be one of ${TRANSPORTS.join(", ")}`);
  for (const key of ["baseURL", "indexURL"]) {
    const url = options[key];
    if (url !== undefined && !isURL(url)) throw fail("invalid-argument", `${method}: ${key} must be a URL, not ${describe(url)}`);
  }
  const sw = options.serviceWorker;
  if (sw !== undefined && typeof sw !== "boolean" && !isURL(sw)) {
    throw fail("invalid-argument", `${method}: serviceWorker must be true, false or a URL, not ${describe(sw)}`);
  }
  for (const key of ["onProgress", "onOutput"]) {
    if (options[key] !== undefined && typeof options[key] !== "function") throw fail("invalid-argument", `${method}: ${key} must be a function`);
  }
  if (limits !== undefined) resolveLimits(method, limits);
  checkKeptOutput(method, options.keptOutputChars);
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0)) throw fail("invalid-argument", `${method}: interruptGraceMs must be a number of milliseconds`);
  for (const flag of ["allowJs", "spare", "startupSnapshot"]) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean") throw fail("invalid-argument", `${method}: ${flag} must be true or false`);
  }
  checkPackages(method, options.packages);
  return options;
}

/** A string or URL that is a URL, relative ones resolved against bridge.js's own. */
export function isURL(value) {
  return (typeof value === "string" || value instanceof URL) && URL.canParse(value, scriptURL);
}

const describe = (value) => (typeof value === "string" ? JSON.stringify(value) : typeName(value));

/** A PyPI project name (PEP 508): letters and digits, with `.`, `_` or `-` inside. */
const PACKAGE_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Check init's `packages`: undefined (none), or an array of package names. */
function checkPackages(method, packages) {
  if (packages === undefined) return;
  if (!Array.isArray(packages)) throw fail("invalid-argument", `${method}: packages must be an array of package names, not ${typeName(packages)}`);
  for (const name of packages) {
    if (typeof name !== "string" || !PACKAGE_NAME.test(name)) {
      throw fail("invalid-argument", `${method}: packages: ${describe(name)} is not a package name`);
    }
  }
}

/** Check init's `keptOutputChars`: undefined (the default), or a count a string can hold. */
function checkKeptOutput(method, chars) {
  if (chars === undefined || (Number.isSafeInteger(chars) && chars > 0 && chars <= MAX_KEPT_OUTPUT_CHARS)) return;
  throw fail("invalid-argument", `${method}: keptOutputChars must be a positive integer up to ${MAX_KEPT_OUTPUT_CHARS}, not ${String(chars)}`);
}
