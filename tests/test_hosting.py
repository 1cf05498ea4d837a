"""Hosting anywhere (docs/hosting.md), in real Chromium: a page on a plain static host (origin A,
no special headers) with bridge.js from ``hostcall serve --cors`` (origin B), and the three
isolation tiers that ``discover()`` reports: "headers" (tests/test_bridge.py, on the dev
server's own pages), "service-worker" (hostcall-sw.js, one reload) and "none" (JSPI, with why).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from conftest import StaticSite
from serverprocess import ServerProcess

# A run, a host call and the standard host functions, reported with discover().
EXERCISE = """async (options) => {
    const info = await Hostcall.init(options);
    const run = await Hostcall.run("sum(range(10))");
    const call = await Hostcall.runWithHostFunctions("greet('Ada')", {greet: (name) => `hi ${name}`});
    const dom = await Hostcall.runWithHostFunctions(
        "from hostcall import dom\\ndom.root().append(dom.create('b', 'from Python'))\\n'ok'",
        Hostcall.hostFunctions());
    return {info, isolated: crossOriginIsolated, values: [run.value, call.value, dom.value],
            text: document.body.textContent, discovered: Hostcall.discover()};
}"""

# The same, as a page's own script: the outcome lands in <pre id="outcome"> (a selector the
# test can wait for across the service worker's reload).
PAGE_SCRIPT = f"""<script>
(({EXERCISE})(OPTIONS))
    .catch((error) => ({{error: `${{error.name}}: ${{error.message}}`}}))
    .then((outcome) => {{
        const pre = document.createElement("pre");
        pre.id = "outcome";
        pre.textContent = JSON.stringify(outcome);
        document.documentElement.append(pre);
    }});
</script>"""


def page_html(bridge_tag: str, options: dict[str, Any]) -> str:
    script = PAGE_SCRIPT.replace("OPTIONS", json.dumps(options))
    return f'<!doctype html><meta charset="utf-8">{bridge_tag}<body></body>{script}'


@pytest.fixture(scope="module")
def cross_context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for the tests without a service worker (the runtime stays in its cache)."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A page in a context of its own: no service worker registered by another test."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def navigations(page: Page) -> list[str]:
    """The main frame's navigations from now on (a reload counts)."""
    seen: list[str] = []
    page.on(
        "framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None
    )
    return seen


def outcome_of(page: Page) -> dict[str, Any]:
    text = page.locator("#outcome").text_content(timeout=120_000)
    assert text is not None
    result: dict[str, Any] = json.loads(text)
    return result


def test_bridge_from_another_origin_runs_and_calls_the_page(
    static_site: StaticSite, cors_server: ServerProcess, cross_context: BrowserContext
) -> None:
    page = cross_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(
        static_site.page("cross-origin.html", f'<script src="{cors_server.url}bridge.js"></script>')
    )
    outcome = page.evaluate(EXERCISE, {})
    page.close()
    assert outcome["values"] == [45, "hi Ada", "ok"]
    assert outcome["text"] == "from Python"
    assert outcome["isolated"] is False
    info = outcome["discovered"]
    assert (info["isolation"], info["transport"]) == ("none", "jspi")
    assert "suspend Python with JSPI" in info["reason"]
    assert "interrupt() cannot reach Python while it computes" in info["reason"]
    assert "served without Cross-Origin-Opener-Policy: same-origin" in info["reason"]
    assert "no service worker was asked for (data-service-worker)" in info["reason"]
    assert errors == []


@pytest.mark.parametrize("worker_from", ["the page's host", "another origin"])
def test_the_service_worker_isolates_the_page_with_one_reload(
    static_site: StaticSite, cors_server: ServerProcess, fresh_page: Page, worker_from: str
) -> None:
    """Everything hosted with the page (a static site), or only bridge.js and hostcall-sw.js
    with the worker and runtime of another origin (baseURL, a blob worker)."""
    options = {"baseURL": cors_server.url} if worker_from == "another origin" else {}
    name = "sw/own.html" if worker_from == "the page's host" else "sw/other.html"
    url = static_site.page(
        name, page_html('<script src="../bridge.js" data-service-worker></script>', options)
    )
    # hostcall-sw.js beside bridge.js, at the root: the page in sw/ is within its scope.
    seen = navigations(fresh_page)
    fresh_page.goto(url)
    outcome = outcome_of(fresh_page)
    assert outcome["values"] == [45, "hi Ada", "ok"]
    assert outcome["isolated"] is True
    info = outcome["discovered"]
    assert (info["isolation"], info["transport"]) == ("service-worker", "atomics")
    assert (
        f"the service worker {static_site.url}hostcall-sw.js added the isolation headers"
        in info["reason"]
    )
    assert seen == [url, url]  # the first load, and the one reload under the service worker
    # A later visit is controlled from the start: no reload at all.
    fresh_page.goto(url)
    assert outcome_of(fresh_page)["discovered"]["isolation"] == "service-worker"
    assert seen == [url, url, url]


def test_a_refused_registration_falls_through_to_jspi_without_reloading(
    static_site: StaticSite, cors_server: ServerProcess, fresh_page: Page
) -> None:
    url = static_site.page(
        "sw-missing.html",
        page_html(
            '<script src="bridge.js"></script>',
            {"baseURL": cors_server.url, "serviceWorker": "missing-sw.js"},
        ),
    )
    seen = navigations(fresh_page)
    fresh_page.goto(url)
    outcome = outcome_of(fresh_page)
    assert outcome["values"] == [45, "hi Ada", "ok"]
    info = outcome["discovered"]
    assert (info["isolation"], info["transport"]) == ("none", "jspi")
    assert f"the service worker {static_site.url}missing-sw.js did not isolate it" in info["reason"]
    assert "its registration was refused (TypeError:" in info["reason"]
    assert "bad HTTP response code (404)" in info["reason"]
    assert seen == [url]


def test_in_a_frame_the_service_worker_is_not_registered(
    static_site: StaticSite, cors_server: ServerProcess, fresh_page: Page
) -> None:
    framed = static_site.page(
        "framed.html",
        page_html(
            '<script src="bridge.js" data-service-worker></script>', {"baseURL": cors_server.url}
        ),
    )
    url = static_site.page("frame-parent.html", f'<!doctype html><iframe src="{framed}"></iframe>')
    seen = navigations(fresh_page)
    fresh_page.goto(url)
    text = fresh_page.frame_locator("iframe").locator("#outcome").text_content(timeout=120_000)
    assert text is not None
    info = json.loads(text)["discovered"]
    assert (info["isolation"], info["transport"]) == ("none", "jspi")
    assert "the page is in a frame, which a service worker cannot isolate" in info["reason"]
    assert seen == [url]
    registrations = fresh_page.evaluate(
        "() => navigator.serviceWorker.getRegistrations().then((found) => found.length)"
    )
    assert registrations == 0


def test_a_bad_data_service_worker_is_reported(
    static_site: StaticSite, cors_server: ServerProcess, cross_context: BrowserContext
) -> None:
    page = cross_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(
        static_site.page(
            "bad-attribute.html", '<script src="bridge.js" data-service-worker="http://["></script>'
        )
    )
    page.close()
    assert errors == ['bridge.js: data-service-worker must be empty or a URL, not "http://["']
