// What the sources use that TypeScript's own libraries do not declare (yet).

/** The worker's Python package, embedded by scripts/build: {file name: source text}. */
declare module "hostcall:python" {
  const sources: Record<string, string>;
  export default sources;
}

// Uint8Array's base64 methods (Chromium; Node 25).
interface Uint8Array {
  toBase64(): string;
}
interface Uint8ArrayConstructor {
  fromBase64(text: string): Uint8Array;
}

// JSPI (WebAssembly JavaScript Promise Integration), which the worker's JSPI transport uses.
declare namespace WebAssembly {
  class Suspending {
    constructor(fn: (...args: any[]) => Promise<unknown>);
  }
}
