/** Opaque handles: page objects Python holds by id (docs/protocol.md, "Handles"). */
import { callback } from "./callback.js";
import { describeObject } from "./describe.js";
import { fail } from "./errors.js";

/** Marks a page object to cross to Python as an opaque handle: `Hostcall.handle(object)`. */
export class HandleRef {
  constructor(object) {
    if (object === null || (typeof object !== "object" && typeof object !== "function")) {
      throw fail("invalid-argument", "handle(object): only an object can be handed out as a handle");
    }
    this.object = object;
  }
}

/** Handle ids count up page-wide and are never reused: a freed or foreign id can never alias. */
let lastHandleId = 0;

/**
 * One session's opaque handles: page objects Python holds by integer id. An object keeps
 * one id while handed out; each time it crosses to Python counts as one reference, which
 * the Python wrapper gives back when garbage-collected. See docs/protocol.md, "Handles".
 */
export class HandleTable {
  #entries = new Map(); // id -> {object, refs, kept, run}
  #ids = new Map(); // object -> id
  #onFree = new Set();

  get size() { return this.#entries.size; }

  /** The id of `object`, handed out (once more) to Python during execution `run`. */
  handOut(object, run, kind) {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = ++lastHandleId;
      this.#entries.set(id, { object, kind, refs: 0, kept: false, run });
      this.#ids.set(object, id);
    }
    this.#entries.get(id).refs++;
    return id;
  }

  /** The object behind `id`; a freed or foreign id throws a `stale-handle` error. */
  object(id) {
    const entry = this.#entries.get(id);
    if (!entry) {
      throw fail("stale-handle", `handle ${id} is stale: it was freed (explicitly, by garbage `
        + "collection, or at the end of the run that made it; hostcall.keep() keeps one) or belongs to another session");
    }
    return entry.object;
  }

  /** The id `object` is handed out under, or undefined. */
  idOf(object) { return this.#ids.get(object); }

  /** Python dropped one wrapper per id listed; an id may be listed more than once. */
  release(ids) {
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry && --entry.refs <= 0) this.free(id);
    }
  }

  /** Keep handles past the end of the run that made them. */
  keep(ids) {
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry) entry.kept = true;
    }
  }

  /** Forget `id` at once, whatever holds it; false when it was not handed out. */
  free(id) {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    this.#ids.delete(entry.object);
    for (const listener of this.#onFree) callback(listener, entry.object, id);
    return true;
  }

  /** Free the handles made during execution `run` that were not kept. */
  endRun(run) {
    for (const [id, entry] of this.#entries) if (entry.run === run && !entry.kept) this.free(id);
  }

  clear() {
    for (const id of [...this.#entries.keys()]) this.free(id);
  }

  /** Call `listener(object, id)` whenever a handle is freed; returns the unsubscribe function. */
  onFree(listener) {
    this.#onFree.add(listener);
    return () => this.#onFree.delete(listener);
  }

  /** `[{id, kind, refs, kept, label}]`, oldest first. */
  list() {
    return Array.from(this.#entries, ([id, { object, kind, refs, kept }]) => ({
      id, kind, refs, kept, label: describeObject(object, kind),
    }));
  }
}

/**
 * The handle kind `value` crosses to Python as without being wrapped in `handle()`:
 * DOM nodes, and async iterables (Python iterates them).
 */
export function nativeHandleKind(value) {
  if (typeof Element === "function" && value instanceof Element) return "element";
  if (typeof Node === "function" && value instanceof Node) return "object";
  if (typeof value[Symbol.asyncIterator] === "function") return "iterator";
  return null;
}
