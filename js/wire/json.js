/** The value codec in its JSON form, for tooling outside the public bundle (the headless driver). */
import { OUTSIDE_PEER, decodeValue, encoding, toWire } from "./values.js";

/**
 * The codec in its JSON form, for hostcall's headless driver (server/hostcall/headless/page.js):
 * bytes inline as base64, no page objects, values in the form of server/hostcall/values.py.
 */
export const jsonCodec = Object.freeze({
  encode: (value, path) => encoding({ to: "the calling Python process", inline: true }, (context) => toWire(value, path, context)).wire,
  decode: (wire) => decodeValue(wire, [], OUTSIDE_PEER),
});
