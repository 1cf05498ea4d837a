/**
 * Finding Python blocks: `<script type="text/python">` elements, in document order, and those
 * added to the page later (docs/embed.md, *Blocks*).
 */

/** The script types that are Python blocks (compared without case or surrounding spaces). */
export const PYTHON_TYPES = ["text/python", "text/x-python", "application/python", "python", "py"];

/**
 * A script type that reads as meant for Python but is none of ours (`text/pyhton`, PyScript's
 * `mpy` and `py-editor`): shown as an error beside the block rather than ignored in silence.
 * Anything else (`module`, `text/plain`, JSON, templates) is not ours and left alone.
 */
const LOOKS_PYTHON = /py/i;

/**
 * What a script element is to the embed layer.
 * @param {Element} element
 * @returns {"python" | "misnamed" | null}
 */
export function blockKind(element) {
  if (!(element instanceof HTMLScriptElement)) return null;
  const type = (element.getAttribute("type") ?? "").trim().toLowerCase();
  if (PYTHON_TYPES.includes(type)) return "python";
  return LOOKS_PYTHON.test(type) ? "misnamed" : null;
}

/**
 * Every block under `root` (the document by default), in document order.
 * @param {ParentNode} [root]
 */
export function blocksIn(root = document) {
  return [...root.querySelectorAll("script[type]")].filter((element) => blockKind(element) !== null);
}

/**
 * Call `found(block)` for every block added to the page from now on, in document order
 * within one batch of changes. Returns a function that stops watching.
 * @param {(block: HTMLScriptElement) => void} found
 */
export function watchBlocks(found) {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const added = blockKind(node) !== null ? [node] : blocksIn(node);
        for (const block of added) found(/** @type {HTMLScriptElement} */ (block));
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  return () => observer.disconnect();
}
