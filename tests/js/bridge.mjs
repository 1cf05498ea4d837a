/**
 * bridge.js in Node, for unit tests of its pure logic (no browser): each load runs the file
 * in a fresh `node:vm` context holding the few page globals it touches while it loads. As a
 * page it defines `Hostcall` and `HostcallJSON`; as a worker (`{worker: true}`: the global's
 * prototype is a `WorkerGlobalScope`, as in a real worker) it defines only `HostcallWire`.
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../bridge.js", import.meta.url), "utf8");

// Uint8Array's base64 methods are Chromium's (and Node 25's); older Nodes get these.
const BASE64 = `
  Uint8Array.fromBase64 ??= (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  Uint8Array.prototype.toBase64 ??= function () { return btoa(String.fromCharCode(...this)); };
`;

/** A context with bridge.js loaded; `evaluate(expression)` runs code in it (values of its realm). */
export function loadBridge({ worker = false } = {}) {
  const page = { document: { currentScript: null }, location: { href: "http://localhost/" } };
  const context = vm.createContext({ TextEncoder, TextDecoder, atob, btoa, performance, ...(worker ? {} : page) });
  vm.runInContext(BASE64, context);
  if (worker) vm.runInContext("class WorkerGlobalScope {} Object.setPrototypeOf(globalThis, WorkerGlobalScope.prototype);", context);
  vm.runInContext(SOURCE, context, { filename: "bridge.js" });
  const evaluate = (expression) => vm.runInContext(`(${expression})`, context);
  return { context, evaluate, parse: evaluate("JSON.parse") };
}
