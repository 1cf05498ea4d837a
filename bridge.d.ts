/**
 * Types for hostcall's bridge (bridge.js), kept by hand: `<script src="/bridge.js">`
 * defines `window.Hostcall`. See docs/api.md (API) and docs/protocol.md (values, messages).
 */

/** Stable codes of {@link HostcallError}; docs/api.md says when each occurs. */
export type HostcallErrorCode =
  | "not-initialized"
  | "busy"
  | "no-pending-call"
  | "invalid-argument"
  | "unserializable"
  | "transport-unavailable"
  | "not-supported"
  | "disposed"
  | "worker-crashed"
  | "terminated"
  | "load-failed"
  | "worker-unavailable"
  | "stale-handle"
  | "remote-refused"
  | "internal";

/** How host calls travel: shared memory, JSPI messages, or not at all. */
export type Transport = "atomics" | "jspi" | "none";

/** Output stream of the Python code. */
export type OutputStream = "stdout" | "stderr";

/** Receives each chunk Python writes to stdout or stderr. */
export type OutputCallback = (stream: OutputStream, text: string) => void;

/**
 * Options of `init()` and `createSession()`. As with every options object of the bridge, a key
 * not listed here is refused ("invalid-argument", naming the nearest known key), never ignored.
 */
export interface InitOptions {
  /** Directory holding bridge.js and worker/, resolved against bridge.js's URL. Default ".". */
  baseURL?: string;
  /** Pyodide's directory (with pyodide.mjs, trailing slash), resolved against baseURL. Default "pyodide/". */
  indexURL?: string;
  /** "auto" (default): atomics when cross-origin isolated, else JSPI. "atomics" needs isolation. */
  transport?: "auto" | "atomics" | "jspi";
  /** Download progress in bytes while Pyodide loads. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  /** Output of every execution of the session. */
  onOutput?: OutputCallback;
  /** Limits of every execution of the session; an execution's own override them key by key. */
  limits?: Limits;
  /**
   * How long interrupt() waits for Python to stop before terminating the worker (twice this:
   * the slack of the timeoutMs watchdog). A finite number >= 0. Default 1000.
   */
  interruptGraceMs?: number;
  /** Let user code import js, pyodide, Pyodide's private modules and ctypes (otherwise ImportError). Default false. */
  allowJs?: boolean;
  /** Start from a memory snapshot of freshly loaded Pyodide, kept in the page and its Cache Storage (~0.3 s instead of ~2.5 s). Default true. */
  startupSnapshot?: boolean;
  /** Keep a second worker loaded, so a restart after a crash or termination takes milliseconds. Default false. */
  spare?: boolean;
  /**
   * How much of an execution's output its stdout/stderr keep (UTF-16 code units, both
   * together); the rest still reaches onOutput. A positive integer up to 2 ** 28. Default 2 ** 25.
   */
  keptOutputChars?: number;
  /**
   * Ask for the isolation tier "service-worker" (docs/hosting.md): on a page not cross-origin
   * isolated, register hostcall-sw.js (true: beside bridge.js; or its URL, resolved against
   * bridge.js's) and reload the page once under it; init() waits for the registration. As
   * `data-service-worker` on bridge.js's script tag. Default false.
   */
  serviceWorker?: boolean | string | URL;
  /**
   * PyPI packages to install before the first run, from the package folder at packages/ beside
   * bridge.js (hostcall packages add; docs/packages.md), with their dependencies. A named
   * package not in the folder makes its import raise ModuleNotFoundError saying how to add it.
   * Default [].
   */
  packages?: string[];
}

/**
 * Execution limits (docs/api.md, "Limits"), enforced in the worker; the defaults, then the
 * session's, then the execution's, key by key. Each is a positive number (timeoutMs) or positive
 * integer (the others), or null for none; an unknown key or any other value rejects
 * "invalid-argument". Exceeding one raises in
 * Python: the execution ends with that error as its result, and the session stays usable.
 */
