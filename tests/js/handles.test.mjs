/** The handle table (js/bridge/handles.js) under Node: ids, references, runs, listeners. */
import assert from "node:assert/strict";
import { test } from "node:test";

import { HandleTable } from "../../js/bridge/handles.js";

class Thing {}

test("an object keeps one id while handed out; each crossing counts a reference", () => {
  const table = new HandleTable();
  const thing = new Thing();
  const id = table.handOut(thing, 1, "object");
  assert.equal(table.handOut(thing, 1, "object"), id);
  assert.equal(table.object(id), thing);
  assert.equal(table.idOf(thing), id);
  assert.equal(table.size, 1);
  assert.deepEqual(table.list(), [{ id, kind: "object", refs: 2, kept: false, label: "Thing" }]);
  const other = table.handOut({}, 1, "object");
  assert.ok(other > id, "ids count up");
});

test("release frees a handle once every reference was given back", () => {
  const table = new HandleTable();
  const thing = new Thing();
  const id = table.handOut(thing, 1, "object");
  table.handOut(thing, 1, "object");
  table.release([id]);
  assert.equal(table.object(id), thing);
  table.release([id, 12345]); // an unknown id is ignored
  assert.equal(table.size, 0);
  assert.throws(() => table.object(id), (error) => error.code === "stale-handle" && error.message.startsWith(`handle ${id} is stale`));
  assert.equal(table.idOf(thing), undefined);
  assert.notEqual(table.handOut(thing, 2, "object"), id, "a freed id is never reused");
});

test("endRun frees the run's handles except those kept; other runs' stay", () => {
  const table = new HandleTable();
  const [a, b, c] = [new Thing(), new Thing(), new Thing()];
  const ids = [table.handOut(a, 1, "object"), table.handOut(b, 1, "object"), table.handOut(c, 2, "object")];
  table.keep([ids[1]]);
  table.endRun(1);
  assert.deepEqual(table.list().map(({ id, kept }) => [id, kept]), [[ids[1], true], [ids[2], false]]);
  table.endRun(2);
  assert.deepEqual(table.list().map(({ id }) => id), [ids[1]]);
});

test("free listeners hear every freed handle until they unsubscribe", () => {
  const table = new HandleTable();
  const heard = [];
  const unsubscribe = table.onFree((object, id) => heard.push([object, id]));
  const thing = new Thing();
  const id = table.handOut(thing, 1, "object");
  assert.equal(table.free(id), true);
  assert.equal(table.free(id), false, "already freed");
  assert.deepEqual(heard, [[thing, id]]);
  unsubscribe();
  table.handOut(new Thing(), 1, "object");
  table.clear();
  assert.equal(heard.length, 1);
  assert.equal(table.size, 0);
});

test("list names each handle, oldest first", () => {
  const table = new HandleTable();
  const first = table.handOut(new Map(), 1, "object");
  const second = table.handOut(Object.create(null), 1, "iterator");
  assert.deepEqual(table.list(), [
    { id: first, kind: "object", refs: 1, kept: false, label: "Map" },
    { id: second, kind: "iterator", refs: 1, kept: false, label: "Object" },
  ]);
});
