/**
 * Where a block's output and errors appear (docs/embed.md, *Output*, *Errors*): an output
 * element right after the block or inside its `target=`, stderr marked, `display()`'s HTML
 * or text, and errors as a `.hostcall-error` element beside the block and in the console.
 */

import { pythonError } from "../bridge/errors.js";

// Zero specificity (:where), so any rule of the page's own wins.
const STYLE = ":where(.hostcall-output){white-space:pre-wrap;display:block}"
  + ":where(.hostcall-stderr){color:#b00020}"
  + ":where(.hostcall-error){white-space:pre-wrap;font-family:monospace;color:#b00020;"
  + "border-left:3px solid #b00020;padding:.25em .5em;margin:.25em 0}";

let styled = false;

/** Add the default look once, when the page has a Python block (a page with none is untouched). */
export function addStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.dataset.hostcall = "";
  style.textContent = STYLE;
  document.head.prepend(style);
}

/** The element a CSS selector names, or a ValueError-named Error that says it names none. */
export function elementFor(selector, what) {
  let element = null;
  try {
    element = document.querySelector(selector);
  } catch {
    throw pythonError("ValueError", `${what} ${JSON.stringify(selector)} is not a valid CSS selector`);
  }
  if (!element) throw pythonError("ValueError", `${what} ${JSON.stringify(selector)} matches no element of the page`);
  return element;
}

/**
 * What one block shows: its output element (made on first use, after the block or in its
 * target) and its errors, which always go right after the block and its output.
 */
export class BlockView {
  #block;
  #target; // the block's target= element, or null
  /** @type {HTMLElement | null} */ #output = null;

  /**
   * @param {HTMLScriptElement} block
   * @param {Element | null} target
   */
  constructor(block, target) {
    this.#block = block;
    this.#target = target;
  }

  /** Append a chunk of stdout or stderr (marked `.hostcall-stderr`). */
  write(stream, text) {
    const output = this.#outputElement();
    if (stream !== "stderr") return output.append(text);
    const last = output.lastChild;
    if (last instanceof HTMLElement && last.classList.contains("hostcall-stderr")) return last.append(text);
    const span = document.createElement("span");
    span.className = "hostcall-stderr";
    span.textContent = text;
    output.append(span);
  }

  /**
   * `display()`: `content` as HTML or text in `where` (an element; null: the block's output),
   * after what is there or (`append` false) instead of it.
   */
  display(kind, content, where, append) {
    const into = where ?? this.#outputElement();
    const item = document.createElement("div");
    item.className = "hostcall-display";
    if (kind === "html") item.innerHTML = content;
    else item.textContent = content;
    if (append) into.append(item);
    else into.replaceChildren(item);
  }

  /** Show `error` (`{type, message, traceback}`) right after the block and its output. */
  showError({ type, message, traceback = [] }) {
    const element = document.createElement("div");
    element.className = "hostcall-error";
    element.setAttribute("role", "alert");
    element.textContent = formatError({ type, message, traceback });
    const output = this.#output?.parentElement === this.#block.parentElement ? this.#output : null;
    (lastErrorAfter(output ?? this.#block)).after(element);
  }

  #outputElement() {
    if (this.#output?.isConnected) return this.#output;
    this.#output = document.createElement("div");
    this.#output.className = "hostcall-output";
    if (this.#target) this.#target.append(this.#output);
    else this.#block.after(this.#output);
    return this.#output;
  }
}

/** Errors stack up in order: after any already shown right after `element`. */
function lastErrorAfter(element) {
  let last = element;
  while (last.nextElementSibling?.classList.contains("hostcall-error")) last = last.nextElementSibling;
  return last;
}

/** An error as Python prints it: the traceback's frames, then `Type: message`. */
export function formatError({ type, message, traceback = [] }) {
  const frames = traceback.map(({ filename, line, name }) => `  File "${filename}", line ${line}, in ${name}\n`);
  const head = frames.length ? `Traceback (most recent call last):\n${frames.join("")}` : "";
  return `${head}${type}: ${message}`;
}
