"""The standard host functions end to end: Python builds and drives a real page in Chromium.

Python blocks inside a host call while the test clicks, so most tests start a run without
awaiting it (:func:`start`), wait for what a person would wait for, act, and then read the
result. Nothing here waits a fixed time: every wait is for a selector or a condition.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FileChooser

from conftest import BridgePage

# The host functions are page code behind the bridge: they behave alike over both transports.
# The tests marked both-ways below also exercise the transports under real event waits.
pytestmark = pytest.mark.modes("isolated")
BOTH_WAYS = pytest.mark.modes("isolated", "open")

# Keeps Python busy in a host call until the test calls `window.release()`.
HOLD = "{hold: () => new Promise((resolve) => { window.release = resolve; })}"
COUNT = "{count: () => Hostcall.handleCount()}"

# A page-side poll, not a test-side sleep: browsers open a file chooser only within seconds
# of a user gesture, and every Playwright evaluation counts as one.
UNTIL_INACTIVE = """{until_inactive: () => new Promise((resolve) => {
    const poll = () => (navigator.userActivation.isActive ? setTimeout(poll, 50) : resolve());
    poll();
})}"""


def start(bridge: BridgePage, code: str, extra: str = "{}") -> None:
    """Start ``code`` with the standard host functions plus ``extra`` handlers; do not wait.

    ``window.entered[name]`` counts the calls of each host function as they begin, so a test
    can wait until Python is inside one; ``window.result`` is the run's promise.
    """
    bridge.js(
        f"""(code) => {{
            window.entered = {{}};
            const handlers = {{...Hostcall.hostFunctions(), ...{extra}}};
            for (const [name, handler] of Object.entries(handlers)) {{
                handlers[name] = (...args) => {{
                    window.entered[name] = (window.entered[name] ?? 0) + 1;
                    return handler(...args);
                }};
            }}
            window.result = Hostcall.runWithHostFunctions(code, handlers);
        }}""",
        code,
    )


def entered(bridge: BridgePage, name: str, times: int = 1) -> None:
    """Wait until Python has called host function ``name`` ``times`` times."""
    bridge.page.wait_for_function(
        "([name, times]) => (window.entered[name] ?? 0) >= times", arg=[name, times]
    )


def result(bridge: BridgePage) -> dict[str, Any]:
    """The completed run's result."""
    outcome: dict[str, Any] = bridge.js("window.result")
    return outcome


def value(bridge: BridgePage) -> Any:
    """The completed run's value, which must have succeeded."""
    outcome = result(bridge)
    assert outcome["ok"], outcome["error"]
    return outcome["value"]


def value_of(bridge: BridgePage, code: str, extra: str = "{}") -> Any:
    """Run ``code`` to completion with the standard host functions plus ``extra``; its value."""
    start(bridge, code, extra)
    return value(bridge)


# ---------------------------------------------------------------- the DOM --


def test_python_builds_a_small_page(ready: BridgePage) -> None:
    code = """
from hostcall import dom
app = dom.create("main", parent=dom.root(), classes=["app"])
app.set_attr("id", "app")
dom.create("h1", "Shopping", parent=app)
items = app.append(dom.create("ul"))
for name in ["apples", "bread", "cheese"]:
    dom.create("li", name, parent=items, classes=["item", name])
items.query("li.bread").add_class("done")
items.query("li.cheese").remove()
field = dom.create("input", parent=app)
field.set_attr("placeholder", "Add an item")
field.set_attr("required", True)
field.set_prop("value", "dates")
box = dom.create("input", parent=app)
box.set_attr("type", "checkbox")
box.set_prop("checked", True)

# The seed's bare style, on the same elements.
note = dom_create("p")
dom_text(note, "2 items")
dom_attr(note, "title", "count")
dom_append(app, note)
dom_class_add(note, "note")
dom_class_remove(app, "app")
[app.text, field.value, field.attr("required"), field.attr("missing"), box.prop("checked"),
 dom.query("h1").text, dom_query("li.item") == dom_query("li.apples"), dom_query("table")]
"""
    assert value_of(ready, code) == [
        "Shoppingapplesbread2 items",
        "dates",
        "",
        None,
        True,
        "Shopping",
        True,
        None,
    ]
    page = ready.page
    assert page.get_by_role("heading", name="Shopping").is_visible()
    assert page.get_by_role("listitem").all_inner_texts() == ["apples", "bread"]
    assert page.get_by_placeholder("Add an item").input_value() == "dates"
    assert page.inner_html("#app") == (
        "<h1>Shopping</h1>"
        '<ul><li class="item apples">apples</li><li class="item bread done">bread</li></ul>'
        '<input placeholder="Add an item" required=""><input type="checkbox">'
        '<p title="count" class="note">2 items</p>'
    )
    assert page.get_attribute("#app", "class") == ""
    assert page.is_checked("input[type=checkbox]")


