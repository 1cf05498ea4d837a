"""Calls in both directions and streams: the page calling Python, Python callables and
generators handed to the page, and page async iterables consumed from Python."""

from __future__ import annotations

from conftest import BridgePage

DEFINE = """
def add(a, b=10):
    return a + b

async def double_later(x):
    return 2 * x

def boom():
    raise ValueError("bad " + ask())

def produced():
    return len(log)
"""


def test_the_page_calls_a_python_function_defined_by_earlier_code(ready: BridgePage) -> None:
    result = ready.js(
        f"""async () => {{
            await Hostcall.run({DEFINE!r});
            return [
                await Hostcall.call("add", [1], {{kwargs: {{b: 2}}}}),
                await Hostcall.call("add", [1]),
                await Hostcall.call("double_later", [21]),
                await Hostcall.call("add", [[1], [2]]),
            ];
        }}"""
    )
    assert result == [3, 11, 42, [1, 2]]


def test_a_python_exception_rejects_with_its_type_message_and_traceback(
    ready: BridgePage,
) -> None:
    result = ready.js(
        f"""async () => {{
            await Hostcall.run({DEFINE!r});
            const describe = (e) => ({{
                name: e.name, isPythonError: e instanceof Hostcall.PythonError, type: e.type,
                message: e.message, pythonMessage: e.pythonMessage, traceback: e.traceback,
                line: e.line}});
            return [
                await Hostcall.call("boom", [], {{handlers: {{ask: () => "input"}}}}).catch(describe),
                await Hostcall.call("nothing_here").catch(describe),
                await Hostcall.call("__name__").catch(describe),
            ];
        }}"""
    )
    boom, missing, not_callable = result
    assert boom["name"] == "PythonError" and boom["isPythonError"] is True
    assert boom["type"] == "ValueError"
    assert boom["message"] == "ValueError: bad input"
    assert boom["pythonMessage"] == "bad input"
    assert boom["traceback"] == [{"filename": "main.py", "line": 9, "name": "boom"}]
    assert boom["line"] == 9
    assert missing["type"] == "NameError"
    assert "'nothing_here'" in missing["message"]
    assert not_callable["type"] == "TypeError"
    assert "not a function" in not_callable["message"]


def test_call_is_refused_with_typed_errors(ready: BridgePage) -> None:
    errors = [
        ready.failure("() => Hostcall.call(42)"),
        ready.failure("() => Hostcall.call('f', 'not a list')"),
        ready.failure("() => Hostcall.call('f', [], {kwargs: 3})"),
        ready.failure("() => Hostcall.call('f', [], {handlers: {x: 1}})"),
        ready.failure("() => Hostcall.call('f', [() => 1])"),
    ]
    assert [e["code"] for e in errors] == ["invalid-argument"] * 4 + ["unserializable"]
    assert "f() argument 1: a value of type 'function' cannot cross" in errors[4]["message"]
    busy = ready.js(
        """async () => {
            await Hostcall.start("ask()", {extFns: ["ask"]});
            const error = await Hostcall.call("len", [[]]).catch((e) => e.code);
            await Hostcall.resume(1);
            return [error, await Hostcall.call("len", [[1, 2]])];
        }"""
    )
    assert busy == ["busy", 2]


def test_a_python_callback_runs_later_when_the_worker_is_idle(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            let callback;
            const seen = [];
            const session = Hostcall.createSession({onOutput: (stream, text) => seen.push(text)});
            await session.init();
            await session.runWithHostFunctions(`
clicks = []
def on_click(n):
    clicks.append(n)
    print("clicked", n)
    return len(clicks)
hold(on_click)`, {hold: (f) => { callback = f; }});
            const direct = await callback(1);
            // While a run waits in a host call, the callback waits for the worker.
            let release, entered;
            const waiting = new Promise((resolve) => { entered = resolve; });
            const running = session.runWithHostFunctions("wait()\\nlen(clicks)",
                {wait: () => new Promise((resolve) => { release = resolve; entered(); })});
            const order = [];
            const queued = callback(2).then((v) => order.push(["callback", v]));
            await waiting; // the run is in its host call, the callback queued behind it
            order.push(["released"]);
            release();
            const run = await running;
            order.push(["run", run.value]);
            await queued;
            const name = callback.name;
            await session.dispose();
            return {direct, order, name, seen};
        }"""
    )
    assert result["direct"] == 1
    assert result["order"] == [["released"], ["run", 1], ["callback", 2]]
    assert result["name"] == "on_click"
    assert "clicked 1\n" in result["seen"] and "clicked 2\n" in result["seen"]


def test_a_python_callback_can_call_host_functions_and_raise(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            let callback;
            Hostcall.register({shout: (text) => text.toUpperCase()});
            await Hostcall.runWithHostFunctions(`
def greet(name):
    if not name:
        raise KeyError("nobody")
    return shout("hi " + name)
hold(greet)`, {hold: (f) => { callback = f; }});
            const ok = await callback("ada");
            const error = await callback("").catch((e) => [e.name, e.type, e.traceback.at(-1).name]);
            return {ok, error};
        }"""
    )
    assert result == {"ok": "HI ADA", "error": ["PythonError", "KeyError", "greet"]}


