"""The bridge end to end: real Chromium, the real dev server, real Pyodide, both transports."""

from __future__ import annotations

from conftest import BridgePage

TRANSPORT = {"isolated": "atomics", "open": "jspi"}


def test_init_reports_the_transport_and_versions(bridge: BridgePage) -> None:
    progress = bridge.js(
        """async () => {
            const seen = [];
            const info = await Hostcall.init({onProgress: (p) => seen.push(p)});
            return {info, seen, again: await Hostcall.init()};
        }"""
    )
    info = progress["info"]
    assert info["loaded"] is True
    assert info["transport"] == TRANSPORT[bridge.mode]
    # The dev server sends COOP/COEP itself; without them the reason names what is missing.
    assert info["isolation"] == ("headers" if bridge.mode == "isolated" else "none")
    if bridge.mode == "open":
        assert "served without Cross-Origin-Opener-Policy" in info["reason"]
        assert "no service worker was asked for" in info["reason"]
    assert info["pyodideVersion"] == "314.0.7"
    assert info["pythonVersion"].startswith("3.14")
    assert progress["again"] == info
    last = progress["seen"][-1]
    assert last["total"] > 10_000_000 and last["loaded"] == last["total"]
    assert [p["loaded"] for p in progress["seen"]] == sorted(p["loaded"] for p in progress["seen"])


def test_run_returns_the_last_expression(ready: BridgePage) -> None:
    assert ready.run("sum(range(10))") == {
        "state": "complete",
        "ok": True,
        "value": 45,
        "stdout": "",
        "stderr": "",
    }


def test_globals_persist_between_runs(ready: BridgePage) -> None:
    ready.run("def double(x):\n    return 2 * x")
    assert ready.run("double(21)")["value"] == 42


def test_start_pauses_at_each_host_call_and_resume_continues(ready: BridgePage) -> None:
    states = ready.js(
        """async () => {
            const states = [await Hostcall.start(
                "x = add(2, 3)\\nlog('x is', x, level='info')\\nx * 10", {extFns: ["add", "log"]})];
            states.push(await Hostcall.resume(5));
            states.push(await Hostcall.resume(null));
            return states;
        }"""
    )
    first, second, last = states
    assert first["state"] == "pending" and first["functionName"] == "add"
    assert first["args"] == [2, 3] and first["kwargs"] == {}
    assert second["functionName"] == "log"
    assert second["args"] == ["x is", 5] and second["kwargs"] == {"level": "info"}
    assert second["callId"] > first["callId"]
    assert last == {"state": "complete", "ok": True, "value": 50, "stdout": "", "stderr": ""}


def test_resume_with_error_raises_at_the_call_site(ready: BridgePage) -> None:
    code = """
caught = []
for _ in range(4):
    try:
        ask()
    except BaseException as error:
        caught.append([type(error).__name__, str(error), getattr(error, "type", None)])
caught
"""
    result = ready.js(
        """async (code) => {
            let state = await Hostcall.start(code, {extFns: ["ask"]});
            for (const error of [{type: "ValueError", message: "bad"}, {type: "KeyError", message: "k"},
                                 {type: "RangeError", message: "far"}, {type: "SystemExit", message: "no"}]) {
                state = await Hostcall.resumeWithError(error);
            }
            return state;
        }""",
        code,
    )
    assert result["value"] == [
        ["ValueError", "bad", None],
        ["KeyError", "'k'", None],
        ["HostError", "RangeError: far", "RangeError"],
        # Every builtin exception is raised as itself (a Python host's SystemExit crosses too);
        # raised at the call, it ends the run as a result unless the code catches it.
        ["SystemExit", "no", None],
    ]


