/** The host functions that wait for or listen to events (docs/host-functions.md, *Events*). */

import { describeObject } from "../../bridge/describe.js";
import { elementIn, eventType, flag, isFormControl, pyType, pythonError, pythonFunction, secondsOrNone } from "./checks.js";
import { hostFunction, optional, required } from "./signature.js";

const QUEUE_LIMIT = 1000; // events kept per (element, type) while Python is busy
const eventQueues = new WeakMap(); // handle table -> its EventQueues

export function eventFunctions({ handles, events }) {
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
      el, type, optional("prevent_default", flag, false), optional("stop_propagation", flag, false),
    ], (target, name, preventDefault, stopPropagation) => {
      Object.assign(events.queue(target, name), { preventDefault, stopPropagation });
    }),

    dom_on: hostFunction("dom_on", [
      el, type, required("handler", pythonFunction),
      optional("prevent_default", flag, false), optional("stop_propagation", flag, false),
    ], (target, name, handler, preventDefault, stopPropagation) => {
      const listener = (event) => {
        if (preventDefault) event.preventDefault();
        if (stopPropagation) event.stopPropagation();
        // Runs once the worker is idle; a Python exception is the page's to see.
        handler(describeEvent(target, event)).catch(reportError);
      };
      target.addEventListener(name, listener);
      callbacksOf(handles, target, name).push(listener);
    }),

    dom_off: hostFunction("dom_off", [el, type], (target, name) => {
      for (const listener of callbacksOf(handles, target, name).splice(0)) target.removeEventListener(name, listener);
    }),
  };
}

/** The Python handlers `dom_on` attached, by session (handle table), element and type. */
const pythonHandlers = new WeakMap();

function callbacksOf(handles, target, type) {
  if (!pythonHandlers.has(handles)) pythonHandlers.set(handles, new WeakMap());
  const byElement = pythonHandlers.get(handles);
  if (!byElement.has(target)) byElement.set(target, new Map());
  const byType = byElement.get(target);
  if (!byType.has(type)) byType.set(type, []);
  return byType.get(type);
}

/** The session's event queues: one set per handle table, however often its functions are made. */
export function eventQueuesOf(handles) {
  if (!eventQueues.has(handles)) eventQueues.set(handles, new EventQueues(handles));
  return eventQueues.get(handles);
}

/**
 * Events Python waits for. Python may be busy when an event fires, so the first wait on an
 * (element, type) attaches one listener that queues every later event until the element's
 * handle is freed; a wait takes the oldest queued event, or the next one to fire.
 */
class EventQueues {
  #handles;
  #byElement = new Map(); // element -> Map(type -> queue)
  #waiters = new Set();
  #count = 0; // events recorded so far: orders events across queues
  #unsubscribe = null; // listening to frees only while something is queued

  constructor(handles) {
    this.#handles = handles;
  }

  /** The queue of `type` events on `element`; its listener is attached from now on. */
  queue(element, type) {
    let types = this.#byElement.get(element);
    if (!types) {
      types = new Map();
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
        settle: (entry) => { this.#waiters.delete(waiter); clearTimeout(timer); resolve(entry); },
        fail: (error) => { this.#waiters.delete(waiter); clearTimeout(timer); reject(error); },
      };
      if (timeout !== null) timer = setTimeout(() => waiter.fail(timedOut(fn, queues, timeout)), timeout * 1000);
      this.#waiters.add(waiter);
    });
  }

  #record(queue, event) {
    // Decided here: by the time Python could decide, the event has been dispatched.
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
        waiter.fail(pythonError("StaleHandleError",
          `${waiter.fn}: handle ${id} (${describeObject(element, "element")}) was freed while waiting for its ${queue.type} event`));
      }
    }
    if (this.#byElement.size) return;
    this.#unsubscribe();
    this.#unsubscribe = null;
  }
}

/** The queue whose first event is the oldest, or undefined when all are empty. */
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

/** What Python learns of an event, taken when it fires (it may be read much later). */
function describeEvent(element, event) {
  const info = { type: event.type, time: (performance.timeOrigin + event.timeStamp) / 1000 };
  if (isFormControl(event.target)) info.value = event.target.value;
  if (event instanceof KeyboardEvent) info.key = event.key;
  if (event instanceof MouseEvent) {
    const box = element.getBoundingClientRect();
    Object.assign(info, { button: event.button, x: event.clientX - box.left, y: event.clientY - box.top });
  }
  return info;
}
