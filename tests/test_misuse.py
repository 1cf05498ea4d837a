"""Every misuse of the bridge rejects with a typed error, and nothing is left hanging."""

from __future__ import annotations

import pytest

from conftest import BridgePage


@pytest.mark.modes("isolated")  # argument checks: the same whatever the transport
@pytest.mark.parametrize(
    "call",
    [
        "() => Hostcall.run('1')",
        "() => Hostcall.start('1', {extFns: ['f']})",
        "() => Hostcall.resume(1)",
        "() => Hostcall.resumeWithError({type: 'ValueError', message: 'x'})",
    ],
)
def test_calls_before_init_are_not_initialized(bridge: BridgePage, call: str) -> None:
    error = bridge.failure(call)
    assert error["code"] == "not-initialized" and error["isHostcallError"]
    assert "init()" in error["message"]


def test_resume_with_nothing_pending(ready: BridgePage) -> None:
    for call in ["() => Hostcall.resume(1)", "() => Hostcall.resumeWithError({type: 'E'})"]:
        assert ready.failure(call)["code"] == "no-pending-call"


def test_start_while_paused_or_running_is_busy(ready: BridgePage) -> None:
    outcome = ready.js(
        """async () => {
            await Hostcall.start("ask()", {extFns: ["ask"]});
            const codes = [];
            for (const again of [() => Hostcall.run("1"), () => Hostcall.start("1")]) {
                await again().catch((e) => codes.push(e.code));
            }
            const done = await Hostcall.resume(7);
            const running = Hostcall.run("sum(range(3_000_000))");
            await Hostcall.run("1").catch((e) => codes.push(e.code));
            return {codes, done: done.value, running: (await running).value, busy: Hostcall.discover().busy};
        }"""
    )
    assert outcome == {
        "codes": ["busy", "busy", "busy"],
        "done": 7,
        "running": 4499998500000,
        "busy": False,
    }


@pytest.mark.modes("isolated")  # argument checks: the same whatever the transport
@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        ("() => Hostcall.run(42)", "code must be a string"),
        ("() => Hostcall.start('1', {extFns: 'add'})", "extFns must be an array"),
        ("() => Hostcall.start('1', {extFns: ['not a name']})", "not a Python identifier"),
        ("() => Hostcall.start('1', {extFns: ['class']})", "not a Python identifier"),
        ("() => Hostcall.start('1', {extFns: [7]})", "not a Python identifier"),
        ("() => Hostcall.start('1', {extFns: ['print']})", "shadow the Python builtin"),
        ("() => Hostcall.start('1', {extFns: ['f', 'f']})", "declared twice"),
        ("() => Hostcall.start('1', {scriptName: ''})", "scriptName"),
        ("() => Hostcall.start('1', {limits: {bogus: 1}})", 'unknown limit "bogus"'),
        ("() => Hostcall.start('1', null)", "options must be an object"),
        ("() => Hostcall.runWithHostFunctions('1', {f: 3})", "handler f is not a function"),
        ("() => Hostcall.init({transport: 'carrier-pigeon'})", "transport must be one of"),
    ],
)
def test_bad_arguments_are_invalid_argument(ready: BridgePage, call: str, fragment: str) -> None:
    error = ready.failure(call)
    assert error["code"] == "invalid-argument", error
    assert fragment in error["message"]
    assert ready.run("'still fine'")["value"] == "still fine"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("() => 1", "resume() value: a value of type 'function' cannot cross"),
        ("new (class Point {})()", "resume() value: a value of type 'Point' cannot cross"),
        (
            "(() => { const a = {x: [1]}; a.x.push(a); return a; })()",
            'resume() value["x"][1]: a cyclic',
        ),
        (
            "{deep: {sym: Symbol('s')}}",
            'resume() value["deep"]["sym"]: a value of type \'symbol\' cannot cross',
        ),
        ("new Date(NaN)", "an invalid Date"),
    ],
)
def test_a_value_that_cannot_cross_rejects_and_the_call_stays_pending(
    ready: BridgePage, value: str, fragment: str
) -> None:
    outcome = ready.js(
        f"""async () => {{
            await Hostcall.start("ask() + 1", {{extFns: ["ask"]}});
            const error = await Hostcall.resume({value}).then(() => null, (e) => e);
            const after = await Hostcall.resume(41);
            return {{code: error?.code, message: error?.message, after: after.value}};
        }}"""
    )
    assert outcome["code"] == "unserializable"
    assert fragment in outcome["message"]
    assert outcome["after"] == 42


def test_a_handler_returning_an_uncrossable_value_raises_type_error_in_python(
    ready: BridgePage,
) -> None:
    result = ready.js(
        """() => Hostcall.runWithHostFunctions(
            "try:\\n    f()\\nexcept TypeError as e:\\n    r = str(e)\\nr", {f: () => Math.max})"""
    )
    assert (
        result["value"]
        == "f returned resume() value: a value of type 'function' cannot cross to Python"
    )


def test_python_values_that_cannot_cross_raise_in_python(ready: BridgePage) -> None:
    result = ready.js(
        """() => Hostcall.runWithHostFunctions(
            "try:\\n    show(1, fn=object())\\nexcept TypeError as e:\\n    r = str(e)\\nr",
            {show: () => 'unreachable'})"""
    )
    assert result["value"] == (
        "show() argument 'fn': a value of type 'object' cannot cross to the host"
    )
    key = ready.js(
        """() => Hostcall.runWithHostFunctions("show({1: 'one', 2j: 'two'})", {show: () => 0})"""
    )
    assert (
        "show() argument 1{key 1}: a value of type 'complex' cannot cross"
        in (key["error"]["message"])
    )
    cyclic = ready.js(
        """() => Hostcall.runWithHostFunctions("a = []\\na.append(a)\\nshow(a)", {show: () => 0})"""
    )
    assert cyclic["error"]["type"] == "TypeError"
    assert "show() argument 1[0]: a cyclic list" in cyclic["error"]["message"]


