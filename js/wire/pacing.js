/** How a waiter on the call channel paces itself: poll briefly, then sleep (page and worker). */

/** How long a waiter polls before it sleeps, and at most how many waits it skips polling. */
const POLL_MS = 0.05;
const MAX_REST = 1024;

/**
 * The pace of a waiter that stays awake for a while before it sleeps (`poller` here, the
 * worker's JSPI wait). Staying awake is wasted when the answer takes longer, and when busy
 * threads outnumber cores it delays the answer (the waiter holds the core the other side
 * needs): so after a miss the next waits sleep at once, twice as many after each further miss.
 */
export function backoff() {
  let resting = 0; // waits left that sleep at once
  let rest = 1; // how many waits the next miss skips
  return {
    /** Whether this wait should sleep at once. */
    resting() {
      if (resting === 0) return false;
      resting--;
      return true;
    },
    missed() {
      resting = rest;
      rest = Math.min(2 * rest, MAX_REST);
    },
    hit() {
      rest = 1;
    },
  };
}

/**
 * A waiter's bounded poll before it sleeps: `poll(header, slot, value)` spins while
 * `header[slot]` holds `value`, for at most POLL_MS, and says whether it changed.
 *
 * Waking a thread that sleeps in Atomics.wait or waitAsync costs tens of microseconds,
 * more than a whole round trip between two awake threads, so polling pays when the other
 * side answers quickly.
 */
export function poller() {
  const pace = backoff();
  return (header, slot, value) => {
    if (pace.resting()) return false;
    const until = performance.now() + POLL_MS;
    while (Atomics.load(header, slot) === value) {
      if (performance.now() > until) {
        pace.missed();
        return false;
      }
    }
    pace.hit();
    return true;
  };
}