def test_removed_elements_stay_usable_and_attributes_can_be_removed(ready: BridgePage) -> None:
    code = """
from hostcall import dom
card = dom.create("section", "card", parent=dom.root())
card.set_attr("hidden", True)
card.remove()
card.set_attr("hidden", None)
dom.root().append(card)
card.text = "back"
[card.attr("hidden"), dom.query("section").text]
"""
    assert value_of(ready, code) == [None, "back"]
    assert ready.page.text_content("section") == "back"
    assert ready.page.is_visible("section")


def test_root_scopes_the_functions_to_one_element(ready: BridgePage) -> None:
    ready.js(
        """() => {
            document.body.innerHTML = '<p class="x">outside</p><div id="mount"><p class="x">inside</p></div>';
        }"""
    )
    outcome = ready.js(
        """() => Hostcall.runWithHostFunctions(
            "dom_append(dom_root(), dom_create('b', 'new'))\\n[dom_text(dom_query('.x')), dom_attr(dom_root(), 'id')]",
            Hostcall.hostFunctions({root: "#mount", only: ["dom_root", "dom_query", "dom_text", "dom_attr", "dom_create", "dom_append"]}))"""
    )
    assert outcome["value"] == ["inside", "mount"]
    assert ready.page.inner_html("#mount") == '<p class="x">inside</p><b>new</b>'
    # Bad options throw at once (the bridge may wrap the module's TypeError; the words stay).
    problems = ready.js(
        """() => [{root: "#nowhere"}, {root: "a["}, {root: 5}, {only: ["dom_root", "dom_teleport"]}]
            .map((options) => {
                try { Hostcall.hostFunctions(options); return "accepted"; } catch (e) { return e.message; }
            })"""
    )
    assert (
        "createHostFunctions: root must be an element or a CSS selector matching one; "
        in problems[0]
    )
    assert problems[0].endswith('"#nowhere" is not')
    assert problems[1].endswith('createHostFunctions: root "a[" is not a valid CSS selector')
    assert problems[2].endswith(
        "createHostFunctions: root must be an element or a CSS selector matching one; 5 is not"
    )
    assert (
        'createHostFunctions: only names unknown host functions "dom_teleport"; known: dom_root, '
        in problems[3]
    )


# ---------------------------------------------------------------- events --


@BOTH_WAYS
def test_a_counter_driven_by_real_clicks_in_the_bare_style(ready: BridgePage) -> None:
    code = """
app = dom_root()
button = dom_create("button", "Add one")
dom_append(app, button)
shown = dom_create("output", "0")
dom_append(app, shown)
count = 0
while count < 3:
    assert dom_on_click(button) == "clicked"
    count += 1
    dom_text(shown, str(count))
count
"""
    start(ready, code)
    entered(ready, "dom_on_click")
    for _ in range(3):
        ready.page.click("text=Add one")
    assert value(ready) == 3
    assert ready.page.text_content("output") == "3"