def test_resume_with_error_builds_the_exception_from_its_args(ready: BridgePage) -> None:
    code = """
def describe(error):
    if isinstance(error, BaseExceptionGroup):
        return [type(error).__name__, error.message, [describe(e) for e in error.exceptions]]
    return [type(error).__name__, repr(error.args)]
seen = []
for _ in range(3):
    try:
        ask()
    except BaseException as error:
        seen.append(describe(error))
seen
"""
    result = ready.js(
        """async (code) => {
            let state = await Hostcall.start(code, {extFns: ["ask"]});
            for (const error of [
                {type: "KeyError", message: "'missing'", args: ["missing", new Uint8Array([0, 255])]},
                {type: "UnicodeDecodeError", message: "", args: ["utf-8", new Uint8Array([255]), 0, 1, "bad"]},
                {type: "ExceptionGroup", message: "two", args: ["two"],
                 exceptions: [{type: "ValueError", message: "v"}, {type: "KeyError", message: "", args: [1]}]},
            ]) {
                state = await Hostcall.resumeWithError(error);
            }
            return state;
        }""",
        code,
    )
    assert result["ok"], result
    assert result["value"] == [
        ["KeyError", "('missing', b'\\x00\\xff')"],
        ["UnicodeDecodeError", "('utf-8', b'\\xff', 0, 1, 'bad')"],
        ["ExceptionGroup", "two", [["ValueError", "('v',)"], ["KeyError", "(1,)"]]],
    ]


def test_run_with_host_functions_drives_sync_async_and_failing_handlers(ready: BridgePage) -> None:
    code = """
from hostcall import HostError
total = add(2, 3)
slept = wait(20)
try:
    boom()
except TypeError as error:
    typed = str(error)
try:
    far()
except HostError as error:
    host = [error.type, error.message]
options = configure(1, size=3)
[total, slept, typed, host, options]
"""
    result = ready.js(
        """async (code) => Hostcall.runWithHostFunctions(code, {
            add: (a, b) => a + b,
            wait: async (ms) => { await new Promise((r) => setTimeout(r, ms)); return ms; },
            boom: () => { throw new TypeError("not a number"); },
            far: async () => { throw new RangeError("too far"); },
            configure: (n, kwargs) => ({n, kwargs}),
        })""",
        code,
    )
    assert result["ok"], result
    assert result["value"] == [
        5,
        20,
        "not a number",
        ["RangeError", "too far"],
        {"n": 1, "kwargs": {"size": 3}},
    ]


def test_values_cross_both_ways_as_natural_types(ready: BridgePage) -> None:
    code = """
import datetime, math
when = datetime.datetime(2026, 11, 21, 12, 30, tzinfo=datetime.UTC)
sent = [b"\\x00\\xffhi", (1, "two"), {1: "one", (2, 3): "pair"}, {4}, 2**70, -2**70,
        math.inf, -math.inf, when, {"nested": [None, True, 1.5, "\\u00e9\\U0001F600"]}, {"$hc": 1}]
kinds, back = echo(*sent)
nan = echo_nan(float("nan"))
[kinds, back == sent, [type(v).__name__ for v in back], math.isnan(nan)]
"""
    result = ready.js(
        """async (code) => Hostcall.runWithHostFunctions(code, {
            echo: (...values) => {
                const kind = (v) => v instanceof Hostcall.Tuple ? "Tuple" : v?.constructor?.name ?? typeof v;
                return [values.map(kind), values];
            },
            echo_nan: (x) => Number.isNaN(x) ? x : "not NaN",
        })""",
        code,
    )
    assert result["ok"], result
    kinds, equal, python_types, nan = result["value"]
    assert kinds == [
        "Uint8Array",
        "Tuple",
        "Map",
        "Set",
        "BigInt",
        "BigInt",
        "Number",
        "Number",
        "Date",
        "Object",
        "Object",
    ]
    assert equal is True
    assert python_types == [
        "bytes",
        "tuple",
        "dict",
        "set",
        "int",
        "int",
        "float",
        "float",
        "datetime",
        "dict",
        "dict",
    ]
    assert nan is True


def test_javascript_values_arrive_as_python_types(ready: BridgePage) -> None:
    code = (
        "v = get()\n"
        "[type(x).__name__ for x in v], v[0] == b'\\x01\\x02', v[1] == {1: 'a'}, v[2] == {'s'},"
        " v[3] == (1, 2), v[4].timestamp() == 0, v[5] == 2**64, v[7]"
    )
    result = ready.js(
        """async (code) => Hostcall.runWithHostFunctions(code, {
            get: () => [new Uint8Array([1, 2]), new Map([[1, "a"]]), new Set(["s"]),
                        Hostcall.Tuple.from([1, 2]), new Date(0), 2n ** 64n, undefined, [1.5, -0]],
        })""",
        code,
    )
    assert result["ok"], result
    types, *checks, floats = result["value"]
    assert types == ["bytes", "dict", "set", "tuple", "datetime", "int", "NoneType", "list"]
    assert checks == [True] * 6
    assert floats == [1.5, 0]


