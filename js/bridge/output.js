/** What an execution keeps of its output for its `stdout`/`stderr` (docs/api.md, init's keptOutputChars). */

/**
 * One execution's kept output: the start of both streams together, up to `ceiling` UTF-16
 * code units; past it only counted, per stream, as not kept (onOutput still sees it all).
 */
export class KeptOutput {
  #ceiling;
  #kept = 0; // code units kept, both streams together
  /** @type {{stdout: string[], stderr: string[]}} */ #parts = { stdout: [], stderr: [] };
  #dropped = { stdout: 0, stderr: 0 };

  /** @param {number} ceiling the most code units kept (init's keptOutputChars) */
  constructor(ceiling) {
    this.#ceiling = ceiling;
  }

  /**
   * Keep `text` of `stream` while the kept output is under the ceiling. The kept copy is the
   * start of the output: once a chunk does not fit whole, nothing later is kept.
   * @param {"stdout" | "stderr"} stream
   * @param {string} text
   */
  keep(stream, text) {
    let part = text;
    if (this.#kept + text.length > this.#ceiling) {
      part = text.slice(0, this.#ceiling - this.#kept);
      if (/[\ud800-\udbff]$/.test(part)) part = part.slice(0, -1); // not half a character
      this.#kept = this.#ceiling;
    } else {
      this.#kept += text.length;
    }
    if (part) this.#parts[stream].push(part);
    this.#dropped[stream] += text.length - part.length;
  }

  /**
   * The kept `stream`, and a line saying how much was not kept, if any was.
   * @param {"stdout" | "stderr"} stream
   */
  collected(stream) {
    const text = this.#parts[stream].join("");
    const dropped = this.#dropped[stream];
    if (!dropped) return text;
    return `${text}\n[hostcall: ${dropped} more characters of ${stream} not kept (keptOutputChars=${this.#ceiling}); onOutput received them all]\n`;
  }
}