def test_a_callback_of_a_stopped_worker_rejects(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            let callback;
            await Hostcall.runWithHostFunctions("hold(print)", {hold: (f) => { callback = f; }});
            await Hostcall.dispose();
            await Hostcall.init();
            return callback("x").then(() => "resolved", (e) => [e.code, e.message]);
        }"""
    )
    assert result[0] == "stale-handle"
    assert "worker that has stopped" in result[1]


def test_a_generator_streams_to_the_page_one_value_per_pull(ready: BridgePage) -> None:
    result = ready.js(
        f"""async () => {{
            await Hostcall.run({DEFINE!r} + `
log = []
def squares(n):
    for i in range(n):
        log.append(i)
        yield i * i
stream = squares(5)`);
            const {{value: stream}} = await Hostcall.run("stream");
            const seen = [];
            for await (const value of stream) {{
                seen.push([value, await Hostcall.call("produced")]);
            }}
            return seen;
        }}"""
    )
    # Back-pressure: Python produced each value only when the page asked for it.
    assert result == [[0, 1], [1, 2], [4, 3], [9, 4], [16, 5]]


def test_leaving_a_stream_early_closes_the_generator(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const output = [];
            const {value: stream} = await Hostcall.run(`
closed = []
def numbers():
    try:
        yield 1
        yield 2
    finally:
        closed.append(True)
numbers()`);
            for await (const value of stream) { output.push(value); break; }
            output.push(await stream.next());
            output.push((await Hostcall.run("closed")).value);
            return output;
        }"""
    )
    assert result == [1, {"done": True, "value": None}, [True]]


def test_a_generator_error_rejects_the_pull(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const {value: stream} = await Hostcall.run(
                "async def agen():\\n    yield 'a'\\n    raise OSError('disk')\\nagen()");
            const first = await stream.next();
            const error = await stream.next().catch((e) => e.type);
            return [first, error, await stream.next()];
        }"""
    )
    assert result == [{"done": False, "value": "a"}, "OSError", {"done": True, "value": None}]


def test_large_results_travel_as_a_stream_of_chunks(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const {value: chunks} = await Hostcall.run(
                "def chunks():\\n    for i in range(16):\\n        yield bytes([i]) * (1 << 20)\\nchunks()");
            let total = 0, count = 0, firstBytes = [];
            for await (const chunk of chunks) {
                total += chunk.byteLength;
                firstBytes.push(chunk[0]);
                count++;
            }
            return {total, count, firstBytes};
        }"""
    )
    assert result == {"total": 16 << 20, "count": 16, "firstBytes": list(range(16))}


def test_python_iterates_a_page_async_iterable(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            async function* numbers() { yield 1; yield 2; yield 3; }
            async function* failing() { yield "x"; throw new RangeError("no more"); }
            const body = new Blob(["hello ", "stream"]).stream();
            const r = await Hostcall.runWithHostFunctions(`
got = [n * 10 for n in numbers()]
text = b"".join(body()).decode()
seen = []
try:
    for item in failing():
        seen.append(item)
except Exception as error:
    seen.append(type(error).__name__ + ": " + str(error))
[got, text, seen]`, {numbers: () => numbers(), body: () => body, failing: () => failing()});
            return r.value;
        }"""
    )
    assert result == [[10, 20, 30], "hello stream", ["x", "HostError: RangeError: no more"]]


def test_registered_host_functions_serve_every_run(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            Hostcall.register({greet: (name) => "hi " + name, twice: (x) => 2 * x});
            const both = await Hostcall.runWithHostFunctions("[greet('a'), twice(2)]");
            const override = await Hostcall.runWithHostFunctions("twice(2)", {twice: (x) => 3 * x});
            Hostcall.unregister("twice");
            const gone = await Hostcall.runWithHostFunctions("twice(2)");
            const bad = await Promise.resolve().then(() => Hostcall.register({x: 1})).catch((e) => e.code);
            return [both.value, override.value, gone.error.type, bad];
        }"""
    )
    assert result == [["hi a", 4], 6, "NameError", "invalid-argument"]


def test_a_host_error_carries_its_javascript_stack_into_python(ready: BridgePage) -> None:
    result = ready.js(
        """() => Hostcall.runWithHostFunctions(`
try:
    find_user(7)
except Exception as error:
    caught = [type(error).__name__, str(error), error.__notes__[0]]
caught`, {find_user: function findUserOnThePage(id) { throw new RangeError("no user " + id); }})"""
    )
    kind, message, note = result["value"]
    assert (kind, message) == ("HostError", "RangeError: no user 7")
    assert note.startswith("host traceback:\nRangeError: no user 7")
    assert "findUserOnThePage" in note
