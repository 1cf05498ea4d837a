// Generated from js/sw/hostcall-sw.js by scripts/build; do not edit.
"use strict";
(() => {
  // js/sw/hostcall-sw.js
  var sw = (
    /** @type {ServiceWorkerGlobalScope} */
    /** @type {unknown} */
    self
  );
  var brands = (
    /** @type {any} */
    navigator.userAgentData?.brands ?? []
  );
  var DOCUMENT_ISOLATION = brands.some((b) => b.brand === "Chromium" && Number(b.version) >= 137);
  var HEADERS = DOCUMENT_ISOLATION ? { "Document-Isolation-Policy": "isolate-and-require-corp" } : { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-origin" };
  sw.addEventListener("install", () => {
    sw.skipWaiting();
  });
  sw.addEventListener("activate", (event) => event.waitUntil(sw.clients.claim()));
  sw.addEventListener("fetch", (event) => {
    if (new URL(event.request.url).origin !== sw.location.origin) return;
    event.respondWith(fetch(event.request).then(withIsolation));
  });
  function withIsolation(response) {
    if (response.status === 0) return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
})();
