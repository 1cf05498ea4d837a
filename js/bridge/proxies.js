/**
 * The page's handles on Python callables and generators (docs/protocol.md, "Python objects
 * on the page"): a proxy per value that crossed, and the worker told, in one batch per
 * turn, which of them the page's garbage collector dropped.
 */
import { MSG } from "../wire/messages.js";
import { TAG } from "../wire/values.js";
import { fail } from "./errors.js";
import { PythonIterator } from "./python-iterator.js";

export class PythonProxies {
  #current;
  #invoke;
  /** @type {number[]} */ #forgotten = []; // ids of collected proxies, not yet reported to the worker
  #registry = new FinalizationRegistry(({ worker, id }) => this.#forget(worker, id));

  /**
   * @param {() => Worker | null} current the session's worker now: a proxy of another one is stale
   * @param {(name: string, target: {kind: string, ref: number}, args: unknown[]) => Promise<any>} invoke
   *   runs the Python object `ref` (`kind`: "callable", "next", "close") as an execution
   */
  constructor(current, invoke) {
    this.#current = current;
    this.#invoke = invoke;
  }

  /**
   * The proxy for a tagged `callable` or `generator` value of the worker now current.
   * @param {{[TAG]: string, id: number, name?: string}} wire
   */
  make({ [TAG]: tag, id, name }) {
    const worker = this.#current();
    const invoke = (kind, args) => {
      if (worker !== this.#current()) {
        return Promise.reject(fail("stale-handle", `this Python ${tag} belonged to a worker that has stopped`));
      }
      return this.#invoke(name ?? "next", { kind, ref: id }, args);
    };
    const proxy = tag === "callable"
      ? { [name]: (...args) => invoke("callable", args) }[name]
      : new PythonIterator((step) => invoke(step, []));
    this.#registry.register(proxy, { worker, id });
    return proxy;
  }

  /** A proxy was garbage-collected: let its worker, if still current, drop the object. */
  #forget(worker, id) {
    if (worker !== this.#current()) return;
    if (!this.#forgotten.length) {
      queueMicrotask(() => {
        if (worker === this.#current()) worker.postMessage({ type: MSG.FORGET, ids: this.#forgotten });
        this.#forgotten = [];
      });
    }
    this.#forgotten.push(id);
  }
}
