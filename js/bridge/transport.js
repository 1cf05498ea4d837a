/**
 * The page's side of a transport (docs/protocol.md, "Transports"): the twins of the worker's
 * `atomicsChannel()` and `jspiChannel()`. One per worker, with the same methods: answer a
 * call, interrupt the running execution, listen for its next call, wake a listener at its end.
 */
import { SLOT, readFrame, writeFrame } from "../wire/frame.js";
import { MSG } from "../wire/messages.js";
import { poller } from "../wire/pacing.js";
import { fail } from "./errors.js";

/**
 * What a transport tells its session.
 * @typedef {{
 *   onCall: (call: {text: string, blobs: Uint8Array[], outputSeq: number}) => void,
 *   onBroken: (cause: string) => void,
 * }} TransportEvents
 */

/**
 * A transport: how the page answers the worker's host calls and interrupts its Python.
 * @typedef {{
 *   answer: <T>(exec: import("./execution.js").Execution, text: string, blobs: Uint8Array[], transition: () => T) => T,
 *   interrupt: (id: number) => void,
 *   listen: (exec: import("./execution.js").Execution) => void,
 *   wake: () => void,
 * }} Transport
 */

/**
 * The transport of `worker`: atomics when it was given a shared `channel`, else jspi.
 * @param {Worker} worker
 * @param {SharedArrayBuffer | null} channel
 * @param {TransportEvents} events
 * @returns {Transport}
 */
export function transportFor(worker, channel, events) {
  return channel ? atomicsTransport(worker, channel, events) : jspiTransport(worker);
}

/**
 * Calls on the shared channel: the worker writes a call and bumps REQUEST, then blocks in
 * Atomics.wait until the page writes the answer and bumps REPLY.
 * @param {Worker} worker
 * @param {SharedArrayBuffer} channel
 * @param {TransportEvents} events
 * @returns {Transport}
 */
function atomicsTransport(worker, channel, { onCall, onBroken }) {
  const header = new Int32Array(channel, 0, 4);
  const poll = poller(); // for the worker's next call, right after answering one
  let requestsSeen = 0; // the REQUEST count already handled

  /** Wait (without blocking the page) for the worker's next call while `exec` lasts. */
  async function listen(exec, polling = false) {
    while (exec.state !== "ended") {
      const seen = requestsSeen;
      if (!polling || !poll(header, SLOT.REQUEST, seen)) {
        const wait = Atomics.waitAsync(header, SLOT.REQUEST, seen);
        if (wait.async) await wait.value;
      }
      polling = false;
      const now = Atomics.load(header, SLOT.REQUEST);
      if (exec.state === "ended" || now === seen) continue;
      requestsSeen = now;
      try {
        const { text, blobs } = readFrame(channel);
        onCall({ text, blobs: blobs.map((blob) => blob.slice()), outputSeq: Atomics.load(header, SLOT.OUTPUT_SEQ) });
      } catch (error) {
        onBroken(`the bridge could not read a call from the channel: ${error.message}`);
      }
      return;
    }
  }

  return {
    answer(exec, text, blobs, transition) {
      try {
        writeFrame(channel, text, blobs);
      } catch (error) {
        throw fail("unserializable", `the answer does not fit the channel: ${error.message}`);
      }
      // The state changes before the worker is woken: its next call may arrive within the
      // poll below, synchronously, and must find the execution running.
      const result = transition();
      Atomics.add(header, SLOT.REPLY, 1);
      Atomics.notify(header, SLOT.REPLY);
      listen(exec, true); // Python usually calls again within microseconds: poll first
      return result;
    },
    interrupt: (id) => Atomics.store(header, SLOT.INTERRUPT, id), // the worker's guard polls it
    listen: (exec) => void listen(exec),
    wake: () => void Atomics.notify(header, SLOT.REQUEST), // a listener waiting for a call that will not come
  };
}

/**
 * Calls by message: the worker posts `call`, JSPI suspends its Python until the `reply`.
 * Calls arrive through the worker's messages, so there is nothing to listen or wake.
 * @param {Worker} worker
 * @returns {Transport}
 */
function jspiTransport(worker) {
  return {
    answer(exec, text, blobs, transition) {
      const result = transition();
      worker.postMessage({ type: MSG.REPLY, id: exec.id, text, blobs }, blobs.map((blob) => blob.buffer));
      return result;
    },
    interrupt: (id) => worker.postMessage({ type: MSG.INTERRUPT, id }), // seen once Python yields
    listen: () => {},
    wake: () => {},
  };
}