def test_a_counter_driven_by_real_clicks_in_the_object_style(ready: BridgePage) -> None:
    code = """
from hostcall import dom
shown = dom.create("output", "0", parent=dom.root())
button = dom.create("button", "Add one", parent=dom.root())
events = []
for n in range(1, 3):
    event = button.wait_click()
    events.append([event.type, event.button, event.x >= 0, event.y >= 0, event.time > 1.7e9])
    shown.text = str(n)
events
"""
    start(ready, code)
    entered(ready, "dom_wait_event")
    ready.page.click("text=Add one")
    ready.page.wait_for_selector("output:text-is('1')")
    ready.page.click("text=Add one")
    assert value(ready) == [["click", 0, True, True, True]] * 2
    assert ready.page.text_content("output") == "2"


@BOTH_WAYS
def test_a_while_true_menu_loop_ends_on_quit(ready: BridgePage) -> None:
    code = """
from hostcall import dom
app = dom.root()
total = dom.create("output", "0", parent=app)
plus, minus, quit = (dom.create("button", label, parent=app) for label in ["+1", "-1", "Quit"])
count = 0
seen = []
while True:
    clicked = dom.wait_click_any([plus, minus, quit])
    seen.append(dom_text(clicked))
    if clicked is quit:
        break
    count += 1 if clicked is plus else -1
    total.text = str(count)
[count, seen]
"""
    start(ready, code)
    entered(ready, "dom_await_click_any")
    for label in ["+1", "+1", "-1", "+1", "Quit"]:
        ready.page.get_by_role("button", name=label).click()
    assert value(ready) == [2, ["+1", "+1", "-1", "+1", "Quit"]]
    assert ready.page.text_content("output") == "2"


def test_the_bare_click_any_returns_the_clicked_handle(ready: BridgePage) -> None:
    code = """
a = dom_create("button", "A")
b = dom_create("button", "B")
dom_append(dom_root(), a)
dom_append(dom_root(), b)
picked = dom_await_click_any([a, b])
[picked == b, picked == a, dom_text(picked)]
"""
    start(ready, code)
    entered(ready, "dom_await_click_any")
    ready.page.click("text=B")
    assert value(ready) == [True, False, "B"]


@BOTH_WAYS
def test_clicks_made_while_python_is_busy_are_queued_not_lost(ready: BridgePage) -> None:
    code = """
from hostcall import dom
button = dom.create("button", "Tap", parent=dom.root())
button.wait_click()  # the first wait starts queueing clicks on the button
hold()               # busy elsewhere while the person taps three more times
queued = 0
try:
    while True:
        button.wait_click(timeout=0)  # a queued click comes at once; none left: TimeoutError
        queued += 1
except TimeoutError:
    pass
queued
"""
    start(ready, code, HOLD)
    entered(ready, "dom_wait_event")
    ready.page.click("text=Tap")
    entered(ready, "hold")
    for _ in range(3):
        ready.page.click("text=Tap")
    ready.js("window.release()")
    assert value(ready) == 3


def test_click_any_takes_the_oldest_queued_click_first(ready: BridgePage) -> None:
    code = """
from hostcall import dom
buttons = [dom.create("button", label, parent=dom.root()) for label in "ABC"]
for button in buttons:
    button.listen("click")
hold()
order = []
try:
    while True:
        order.append(dom.wait_click_any(buttons, timeout=0).text)
except TimeoutError as error:
    timeout = str(error)
[order, timeout]
"""
    start(ready, code, HOLD)
    entered(ready, "hold")
    for label in "CABC":
        ready.page.click(f"text={label}")
    ready.js("window.release()")
    order, timeout = value(ready)
    assert order == ["C", "A", "B", "C"]
    assert timeout == (
        "dom_await_click_any: no click event on any of <button>, <button> or <button> within 0 s"
    )


