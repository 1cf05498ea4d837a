/**
 * The built bridge.js as a page loads it: it defines `Hostcall` and nothing else global
 * (the worker and the headless page import the codec; nothing reaches it through globals).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

test("bridge.js defines Hostcall and nothing else global", () => {
  // The few page globals bridge.js reads while it loads.
  const page = { document: { currentScript: null }, location: { href: "http://localhost/" }, TextEncoder, TextDecoder };
  const context = vm.createContext(page);
  const globals = () => Object.getOwnPropertyNames(vm.runInContext("globalThis", context));
  const before = new Set(globals());
  vm.runInContext(readFileSync(new URL("../../bridge.js", import.meta.url), "utf8"), context, { filename: "bridge.js" });
  assert.deepEqual(globals().filter((name) => !before.has(name)), ["Hostcall"]);
  assert.equal(typeof vm.runInContext("Hostcall.createSession", context), "function");
});
