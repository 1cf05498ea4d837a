/**
 * hostcall's bridge: run Python (Pyodide) in a Web Worker and let it call the page.
 *
 * The entry of the bridge.js bundle: `<script src="/bridge.js"></script>` defines
 * `window.Hostcall` and nothing else, and runs the page's `<script type="text/python">` blocks
 * (js/embed/, docs/embed.md). The public API is documented in docs/api.md and typed
 * in bridge.d.ts; every message between the bridge and the worker is in docs/protocol.md.
 */
import { PageBlocks } from "../embed/index.js";
import { Tuple } from "../wire/values.js";
import { connect } from "./connect.js";
import { HostcallError, PythonError } from "./errors.js";
import { HandleRef } from "./handles.js";
import { requestFromScriptTag } from "./isolation.js";
import { Session } from "./session.js";

const defaultSession = new Session();
const pageBlocks = new PageBlocks(defaultSession);

/** The public API: the default session's methods, plus sessions and types. */
export const Hostcall = Object.freeze({
  init: (options) => defaultSession.init(options),
  run: (code, options) => defaultSession.run(code, options),
  start: (code, options) => defaultSession.start(code, options),
  resume: (value) => defaultSession.resume(value),
  resumeWithError: (error) => defaultSession.resumeWithError(error),
  snapshot: () => defaultSession.snapshot(),
  restore: (data) => defaultSession.restore(data),
  discover: () => defaultSession.discover(),
  dispose: () => defaultSession.dispose(),
  runWithHostFunctions: (code, handlers, options) => defaultSession.runWithHostFunctions(code, handlers, options),
  register: (handlers) => defaultSession.register(handlers),
  unregister: (...names) => defaultSession.unregister(...names),
  hostFunctions: (options) => defaultSession.hostFunctions(options),
  handleCount: () => defaultSession.handleCount(),
  handles: () => defaultSession.handles(),
  call: (name, args, options) => defaultSession.call(name, args, options),
  interrupt: () => defaultSession.interrupt(),
  handle: (object) => new HandleRef(object),
  connect,
  createSession: (options) => new Session(options),
  boot: () => pageBlocks.boot(),
  session: (env) => pageBlocks.session(env),
  Session,
  HostcallError,
  PythonError,
  Tuple,
});

// The bundle's one global (esbuild's IIFE keeps this module's exports to itself). A second
// copy of bridge.js on the page leaves the first in charge: one Hostcall, one service worker,
// one boot.
if (!globalThis.Hostcall) {
  globalThis.Hostcall = Hostcall;
  requestFromScriptTag(); // data-service-worker, before the boot: it may reload the page
  pageBlocks.start();
}
