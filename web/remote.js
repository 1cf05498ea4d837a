/**
 * Server-side host functions, the page's end (docs/remote.md): one websocket to a server's
 * `hostcall.remote.HostFunctions`, and one handler per function it offers. `Hostcall.connect`
 * loads this module and hands it the bridge's value codec.
 *
 * Exactly once: every call gets an id and stays here until its result arrives. When the
 * connection drops, the page reconnects (backing off) and sends every unanswered call again;
 * the server answers a call it has seen from its record instead of running it twice.
 */

const CLOSE_NAMES = {
  1009: "the message was larger than the server accepts",
  4400: "the server did not understand a message",
  4401: "the server does not know this session (a bad token, or the server restarted: "
    + "calls in flight may or may not have run)",
  4403: "the server does not accept this page's origin",
};
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;
const GIVE_UP_MS = 30_000;
const ACK_AFTER_MS = 1000; // acknowledgements ride on the next call, or go alone this much later

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Open a connection; resolves with `{handlers, functions, close(), connected}` once welcomed. */
export async function connect(url, options, codec) {
  if (typeof url !== "string" && !(url instanceof URL)) throw codec.fail("invalid-argument", "connect: url must be a string");
  if (options === null || typeof options !== "object") throw codec.fail("invalid-argument", "connect: options must be an object");
  const { token, giveUpAfterMs = GIVE_UP_MS } = options;
  if (token !== undefined && typeof token !== "string") throw codec.fail("invalid-argument", "connect: token must be a string");
  if (!(giveUpAfterMs >= 0)) throw codec.fail("invalid-argument", "connect: giveUpAfterMs must be a number of milliseconds");
  const base = new URL(String(url).replace(/\/?$/, "/"), location.href);
  const remote = new Remote(base, token ?? await issueToken(base, codec), giveUpAfterMs, codec);
  await remote.open();
  return remote.api();
}

