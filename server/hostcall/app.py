"""The development server: bridge, worker, page libraries, showcase, its editor and Pyodide.

Every file is served through :func:`safe_file`, and every response carries the
cross-origin isolation headers when isolation is on (SharedArrayBuffer needs them).
Every script carries the worker's Content-Security-Policy, which keeps the Python in a
worker off the network but for its runtime and an allow-list. With ``cors`` the files may
be loaded by pages of other origins (docs/hosting.md).
"""

import re
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from aiohttp import web

from hostcall.assets import asset_root
from hostcall.remote import HostFunctions

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PrepareHook = Callable[[web.Request, web.StreamResponse], Awaitable[None]]

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Explicit because the platform's mimetypes tables vary (and call .ts MPEG video);
# anything not listed is left to aiohttp's guess.
_CONTENT_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".py": "text/x-python; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".ts": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}

# The benchmark's floors: served only when asked for (``create_app(bench=True)``).
FLOORS = ("bench/floor.js", "bench/floor-worker.js")

# What a worker loads from its own server: the runtime and the package folder (PyPI wheels and
# their lock file, docs/packages.md). Its Python comes inside worker/worker.js (scripts/build
# embeds it).
WORKER_PATHS = ("/pyodide/", "/packages/")

# The service worker of the isolation tier "service-worker" (docs/hosting.md), beside bridge.js.
SERVICE_WORKER = "hostcall-sw.js"

# aiohttp's FileResponse sends x.gz or x.br instead of x when the client accepts it.
_PRECOMPRESSED = (".gz", ".br")


def create_app(
    *,
    isolation: bool = True,
    assets: Path | None = None,
    runtime: Path,
    vendor: Path | None = None,
    connect: Sequence[str] = (),
    packages: Path | None = None,
    host_functions: HostFunctions | None = None,
    bench: bool = False,
    cors: Sequence[str] = (),
) -> web.Application:
    """Build the dev server application.

    ``assets`` is the directory holding ``bridge.js``, ``worker/``, ``web/`` and
    ``showcase/`` (default: :func:`hostcall.assets.asset_root`); ``runtime`` is the
    unpacked Pyodide runtime, served under ``/pyodide/``; ``vendor`` holds the showcase's
    editor packages (:mod:`hostcall.editor`), served under ``/vendor/`` (without it those
    URLs are 404 and the showcase falls back to a plain text area). With ``isolation`` every
    response carries COOP/COEP/CORP so the page is cross-origin isolated. ``connect``
    lists the origins (CSP source expressions) the worker may reach besides its runtime and
    load scripts from (:func:`worker_policy`). ``packages`` is the package folder
    (:mod:`hostcall.packages`), served under ``/packages/`` (a missing folder serves 404s,
    which the worker reports as packages not added).
    ``host_functions`` are served to pages under ``/hostcall/`` (docs/remote.md). ``bench``
    serves the benchmark's floors (``bench/floor.js`` and the worker it starts) under
    ``/bench/``: a worker with no hostcall in it, for ``bench/bench.py`` and the showcase's
    measure button only. ``cors`` lists the page origins (or ``*``) that may load the
    served files from another origin (``bridge.js`` from a CDN-style host): they get CORS
    headers and ``Cross-Origin-Resource-Policy: cross-origin`` (:func:`cors_headers`).
    """
    root = assets if assets is not None else asset_root()
    app = web.Application()
    if isolation:
        # A response-prepare hook, not a middleware, so that responses built by aiohttp
        # itself (404, 405, 304, errors) get the headers too.
        app.on_response_prepare.append(_add_isolation_headers)
    if cors:
        # After the isolation headers: its CORP replaces theirs.
        app.on_response_prepare.append(_cors(cors))
    app.on_response_prepare.append(_worker_policy(connect))
    app.router.add_get("/", _static(root, "showcase/index.html"))
    for name in ("bridge.js", "bridge.d.ts", SERVICE_WORKER):
        app.router.add_get(f"/{name}", _static(root, name))
    for prefix in ("worker", "web", "showcase"):
        app.router.add_get(f"/{prefix}/{{path:.*}}", _static(root / prefix))
    app.router.add_get("/pyodide/{path:.*}", _static(runtime))
    if packages is not None:
        app.router.add_get("/packages/{path:.*}", _static(packages))
    if bench:
        for name in FLOORS:
            app.router.add_get(f"/{name}", _static(root, name))
    if vendor is not None:
        app.router.add_get("/vendor/{path:.*}", _static(vendor))
    if host_functions is not None:
        host_functions.setup(app)
    return app


