"""The dev server: isolation headers, MIME types, caching and path safety."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from hostcall import HostFunctions
from hostcall.app import ISOLATION_HEADERS, create_app, worker_policy
from hostcall.cli import main

SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT"

ClientFactory = Callable[[web.Application], Awaitable[TestClient[web.Request, web.Application]]]
Client = TestClient[web.Request, web.Application]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    """A fake asset root and runtime dir, beside a secret file neither may serve."""
    assets, runtime = tmp_path / "assets", tmp_path / "runtime"
    write(tmp_path / "secret.txt", SECRET)
    write(assets / "bridge.js", "/* bridge */")
    write(assets / "bridge.d.ts", "export {};")
    write(assets / "hostcall-sw.js", "/* service worker */")
    write(assets / "worker" / "worker.js", "/* worker */")
    write(assets / "worker" / "python" / "mod.py", "x = 1")
    write(assets / "web" / "embed.mjs", "export {};")
    write(assets / "showcase" / "index.html", "<title>showcase</title>")
    write(assets / "showcase" / "data.json", "{}")
    write(runtime / "pyodide.mjs", "/* pyodide */")
    (runtime / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (runtime / "python_stdlib.zip").write_bytes(b"PK")
    # Symlinks: two leading out of the root, one staying inside it.
    (assets / "worker" / "leak.js").symlink_to(tmp_path / "secret.txt")
    (assets / "worker" / "outside").symlink_to(tmp_path)
    (runtime / "leak.mjs").symlink_to(tmp_path / "secret.txt")
    vendor = tmp_path / "vendor"
    write(vendor / "@codemirror" / "view" / "dist" / "index.js", "export {};")
    (vendor / "leak.js").symlink_to(tmp_path / "secret.txt")
    (assets / "web" / "alias.mjs").symlink_to(assets / "web" / "embed.mjs")
    # A precompressed sibling that FileResponse would send instead, leading out of the root.
    write(assets / "web" / "packed.js", "/* packed */")
    (assets / "web" / "packed.js.gz").symlink_to(tmp_path / "secret.txt")
    return assets, runtime


@pytest.fixture
async def client(aiohttp_client: ClientFactory, roots: tuple[Path, Path]) -> Client:
    assets, runtime = roots
    vendor = assets.parent / "vendor"
    return await aiohttp_client(create_app(assets=assets, runtime=runtime, vendor=vendor))


async def raw_get(client: Client, target: str) -> tuple[int, bytes]:
    """Send a request line exactly as given: a client library would normalise the path."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    request = f"GET {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    writer.write(request.encode("latin-1"))
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    return int(response.split(b" ", 2)[1]), response


@pytest.mark.parametrize("isolation", [True, False])
async def test_isolation_headers_on_every_response(
    aiohttp_client: ClientFactory, roots: tuple[Path, Path], isolation: bool
) -> None:
    assets, runtime = roots
    client = await aiohttp_client(create_app(isolation=isolation, assets=assets, runtime=runtime))
    ok = await client.get("/bridge.js")
    not_modified = await client.get("/bridge.js", headers={"If-None-Match": ok.headers["ETag"]})
    missing = await client.get("/nope.js")
    wrong_method = await client.post("/bridge.js")
    statuses = [r.status for r in (ok, not_modified, missing, wrong_method)]
    assert statuses == [200, 304, 404, 405]
    for response in (ok, not_modified, missing, wrong_method):
        for name, value in ISOLATION_HEADERS.items():
            assert response.headers.get(name) == (value if isolation else None)


@pytest.mark.parametrize(
    ("cors", "origin", "allowed"),
    [
        (["*"], "https://page.example", "*"),
        (["*"], None, "*"),
        (["https://page.example"], "https://page.example", "https://page.example"),
        (["https://page.example"], "https://other.example", None),
    ],
)
async def test_cors_lets_pages_of_other_origins_load_the_files(
    aiohttp_client: ClientFactory,
    roots: tuple[Path, Path],
    cors: list[str],
    origin: str | None,
    allowed: str | None,
) -> None:
    """Every file, 404s too, names the allowed origin and may be embedded cross-origin (its
    CORP replaces isolation's same-origin); the host functions keep their own CORS."""
    assets, runtime = roots
    functions = HostFunctions(origins=["https://page.example"])
    app = create_app(assets=assets, runtime=runtime, cors=cors, host_functions=functions)
    client = await aiohttp_client(app)
    headers = {"Origin": origin} if origin else {}
    for path in ("/bridge.js", "/worker/worker.js", "/pyodide/pyodide.asm.wasm", "/nope.js"):
        response = await client.get(path, headers=headers)
        assert response.headers.get("Access-Control-Allow-Origin") == allowed, path
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert response.headers.get("Vary") == (None if cors == ["*"] else "Origin")
    # The host functions keep their own CORS (their origins= decide), --cors or not.
    session = await client.post("/hostcall/session", headers=headers)
    assert session.headers.get("Access-Control-Allow-Origin") == origin
    assert session.status == (200 if origin == "https://page.example" else 403)


async def test_without_cors_files_stay_same_origin(client: Client) -> None:
    response = await client.get("/bridge.js", headers={"Origin": "https://page.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "bad", ["https://page.example/", "page.example", "https://a.example/x", "ftp://a"]
)
def test_cors_refuses_what_is_not_an_origin(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--cors", bad])
    assert exit_info.value.code == 2
    assert f"expected an origin such as https://example.org (no path), or *, not {bad!r}" in (
        capsys.readouterr().err
    )


async def test_the_worker_is_kept_off_the_network_but_for_an_allow_list(
    aiohttp_client: ClientFactory, roots: tuple[Path, Path]
) -> None:
    assets, runtime = roots
    app = create_app(assets=assets, runtime=runtime, connect=["https://api.example.com"])
    client = await aiohttp_client(app)
    worker = await client.get("/worker/worker.js")
    origin = f"http://{client.host}:{client.port}"
    assert worker.headers["Content-Security-Policy"] == (
        "default-src 'none'; "
        f"script-src {origin} https://api.example.com 'wasm-unsafe-eval' 'unsafe-eval'; "
        f"connect-src {origin}/pyodide/ {origin}/packages/ https://api.example.com"
    )
    assert worker_policy("http://h:1") == (
        "default-src 'none'; script-src http://h:1 'wasm-unsafe-eval' 'unsafe-eval'; "
        "connect-src http://h:1/pyodide/ http://h:1/packages/"
    )
    for bad in ["https://a.example; script-src *", "two words", "'unsafe-eval'"]:
        with pytest.raises(ValueError, match="not a CSP source expression"):
            worker_policy("http://h:1", [bad])
        with pytest.raises(ValueError, match="not a CSP source expression"):
            create_app(assets=assets, runtime=runtime, connect=[bad])


async def test_every_script_carries_the_worker_policy_and_no_page_does(
    aiohttp_client: ClientFactory, roots: tuple[Path, Path]
) -> None:
    """Any script can be started as a worker, whose policy is its script's (issue 14, 12)."""
    assets, runtime = roots
    client = await aiohttp_client(
        create_app(assets=assets, runtime=runtime, vendor=assets.parent / "vendor")
    )
    worker = (await client.get("/worker/worker.js")).headers["Content-Security-Policy"]
    for path in [
        "/bridge.js",
        "/web/embed.mjs",
        "/pyodide/pyodide.mjs",
        "/vendor/@codemirror/view/dist/index.js",
        "/worker/python/mod.py",
        "/nowhere.js",
    ]:
        response = await client.get(path)
        assert response.headers["Content-Security-Policy"] == worker, path
    for path in ["/", "/showcase/index.html"]:
        response = await client.get(path)
        assert response.status == 200
        assert "Content-Security-Policy" not in response.headers, path
        etag = response.headers["ETag"]
        revalidated = await client.get(path, headers={"If-None-Match": etag})
        assert revalidated.status == 304
        assert "Content-Security-Policy" not in revalidated.headers, path
    spoofed = await client.get("/bridge.js", headers={"Host": "a; script-src *"})
    assert spoofed.headers["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize("bench", [False, True])
async def test_the_benchmark_floors_are_served_only_when_asked_for(
    aiohttp_client: ClientFactory, roots: tuple[Path, Path], bench: bool
) -> None:
    assets, runtime = roots
    write(assets / "bench" / "floor.js", "/* floor */")
    write(assets / "bench" / "floor-worker.js", "/* floor worker */")
    write(assets / "bench" / "bench.py", "")
    client = await aiohttp_client(create_app(assets=assets, runtime=runtime, bench=bench))
    for name in ["floor.js", "floor-worker.js"]:
        response = await client.get(f"/bench/{name}")
        assert response.status == (200 if bench else 404)
        assert "Content-Security-Policy" in response.headers
    assert (await client.get("/bench/bench.py")).status == 404
    assert (await client.get("/web/floor-worker.js")).status == 404


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html"),
        ("/bridge.js", "text/javascript"),
        ("/hostcall-sw.js", "text/javascript"),
        ("/bridge.d.ts", "text/plain"),
        ("/worker/worker.js", "text/javascript"),
        ("/worker/python/mod.py", "text/x-python"),
        ("/web/embed.mjs", "text/javascript"),
        ("/showcase/data.json", "application/json"),
        ("/pyodide/pyodide.mjs", "text/javascript"),
        ("/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/pyodide/python_stdlib.zip", "application/zip"),
        ("/vendor/@codemirror/view/dist/index.js", "text/javascript"),
    ],
)
async def test_content_types(client: Client, path: str, content_type: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == content_type


async def test_index_is_the_showcase(client: Client) -> None:
    response = await client.get("/")
    assert await response.text() == "<title>showcase</title>"


async def test_without_the_editor_vendor_is_not_found(
    aiohttp_client: ClientFactory, roots: tuple[Path, Path]
) -> None:
    """The showcase then falls back to a plain text area (tests/test_showcase.py)."""
    assets, runtime = roots
    client = await aiohttp_client(create_app(assets=assets, runtime=runtime))
    assert (await client.get("/vendor/@codemirror/view/dist/index.js")).status == 404


async def test_head_has_headers_and_no_body(client: Client) -> None:
    response = await client.head("/pyodide/pyodide.mjs")
    assert response.status == 200
    assert response.headers["Content-Length"] == str(len("/* pyodide */"))
    assert await response.read() == b""


async def test_etag_revalidation(client: Client) -> None:
    first = await client.get("/worker/worker.js")
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = await client.get("/worker/worker.js", headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.headers["ETag"] == etag
    assert await again.read() == b""
    stale = await client.get("/worker/worker.js", headers={"If-None-Match": '"other"'})
    assert stale.status == 200


async def test_last_modified_revalidation(client: Client) -> None:
    first = await client.get("/showcase/index.html")
    since = first.headers["Last-Modified"]
    again = await client.get("/showcase/index.html", headers={"If-Modified-Since": since})
    assert again.status == 304
    assert again.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/worker", "/worker/", "/worker/python", "/worker/python/", "/pyodide/"]
)
async def test_directories_are_not_listed(client: Client, path: str) -> None:
    assert (await client.get(path)).status == 404


async def test_only_get_and_head(client: Client) -> None:
    for path in ("/", "/bridge.js", "/worker/worker.js", "/pyodide/pyodide.mjs"):
        assert (await client.post(path)).status == 405
        assert (await client.put(path)).status == 405


async def test_symlink_inside_the_root_is_served(client: Client) -> None:
    response = await client.get("/web/alias.mjs")
    assert await response.text() == "export {};"


@pytest.mark.parametrize(
    "target",
    [
        "/worker/../../secret.txt",
        "/worker/python/../../../secret.txt",
        "/pyodide/../secret.txt",
        "/worker/%2e%2e/%2e%2e/secret.txt",
        "/worker/%2E%2E/%2E%2E/secret.txt",
        "/pyodide/%2e%2e/secret.txt",
        "/worker/..%2f..%2fsecret.txt",
        "/worker/%2e%2e%2F%2e%2e%2Fsecret.txt",
        "/pyodide/..%2Fsecret.txt",
        "/worker/%252e%252e/%252e%252e/secret.txt",
        "/worker/%252e%252e%252f%252e%252e%252fsecret.txt",
        "/worker/..%5c..%5csecret.txt",
        "/worker/leak.js",
        "/worker/outside/secret.txt",
        "/pyodide/leak.mjs",
        "/worker/worker.js%00",
        "/worker/%00../../secret.txt",
        "/worker/./worker.js",
        "/vendor/../secret.txt",
        "/vendor/%2e%2e/secret.txt",
        "/vendor/leak.js",
    ],
)
async def test_paths_escaping_the_root_are_not_found(client: Client, target: str) -> None:
    status, response = await raw_get(client, target)
    assert status == 404
    assert SECRET.encode() not in response


async def test_absolute_paths_are_not_found(client: Client, roots: tuple[Path, Path]) -> None:
    secret = roots[0].parent / "secret.txt"
    for target in (f"/worker/{secret}", f"/worker/{str(secret).replace('/', '%2f')}"):
        status, response = await raw_get(client, target)
        assert status == 404
        assert SECRET.encode() not in response


async def test_precompressed_sibling_leading_outside_is_refused(client: Client) -> None:
    response = await client.get("/web/packed.js", headers={"Accept-Encoding": "gzip"})
    assert response.status == 404
    assert SECRET not in await response.text()


@pytest.mark.parametrize(
    ("stop", "flags", "mode"),
    [
        (signal.SIGTERM, [], "cross-origin isolated"),
        (signal.SIGINT, ["--no-isolation"], "not isolated: --no-isolation"),
    ],
)
def test_cli_serve(tmp_path: Path, stop: signal.Signals, flags: list[str], mode: str) -> None:
    write(tmp_path / "pyodide.mjs", "/* pyodide */")
    env = {**os.environ, "HOSTCALL_PYODIDE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "hostcall", "serve", "--port", "0", *flags]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline().rstrip("\n")
        match = re.fullmatch(r"hostcall: serving (http://127\.0\.0\.1:\d+/) \((.+)\)", line)
        assert match, line
        assert match[2] == mode
        try:
            headers = urllib.request.urlopen(match[1] + "bridge.js").headers
        except urllib.error.HTTPError as error:  # bridge.js may not exist yet
            assert error.code == 404
            headers = error.headers
        expected = ISOLATION_HEADERS["Cross-Origin-Opener-Policy"] if not flags else None
        assert headers.get("Cross-Origin-Opener-Policy") == expected
        proc.send_signal(stop)
        assert proc.wait(timeout=30) == 0
