/**
 * Python in the page's own `<script type="text/python">` blocks (docs/embed.md): the boot,
 * the blocks present then and added later, and a session per `env` (the default one is
 * `Hostcall`'s own). The parts: blocks.js (finding them), source.js (their code and file
 * names), config.js, render.js (output and errors), page-session.js (running them), events.js.
 */
import { fail } from "../bridge/errors.js";
import { bridgeScript } from "../bridge/script-url.js";
import { Session } from "../bridge/session.js";
import { PYTHON_TYPES, blockKind, blocksIn, watchBlocks } from "./blocks.js";
import { configOf } from "./config.js";
import { emit } from "./events.js";
import { PageSession } from "./page-session.js";
import { blockError } from "./block-error.js";
import { BlockView, addStyle, elementFor, formatError } from "./render.js";
import { codeOf, fileNameOf } from "./source.js";

const DEFAULT_ENV = "default";

export class PageBlocks {
  #defaultSession;
  /** @type {Map<string, PageSession>} */ #envs = new Map();
  #seen = new WeakSet(); // blocks taken already (one moved in the page does not run again)
  #numbered = 0; // Python blocks found so far: block-N in file names
  #booted = null;
  #bridgeConfig = null; // the promise of the bridge tag's config, read once

  /** @param {Session} defaultSession `Hostcall`'s own: the default env's */
  constructor(defaultSession) {
    this.#defaultSession = defaultSession;
  }

  /** Boot at DOMContentLoaded (at once if it has passed), unless the bridge's tag says `data-boot="manual"`. */
  start() {
    if (bridgeScript?.dataset.boot === "manual") return;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => this.boot(), { once: true });
    else queueMicrotask(() => this.boot());
  }

  /**
   * Run the page's blocks, and those added later; resolves once every block present now has
   * run, with `{blocks, errors}` (the detail of `hostcall:all-done`). Once per page.
   * @returns {Promise<{blocks: number, errors: number}>}
   */
  boot() {
    this.#booted ??= this.#boot();
    return this.#booted;
  }

  async #boot() {
    const present = blocksIn().map((element) => this.#take(element));
    watchBlocks((element) => this.#take(element));
    const outcomes = await Promise.all(present);
    const summary = { blocks: outcomes.length, errors: outcomes.filter((ok) => !ok).length };
    emit(document, "hostcall:all-done", summary);
    return summary;
  }

  /** The session of `env` (made now if no block has named it yet). */
  session(env = DEFAULT_ENV) {
    if (typeof env !== "string" || !env) throw fail("invalid-argument", "session: the name of an env must be a non-empty string");
    return this.#env(env).session;
  }

  #env(env) {
    if (!this.#envs.has(env)) {
      const session = env === DEFAULT_ENV ? this.#defaultSession : new Session();
      this.#envs.set(env, new PageSession(env, session));
    }
    return this.#envs.get(env);
  }

  /**
   * Run one block (after those of its env found before it); resolves with whether it ran
   * without error. A block seen before resolves true and does nothing.
   * @param {Element} element
   */
  async #take(element) {
    if (this.#seen.has(element)) return true;
    this.#seen.add(element);
    addStyle();
    const script = /** @type {HTMLScriptElement} */ (element);
    const python = blockKind(script) === "python";
    const number = python ? ++this.#numbered : null;
    const fileName = python ? fileNameOf(script, number) : null;
    let view = new BlockView(script, null);
    const failed = (error) => {
      script.dataset.hostcallState = "error";
      view.showError(error);
      console.error(`hostcall: a Python block failed\n${formatError(error)}`);
      emit(script, "hostcall:error", { block: number, fileName, error });
    };
    try {
      if (!python) {
        throw blockError(`type ${JSON.stringify(script.type)} is not a Python block type; `
          + `hostcall runs <script type="text/python"> (also ${PYTHON_TYPES.slice(1).join(", ")})`);
      }
      const target = script.getAttribute("target");
      if (target !== null) view = new BlockView(script, elementFor(target, "target"));
    } catch (error) {
      failed({ type: error.name === "ValueError" ? "BlockError" : error.name, message: error.message, traceback: [] });
      return false;
    }
    const env = script.getAttribute("env")?.trim() || DEFAULT_ENV;
    const block = { element: script, number, fileName, view, code: quiet(codeOf(script)), config: quiet(configOf(script)), failed };
    script.dataset.hostcallState = "queued";
    await this.#env(env).add(block, () => this.#configFor(env));
    return script.dataset.hostcallState === "done";
  }

  /** The default env's configuration when its first block has none: the bridge tag's. */
  #configFor(env) {
    if (env !== DEFAULT_ENV || !bridgeScript) return Promise.resolve(undefined);
    this.#bridgeConfig ??= configOf(bridgeScript).catch((error) => {
      throw blockError(`the bridge's config: ${error.message}`);
    });
    return this.#bridgeConfig;
  }
}

/** `promise`, marked handled: a block that fails before awaiting it reports no stray rejection. */
function quiet(promise) {
  promise.catch(() => {});
  return promise;
}