def test_a_queue_keeps_the_latest_thousand_events(ready: BridgePage) -> None:
    code = """
from hostcall import dom
field = dom.create("input", parent=dom.root())
field.listen("input")
fire(field, 1005)
values = []
try:
    while True:
        values.append(field.wait_event("input", timeout=0).value)
except TimeoutError:
    pass
[len(values), values[0], values[-1]]
"""
    fire = """{fire: (field, count) => {
        for (let i = 0; i < count; i++) {
            field.value = String(i);
            field.dispatchEvent(new Event("input"));
        }
    }}"""
    assert value_of(ready, code, fire) == [1000, "5", "1004"]


def test_typed_text_and_keys_arrive_as_events(ready: BridgePage) -> None:
    code = """
from hostcall import dom
field = dom.create("input", parent=dom.root())
field.set_attr("aria-label", "Name")
field.listen("keydown")
typed = field.wait_event("input")
key = field.wait_event("keydown")
while key.key != "Enter":
    key = field.wait_event("keydown")
[typed.type, typed.value, typed.key, key.key, field.value, dom_value(field)]
"""
    start(ready, code)
    entered(ready, "dom_wait_event")
    name = ready.page.get_by_role("textbox", name="Name")
    name.fill("Ada")
    name.press("Enter")
    assert value(ready) == ["input", "Ada", None, "Enter", "Ada", "Ada"]


def test_listen_decides_default_and_propagation_on_the_page(ready: BridgePage) -> None:
    ready.js(
        """() => {
            window.bubbled = 0;
            document.addEventListener("click", () => { window.bubbled++; });
        }"""
    )
    code = """
from hostcall import dom
link = dom.create("a", "Elsewhere", parent=dom.root())
link.set_attr("href", "#elsewhere")
link.listen("click", prevent_default=True, stop_propagation=True)
link.wait_click().type
"""
    start(ready, code)
    entered(ready, "dom_listen")
    ready.page.click("text=Elsewhere")
    assert value(ready) == "click"
    assert ready.js("[location.hash, window.bubbled]") == ["", 0]


def test_a_wait_that_times_out_raises_timeout_error(ready: BridgePage) -> None:
    code = """
from hostcall import dom
button = dom.create("button", "Never", parent=dom.root())
button.set_attr("id", "never")
caught = []
for wait in [lambda: button.wait_click(timeout=0.05),
             lambda: dom_wait_event(button, "focus", timeout=0.05),
             lambda: dom_on_click(button, timeout=0)]:
    try:
        wait()
    except TimeoutError as error:
        caught.append(str(error))
caught
"""
    assert value_of(ready, code) == [
        "dom_wait_event: no click event on <button#never> within 0.05 s",
        "dom_wait_event: no focus event on <button#never> within 0.05 s",
        "dom_on_click: no click event on <button#never> within 0 s",
    ]


def test_a_kept_elements_queue_outlives_the_run_and_dies_with_its_handle(
    ready: BridgePage,
) -> None:
    first_run = """
import hostcall
from hostcall import dom
bell = hostcall.keep(dom.create("button", "Ring", parent=dom.root()))
bell.listen("click")
"""
    assert ready.js(
        "(code) => Hostcall.runWithHostFunctions(code, Hostcall.hostFunctions())", first_run
    )["ok"]
    for _ in range(3):  # between the runs, with no Python waiting
        ready.page.click("text=Ring")
    code = """
from hostcall import dom
rings = [bell.wait_click(timeout=0).type for _ in range(2)]  # two of the three
bell.free()  # drops the button's queue, the third click with it
again = dom.query("button")  # the same button, under a new handle
try:
    again.wait_click(timeout=0)
    left = "a click from before the free"
except TimeoutError:
    left = None
[rings, left, again == bell]
"""
    assert value_of(ready, code) == [["click", "click"], None, False]
    assert ready.js("Hostcall.handleCount()") == 0


# ---------------------------------------------------------------- files --

# Tells the test when the picker's fallback appears, through the console: waiting for it with
# an evaluation would itself be a user gesture.
WATCH_FILE_REQUEST = """() => {
    window.fileRequests = 0;
    new MutationObserver(() => {
        const shown = Boolean(document.querySelector(".hostcall-file-request"));
        if (shown === Boolean(window.fileRequestShown)) return;
        window.fileRequestShown = shown;
        if (shown) window.fileRequests++;
        console.log(shown ? "file request shown" : "file request gone");
    }).observe(document.body, {childList: true, subtree: true});
}"""


