/** Starting a worker, and the startup snapshots that make it load fast. */
import { MSG } from "../wire/messages.js";
import { errorText } from "./describe.js";
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
 * `new Worker(url)`, which throws at once when the page may not start module workers: a
 * `worker-unavailable` error saying what to check.
 * A worker script must be of the page's origin, so one of another origin (bridge.js from a
 * CDN-style host) starts through a same-origin Blob that imports it (docs/hosting.md).
 * @param {URL} url
 */
export function startWorker(url) {
  const trampoline = url.origin === globalThis.location.origin ? null : importerOf(url);
  try {
    const worker = new Worker(trampoline ?? url, { type: "module", name: "hostcall" });
    if (trampoline) worker.addEventListener("message", () => URL.revokeObjectURL(trampoline), { once: true });
    return worker;
  } catch (error) {
    if (trampoline) URL.revokeObjectURL(trampoline);
    const cause = errorText(error);
    const fix = "check that the page may start module workers (its Content-Security-Policy: worker-src, "
      + "blob: for a worker of another origin; a sandboxed iframe) and that baseURL is right";
    throw fail("worker-unavailable", `init: the worker ${url} could not be started (${cause}); ${fix}`, { cause: error });
  }
}

/** A same-origin blob: URL of a module that imports the worker script at `url`. */
function importerOf(url) {
  const source = `import ${JSON.stringify(url.href)};\n`;
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}

/** What a worker was loaded with: a spare serves only a session whose key is the same. */
export function workerKey({ baseURL, indexURL, transport, allowJs, packages }) {
  return JSON.stringify([baseURL, indexURL, transport ?? "auto", Boolean(allowJs), packages ?? []]);
}
