/** The DOM's host functions: create, find, read and change elements (docs/host-functions.md). */

import { describeObject, typeName } from "../../bridge/describe.js";
import { attributeValue, className, elementIn, handleIn, isFormControl, isPlainObject, plainData, pythonError, text, textOrNone } from "./checks.js";
import { hostFunction, optional, required, setter } from "./signature.js";

export function domFunctions({ handles, root }) {
  const element = elementIn(handles);
  const elementOrNone = (value, where) => (value === null ? null : element(value, where));
  const document = root.ownerDocument;
  const el = required("element", element);
  return {
    dom_root: hostFunction("dom_root", [], () => root),

    dom_create: hostFunction("dom_create", [required("tag", text), optional("text", textOrNone)], (tag, content) => {
      const created = domValue(() => document.createElement(tag),
        `dom_create: argument 1 (tag) is not a valid tag name: ${JSON.stringify(tag)}`);
      if (content !== null) created.textContent = content;
      return created;
    }),

    dom_text: hostFunction("dom_text", [el, setter("text", text, { keyword: true })], (target, content) => {
      if (content === undefined) return target.textContent;
      target.textContent = content;
    }),

    dom_attr: hostFunction("dom_attr", [el, required("name", text), setter("value", attributeValue, { keyword: true })], (target, name, value) => {
      if (value === undefined) return target.getAttribute(name);
      if (value === null || value === false) {
        target.removeAttribute(name);
      } else {
        const written = value === true ? "" : String(value); // a boolean attribute is present or absent
        domValue(() => target.setAttribute(name, written),
          `dom_attr: argument 2 (name) is not a valid attribute name: ${JSON.stringify(name)}`);
      }
    }),

    dom_prop: hostFunction("dom_prop", [el, required("name", text), setter("value", plainData)], (target, name, value) => {
      if (value === undefined) return propertyOf(target, name);
      try {
        target[name] = value;
      } catch (error) {
        throw pythonError(error instanceof DOMException ? "ValueError" : "TypeError",
          `dom_prop: property ${JSON.stringify(name)} of ${describeObject(target, "element")} cannot be set to that value: ${error.message}`);
      }
    }),

    dom_class_add: hostFunction("dom_class_add", [el, required("name", className)], (target, name) => {
      target.classList.add(name);
    }),

    dom_class_remove: hostFunction("dom_class_remove", [el, required("name", className)], (target, name) => {
      target.classList.remove(name);
    }),

    dom_append: hostFunction("dom_append", [required("parent", element), required("child", element)], (parent, child) => {
      domValue(() => parent.append(child), `dom_append: argument 2 (child) ${describeObject(child, "element")} cannot go inside `
        + `argument 1 (parent) ${describeObject(parent, "element")}, which it contains`);
    }),

    dom_remove: hostFunction("dom_remove", [el], (target) => {
      target.remove();
    }),

    dom_query: hostFunction("dom_query", [required("selector", text), optional("within", elementOrNone)], (selector, within) => (
      domValue(() => (within ?? root).querySelector(selector),
        `dom_query: argument 1 (selector) is not a valid CSS selector: ${JSON.stringify(selector)}`)
    )),

    dom_value: hostFunction("dom_value", [el], (target) => {
      if (isFormControl(target)) return target.value;
      throw new TypeError(`dom_value: argument 1 (element) must be an input, select or textarea element, not ${describeObject(target, "element")}`);
    }),

    dom_free: hostFunction("dom_free", [required("handle", handleIn(handles))], (id) => {
      handles.free(id);
    }),
  };
}

/** A property's value, which must cross to Python as data (elements come from dom_query). */
function propertyOf(el, name) {
  const value = el[name];
  const primitive = value === null || !["object", "function", "symbol"].includes(typeof value);
  if (primitive || value instanceof Date || Array.isArray(value) || isPlainObject(value)) return value;
  throw new TypeError(`dom_prop: property ${JSON.stringify(name)} of ${describeObject(el, "element")} is a ${typeName(value)}, not plain data`);
}

/** Run a DOM operation whose DOMException means a bad argument: a ValueError saying `message`. */
function domValue(operation, message) {
  try {
    return operation();
  } catch (error) {
    if (error instanceof DOMException) throw pythonError("ValueError", message);
    throw error;
  }
}