async function issueToken(base, codec) {
  let response;
  try {
    response = await fetch(new URL("session", base), { method: "POST" });
  } catch (error) {
    throw codec.fail("remote-refused", `connect: the server could not be reached: ${error.message}`);
  }
  if (!response.ok) throw codec.fail("remote-refused", `connect: the server refused a session: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}

class Remote {
  #base;
  #token;
  #giveUpAfterMs;
  #codec;
  #socket = null; // the welcomed socket, while connected
  #pending = new Map(); // call id -> {frame, resolve, reject}
  #functions = [];
  #maxBytes = Infinity;
  #closed = false;
  #acks = []; // ids of results received, not yet acknowledged
  #ackTimer = null;
  #downSince = null;
  #retries = 0;

  constructor(base, token, giveUpAfterMs, codec) {
    this.#base = base;
    this.#token = token;
    this.#giveUpAfterMs = giveUpAfterMs;
    this.#codec = codec;
  }

  /** The first connection: a refusal rejects `connect()`. */
  open() {
    return this.#dial().catch((event) => {
      this.#closed = true;
      throw this.#codec.fail("remote-refused", `connect: ${describeClose(event)}`);
    });
  }

  api() {
    const handlers = {};
    for (const { name } of this.#functions) {
      const handler = (args, kwargs) => this.#call(name, args, kwargs);
      handler[this.#codec.KWARGS] = true; // kwargs stay kwargs on the server
      handlers[name] = handler;
    }
    const remote = this;
    return Object.freeze({
      handlers: Object.freeze(handlers),
      functions: this.#functions,
      close: () => this.#close(),
      get connected() { return remote.#socket !== null; },
    });
  }

  /** Connect and say hello; resolves at the welcome, rejects with the close event before it. */
  #dial() {
    const url = new URL("ws", this.#base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      socket.onopen = () => socket.send(pack({ type: "hello", token: this.#token }));
      socket.onmessage = ({ data }) => {
        const { message, blobs } = unpack(data);
        if (message.type === "welcome") {
          this.#welcomed(socket, message);
          resolve();
        } else if (message.type === "result") {
          this.#settle(message, blobs);
        }
      };
      socket.onclose = (event) => {
        reject(event);
        if (this.#socket === socket) this.#lost(event);
      };
    });
  }

  #welcomed(socket, { functions, maxMessageBytes }) {
    this.#socket = socket;
    this.#functions = functions;
    this.#maxBytes = maxMessageBytes;
    this.#downSince = null;
    this.#retries = 0;
    for (const { frame } of this.#pending.values()) socket.send(frame); // unanswered: again
  }

  /** The welcomed socket closed: reconnect, unless the server said not to or we gave up. */
  #lost(event) {
    this.#socket = null;
    if (this.#closed) return;
    if (CLOSE_NAMES[event.code]) return this.#fail(describeClose(event));
    this.#downSince ??= performance.now();
    this.#retry();
  }

  #retry() {
    if (performance.now() - this.#downSince > this.#giveUpAfterMs) {
      return this.#fail(`the server could not be reached again within ${this.#giveUpAfterMs} ms`);
    }
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#retries++) * (0.5 + Math.random() / 2);
    setTimeout(() => {
      if (this.#closed) return;
      this.#dial().catch((event) => {
        if (this.#closed) return;
        if (CLOSE_NAMES[event.code]) return this.#fail(describeClose(event));
        this.#retry();
      });
    }, delay);
  }

  #call(name, args, kwargs) {
    if (this.#closed) throw named("ConnectionError", `${name}(): the connection to the server is closed`);
    let encoded;
    try {
      encoded = this.#codec.encodeArguments(name, args, kwargs);
    } catch (error) {
      throw named("TypeError", error.message);
    }
    const id = crypto.randomUUID();
    const { wire, blobs } = encoded;
    const frame = pack({ type: "call", id, name, args: wire.args, kwargs: wire.kwargs, acks: this.#takeAcks() }, blobs);
    if (frame.byteLength > this.#maxBytes) {
      throw named("ValueError", `${name}(): the call takes ${frame.byteLength} bytes, more than the server accepts (${this.#maxBytes})`);
    }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { frame, resolve, reject });
      this.#socket?.send(frame); // else sent at the next welcome
    });
  }

  #settle({ id, ok, value, error }, blobs) {
    const call = this.#pending.get(id);
    this.#acknowledge(id); // the server may forget it now
    if (!call) return; // answered already: a result sent again after a reconnect
    this.#pending.delete(id);
    if (ok) call.resolve(this.#codec.decodeValue(value, blobs));
    else call.reject(Object.assign(named(error.type, error.message), { [this.#codec.HOST_ERROR]: this.#hostError(error, blobs) }));
  }

  /** A server function's exception as resumeWithError takes it: its args (a group's exceptions too) decoded. */
  #hostError({ args, exceptions, ...error }, blobs) {
    if (args) error.args = this.#codec.decodeValue(args, blobs);
    if (exceptions) error.exceptions = exceptions.map((each) => this.#hostError(each, blobs));
    return error;
  }

  #acknowledge(id) {
    this.#acks.push(id);
    this.#ackTimer ??= setTimeout(() => {
      this.#ackTimer = null;
      if (this.#acks.length) this.#socket?.send(pack({ type: "ack", ids: this.#takeAcks() }));
    }, ACK_AFTER_MS);
  }

  #takeAcks() {
    return this.#acks.splice(0);
  }

  #fail(why) {
    this.#closed = true;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending) reject(named("ConnectionError", why));
  }

  #close() {
    if (this.#closed) return;
    this.#fail("the page closed the connection to the server");
    this.#socket?.close(1000);
  }
}

function describeClose(event) {
  const why = CLOSE_NAMES[event.code] ?? "the connection failed";
  return `${why} (close code ${event.code}${event.reason ? `: ${event.reason}` : ""})`;
}

/** An error whose name is the Python exception it raises at the call. */
function named(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** One frame (server/hostcall/values.py): [u32 text][u32 count][u32 size]* [text][blob]*. */
function pack(message, blobs = []) {
  const text = encoder.encode(JSON.stringify(message));
  const head = 8 + 4 * blobs.length;
  const frame = new Uint8Array(blobs.reduce((sum, blob) => sum + blob.byteLength, head + text.length));
  const view = new DataView(frame.buffer);
  view.setUint32(0, text.length, true);
  view.setUint32(4, blobs.length, true);
  blobs.forEach((blob, i) => view.setUint32(8 + 4 * i, blob.byteLength, true));
  frame.set(text, head);
  let at = head + text.length;
  for (const blob of blobs) {
    frame.set(blob, at);
    at += blob.byteLength;
  }
  return frame;
}

function unpack(buffer) {
  const view = new DataView(buffer);
  const size = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  let at = 8 + 4 * count;
  const message = JSON.parse(decoder.decode(new Uint8Array(buffer, at, size)));
  at += size;
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(8 + 4 * i, true);
    blobs.push(new Uint8Array(buffer, at, length));
    at += length;
  }
  return { message, blobs };
}
