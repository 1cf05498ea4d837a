/**
 * The websocket frame of server-side host functions (docs/protocol.md, "Remote host
 * functions"): one JSON message and its binary blobs, as server/hostcall/values.py packs them.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One frame: [u32 text][u32 count][u32 size]* [text][blob]*, little-endian. */
export function pack(message, blobs = []) {
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

/** Inverse of {@link pack}; `buffer` an ArrayBuffer (a websocket's binary message). */
export function unpack(buffer) {
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
