/**
 * The raw floor for hostcall's benchmark: the cheapest SharedArrayBuffer round trip
 * plain JavaScript can make, with no Python and no encoding. See web/floor.js.
 */
self.onmessage = ({ data: { sab, count } }) => {
  const header = new Int32Array(sab, 0, 4);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const answered = Atomics.load(header, 1);
    header[2] = i;
    Atomics.add(header, 0, 1);
    Atomics.notify(header, 0);
    while (Atomics.load(header, 1) === answered) Atomics.wait(header, 1, answered);
  }
  self.postMessage({ micros: ((performance.now() - start) * 1000) / count });
};
