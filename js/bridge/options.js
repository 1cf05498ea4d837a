/** Checking the options object of every public method, and the limits (docs/api.md). */
import { typeName } from "./describe.js";
import { fail } from "./errors.js";

/** Every execution's limits unless the session or the run says otherwise (docs/api.md, "Limits"). */
export const DEFAULT_LIMITS = Object.freeze({
  timeoutMs: null, memoryBytes: 2 ** 31, recursionDepth: null, maxOutputBytes: 2 ** 24, maxHostCalls: null,
});

/** Check a `handlers` object: each value a function. */
export function checkHandlers(method, handlers) {
  if (handlers === null || typeof handlers !== "object") throw fail("invalid-argument", `${method}: handlers must be an object of functions`);
  for (const [name, handler] of Object.entries(handlers)) {
    if (typeof handler !== "function") throw fail("invalid-argument", `${method}: handler ${name} is not a function`);
  }
}

/** The keys each public method's options object may hold (docs/api.md). */
const RUN_OPTIONS = ["scriptName", "limits", "onOutput"];
/** The keys each public method's options object may hold, by method. */
export const OPTIONS = Object.freeze({
  init: ["baseURL", "indexURL", "transport", "onProgress", "onOutput", "limits", "interruptGraceMs", "allowJs", "startupSnapshot", "spare", "keptOutputChars", "serviceWorker", "packages"],
  run: RUN_OPTIONS,
  runWithHostFunctions: RUN_OPTIONS,
  start: ["extFns", ...RUN_OPTIONS],
  call: ["kwargs", "handlers", "onOutput", "limits"],
  hostFunctions: ["root", "only"],
  connect: ["token", "giveUpAfterMs", "heartbeatMs", "heartbeatTimeoutMs"],
  resumeWithError: ["type", "message", "traceback", "args", "exceptions"],
});

/**
 * Check that `options` is an object whose keys `method` knows: a misspelt option must never
 * be a silent no-op (a `timeout` that sets no time limit). The error names the unknown key
 * and the nearest known one. `what` names the keys ("option", "limit", "key"). Returns `options`.
 */
export function checkOptions(method, options, known = OPTIONS[method], what = "option") {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw fail("invalid-argument", `${method}: ${what}s must be an object, not ${options === null ? "null" : typeName(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw fail("invalid-argument", `${method}: unknown ${what} ${JSON.stringify(key)}${suggestion(key, known, what)}`);
  }
  return options;
}

/**
 * "; did you mean ...?" naming the known key nearest to `key` (see {@link closeness}), else
 * "; known <what>s: ...". Where `limits` is known, a limit's name counts as near to it:
 * `run({timeout})` means `limits.timeoutMs`.
 */
function suggestion(key, known, what) {
  const candidates = known.flatMap((name) => (name === "limits"
    ? [[name, name], ...Object.keys(DEFAULT_LIMITS).map((limit) => [limit, `limits.${limit}`])]
    : [[name, name]]));
  let best = { path: null, score: Infinity };
  for (const [name, path] of candidates) {
    const score = closeness(key, name);
    if (score < best.score) best = { path, score };
  }
  if (!best.path) return `; known ${what}s: ${known.join(", ")}`;
  const [top, ...rest] = best.path.split(".");
  return `; did you mean ${JSON.stringify(top)}${rest.length ? ` (${best.path})` : ""}?`;
}

/**
 * How far `name` is from being what the misspelt `key` meant, ignoring case (lower is nearer;
 * Infinity: not plausibly). One containing the other (`grace`, `interruptGraceMs`) or an
 * abbreviation (`msg`, `message`) comes first, then a few edits (`extFn`, `extFns`).
 */
function closeness(key, name) {
  const [a, b] = [key.toLowerCase(), name.toLowerCase()];
  const distance = editDistance(a, b);
  const contained = Math.min(a.length, b.length) >= 4 && (a.includes(b) || b.includes(a));
  let at = 0;
  for (const char of b) if (char === a[at]) at++;
  const abbreviated = a.length >= 3 && a[0] === b[0] && at === a.length;
  if (contained || abbreviated) return distance / 100;
  return distance <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3)) ? distance : Infinity;
}

/** Levenshtein distance: the fewest single-character edits that turn `a` into `b`. */
function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** Check `limits` (each a positive number, or null for none); returns them. */
export function resolveLimits(method, limits) {
  if (limits === undefined) return {};
  checkOptions(method, limits, Object.keys(DEFAULT_LIMITS), "limit");
  for (const [key, value] of Object.entries(limits)) {
    const counted = key === "timeoutMs" ? Number.isFinite(value) : Number.isSafeInteger(value);
    if (value !== null && !(counted && value > 0)) {
      const what = key === "timeoutMs" ? "a positive number" : "a positive integer";
      throw fail("invalid-argument", `${method}: limits.${key} must be ${what} or null, not ${String(value)}`);
    }
  }
  return limits;
}
