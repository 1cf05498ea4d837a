/** Calling user code the bridge must not be derailed by. */

/** Call a user's callback; its exception is reported, never allowed to derail the bridge. */
export function callback(fn, ...args) {
  try {
    fn?.(...args);
  } catch (error) {
    globalThis.reportError(error);
  }
}
