/**
 * An execution's limits on the page (docs/api.md, "Limits"; docs/protocol.md, "Limits and
 * interrupts"): which apply, the watchdog behind the worker's own timeout, the grace an
 * interrupt gets, and the heap past which a worker is replaced. The defaults and the checking
 * of a limits object are options.js's, with every other option.
 */
import { DEFAULT_LIMITS, resolveLimits } from "./options.js";

const INTERRUPT_GRACE_MS = 1000;

/**
 * An execution's limits: the defaults, then the session's, then its own.
 * @param {string} method the public method, for errors
 * @param {object | undefined} session the session's `limits` option
 * @param {object | undefined} own the execution's
 */
export function executionLimits(method, session, own) {
  return { ...DEFAULT_LIMITS, ...resolveLimits(method, session), ...resolveLimits(method, own) };
}

/**
 * How long Python may take to stop when asked before its worker is terminated.
 * @param {{interruptGraceMs?: number}} options the session's
 */
export function graceMs(options) {
  return options.interruptGraceMs ?? INTERRUPT_GRACE_MS;
}

/**
 * The worker enforces timeoutMs; this catches Python that ignores it (C code, a swallowed
 * TimeoutError): `terminate(why)` once `exec` has run, less its host calls, for longer than
 * `timeoutMs` and two grace periods of slack (a worker starved of CPU is not a stuck one).
 * @param {import("./execution.js").Execution} exec
 * @param {number} timeoutMs
 * @param {number} grace the session's interrupt grace (ms)
 * @param {(why: string) => void} terminate
 */
export function watchdog(exec, timeoutMs, grace, terminate) {
  const slack = 2 * grace;
  const check = () => {
    if (exec.state === "ended") return;
    const left = timeoutMs + slack - exec.activeMs();
    if (left > 0 || exec.paused) return void setTimeout(check, Math.max(left, 10));
    terminate(`it ran past its time limit (timeoutMs=${timeoutMs}) by more than ${slack} ms`);
  };
  setTimeout(check, timeoutMs + slack);
}

/**
 * Why a worker whose heap is `heapBytes` after an execution must be replaced, or null. A heap
 * past the session's memoryBytes would fail every later execution at once with MemoryError,
 * and a WebAssembly heap never shrinks.
 * @param {number | undefined} heapBytes
 * @param {object | undefined} limits the session's `limits` option
 */
export function outgrown(heapBytes, limits) {
  const limit = { ...DEFAULT_LIMITS, ...limits }.memoryBytes;
  if (limit === null || !(heapBytes > limit)) return null;
  return `its heap grew to ${heapBytes} bytes, past the session's memory limit (memoryBytes=${limit}), and a heap never shrinks`;
}
