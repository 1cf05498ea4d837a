/** The message types of the bridge <-> worker protocol (docs/protocol.md, "Messages"). */

/** Message types, bridge -> worker and worker -> bridge (docs/protocol.md). */
export const MSG = Object.freeze({
  INIT: "init", RUN: "run", INVOKE: "invoke", REPLY: "reply", FORGET: "forget", INTERRUPT: "interrupt", // bridge -> worker
  READY: "ready", PROGRESS: "progress", OUTPUT: "output", CALL: "call",
  DONE: "done", FAILED: "failed", CRASHED: "crashed", // worker -> bridge
});
