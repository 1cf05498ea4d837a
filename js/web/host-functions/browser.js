/** The host functions of browser APIs: files, downloads, time, storage, JSON (docs/host-functions.md). */

import { fileData, flag, jsonData, nonEmptyText, pythonError, seconds, text, textOrNone } from "./checks.js";
import { hostFunction, optional, required } from "./signature.js";

// A download reads its blob URL after the click returns; FileSaver.js waits this long too.
const REVOKE_AFTER_MS = 40_000;

export function browserFunctions({ root }) {
  const accept = optional("accept", textOrNone);
  return {
    upload_file: hostFunction("upload_file", [accept], async (types) => {
      const file = await chooseFile("upload_file", root, types);
      return file.text();
    }),

    pick_file: hostFunction("pick_file", [accept, optional("binary", flag, false)], async (types, binary) => {
      const file = await chooseFile("pick_file", root, types);
      const content = binary ? { bytes: new Uint8Array(await file.arrayBuffer()) } : { text: await file.text() };
      return { name: file.name, type: file.type, size: file.size, ...content };
    }),

    download: hostFunction("download", [
      required("name", nonEmptyText), required("data", fileData), optional("mime", text, "application/octet-stream"),
    ], (name, data, mime) => {
      const url = URL.createObjectURL(new Blob([data], { type: mime }));
      const link = root.ownerDocument.createElement("a");
      Object.assign(link, { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
    }),

    now: hostFunction("now", [], () => new Date().toISOString()),

    sleep: hostFunction("sleep", [required("seconds", seconds)], (delay) => new Promise((resolve) => {
      setTimeout(resolve, delay * 1000);
    })),

    log: (...args) => {
      console.log(...args);
    },

    storage_get: hostFunction("storage_get", [required("key", text)], (key) => localStorage.getItem(key)),

    storage_set: hostFunction("storage_set", [required("key", text), required("value", textOrNone)], (key, value) => {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    }),

    json_dumps: hostFunction("json_dumps", [required("value", jsonData)], (value) => JSON.stringify(value)),
  };
}

/**
 * Let the person choose one file. A browser opens its file chooser only soon after a user
 * gesture; without one, a "Choose a file…" button inside `root` waits for the person.
 */
async function chooseFile(fn, root, accept) {
  const input = root.ownerDocument.createElement("input");
  input.type = "file";
  if (accept !== null) input.accept = accept;
  let request = /** @type {HTMLElement | null} */ (null);
  try {
    return await new Promise((resolve, reject) => {
      const cancel = () => reject(pythonError("UserCancelledError", `${fn}: the file choice was cancelled`));
      // A chooser closed without a file fires "cancel" in browsers, "change" with no file in others.
      input.addEventListener("change", () => (input.files.length ? resolve(input.files[0]) : cancel()));
      input.addEventListener("cancel", cancel);
      if (navigator.userActivation?.isActive) openChooser(input);
      else request = fileRequest(root, input, cancel);
    });
  } finally {
    request?.remove();
  }
}

function openChooser(input) {
  if (typeof input.showPicker === "function") input.showPicker();
  else input.click();
}

/** The buttons that stand in for the missing gesture: pressing one is a gesture. */
function fileRequest(root, input, cancel) {
  const document = root.ownerDocument;
  const box = document.createElement("div");
  box.className = "hostcall-file-request";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "The program asks for a file");
  const button = (label, action) => {
    const made = document.createElement("button");
    made.type = "button";
    made.textContent = label;
    made.addEventListener("click", action);
    return made;
  };
  box.append(button("Choose a file…", () => openChooser(input)), button("Cancel", cancel));
  root.append(box);
  return box;
}