export interface Limits {
  /** Running time in ms, not counting time paused in host calls: TimeoutError. Default null. */
  timeoutMs?: number | null;
  /**
   * Cap on the WebAssembly heap size (it never shrinks): MemoryError. Default 2 ** 31 (2 GiB).
   * An execution that leaves the heap past the session's cap gets the worker replaced.
   */
  memoryBytes?: number | null;
  /** sys.setrecursionlimit for the execution: RecursionError. Default null (the interpreter's). */
  recursionDepth?: number | null;
  /**
   * UTF-8 bytes written to stdout and stderr together, the rest dropped:
   * hostcall.OutputLimitError. Default 2 ** 24 (16 MiB).
   */
  maxOutputBytes?: number | null;
  /** Host calls; each one past it raises hostcall.HostCallLimitError and is not made. Default null. */
  maxHostCalls?: number | null;
}

/** Options of `run()` and `runWithHostFunctions()`. */
export interface RunOptions {
  /** File name used in tracebacks. Default "main.py". */
  scriptName?: string;
  /** This execution's limits, over the session's key by key. */
  limits?: Limits;
  /** Output of this execution only (the session's onOutput fires as well). */
  onOutput?: OutputCallback;
}

/** Options of `start()`. */
export interface StartOptions extends RunOptions {
  /** Host function names bound in Python's globals for this run (Python identifiers, not builtins). */
  extFns?: string[];
}

/** The isolation tier (docs/hosting.md). */
export type Isolation = "headers" | "service-worker" | "none";

/** What `discover()` reports (and `init()` resolves with). */
export interface Info {
  /** init() completed and the worker is alive. */
  loaded: boolean;
  /** init() is in progress. */
  loading: boolean;
  /** An execution is running or paused. */
  busy: boolean;
  /** The transport in use; null until loaded. */
  transport: Transport | null;
  /**
   * Why that transport (or why host functions are unavailable); without isolation also why
   * not: the missing headers, the service worker's refusal. Null until loaded.
   */
  reason: string | null;
  /** How the page is cross-origin isolated: by its host's headers, by hostcall-sw.js, or not at all. */
  isolation: Isolation;
  pyodideVersion: string | null;
  pythonVersion: string | null;
  /** Cause of the last worker crash or termination; cleared once a new worker is ready, and by dispose(). */
  lastCrash: string | null;
  /** The warm spare worker (init({spare: true})): loading, loaded, or none. */
  spare: "loading" | "ready" | null;
}

/** Options of `call()`. */
export interface CallOptions {
  /** Keyword arguments. */
  kwargs?: Record<string, unknown>;
  /** Host functions for this call, merged over the registered ones (these win on a clash). */
  handlers?: Handlers;
  /** Output of this call only (the session's onOutput fires as well). */
  onOutput?: OutputCallback;
  /** This call's limits, over the session's key by key. */
  limits?: Limits;
}

/** Options of `hostFunctions()` (docs/host-functions.md). */
export interface HostFunctionsOptions {
  /** The element the functions work within: an element or a CSS selector. Default document.body. */
  root?: Element | string;
  /** Include only these host functions (unknown names throw a TypeError). Default: all. */
  only?: string[];
}

/** How a page object crossed to Python: an element, any other object, or an async iterator. */
export type HandleKind = "element" | "object" | "iterator";

/** One handle Python holds, as listed by `handles()`. */
export interface HandleInfo {
  /** The handle id: unique page-wide, never reused. */
  id: number;
  /** The kind it was first handed out as. */
  kind: HandleKind;
  /** Python wrappers counted as alive (hand-outs minus releases). */
  refs: number;
  /** hostcall.keep() was called on it: it outlives the execution that made it. */
  kept: boolean;
  /** `<tag#id.class…>` for an element, else the object's constructor name. */
  label: string;
}

/** A page object marked by `Hostcall.handle()` to cross to Python as a handle (kind "object"). */
export interface HandleRef<T extends object = object> {
  readonly object: T;
}

/**
 * A Python callable on the page: each call runs it in the worker (queued while the worker is
 * busy) with positional arguments; rejects with a PythonError when it raises, with a
 * HostcallError "stale-handle" once its worker has stopped.
 */
export type PythonFunction = (...args: any[]) => Promise<any>;

/**
 * A Python generator on the page: each next() pulls one value from the worker; return()
 * closes the generator. After the end or a rejected pull it stays done.
 */
export interface PythonIterator<T = any> {
  next(): Promise<IteratorResult<T, undefined>>;
  return<R = undefined>(value?: R): Promise<IteratorReturnResult<R>>;
  [Symbol.asyncIterator](): PythonIterator<T>;
}

