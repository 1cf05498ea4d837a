"""Python in a page's own ``<script type="text/python">`` blocks (docs/embed.md), in real Chromium.

Each test writes its pages (and their ``src=`` files) into a temporary folder and names its
modes (``mode``). The main one, ``"cross"``, is the set-up of a web developer: the pages on a
plain static host (``static_site``: no COOP/COEP, so JSPI) and bridge.js, its worker and Pyodide
from ``hostcall serve --cors`` on another port (``cors_server``). ``"isolated"`` serves the pages
from the dev server's own origin with its COOP/COEP headers (Playwright answers their requests
from the folder): atomics. Tests run both only where the transport could make a difference
(several blocks with host calls, event handlers).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from conftest import MODES, StaticSite
from hostcall.app import ISOLATION_HEADERS
from serverprocess import ServerProcess

EMBED_MODES = ["cross", "isolated"]
LOAD_TIMEOUT = 60_000  # Pyodide's first load on a busy 2-core machine
EVENTS = [
    "hostcall:progress",
    "hostcall:ready",
    "hostcall:done",
    "hostcall:error",
    "hostcall:all-done",
]

# Installed before bridge.js: every embed event in order, and a promise of the boot's end.
RECORDER = f"""<script>
window.seen = [];
for (const name of {json.dumps(EVENTS)}) {{
  document.addEventListener(name, (event) => seen.push({{
    name, on: event.target === document ? "document" : event.target.id, detail: event.detail,
  }}));
}}
window.allDone = new Promise((resolve) => document.addEventListener("hostcall:all-done", (e) => resolve(e.detail)));
</script>"""


class Site:
    """Pages written into a folder ``root`` and opened at ``base``.

    ``headers`` None: a real server serves the folder at ``base``. Otherwise Playwright answers
    the requests under ``base`` from the folder, with those headers.
    """

    def __init__(
        self,
        root: Path,
        base: str,
        bridge_url: str,
        context: BrowserContext,
        headers: dict[str, str] | None,
    ):
        self.root = root
        self.base = base
        self.bridge_url = bridge_url
        self.context = context
        self.headers = headers
        self.pages: list[Page] = []

    def write(self, name: str, text: str) -> str:
        """Write a file of the site; returns its URL."""
        (self.root / name).write_text(text, encoding="utf-8")
        return self.base + name

    def page(self, body: str, bridge: str = "", head: str = "") -> str:
        """A page with the recorder, bridge.js (``bridge``: more attributes) and ``body``."""
        tag = f'<script src="{self.bridge_url}" {bridge}></script>'
        # An icon of its own: the static host's 404 for /favicon.ico is no error of the page.
        icon = '<link rel="icon" href="data:,">'
        return f"<!doctype html><html><head>{icon}{RECORDER}{head}{tag}</head><body>{body}</body></html>"

    def open(self, body: str, bridge: str = "", head: str = "", name: str = "page.html") -> Page:
        """Write the page and load it, its console errors kept in ``page.errors``."""
        url = self.write(name, self.page(body, bridge, head))
        page = self.context.new_page()
        self.pages.append(page)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.errors = errors  # type: ignore[attr-defined]
        if self.headers is not None:
            page.route(self.base + "**", self._serve)
        page.goto(url)
        return page

    def _serve(self, route: Route) -> None:
        name = route.request.url.removeprefix(self.base).split("?")[0].split("#")[0]
        path = self.root / name
        headers = self.headers or {}
        if not path.is_file():
            route.fulfill(status=404, body="not found", headers=headers)
            return
        kind = mimetypes.guess_type(name)[0] or "text/plain"
        route.fulfill(body=path.read_bytes(), headers={**headers, "Content-Type": kind})


def isolated_site(server: ServerProcess, context: BrowserContext, root: Path) -> Site:
    """Pages at the dev server's own origin (``/embed-site/``), with its COOP/COEP."""
    base = server.url + "embed-site/"
    return Site(root, base, server.url + "bridge.js", context, dict(ISOLATION_HEADERS))


