// Generated from js/web/host-functions/index.js by scripts/build; do not edit.

// js/bridge/describe.js
function describeObject(object, kind) {
  if (kind !== "element") return typeName(object);
  const id = object.id ? `#${object.id}` : "";
  const classes = [...object.classList].map((name) => `.${name}`).join("");
  return `<${object.localName}${id}${classes}>`;
}
function typeName(value) {
  try {
    return value?.constructor?.name || Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    return typeof value;
  }
}

// js/bridge/errors.js
function pythonError(type, message) {
  return Object.assign(new Error(message), { name: type });
}

// js/web/host-functions/checks.js
var MAX_SECONDS = 2147483;
function accepting(expected, test) {
  return (value, where) => {
    if (!test(value)) throw new TypeError(`${where} must be ${expected}, not ${pyType(value)}`);
    return value;
  };
}
var text = accepting("str", (value) => typeof value === "string");
var textOrNone = accepting("str or None", (value) => value === null || typeof value === "string");
var flag = accepting("bool", (value) => typeof value === "boolean");
var pythonFunction = accepting("function", (value) => typeof value === "function");
var fileData = accepting("str or bytes", (value) => typeof value === "string" || value instanceof Uint8Array);
var attributeValue = accepting(
  "str, int, float, bool or None",
  (value) => value === null || ["string", "number", "boolean"].includes(typeof value)
);
function nonEmptyText(value, where) {
  text(value, where);
  if (!value) throw pythonError("ValueError", `${where} must not be empty`);
  return value;
}
function word(what) {
  return (value, where) => {
    nonEmptyText(value, where);
    if (/\s/.test(value)) throw pythonError("ValueError", `${where} must be one ${what}, without spaces, not ${JSON.stringify(value)}`);
    return value;
  };
}
var className = word("class name");
var eventType = word("event type");
function seconds(value, where) {
  if (typeof value !== "number") throw new TypeError(`${where} must be int or float (seconds), not ${pyType(value)}`);
  if (!(value >= 0 && value <= MAX_SECONDS)) {
    throw pythonError("ValueError", `${where} must be from 0 to ${MAX_SECONDS} seconds, not ${value}`);
  }
  return value;
}
function secondsOrNone(value, where) {
  return value === null ? null : seconds(value, where);
}
function plainData(value, where) {
  return data(value, where, false);
}
function jsonData(value, where) {
  return data(value, where, true);
}
function data(value, where, json) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (json && !Number.isFinite(value)) throw pythonError("ValueError", `${where} is ${value}, which JSON cannot hold`);
      return value;
    case "bigint":
      if (json) throw pythonError("ValueError", `${where} is an int beyond 2**53, which JSON here cannot hold`);
      return value;
  }
  if (value === null || !json && value instanceof Date) return value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => data(item, `${where}[${i}]`, json));
    return value;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) data(item, `${where}[${JSON.stringify(key)}]`, json);
    return value;
  }
  const kind = json ? "JSON data" : "plain data";
  throw new TypeError(`${where} must be ${kind} (None, bool, int, float, str, list or dict), not ${pyType(value)}`);
}
function elementIn(handles) {
  return (value, where) => {
    const object = isId(value) ? objectOf(handles, value, where) : value;
    if (object instanceof Element) return object;
    throw new TypeError(`${where} must be an element handle, not ${pyType(object)}`);
  };
}
function handleIn(handles) {
  return (value, where) => {
    if (isId(value)) {
      objectOf(handles, value, where);
      return value;
    }
    const id = value !== null && typeof value === "object" ? handles.idOf(value) : void 0;
    if (id === void 0) throw new TypeError(`${where} must be a handle, not ${pyType(value)}`);
    return id;
  };
}
var isId = (value) => Number.isInteger(value);
function objectOf(handles, id, where) {
  try {
    return handles.object(id);
  } catch (error) {
    if (error?.code === "stale-handle") throw pythonError("StaleHandleError", `${where}: ${error.message}`);
    throw error;
  }
}
function pyType(value) {
  if (value === null || value === void 0) return "None";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "function":
      return "a function";
  }
  if (Array.isArray(value)) return value.constructor === Array ? "list" : "tuple";
  if (value instanceof Uint8Array) return "bytes";
  if (value instanceof Date) return "datetime";
  if (value instanceof Set) return "set";
  if (value instanceof Map) return "dict with keys that are not str";
  if (isPlainObject(value)) return "dict";
  if (value instanceof Element) return "an element handle";
  return `a ${typeName(value)} handle`;
}
function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
function isFormControl(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

// js/web/host-functions/signature.js
function required(name, check) {
  return { name, check, required: true };
}
function optional(name, check, fallback = null) {
  return { name, check, fallback, keyword: true };
}
function setter(name, check, { keyword = false } = {}) {
  return { name, check, fallback: void 0, keyword };
}
function hostFunction(name, params, body) {
  const handler = (...args) => body(...bind(name, params, args));
  Object.defineProperty(handler, "name", { value: name });
  return handler;
}
function bind(name, params, args) {
  const [positional, keywords] = splitKeywords(params, args);
  if (positional.length > params.length) {
    throw new TypeError(`${name}: takes ${arity(params)}, not ${positional.length}`);
  }
  const values = params.map((_, i) => positional[i]);
  for (const [key, value] of Object.entries(keywords)) {
    const i = params.findIndex((param) => param.keyword && param.name === key);
    if (i < 0) throw new TypeError(`${name}: got an unexpected keyword argument ${JSON.stringify(key)}`);
    if (i < positional.length) throw new TypeError(`${name}: argument ${i + 1} (${key}) was given twice, by position and by keyword`);
    values[i] = value;
  }
  return params.map((param, i) => {
    const where = `${name}: argument ${i + 1} (${param.name})`;
    if (values[i] !== void 0) return param.check(values[i], where);
    if (param.required) throw new TypeError(`${where} is missing`);
    return param.fallback;
  });
}
function splitKeywords(params, args) {
  const last = args.at(-1);
  const place = params[args.length - 1];
  const requiredCount = params.filter((param) => param.required).length;
  const keywords = params.some((param) => param.keyword) && isPlainObject(last) && args.length > requiredCount && (!place || place.keyword);
  return keywords ? [args.slice(0, -1), last] : [args, {}];
}
function arity(params) {
  const least = params.filter((param) => param.required).length;
  const count = least === params.length ? `${least}` : `${least} to ${params.length}`;
  const names = params.map((param) => param.name).join(", ");
  return `${count} argument${params.length === 1 ? "" : "s"}${names ? ` (${names})` : ""}`;
}

// js/web/host-functions/browser.js
var REVOKE_AFTER_MS = 4e4;
function browserFunctions({ root }) {
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
      required("name", nonEmptyText),
      required("data", fileData),
      optional("mime", text, "application/octet-stream")
    ], (name, data2, mime) => {
      const url = URL.createObjectURL(new Blob([data2], { type: mime }));
      const link = root.ownerDocument.createElement("a");
      Object.assign(link, { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
    }),
    now: hostFunction("now", [], () => (/* @__PURE__ */ new Date()).toISOString()),
    sleep: hostFunction("sleep", [required("seconds", seconds)], (delay) => new Promise((resolve) => {
      setTimeout(resolve, delay * 1e3);
    })),
    log: (...args) => {
      console.log(...args);
    },
    storage_get: hostFunction("storage_get", [required("key", text)], (key) => localStorage.getItem(key)),
    storage_set: hostFunction("storage_set", [required("key", text), required("value", textOrNone)], (key, value) => {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    }),
    json_dumps: hostFunction("json_dumps", [required("value", jsonData)], (value) => JSON.stringify(value))
  };
}
async function chooseFile(fn, root, accept) {
  const input = root.ownerDocument.createElement("input");
  input.type = "file";
  if (accept !== null) input.accept = accept;
  let request = (
    /** @type {HTMLElement | null} */
    null
  );
  try {
    return await new Promise((resolve, reject) => {
      const cancel = () => reject(pythonError("UserCancelledError", `${fn}: the file choice was cancelled`));
      input.addEventListener("change", () => input.files.length ? resolve(input.files[0]) : cancel());
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
function fileRequest(root, input, cancel) {
  const document2 = root.ownerDocument;
  const box = document2.createElement("div");
  box.className = "hostcall-file-request";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "The program asks for a file");
  const button = (label, action) => {
    const made = document2.createElement("button");
    made.type = "button";
    made.textContent = label;
    made.addEventListener("click", action);
    return made;
  };
  box.append(button("Choose a file…", () => openChooser(input)), button("Cancel", cancel));
  root.append(box);
  return box;
}

// js/web/host-functions/dom.js
function domFunctions({ handles, root }) {
  const element = elementIn(handles);
  const elementOrNone = (value, where) => value === null ? null : element(value, where);
  const document2 = root.ownerDocument;
  const el = required("element", element);
  return {
    dom_root: hostFunction("dom_root", [], () => root),
    dom_create: hostFunction("dom_create", [required("tag", text), optional("text", textOrNone)], (tag, content) => {
      const created = domValue(
        () => document2.createElement(tag),
        `dom_create: argument 1 (tag) is not a valid tag name: ${JSON.stringify(tag)}`
      );
      if (content !== null) created.textContent = content;
      return created;
    }),
    dom_text: hostFunction("dom_text", [el, setter("text", text, { keyword: true })], (target, content) => {
      if (content === void 0) return target.textContent;
      target.textContent = content;
    }),
    dom_attr: hostFunction("dom_attr", [el, required("name", text), setter("value", attributeValue, { keyword: true })], (target, name, value) => {
      if (value === void 0) return target.getAttribute(name);
      if (value === null || value === false) {
        target.removeAttribute(name);
      } else {
        const written = value === true ? "" : String(value);
        domValue(
          () => target.setAttribute(name, written),
          `dom_attr: argument 2 (name) is not a valid attribute name: ${JSON.stringify(name)}`
        );
      }
    }),
    dom_prop: hostFunction("dom_prop", [el, required("name", text), setter("value", plainData)], (target, name, value) => {
      if (value === void 0) return propertyOf(target, name);
      try {
        target[name] = value;
      } catch (error) {
        throw pythonError(
          error instanceof DOMException ? "ValueError" : "TypeError",
          `dom_prop: property ${JSON.stringify(name)} of ${describeObject(target, "element")} cannot be set to that value: ${error.message}`
        );
      }
    }),
    dom_class_add: hostFunction("dom_class_add", [el, required("name", className)], (target, name) => {
      target.classList.add(name);
    }),
    dom_class_remove: hostFunction("dom_class_remove", [el, required("name", className)], (target, name) => {
      target.classList.remove(name);
    }),
    dom_append: hostFunction("dom_append", [required("parent", element), required("child", element)], (parent, child) => {
      domValue(() => parent.append(child), `dom_append: argument 2 (child) ${describeObject(child, "element")} cannot go inside argument 1 (parent) ${describeObject(parent, "element")}, which it contains`);
    }),
    dom_remove: hostFunction("dom_remove", [el], (target) => {
      target.remove();
    }),
    dom_query: hostFunction("dom_query", [required("selector", text), optional("within", elementOrNone)], (selector, within) => domValue(
      () => (within ?? root).querySelector(selector),
      `dom_query: argument 1 (selector) is not a valid CSS selector: ${JSON.stringify(selector)}`
    )),
    dom_value: hostFunction("dom_value", [el], (target) => {
      if (isFormControl(target)) return target.value;
      throw new TypeError(`dom_value: argument 1 (element) must be an input, select or textarea element, not ${describeObject(target, "element")}`);
    }),
    dom_free: hostFunction("dom_free", [required("handle", handleIn(handles))], (id) => {
      handles.free(id);
    })
  };
}
function propertyOf(el, name) {
  const value = el[name];
  const primitive = value === null || !["object", "function", "symbol"].includes(typeof value);
  if (primitive || value instanceof Date || Array.isArray(value) || isPlainObject(value)) return value;
  throw new TypeError(`dom_prop: property ${JSON.stringify(name)} of ${describeObject(el, "element")} is a ${typeName(value)}, not plain data`);
}
function domValue(operation, message) {
  try {
    return operation();
  } catch (error) {
    if (error instanceof DOMException) throw pythonError("ValueError", message);
    throw error;
  }
}

// js/web/host-functions/events.js
var QUEUE_LIMIT = 1e3;
var eventQueues = /* @__PURE__ */ new WeakMap();
function eventFunctions({ handles, events }) {
  const element = elementIn(handles);
  const elements = (value, where) => {
    if (!Array.isArray(value)) throw new TypeError(`${where} must be a list of element handles, not ${pyType(value)}`);
    if (!value.length) throw pythonError("ValueError", `${where} is empty: with no element to click, the wait would never end`);
    return value.map((item, i) => element(item, `${where}[${i}]`));
  };
  const el = required("element", element);
  const type = required("type", eventType);
  const timeout = optional("timeout", secondsOrNone);
  return {
    dom_on_click: hostFunction("dom_on_click", [el, timeout], async (target, limit) => {
      await events.next("dom_on_click", [events.queue(target, "click")], limit);
      return "clicked";
    }),
    dom_await_click_any: hostFunction("dom_await_click_any", [required("elements", elements), timeout], async (listed, limit) => {
      const { queue } = await events.next("dom_await_click_any", listed.map((target) => events.queue(target, "click")), limit);
      return queue.element;
    }),
    dom_wait_event: hostFunction("dom_wait_event", [el, type, timeout], async (target, name, limit) => {
      const { info } = await events.next("dom_wait_event", [events.queue(target, name)], limit);
      return info;
    }),
    dom_listen: hostFunction("dom_listen", [
      el,
      type,
      optional("prevent_default", flag, false),
      optional("stop_propagation", flag, false)
    ], (target, name, preventDefault, stopPropagation) => {
      Object.assign(events.queue(target, name), { preventDefault, stopPropagation });
    }),
    dom_on: hostFunction("dom_on", [
      el,
      type,
      required("handler", pythonFunction),
      optional("prevent_default", flag, false),
      optional("stop_propagation", flag, false)
    ], (target, name, handler, preventDefault, stopPropagation) => {
      const listener = (event) => {
        if (preventDefault) event.preventDefault();
        if (stopPropagation) event.stopPropagation();
        handler(describeEvent(target, event)).catch(reportError);
      };
      target.addEventListener(name, listener);
      callbacksOf(handles, target, name).push(listener);
    }),
    dom_off: hostFunction("dom_off", [el, type], (target, name) => {
      for (const listener of callbacksOf(handles, target, name).splice(0)) target.removeEventListener(name, listener);
    })
  };
}
var pythonHandlers = /* @__PURE__ */ new WeakMap();
function callbacksOf(handles, target, type) {
  if (!pythonHandlers.has(handles)) pythonHandlers.set(handles, /* @__PURE__ */ new WeakMap());
  const byElement = pythonHandlers.get(handles);
  if (!byElement.has(target)) byElement.set(target, /* @__PURE__ */ new Map());
  const byType = byElement.get(target);
  if (!byType.has(type)) byType.set(type, []);
  return byType.get(type);
}
function eventQueuesOf(handles) {
  if (!eventQueues.has(handles)) eventQueues.set(handles, new EventQueues(handles));
  return eventQueues.get(handles);
}
var EventQueues = class {
  #handles;
  #byElement = /* @__PURE__ */ new Map();
  // element -> Map(type -> queue)
  #waiters = /* @__PURE__ */ new Set();
  #count = 0;
  // events recorded so far: orders events across queues
  #unsubscribe = null;
  // listening to frees only while something is queued
  constructor(handles) {
    this.#handles = handles;
  }
  /** The queue of `type` events on `element`; its listener is attached from now on. */
  queue(element, type) {
    let types = this.#byElement.get(element);
    if (!types) {
      types = /* @__PURE__ */ new Map();
      this.#byElement.set(element, types);
      this.#unsubscribe ??= this.#handles.onFree((object, id) => this.#drop(object, id));
    }
    let queue = types.get(type);
    if (!queue) {
      queue = { element, type, events: [], preventDefault: false, stopPropagation: false };
      queue.listener = (event) => this.#record(queue, event);
      element.addEventListener(type, queue.listener);
      types.set(type, queue);
    }
    return queue;
  }
  /**
   * The oldest event among `queues` (`{queue, info}`), waiting for one up to `timeout`
   * seconds (null: as long as it takes); `fn` names the host function in errors.
   */
  next(fn, queues, timeout) {
    const queued = oldest(queues);
    if (queued) return Promise.resolve(queued.events.shift());
    return new Promise((resolve, reject) => {
      let timer;
      const waiter = {
        fn,
        queues,
        settle: (entry) => {
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          resolve(entry);
        },
        fail: (error) => {
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          reject(error);
        }
      };
      if (timeout !== null) timer = setTimeout(() => waiter.fail(timedOut(fn, queues, timeout)), timeout * 1e3);
      this.#waiters.add(waiter);
    });
  }
  #record(queue, event) {
    if (queue.preventDefault) event.preventDefault();
    if (queue.stopPropagation) event.stopPropagation();
    const entry = { order: ++this.#count, queue, info: describeEvent(queue.element, event) };
    for (const waiter of this.#waiters) {
      if (waiter.queues.includes(queue)) return waiter.settle(entry);
    }
    queue.events.push(entry);
    if (queue.events.length > QUEUE_LIMIT) queue.events.shift();
  }
  #drop(element, id) {
    const types = this.#byElement.get(element);
    if (!types) return;
    this.#byElement.delete(element);
    for (const queue of types.values()) {
      element.removeEventListener(queue.type, queue.listener);
      for (const waiter of this.#waiters) {
        if (!waiter.queues.includes(queue)) continue;
        waiter.fail(pythonError(
          "StaleHandleError",
          `${waiter.fn}: handle ${id} (${describeObject(element, "element")}) was freed while waiting for its ${queue.type} event`
        ));
      }
    }
    if (this.#byElement.size) return;
    this.#unsubscribe();
    this.#unsubscribe = null;
  }
};
function oldest(queues) {
  let found;
  for (const queue of queues) {
    if (queue.events.length && (!found || queue.events[0].order < found.events[0].order)) found = queue;
  }
  return found;
}
function timedOut(fn, queues, timeout) {
  const on = queues.map((queue) => describeObject(queue.element, "element"));
  const where = on.length === 1 ? on[0] : `any of ${on.slice(0, -1).join(", ")} or ${on.at(-1)}`;
  return pythonError("TimeoutError", `${fn}: no ${queues[0].type} event on ${where} within ${timeout} s`);
}
function describeEvent(element, event) {
  const info = { type: event.type, time: (performance.timeOrigin + event.timeStamp) / 1e3 };
  if (isFormControl(event.target)) info.value = event.target.value;
  if (event instanceof KeyboardEvent) info.key = event.key;
  if (event instanceof MouseEvent) {
    const box = element.getBoundingClientRect();
    Object.assign(info, { button: event.button, x: event.clientX - box.left, y: event.clientY - box.top });
  }
  return info;
}

// js/web/host-functions/index.js
function createHostFunctions(handles, options = {}) {
  if (options === null || typeof options !== "object") throw new TypeError("createHostFunctions: options must be an object");
  const { root = document.body, only } = options;
  const context = { handles, root: resolveRoot(root), events: eventQueuesOf(handles) };
  const all = { ...domFunctions(context), ...eventFunctions(context), ...browserFunctions(context) };
  return only === void 0 ? all : select(all, only);
}
function resolveRoot(root) {
  let element = root;
  if (typeof root === "string") {
    try {
      element = document.querySelector(root);
    } catch {
      throw new TypeError(`createHostFunctions: root ${JSON.stringify(root)} is not a valid CSS selector`);
    }
  }
  if (!(element instanceof Element)) {
    throw new TypeError(`createHostFunctions: root must be an element or a CSS selector matching one; ${JSON.stringify(root)} is not`);
  }
  return element;
}
function select(all, only) {
  if (!Array.isArray(only)) throw new TypeError("createHostFunctions: only must be an array of host function names");
  const unknown = only.filter((name) => !Object.hasOwn(all, name)).map((name) => JSON.stringify(name));
  if (unknown.length) {
    throw new TypeError(`createHostFunctions: only names unknown host functions ${unknown.join(", ")}; known: ${Object.keys(all).join(", ")}`);
  }
  return Object.fromEntries(only.map((name) => [name, all[name]]));
}
export {
  createHostFunctions
};