/** One frame of a Python traceback, from the user's script inward. */
export interface TracebackFrame {
  filename: string;
  line: number | null;
  /** Function name, "<module>" at top level. */
  name: string;
}

/** A Python exception, reported as a result (a run's `error`, a PythonError's fields). */
export interface PythonErrorInfo {
  /** The exception class name, e.g. "KeyError", "HostError". */
  type: string;
  message: string;
  traceback: TracebackFrame[];
  /** Innermost line in the script, or null. */
  line: number | null;
}

/** Python called a host function and waits for resume()/resumeWithError(). */
export interface PendingState {
  state: "pending";
  callId: number;
  functionName: string;
  args: any[];
  kwargs: Record<string, any>;
}

interface Output {
  /** What the execution wrote to stdout, up to keptOutputChars (then a line saying how much more). */
  stdout: string;
  /** What the execution wrote to stderr, up to keptOutputChars (then a line saying how much more). */
  stderr: string;
}

/** The code ran to the end: `value` is its last expression. */
export interface CompleteOkState extends Output {
  state: "complete";
  ok: true;
  value: any;
}

/** The code raised. */
export interface CompleteErrorState extends Output {
  state: "complete";
  ok: false;
  error: PythonErrorInfo;
}

export type CompleteState = CompleteOkState | CompleteErrorState;
export type State = PendingState | CompleteState;

/**
 * The error a pending call raises in Python: hostcall.StaleHandleError or
 * hostcall.UserCancelledError by name, else the builtin exception of that name (built from
 * `args`, else from `message`), else hostcall.HostError.
 */
export interface HostErrorInfo {
  type: string;
  /** Default "". */
  message?: string;
  /** The host's stack; Python attaches it to the exception as a note. */
  traceback?: string;
  /** The exception's args, values as resume() takes them: Python raises `Type(...args)`. */
  args?: unknown[];
  /** An exception group's exceptions (its args then hold only its message). */
  exceptions?: HostErrorInfo[];
}

/**
 * Host functions for runWithHostFunctions, call and register: called with the positional
 * arguments (handles as their page objects), plus one trailing object of keyword arguments when
 * there are any. May be async; a throw raises in Python.
 */
export type Handlers = Record<string, (...args: any[]) => unknown>;

/** Options of `Hostcall.connect()` (docs/remote.md, *Options*). */
export interface ConnectOptions {
  /**
   * The session's token; a function returning one (or a promise of one) is asked again when
   * the server has forgotten the session. Default: `POST <url>/session`, again likewise.
   */
  token?: string | (() => string | Promise<string>);
  /** How long to keep reconnecting before failing the calls (default 30000). */
  giveUpAfterMs?: number;
  /** How often the page pings the server while connected (default 5000). */
  heartbeatMs?: number;
  /** A ping (or a dial) that gets no answer in this long means the link is dead (default 15000). */
  heartbeatTimeoutMs?: number;
}

/** A connection to a server's host functions (`Hostcall.connect()`). */
export interface Remote {
  /** One handler per server function: pass them to runWithHostFunctions() or register(). */
  readonly handlers: Handlers;
  readonly functions: ReadonlyArray<{ name: string; signature: string; doc: string | null }>;
  /** Whether the websocket is open and welcomed (false while reconnecting). */
  readonly connected: boolean;
  /** Close it; calls in flight fail with ConnectionError in Python. */
  close(): void;
}

/** A misuse of the bridge or a failure of its machinery (never a Python exception). */
export declare class HostcallError extends Error {
  constructor(code: HostcallErrorCode, message: string, options?: ErrorOptions);
  readonly name: "HostcallError";
  code: HostcallErrorCode;
}

/** A Python exception raised by `call()` or a Python function or iterator the page holds. */
export declare class PythonError extends Error {
  constructor(error: { type: string; message: string; traceback?: TracebackFrame[]; line?: number | null });
  readonly name: "PythonError";
  /** The exception class name, e.g. "KeyError". */
  type: string;
  /** The exception's message; `message` reads "<type>: <pythonMessage>". */
  pythonMessage: string;
  /** Frames from the called function inward, without hostcall's own. */
  traceback: TracebackFrame[];
  /** The innermost frame's line, or null. */
  line: number | null;
}

