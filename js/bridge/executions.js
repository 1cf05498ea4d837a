/**
 * A session's executions: the one its worker runs now, the queue behind it, and what the
 * worker says about them (output, calls, the end), over the worker's transport.
 */
import { errorToWire } from "../wire/host-errors.js";
import { encodeValue, encoding } from "../wire/values.js";
import { callback } from "./callback.js";
import { fail, typed } from "./errors.js";
import { Execution } from "./execution.js";
import { drive, pendingState, readCall, readResult, serveOwnCall } from "./host-calls.js";
import { KEPT_OUTPUT_CHARS } from "./init-options.js";
import { graceMs, outgrown, watchdog } from "./limits.js";
import { ExecutionQueue } from "./queue.js";

const INTERRUPTED = JSON.stringify({ ok: false, error: { type: "KeyboardInterrupt", message: "interrupted by the page" } });

export class Executions {
  /** @type {Execution | null} */ #exec = null; // the execution started and not yet ended
  #queue = new ExecutionQueue();
  /** @type {Worker | null} */ #worker = null;
  /** @type {import("./transport.js").Transport | null} */ #transport = null;
  #outputSeq = 0; // the sequence number of the last output message received
  #handles;
  #peer;
  #options;
  #replace;
  #watch;
  /** @type {import("./host-calls.js").Driver} */
  #driver = {
    current: () => this.#exec,
    resume: (value) => this.resume(value),
    resumeWithError: (error) => this.resumeWithError(error),
    answerEncoded: (answer) => this.answerEncoded(answer),
  };

  /**
   * @param {{
   *   handles: import("./handles.js").HandleTable,
   *   peer: import("./host-calls.js").Peer,
   *   options: () => any,
   *   replace: (why: string) => void,
   *   watch: (stream: string, text: string, internal: boolean) => void,
   * }} session its handles, how values from Python become page values, its options now,
   *   how it replaces a worker that is stuck or outgrew its memory, and who else sees output
   */
  constructor({ handles, peer, options, replace, watch }) {
    this.#handles = handles;
    this.#peer = peer;
    this.#options = options;
    this.#replace = replace;
    this.#watch = watch;
  }

  /** The execution started and not yet ended, or null. */
  get current() { return this.#exec; }

  /** How many executions wait in the queue. */
  get queued() { return this.#queue.length; }

  /**
   * Executions go to `worker` from now on, answered over `transport`.
   * @param {Worker} worker
   * @param {import("./transport.js").Transport} transport
   */
  attach(worker, transport) {
    this.#worker = worker;
    this.#transport = transport;
    this.#outputSeq = 0;
  }

  /**
   * Run `start` once the worker is idle (after the execution now running and those queued).
   * @param {() => Promise<any>} start
   */
  later(start) {
    return this.#queue.add(start);
  }

  /** Start an execution in the worker; resolves with its first state. */
  launch(request, onOutput, internal = false) {
    const keptOutputChars = this.#options().keptOutputChars ?? KEPT_OUTPUT_CHARS;
    const exec = new Execution(request.id, { onOutput, internal, keptOutputChars });
    this.#exec = exec;
    this.#worker.postMessage(request, (request.blobs ?? []).map((blob) => blob.buffer));
    this.#transport.listen(exec);
    const { timeoutMs } = request.limits;
    if (timeoutMs !== null) watchdog(exec, timeoutMs, graceMs(this.#options()), (why) => this.#terminate(exec, why));
    return exec.next;
  }

  /**
   * Answer each pending state from `first` on with `handlers` until the execution completes.
   * @param {Promise<any>} first
   * @param {Record<string, Function>} handlers
   */
  follow(first, handlers) {
    return drive(first, handlers, this.#driver);
  }

  /** interrupt() of the current execution; resolves once it has ended. */
  interrupt() {
    const exec = this.#exec;
    if (!exec) return Promise.resolve();
    // A call waiting for the host is answered here, racing its handler (see Execution.preempt).
    if (exec.awaitsHost) this.#transport.answer(exec, INTERRUPTED, [], () => exec.preempt());
    else this.#transport.interrupt(exec.id);
    const grace = graceMs(this.#options());
    setTimeout(() => this.#terminate(exec, `it did not stop within ${grace} ms of interrupt()`), grace);
    return exec.ended;
  }

  /** resume() of the pending call: it returns `value`; resolves with the next state. */
  resume(value) {
    try {
      const exec = this.#pendingExec("resume");
      const { wire, blobs } = encodeValue(value, "resume() value", this.#handles, exec.id);
      return this.#transport.answer(exec, JSON.stringify({ ok: true, value: wire }), blobs, () => exec.answer());
    } catch (error) {
      return Promise.reject(typed(error));
    }
  }

  /** resumeWithError() of the pending call: it raises `error`; resolves with the next state. */
  resumeWithError(error) {
    try {
      const exec = this.#pendingExec("resumeWithError");
      const context = { handles: this.#handles, run: exec.id };
      const { wire, blobs } = encoding(context, (each) => errorToWire(error, "resumeWithError", each));
      return this.#transport.answer(exec, JSON.stringify({ ok: false, error: wire }), blobs, () => exec.answer());
    } catch (failure) {
      return Promise.reject(typed(failure));
    }
  }

  /**
   * A relay's answer to the pending call, still encoded: `{ok, value | error, blobs}` (a
   * RELAY handler's, or the headless driver's through the session's RESUME_ENCODED).
   * @param {{ok: boolean, value?: unknown, error?: unknown, blobs?: Uint8Array[]}} answer
   */
  answerEncoded({ ok, value, error, blobs = [] }) {
    try {
      const exec = this.#pendingExec("the relay");
      return this.#transport.answer(exec, JSON.stringify({ ok, value, error }), blobs, () => exec.answer());
    } catch (failure) {
      return Promise.reject(typed(failure));
    }
  }

  #pendingExec(method) {
    const exec = this.#exec;
    if (!exec?.pending) throw fail("no-pending-call", `${method}: no host call is waiting for an answer`);
    return exec;
  }

  /** An `output` message: the session's and the execution's onOutput, the kept copy, a held call. */
  onOutput({ stream, text, seq }) {
    const exec = this.#exec;
    this.#outputSeq = seq;
    callback(this.#options().onOutput, stream, text);
    if (!exec) return;
    callback(exec.onOutput, stream, text);
    this.#watch(stream, text, exec.internal);
    exec.output.keep(stream === "stderr" ? "stderr" : "stdout", text);
    exec.release(seq);
  }

  /**
   * Python called out (a `call` message, or a frame on the channel): answer it here, or hold
   * it for the host (docs/protocol.md, "Host calls").
   * @param {{text: string, blobs: Uint8Array[], outputSeq: number}} message
   */
  onCall({ text, blobs, outputSeq }) {
    const exec = this.#exec;
    if (!exec) return;
    exec.called();
    const call = readCall(text, blobs, this.#handles, this.#peer);
    if (call.refusal !== undefined) return this.#serve(exec, call.refusal, []);
    if (call.fn.startsWith("$")) return void this.#serveOwn(exec, call.fn, call.args);
    exec.hold(pendingState(call), outputSeq);
    exec.release(this.#outputSeq);
  }

  async #serveOwn(exec, fn, args) {
    const { text, blobs } = await serveOwnCall(fn, args, this.#handles, exec.id);
    if (exec.state === "serving") this.#serve(exec, text, blobs); // unless the worker died meanwhile
  }

  /** Answer a call the bridge serves itself. */
  #serve(exec, text, blobs) {
    this.#transport.answer(exec, text, blobs, () => exec.served());
  }

  /** A `done` message: the execution completes with its result and kept output. */
  onDone({ id, text, blobs, heapBytes }) {
    const exec = this.#exec;
    if (!exec || exec.id !== id) return;
    // All that can throw, while the execution is still current: a failure here becomes a
    // crash (the session's message handling), which rejects it. Ended first, it would never settle.
    const result = readResult(text, blobs, this.#handles, this.#peer);
    const output = { stdout: exec.output.collected("stdout"), stderr: exec.output.collected("stderr") };
    exec.complete(result.ok
      ? { state: "complete", ok: true, value: result.value, ...output }
      : { state: "complete", ok: false, error: result.error, ...output });
    this.#ended(exec, heapBytes);
  }

  /** A `failed` message: the worker refused or could not run the execution. */
  onFailed({ id, code, message, heapBytes }) {
    const exec = this.#exec;
    if (!exec || exec.id !== id) return;
    exec.fail(fail(code, message));
    this.#ended(exec, heapBytes);
  }

  /** After an execution ended in the worker: free its handles; replace a worker whose heap outgrew the limit. */
  #ended(exec, heapBytes) {
    this.#end();
    this.#handles.endRun(exec.id);
    const why = outgrown(heapBytes, this.#options().limits);
    if (why) this.#replace(why);
  }

  /** No execution is current: the queue may go on, and a listener for calls wakes. */
  #end() {
    this.#exec = null;
    // Let the code awaiting this execution start its next one first, then the queue.
    if (this.#queue.length) setTimeout(() => this.#queue.drain(() => !this.#exec));
    this.#transport?.wake();
  }

  #terminate(exec, why) {
    if (exec.state !== "ended") this.#replace(why);
  }

  /**
   * The worker is gone: the current execution and the queued ones fail with `error`, and the
   * handles Python held are freed (their wrappers died with it). Returns a function that
   * rejects the queued executions, for the session to call after its own cleanup.
   * @param {Error} error
   */
  shutDown(error) {
    const exec = this.#exec;
    const rejectQueued = this.#queue.clear();
    this.#end();
    exec?.shutDown(error);
    this.#handles.clear();
    return () => rejectQueued(error);
  }
}
