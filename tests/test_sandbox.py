"""The sandbox: user code is kept from the worker's JavaScript unless the page allows it,
and the worker's Content-Security-Policy keeps even allowed JavaScript off the network."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import BridgePage

FETCH = """
import js
from pyodide.ffi import create_proxy, to_js

violations = []
js.self.addEventListener(
    "securitypolicyviolation",
    create_proxy(lambda e: violations.append([e.violatedDirective, e.blockedURI])),
)

async def get(url):
    # no-cors: a cross-origin request that nothing but the policy would stop
    options = to_js({"mode": "no-cors"}, dict_converter=js.Object.fromEntries)
    try:
        return (await js.fetch(url, options)).status
    except Exception as error:
        return str(error)

import asyncio

statuses = [await get(url) for url in ("/pyodide/pyodide-lock.json", "/bridge.js", "http://127.0.0.1:9/elsewhere")]
for _ in range(1000):  # the violation events follow the refusals: wait for both
    if len(violations) == 2:
        break
    await asyncio.sleep(0.01)
[*statuses, violations]
"""


def test_python_in_the_worker_reaches_its_runtime_only(bridge: BridgePage) -> None:
    bridge.js("Hostcall.init({allowJs: true})")
    result = bridge.run(FETCH)
    runtime, page_script, elsewhere, violations = result["value"]
    assert runtime == 200
    assert "Failed to fetch" in str(page_script)
    assert "Failed to fetch" in str(elsewhere)
    origin = bridge.page.url.split("/showcase/")[0]
    assert violations == [
        ["connect-src", f"{origin}/bridge.js"],
        ["connect-src", "http://127.0.0.1:9/elsewhere"],
    ]


class Outside:
    """Another origin, recording every request that reaches it: the probes' witness."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                paths.append(self.path)
                body = b"export {};"
                self.send_response(200)
                # Readable from any page, isolated or not: only the policy stands in the way.
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture(scope="module")
def outside() -> Iterator[Outside]:
    witness = Outside()
    yield witness
    witness.close()


def probe(page: BridgePage, script: str, outside: Outside) -> Any:
    """Run the JavaScript ``script`` (an async function of the outside origin's URL) from
    user Python with allowJs off, through the import block's documented gap (Pyodide's
    functions, reached through modules already loaded), and return what it resolved with."""
    code = (
        "import sys\n"
        "run_js = sys.modules['pyodide.code'].run_js\n"
        f"(await run_js({script!r})({outside.url!r})).to_py()"
    )
    result = page.run(code, limits={"timeoutMs": 100_000})
    assert result["ok"], result["error"]
    return result["value"]


NESTED_WORKERS = """(async (outside) => {
  const attempt = (url, options, message) => new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(url, options);
    } catch (error) {
      return resolve(`refused: ${error.name}`);
    }
    worker.onerror = () => resolve("did not start");
    worker.onmessage = ({ data }) => {
      if (data.kind === "call") worker.postMessage({ kind: "reply", value: 0 });
      else resolve(data.kind === "escaped" ? "escaped" : "answered");
    };
    if (message) worker.postMessage(message);
  });
  const escape = `fetch("${outside}/nested-fetch"); self.postMessage({kind: "escaped"})`;
  // The benchmark's floor worker: it used to import whatever index URL it was posted.
  const floor = { kind: "jspi", count: 1,
                  indexURL: `data:text/javascript,${encodeURIComponent(escape)}//` };
  const script = `${escape}; import("${outside}/nested-import.mjs")`;
  return {
    webFloor: await attempt("/web/floor-worker.js", { type: "module" }, floor),
    benchFloor: await attempt("/bench/floor-worker.js", { type: "module" }, floor),
    blob: await attempt(URL.createObjectURL(new Blob([script], { type: "text/javascript" }))),
    data: await attempt(`data:text/javascript,${encodeURIComponent(script)}`),
  };
})"""


def test_no_worker_python_can_start_gets_out(bridge: BridgePage, outside: Outside) -> None:
    """Issue 14, item 12: every worker Python can start carries the policy or is refused."""
    bridge.init()
    outcome = probe(bridge, NESTED_WORKERS, outside)
    assert outcome == {
        "webFloor": "did not start",  # no longer served
        "benchFloor": "answered",  # served with the policy; loads only the server's Pyodide
        "blob": "did not start",  # refused by script-src (worker-src falls back to it)
        "data": "did not start",
    }
    assert outside.paths == []


