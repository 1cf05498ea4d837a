"""How a run ends: its promise always settles, its collected output has a ceiling, and a
heap it grew past the session's memory limit does not outlive it (issue 14, items 3 and 4)."""

from __future__ import annotations

import pytest

from conftest import BridgePage
from test_limits import settled


def test_output_past_the_ceiling_is_streamed_whole_and_kept_up_to_it(bridge: BridgePage) -> None:
    result = settled(
        bridge,
        """const streamed = {stdout: 0, stderr: 0};
        const s = Hostcall.createSession({keptOutputChars: 100000});
        await s.init();
        const r = await settle(s.run(`
import sys
for i in range(1000):
    print("o" * 999)
    if i % 100 == 0:
        print("e" * 99, file=sys.stderr)
"done"`, {limits: {maxOutputBytes: null},
          onOutput: (stream, text) => { streamed[stream] += text.length; }}));
        await s.dispose();
        return {r, streamed};""",
    )
    r = result["r"]
    assert r["ok"] is True and r["value"] == "done"
    assert result["streamed"] == {"stdout": 1_000_000, "stderr": 1_000}
    # The kept copies are the start of each stream, the two sharing the ceiling, each with
    # a line that says how much of it was not kept.
    kept = {}
    for stream, total in result["streamed"].items():
        kept[stream], marker = r[stream].split("\n[hostcall: ")
        assert marker == (
            f"{total - len(kept[stream])} more characters of {stream} not kept "
            "(keptOutputChars=100000); onOutput received them all]\n"
        )
    assert set(kept["stdout"].replace("\n", "")) == {"o"}
    assert set(kept["stderr"].replace("\n", "")) == {"e"}
    assert len(kept["stdout"]) + len(kept["stderr"]) == 100_000


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "'lots'", "null", "2 ** 29"])
@pytest.mark.modes("isolated")  # checked before any worker exists
def test_a_bad_ceiling_is_refused(bridge: BridgePage, value: str) -> None:
    error = bridge.failure(f"() => Hostcall.createSession({{keptOutputChars: {value}}}).init()")
    assert error["code"] == "invalid-argument"
    assert "keptOutputChars must be a positive integer up to 268435456" in error["message"]


@pytest.mark.modes("isolated")  # collecting output is the bridge's, the same for both transports
def test_600_mb_of_output_with_no_output_limit_settles_the_run(ready: BridgePage) -> None:
    """More characters than a JavaScript string can hold (2 ** 29 - 24 in V8): joining
    them all made the run hang with "Invalid string length"."""
    result = settled(
        ready,
        """let streamed = 0;
        const r = await settle(Hostcall.run(`
import sys
chunk = "x" * 10_000_000
for _ in range(60):
    sys.stdout.write(chunk)
"done"`, {limits: {maxOutputBytes: null}, onOutput: (stream, text) => { streamed += text.length; }}));
        return {ok: r.ok, value: r.value, rejected: r.rejected, streamed,
                kept: r.stdout.indexOf("\\n[hostcall: "), tail: r.stdout.slice(-120)};""",
    )
    assert result["ok"] is True and result["value"] == "done", result
    assert result["streamed"] == 600_000_000
    assert result["kept"] == 2**25  # the default ceiling
    assert f"{600_000_000 - 2**25} more characters of stdout not kept" in result["tail"]


@pytest.mark.modes("isolated")  # the bridge's own finishing, the same for both transports
def test_a_failure_while_finishing_a_run_rejects_it(ready: BridgePage) -> None:
    """Whatever throws while the bridge finishes a run (here: reading its done text) settles
    the run's promise with a typed error, and the session restarts on its next use."""
    result = settled(
        ready,
        """const parse = JSON.parse;
        JSON.parse = (text, ...rest) => {
            if (typeof text === "string" && text.includes("unreadable result")) {
                throw new RangeError("Invalid string length");
            }
            return parse(text, ...rest);
        };
        const failed = await settle(Hostcall.run("'unreadable result'"));
        JSON.parse = parse;
        const lastCrash = Hostcall.discover().lastCrash;
        return {failed, lastCrash, next: (await Hostcall.run("1 + 1")).value};""",
    )
    assert result["failed"]["rejected"] == "worker-crashed", result
    assert "could not handle a done message: Invalid string length" in result["failed"]["message"]
    assert "Invalid string length" in result["lastCrash"]
    assert result["next"] == 2


HOARD = "hoard = []\nwhile True: hoard.append(bytearray(10**6))"


def test_a_heap_grown_past_the_session_limit_is_replaced(bridge: BridgePage) -> None:
    result = settled(
        bridge,
        """const s = Hostcall.createSession({limits: {memoryBytes: 300 * 2 ** 20}});
        await s.init();
        await s.run("kept = 1");
        const over = await settle(s.run(arg));
        const info = s.discover();
        const next = await settle(s.run("('kept' in globals(), 1 + 1)"));
        await s.dispose();
        return {over, loaded: info.loaded, lastCrash: info.lastCrash, next};""",
        HOARD,
    )
    assert result["over"]["type"] == "MemoryError", result
    assert result["loaded"] is False
    assert "the worker was terminated: its heap grew to " in result["lastCrash"]
    assert "past the session's memory limit (memoryBytes=314572800)" in result["lastCrash"]
    assert result["next"]["value"] == [False, 2]  # a fresh worker: the globals are gone


@pytest.mark.modes("isolated")  # the bridge's decision, the same for both transports
def test_a_heap_past_only_a_runs_own_limit_keeps_the_worker(ready: BridgePage) -> None:
    result = settled(
        ready,
        """await Hostcall.run("kept = 1");
        const over = await settle(Hostcall.run(arg, {limits: {memoryBytes: 300 * 2 ** 20}}));
        const lastCrash = Hostcall.discover().lastCrash;
        const next = await settle(Hostcall.run("hoard = None\\n'kept' in globals()"));
        return {over, lastCrash, next};""",
        HOARD,
    )
    assert result["over"]["type"] == "MemoryError", result
    assert result["lastCrash"] is None
    assert result["next"]["value"] is True