def KEEP_INTERCEPTING(chooser: FileChooser) -> None:
    """A listener that keeps Playwright intercepting file choosers for the whole test."""


def test_without_a_recent_gesture_a_button_asks_for_the_file(ready: BridgePage) -> None:
    code = """
from hostcall import UserCancelledError, browser
until_inactive()
chosen = browser.pick_file(accept=".txt")
until_inactive()
try:
    browser.pick_file()
    second = "chosen"
except UserCancelledError as error:
    second = [type(error).__name__, str(error)]
[chosen.name, chosen.type, chosen.size, chosen.text, chosen.data, second]
"""
    page = ready.page
    ready.js(WATCH_FILE_REQUEST)
    with page.expect_console_message(lambda m: m.text == "file request shown", timeout=60_000):
        start(ready, code, UNTIL_INACTIVE)
    choose = page.get_by_role("button", name="Choose a file…")
    assert page.get_by_role("group", name="The program asks for a file").is_visible()
    assert page.get_by_role("button", name="Cancel").is_visible()
    with page.expect_file_chooser() as chooser:
        choose.click()
    assert chooser.value.element.get_attribute("accept") == ".txt"
    with page.expect_console_message(lambda m: m.text == "file request gone"):
        chooser.value.set_files(
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"h\xc3\xa9llo"}
        )
    with page.expect_console_message(lambda m: m.text == "file request shown", timeout=60_000):
        pass  # the second request waits out the gesture of the click
    page.get_by_role("button", name="Cancel").click()
    assert value(ready) == [
        "notes.txt",
        "text/plain",
        6,
        "héllo",
        None,
        ["UserCancelledError", "pick_file: the file choice was cancelled"],
    ]
    assert page.locator(".hostcall-file-request").count() == 0
    assert ready.js("window.fileRequests") == 2


@BOTH_WAYS
def test_right_after_a_click_the_chooser_opens_at_once(ready: BridgePage) -> None:
    code = """
from hostcall import UserCancelledError, browser, dom
button = dom.create("button", "Open", parent=dom.root())
button.wait_click()
text = upload_file(accept=".csv")
button.wait_click()
picked = browser.pick_file(binary=True)
button.wait_click()
try:
    browser.upload_file()
except UserCancelledError as error:
    cancelled = str(error)
[text, picked.name, picked.size, type(picked.data).__name__, list(picked.data), picked.text,
 cancelled]
"""
    page = ready.page
    page.on("filechooser", KEEP_INTERCEPTING)
    ready.js(WATCH_FILE_REQUEST)
    start(ready, code)
    for times in (1, 2):
        entered(ready, "dom_wait_event", times)
        with page.expect_file_chooser() as chooser:
            page.click("text=Open")
        if times == 1:
            assert chooser.value.element.get_attribute("accept") == ".csv"
            chooser.value.set_files(
                {"name": "a.csv", "mimeType": "text/csv", "buffer": b"x,y\n1,2\n"}
            )
        else:
            chooser.value.set_files({"name": "b.bin", "mimeType": "", "buffer": bytes([0, 1, 255])})
    entered(ready, "dom_wait_event", 3)
    with page.expect_file_chooser() as chooser:
        page.click("text=Open")
    chooser.value.set_files([])  # the chooser closed with no file chosen
    assert value(ready) == [
        "x,y\n1,2\n",
        "b.bin",
        3,
        "bytes",
        [0, 1, 255],
        None,
        "upload_file: the file choice was cancelled",
    ]
    assert ready.js("window.fileRequests") == 0