@pytest.fixture
def site(
    request: pytest.FixtureRequest,
    mode: str,
    contexts: dict[str, BrowserContext],
    tmp_path: Path,
) -> Iterator[Site]:
    if mode == "isolated":
        servers: dict[str, ServerProcess] = request.getfixturevalue("servers")
        made = isolated_site(servers["isolated"], contexts["isolated"], tmp_path)
    else:
        static_site: StaticSite = request.getfixturevalue("static_site")
        cors_server: ServerProcess = request.getfixturevalue("cors_server")
        # The test's folder, reached from the static site's root (http.server follows links).
        (static_site.root / tmp_path.name).symlink_to(tmp_path)
        base = f"{static_site.url}{tmp_path.name}/"
        made = Site(tmp_path, base, cors_server.url + "bridge.js", contexts["open"], None)
    yield made
    for page in made.pages:
        page.close()


def all_done(page: Page) -> dict[str, Any]:
    """Wait for ``hostcall:all-done``; its detail."""
    detail: dict[str, Any] = page.evaluate("allDone")
    return detail


def seen(page: Page) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = page.evaluate("seen")
    return events


def output_after(page: Page, block_id: str) -> str:
    """The text of the output element right after the block."""
    text: str = page.evaluate(
        """(id) => {
            const next = document.getElementById(id).nextElementSibling;
            return next?.classList.contains("hostcall-output") ? next.textContent : null;
        }""",
        block_id,
    )
    return text


def error_after(page: Page, block_id: str) -> str | None:
    """The text of the first ``.hostcall-error`` following the block (and its output)."""
    text: str | None = page.evaluate(
        """(id) => {
            let next = document.getElementById(id).nextElementSibling;
            if (next?.classList.contains("hostcall-output")) next = next.nextElementSibling;
            return next?.classList.contains("hostcall-error") ? next.textContent : null;
        }""",
        block_id,
    )
    return text


def wait_for_event(page: Page, block_id: str, name: str) -> dict[str, Any]:
    """The detail of the first ``name`` event of the block, waiting for it."""
    detail: dict[str, Any] = page.evaluate(
        """([id, name]) => new Promise((resolve) => {
            const found = seen.find((e) => e.on === id && e.name === name);
            if (found) return resolve(found.detail);
            document.getElementById(id).addEventListener(name, (e) => resolve(e.detail), {once: true});
        })""",
        [block_id, name],
    )
    return detail


PAGE_SEVERAL = """
<p id="out"></p>
<script type="text/python" id="one">
    from hostcall import dom
    greeting = "hello"
    print(greeting, "from block one")
</script>
<script type="text/python" id="two" src="two.py"></script>
<script type="text/python" id="three" target="#out">
    import asyncio
    await asyncio.sleep(0)
    print("awaited", shout)

    class Bold:
        def _repr_html_(self):
            return "<b id='bold'>bold</b>"

    display(Bold())
    display("plain <text>")
</script>
<div id="box"></div>
<script type="py" id="four">
    from hostcall import display
    display(42, target="#box")
    display("only this", target="#box", append=False)
    import sys
    print("careful", file=sys.stderr)
</script>
"""


