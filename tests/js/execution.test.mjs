/**
 * The execution state machine (js/bridge/execution.js) and the handler race it settles
 * (js/bridge/host-calls.js's drive), under Node: no worker, no browser.
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import { Execution, PREEMPTED } from "../../js/bridge/execution.js";
import { drive } from "../../js/bridge/host-calls.js";

const call = (fn = "f") => ({ state: "pending", callId: 1, functionName: fn, args: [], kwargs: {} });
const execution = () => new Execution(7, { keptOutputChars: 100 });

/** An execution moved along `steps` (names of its transitions, with their arguments). */
function at(...steps) {
  const exec = execution();
  for (const [name, ...args] of steps) exec[name](...args);
  return exec;
}
const HELD = [["called"], ["hold", call(), 3]];
const PENDING = [...HELD, ["release", 3]];

/** Whether `promise` has settled, without waiting on the clock. */
async function settled(promise) {
  const mark = Symbol("unsettled");
  return (await Promise.race([promise.then(() => true, () => true), Promise.resolve(mark)])) !== mark;
}

test("every legal transition reaches the state it names", () => {
  const cases = [
    [[], "running"],
    [[["called"]], "serving"],
    [[["called"], ["served"]], "running"],
    [HELD, "held"],
    [PENDING, "pending"],
    [[...PENDING, ["answer"]], "running"],
    [[...HELD, ["preempt"]], "running"],
    [[...PENDING, ["preempt"]], "running"],
    [[["complete", { state: "complete" }]], "ended"],
    [[["fail", new Error("x")]], "ended"],
    ...[[], [["called"]], HELD, PENDING].map((steps) => [[...steps, ["shutDown", new Error("gone")]], "ended"]),
  ];
  for (const [steps, state] of cases) {
    const exec = at(...steps);
    exec.next.catch(() => {});
    assert.equal(exec.state, state, steps.map(([name]) => name).join(" → "));
  }
});

test("an illegal transition throws an internal error and changes nothing", () => {
  const illegal = [
    [[], "answer"], [[], "hold", call(), 0], [[], "served"], [[], "preempt"],
    [[["called"]], "called"], [[["called"]], "answer"], [[["called"]], "complete", {}],
    [HELD, "answer"], [HELD, "served"], [HELD, "fail", new Error("x")],
    [PENDING, "called"], [PENDING, "complete", {}], [PENDING, "hold", call(), 0],
    [[["complete", {}]], "called"], [[["complete", {}]], "shutDown", new Error("x")], [[["complete", {}]], "complete", {}],
  ];
  for (const [steps, name, ...args] of illegal) {
    const exec = at(...steps);
    const before = exec.state;
    assert.throws(() => exec[name](...args), (error) => error.name === "HostcallError" && error.code === "internal"
      && error.message === `execution 7: no way from ${before} to ${error.message.split(" to ").at(-1)}`, `${before}: ${name}`);
    assert.equal(exec.state, before);
  }
});

test("a held call becomes pending only once the output before it has arrived", async () => {
  const exec = at(...HELD);
  exec.release(2); // output up to 2 of 3
  assert.equal(exec.state, "held");
  assert.equal(exec.pending, null);
  assert.equal(await settled(exec.next), false);
  exec.release(3);
  assert.equal(exec.state, "pending");
  assert.deepEqual(await exec.next, call());
  assert.equal(exec.pending, await exec.next);
  const running = execution();
  running.release(99); // output while running changes nothing
  assert.equal(running.state, "running");
});

test("answering a pending call hands the next state to a fresh promise", async () => {
  const exec = at(...PENDING);
  const first = exec.next;
  const next = exec.answer();
  assert.notEqual(next, first);
  assert.equal(exec.next, next);
  assert.equal(exec.pending, null);
  exec.complete({ state: "complete", ok: true });
  assert.deepEqual(await next, { state: "complete", ok: true });
  await exec.ended;
});

test("the clock pauses from a call's arrival to its answer", () => {
  const exec = execution();
  assert.equal(exec.paused, false);
  exec.called();
  assert.equal(exec.paused, true);
  exec.served();
  assert.equal(exec.paused, false);
  for (const end of ["answer", "preempt"]) {
    const other = at(...PENDING);
    other[end]();
    assert.equal(other.paused, false, end);
  }
});