def test_a_result_that_cannot_cross_is_a_type_error_result(ready: BridgePage) -> None:
    result = ready.run("import sys\nsys")
    assert result["ok"] is False
    assert result["error"]["type"] == "TypeError"
    assert "a value of type 'module' cannot cross" in result["error"]["message"]


@pytest.mark.modes("isolated")  # argument checks: the same whatever the transport
@pytest.mark.parametrize(
    "error", ["null", "'ValueError'", "{message: 'no type'}", "{type: 'E', message: 5}"]
)
def test_resume_with_error_checks_its_argument(ready: BridgePage, error: str) -> None:
    outcome = ready.js(
        f"""async () => {{
            await Hostcall.start("ask()", {{extFns: ["ask"]}});
            const e = await Hostcall.resumeWithError({error}).then(() => null, (e) => e);
            await Hostcall.resume(0);
            return e?.code;
        }}"""
    )
    assert outcome == "invalid-argument"


def test_snapshots_say_not_supported_yet(ready: BridgePage) -> None:
    for call in ["() => Hostcall.snapshot()", "() => Hostcall.restore('')"]:
        assert ready.failure(call)["code"] == "not-supported"


def test_dispose_settles_every_outstanding_promise(ready: BridgePage) -> None:
    outcome = ready.js(
        """async () => {
            const settle = (p) => p.then((v) => ["resolved", v], (e) => ["rejected", e.code]);
            const paused = await Hostcall.start("ask()\\nwhile True: pass", {extFns: ["ask"]});
            const resumed = settle(Hostcall.resume(1));
            await Hostcall.dispose();
            const afterDispose = await settle(Hostcall.run("1"));
            const busy = Hostcall.createSession();
            await busy.init();
            const running = settle(busy.run("while True: pass"));
            const loading = Hostcall.createSession();
            const init = settle(loading.init());
            await Promise.all([busy.dispose(), loading.dispose()]);
            return {paused: paused.state, resumed: await resumed, afterDispose,
                    running: await running, init: await init};
        }"""
    )
    assert outcome == {
        "paused": "pending",
        "resumed": ["rejected", "disposed"],
        "afterDispose": ["rejected", "not-initialized"],
        "running": ["rejected", "disposed"],
        "init": ["rejected", "disposed"],
    }


def test_init_after_dispose_starts_afresh(ready: BridgePage) -> None:
    ready.run("x = 1")
    ready.js("Hostcall.dispose()")
    ready.init()
    assert ready.run("'x' in globals()")["value"] is False


@pytest.mark.parametrize(
    ("kill", "cause"),
    [
        # The run finishes, but its answer is lost with the worker: only the death is seen.
        ("import js\njs.close()\nsum(range(10**6))", "the worker stopped"),
        ("import ctypes\nctypes.string_at(2**32 - 16, 64)\nwait()", "fatal error"),
        (
            "import js\njs.setTimeout(js.Function.new(\"throw new Error('boom')\"), 0)\n"
            "import time\ntime.sleep(0.5)\nwait()",
            "boom",
        ),
    ],
    ids=["self-close", "wasm-trap", "uncaught-error"],
)
def test_a_dead_worker_rejects_everything_and_restarts_on_next_use(
    bridge: BridgePage, kill: str, cause: str
) -> None:
    outcome = bridge.js(
        """async (kill) => {
            await Hostcall.init({allowJs: true});  // the kills reach the worker's JavaScript
            const settle = (p) => p.then((v) => ["resolved", v], (e) => ["rejected", e.code, e.message]);
            // wait() never answers: the run can only end by the worker's death.
            const died = await settle(Hostcall.runWithHostFunctions(kill, {
                wait: () => new Promise(() => {}),
            }));
            const info = Hostcall.discover();
            // The next use starts a new worker by itself.
            const after = await Hostcall.run("6 * 7");
            return {died, lastCrash: info.lastCrash, loaded: info.loaded, after: after.value,
                    cleared: Hostcall.discover().lastCrash};
        }""",
        kill,
    )
    assert outcome["died"][:2] == ["rejected", "worker-crashed"]
    assert cause in outcome["died"][2]
    assert cause in outcome["lastCrash"]
    assert outcome["loaded"] is False
    assert outcome["after"] == 42
    assert outcome["cleared"] is None


def test_a_host_function_kept_past_its_run_raises_instead_of_waiting(ready: BridgePage) -> None:
    ready.js("""() => Hostcall.runWithHostFunctions("kept = ask", {ask: () => 1})""")
    result = ready.run("kept()")
    assert result["ok"] is False
    assert result["error"]["type"] == "RuntimeError"
    assert "'ask' is not declared for this run" in result["error"]["message"]


def test_an_error_type_whose_builtin_needs_more_than_a_message_is_a_host_error(
    ready: BridgePage,
) -> None:
    result = ready.js(
        """async () => {
            await Hostcall.start("try:\\n    f()\\nexcept Exception as e:\\n    r = [type(e).__name__, str(e)]\\nr",
                                 {extFns: ["f"]});
            return Hostcall.resumeWithError({type: "UnicodeDecodeError", message: "bad byte"});
        }"""
    )
    assert result["value"] == ["HostError", "UnicodeDecodeError: bad byte"]


def test_an_argument_error_traceback_shows_only_the_script(ready: BridgePage) -> None:
    result = ready.js(
        """() => Hostcall.runWithHostFunctions("x = 1\\nshow(object())", {show: () => 0})"""
    )
    assert result["error"]["traceback"] == [{"filename": "main.py", "line": 2, "name": "<module>"}]
