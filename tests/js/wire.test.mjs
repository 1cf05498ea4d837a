/**
 * The JavaScript codecs against the shared wire vectors (tests/wire-vectors.json): bridge.js's
 * values in their JSON form (HostcallJSON: bytes inline) and its channel frames (HostcallWire),
 * and web/remote.js's websocket frames. tests/test_wire_vectors.py checks the Python codecs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { pack, unpack } from "../../web/remote.js";
import { loadBridge } from "./bridge.mjs";

const text = readFileSync(new URL("../wire-vectors.json", import.meta.url), "utf8");
const vectors = JSON.parse(text);
const TO = "the calling Python process"; // HostcallJSON's destination
const HEADER_BYTES = 64; // the channel's header, before its frame (bridge.js)

const page = loadBridge();
const { HostcallJSON } = page.context;
const { HostcallWire } = loadBridge({ worker: true }).context;

const cases = (section) => vectors[section].map((each, i) => ({ ...each, i })).filter((each) => !each.only || each.only.includes("js"));
const js = (each, direction) => (typeof each.js === "string" ? each.js : each.js?.[direction]);
const fromBase64 = (text) => new Uint8Array(Buffer.from(text, "base64"));
const fromHex = (hex) => new Uint8Array(Buffer.from(hex, "hex"));

/** What `fn` throws (it must throw). */
function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("it did not throw");
}

/**
 * A fresh copy (decoding works in place) of a case's wire, made in the page's realm from the
 * file's text: JSON.stringify would write the -0 of `-0.0` as 0.
 */
function wireInPage(section, i, key) {
  return page.parse(text)[section][i][key];
}

for (const each of cases("values")) {
  const wire = each.inline ?? each.wire; // HostcallJSON has no blob list: bytes go inline
  const key = each.inline ? "inline" : "wire";
  if (js(each, "encode") !== undefined) {
    test(`encodes ${each.name}`, () => {
      const encoded = HostcallJSON.encode(page.evaluate(js(each, "encode")), "value");
      assert.deepEqual(JSON.parse(JSON.stringify(encoded)), wire); // as the text carries it
    });
  }
  if (js(each, "decode") !== undefined) {
    test(`decodes ${each.name}`, () => {
      const decoded = HostcallJSON.decode(wireInPage("values", each.i, key));
      assert.deepEqual(decoded, page.evaluate(js(each, "decode"))); // NaN equals NaN, -0 is not 0
    });
  }
}

for (const each of cases("refusals").filter((refusal) => refusal.js)) {
  test(`refuses ${each.name}`, () => {
    const [expression, message] = each.js;
    const error = thrown(() => HostcallJSON.encode(page.evaluate(expression), "value"));
    assert.equal(error.code, "unserializable");
    assert.equal(error.message, message.replaceAll("{to}", TO));
  });
}

for (const each of cases("undecodable")) {
  test(`does not decode ${each.name}`, () => {
    const error = thrown(() => HostcallJSON.decode(wireInPage("undecodable", each.i, "wire")));
    assert.equal(error.code, "internal");
    assert.equal(error.message, each.message);
  });
}

// Every JavaScript writer takes the read_only cases too: it writes the text as UTF-8.
for (const each of cases("frames")) {
  const frame = fromHex(each.frame);
  const blobs = each.blobs.map(fromBase64);

  test(`the channel writes and reads ${each.name}`, () => {
    const channel = new SharedArrayBuffer(1 << 16, { maxByteLength: 1 << 30 });
    HostcallWire.writeFrame(channel, each.text, blobs);
    assert.deepEqual(new Uint8Array(channel, HEADER_BYTES, frame.length), frame);
    const read = HostcallWire.readFrame(channel);
    assert.equal(read.text, each.text);
    assert.deepEqual(Array.from(read.blobs, (blob) => Buffer.from(blob).toString("base64")), each.blobs);
  });

  test(`remote.js packs and unpacks ${each.name}`, () => {
    assert.deepEqual(pack(JSON.parse(each.text), blobs), frame);
    const { message, blobs: read } = unpack(frame.slice().buffer);
    assert.deepEqual(message, JSON.parse(each.text));
    assert.deepEqual(read.map((blob) => new Uint8Array(blob)), blobs);
  });
}

test("the vectors' depth is the deepest value HostcallJSON encodes", () => {
  const nested = (depth) => page.evaluate(`Array.from({length: ${depth}}).reduce((inner) => [inner], 1)`);
  HostcallJSON.encode(nested(vectors.max_depth), "value");
  assert.equal(thrown(() => HostcallJSON.encode(nested(vectors.max_depth + 1), "value")).code, "unserializable");
});

for (const each of cases("errors").filter((error) => error.js)) {
  test(`decodes the host error: ${each.name}`, () => {
    const decoded = HostcallJSON.decodeHostError(wireInPage("errors", each.i, each.inline ? "inline" : "wire"));
    assert.deepEqual(decoded, page.evaluate(each.js));
  });
}
