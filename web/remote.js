// Generated from js/web/remote/index.js by scripts/build; do not edit.

// js/wire/remote-frame.js
var encoder = new TextEncoder();
var decoder = new TextDecoder();
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

// js/bridge/errors.js
function pythonError(type, message) {
  return Object.assign(new Error(message), { name: type });
}

// js/web/remote/connection.js
var CLOSE_NAMES = {
  1009: "the message was larger than the server accepts",
  4400: "the server did not understand a message",
  4401: "the server does not know this session (a bad token, or the server restarted: calls in flight may or may not have run)",
  4403: "the server does not accept this page's origin",
  4409: "another connection with this session's token replaced this one"
};
var UNKNOWN_SESSION = 4401;
var FIRST_RETRY_MS = 100;
var MAX_RETRY_MS = 5e3;
var ACK_AFTER_MS = 1e3;
var MAX_PATIENCE = 8;
var Remote = class {
  #base;
  #token;
  // null once the server has forgotten the session, until a new one is issued
  #renew;
  #timing;
  // {giveUpAfterMs, heartbeatMs, heartbeatTimeoutMs}
  #codec;
  #socket = null;
  // the welcomed socket, while connected
  #pending = /* @__PURE__ */ new Map();
  // call id -> {name, frame, sent, resolve, reject}
  #functions = [];
  #maxBytes = Infinity;
  #closed = false;
  #acks = [];
  // ids of results received, not yet acknowledged
  #ackTimer = null;
  #downSince = null;
  #retries = 0;
  #heartbeat = null;
  // the interval that pings the welcomed socket
  #deadline = null;
  // set while a ping has had no answer: it declares the link dead
  #patience = 1;
  // times heartbeatTimeoutMs: doubles after each link given up on, a pong resets it
  constructor(base, token, renew, timing, codec) {
    this.#base = base;
    this.#token = token;
    this.#renew = renew;
    this.#timing = timing;
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
      handler[this.#codec.KWARGS] = true;
      Object.defineProperty(handler, this.#codec.RELAY, { value: (call) => this.#relay(name, call) });
      handlers[name] = handler;
    }
    const remote = this;
    return Object.freeze({
      handlers: Object.freeze(handlers),
      functions: this.#functions,
      close: () => this.#close(),
      get connected() {
        return remote.#socket !== null;
      }
    });
  }
  /**
   * Connect and say hello; resolves at the welcome, rejects with the close event (or one
   * like it) before it. A welcome that does not come within the heartbeat timeout counts as
   * a failed connection: a link that swallows packets never closes by itself.
   */
  #dial() {
    const url = new URL("ws", this.#base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      const timeoutMs = this.#timing.heartbeatTimeoutMs;
      const timer = setTimeout(() => {
        abandon(socket);
        reject({ code: 1006, reason: `no welcome within ${timeoutMs} ms` });
      }, timeoutMs);
      socket.onopen = () => socket.send(pack({ type: "hello", token: this.#token }));
      socket.onmessage = ({ data }) => {
        this.#heard();
        const { message, blobs } = unpack(data);
        if (message.type === "pong") {
          this.#patience = 1;
        } else if (message.type === "welcome") {
          clearTimeout(timer);
          this.#welcomed(socket, message);
          resolve();
        } else if (message.type === "result") {
          this.#settle(message, blobs);
        }
      };
      socket.onclose = (event) => {
        clearTimeout(timer);
        reject(event);
        if (this.#socket === socket) this.#lost(event);
      };
    });
  }
  #welcomed(socket, { functions, maxMessageBytes }) {
    if (this.#closed) return socket.close(1e3);
    this.#socket = socket;
    this.#functions = functions;
    this.#maxBytes = maxMessageBytes;
    this.#downSince = null;
    this.#retries = 0;
    for (const [id, call] of this.#pending) {
      if (call.frame.byteLength > this.#maxBytes) {
        this.#pending.delete(id);
        call.reject(tooBig(call.name, call.frame.byteLength, this.#maxBytes));
        continue;
      }
      socket.send(call.frame);
      call.sent = true;
    }
    this.#heartbeat = setInterval(() => this.#ping(socket), this.#timing.heartbeatMs);
  }
  /**
   * Browsers' websockets have no ping of their own, and TCP notices a link that swallows
   * packets only after minutes: the page pings, and a ping that gets no answer at all
   * (anything the server sends counts) within the timeout means the link is dead.
   *
   * A message arrives only whole, so a large result on a slow link is silence too, and the
   * pong waits behind it. The result is sent again on the next connection; were the timeout
   * the same, it would never arrive. So each link given up on doubles the timeout for the
   * next (up to MAX_PATIENCE times), until a pong shows the link caught up.
   */
  #ping(socket) {
    socket.send(pack({ type: "ping" }));
    const timeoutMs = this.#timing.heartbeatTimeoutMs * this.#patience;
    this.#deadline ??= setTimeout(() => {
      this.#deadline = null;
      if (this.#socket !== socket) return;
      this.#patience = Math.min(MAX_PATIENCE, this.#patience * 2);
      abandon(socket);
      this.#lost({ code: 1006, reason: `no answer to a heartbeat within ${timeoutMs} ms` });
    }, timeoutMs);
  }
  #heard() {
    clearTimeout(this.#deadline);
    this.#deadline = null;
  }
  #stopHeartbeat() {
    clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    this.#heard();
  }
  /** The welcomed socket closed or died: reconnect, unless the server said not to or we gave up. */
  #lost(event) {
    this.#socket = null;
    this.#stopHeartbeat();
    if (this.#closed) return;
    if (CLOSE_NAMES[event.code]) return this.#fail(describeClose(event));
    this.#downSince ??= performance.now();
    this.#retry(describeClose(event));
  }
  #retry(why) {
    const { giveUpAfterMs } = this.#timing;
    if (performance.now() - this.#downSince > giveUpAfterMs) {
      return this.#fail(`the server could not be reached again within ${giveUpAfterMs} ms (last: ${why})`);
    }
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.#retries++) * (0.5 + Math.random() / 2);
    setTimeout(() => {
      if (this.#closed) return;
      this.#redial().catch((failure) => this.#redialFailed(failure));
    }, delay);
  }
  async #redial() {
    this.#token ??= await this.#renew();
    await this.#dial();
  }
  /** `failure`: a close event before the welcome, or the error of getting a new token. */
  #redialFailed(failure) {
    if (this.#closed) return;
    if (failure.code === UNKNOWN_SESSION && this.#renew) {
      this.#forgotten();
      return this.#retry(describeClose(failure));
    }
    if (CLOSE_NAMES[failure.code]) return this.#fail(describeClose(failure));
    this.#retry(failure instanceof Error ? failure.message : describeClose(failure));
  }
  /**
   * The server no longer knows the session (it restarted, or forgot it): calls it was sent
   * may or may not have run, so they fail; calls never sent go to the next session.
   */
  #forgotten() {
    this.#token = null;
    this.#retries = 0;
    const why = describeClose({ code: UNKNOWN_SESSION, reason: "" });
    for (const [id, call] of this.#pending) {
      if (!call.sent) continue;
      this.#pending.delete(id);
      call.reject(pythonError("ConnectionError", why));
    }
    this.#acks = [];
  }
  /** A call made with JavaScript values (by a wrapper, or the page's own code): encoded here, the result decoded. */
  #call(name, args, kwargs) {
    this.#assertOpen(name);
    let encoded;
    try {
      encoded = this.#codec.encodeArguments(name, args, kwargs);
    } catch (error) {
      throw pythonError("TypeError", error.message);
    }
    return this.#send(name, encoded.wire, encoded.blobs).then(({ ok, value, error, blobs }) => {
      if (ok) return this.#codec.decodeValue(value, blobs);
      throw Object.assign(pythonError(error.type, error.message), { [this.#codec.HOST_ERROR]: this.#codec.decodeHostError(error, blobs) });
    });
  }
  /**
   * The bridge's relay (`RELAY`): a call as the worker encoded it, `{args, kwargs, blobs}`,
   * goes into the frame as it is (its blob indexes are the frame's); resolves with the
   * result as it came, `{ok, value | error, blobs}`.
   */
  #relay(name, { args, kwargs, blobs }) {
    this.#assertOpen(name);
    return this.#send(name, { args, kwargs }, blobs).then((result) => ({
      ...result,
      blobs: result.blobs.map((blob) => blob.slice())
      // views of one frame: each its own buffer, for the worker
    }));
  }
  #assertOpen(name) {
    if (this.#closed) throw pythonError("ConnectionError", `${name}(): the connection to the server is closed`);
  }
  /** Send a call, its values encoded; resolves with its result message, `{ok, value | error, blobs}`. */
  #send(name, { args, kwargs }, blobs) {
    const id = crypto.randomUUID();
    const message = { type: "call", id, name, args, kwargs };
    let frame = pack({ ...message, acks: this.#acks }, blobs);
    if (frame.byteLength > this.#maxBytes) frame = pack(message, blobs);
    else this.#acks = [];
    if (frame.byteLength > this.#maxBytes) throw tooBig(name, frame.byteLength, this.#maxBytes);
    return new Promise((resolve, reject) => {
      const call = { name, frame, sent: this.#socket !== null, resolve, reject };
      this.#pending.set(id, call);
      this.#socket?.send(frame);
    });
  }
  #settle({ id, ok, value, error }, blobs) {
    const call = this.#pending.get(id);
    this.#acknowledge(id);
    if (!call) return;
    this.#pending.delete(id);
    call.resolve({ ok, value, error, blobs });
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
    for (const { reject } of pending) reject(pythonError("ConnectionError", why));
  }
  #close() {
    if (this.#closed) return;
    this.#fail("the page closed the connection to the server");
    this.#stopHeartbeat();
    this.#socket?.close(1e3);
  }
};
function abandon(socket) {
  socket.onopen = socket.onmessage = socket.onclose = null;
  socket.close();
}
function tooBig(name, bytes, maxBytes) {
  return pythonError("ValueError", `${name}(): the call takes ${bytes} bytes, more than the server accepts (${maxBytes})`);
}
function describeClose(event) {
  const why = CLOSE_NAMES[event.code] ?? "the connection failed";
  return `${why} (close code ${event.code}${event.reason ? `: ${event.reason}` : ""})`;
}

// js/web/remote/index.js
var GIVE_UP_MS = 3e4;
var HEARTBEAT_MS = 5e3;
var HEARTBEAT_TIMEOUT_MS = 15e3;
async function connect(url, options, codec) {
  if (typeof url !== "string" && !(url instanceof URL)) throw codec.fail("invalid-argument", "connect: url must be a string");
  if (options === null || typeof options !== "object") throw codec.fail("invalid-argument", "connect: options must be an object");
  const {
    token,
    giveUpAfterMs = GIVE_UP_MS,
    heartbeatMs = HEARTBEAT_MS,
    heartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS
  } = options;
  if (token !== void 0 && typeof token !== "string" && typeof token !== "function") {
    throw codec.fail("invalid-argument", "connect: token must be a string, or a function that returns one");
  }
  if (!(giveUpAfterMs >= 0)) throw codec.fail("invalid-argument", "connect: giveUpAfterMs must be a number of milliseconds");
  for (const [key, value] of Object.entries({ heartbeatMs, heartbeatTimeoutMs })) {
    if (!(Number.isFinite(value) && value > 0)) throw codec.fail("invalid-argument", `connect: ${key} must be a positive number of milliseconds`);
  }
  const base = new URL(String(url).replace(/\/?$/, "/"), location.href);
  const renew = typeof token === "function" ? () => checkToken(token(), codec) : token === void 0 ? () => issueToken(base, heartbeatTimeoutMs, codec) : null;
  const first = typeof token === "string" ? token : await renew();
  const remote = new Remote(base, first, renew, { giveUpAfterMs, heartbeatMs, heartbeatTimeoutMs }, codec);
  await remote.open();
  return remote.api();
}
async function checkToken(token, codec) {
  const value = await token;
  if (typeof value !== "string") throw codec.fail("invalid-argument", "connect: the token function must return a string");
  return value;
}
async function issueToken(base, timeoutMs, codec) {
  let response;
  try {
    response = await fetch(new URL("session", base), { method: "POST", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw codec.fail("remote-refused", `connect: the server could not be reached: ${error.message}`);
  }
  if (!response.ok) throw codec.fail("remote-refused", `connect: the server refused a session (HTTP ${response.status}): ${await refusal(response)}`);
  return (await response.json()).token;
}
async function refusal(response) {
  const text = await response.text();
  try {
    return JSON.parse(text).message ?? text;
  } catch {
    return text;
  }
}
export {
  connect
};
