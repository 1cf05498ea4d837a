/**
 * The run guard: stops Python when the page interrupts it or a limit is exceeded.
 *
 * Pyodide reads its interrupt buffer's `[0]` every few dozen bytecodes, from this worker's
 * own JavaScript, and raises SIGINT when it reads 2. The guard hands Pyodide an object whose
 * `[0]` is a getter instead of a buffer, so every such poll also checks the clock, the heap
 * and the output budget, with or without SharedArrayBuffer. An interrupt from the page is
 * read and cleared in one `Atomics.exchange`, so none is lost between Pyodide's read and its
 * clear (docs/protocol.md, "Limits and interrupts").
 */
const SIGINT = 2;
// After a signal, polls stay quiet this long, and for this many polls: the Python handler that
// raises the error makes JavaScript calls that poll too, and a limit still exceeded must not
// trip again inside it, nor inside a short `except` that catches it. Time alone is not enough:
// a worker descheduled (or in C code) for 20 ms would trip again on the handler's next poll.
const QUIET_MS = 20;
const QUIET_POLLS = 1000;

/**
 * @param {Int32Array | null} header the channel's header (atomics), or null (jspi)
 * @param {number} slot the header slot the page writes an execution's id into to interrupt it
 * @param {() => number} heapBytes the WebAssembly heap's current size
 */
export function createGuard(header, slot, heapBytes) {
  let run = 0; // the id of the guarded execution; 0 between executions
  let armed = false; // Python is inside the runner's try: a signal becomes the run's result
  let limits = {};
  let deadline = Infinity;
  let pausedAt = 0;
  let posted = 0; // an interrupt that came as a message (jspi), for execution `posted`
  let output = 0;
  let cause = null;
  let quietUntil = 0;
  let quietPolls = 0; // polls still to stay quiet for, after a signal
  let tick = 0; // the Date.now() millisecond of the last clock reading
  let now = 0; // performance.now() at that reading

  const trip = (why) => {
    cause = why;
    quietUntil = performance.now() + QUIET_MS;
    quietPolls = QUIET_POLLS;
    return SIGINT;
  };

  /** Pyodide's view: `signals[0]` is polled, and cleared by writing 0 (which we ignore). */
  const signals = {
    get 0() {
      if (!armed) return 0;
      // Polls come every few microseconds (every int Python formats makes two), and
      // performance.now() costs more than the rest of a poll: read it once a millisecond.
      const ms = Date.now();
      if (ms !== tick) {
        tick = ms;
        now = performance.now();
      }
      if (quietPolls > 0) quietPolls--;
      if (now < quietUntil || quietPolls > 0) return 0;
      const asked = header ? Atomics.exchange(header, slot, 0) : posted;
      posted = 0;
      if (asked === run) return trip("interrupt");
      if (now > deadline) return trip("timeout");
      if (heapBytes() > (limits.memoryBytes ?? Infinity)) return trip("memory");
      if (output > (limits.maxOutputBytes ?? Infinity)) return trip("output");
      return 0;
    },
    set 0(_) {},
  };

  return {
    signals,
    /** Guard execution `id` under `runLimits` (docs/api.md, "Limits"). */
    begin(id, runLimits) {
      run = id;
      limits = runLimits;
      deadline = limits.timeoutMs == null ? Infinity : performance.now() + limits.timeoutMs;
      output = 0;
      cause = null;
      quietUntil = 0;
      quietPolls = 0;
    },
    end() {
      run = 0;
      armed = false;
    },
    /** Called by the runner around the execution proper (a signal outside it would escape). */
    arm() {
      armed = run !== 0;
    },
    disarm() {
      armed = false;
    },
    /** Host calls do not count against the time limit: stop the clock while one waits. */
    pause() {
      pausedAt = performance.now();
    },
    resume() {
      deadline += performance.now() - pausedAt;
    },
    /** An interrupt message (jspi): seen at the next poll, if Python is still running `id`. */
    interrupt(id) {
      posted = id;
    },
    /** Count output bytes; false once past the limit (the output is then dropped). */
    wrote(bytes) {
      output += bytes;
      return output <= (limits.maxOutputBytes ?? Infinity);
    },
    /** Why the last SIGINT was raised, with the limit involved: `{cause, limits}`. */
    reason() {
      return { cause, limits };
    },
  };
}
