/** Where the bridge was loaded from: relative URLs (baseURL, web/remote.js) resolve against it. */

/** bridge.js's script tag (its data- attributes configure the page), null when not by one. */
export const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
export const scriptURL = script?.src ?? location.href;