SCRIPTS_AND_FONTS = """(async (outside) => {
  const settle = (promise) => promise.then(() => "loaded", (error) => `failed: ${error.name}`);
  return {
    importOther: await settle(import(`${outside}/dynamic-import.mjs`)),
    importData: await settle(import(`data:text/javascript,import("${outside}/via-data.mjs")`)),
    font: await settle(new FontFace("probe", `url(${outside}/font)`).load()),
    importOwn: await settle(import("/pyodide/pyodide.mjs")),
  };
})"""


def test_python_cannot_load_scripts_or_fonts_from_elsewhere(
    bridge: BridgePage, outside: Outside
) -> None:
    """Issue 14, item 12: script-src closes dynamic import(); default-src the rest."""
    bridge.init()
    outcome = probe(bridge, SCRIPTS_AND_FONTS, outside)
    assert outcome == {
        "importOther": "failed: TypeError",
        "importData": "failed: TypeError",
        "font": "failed: NetworkError",
        "importOwn": "loaded",
    }
    assert outside.paths == []


SERVER_FUNCTIONS = """(async () => {
  const status = (url, method) =>
    fetch(url, { method }).then((response) => response.status, (error) => error.name);
  const ws = (url) => new Promise((resolve) => {
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      return resolve(`refused: ${error.name}`);
    }
    socket.onopen = () => {
      socket.close();
      resolve("open");
    };
    socket.onerror = () => resolve("error");
  });
  const here = new URL("/", location.href);
  return {
    session: await status("/hostcall/session", "POST"),
    encoded: await status("/pyodide/..%2Fhostcall/session", "POST"),
    socket: await ws(`ws://${here.host}/hostcall/ws`),
    page: await status("/bridge.js", "GET"),
  };
})"""


def test_python_cannot_reach_the_server_functions_itself(
    bridge: BridgePage, outside: Outside
) -> None:
    """Issue 14, item 13: server functions are the page's to hand over, not the worker's."""
    bridge.init()
    outcome = probe(bridge, SERVER_FUNCTIONS, outside)
    assert outcome["session"] == "TypeError"  # refused by connect-src, no token issued
    assert outcome["encoded"] in (404, 405)  # inside /pyodide/, where nothing answers POST
    assert outcome["socket"] in ("error", "refused: SecurityError")
    assert outcome["page"] == "TypeError"


@pytest.mark.modes("isolated")  # the same Python in both transports
@pytest.mark.parametrize(
    "escape",
    [
        "import js",
        "from pyodide.ffi import to_js",
        "import pyodide.code",
        "__import__('pyodide_js')",
        "import importlib\nimportlib.import_module('js')",
        "import importlib._bootstrap\nimportlib._bootstrap._gcd_import('js')",
        "exec('import js')",
        "def later():\n    import js\nlater()",
    ],
)
def test_user_code_cannot_import_the_javascript_side(ready: BridgePage, escape: str) -> None:
    result = ready.run(escape)
    assert result["ok"] is False
    assert result["error"]["type"] == "ImportError"
    assert "is blocked" in result["error"]["message"]
    assert "init({allowJs: true})" in result["error"]["message"]


@pytest.mark.modes("isolated")  # the same Python in both transports
@pytest.mark.parametrize(
    ("escape", "error"),
    [
        # Standard-library helpers that import whatever their caller names.
        ("import pkgutil\npkgutil.resolve_name('js').Object.name", "ImportError"),
        ("import pkgutil\npkgutil.resolve_name('pyodide.code:run_js')('1')", "ImportError"),
        ("import pydoc\npydoc.locate('js').Object.name", "AttributeError"),  # None: not found
        ("import pickle\npickle.loads(b'cjs\\neval\\n.')('1')", "ImportError"),
        ("import pickle\npickle._loads(b'cjs\\neval\\n.')('1')", "ImportError"),
        ("import runpy\nrunpy.run_module('pyodide.code')", "ImportError"),
        # The guard's own workings, and the other public import function.
        ("__import__.__closure__[0].cell_contents('js').Object.name", "TypeError"),
        ("import importlib\nimportlib.__import__('js').Object.name", "ImportError"),
        # A relative import, in a module that says its package is pyodide.
        (
            "exec('from . import code', {'__name__': 'pyodide.x', '__package__': 'pyodide'})",
            "ImportError",
        ),
        ("import importlib\nimportlib.import_module('.code', 'pyodide')", "ImportError"),
        # A file name is the caller's to choose.
        ("exec(compile('import js', '/lib/python314.zip/x.py', 'exec'))", "ImportError"),
        ("exec(compile('import js', '/hostcall/hostcall/x.py', 'exec'))", "ImportError"),
        # JavaScript with no import of js at all.
        ("import ctypes\nctypes.CDLL(None).emscripten_run_script(b'1')", "ImportError"),
        ("import _ctypes", "ImportError"),
    ],
)
def test_user_code_cannot_import_on_someone_elses_behalf(
    ready: BridgePage, escape: str, error: str
) -> None:
    """Issue 14, item 14: each route that got past the import block, with allowJs off."""
    result = ready.run(escape)
    assert result["ok"] is False
    assert result["error"]["type"] == error
    if error == "ImportError":
        assert "is blocked" in result["error"]["message"]


