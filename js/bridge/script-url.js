/** Where the bridge was loaded from: relative URLs (baseURL, web/remote.js) resolve against it. */

export const scriptURL = /** @type {HTMLScriptElement | null} */ (document.currentScript)?.src ?? location.href;
