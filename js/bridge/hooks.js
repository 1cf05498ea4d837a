/**
 * The bridge's hooks for hostcall's own tooling: the headless driver's page script is bundled
 * apart from bridge.js and sees only `window.Hostcall`, so the keys are registry symbols that
 * both bundles name alike (docs/protocol.md, *Relays*).
 */

/**
 * On a pending state whose values are data only, not enumerable: the call as the worker
 * encoded it, `{fn, args, kwargs, blobs}`.
 */
export const ENCODED_CALL = Symbol.for("hostcall.encodedCall");

/**
 * A `Session` method: answer the pending call with an answer still encoded,
 * `{ok, value | error, blobs}`; resolves with the next state, as `resume` does.
 */
export const RESUME_ENCODED = Symbol.for("hostcall.resumeEncoded");
