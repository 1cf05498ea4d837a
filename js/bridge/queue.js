/** Executions waiting for a session's worker: Python callbacks and iterator pulls, and calls behind them. */
import { deferred } from "./deferred.js";

export class ExecutionQueue {
  /** @type {{start: () => Promise<any>, queued: ReturnType<typeof deferred>}[]} */ #waiting = [];

  get length() { return this.#waiting.length; }

  /**
   * Run `start` later (see {@link drain}); resolves or rejects as its promise does.
   * @param {() => Promise<any>} start
   */
  add(start) {
    const queued = deferred();
    this.#waiting.push({ start, queued });
    return queued.promise;
  }

  /**
   * Start the queued executions in order while `idle()` says the worker is free.
   * @param {() => boolean} idle
   */
  drain(idle) {
    while (idle() && this.#waiting.length) {
      const { start, queued } = this.#waiting.shift();
      try {
        start().then(queued.resolve, queued.reject);
      } catch (error) {
        queued.reject(error);
      }
    }
  }

  /**
   * Empty the queue; returns a function that rejects what was in it with its argument.
   * @returns {(error: Error) => void}
   */
  clear() {
    const waiting = this.#waiting;
    this.#waiting = [];
    return (error) => { for (const { queued } of waiting) queued.reject(error); };
  }
}
