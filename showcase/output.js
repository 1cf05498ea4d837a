/**
 * The output panel: stdout and stderr as they stream, notes about the run, its value, and
 * errors with Python's traceback, each of whose lines in the script links to the editor.
 */

/**
 * @param {HTMLElement} panel
 * @param {string} scriptName  the file name of the code run, as tracebacks name it
 */
export function createOutput(panel, scriptName) {
  let lastStream = null;

  /** Appends, keeping the panel scrolled to the end unless the reader scrolled up. */
  function append(node) {
    const following = panel.scrollHeight - panel.scrollTop - panel.clientHeight < 24;
    panel.append(node);
    if (following) panel.scrollTop = panel.scrollHeight;
  }

  function block(className, text) {
    const div = document.createElement("div");
    div.className = className;
    if (text !== undefined) div.textContent = text;
    lastStream = null;
    append(div);
    return div;
  }

  return {
    clear() {
      panel.replaceChildren();
      lastStream = null;
    },

    /** A chunk of stdout or stderr: consecutive chunks of one stream share an element. */
    write(stream, text) {
      if (lastStream !== stream || !panel.lastElementChild) {
        block(`stream ${stream}`);
        lastStream = stream;
      }
      panel.lastElementChild.append(text);
      panel.scrollTop = panel.scrollHeight;
    },

    note(text, kind = "info") {
      return block(`note ${kind}`, text);
    },

    /** The run's value, when there is one (a last expression that is not None). */
    value(value) {
      if (value !== null && value !== undefined) block("value", `→ ${pythonish(value)}`);
    },

    /**
     * A Python exception: `{type, message, traceback: [{filename, line, name}], line}`.
     * @param {string} code  the code that ran, for the lines the traceback names
     * @param {(line: number) => void} goToLine  shows that line in the editor
     */
    pythonError(error, code, goToLine) {
      const box = block("error");
      const source = code.split("\n");
      const lines = [line("Traceback (most recent call last):")];
      for (const frame of error.traceback) {
        const where = `File "${frame.filename}", line ${frame.line}, in ${frame.name}`;
        const ours = frame.filename === scriptName;
        lines.push(ours ? frameLink(where, () => goToLine(frame.line)) : line(`  ${where}`));
        const text = ours ? (source[frame.line - 1] ?? "").trim() : "";
        if (text) lines.push(line(`    ${text}`, "code"));
      }
      if (!error.traceback.length) lines.length = 0;
      lines.push(line(error.message ? `${error.type}: ${error.message}` : error.type, "summary"));
      box.append(...lines);
      return box;
    },
  };

}

function frameLink(text, go) {
  const row = line("  ");
  const link = document.createElement("button");
  link.type = "button";
  link.className = "frame-link";
  link.textContent = text;
  link.title = "Show this line in the editor";
  link.addEventListener("click", go);
  row.append(link);
  return row;
}

function line(text, className) {
  const div = document.createElement("div");
  if (className) div.className = className;
  div.textContent = text;
  return div;
}

/** A JavaScript value as Python would show it: the run's value crossed as its JS type. */
function pythonish(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  if (value instanceof Hostcall.Tuple) return `(${value.map(pythonish).join(", ")}${value.length === 1 ? "," : ""})`;
  if (Array.isArray(value)) return `[${value.map(pythonish).join(", ")}]`;
  if (value instanceof Uint8Array) return `b'${Array.from(value, (b) => String.fromCharCode(b)).join("")}'`;
  if (value instanceof Set) return value.size ? `{${[...value].map(pythonish).join(", ")}}` : "set()";
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pythonish(k)}: ${pythonish(v)}`).join(", ")}}`;
  if (value instanceof Date) return `datetime(${JSON.stringify(value.toISOString())})`;
  if (typeof value === "function") return `<function ${value.name}>`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonish(v)}`).join(", ")}}`;
  }
  return String(value);
}