@pytest.mark.modes("isolated")
def test_a_callable_handed_to_the_page_does_not_import_as_hostcall(ready: BridgePage) -> None:
    """hostcall's runner calls what Python handed the page: that call is not hostcall's import.

    (A chain of builtins runs no Python frame of its own, so the runner's is the one asked.)
    """
    outcome = ready.js(
        """async () => {
            let kept = null;
            const code = "import functools, operator\\n"
                + "reach = map(operator.methodcaller('eval', '6 * 7'), map(__import__, ['js']))\\n"
                + "keep(functools.partial(list, reach))";
            const run = await Hostcall.runWithHostFunctions(code, {keep: (f) => { kept = f; }});
            try {
                return {run: run.ok, called: await kept()};
            } catch (error) {
                return {run: run.ok, error: error.message};
            }
        }"""
    )
    assert outcome["run"] is True
    assert "called" not in outcome
    assert "import of 'js' is blocked" in outcome["error"]


BAIT = """
import gc, weakref, functools, operator
class Bait: pass
bait = Bait()
# Called with no Python frame when the bait dies: builtins only, nothing to see but them.
reach = map(operator.methodcaller("eval", "globalThis.escaped = 'out'"), map(__import__, ["js"]))
keep = weakref.ref(bait, functools.partial(set().union, reach))
# The list of this run's host function names, which the worker's JavaScript frees at its end.
[names] = [o for o in gc.get_objects() if type(o) is list and o[:1] == ["holder_of_the_bait"]]
names.append(bait)
del bait, names
"""


@pytest.mark.modes("isolated")
def test_an_import_from_no_python_frame_is_not_trusted(ready: BridgePage) -> None:
    """A garbage-collector callback that JavaScript sets off is not the runtime importing."""
    # Read with the import block's documented gap: the test's witness, not the attack.
    witness = "import sys\nsys.modules['pyodide.code'].run_js('globalThis.escaped ?? \"in\"')"
    outcome = ready.js(
        """async ([bait, witness]) => {
            const first = await Hostcall.runWithHostFunctions(bait, {holder_of_the_bait: () => 0});
            return [first.ok, (await Hostcall.run(witness)).value];
        }""",
        [BAIT, witness],
    )
    assert outcome == [True, "in"]


@pytest.mark.modes("isolated")
def test_the_standard_library_keeps_what_it_needs_from_pyodide(ready: BridgePage) -> None:
    """asyncio runs on Pyodide's event loop and imports from it: that is not user code."""
    result = ready.run(
        "import asyncio, json\nawait asyncio.sleep(0.01)\n"
        "async def twice(x): return 2 * x\n"
        "json.dumps(await asyncio.gather(twice(1), twice(2)))"
    )
    assert result["value"] == "[2, 4]"


@pytest.mark.modes("isolated")
def test_a_page_may_allow_javascript_and_a_spare_loaded_without_it_is_not_used(
    bridge: BridgePage,
) -> None:
    result = bridge.js(
        """async () => {
            const s = Hostcall.createSession({spare: true, interruptGraceMs: 100});
            await s.init();
            while (s.discover().spare !== "ready") await new Promise((r) => setTimeout(r, 20));
            const blocked = (await s.run("import js")).error.type;
            const stuck = s.run("import time\\ntime.sleep(30)").catch((e) => e.code);
            await new Promise((r) => setTimeout(r, 50));
            await s.interrupt();
            await s.init({allowJs: true});
            const allowed = await s.run("import js\\njs.self.constructor.name");
            await s.dispose();
            return {blocked, stuck: await stuck, allowed: allowed.value};
        }"""
    )
    assert result == {
        "blocked": "ImportError",
        "stuck": "terminated",
        "allowed": "DedicatedWorkerGlobalScope",
    }
