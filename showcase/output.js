/**
 * The output panel: stdout and stderr as they stream, notes about the run, its value, and
 * errors with Python's traceback, each of whose lines in the script links to the editor.
 */

/**
 * @param {HTMLElement} panel
 * @param {{scriptName: string, lineText: (line: number) => string, goToLine: (line: number) => void}} source
 */
export function createOutput(panel, source) {
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

    /** A Python exception: `{type, message, traceback: [{filename, line, name}], line}`. */
    pythonError(error) {
      const box = block("error");
      const lines = [line("Traceback (most recent call last):")];
      for (const frame of error.traceback) {
        const where = `File "${frame.filename}", line ${frame.line}, in ${frame.name}`;
        lines.push(frame.filename === source.scriptName ? frameLink(where, frame.line) : line(`  ${where}`));
        const code = frame.filename === source.scriptName ? source.lineText(frame.line).trim() : "";
        if (code) lines.push(line(`    ${code}`, "code"));
      }
      if (!error.traceback.length) lines.length = 0;
      lines.push(line(error.message ? `${error.type}: ${error.message}` : error.type, "summary"));
      box.append(...lines);
      return box;
    },
  };

  function frameLink(text, lineNumber) {
    const row = line("  ");
    const link = document.createElement("button");
    link.type = "button";
    link.className = "frame-link";
    link.textContent = text;
    link.title = `Go to line ${lineNumber} in the editor`;
    link.addEventListener("click", () => source.goToLine(lineNumber));
    row.append(link);
    return row;
  }
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