def safe_file(root: Path, rel: str) -> Path | None:
    """Return the regular file that the URL path ``rel`` names inside ``root``, or None.

    ``rel`` is the decoded path below the route's prefix; it is never decoded again.
    Refused: empty, ``.`` or ``..`` segments (so also absolute paths), NUL bytes,
    backslashes, directories, and anything whose resolved path (symlinks followed) lies
    outside the resolved ``root``, including a precompressed sibling aiohttp would send.
    """
    parts = rel.split("/")
    if "\x00" in rel or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        return None
    try:
        base = root.resolve()
        path = base.joinpath(*parts).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        for suffix in _PRECOMPRESSED:
            sibling = path.with_name(path.name + suffix)
            if sibling.exists() and not sibling.resolve().is_relative_to(base):
                return None
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return None
    return path


def _static(root: Path, fixed: str | None = None) -> Handler:
    """Make a handler serving ``fixed``, or else the URL's ``{path}``, from ``root``."""

    async def handler(request: web.Request) -> web.StreamResponse:
        rel = fixed if fixed is not None else request.match_info["path"]
        path = safe_file(root, rel)
        if path is None:
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "no-cache"}
        content_type = _CONTENT_TYPES.get(path.suffix)
        if content_type is not None:
            headers["Content-Type"] = content_type
        # FileResponse adds ETag and Last-Modified and answers conditional requests with 304.
        return web.FileResponse(path, headers=headers)

    return handler


async def _add_isolation_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(ISOLATION_HEADERS)


def cors_headers(allowed: Sequence[str], origin: str | None) -> dict[str, str]:
    """The headers that let a page of ``origin`` load a file: CORS when ``allowed`` names it
    (or holds ``*``), and in any case ``Cross-Origin-Resource-Policy: cross-origin``, which a
    cross-origin isolated page needs for a script it loads without CORS (a ``<script src>``)."""
    headers = {"Cross-Origin-Resource-Policy": "cross-origin"}
    if "*" in allowed:
        headers["Access-Control-Allow-Origin"] = "*"
    else:
        headers["Vary"] = "Origin"
        if origin is not None and origin in allowed:
            headers["Access-Control-Allow-Origin"] = origin
    return headers


def _cors(allowed: Sequence[str]) -> PrepareHook:
    async def add(request: web.Request, response: web.StreamResponse) -> None:
        # The host functions under /hostcall/ answer with CORS of their own (their origins=).
        if not request.path.startswith("/hostcall/"):
            response.headers.update(cors_headers(allowed, request.headers.get("Origin")))

    return add


_SOURCE = re.compile(r"^[^\s;,']+$")


def worker_policy(origin: str, connect: Sequence[str] = ()) -> str:
    """The worker's Content-Security-Policy, for a worker whose server is ``origin``.

    Connections go to the runtime on ``origin`` (a path, not the whole
    origin: the server's other URLs, such as its host functions, are the page's to use) and to
    ``connect``; scripts, nested workers included, come from ``origin`` and ``connect`` only;
    everything else (fonts, images) from nowhere. WebAssembly compiles ('wasm-unsafe-eval') and
    JavaScript may ``eval`` (``pyodide.code.run_js``): code run that way is held by the same
    policy. Raises ValueError for an origin or source that is not one CSP source expression.
    """
    for source in (origin, *connect):
        if not _SOURCE.match(source):
            raise ValueError(f"not a CSP source expression: {source!r}")
    own = [origin + path for path in WORKER_PATHS]
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src", origin, *connect, "'wasm-unsafe-eval'", "'unsafe-eval'"]),
            " ".join(["connect-src", *own, *connect]),
        ]
    )


def _worker_policy(connect: Sequence[str]) -> PrepareHook:
    worker_policy("http://localhost", connect)  # a bad source fails here, at start-up

    async def add(request: web.Request, response: web.StreamResponse) -> None:
        # A worker's policy is the one its script was served with, and any script of this
        # server can be started as a worker (from the worker's own JavaScript, too): so every
        # response but a page carries it. A browser ignores it on anything else.
        if response.content_type == "text/html":
            return
        origin = f"{request.scheme}://{request.host}"
        try:
            policy = worker_policy(origin, connect)
        except ValueError:  # a Host header no policy can name: no connections at all
            policy = "default-src 'none'"
        response.headers["Content-Security-Policy"] = policy

    return add
