"""The showcase at ``/``, driven as a person would: every gallery example through the UI.

One page per mode (cross-origin isolated: atomics; not: JSPI) serves every test of that
mode, so Python loads once per mode; each test selects its example and asserts only what
its own run shows. The console is watched throughout; the last test of each mode checks it
stayed clean and keeps screenshots in test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from conftest import MODES
from serverprocess import ServerProcess

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LOAD_TIMEOUT = 60_000  # Pyodide's first load on a busy 2-core machine


class Showcase:
    """The showcase page of one mode, with its console errors collected."""

    def __init__(self, page: Page, mode: str) -> None:
        self.page = page
        self.mode = mode
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )

    @property
    def output(self) -> Locator:
        return self.page.locator("#output")

    @property
    def page_area(self) -> Locator:
        return self.page.locator("#page-area")

    def wait_ready(self) -> None:
        expect(self.page.locator("#status-text")).to_have_text("Ready", timeout=LOAD_TIMEOUT)
        expect(self.page.locator("#run")).to_be_enabled()

    def select(self, title: str) -> None:
        self.wait_ready()
        self.page.get_by_role("button", name=re.compile(f"^{re.escape(title)}")).click()
        expect(self.page.locator("#example-about")).not_to_be_empty()

    def run(self) -> None:
        self.page.locator("#run").click()

    def finished(self) -> None:
        expect(self.output.locator(".note.done")).to_contain_text("finished in")


@pytest.fixture(scope="module", params=list(MODES))
def showcase(
    request: pytest.FixtureRequest,
    servers: dict[str, ServerProcess],
    contexts: dict[str, BrowserContext],
) -> Iterator[Showcase]:
    mode: str = request.param
    page = contexts[mode].new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    shown = Showcase(page, mode)
    page.goto(servers[mode].url)
    shown.wait_ready()
    yield shown
    page.close()


def test_status_bar_says_transport_why_and_versions(showcase: Showcase) -> None:
    page = showcase.page
    transport = "atomics" if showcase.mode == "isolated" else "jspi"
    expect(page.locator("#status-transport .badge")).to_have_text(transport)
    why = "cross-origin isolated" if transport == "atomics" else "not cross-origin isolated"
    expect(page.locator("#status-transport")).to_contain_text(why)
    expect(page.locator("#status-versions")).to_have_text(
        re.compile(r"Pyodide 314\.0\.7 · Python 3\.14\.\d+")
    )
    expect(page.locator("#status-startup")).to_have_text(re.compile(r"started in \d+\.\d\d s"))
    notice = page.locator("#isolation-notice")
    if transport == "atomics":
        expect(notice).to_be_hidden()
    else:  # what the page lost without isolation
        expect(notice).to_contain_text("Not cross-origin isolated")
        expect(notice).to_contain_text("Stop during pure computation")
    # A real editor, with Python highlighting.
    expect(page.locator("#editor[data-editor=codemirror] .cm-content")).to_have_attribute(
        "aria-label", "Python code"
    )
    expect(page.locator("#editor-notice")).to_be_hidden()


def test_hello_streams_stdout_and_stderr_run_by_keyboard(showcase: Showcase) -> None:
    page = showcase.page
    showcase.select("Hello, world")
    expect(page.locator(".cm-content")).to_contain_text("Hello from Python")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type('\nprint("typed by a person")\n21 * 2')
    page.keyboard.press("Control+Enter")
    showcase.finished()
    expect(showcase.output.locator(".stdout").first).to_contain_text("Hello from Python 3.14")
    expect(showcase.output).to_contain_text("step 3 of 3")
    expect(showcase.output.locator(".stderr")).to_contain_text("this line went to stderr")
    expect(showcase.output).to_contain_text("typed by a person")
    expect(showcase.output.locator(".value")).to_have_text("→ 42")


def test_dom_from_python_shows_in_the_page_area_and_handle_table(showcase: Showcase) -> None:
    page = showcase.page
    showcase.wait_ready()
    page.get_by_role("button", name="Run Build the page from Python").click()
    expect(showcase.page_area.locator("li")).to_have_count(5)
    expect(showcase.page_area).to_contain_text("2 ** 5 = 32")
    # While the run sleeps, its handles are in the live panel...
    expect(page.locator("#handle-rows")).to_contain_text("<section.card>")
    expect(page.locator("#handle-count")).not_to_have_text("0")
    showcase.finished()
    expect(showcase.output).to_contain_text("an int? True")
    # ...and released when it ends, the elements staying on the page.
    expect(page.locator("#handle-count")).to_have_text("0")
    expect(page.locator("#handle-empty")).to_be_visible()
    expect(showcase.page_area).to_contain_text("Powers of two, built from Python")


def test_click_counter_blocks_until_clicked(showcase: Showcase) -> None:
    showcase.select("Click counter")
    showcase.run()
    button = showcase.page_area.get_by_role("button", name="Click me")
    for clicks in ("1 time", "2 times", "3 times"):
        button.click()
        expect(showcase.page_area).to_contain_text(f"Clicked {clicks}")
    showcase.finished()
    expect(showcase.output).to_contain_text("Three clicks: done.")


def test_menu_loop_waits_for_any_button(showcase: Showcase) -> None:
    showcase.select("A menu in a while True loop")
    showcase.run()
    for drink in ("Tea", "Coffee", "Tea"):
        showcase.page_area.get_by_role("button", name=drink).click()
    expect(showcase.page_area).to_contain_text("Ordered: Tea, Coffee, Tea")
    showcase.page_area.get_by_role("button", name="Done").click()
    showcase.finished()
    expect(showcase.output).to_contain_text("3 drinks: Tea, Coffee, Tea")


def test_word_count_of_an_uploaded_file(showcase: Showcase, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("The cat sat.\nThe cat ran, the dog sat!\n")
    showcase.select("Count the words in a file")
    with showcase.page.expect_file_chooser() as chooser:
        showcase.run()
    chooser.value.set_files(text)
    showcase.finished()
    expect(showcase.output).to_contain_text("9 words, 2 lines")
    expect(showcase.output).to_contain_text("3  the")
    expect(showcase.output).to_contain_text("2  cat")


def test_python_on_the_server(showcase: Showcase) -> None:
    showcase.select("Python on the server")
    showcase.run()
    showcase.finished()
    expect(showcase.output).to_contain_text("The server runs Python 3.")
    expect(showcase.output).to_contain_text("9 words; most common: [('the', 3), ('cat', 2)]")
    expect(showcase.output).to_contain_text(
        "TypeError: word_stats() argument 'text' must be str, not int"
    )


def test_runaway_loop_stopped_then_timed_out(showcase: Showcase) -> None:
    page = showcase.page
    showcase.select("A runaway loop")
    expect(page.locator("#time-limit")).to_have_value("2")
    page.locator("#time-limit").fill("")  # no limit: only Stop can end it
    showcase.run()
    expect(showcase.output).to_contain_text("spinning")
    page.get_by_role("button", name="Stop", exact=True).click()
    if showcase.mode == "isolated":
        expect(showcase.output.locator(".error .summary")).to_have_text("KeyboardInterrupt")
    else:  # no shared memory: the worker is terminated, and a new one starts
        expect(showcase.output).to_contain_text("HostcallError [terminated]", timeout=10_000)
        expect(showcase.output.locator(".note.explain")).to_contain_text("Stop cannot reach Python")
    showcase.wait_ready()
    page.locator("#time-limit").fill("0.3")
    showcase.run()
    expect(showcase.output.locator(".error .summary")).to_contain_text(
        "TimeoutError: the run took longer than its time limit (timeoutMs=300)"
    )
    showcase.wait_ready()


def test_traceback_lines_link_to_the_editor(showcase: Showcase) -> None:
    page = showcase.page
    showcase.select("When it goes wrong")
    showcase.run()
    error = showcase.output.locator(".error")
    expect(error.locator(".summary")).to_have_text("ZeroDivisionError: division by zero")
    links = error.locator(".frame-link")
    expect(links).to_have_text(
        [
            'File "main.py", line 10, in <module>',
            'File "main.py", line 7, in report',
            'File "main.py", line 2, in average',
        ]
    )
    expect(error).to_contain_text("return sum(values) / len(values)")
    links.nth(2).click()
    expect(page.locator(".cm-activeLineGutter")).to_have_text("2")
    expect(page.locator(".cm-editor")).to_have_class(re.compile(r"\bcm-focused\b"))
    links.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".cm-activeLineGutter")).to_have_text("7")


def test_measure_shows_hostcall_and_the_floor(showcase: Showcase) -> None:
    page = showcase.page
    showcase.wait_ready()
    page.get_by_role("button", name="Measure", exact=True).click()
    number = re.compile(r"^\d+\.\d$")
    expect(page.locator("#measure-hostcall")).to_have_text(number, timeout=LOAD_TIMEOUT)
    expect(page.locator("#measure-floor")).to_have_text(number)
    expect(page.locator("#measure-ratio")).to_have_text(re.compile(r"^\d+\.\d\d\u00d7$"))
    assert float(page.locator("#measure-hostcall").inner_text()) > 0
    assert float(page.locator("#measure-floor").inner_text()) > 0
    expect(page.locator("#measure-about")).to_contain_text("Median µs per call")
    showcase.wait_ready()


def test_console_stayed_clean_and_screenshots(showcase: Showcase) -> None:
    """Last of each mode: no console error across the whole session; screenshots kept."""
    page = showcase.page
    ARTIFACTS.mkdir(exist_ok=True)
    showcase.select("Click counter")
    showcase.run()
    expect(showcase.page_area.get_by_role("button", name="Click me")).to_be_visible()
    expect(page.locator("#handle-rows")).to_contain_text("<button>")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=ARTIFACTS / f"showcase-{showcase.mode}.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / f"showcase-{showcase.mode}-phone.png")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role(
        "button", name="Stop", exact=True
    ).click()  # Python waits in a host call: stops at once
    expect(showcase.output.locator(".error .summary")).to_contain_text("KeyboardInterrupt")
    assert showcase.errors == []


def test_without_the_editor_the_page_falls_back_to_a_text_area(
    servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext]
) -> None:
    """The editor's assets failing to load leaves a plain text area and a visible notice.

    (It runs code as the editor does: Run reads the same ``editor.code()``.)
    """
    page = contexts["isolated"].new_page()
    page.route("**/vendor/**", lambda route: route.abort())
    page.goto(servers["isolated"].url + "#menu")
    expect(page.locator("#editor-notice")).to_contain_text("could not be loaded")
    area = page.get_by_role("textbox", name="Python code")
    expect(area).to_have_value(re.compile("wait_click_any"))
    expect(page.get_by_role("button", name=re.compile("^A menu"))).to_have_attribute(
        "aria-pressed", "true"
    )
    page.close()