/** A Python tuple on the JavaScript side: an Array that goes back to Python as a tuple. */
export declare class Tuple<T = any> extends Array<T> {}

/** The methods of a session; `window.Hostcall` has them too, acting on a default session. */
export interface SessionMethods {
  /**
   * Create the worker and load Pyodide. After a crash or termination, start, run,
   * runWithHostFunctions and call do it themselves. Rejects "worker-unavailable" when the page
   * may not start the worker (a baseURL of another origin).
   */
  init(options?: InitOptions): Promise<Info>;
  /** Run code to completion, without host functions. */
  run(code: string, options?: RunOptions): Promise<CompleteState>;
  /** Start code; resolves at the first host call (pending) or at completion. */
  start(code: string, options?: StartOptions): Promise<State>;
  /** Answer the pending call with a value. */
  resume(value?: unknown): Promise<State>;
  /** Answer the pending call by raising in Python. */
  resumeWithError(error: HostErrorInfo): Promise<State>;
  /** Run code, answering its host calls with the registered host functions and handlers. */
  runWithHostFunctions(code: string, handlers?: Handlers, options?: RunOptions): Promise<CompleteState>;
  /** Call the Python function `name`; resolves with its return value, rejects PythonError. */
  call(name: string, args?: unknown[], options?: CallOptions): Promise<any>;
  /**
   * Stop the current execution: KeyboardInterrupt in Python, or at its pending host call. If it
   * has not ended interruptGraceMs later, the worker is terminated ("terminated"; the session
   * restarts on its next use). Resolves once the execution has ended, at once when none runs.
   */
  interrupt(): Promise<void>;
  /** Add host functions for every later runWithHostFunctions, call and Python callback. Throws. */
  register(handlers: Handlers): void;
  /** Remove registered host functions by name. */
  unregister(...names: string[]): void;
  /** The standard host functions (docs/host-functions.md) bound to this session. Throws. */
  hostFunctions(options?: HostFunctionsOptions): Handlers;
  /** How many page objects Python holds handles to. */
  handleCount(): number;
  /** The handles Python holds, oldest first. */
  handles(): HandleInfo[];
  /** The session's state, without waiting. */
  discover(): Info;
  /** Terminate the worker; outstanding promises reject "disposed" at once, even those waiting for a handler. */
  dispose(): Promise<void>;
  /** Not supported yet: rejects "not-supported". */
  snapshot(): Promise<never>;
  /** Not supported yet: rejects "not-supported". */
  restore(data?: unknown): Promise<never>;
}

/** One Python interpreter in its own worker. */
export declare class Session {
  constructor(options?: InitOptions);
}
export interface Session extends SessionMethods {}

/** `window.Hostcall`: the default session's methods, plus sessions and types. */
export interface HostcallAPI extends SessionMethods {
  /** A new, uninitialised session. Throws "invalid-argument" for options init() would refuse. */
  createSession(options?: InitOptions): Session;
  /** Mark any object or function to cross to Python as an opaque handle. Throws "invalid-argument" otherwise. */
  handle<T extends object>(object: T): HandleRef<T>;
  /**
   * Run the page's `<script type="text/python">` blocks now (docs/embed.md): what a page whose
   * bridge tag has `data-boot="manual"` calls. Resolves once every block present has run
   * (the detail of `hostcall:all-done`); called again, or after the automatic boot, the same promise.
   */
  boot(): Promise<{ blocks: number; errors: number }>;
  /**
   * The session of the page's blocks with `env="name"` (default: the blocks without `env`,
   * whose session is the default one, `Hostcall`'s own); made when none of them exists yet.
   * Throws "invalid-argument" for a name that is not a non-empty string.
   */
  session(env?: string): Session;
  /** Connect to a server's host functions (docs/remote.md); rejects "remote-refused" when refused. */
  connect(url: string | URL, options?: ConnectOptions): Promise<Remote>;
  readonly Session: typeof Session;
  readonly HostcallError: typeof HostcallError;
  readonly PythonError: typeof PythonError;
  readonly Tuple: typeof Tuple;
}

declare global {
  interface Window {
    Hostcall: HostcallAPI;
  }
  /** The same object as window.Hostcall. */
  var Hostcall: HostcallAPI;
}
