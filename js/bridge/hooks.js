/**
 * The bridge's hooks for hostcall's own tooling, not public API. The headless driver's page
 * script is bundled apart from bridge.js and sees only `window.Hostcall`, so its keys are
 * registry symbols that both bundles name alike (docs/protocol.md, *Relays*); the embed layer
 * is in the bundle and uses a private one.
 */
import { callback } from "./callback.js";

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

/**
 * `session[WATCH](watcher)`: the embed layer's view of a session it did not configure (the
 * default one may be init()ed by the page first): every progress report and output chunk,
 * whatever the session's own callbacks.
 */
export const WATCH = Symbol("hostcall.watch");

/**
 * @typedef {{
 *   progress?: (loaded: number, total: number) => void,
 *   output?: (stream: string, text: string, internal: boolean) => void,
 * }} Watcher `internal`: output of a Python callable the page called (an event handler)
 */

/** A session's watchers; one that throws is reported and disturbs nothing. */
export class Watchers {
  /** @type {Set<Watcher>} */ #watchers = new Set();

  /** @param {Watcher} watcher */
  add(watcher) {
    this.#watchers.add(watcher);
  }

  /** @param {keyof Watcher} what @param {...any} args */
  notify(what, ...args) {
    for (const watcher of this.#watchers) callback(watcher[what], ...args);
  }
}