def test_download_saves_text_and_bytes(ready: BridgePage) -> None:
    page = ready.page
    with page.expect_download() as saved:
        start(
            ready,
            'from hostcall import browser\nbrowser.download("scores.csv", "name,score\\nAda,3\\n", mime="text/csv")',
        )
    assert result(ready)["ok"]
    assert saved.value.suggested_filename == "scores.csv"
    assert Path(saved.value.path()).read_bytes() == b"name,score\nAda,3\n"
    with page.expect_download() as saved:
        start(ready, 'download("data.bin", bytes(range(256)))')
    assert result(ready)["ok"]
    assert saved.value.suggested_filename == "data.bin"
    assert Path(saved.value.path()).read_bytes() == bytes(range(256))


# ---------------------------------------------------------------- browser APIs --


def test_now_sleep_log_storage_and_json(ready: BridgePage) -> None:
    messages: list[str] = []
    ready.page.on("console", lambda message: messages.append(message.text))
    ready.js("localStorage.removeItem('hostcall-test')")
    code = """
import datetime, time
from hostcall import browser
before = browser.now()
began = time.monotonic()
browser.sleep(0.25)
slept = time.monotonic() - began
browser.log("hello from", "Python", 42)
log("bare", 1.5, None, True)
missing = browser.storage_get("hostcall-test")
browser.storage_set("hostcall-test", "kept")
stored = storage_get("hostcall-test")
storage_set("hostcall-other", "gone")
storage_set("hostcall-other", None)
[before.tzinfo == datetime.UTC, abs((datetime.datetime.now(datetime.UTC) - before).total_seconds()) < 60,
 isinstance(now(), str), slept >= 0.24, missing, stored, storage_get("hostcall-other"),
 json_dumps({"a": [1, 2.5, None, True], "b": "é"}), json_dumps(None)]
"""
    assert value_of(ready, code) == [
        True,
        True,
        True,
        True,
        None,
        "kept",
        None,
        '{"a":[1,2.5,null,true],"b":"é"}',
        "null",
    ]
    assert "hello from Python 42" in messages
    assert "bare 1.5 null true" in messages
    assert ready.js("localStorage.getItem('hostcall-test')") == "kept"
    ready.js("localStorage.removeItem('hostcall-test')")


# ---------------------------------------------------------------- handles --


@BOTH_WAYS
def test_handle_count_returns_to_its_start_after_many_creations(ready: BridgePage) -> None:
    code = """
from hostcall import dom
start = count()
peak = 0
for i in range(2000):
    dom_create("div")  # dropped at once: the next call releases it
    if i % 100 == 0:
        peak = max(peak, count())
for i in range(200):
    with dom.create("span") as span:  # freed when the block ends
        span.text = str(i)
    peak = max(peak, count())
[start, peak]
"""
    before = ready.js("Hostcall.handleCount()")
    start_count, peak = value_of(ready, code, COUNT)
    assert start_count == before == 0
    assert peak <= 2
    assert ready.js("Hostcall.handleCount()") == before


def test_a_hundred_thousand_handles_made_and_freed_leave_the_table_as_it_was(
    ready: BridgePage,
) -> None:
    outcome = ready.js(
        """async () => {
            const {dom_free} = Hostcall.hostFunctions();
            const before = Hostcall.handleCount();
            let made = 0, peak = 0;
            const result = await Hostcall.runWithHostFunctions(`
for i in range(100):
    batch = make(1000)
    count()
    if i % 2:
        free_all(batch)
    del batch  # the other half: released as the wrappers are collected
count()`, {
                // A thousand new elements per call, each handed out to Python as a handle.
                make: (n) => Array.from({length: n}, () => { made++; return document.createElement("i"); }),
                // Freed on the page, directly, while Python still holds the wrappers.
                free_all: (elements) => { for (const element of elements) dom_free(element); },
                count: () => { peak = Math.max(peak, Hostcall.handleCount()); },
            });
            return {ok: result.ok, before, made, peak, after: Hostcall.handleCount()};
        }"""
    )
    assert outcome == {"ok": True, "before": 0, "made": 100_000, "peak": 1000, "after": 0}


# ---------------------------------------------------------------- misuse --


