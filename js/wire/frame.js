/**
 * The atomics transport's shared call channel: its header slots and the one frame it holds
 * (docs/protocol.md, "The call channel").
 */

/**
 * The shared call channel (atomics transport): an Int32 header, then one frame.
 * The worker bumps REQUEST after writing a call; the page bumps REPLY after writing
 * the answer. Strict alternation means one frame area serves both directions.
 */
export const SLOT = Object.freeze({ REQUEST: 0, REPLY: 1, OUTPUT_SEQ: 2, INTERRUPT: 3 });
const HEADER_BYTES = 64;
const CHANNEL_BYTES = 1 << 16;
const CHANNEL_MAX_BYTES = 1 << 30;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A growable SharedArrayBuffer for the call channel. */
export function createChannel() {
  return new SharedArrayBuffer(CHANNEL_BYTES, { maxByteLength: CHANNEL_MAX_BYTES });
}

/** Typed views of a channel, made again only when it has grown. */
const channelViews = new WeakMap();

function viewsOf(sab) {
  let views = channelViews.get(sab);
  if (views?.byteLength !== sab.byteLength) {
    views = { byteLength: sab.byteLength, bytes: new Uint8Array(sab), words: new Uint32Array(sab) };
    channelViews.set(sab, views);
  }
  return views;
}

const TABLE = HEADER_BYTES / 4; // word index of the frame's table
const SHORT_TEXT = 2048;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * UTF-8 bytes of `text`, or null for short ASCII, which {@link putText} copies by hand:
 * TextEncoder costs microseconds per call, more than the rest of a host call's framing.
 */
function utf8(text) {
  return text.length <= SHORT_TEXT && ASCII.test(text) ? null : encoder.encode(text);
}

function putText(data, at, text, bytes) {
  if (bytes) return data.set(bytes, at); // encodeInto refuses shared views: encode, then copy
  for (let i = 0; i < text.length; i++) data[at + i] = text.charCodeAt(i);
}

function getText(data, at, length) {
  if (length <= SHORT_TEXT) {
    const view = data.subarray(at, at + length);
    if (view.every((byte) => byte < 128)) return String.fromCharCode.apply(null, view);
  }
  return decoder.decode(data.slice(at, at + length)); // decode refuses shared views
}

/**
 * Write `text` and `blobs` (Uint8Arrays) as one frame after the header:
 * [u32 textBytes][u32 blobCount][u32 blobBytes]* [text][blob]*.
 */
export function writeFrame(sab, text, blobs) {
  const bytes = utf8(text);
  const textBytes = bytes ? bytes.length : text.length;
  const dataStart = HEADER_BYTES + 8 + 4 * blobs.length;
  const size = blobs.reduce((sum, blob) => sum + blob.byteLength, dataStart + textBytes);
  if (size > CHANNEL_MAX_BYTES) throw new RangeError(`a frame of ${size} bytes exceeds the channel`);
  if (size > sab.byteLength) sab.grow(Math.min(CHANNEL_MAX_BYTES, 2 ** Math.ceil(Math.log2(size))));
  const { words, bytes: data } = viewsOf(sab);
  words[TABLE] = textBytes;
  words[TABLE + 1] = blobs.length;
  putText(data, dataStart, text, bytes);
  let at = dataStart + textBytes;
  blobs.forEach((blob, i) => {
    words[TABLE + 2 + i] = blob.byteLength;
    data.set(blob, at);
    at += blob.byteLength;
  });
}

/** Read the frame written by {@link writeFrame}; blobs are views valid until the next frame. */
export function readFrame(sab) {
  const { words, bytes: data } = viewsOf(sab);
  const textBytes = words[TABLE];
  const count = words[TABLE + 1];
  let at = HEADER_BYTES + 8 + 4 * count;
  const text = getText(data, at, textBytes);
  at += textBytes;
  const blobs = [];
  for (let i = 0; i < count; i++) {
    const size = words[TABLE + 2 + i];
    blobs.push(data.subarray(at, at + size));
    at += size;
  }
  return { text, blobs };
}
