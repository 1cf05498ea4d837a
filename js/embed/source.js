/** A block's code and the file name its tracebacks show (docs/embed.md, *Errors*). */
import { blockError } from "./block-error.js";

/**
 * The name of `block` in tracebacks: its `src` as a full URL, or the page's URL with
 * `#block-N`, N counting the page's Python blocks from 1 in the order they were found.
 * @param {HTMLScriptElement} block
 * @param {number} number
 */
export function fileNameOf(block, number) {
  if (block.hasAttribute("src")) return block.src;
  const page = new URL(location.href);
  page.hash = `block-${number}`;
  return page.href;
}

/**
 * The block's code: fetched from `src`, or its text. Inline code loses the line break right
 * after `<script>` (so line 1 is the first line of code) and the indentation its lines
 * share (the page's, not Python's). Rejects with an Error saying why when `src` fails.
 * @param {HTMLScriptElement} block
 * @returns {Promise<string>}
 */
export async function codeOf(block) {
  if (!block.hasAttribute("src")) return dedent(block.text.replace(/^\r?\n/, ""));
  return fetchText(block.src, "src");
}

/**
 * The text at `url`, which the page names as its `what` (`src`, `config`); rejects with a
 * BlockError saying why when it cannot be fetched or the server answers an error.
 * @param {string} url
 * @param {string} what
 */
export async function fetchText(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw blockError(`${what} ${url} could not be fetched (${error.message})`);
  }
  if (!response.ok) throw blockError(`${what} ${url} could not be loaded: ${response.status} ${response.statusText}`.trim());
  return response.text();
}

/** `text` without the leading whitespace all its non-blank lines share (textwrap.dedent). */
function dedent(text) {
  const lines = text.split("\n");
  const indents = lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)[0]);
  if (!indents.length) return text;
  let common = indents[0];
  for (const indent of indents) {
    while (!indent.startsWith(common)) common = common.slice(0, -1);
  }
  return common ? lines.map((line) => line.startsWith(common) ? line.slice(common.length) : line.trimStart()).join("\n") : text;
}
