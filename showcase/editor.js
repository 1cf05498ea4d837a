/**
 * The code editor: CodeMirror 6 loaded from /vendor/ through the page's import map, or a
 * plain text area (with a visible notice) when it cannot load, so the page always works.
 *
 * @typedef {object} Editor
 * @property {"codemirror" | "textarea"} kind
 * @property {(key: string, code: string) => void} show  shows document `key`, created with
 *   `code` the first time; each keeps its own edits (and undo history) when another is shown
 * @property {() => string} code                      the text shown
 * @property {(line: number) => void} goToLine        selects the line, scrolls to it, focuses
 */

/**
 * @param {HTMLElement} parent
 * @param {{onRun: () => void, onFallback: (error: Error) => void}} callbacks
 * @returns {Promise<Editor>}
 */
export async function createEditor(parent, { onRun, onFallback }) {
  try {
    return await codeMirror(parent, onRun);
  } catch (error) {
    onFallback(error);
    return textArea(parent);
  }
}

async function codeMirror(parent, onRun) {
  const [view, state, commands, language, autocomplete, { python }] = await Promise.all([
    import("@codemirror/view"),
    import("@codemirror/state"),
    import("@codemirror/commands"),
    import("@codemirror/language"),
    import("@codemirror/autocomplete"),
    import("@codemirror/lang-python"),
  ]);
  const { EditorView, keymap } = view;
  const extensions = [
    view.lineNumbers(),
    view.highlightActiveLineGutter(),
    view.highlightSpecialChars(),
    view.drawSelection(),
    view.highlightActiveLine(),
    EditorView.lineWrapping,  // a phone is narrower than most lines
    commands.history(),
    language.indentOnInput(),
    language.bracketMatching(),
    language.syntaxHighlighting(language.defaultHighlightStyle, { fallback: true }),
    autocomplete.closeBrackets(),
    python(),
    // Highest precedence: the default keymap binds Mod-Enter to "insert a blank line".
    state.Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (onRun(), true) }])),
    // Tab indents, as a Python programmer expects; Esc then Tab still leaves the editor.
    keymap.of([...autocomplete.closeBracketsKeymap, ...commands.defaultKeymap,
      ...commands.historyKeymap, commands.indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": "Python code" }),
  ];
  const editor = new EditorView({ parent });
  const documents = new Map();
  let shownKey = null;
  const doc = () => editor.state.doc;
  return {
    kind: "codemirror",
    show(key, code) {
      if (shownKey !== null) documents.set(shownKey, editor.state);
      editor.setState(documents.get(key) ?? state.EditorState.create({ doc: code, extensions }));
      shownKey = key;
    },
    code: () => doc().toString(),
    goToLine(n) {
      const line = doc().line(Math.min(Math.max(n, 1), doc().lines));
      const indent = line.text.length - line.text.trimStart().length;
      editor.dispatch({ selection: { anchor: line.from + indent, head: line.to }, scrollIntoView: true });
      editor.focus();
    },
  };
}

function textArea(parent) {
  const area = document.createElement("textarea");
  area.className = "plain-editor";
  area.spellcheck = false;
  area.setAttribute("aria-label", "Python code");
  parent.append(area);
  const documents = new Map();
  let shownKey = null;
  const lines = () => area.value.split("\n");
  return {
    kind: "textarea",
    show(key, code) {
      if (shownKey !== null) documents.set(shownKey, area.value);
      area.value = documents.get(key) ?? code;
      shownKey = key;
    },
    code: () => area.value,
    goToLine(n) {
      const all = lines();
      const index = Math.min(Math.max(n, 1), all.length) - 1;
      const start = all.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
      area.focus();
      area.setSelectionRange(start, start + all[index].length);
    },
  };
}