@pytest.mark.parametrize("mode", EMBED_MODES)
def test_blocks_run_in_order_in_one_namespace(site: Site) -> None:
    site.write("two.py", 'shout = greeting.upper()\nprint("block two sees", shout)\n')
    page = site.open(PAGE_SEVERAL)
    assert all_done(page) == {"blocks": 4, "errors": 0}
    assert output_after(page, "one") == "hello from block one\n"
    assert output_after(page, "two") == "block two sees HELLO\n"
    # target=: the output goes into #out, not after the block.
    assert output_after(page, "three") is None
    out = page.locator("#out")
    assert out.text_content() == "awaited HELLO\nboldplain <text>"
    assert page.locator("#out .hostcall-display").count() == 2
    assert page.locator("#out b#bold").count() == 1
    assert page.locator("#box").text_content() == "only this"
    stderr = page.locator("#four + .hostcall-output .hostcall-stderr")
    assert stderr.text_content() == "careful\n"
    names = [(e["name"], e["on"]) for e in seen(page) if e["name"] != "hostcall:progress"]
    assert names == [
        ("hostcall:ready", "document"),
        ("hostcall:done", "one"),
        ("hostcall:done", "two"),
        ("hostcall:done", "three"),
        ("hostcall:done", "four"),
        ("hostcall:all-done", "document"),
    ]
    done = next(e["detail"] for e in seen(page) if e["on"] == "two")
    assert done["fileName"] == site.base + "two.py"
    assert done["result"]["stdout"] == "block two sees HELLO\n"
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["cross"])
def test_an_error_shows_beside_its_block_with_its_file_and_line(site: Site) -> None:
    site.write("bad.py", "x = 1\nraise KeyError('from src')\n")
    page = site.open(
        """
        <script type="text/python" id="one">print("fine")</script>
        <script type="text/python" id="two">
            def fail():
                raise ValueError("boom")

            print("before")
            fail()
        </script>
        <script type="text/python" id="three" src="bad.py"></script>
        <script type="text/python" id="four">print("later blocks still run")</script>
        """
    )
    assert all_done(page) == {"blocks": 4, "errors": 2}
    block2 = f"{site.base}page.html#block-2"
    error = error_after(page, "two")
    assert error == (
        "Traceback (most recent call last):\n"
        f'  File "{block2}", line 5, in <module>\n'
        f'  File "{block2}", line 2, in fail\n'
        "ValueError: boom"
    )
    assert output_after(page, "two") == "before\n"
    detail = wait_for_event(page, "two", "hostcall:error")
    assert detail["error"]["line"] == 2  # the innermost line of the block, as error.line is
    assert detail["fileName"] == block2
    src_error = error_after(page, "three")
    assert src_error is not None
    assert f'File "{site.base}bad.py", line 2, in <module>' in src_error
    assert src_error.endswith("KeyError: 'from src'")
    assert output_after(page, "four") == "later blocks still run\n"
    logged = page.errors  # type: ignore[attr-defined]
    assert len(logged) == 2 and "ValueError: boom" in logged[0] and "KeyError" in logged[1]


@pytest.mark.parametrize("mode", EMBED_MODES)
def test_an_event_handler_error_shows_beside_the_block_that_installed_it(site: Site) -> None:
    page = site.open(
        """
        <button id="press">press</button>
        <script type="text/python" id="first">print("first")</script>
        <script type="text/python" id="installer">
            from hostcall import dom
            button = dom.query("#press")
            def on_press(event):
                print("pressed", event.type)
                display("shown by the handler")
                raise RuntimeError("handler broke")
            button.on("click", on_press)
        </script>
        <script type="text/python" id="last">print("last")</script>
        """
    )
    assert all_done(page) == {"blocks": 3, "errors": 0}
    page.click("#press")
    detail = wait_for_event(page, "installer", "hostcall:error")
    assert detail["error"]["type"] == "RuntimeError"
    error = error_after(page, "installer")
    assert error is not None
    assert f'File "{site.base}page.html#block-2", line 6, in on_press' in error
    assert error.endswith("RuntimeError: handler broke")
    assert output_after(page, "installer") == "pressed click\nshown by the handler"
    assert output_after(page, "last") == "last\n"
    assert any("handler broke" in line for line in page.errors)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["cross"])
def test_manual_boot_waits_for_hostcall_boot(site: Site) -> None:
    page = site.open(
        '<script type="text/python" id="b">print("booted")</script>', 'data-boot="manual"'
    )
    page.wait_for_load_state("load")
    # An automatic boot would have taken the block at DOMContentLoaded, before "load".
    assert page.evaluate("document.getElementById('b').dataset.hostcallState") is None
    assert page.evaluate("Hostcall.discover().loading") is False
    assert page.evaluate("Hostcall.boot()") == {"blocks": 1, "errors": 0}
    assert page.evaluate("Hostcall.boot().then(() => 'same')") == "same"
    assert output_after(page, "b") == "booted\n"