@BOTH_WAYS
def test_each_bad_call_raises_a_specific_exception_naming_function_and_argument(
    ready: BridgePage,
) -> None:
    code = """
from hostcall import StaleHandleError, dom
box = dom.create("div", parent=dom.root())
freed = dom.create("p")
dom_free(freed)
blob = make_blob()
field = dom.create("input")
cases = {
    "wrong type": lambda: dom_text("box"),
    "wrong type of value": lambda: dom_text(box, 5),
    "wrong type in list": lambda: dom_await_click_any([box, "x"]),
    "too many": lambda: dom_text(box, "a", "b"),
    "missing": lambda: dom_append(box),
    "unknown keyword": lambda: dom_create("p", colour="red"),
    "twice": lambda: dom_create("p", "a", text="b"),
    "freed handle": lambda: dom_text(freed),
    "freed bare id": lambda: dom_text(int(freed)),
    "never a handle": lambda: dom_free(123456789),
    "wrong kind": lambda: dom_text(blob),
    "bad selector": lambda: dom_query("li[", within=box),
    "bad tag": lambda: dom_create("1x"),
    "bad class": lambda: box.add_class("two words"),
    "not a form control": lambda: dom_value(box),
    "element in itself": lambda: dom_append(box, box),
    "not plain data": lambda: box.prop("classList"),
    "read-only property": lambda: box.set_prop("tagName", "p"),
    "empty list": lambda: dom_await_click_any([]),
    "negative time": lambda: sleep(-1),
    "not JSON": lambda: json_dumps({1, 2}),
    "infinity in JSON": lambda: json_dumps([1, float("inf")]),
    "not text to store": lambda: storage_set("k", 5),
    "not a timeout": lambda: field.wait_event("input", timeout="soon"),
}
outcomes = {}
for name, bad_call in cases.items():
    try:
        bad_call()
        outcomes[name] = "no exception"
    except Exception as error:
        outcomes[name] = [type(error).__name__, str(error)]
outcomes["stale is a LookupError"] = issubclass(StaleHandleError, LookupError)
outcomes
"""
    outcomes = value_of(ready, code, "{make_blob: () => Hostcall.handle(new Blob(['x']))}")
    stale = "is stale: it was freed"
    expected = {
        "wrong type": [
            "TypeError",
            "dom_text: argument 1 (element) must be an element handle, not str",
        ],
        "wrong type of value": ["TypeError", "dom_text: argument 2 (text) must be str, not int"],
        "wrong type in list": [
            "TypeError",
            "dom_await_click_any: argument 1 (elements)[1] must be an element handle, not str",
        ],
        "too many": ["TypeError", "dom_text: takes 1 to 2 arguments (element, text), not 3"],
        "missing": ["TypeError", "dom_append: argument 2 (child) is missing"],
        "unknown keyword": ["TypeError", 'dom_create: got an unexpected keyword argument "colour"'],
        "twice": [
            "TypeError",
            "dom_create: argument 2 (text) was given twice, by position and by keyword",
        ],
        "wrong kind": [
            "TypeError",
            "dom_text: argument 1 (element) must be an element handle, not a Blob handle",
        ],
        "bad selector": [
            "ValueError",
            'dom_query: argument 1 (selector) is not a valid CSS selector: "li["',
        ],
        "bad tag": ["ValueError", 'dom_create: argument 1 (tag) is not a valid tag name: "1x"'],
        "bad class": [
            "ValueError",
            'dom_class_add: argument 2 (name) must be one class name, without spaces, not "two words"',
        ],
        "not a form control": [
            "TypeError",
            "dom_value: argument 1 (element) must be an input, select or textarea element, not <div>",
        ],
        "element in itself": [
            "ValueError",
            "dom_append: argument 2 (child) <div> cannot go inside argument 1 (parent) <div>, which it contains",
        ],
        "not plain data": [
            "TypeError",
            'dom_prop: property "classList" of <div> is a DOMTokenList, not plain data',
        ],
        "empty list": [
            "ValueError",
            "dom_await_click_any: argument 1 (elements) is empty: with no element to click, the wait would never end",
        ],
        "negative time": [
            "ValueError",
            "sleep: argument 1 (seconds) must be from 0 to 2147483 seconds, not -1",
        ],
        "not JSON": [
            "TypeError",
            "json_dumps: argument 1 (value) must be JSON data (None, bool, int, float, str, list or dict), not set",
        ],
        "infinity in JSON": [
            "ValueError",
            "json_dumps: argument 1 (value)[1] is Infinity, which JSON cannot hold",
        ],
        "not text to store": [
            "TypeError",
            "storage_set: argument 2 (value) must be str or None, not int",
        ],
        "not a timeout": [
            "TypeError",
            "dom_wait_event: argument 3 (timeout) must be int or float (seconds), not str",
        ],
        "stale is a LookupError": True,
    }
    for name, outcome in expected.items():
        assert outcomes[name] == outcome, name
    for name, prefix in [
        ("freed handle", "dom_text() argument 1: handle "),
        ("freed bare id", "dom_text: argument 1 (element): handle "),
        ("never a handle", "dom_free: argument 1 (handle): handle 123456789 "),
    ]:
        kind, message = outcomes[name]
        assert kind == "StaleHandleError", name
        assert message.startswith(prefix) and stale in message, name
    read_only = outcomes["read-only property"]
    assert read_only[0] == "TypeError"
    assert read_only[1].startswith('dom_prop: property "tagName" of <div> cannot be set')
    # A bad call leaves the session as it was: the next run works, with nothing left over.
    assert value_of(ready, "dom_text(dom_create('p', 'fine'))") == "fine"
    assert ready.js("Hostcall.handleCount()") == 0
    assert not ready.errors


