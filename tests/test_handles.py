"""Opaque handles end to end: page objects held by Python as integers, and their release."""

from __future__ import annotations

import pytest

from conftest import BridgePage

# Handle notes ride in the same call and done texts on both transports: one suffices, but
# for release by garbage collection, checked both ways.
pytestmark = pytest.mark.modes("isolated")

MAKE = "{make: (tag) => document.createElement(tag), count: () => Hostcall.handleCount()}"


def test_an_element_crosses_as_an_int_handle_and_comes_back_as_itself(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const box = document.createElement("div");
            box.id = "box";
            const result = await Hostcall.runWithHostFunctions(`
import hostcall
from hostcall.dom import Element
el = get()
[isinstance(el, Element), isinstance(el, int), repr(el) == f"<Element {int(el)}>", label(el), el]`,
                {get: () => box, label: (el) => el.id});
            return {value: result.value.slice(0, 4), same: result.value[4] === box};
        }"""
    )
    assert result == {"value": [True, True, True, "box"], "same": True}


def test_the_same_object_keeps_one_id_while_handed_out(ready: BridgePage) -> None:
    result = ready.js(
        """() => {
            const box = document.createElement("div");
            return Hostcall.runWithHostFunctions("a = get()\\nb = get()\\n[a == b, count()]",
                {get: () => box, count: () => Hostcall.handleCount()});
        }"""
    )
    assert result["value"] == [True, 1]


def test_other_page_objects_cross_through_hostcall_handle(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const file = new File(["abc"], "a.txt");
            const result = await Hostcall.runWithHostFunctions(`
import hostcall
h = get()
[type(h).__name__, isinstance(h, hostcall.Handle), size(h)]`,
                {get: () => Hostcall.handle(file), size: (f) => f.size});
            return {value: result.value, listed: Hostcall.handles()};
        }"""
    )
    assert result["value"] == ["Handle", True, 3]
    assert result["listed"] == []  # made in that run, not kept: released at its end


@pytest.mark.modes("isolated", "open")
def test_garbage_collected_wrappers_release_their_handles(ready: BridgePage) -> None:
    result = ready.js(
        f"""() => Hostcall.runWithHostFunctions(`
start = count()
peak = 0
for i in range(2000):
    make("p")  # the wrapper dies at once
    peak = max(peak, count())
kept = make("div")
[start, peak, count()]`, {MAKE})"""
    )
    start, peak, end = result["value"]
    assert start == 0
    assert peak <= 2  # each dropped wrapper is released with the very next call
    assert end == 1


def test_handles_made_in_a_run_are_released_at_its_end_unless_kept(ready: BridgePage) -> None:
    result = ready.js(
        f"""async () => {{
            const handlers = {MAKE};
            const first = await Hostcall.runWithHostFunctions(`
import hostcall
temporary = make("b")
lasting = hostcall.keep(make("em"))
count()`, handlers);
            const between = Hostcall.handles();
            const second = await Hostcall.runWithHostFunctions(`
import hostcall
try:
    count(temporary)
    stale = None
except hostcall.StaleHandleError as error:
    stale = str(error)
[stale, isinstance(hostcall.StaleHandleError("x"), LookupError)]`, handlers);
            return {{during: first.value, between, second: second.value}};
        }}"""
    )
    assert result["during"] == 2
    assert [(h["kind"], h["label"], h["kept"]) for h in result["between"]] == [
        ("element", "<em>", True)
    ]
    message, is_lookup = result["second"]
    assert message.startswith("count() argument 1: handle ")
    assert "is stale" in message
    assert is_lookup is True


def test_a_stale_handle_never_reaches_the_handler(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            const other = Hostcall.createSession();
            await other.init();
            const box = document.createElement("div");
            let reached = 0;
            const first = await Hostcall.runWithHostFunctions(
                "import hostcall\\nh = hostcall.keep(get())\\nh", {get: () => box});
            // Forge a handle of the default session inside the other one.
            const second = await other.runWithHostFunctions(
                "from hostcall import Handle\\nuse(Handle(" + Hostcall.handles()[0].id + "))",
                {use: () => { reached++; }});
            await other.dispose();
            return {same: first.value === box, error: second.error, reached};
        }"""
    )
    assert result["same"] is True
    assert result["error"]["type"] == "StaleHandleError"
    assert result["error"]["message"].startswith("use() argument 1: handle")
    assert result["reached"] == 0


def test_disposing_forgets_every_handle(ready: BridgePage) -> None:
    result = ready.js(
        """async () => {
            await Hostcall.runWithHostFunctions("import hostcall\\nh = hostcall.keep(get())",
                {get: () => document.createElement("i")});
            const before = Hostcall.handleCount();
            await Hostcall.dispose();
            return [before, Hostcall.handleCount()];
        }"""
    )
    assert result == [1, 0]


def test_a_restarted_session_keeps_no_handle_export_or_note_of_its_old_worker(
    ready: BridgePage,
) -> None:
    result = ready.js(
        """async () => {
            const held = [];
            const handlers = {make: (tag) => document.createElement(tag),
                count: () => Hostcall.handleCount(), hold: (f) => { held.push(f); }};
            await Hostcall.runWithHostFunctions(`
import hostcall
kept = hostcall.keep(make("em"))
hold(lambda: "old")`, handlers);
            const before = Hostcall.handleCount();
            await Hostcall.dispose();
            await Hostcall.init();
            const after = await Hostcall.runWithHostFunctions(`
made = make("b")
hold(lambda: "new")
["kept" in globals(), count()]`, handlers);
            const [old, fresh] = held;
            return {before, after: after.value, left: Hostcall.handleCount(), fresh: await fresh(),
                old: await old().then(() => "resolved", (e) => e.code)};
        }"""
    )
    # The new worker's first export has the id the old one's had: each answers for its own.
    assert result == {
        "before": 1,
        "after": [False, 1],
        "left": 0,
        "fresh": "new",
        "old": "stale-handle",
    }


def test_many_create_and_collect_cycles_end_where_they_started(
    ready: BridgePage,
) -> None:
    result = ready.js(
        """async () => {
            const before = Hostcall.handleCount();
            const r = await Hostcall.runWithHostFunctions(`
for i in range(20_000):
    make("p")
count()`, {make: () => document.createElement("p"), count: () => Hostcall.handleCount()});
            return [before, r.value, Hostcall.handleCount()];
        }"""
    )
    before, during, after = result
    assert during <= before + 2
    assert after == before
