"""Shared fixtures: the real dev server (both modes) and one real Chromium per test session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

import hostcall
from hostcall.assets import asset_root
from hostcall.headless import CHROMIUM, CHROMIUM_ARGS
from hostcall.runtime import ensure_runtime
from serverprocess import ServerProcess, StaticServer

MODES = {"isolated": [], "open": ["--no-isolation"]}
# A host name the test browser resolves to loopback: a page served from it over http is not a
# secure context (as one from a LAN address is not), with no traffic beyond loopback.
INSECURE_HOST = "insecure.hostcall.test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that need no browser first.

    Sync Playwright keeps an event loop running in this thread for as long as its browser
    lives (the whole session), and asyncio-based tests cannot start theirs beside it.
    """
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, ServerProcess]]:
    started = {mode: ServerProcess(*flags) for mode, flags in MODES.items()}
    yield started
    for server in started.values():
        server.stop()


class StaticSite:
    """A plain static host (:class:`StaticServer`) of pages the tests write: the origin A of
    a CDN-style set-up. hostcall's files lie at its root too (``bridge.js``, ``hostcall-sw.js``,
    ``worker/``, ``web/``, ``pyodide/``), as a site hosting everything itself has them: the
    tier "service-worker" needs at least the first two hosted with the page (docs/hosting.md)."""

    def __init__(self, root: Path) -> None:
        for name in ("bridge.js", "hostcall-sw.js", "worker", "web"):
            (root / name).symlink_to(asset_root() / name)
        (root / "pyodide").symlink_to(ensure_runtime(lambda line: None))
        self.root = root
        self.server = StaticServer(root)
        self.url = self.server.url

    def page(self, name: str, html: str) -> str:
        """Write the page ``name`` (unique per test: the browser may cache it); its URL."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return self.url + name


@pytest.fixture(scope="session")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    site = StaticSite(tmp_path_factory.mktemp("static-site"))
    yield site
    site.server.stop()


@pytest.fixture(scope="session")
def cors_server() -> Iterator[ServerProcess]:
    """``hostcall serve --cors`` (pages of any origin may load its files): the origin B that
    serves bridge.js, its worker and the runtime to the static site's pages."""
    server = ServerProcess("--cors")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1"],
        )
        yield browser
        browser.close()


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def headless() -> AsyncIterator[hostcall.Browser]:
    """One :class:`hostcall.Browser` (its server and Chromium) for the async Python API's tests.

    Its loop is the session's, so those tests run in it (``loop_scope="session"``). Not named
    ``browser``: the tests using that one (sync Playwright, whose loop holds the main thread)
    run last, and these need the thread's loop first.
    """
    async with hostcall.Browser() as started:
        yield started


@pytest.fixture(scope="session")
def contexts(browser: Browser) -> Iterator[dict[str, BrowserContext]]:
    """One context per mode, so the HTTP cache spares reloading the runtime for every test."""
    made = {mode: browser.new_context() for mode in MODES}
    yield made
    for context in made.values():
        context.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a browser test with the page cross-origin isolated (atomics) and not (JSPI).

    ``@pytest.mark.modes("isolated")`` (on a test, or as a module's ``pytestmark``) narrows
    that where behaviour cannot differ between the transports; the closest marker wins.
    """
    if {"bridge", "ready"} & set(metafunc.fixturenames):
        marker = metafunc.definition.get_closest_marker("modes")
        metafunc.parametrize("mode", marker.args if marker else list(MODES))


class BridgePage:
    """A page of the dev server holding only bridge.js, with the console watched."""

    def __init__(self, page: Page, mode: str) -> None:
        self.page = page
        self.mode = mode
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def js(self, script: str, arg: Any = None) -> Any:
        """Evaluate ``script`` (an expression or an async function) in the page."""
        return self.page.evaluate(script, arg)

    def init(self) -> dict[str, Any]:
        info: dict[str, Any] = self.js("Hostcall.init()")
        return info

    def run(self, code: str, **options: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.js(
            "([code, options]) => Hostcall.run(code, options)", [code, options]
        )
        return result

    def failure(self, script: str, arg: Any = None) -> dict[str, Any]:
        """Evaluate a script expected to reject; return the error's name, code and message."""
        outcome: dict[str, Any] = self.js(
            f"""async (arg) => {{
                try {{ await ({script})(arg); return {{resolved: true}}; }}
                catch (e) {{ return {{name: e.name, code: e.code, message: e.message,
                                     isHostcallError: e instanceof Hostcall.HostcallError}}; }}
            }}""",
            arg,
        )
        assert not outcome.get("resolved"), f"expected {script} to reject"
        return outcome


def open_bridge_page(context: BrowserContext, server: ServerProcess) -> Page:
    page = context.new_page()
    page.goto(server.url + "showcase/blank.html")
    return page


@pytest.fixture
def bridge(
    servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext], mode: str
) -> Iterator[BridgePage]:
    page = open_bridge_page(contexts[mode], servers[mode])
    yield BridgePage(page, mode)
    page.close()


