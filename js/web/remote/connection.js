/**
 * One connection to a server's host functions (docs/remote.md), and what keeps it exactly
 * once: every call gets an id and stays here until its result arrives. When the connection
 * drops, the page reconnects (backing off) and sends every unanswered call again; the server
 * answers a call it has seen from its record instead of running it twice. A link that goes
 * silent without closing is found by a heartbeat (ping, pong) and treated as a drop; a server
 * that forgot the session (it restarted) is given a new one, failing only the calls it may or
 * may not have run.
 */
import { pack, unpack } from "../../wire/remote-frame.js";
import { pythonError } from "../../bridge/errors.js";

const CLOSE_NAMES = {
  1009: "the message was larger than the server accepts",
  4400: "the server did not understand a message",
  4401: "the server does not know this session (a bad token, or the server restarted: "
    + "calls in flight may or may not have run)",
  4403: "the server does not accept this page's origin",
  4409: "another connection with this session's token replaced this one",
};
const UNKNOWN_SESSION = 4401;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;
const ACK_AFTER_MS = 1000; // acknowledgements ride on the next call, or go alone this much later
const MAX_PATIENCE = 8; // the heartbeat timeout grows up to this many times after false alarms

/** The page's end of one session: its websocket, its calls in flight, its handlers. */
export class Remote {
  #base;
  #token; // null once the server has forgotten the session, until a new one is issued
  #renew;
  #timing; // {giveUpAfterMs, heartbeatMs, heartbeatTimeoutMs}
  #codec;
  #socket = null; // the welcomed socket, while connected
  #pending = new Map(); // call id -> {name, frame, sent, resolve, reject}
  #functions = [];
  #maxBytes = Infinity;
  #closed = false;
  #acks = []; // ids of results received, not yet acknowledged
  #ackTimer = null;
  #downSince = null;
  #retries = 0;
  #heartbeat = null; // the interval that pings the welcomed socket
  #deadline = null; // set while a ping has had no answer: it declares the link dead
  #patience = 1; // times heartbeatTimeoutMs: doubles after each link given up on, a pong resets it

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
      handler[this.#codec.KWARGS] = true; // kwargs stay kwargs on the server
      // The bridge hands Python's calls to this one still encoded, and takes the server's
      // answer so: the values pass through the page undecoded. Not enumerable, so that a
      // wrapper made with Object.assign is called with values, as before.
      Object.defineProperty(handler, this.#codec.RELAY, { value: (call) => this.#relay(name, call) });
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
          this.#patience = 1; // everything the server sent before it has arrived
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
    if (this.#closed) return socket.close(1000); // closed by the page while this one dialled
    this.#socket = socket;
    this.#functions = functions;
    this.#maxBytes = maxMessageBytes;
    this.#downSince = null;
    this.#retries = 0;
    for (const [id, call] of this.#pending) { // unanswered: again
      if (call.frame.byteLength > this.#maxBytes) { // a server that now takes less
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
    this.#acks = []; // results of a session that is gone
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
      blobs: result.blobs.map((blob) => blob.slice()), // views of one frame: each its own buffer, for the worker
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
    if (frame.byteLength > this.#maxBytes) frame = pack(message, blobs); // the acks go alone, later
    else this.#acks = [];
    if (frame.byteLength > this.#maxBytes) throw tooBig(name, frame.byteLength, this.#maxBytes);
    return new Promise((resolve, reject) => {
      const call = { name, frame, sent: this.#socket !== null, resolve, reject };
      this.#pending.set(id, call);
      this.#socket?.send(frame); // else sent at the next welcome
    });
  }

  #settle({ id, ok, value, error }, blobs) {
    const call = this.#pending.get(id);
    this.#acknowledge(id); // the server may forget it now
    if (!call) return; // answered already: a result sent again after a reconnect
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
    this.#socket?.close(1000);
  }
}

/** Give up on a socket that may never close by itself: nothing it says counts any more. */
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
