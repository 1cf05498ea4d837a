/**
 * hostcall's service worker, the isolation tier "service-worker" (docs/hosting.md): on a host
 * that cannot send the cross-origin isolation headers, it adds them to every same-origin
 * response of the pages it controls, so that after one reload they are cross-origin isolated
 * and host calls use atomics. The bridge registers it (`data-service-worker`, or
 * `init({serviceWorker})`) and reloads the page at most once (js/bridge/isolation.js).
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/**
 * Chromium 137+ isolates one document with Document-Isolation-Policy, leaving its popups and
 * openers alone; elsewhere COOP/COEP isolate it (a popup it opens loses its opener).
 */
const brands = /** @type {any} */ (navigator).userAgentData?.brands ?? [];
const DOCUMENT_ISOLATION = brands.some((/** @type {{brand: string, version: string}} */ b) => b.brand === "Chromium" && Number(b.version) >= 137);
const HEADERS = DOCUMENT_ISOLATION
  ? { "Document-Isolation-Policy": "isolate-and-require-corp" }
  : { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-origin" };

// Control the page that registered it at once; the bridge then reloads it once.
sw.addEventListener("install", () => { sw.skipWaiting(); });
sw.addEventListener("activate", (event) => event.waitUntil(sw.clients.claim()));

sw.addEventListener("fetch", (event) => {
  // Only the origin's own responses: what another origin serves needs its own CORP or CORS
  // (hostcall serve --cors), as it would with the headers sent by the host.
  if (new URL(event.request.url).origin !== sw.location.origin) return;
  event.respondWith(fetch(event.request).then(withIsolation));
});

/** `response` with the isolation headers added (an opaque redirect passes as it is). */
function withIsolation(/** @type {Response} */ response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
