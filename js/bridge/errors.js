/** The errors the bridge rejects with (docs/api.md, "Errors"). */

/**
 * A misuse of the bridge or a failure of the machinery (never a Python exception:
 * those are results). `code` is stable; docs/api.md lists every code.
 */
export class HostcallError extends Error {
  /**
   * @param {import("../../bridge.js").HostcallErrorCode} code
   * @param {string} message
   * @param {ErrorOptions} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = /** @type {const} */ ("HostcallError");
    this.code = code;
  }
}

/**
 * A new HostcallError: `throw fail("invalid-argument", "...")`.
 * @param {import("../../bridge.js").HostcallErrorCode} code
 * @param {string} message
 * @param {ErrorOptions} [options]
 */
export const fail = (code, message, options) => new HostcallError(code, message, options);

/**
 * A public method's rejection: its own HostcallError, or an `invalid-argument` error for
 * whatever else an argument made throw (a hostile getter, a value too deep to walk).
 */
export function typed(error) {
  if (error instanceof HostcallError) return error;
  return fail("invalid-argument", `an argument could not be read: ${error?.message ?? String(error)}`, { cause: error });
}

/**
 * A Python exception raised by a function the page called (`session.call`, a Python
 * callback, a Python iterator): `type`, `traceback` and `line` as in a failed run's error.
 */
export class PythonError extends Error {
  /** @param {{type: string, message: string, traceback?: import("../../bridge.js").TracebackFrame[], line?: number | null}} error */
  constructor({ type, message, traceback = [], line = null }) {
    super(`${type}: ${message}`);
    this.name = /** @type {const} */ ("PythonError");
    this.type = type;
    this.pythonMessage = message;
    this.traceback = traceback;
    this.line = line;
  }
}

/**
 * An Error whose `name` is the Python exception it stands for: a host function that throws it
 * raises that exception in Python (a builtin or one of hostcall's, e.g. `UserCancelledError`).
 * @param {string} type
 * @param {string} message
 */
export function pythonError(type, message) {
  return Object.assign(new Error(message), { name: type });
}