test("preempting a pending call settles `preempted` and moves on to a fresh one", async () => {
  const exec = at(...PENDING);
  const { preempted, next } = exec;
  exec.preempt();
  assert.equal(await preempted, PREEMPTED);
  assert.notEqual(exec.preempted, preempted);
  assert.equal(await settled(exec.preempted), false, "the next call's preemption is still open");
  assert.notEqual(exec.next, next);
  assert.equal(exec.pending, null);
});

test("preempting a held call keeps its waiter: whoever awaits it gets the next state", async () => {
  const exec = at(...HELD);
  const { preempted, next } = exec;
  exec.preempt();
  assert.equal(exec.next, next);
  assert.equal(await settled(preempted), false, "no handler saw the held call");
  exec.complete({ state: "complete", ok: true });
  assert.deepEqual(await next, { state: "complete", ok: true });
});

test("a late handler's answer is ignored once interrupt() preempted its call", async () => {
  const exec = at(...PENDING);
  let finish;
  const handler = () => new Promise((resolve) => { finish = resolve; });
  const answered = [];
  const driver = { current: () => exec, resume: (value) => answered.push(value), resumeWithError: (error) => answered.push(error) };
  const driven = drive(exec.next, { f: handler }, driver);
  await Promise.resolve();
  exec.preempt(); // interrupt() answered the call while the handler ran
  exec.complete({ state: "complete", ok: false, error: { type: "KeyboardInterrupt" } });
  assert.deepEqual(await driven, { state: "complete", ok: false, error: { type: "KeyboardInterrupt" } });
  finish("late");
  await Promise.resolve();
  assert.deepEqual(answered, []);
});

test("a handler's answer goes to resume while its call is still pending", async () => {
  const exec = at(...PENDING);
  const driver = {
    current: () => exec,
    resume: (value) => {
      const next = exec.answer();
      exec.complete({ state: "complete", ok: true, value });
      return next;
    },
    resumeWithError: () => assert.fail("the handler did not throw"),
  };
  assert.deepEqual(await drive(exec.next, { f: async () => 42 }, driver), { state: "complete", ok: true, value: 42 });
});

test("a shutdown while pending fails the execution for whoever follows it, and stops the handler's wait", async () => {
  const exec = at(...PENDING);
  const { preempted } = exec;
  const gone = new Error("gone");
  const driver = { current: () => exec, resume: () => assert.fail("no answer"), resumeWithError: () => assert.fail("no answer") };
  const driven = drive(exec.next, { f: () => new Promise(() => {}) }, driver);
  await Promise.resolve();
  exec.shutDown(gone);
  assert.equal(await preempted, PREEMPTED);
  await assert.rejects(driven, gone);
  await assert.rejects(exec.next, gone);
  await exec.ended;
  assert.equal(exec.pending, null);
});

test("a shutdown while held rejects the state its caller awaits", async () => {
  const exec = at(...HELD);
  const { next } = exec;
  exec.shutDown(new Error("gone"));
  await assert.rejects(next, /gone/);
  exec.release(3); // output arriving afterwards changes nothing
  assert.equal(exec.state, "ended");
  await exec.ended;
});

test("a failed execution rejects its state and ends", async () => {
  const exec = execution();
  exec.fail(new Error("refused"));
  await assert.rejects(exec.next, /refused/);
  await exec.ended;
});

test("kept output keeps the start of both streams and counts the rest", () => {
  const exec = execution(); // keeps 100 code units
  exec.output.keep("stdout", "a".repeat(60));
  exec.output.keep("stderr", "b".repeat(30));
  exec.output.keep("stdout", `${"c".repeat(9)}\ud83d\ude00`); // the cut would split the emoji
  exec.output.keep("stderr", "d");
  assert.equal(exec.output.collected("stdout"), `${"a".repeat(60)}${"c".repeat(9)}\n[hostcall: 2 more characters of stdout not kept (keptOutputChars=100); onOutput received them all]\n`);
  assert.equal(exec.output.collected("stderr"), `${"b".repeat(30)}\n[hostcall: 1 more characters of stderr not kept (keptOutputChars=100); onOutput received them all]\n`);
});
