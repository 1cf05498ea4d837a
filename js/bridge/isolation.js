/**
 * The page's isolation tier, for discover() (docs/hosting.md): "headers" when the host sent
 * COOP/COEP or Document-Isolation-Policy, "service-worker" when hostcall-sw.js added them,
 * "none" otherwise, with the reason. Also the tier "service-worker" itself: registering
 * hostcall-sw.js (asked for by `data-service-worker` on bridge.js's script tag or by init's
 * `serviceWorker`) and reloading the page under it, at most once per tab.
 */
import { errorText } from "./describe.js";
import { fail } from "./errors.js";
import { isURL } from "./init-options.js";
import { bridgeScript as script, scriptURL } from "./script-url.js";

/** sessionStorage key: this tab was reloaded for the service worker (never twice: no loops). */
const RELOADED = "hostcall-service-worker-reloaded";
/** hostcall-sw.js beside bridge.js (computed when asked: tests/js loads bridge.js with no URL global). */
const defaultURL = () => new URL("hostcall-sw.js", scriptURL).href;

/** @type {{url: string, done: boolean, why: string | null} | null} the one attempt a page makes */
let attempt = null;
/** @type {Promise<void> | null} */
let registering = null;

/**
 * Register the service worker at `url` (`true`: hostcall-sw.js beside bridge.js; a relative
 * URL resolves against bridge.js's), unless the page already asked for one: a page has one.
 * @param {true | string | URL} url
 */
export function requestServiceWorker(url) {
  if (attempt) return;
  const href = url === true ? defaultURL() : new URL(url, scriptURL).href;
  attempt = { url: href, done: false, why: "it is still being registered" };
  const current = attempt;
  // Always settles: init() waits for it.
  registering = isolate(href).catch((error) => `it failed (${errorText(error)})`).then((why) => {
    current.why = why;
    current.done = true;
  });
}

/**
 * `data-service-worker` on bridge.js's script tag asks for the service worker: empty for
 * hostcall-sw.js beside bridge.js, else its URL. A value that is no URL is reported (nobody
 * awaits the script tag) and asks for nothing.
 */
export function requestFromScriptTag() {
  const value = script?.dataset.serviceWorker;
  if (value === undefined) return;
  if (value === "" || isURL(value)) return requestServiceWorker(value || true);
  globalThis.reportError(fail("invalid-argument", `bridge.js: data-service-worker must be empty or a URL, not ${JSON.stringify(value)}`));
}

/** The registration under way, for init() to wait for (it may reload the page), or null. */
export function pendingServiceWorker() {
  return attempt && !attempt.done ? registering : null;
}

/**
 * The tier this page got and, unless "headers", what `discover().reason` adds: why it is not
 * isolated (the missing headers, the service worker's refusal), or who isolated it.
 * @returns {{tier: "headers" | "service-worker" | "none", why: string | null}}
 */
export function isolation() {
  const url = attempt?.url ?? defaultURL();
  if (globalThis.crossOriginIsolated) {
    return navigator.serviceWorker?.controller?.scriptURL === url
      ? { tier: "service-worker", why: `the service worker ${url} added the isolation headers` }
      : { tier: "headers", why: null };
  }
  const headers = "the page was served without Cross-Origin-Opener-Policy: same-origin and "
    + "Cross-Origin-Embedder-Policy: require-corp (or Document-Isolation-Policy: isolate-and-require-corp)";
  if (!attempt) return { tier: "none", why: `${headers}, and no service worker was asked for (data-service-worker)` };
  return { tier: "none", why: `${headers}, and the service worker ${url} did not isolate it: ${attempt.why}` };
}

/**
 * Bring the page under the service worker at `url`, reloading it once; resolves with why the
 * page stays as it is, or null when it is already isolated.
 * @param {string} url
 * @returns {Promise<string | null>}
 */
async function isolate(url) {
  if (globalThis.crossOriginIsolated) return forgetReload();
  const obstacle = obstacleTo(url);
  if (obstacle) return obstacle;
  if (navigator.serviceWorker.controller?.scriptURL === url) return "the browser ignored the headers it added";
  if (reloadedBefore()) return "the page was reloaded once for it and is still not controlled by it (a hard reload bypasses service workers); it is not reloaded again in this tab";
  let registration;
  try {
    registration = await navigator.serviceWorker.register(url);
  } catch (error) {
    return `its registration was refused (${errorText(error)})`;
  }
  if (!(await activated(registration))) return "it failed to install";
  sessionStorage.setItem(RELOADED, "1");
  location.reload();
  return "the page is being reloaded under it";
}

/** What keeps the service worker at `url` from controlling this page, or null. */
function obstacleTo(url) {
  if (window !== window.top) return "the page is in a frame, which a service worker cannot isolate (isolate the top page, and allow the frame cross-origin-isolated)";
  if (!window.isSecureContext) return "the page is not a secure context (https, or http://localhost): it has no service workers";
  if (!navigator.serviceWorker) return "this browser offers no service workers here (a private window may disable them)";
  const scope = new URL(".", url);
  if (scope.origin !== location.origin) return `it must be of the page's origin ${location.origin}: host bridge.js and hostcall-sw.js with the page`;
  if (!location.href.startsWith(scope.href)) return `the page lies outside its scope ${scope.href}: host hostcall-sw.js in the page's directory or above`;
  try {
    sessionStorage.getItem(RELOADED);
  } catch {
    return "sessionStorage is unavailable, and without it a reload could not be kept from looping";
  }
  return null;
}

function reloadedBefore() {
  return sessionStorage.getItem(RELOADED) !== null;
}

/** Isolated: a later loss of isolation in this tab may reload once again. */
function forgetReload() {
  try {
    sessionStorage.removeItem(RELOADED);
  } catch {
    // no sessionStorage: nothing was kept
  }
  return null;
}

/**
 * Resolves with true once `registration`'s newest worker is active (it claims the page at
 * once), with false when it failed to install.
 * @param {ServiceWorkerRegistration} registration
 * @returns {Promise<boolean>}
 */
function activated(registration) {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  return new Promise((resolve) => {
    const check = () => {
      if (worker?.state === "activated") resolve(true);
      else if (!worker || worker.state === "redundant") resolve(false);
    };
    worker?.addEventListener("statechange", check);
    check();
  });
}
