"""Server-side host functions of another origin: a page served on one port connects to a
``HostFunctions`` application on another port, in real Chromium, allowed and refused."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import BrowserContext, Page

from hostcall import HostFunctions
from serverprocess import ServerProcess

CONNECT_AND_RUN = """async (url) => {
    let remote;
    try {
        remote = await Hostcall.connect(url);
    } catch (error) {
        return {refused: error.code, message: error.message};
    }
    await Hostcall.init();
    const result = await Hostcall.runWithHostFunctions("lookup(3)", remote.handlers);
    remote.close();
    return result.ok ? {value: result.value} : {error: result.error.message};
}"""


class ThreadedApp:
    """An aiohttp application on 127.0.0.1, a port of its own, served from a thread."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        assert ready.wait(30), "the application did not start"

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", 0).start())
        self.port: int = self.runner.addresses[0][1]
        ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)


def functions_app(origins: list[str]) -> web.Application:
    functions = HostFunctions(origins=origins)

    @functions.host_function
    async def lookup(user_id: int) -> dict[str, Any]:
        return {"id": user_id}

    app = web.Application()
    functions.setup(app)
    return app


@pytest.fixture
def page(
    servers: dict[str, ServerProcess], contexts: dict[str, BrowserContext], mode: str
) -> Iterator[Page]:
    page = contexts[mode].new_page()
    page.goto(servers[mode].url + "showcase/blank.html")
    yield page
    page.close()


def run_against(page: Page, origins: list[str]) -> dict[str, Any]:
    other = ThreadedApp(functions_app(origins))
    try:
        outcome: dict[str, Any] = page.evaluate(
            CONNECT_AND_RUN, f"http://127.0.0.1:{other.port}/hostcall"
        )
    finally:
        other.stop()
    return outcome


@pytest.mark.parametrize("mode", ["isolated", "open"])
def test_a_page_calls_the_functions_of_another_origin_that_allows_it(page: Page) -> None:
    page_origin = page.evaluate("location.origin")
    assert run_against(page, [page_origin]) == {"value": {"id": 3}}


@pytest.mark.parametrize("mode", ["isolated", "open"])
def test_a_page_of_an_origin_not_allowed_is_told_so(page: Page) -> None:
    page_origin = page.evaluate("location.origin")
    outcome = run_against(page, ["https://app.example"])
    assert outcome == {
        "refused": "remote-refused",
        "message": f"connect: the server refused a session (HTTP 403): origin {page_origin} "
        "is not allowed",
    }
