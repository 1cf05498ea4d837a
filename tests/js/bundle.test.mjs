/**
 * The built bridge.js as a page loads it: it defines `Hostcall` and nothing else global
 * (the worker and the headless page import the codec; nothing reaches it through globals).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const BRIDGE = readFileSync(new URL("../../bridge.js", import.meta.url), "utf8");

/** A page still loading, as bridge.js sees it; `listeners` records what it waits for. */
function loadingPage() {
  const listeners = [];
  const document = { currentScript: null, readyState: "loading", addEventListener: (type) => listeners.push(type) };
  // The few page globals bridge.js reads while it loads.
  const page = { document, location: { href: "http://localhost/" }, TextEncoder, TextDecoder };
  return { context: vm.createContext(page), listeners };
}

test("bridge.js defines Hostcall and nothing else global", () => {
  const { context, listeners } = loadingPage();
  const globals = () => Object.getOwnPropertyNames(vm.runInContext("globalThis", context));
  const before = new Set(globals());
  vm.runInContext(BRIDGE, context, { filename: "bridge.js" });
  assert.deepEqual(globals().filter((name) => !before.has(name)), ["Hostcall"]);
  assert.equal(typeof vm.runInContext("Hostcall.createSession", context), "function");
  assert.deepEqual(listeners, ["DOMContentLoaded"], "the Python blocks boot once the document is parsed");
});

test("bridge.js included twice leaves the first copy in charge: one Hostcall, one boot", () => {
  const { context, listeners } = loadingPage();
  vm.runInContext(BRIDGE, context, { filename: "bridge.js" });
  const first = vm.runInContext("Hostcall", context);
  vm.runInContext(BRIDGE, context, { filename: "bridge.js (again)" });
  assert.equal(vm.runInContext("Hostcall", context), first);
  assert.deepEqual(listeners, ["DOMContentLoaded"]);
});
