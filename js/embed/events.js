/** The embed layer's events (docs/embed.md, *Events*): bubbling, their facts in `detail`. */

/**
 * Dispatch `name` on `target` (a block or the document) with `detail`.
 * @param {EventTarget} target
 * @param {string} name
 * @param {object} detail
 */
export function emit(target, name, detail) {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
}