@pytest.mark.parametrize("mode", ["cross"])
def test_bridge_included_twice_boots_once(site: Site) -> None:
    page = site.open(
        '<script type="text/python" id="b">count = globals().get("count", 0) + 1\nprint(count)</script>',
        head=f'<script src="{site.bridge_url}"></script>',
    )
    assert all_done(page) == {"blocks": 1, "errors": 0}
    assert page.locator(".hostcall-output").count() == 1
    assert output_after(page, "b") == "1\n"
    assert [e["name"] for e in seen(page)].count("hostcall:all-done") == 1


@pytest.mark.parametrize("mode", ["cross"])
def test_blocks_added_later_run_in_the_same_namespace(site: Site) -> None:
    page = site.open('<script type="text/python" id="a">base = 40</script>')
    all_done(page)
    page.evaluate(
        """() => {
            const wrapper = document.createElement("section");
            const block = document.createElement("script");
            block.type = "text/python";
            block.id = "late";
            block.textContent = "print(base + 2)";
            wrapper.append(block);
            document.body.append(wrapper);
        }"""
    )
    detail = wait_for_event(page, "late", "hostcall:done")
    assert detail["block"] == 2
    assert output_after(page, "late") == "42\n"


@pytest.mark.parametrize("mode", ["cross"])
def test_env_gives_blocks_a_session_of_their_own(site: Site) -> None:
    page = site.open(
        """
        <script type="text/python" id="d1">x = "default"</script>
        <script type="text/python" id="e1" env="other">x = "other"</script>
        <script type="text/python" id="d2">print(x)</script>
        <script type="text/python" id="e2" env="other">print(x)</script>
        """
    )
    assert all_done(page) == {"blocks": 4, "errors": 0}
    assert output_after(page, "d2") == "default\n"
    assert output_after(page, "e2") == "other\n"
    reached = page.evaluate(
        """async () => [
            (await Hostcall.session("other").run("x")).value,
            (await Hostcall.run("x")).value,
            Hostcall.session() === Hostcall.session("default"),
        ]"""
    )
    assert reached == ["other", "default", True]
    readies = [e["detail"]["env"] for e in seen(page) if e["name"] == "hostcall:ready"]
    assert sorted(readies) == ["default", "other"]


@pytest.mark.parametrize("mode", ["cross"])
def test_config_host_sets_and_every_bad_input_show_an_error(site: Site) -> None:
    site.write("limits.json", '{"limits": {"maxHostCalls": 1}}')
    page = site.open(
        """
        <script type="text/python" id="limited" env="limited" config="limits.json">
            from hostcall import browser
            browser.now()
            browser.now()
        </script>
        <script type="text/python" id="narrow" env="narrow" host="browser">
            from hostcall import browser, dom
            print(type(browser.now()).__name__)
            dom.root()
        </script>
        <script type="text/python" id="malformed" env="malformed" config='{"limits": '>1</script>
        <script type="text/python" id="unknown-option" env="u" config='{"timeout": 5}'>1</script>
        <script type="text/python" id="unknown-set" host="dom sockets">1</script>
        <script type="text/python" id="missing" src="missing.py"></script>
        <script type="text/pyhton" id="misnamed">1</script>
        <script type="text/python" id="nowhere" target="#absent">1</script>
        <script type="text/python" id="fine">print("fine")</script>
        """
    )
    assert all_done(page) == {"blocks": 9, "errors": 8}
    expected = {
        "limited": "HostCallLimitError: the run made more host calls than its limit",
        "narrow": "RuntimeError: host function 'dom_root' is not declared for this run",
        "malformed": "BlockError: the config attribute is not valid JSON",
        "unknown-option": 'HostcallError: init: unknown option "timeout"',
        "unknown-set": 'BlockError: host: unknown host function set "sockets"; the sets are dom, events, browser',
        "missing": f"BlockError: src {site.base}missing.py could not be loaded: 404",
        "misnamed": 'BlockError: type "text/pyhton" is not a Python block type',
        "nowhere": 'BlockError: target "#absent" matches no element of the page',
    }
    for block_id, start in expected.items():
        error = error_after(page, block_id)
        assert error is not None and start in error, (block_id, error)
        detail = wait_for_event(page, block_id, "hostcall:error")
        assert detail["error"]["type"] == start.split(":")[0]
        assert start.split(": ", 1)[1] in detail["error"]["message"]
    assert output_after(page, "narrow") == "datetime\n"
    assert output_after(page, "fine") == "fine\n"


