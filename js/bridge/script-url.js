/** The bridge's own script tag (null when loaded otherwise): its data-boot and config attributes configure the embed layer. */
export const bridgeScript = /** @type {HTMLScriptElement | null} */ (document.currentScript);

/** Where the bridge was loaded from: relative URLs (baseURL, web/remote.js) resolve against it. */
export const scriptURL = bridgeScript?.src || location.href;