# What a test may have changed in a ready page, read after it: the default session (its info,
# handles, Python's globals with the registered host functions bound as a run binds them, its
# modules and builtins) and the page (its globals and DOM). The globals a test defined are
# dropped first (`fresh`: the names a fresh page has), as they are the state most tests leave.
PAGE_STATE = """async (fresh) => {
    const info = Hostcall.discover();
    if (!info.loaded || info.busy) return {info};
    if (fresh !== null) {
        await Hostcall.run(`[globals().pop(name) for name in set(globals()) - set(${JSON.stringify(fresh)})] and None`);
    }
    const python = await Hostcall.runWithHostFunctions(
        "import builtins, sys\\n[sorted(globals()), sorted(sys.modules), sorted(vars(builtins))]",
        {});
    return {info, python: python.value, handles: Hostcall.handles(),
            window: Object.getOwnPropertyNames(window).sort(),
            html: document.documentElement.outerHTML};
}"""


class ReadyPage(BridgePage):
    """A :class:`BridgePage` whose default session is initialised, and its state then."""

    def __init__(self, page: Page, mode: str) -> None:
        super().__init__(page, mode)
        self.init()
        self.fresh = self.state(None)

    def state(self, fresh_globals: list[str] | None) -> dict[str, Any]:
        state: dict[str, Any] = self.js(PAGE_STATE, fresh_globals)
        # A worker more than fresh is a session left undisposed.
        return {**state, "workers": len(self.page.workers), "errors": self.errors}

    def unchanged(self) -> bool:
        """Whether the page is as it was fresh, once the globals a test defined are dropped."""
        try:
            return self.state(self.fresh["python"][0]) == self.fresh
        except PlaywrightError:  # the test closed the page, or left it unable to answer
            return False


@pytest.fixture(scope="session")
def ready_pages() -> Iterator[dict[str, ReadyPage]]:
    """Per mode, the ready page the last test using one left unchanged."""
    kept: dict[str, ReadyPage] = {}
    yield kept
    for page in kept.values():
        page.page.close()


@pytest.fixture
def ready(
    servers: dict[str, ServerProcess],
    contexts: dict[str, BrowserContext],
    mode: str,
    ready_pages: dict[str, ReadyPage],
) -> Iterator[BridgePage]:
    """A bridge page whose default session is initialised.

    Starting a page's Pyodide is most of a short test's time, so a page a test leaves as it
    found it serves the next test of its mode; one it changed (disposed, crashed, left busy,
    registered host functions, imported modules, changed the page...) is closed instead.
    """
    page = ready_pages.pop(mode, None) or ReadyPage(
        open_bridge_page(contexts[mode], servers[mode]), mode
    )
    yield page
    if page.unchanged():
        ready_pages[mode] = page
    else:
        page.page.close()
