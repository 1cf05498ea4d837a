/**
 * Server-side host functions, the page's end (docs/remote.md): one websocket to a server's
 * `hostcall.remote.HostFunctions` (connection.js), and one handler per function it offers.
 * `Hostcall.connect` loads this module and hands it the bridge's value codec
 * (js/bridge/connect.js): handed, not imported, because this is a bundle of its own, and the
 * errors it throws and the markers it sets must be the very objects of the bridge.js the page
 * loaded. This file checks connect()'s options and gets the session's token.
 */
import { Remote } from "./connection.js";

const GIVE_UP_MS = 30_000;
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 15_000;

/** Open a connection; resolves with `{handlers, functions, close(), connected}` once welcomed. */
export async function connect(url, options, codec) {
  if (typeof url !== "string" && !(url instanceof URL)) throw codec.fail("invalid-argument", "connect: url must be a string");
  if (options === null || typeof options !== "object") throw codec.fail("invalid-argument", "connect: options must be an object");
  const {
    token, giveUpAfterMs = GIVE_UP_MS, heartbeatMs = HEARTBEAT_MS, heartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS,
  } = options;
  if (token !== undefined && typeof token !== "string" && typeof token !== "function") {
    throw codec.fail("invalid-argument", "connect: token must be a string, or a function that returns one");
  }
  if (!(giveUpAfterMs >= 0)) throw codec.fail("invalid-argument", "connect: giveUpAfterMs must be a number of milliseconds");
  for (const [key, value] of Object.entries({ heartbeatMs, heartbeatTimeoutMs })) {
    if (!(Number.isFinite(value) && value > 0)) throw codec.fail("invalid-argument", `connect: ${key} must be a positive number of milliseconds`);
  }
  const base = new URL(String(url).replace(/\/?$/, "/"), location.href);
  // Where a new session's token comes from, when the server has forgotten the last one.
  const renew = typeof token === "function" ? () => checkToken(token(), codec)
    : token === undefined ? () => issueToken(base, heartbeatTimeoutMs, codec) : null;
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

/** The reason in a refusal: the server's `{error, message}`, else the body as it came. */
async function refusal(response) {
  const text = await response.text();
  try {
    return JSON.parse(text).message ?? text;
  } catch {
    return text;
  }
}