@pytest.mark.modes("isolated")
def test_display_outside_a_block_says_why(ready: Any) -> None:
    result = ready.run("from hostcall import display\ndisplay(1)")
    assert result["error"]["type"] == "RuntimeError"
    assert "display() shows output beside a <script" in result["error"]["message"]


@pytest.mark.modes("isolated")
def test_a_page_without_blocks_is_left_as_it_was(bridge: Any) -> None:
    bridge.page.wait_for_load_state("load")
    untouched = bridge.js(
        """() => new Promise((resolve) => {
            const seen = () => resolve([document.querySelector("style[data-hostcall]"), Hostcall.discover().loading]);
            // the boot is over when all-done fires (or fired before we listened)
            Hostcall.boot().then(seen);
        })"""
    )
    assert untouched == [None, False]


def test_progress_comes_before_ready_on_a_first_visit(
    browser: Browser, servers: dict[str, ServerProcess], tmp_path: Path
) -> None:
    context = browser.new_context()  # no startup snapshot cached yet: Pyodide loads
    try:
        site = isolated_site(servers["isolated"], context, tmp_path)
        page = site.open('<script type="text/python" id="b">print(1)</script>')
        assert all_done(page) == {"blocks": 1, "errors": 0}
        names = [e["name"] for e in seen(page)]
        first_ready = names.index("hostcall:ready")
        progress = [e["detail"] for e in seen(page) if e["name"] == "hostcall:progress"]
        assert progress and "hostcall:progress" not in names[first_ready:]
        assert all(p["loaded"] <= p["total"] for p in progress if p["total"])
    finally:
        context.close()


@pytest.mark.parametrize("mode", list(MODES))
def test_the_showcase_form_is_answered_by_python(
    servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext], mode: str
) -> None:
    page = contexts[mode].new_page()
    try:
        page.goto(servers[mode].url)
        page.click("text=a form Python validates")
        expect(page.locator(".hostcall-output")).to_have_text(
            "Python is ready: fill in the form.\n", timeout=LOAD_TIMEOUT
        )
        page.fill("#email", "nobody")
        page.fill("#age", "7")
        page.click("#send")
        answer = page.locator("#answer")
        expect(answer).to_have_text(
            "Please give your name. 'nobody' does not look like an e-mail address. "
            "Age must be between 13 and 130."
        )
        expect(answer).to_have_class("answer bad")
        page.fill("#name", " Ada ")
        page.fill("#email", "ada@example.org")
        page.fill("#age", "36")
        page.click("#send")
        expect(answer).to_have_text("Welcome, Ada! We will write to ada@example.org.")
        expect(answer).to_have_class("answer good")
        assert page.url.endswith("/showcase/form.html")  # the submit was Python's, not a navigation
    finally:
        page.close()


@pytest.mark.parametrize("mode", ["cross"])
def test_a_block_after_one_whose_worker_was_killed_runs_in_a_new_one(site: Site) -> None:
    # Without isolation pure computation cannot be interrupted: the watchdog terminates it.
    page = site.open(
        """
        <script type="text/python" id="stuck" config='{"limits": {"timeoutMs": 1000}, "interruptGraceMs": 0}'>
            while True:
                pass
        </script>
        <script type="text/python" id="after">display("after the restart")</script>
        """
    )
    assert all_done(page) == {"blocks": 2, "errors": 1}
    error = error_after(page, "stuck")
    assert error is not None and error.startswith("HostcallError: the worker was terminated")
    assert output_after(page, "after") == "after the restart"
    assert [e["name"] for e in seen(page)].count("hostcall:ready") == 2
