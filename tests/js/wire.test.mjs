/**
 * The JavaScript codecs against the shared wire vectors (tests/wire-vectors.json): the values
 * codec in its JSON form (js/wire/json.js: bytes inline), the channel frames (js/wire/frame.js)
 * and the websocket frames of server-side host functions (js/wire/remote-frame.js).
 * tests/test_wire_vectors.py checks the Python codecs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { readFrame, writeFrame } from "../../js/wire/frame.js";
import { decodeHostError } from "../../js/wire/host-errors.js";
import { jsonCodec } from "../../js/wire/json.js";
import { pack, unpack } from "../../js/wire/remote-frame.js";
import { Tuple, namesEitherSide } from "../../js/wire/values.js";

// Uint8Array's base64 methods are Chromium's (and Node 25's); older Nodes get these.
Uint8Array.fromBase64 ??= (text) => new Uint8Array(Buffer.from(text, "base64"));
Uint8Array.prototype.toBase64 ??= function () { return Buffer.from(this).toString("base64"); };

const text = readFileSync(new URL("../wire-vectors.json", import.meta.url), "utf8");
const vectors = JSON.parse(text);
const TO = "the calling Python process"; // the JSON form's destination
const HEADER_BYTES = 64; // the channel's header, before its frame (js/wire/frame.js)

const cases = (section) => vectors[section].map((each, i) => ({ ...each, i })).filter((each) => !each.only || each.only.includes("js"));
const js = (each, direction) => (typeof each.js === "string" ? each.js : each.js?.[direction]);
const fromBase64 = (text) => new Uint8Array(Buffer.from(text, "base64"));
const fromHex = (hex) => new Uint8Array(Buffer.from(hex, "hex"));

/** The value of a case's JavaScript expression, which names the public API as `Hostcall`. */
const evaluate = (expression) => new Function("Hostcall", `return (${expression});`)({ Tuple });

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
 * A fresh copy (decoding works in place) of a case's wire, parsed from the file's text:
 * JSON.stringify would write the -0 of `-0.0` as 0.
 */
function freshWire(section, i, key) {
  return JSON.parse(text)[section][i][key];
}

for (const each of cases("values")) {
  const wire = each.inline ?? each.wire; // the JSON form has no blob list: bytes go inline
  const key = each.inline ? "inline" : "wire";
  if (js(each, "encode") !== undefined) {
    test(`encodes ${each.name}`, () => {
      const encoded = jsonCodec.encode(evaluate(js(each, "encode")), "value");
      assert.deepEqual(JSON.parse(JSON.stringify(encoded)), wire); // as the text carries it
    });
  }
  if (js(each, "decode") !== undefined) {
    test(`decodes ${each.name}`, () => {
      const decoded = jsonCodec.decode(freshWire("values", each.i, key));
      assert.deepEqual(decoded, evaluate(js(each, "decode"))); // NaN equals NaN, -0 is not 0
    });
  }
}

for (const each of cases("refusals").filter((refusal) => refusal.js)) {
  test(`refuses ${each.name}`, () => {
    const [expression, message] = each.js;
    const error = thrown(() => jsonCodec.encode(evaluate(expression), "value"));
    assert.equal(error.code, "unserializable");
    assert.equal(error.message, message.replaceAll("{to}", TO));
  });
}

for (const each of cases("undecodable")) {
  test(`does not decode ${each.name}`, () => {
    const error = thrown(() => jsonCodec.decode(freshWire("undecodable", each.i, "wire")));
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
    writeFrame(channel, each.text, blobs);
    assert.deepEqual(new Uint8Array(channel, HEADER_BYTES, frame.length), frame);
    const read = readFrame(channel);
    assert.equal(read.text, each.text);
    assert.deepEqual(Array.from(read.blobs, (blob) => Buffer.from(blob).toString("base64")), each.blobs);
  });

  test(`remote-frame.js packs and unpacks ${each.name}`, () => {
    assert.deepEqual(pack(JSON.parse(each.text), blobs), frame);
    const { message, blobs: read } = unpack(frame.slice().buffer);
    assert.deepEqual(message, JSON.parse(each.text));
    assert.deepEqual(read.map((blob) => new Uint8Array(blob)), blobs);
  });
}

test("the vectors' depth is the deepest value the JSON form encodes", () => {
  const nested = (depth) => evaluate(`Array.from({length: ${depth}}).reduce((inner) => [inner], 1)`);
  jsonCodec.encode(nested(vectors.max_depth), "value");
  assert.equal(thrown(() => jsonCodec.encode(nested(vectors.max_depth + 1), "value")).code, "unserializable");
});

for (const each of cases("errors").filter((error) => error.js)) {
  test(`decodes the host error: ${each.name}`, () => {
    const decoded = decodeHostError(freshWire("errors", each.i, each.inline ? "inline" : "wire"), []);
    assert.deepEqual(decoded, evaluate(each.js));
  });
}

test("only a wire value free of either side's objects can pass through the page encoded", () => {
  const handle = { $hc: "handle", id: 1 };
  const callable = { $hc: "callable", id: 2, name: "f" };
  const iterator = { $hc: "iterator", id: 3 };
  const data = [1, "handle", { $hc: "tuple", v: [{ $hc: "bytes", i: 0 }] }, { $hc: "map", v: [[{ $hc: "int", v: "9007199254740993" }, null]] }];
  assert.equal(namesEitherSide(data), false);
  assert.equal(namesEitherSide({ kind: "handle", id: 1 }), false); // a dict, not a tag
  for (const named of [handle, callable, iterator]) {
    assert.equal(namesEitherSide(named), true);
    assert.equal(namesEitherSide([data, { x: { $hc: "set", v: [named] } }]), true);
    assert.equal(namesEitherSide({ $hc: "map", v: [[{ $hc: "tuple", v: [named] }, 1]] }), true);
  }
});
