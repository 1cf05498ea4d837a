/**
 * One execution (a run, a `call`, a Python callback or iterator pull) as a state machine;
 * its states and transitions are the contract in docs/protocol.md, "Executions".
 *
 *   running --called--> serving --hold--> held --release--> pending --answer--> running
 *   serving --served--> running            (the bridge answered the call itself)
 *   held | pending --preempt--> running    (interrupt() answered the call for the host)
 *   running --complete | fail--> ended;  any but ended --shutDown--> ended
 *
 * A transition from a state it does not leave throws an `internal` HostcallError and changes
 * nothing: the session's message handling turns that into a crash, which ends the execution
 * cleanly, instead of a half-updated execution that never settles.
 */
import { deferred } from "./deferred.js";
import { fail } from "./errors.js";
import { KeptOutput } from "./output.js";

/**
 * What the preemption promise resolves with: the bridge answered the pending call itself
 * (interrupt()) or dropped it (a shutdown), so a handler still running must be ignored.
 */
export const PREEMPTED = Symbol("preempted");

/** @typedef {"running" | "serving" | "held" | "pending" | "ended"} ExecutionState */
/** @typedef {{state: "pending", callId: number, functionName: string, args: unknown[], kwargs: Record<string, unknown>}} PendingState */

export class Execution {
  /** @type {ExecutionState} */ state = "running";
  #waiter = deferred(); // the next state the execution reaches (pending or complete)
  #ended = deferred();
  #preempted = deferred(); // resolved with PREEMPTED when the bridge takes the pending call from its host
  /** @type {{state: PendingState, outputSeq: number} | null} */ #held = null;
  /** @type {PendingState | null} */ #pending = null;
  #startedAt = performance.now();
  #pausedMs = 0; // time spent in answered host calls: the watchdog does not count it
  /** @type {number | null} */ #pausedAt = null;

  /**
   * @param {number} id the execution's id (unique in its session)
   * @param {{onOutput?: Function, internal?: boolean, keptOutputChars: number}} options
   *   `internal`: a Python callback or iterator pull, which queues behind other executions
   */
  constructor(id, { onOutput, internal = false, keptOutputChars }) {
    this.id = id;
    this.onOutput = onOutput;
    this.internal = internal;
    this.output = new KeptOutput(keptOutputChars);
  }

  /** The execution's next state: a pending call or its completion (a failure rejects). */
  get next() { return this.#waiter.promise; }

  /** Resolves once the execution has ended, however it ended. */
  get ended() { return this.#ended.promise; }

  /** Resolves with PREEMPTED when the host's pending call is answered or dropped by the bridge. */
  get preempted() { return this.#preempted.promise; }

  /** The pending state the host holds, or null. */
  get pending() { return this.#pending; }

  /** Whether a host function call waits for the host (pending) or for output before it (held). */
  get awaitsHost() { return this.state === "held" || this.state === "pending"; }

  /** Milliseconds the execution has run, less the time its host calls took. */
  activeMs(now = performance.now()) {
    const paused = this.#pausedMs + (this.#pausedAt === null ? 0 : now - this.#pausedAt);
    return now - this.#startedAt - paused;
  }

  /** Whether Python is paused in a host call (the watchdog waits for its answer). */
  get paused() { return this.#pausedAt !== null; }

  /** Python called out: the bridge decodes the call, and serves it or hands it on. */
  called() {
    this.#move(["running"], "serving");
    this.#pausedAt = performance.now();
  }

  /**
   * The call is for a host function: hold its pending state until the output posted before
   * the call (up to `outputSeq`) has arrived, so onOutput sees it first (docs/protocol.md).
   * @param {PendingState} state
   * @param {number} outputSeq
   */
  hold(state, outputSeq) {
    this.#move(["serving"], "held");
    this.#held = { state, outputSeq };
  }

  /**
   * Output up to `outputSeq` has arrived: a held call whose output is all in becomes
   * pending, and its state goes to whoever awaits the execution. Otherwise nothing changes.
   * @param {number} outputSeq
   */
  release(outputSeq) {
    if (this.state !== "held" || outputSeq < this.#held.outputSeq) return;
    this.#move(["held"], "pending");
    this.#pending = this.#held.state;
    this.#held = null;
    this.#waiter.resolve(this.#pending);
  }

  /** The host answered the pending call (resume, resumeWithError); returns the next state's promise. */
  answer() {
    this.#move(["pending"], "running");
    this.#resumed();
    return this.#waiter.promise;
  }

  /** The bridge answered a call it serves itself (`$next`, a call naming a stale handle). */
  served() {
    this.#move(["serving"], "running");
    this.#unpause();
  }

  /**
   * interrupt() answers the host's call itself, racing a handler that may still be running:
   * a pending call's handler sees `preempted` settle and follows the execution on instead
   * of answering (its late value is ignored). A held call's state was never delivered, so
   * whoever awaits it gets the next state instead.
   */
  preempt() {
    this.#move(["held", "pending"], "running");
    if (this.#held) {
      this.#held = null;
      this.#unpause();
      return;
    }
    this.#preempted.resolve(PREEMPTED);
    this.#preempted = deferred(); // for the calls after this one
    this.#resumed();
  }

  /**
   * The execution finished: `state` is its complete state.
   * @param {object} state
   */
  complete(state) {
    this.#move(["running"], "ended");
    this.#ended.resolve();
    this.#waiter.resolve(state);
  }

  /**
   * The worker refused or failed the execution (a `failed` message).
   * @param {Error} error
   */
  fail(error) {
    this.#move(["running"], "ended");
    this.#ended.resolve();
    this.#waiter.reject(error);
  }

  /**
   * The worker is gone (crash, terminate, dispose): end in any state, with `error`.
   * @param {Error} error
   */
  shutDown(error) {
    const was = this.state;
    this.#move(["running", "serving", "held", "pending"], "ended");
    if (was === "pending") {
      // Its waiter already delivered the pending state: whoever follows the execution on
      // (runWithHostFunctions, call) needs a state that fails.
      this.#waiter = deferred();
      this.#waiter.promise.catch(() => {}); // nobody may be following it (start/resume)
    }
    this.#pending = null;
    this.#held = null;
    this.#ended.resolve();
    this.#preempted.resolve(PREEMPTED); // a handler still running stops waiting for itself
    this.#waiter.reject(error);
  }

  /** Leave one of `from` for `to`, or throw (nothing changed). */
  #move(from, to) {
    if (!from.includes(this.state)) throw fail("internal", `execution ${this.id}: no way from ${this.state} to ${to}`);
    this.state = to;
  }

  /** A pending call was answered: its next state goes to a fresh waiter. */
  #resumed() {
    this.#pending = null;
    this.#waiter = deferred();
    this.#unpause();
  }

  #unpause() {
    if (this.#pausedAt !== null) this.#pausedMs += performance.now() - this.#pausedAt;
    this.#pausedAt = null;
  }
}
