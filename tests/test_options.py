"""Every options object of the bridge is checked: an unknown key is never a silent no-op."""

from __future__ import annotations

from conftest import BridgePage

# A page script per public method taking options: each misspells or misplaces one option.
# The promise methods must reject; createSession and hostFunctions are synchronous and throw.
UNKNOWN = [
    (
        "() => Hostcall.run('1', {timeout: 100})",
        'run: unknown option "timeout"; did you mean "limits" (limits.timeoutMs)?',
    ),
    (
        "() => Hostcall.init({timeoutMs: 5})",
        'init: unknown option "timeoutMs"; did you mean "limits" (limits.timeoutMs)?',
    ),
    (
        "() => Hostcall.start('1', {extFn: ['f']})",
        'start: unknown option "extFn"; did you mean "extFns"?',
    ),
    (
        "() => Hostcall.runWithHostFunctions('1', {}, {scriptname: 'x.py'})",
        'runWithHostFunctions: unknown option "scriptname"; did you mean "scriptName"?',
    ),
    (
        # run and runWithHostFunctions set extFns themselves: one given is refused, not dropped.
        "() => Hostcall.runWithHostFunctions('1', {}, {extFns: ['f']})",
        'runWithHostFunctions: unknown option "extFns"; known options: scriptName, limits, onOutput',
    ),
    (
        "() => Hostcall.run('1', {extFns: ['f']})",
        'run: unknown option "extFns"; known options: scriptName, limits, onOutput',
    ),
    (
        "() => Hostcall.call('len', [[1]], {kwarg: {}})",
        'call: unknown option "kwarg"; did you mean "kwargs"?',
    ),
    (
        "() => Hostcall.start('1', {limits: {timeout: 5}})",
        'start: unknown limit "timeout"; did you mean "timeoutMs"?',
    ),
    (
        "() => Hostcall.run('1', {limits: {bogus: 1}})",
        'start: unknown limit "bogus"; known limits: timeoutMs, memoryBytes, recursionDepth, '
        "maxOutputBytes, maxHostCalls",
    ),
    (
        "() => Hostcall.init({limits: {memory: 1e9}})",
        'init: unknown limit "memory"; did you mean "memoryBytes"?',
    ),
    (
        "() => Hostcall.init({grace: 10})",
        'init: unknown option "grace"; did you mean "interruptGraceMs"?',
    ),
    (
        "() => Hostcall.connect('/hostcall', {giveUpAfter: 5})",
        'connect: unknown option "giveUpAfter"; did you mean "giveUpAfterMs"?',
    ),
    (
        "async () => Hostcall.createSession({spares: true})",
        'createSession: unknown option "spares"; did you mean "spare"?',
    ),
    (
        "async () => Hostcall.hostFunctions({roots: 'body'})",
        'hostFunctions: unknown option "roots"; did you mean "root"?',
    ),
    (
        """async () => {
            await Hostcall.start("ask()", {extFns: ["ask"]});
            try {
                await Hostcall.resumeWithError({type: "ValueError", msg: "bad"});
            } finally {
                await Hostcall.resume(null);
            }
        }""",
        'resumeWithError: unknown key "msg"; did you mean "message"?',
    ),
]


def refusals(page: BridgePage, calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each call's rejection as (code, message), checking it is a HostcallError."""
    found = []
    for call, _ in calls:
        error = page.failure(call)
        assert error["isHostcallError"], (call, error)
        found.append((error["code"], error["message"]))
    return found


def test_an_unknown_option_is_refused_naming_the_nearest_known_one(ready: BridgePage) -> None:
    assert refusals(ready, UNKNOWN) == [("invalid-argument", message) for _, message in UNKNOWN]
    assert ready.run("'still fine'")["value"] == "still fine"


NOT_AN_OBJECT = [
    ("() => Hostcall.run('1', 'opts')", "run: options must be an object, not String"),
    ("() => Hostcall.start('1', [])", "start: options must be an object, not Array"),
    ("() => Hostcall.init(5)", "init: options must be an object, not Number"),
    (
        "() => Hostcall.runWithHostFunctions('1', {}, null)",
        "runWithHostFunctions: options must be an object, not null",
    ),
    ("() => Hostcall.call('len', [[]], true)", "call: options must be an object, not Boolean"),
    ("() => Hostcall.connect('/hostcall', 'x')", "connect: options must be an object, not String"),
    ("() => Hostcall.run('1', {limits: 100})", "start: limits must be an object, not Number"),
    (
        "async () => Hostcall.createSession('x')",
        "createSession: options must be an object, not String",
    ),
    (
        "async () => Hostcall.hostFunctions(7)",
        "hostFunctions: options must be an object, not Number",
    ),
    # Values init did not check: a callback that is not one, a URL that is not one.
    ("() => Hostcall.init({onOutput: 'log'})", "init: onOutput must be a function"),
    ("() => Hostcall.init({onProgress: 1})", "init: onProgress must be a function"),
    ("() => Hostcall.init({baseURL: 8})", "init: baseURL must be a URL, not Number"),
    ("() => Hostcall.init({indexURL: 'http://['})", 'init: indexURL must be a URL, not "http://["'),
    (
        "() => Hostcall.init({serviceWorker: 1})",
        "init: serviceWorker must be true, false or a URL, not Number",
    ),
    (
        "() => Hostcall.createSession({serviceWorker: 'http://['})",
        'createSession: serviceWorker must be true, false or a URL, not "http://["',
    ),
]


def test_options_that_are_not_an_object_are_refused(ready: BridgePage) -> None:
    expected = [("invalid-argument", message) for _, message in NOT_AN_OBJECT]
    assert refusals(ready, NOT_AN_OBJECT) == expected


def test_a_session_refuses_unknown_options_too(bridge: BridgePage) -> None:
    """A session's methods check as Hostcall's do; its createSession options stay in force."""
    outcome = bridge.js(
        """async () => {
            const session = Hostcall.createSession({limits: {timeoutMs: 60000}});
            await session.init({transport: "auto"});
            const refused = await session.run("1", {timeout: 5}).then(() => null, (e) => e.message);
            const limited = await session.run("while True: pass", {limits: {timeoutMs: 50}});
            await session.dispose();
            return {refused, error: limited.error.type};
        }"""
    )
    assert outcome == {
        "refused": 'run: unknown option "timeout"; did you mean "limits" (limits.timeoutMs)?',
        "error": "TimeoutError",
    }