def test_a_setters_value_may_be_passed_by_keyword_where_no_dict_is_meant(
    ready: BridgePage,
) -> None:
    """``dom_text(el, text="hi")`` works as Python reads it; dom_prop's value may be a dict."""
    code = """
box = dom_create("p")
dom_text(box, text="hi")
dom_attr(box, "title", value="note")
dom_prop(box, "hostcallNote", {"value": 1})
outcomes = [dom_text(box), dom_attr(box, "title"), dom_prop(box, "hostcallNote")]
try:
    dom_text(box, txt="hi")
except TypeError as error:
    outcomes.append(str(error))
outcomes
"""
    assert value_of(ready, code) == [
        "hi",
        "note",
        {"value": 1},
        'dom_text: got an unexpected keyword argument "txt"',
    ]


@BOTH_WAYS
def test_a_python_handler_runs_on_real_clicks_after_the_run(ready: BridgePage) -> None:
    ready.js("() => Hostcall.register(Hostcall.hostFunctions())")
    outcome = ready.js(
        """() => Hostcall.runWithHostFunctions(`
import hostcall
from hostcall import dom
clicks = []
counter = hostcall.keep(dom.create("output", "0", parent=dom.root()))
counter.set_attr("id", "counter")
button = hostcall.keep(dom.create("button", "Add", parent=dom.root()))
button.set_attr("id", "add")
def on_click(event):
    clicks.append(event.type)
    counter.text = str(len(clicks))
    if len(clicks) == 3:
        raise ValueError("third click")
button.on("click", on_click)
"attached"`)"""
    )
    assert outcome["value"] == "attached"  # the run is over; the handler stays
    for expected in ("1", "2"):
        ready.page.click("#add")
        ready.page.wait_for_function(
            "(n) => document.querySelector('#counter').textContent === n", arg=expected
        )
    with ready.page.expect_event("pageerror") as error:
        ready.page.click("#add")
    assert "ValueError: third click" in str(error.value)
    assert ready.js("() => Hostcall.runWithHostFunctions(\"button.off('click')\")")["ok"]
    ready.page.click("#add")
    assert ready.js("() => Hostcall.run('len(clicks)')")["value"] == 3
