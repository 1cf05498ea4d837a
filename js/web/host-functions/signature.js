/**
 * A host function's parameters, declared as Python sees them: positional, optional (also by
 * keyword) and setters; `hostFunction` binds Python's arguments to them and checks each.
 */

import { isPlainObject } from "./checks.js";

/** A parameter Python must pass, by position. */
export function required(name, check) {
  return { name, check, required: true };
}

/** A parameter with a default, which Python may pass by position or by keyword. */
export function optional(name, check, fallback = null) {
  return { name, check, fallback, keyword: true };
}

/**
 * A last parameter whose presence turns a getter into a setter. With `keyword`, Python may also
 * pass it by keyword: only where no dict can be its value, since a trailing dict is read as the
 * keywords (dom_text's text, dom_attr's value; not dom_prop's value, which may be a dict).
 */
export function setter(name, check, { keyword = false } = {}) {
  return { name, check, fallback: undefined, keyword };
}

/** A handler taking Python's arguments: checks them against `params`, then calls `body`. */
export function hostFunction(name, params, body) {
  const handler = (...args) => body(...bind(name, params, args));
  Object.defineProperty(handler, "name", { value: name });
  return handler;
}

/** Python's arguments matched to `params`, each checked; misuse is a TypeError like Python's. */
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
    if (values[i] !== undefined) return param.check(values[i], where);
    if (param.required) throw new TypeError(`${where} is missing`);
    return param.fallback;
  });
}

/**
 * Python's keyword arguments arrive as one trailing plain object. It is taken for keywords
 * only where a positional dict cannot be meant: in the place of a parameter that takes
 * keywords (none takes a dict) or past the last parameter.
 */
function splitKeywords(params, args) {
  const last = args.at(-1);
  const place = params[args.length - 1];
  const requiredCount = params.filter((param) => param.required).length;
  const keywords = params.some((param) => param.keyword) && isPlainObject(last)
    && args.length > requiredCount && (!place || place.keyword);
  return keywords ? [args.slice(0, -1), last] : [args, {}];
}

function arity(params) {
  const least = params.filter((param) => param.required).length;
  const count = least === params.length ? `${least}` : `${least} to ${params.length}`;
  const names = params.map((param) => param.name).join(", ");
  return `${count} argument${params.length === 1 ? "" : "s"}${names ? ` (${names})` : ""}`;
}
