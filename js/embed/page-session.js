/**
 * One `env` of the page: its session, its blocks run in order in one namespace, and the host
 * functions they get (the standard ones of their `host=` sets, `display`, and `dom_on`
 * wrapped so an event handler's output and errors land beside the block that installed it).
 */
import { HostcallError, PythonError, pythonError } from "../bridge/errors.js";
import { WATCH } from "../bridge/hooks.js";
import { HOST_SETS } from "../web/host-functions/sets.js";
import { emit } from "./events.js";
import { blockError } from "./block-error.js";
import { elementFor } from "./render.js";

const DISPLAY = "hostcall_display"; // worker/python/hostcall/_display.py calls it
const ALL_SETS = Object.keys(HOST_SETS);

/**
 * A block as the page session runs it.
 * @typedef {{
 *   element: HTMLScriptElement,
 *   number: number,
 *   fileName: string,
 *   view: import("./render.js").BlockView,
 *   code: Promise<string>,
 *   config: Promise<Record<string, unknown> | undefined>,
 *   failed: (error: {type: string, message: string, traceback?: any[], line?: number | null}) => void,
 * }} Block
 */

export class PageSession {
  #env;
  #session;
  #init = null; // the promise of this env's init, once its first block asked for it
  #chain = Promise.resolve(); // the blocks, one after the other
  /** @type {Block[]} */ #handlerBlocks = []; // whose event handlers wait or run, oldest first
  #sets = new Set(); // the host sets registered for event handlers so far
  #lastBlock = null; // the block that ran last: a handler installed by a handler belongs to it

  /**
   * @param {string} env
   * @param {import("../bridge/session.js").Session} session
   */
  constructor(env, session) {
    this.#env = env;
    this.#session = session;
    session[WATCH]({
      progress: (loaded, total) => emit(document, "hostcall:progress", { env, loaded, total }),
      output: (stream, text, internal) => {
        if (internal) this.#handlerBlocks[0]?.view.write(stream, text);
      },
    });
  }

  get session() { return this.#session; }

  /**
   * Run `block` after the blocks queued before it; resolves (never rejects) once it has run
   * or failed, its event dispatched. `fallback` configures the session when the first block
   * has no `config` of its own (the bridge's script tag's).
   * @param {Block} block
   * @param {() => Promise<Record<string, unknown> | undefined>} fallback
   */
  add(block, fallback) {
    const run = this.#chain.then(() => this.#run(block, fallback));
    this.#chain = run;
    return run;
  }

  /** @param {Block} block */
  async #run(block, fallback) {
    try {
      const { element } = block;
      const sets = hostSetsOf(element);
      const config = await block.config;
      if (this.#init && config !== undefined) {
        throw blockError(`config: the ${this.#env} session is configured by its first block; `
          + "give config to that one (or env=\"...\" for a session of its own)");
      }
      await this.#ready(config ?? await fallback());
      const code = await block.code;
      this.#register(sets);
      this.#lastBlock = block;
      element.dataset.hostcallState = "running";
      const result = await this.#session.runWithHostFunctions(code, this.#functions(sets, () => block), {
        scriptName: block.fileName,
        onOutput: (stream, text) => block.view.write(stream, text),
      });
      if (!result.ok) return block.failed(result.error);
      element.dataset.hostcallState = "done";
      emit(element, "hostcall:done", { block: block.number, fileName: block.fileName, result });
    } catch (error) {
      block.failed(describe(error));
    }
  }

  /**
   * Load the session once, with `config` (the first block's); again after a crash or a
   * termination (a limit's watchdog), which took its worker and namespace with it.
   */
  async #ready(config) {
    this.#init ??= this.#load(config);
    await this.#init;
    if (!this.#session.discover().loaded) await this.#load(undefined);
  }

  /** Start the session's worker; `display` needs no import in a block. */
  async #load(config) {
    const info = await this.#session.init(config ?? {});
    // Not the blocks' time limit: a worker just restored from its snapshot may be slow to start.
    await this.#session.run("from hostcall import display", { scriptName: "<hostcall embed>", limits: { timeoutMs: null } });
    emit(document, "hostcall:ready", { env: this.#env, info });
  }

  /**
   * Event handlers run with the session's registered host functions: those of every set its
   * blocks asked for so far (a registered function is every later run's, so a block's
   * narrower `host=` cannot take back what an earlier block was given).
   */
  #register(sets) {
    if (sets.every((set) => this.#sets.has(set)) && this.#sets.size) return;
    for (const set of sets) this.#sets.add(set);
    this.#session.register(this.#functions([...this.#sets], () => this.#handlerBlocks[0] ?? this.#lastBlock));
  }

  /**
   * The host functions of `sets`, with `display` and `dom_on` answering for `blockNow()`.
   * @param {string[]} sets
   * @param {() => Block} blockNow
   */
  #functions(sets, blockNow) {
    const standard = this.#session.hostFunctions({ only: sets.flatMap((set) => HOST_SETS[set]) });
    const functions = {
      ...standard,
      [DISPLAY]: (kind, content, target, append) => {
        const where = typeof target === "string" ? elementFor(target, "display(): target") : target;
        if (where !== null && !(where instanceof Element)) throw pythonError("TypeError", "display(): target must be a CSS selector or an Element");
        blockNow().view.display(kind, content, where, append);
      },
    };
    if (standard.dom_on) {
      functions.dom_on = (...args) => {
        const block = blockNow();
        return standard.dom_on(...args.map((arg) => typeof arg === "function" ? this.#handler(arg, block) : arg));
      };
    }
    return functions;
  }

  /** A Python event handler whose output and errors belong to `block`. */
  #handler(handler, block) {
    return (...args) => {
      this.#handlerBlocks.push(block);
      return handler(...args).catch((error) => block.failed(describe(error))).finally(() => {
        this.#handlerBlocks.splice(this.#handlerBlocks.indexOf(block), 1);
      });
    };
  }
}

/**
 * The host sets `element`'s `host` attribute names (space- or comma-separated), all of them
 * without one; a BlockError naming the known sets for an unknown one.
 * @param {Element} element
 */
function hostSetsOf(element) {
  const value = element.getAttribute("host");
  if (value === null) return ALL_SETS;
  const sets = value.split(/[\s,]+/).filter(Boolean);
  const unknown = sets.filter((set) => !Object.hasOwn(HOST_SETS, set));
  if (unknown.length) {
    throw blockError(`host: unknown host function set ${unknown.map((set) => JSON.stringify(set)).join(", ")}; `
      + `the sets are ${ALL_SETS.join(", ")}`);
  }
  return sets;
}

/** An error of any kind as a block shows it: `{type, message, traceback, line}`. */
function describe(error) {
  if (error instanceof PythonError) {
    return { type: error.type, message: error.pythonMessage, traceback: error.traceback, line: error.line };
  }
  if (error instanceof HostcallError) return { type: "HostcallError", code: error.code, message: error.message, traceback: [], line: null };
  return { type: error?.name ?? "Error", message: error?.message ?? String(error), traceback: [], line: null };
}
