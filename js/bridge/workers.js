/**
 * A session's workers: starting one (from the startup snapshot when there is one), the warm
 * spare kept for a restart, the Web Lock that tells when a worker vanished, and the routing
 * of their messages and failures to the session.
 */
import { createChannel } from "../wire/frame.js";
import { MSG } from "../wire/messages.js";
import { scriptURL } from "./script-url.js";
import { startWorker, startupSnapshot, takeSnapshot, workerKey } from "./worker-start.js";

/**
 * A started worker: its shared channel when the transport is atomics, and the READY message
 * of a spare that already loaded (else null: READY comes as a message).
 * @typedef {{worker: Worker, channel: SharedArrayBuffer | null, ready: object | null}} Started
 */

export class Workers {
  /** @type {{worker: Worker, channel: SharedArrayBuffer | null, key: string, ready: object | null} | null} */
  #spare = null; // a loaded worker kept for a restart
  /** @type {{url: string, module: Promise<any>} | null} */ #library = null; // the import of web/host-functions.js
  #newId;
  #onMessage;
  #onCrash;

  /**
   * @param {{newId: () => number, onMessage: (worker: Worker, message: any) => void, onCrash: (worker: Worker, cause: string) => void}} events
   *   `newId` numbers the init messages; messages and failures of every worker but the spare
   *   go to `onMessage` and `onCrash` (which ignore a worker that is no longer theirs).
   */
  constructor({ newId, onMessage, onCrash }) {
    this.#newId = newId;
    this.#onMessage = onMessage;
    this.#onCrash = onCrash;
  }

  /**
   * A worker for a session with `options`: the spare when it was loaded for the same
   * options, else a new one (throws `worker-unavailable` when the page may not start one).
   * @returns {Started}
   */
  take(options) {
    let spare = this.#spare;
    this.#spare = null;
    if (spare && spare.key !== workerKey(options)) {
      spare.worker.terminate(); // loaded for options init() has since changed
      spare = null;
    }
    return spare ?? { ...this.#create(options), ready: null };
  }

  /**
   * With `spare: true`, keep a second worker loaded and idle, so that a session whose
   * worker was terminated or crashed starts again at once instead of loading Pyodide.
   */
  prepareSpare(options) {
    if (!options.spare || this.#spare) return;
    try {
      this.#spare = { ...this.#create(options), key: workerKey(options), ready: null };
    } catch (error) {
      globalThis.reportError(error); // the session runs on without a spare
    }
  }

  dropSpare() {
    this.#spare?.worker.terminate();
    this.#spare = null;
  }

  /** The spare's state for discover(): "ready", "loading", or null (none). */
  get spare() {
    if (!this.#spare) return null;
    return this.#spare.ready ? "ready" : "loading";
  }

  /** The web/host-functions.js module, imported with the first worker (again for another baseURL). */
  get library() { return this.#library?.module ?? null; }

  /** The import failed: the next worker started imports it again. */
  forgetLibrary() {
    this.#library = null;
  }

  /**
   * A worker can vanish without an event (terminate, self.close): it holds the Web Lock
   * `lock` while it lives, so getting the lock means it stopped.
   * @param {Worker} worker
   * @param {string} lock
   */
  watch(worker, lock) {
    globalThis.navigator.locks?.request(lock, () => this.#crashed(worker, "the worker stopped"));
  }

  /** Start a worker loading Pyodide. */
  #create(options) {
    const base = new URL(options.baseURL ?? ".", scriptURL);
    const worker = startWorker(new URL("worker/worker.js", base));
    const channel = options.transport !== "jspi" && globalThis.crossOriginIsolated ? createChannel() : null;
    const indexURL = String(new URL(options.indexURL ?? "pyodide/", base));
    this.#importLibrary(String(new URL("web/host-functions.js", base)));
    worker.onmessage = (event) => this.#route(worker, takeSnapshot(indexURL, event.data));
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crashed(worker, `an uncaught error in the worker: ${event.message || scriptFailed(base)}`);
    };
    worker.onmessageerror = () => this.#crashed(worker, "a message from the worker could not be read");
    const init = {
      type: MSG.INIT,
      id: this.#newId(),
      indexURL,
      channel,
      // Pages not in a secure context have neither randomUUID nor Web Locks (the lock unused).
      lock: `hostcall-worker-${crypto.randomUUID?.() ?? Math.random().toString(36).slice(2)}`,
      allowJs: Boolean(options.allowJs),
      // The package folder sits beside bridge.js, as `hostcall serve` and build-site put it.
      packages: options.packages ?? [],
      packagesURL: String(new URL("packages/", base)),
    };
    const useSnapshot = options.startupSnapshot !== false;
    (useSnapshot ? startupSnapshot(indexURL) : Promise.resolve(null)).then((snapshot) => {
      worker.postMessage({ ...init, snapshot, makeSnapshot: useSnapshot && !snapshot });
    });
    return { worker, channel };
  }

  /** Import web/host-functions.js from `url`, unless it was already (a failure is forgotten by init). */
  #importLibrary(url) {
    if (this.#library?.url === url) return;
    const module = import(url);
    module.catch(() => {}); // init reports a failure once the worker is ready; unread if it crashed first
    this.#library = { url, module };
  }

  #route(worker, message) {
    if (worker !== this.#spare?.worker) return this.#onMessage(worker, message);
    if (message?.type === MSG.PROGRESS) return;
    if (message?.type === MSG.READY && !message.error) this.#spare.ready = message;
    else this.dropSpare(); // a spare that failed is not retried until the next ready
  }

  #crashed(worker, cause) {
    if (worker === this.#spare?.worker) this.dropSpare();
    else this.#onCrash(worker, cause);
  }
}

/** Why a worker script of `base` may have failed to load: a missing file, or missing CORS. */
function scriptFailed(base) {
  if (base.origin === globalThis.location.origin) return "the worker script failed to load";
  return `the worker script failed to load (it is of another origin, ${base.origin}: its server must send `
    + "Access-Control-Allow-Origin, as hostcall serve --cors does; docs/hosting.md)";
}