def test_print_is_streamed_before_the_call_it_precedes(ready: BridgePage) -> None:
    seen = ready.js(
        """async () => {
            const chunks = [];
            const onOutput = (stream, text) => chunks.push([stream, text]);
            let state = await Hostcall.start(
                "import sys\\nprint('before')\\nprint('oops', file=sys.stderr)\\nstep()\\nprint('after', end='')",
                {extFns: ["step"], onOutput});
            const atCall = chunks.slice();
            state = await Hostcall.resume(null);
            return {atCall, all: chunks, state};
        }"""
    )
    assert seen["atCall"] == [["stdout", "before\n"], ["stderr", "oops\n"]]
    assert seen["all"][-1] == ["stdout", "after"]
    assert seen["state"]["stdout"] == "before\nafter"
    assert seen["state"]["stderr"] == "oops\n"


def test_session_on_output_receives_every_run(bridge: BridgePage) -> None:
    chunks = bridge.js(
        """async () => {
            const chunks = [];
            await Hostcall.init({onOutput: (stream, text) => chunks.push(text)});
            await Hostcall.run("print('one')");
            await Hostcall.run("print('two')");
            return chunks;
        }"""
    )
    assert "".join(chunks) == "one\ntwo\n"


def test_exceptions_are_results_with_lines_in_the_script(ready: BridgePage) -> None:
    code = (
        "x = 1\n\ndef inner():\n    return {}['missing']\n\ndef outer():\n    inner()\n\nouter()\n"
    )
    result = ready.run(code, scriptName="flow.py")
    assert result["state"] == "complete" and result["ok"] is False
    error = result["error"]
    assert error["type"] == "KeyError" and error["message"] == "'missing'"
    assert error["traceback"] == [
        {"filename": "flow.py", "line": 9, "name": "<module>"},
        {"filename": "flow.py", "line": 7, "name": "outer"},
        {"filename": "flow.py", "line": 4, "name": "inner"},
    ]
    assert error["line"] == 4


def test_an_error_raised_by_the_host_points_at_the_calling_line(ready: BridgePage) -> None:
    result = ready.js(
        """() => Hostcall.runWithHostFunctions("a = 1\\nb = fetch_it()\\n", {
            fetch_it: () => { throw new Error("offline"); } })"""
    )
    assert result["error"]["type"] == "HostError"
    assert result["error"]["message"] == "Error: offline"
    assert result["error"]["line"] == 2
    assert [frame["filename"] for frame in result["error"]["traceback"]] == ["main.py"]


def test_syntax_error_is_a_result_with_its_line(ready: BridgePage) -> None:
    result = ready.run("x = 1\ny = (\nz = 3\n")
    assert result["ok"] is False
    assert result["error"]["type"] == "SyntaxError"
    assert result["error"]["line"] == 2


def test_two_sessions_run_side_by_side(bridge: BridgePage) -> None:
    result = bridge.js(
        """async () => {
            const [a, b] = [Hostcall.createSession(), Hostcall.createSession()];
            await Promise.all([a.init(), b.init()]);
            await a.run("who = 'a'");
            await b.run("who = 'b'");
            const pa = a.start("who + ask()", {extFns: ["ask"]});
            const pb = b.start("who + ask()", {extFns: ["ask"]});
            await Promise.all([pa, pb]);
            const [ra, rb] = await Promise.all([a.resume("!"), b.resume("?")]);
            const defaultLoaded = Hostcall.discover().loaded;
            await Promise.all([a.dispose(), b.dispose()]);
            return [ra.value, rb.value, defaultLoaded];
        }"""
    )
    assert result == ["a!", "b?", False]


def test_each_execution_sees_only_its_own_calls(ready: BridgePage) -> None:
    states = ready.js(
        """async () => {
            const first = await Hostcall.runWithHostFunctions("f(1) + f(2)", {f: (x) => x});
            // Busy before its first call: a stale call from the first run would show up at once.
            const second = await Hostcall.start("sum(range(10**6))\\nf(3)", {extFns: ["f"]});
            const done = await Hostcall.resume(4);
            return [first.value, second, done.value];
        }"""
    )
    assert states[0] == 3
    assert states[1]["functionName"] == "f" and states[1]["args"] == [3]
    assert states[2] == 4
