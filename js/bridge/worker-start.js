/** Starting a worker, and the startup snapshots that make it load fast. */
import { MSG } from "../wire/messages.js";
import { fail } from "./errors.js";

/**
 * Memory snapshots of freshly loaded Pyodide, by indexURL: a worker started from one is
 * ready in about a tenth of the time of a load. Kept for the page's lifetime, and in Cache
 * Storage for the next visit. Pyodide refuses a snapshot of another build; the worker then
 * loads afresh and makes a new one, which replaces it.
 */
const SNAPSHOT_CACHE = "hostcall-startup";
const snapshots = new Map(); // indexURL -> Promise<Uint8Array | null>
const snapshotKey = (indexURL) => new URL("hostcall-startup-snapshot", indexURL).href;

/** The startup snapshot kept for `indexURL`, or null: from memory, else from Cache Storage. */
export function startupSnapshot(indexURL) {
  if (!snapshots.has(indexURL)) snapshots.set(indexURL, readSnapshot(indexURL));
  return snapshots.get(indexURL);
}

async function readSnapshot(indexURL) {
  try {
    const cache = await globalThis.caches.open(SNAPSHOT_CACHE);
    const response = await cache.match(snapshotKey(indexURL));
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null; // no Cache Storage here (an insecure origin, storage denied): load afresh
  }
}

/** Keep the snapshot a READY message brings; return the message without it. */
export function takeSnapshot(indexURL, message) {
  if (message?.type !== MSG.READY || !(message.snapshot instanceof Uint8Array)) return message;
  const { snapshot, ...rest } = message;
  snapshots.set(indexURL, Promise.resolve(snapshot));
  globalThis.caches?.open(SNAPSHOT_CACHE)
    .then((cache) => cache.put(snapshotKey(indexURL), new Response(snapshot)))
    .catch(() => {}); // not kept for the next visit: it will load afresh once
  return rest;
}

/**
 * `new Worker(url)`, which throws at once when the page may not start it (a SecurityError
 * for a script of another origin, or from a page of an opaque origin): a `worker-unavailable`
 * error saying what to do instead.
 */
export function startWorker(url) {
  try {
    return new Worker(url, { type: "module", name: "hostcall" });
  } catch (error) {
    const cause = `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
    const origin = globalThis.location.origin;
    const fix = error?.name === "SecurityError"
      ? `a page can only start a worker from its own origin (${origin === "null" ? "this page's origin is opaque, e.g. a sandboxed iframe" : origin}): `
        + "serve bridge.js with its worker/, web/ and pyodide/ directories from the page's origin, or point baseURL at such a copy"
      : "check that the page may start module workers (its Content-Security-Policy, a sandboxed iframe) and that baseURL is right";
    throw fail("worker-unavailable", `init: the worker ${url} could not be started (${cause}); ${fix}`, { cause: error });
  }
}

/** What a worker was loaded with: a spare serves only a session whose key is the same. */
export function workerKey({ baseURL, indexURL, transport, allowJs, packages }) {
  return JSON.stringify([baseURL, indexURL, transport ?? "auto", Boolean(allowJs), packages ?? []]);
}
