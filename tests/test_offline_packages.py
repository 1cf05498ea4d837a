"""PyPI packages with no internet at run time (issue 16, *Packages offline*; docs/packages.md).

``hostcall packages add`` runs once for the session (PyPI, through pip and its cache), into a
temporary project; every other test copies that folder. The pages load the packages from
``hostcall serve`` run in that project, or from a ``build-site`` output served by
``python -m http.server``: real Chromium, real servers, real Pyodide.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

import hostcall as hostcall_api
from conftest import StaticSite
from hostcall.errors import ArgumentTypeError
from hostcall.packages import PackagesError, listed, remove
from hostcall.runtime import runtime_dir
from serverprocess import ServerProcess, StaticServer

# A small pure-Python package with a pure-Python dependency, imported by another name.
PACKAGE, DEPENDENCY, MODULE = "python-slugify", "text-unidecode", "slugify"
SLUG = "from slugify import slugify\nslugify('Héllo, Wörld!')"


def hostcall(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hostcall", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder whose ./hostcall-packages/ holds python-slugify and micropip."""
    folder = tmp_path_factory.mktemp("project")
    added = hostcall("packages", "add", PACKAGE, "micropip", cwd=folder)
    assert added.returncode == 0, added.stderr
    return folder


@pytest.fixture
def copy(project: Path, tmp_path: Path) -> Path:
    """A copy of the project's package folder, for a test that changes it."""
    return Path(shutil.copytree(project / "hostcall-packages", tmp_path / "packages"))


def lock(folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((folder / "pyodide-lock.json").read_text())
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_add_downloads_a_package_with_its_dependency_into_a_lock(project: Path) -> None:
    folder = project / "hostcall-packages"
    assert [item.name for item in listed(folder)] == ["micropip", PACKAGE, DEPENDENCY]
    entries = lock(folder)["packages"]
    assert entries[PACKAGE]["depends"] == [DEPENDENCY]
    assert entries[PACKAGE]["imports"] == [MODULE]
    assert (folder / entries[DEPENDENCY]["file_name"]).is_file()
    # A copy of the runtime's lock: its own packages stay listed.
    assert "numpy" in entries
    assert {path.suffix for path in folder.iterdir()} == {".whl", ".json"}


def test_a_compiled_package_is_refused_and_nothing_is_half_added(copy: Path) -> None:
    before = snapshot(copy)
    refused = hostcall("packages", "add", "--dir", str(copy), "six", "psutil", cwd=copy.parent)
    assert refused.returncode == 1
    assert "psutil: no pure-Python wheel and no Pyodide build" in refused.stderr
    assert "compiled code" in refused.stderr
    assert snapshot(copy) == before
    assert [path.name for path in copy.parent.iterdir()] == ["packages"]  # no staging left


def test_list_and_remove(copy: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return hostcall("packages", *args, "--dir", str(copy), cwd=copy.parent)

    listing = [line.split() for line in cli("list").stdout.splitlines()]
    assert [line[0] for line in listing] == ["micropip", PACKAGE, DEPENDENCY]
    assert listing[1][2] == f"({lock(copy)['packages'][PACKAGE]['file_name']})"
    kept = cli("remove", DEPENDENCY)
    assert kept.returncode == 1
    assert f"{PACKAGE} depends on {DEPENDENCY}: remove it too" in kept.stderr
    with pytest.raises(PackagesError, match=r": nothere \(hostcall packages list shows what is\)"):
        remove(copy, ["nothere"], runtime_dir())
    remove(copy, [PACKAGE, DEPENDENCY], runtime_dir())
    assert [item.name for item in listed(copy)] == ["micropip"]
    assert PACKAGE not in lock(copy)["packages"]
    remove(copy, ["micropip"], runtime_dir())
    assert listed(copy) == []
    # The runtime's own entry comes back, as in Pyodide's lock.
    runtime_lock = json.loads((runtime_dir() / "pyodide-lock.json").read_text())
    assert lock(copy)["packages"]["micropip"] == runtime_lock["packages"]["micropip"]
    assert [path.name for path in copy.iterdir()] == ["pyodide-lock.json"]


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    """``hostcall serve --cors`` in the project: it serves ./hostcall-packages at /packages/,
    to its own pages and to those of another origin."""
    server = ServerProcess("--cors", cwd=project)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One context, whose HTTP cache and startup snapshot the pages share."""
    made = browser.new_context()
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext, served: str) -> Iterator[Page]:
    page = context.new_page()
    page.goto(served + "showcase/blank.html")
    yield page
    page.close()


def init_and_run(page: Page, packages: list[str], code: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """async ([packages, code]) => {
            await Hostcall.init({packages});
            return Hostcall.run(code);
        }""",
        [packages, code],
    )
    return result


def test_a_page_imports_a_package_named_in_init(page: Page) -> None:
    result = init_and_run(page, [PACKAGE], SLUG)
    assert result["ok"], result
    assert result["value"] == "hello-world"


def test_micropip_installs_from_the_local_folder(page: Page) -> None:
    code = f"import micropip\nawait micropip.install({PACKAGE!r})\n{SLUG}"
    result = init_and_run(page, ["micropip"], code)
    assert result["ok"], result
    assert result["value"] == "hello-world"
    # Its index is the folder too: a package not added fails there, and PyPI is never asked.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    missing = page.evaluate(
        "Hostcall.run(\"import micropip\\nawait micropip.install('humanize')\")"
    )
    assert not missing["ok"]
    assert "humanize" in missing["error"]["message"], missing["error"]
    folder = page.url.removesuffix("showcase/blank.html") + "packages/humanize/"
    assert requests == [folder]


def test_a_package_not_added_fails_its_import_saying_how_to_add_it(page: Page) -> None:
    result = init_and_run(page, [PACKAGE, "humanize"], "import humanize")
    assert not result["ok"]
    assert result["error"]["type"] == "ModuleNotFoundError"
    assert "run `hostcall packages add humanize`" in result["error"]["message"]
    # What was added still loads beside it.
    assert init_and_run(page, [PACKAGE, "humanize"], SLUG)["value"] == "hello-world"


def test_a_block_whose_config_names_a_package_imports_it(
    static_site: StaticSite, served: str, context: BrowserContext
) -> None:
    """The issue's set-up: the page on a plain static host, bridge.js and the package folder
    from ``hostcall serve --cors`` on another origin."""
    config = json.dumps({"packages": [PACKAGE]})
    url = static_site.page(
        "package-block.html",
        f"""<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
        <script src="{served}bridge.js"></script>
        <body>
        <script type="text/python" id="block" config='{config}'>
        from slugify import slugify
        print(slugify("Héllo, Wörld!"))
        </script>""",
    )
    page = context.new_page()
    try:
        page.goto(url)
        output = page.locator("#block + .hostcall-output")
        output.wait_for(timeout=60_000)
        assert output.text_content() == "hello-world\n"
        assert page.locator(".hostcall-error").count() == 0
    finally:
        page.close()


def test_build_site_works_from_a_plain_static_server(
    project: Path, tmp_path: Path, browser: Browser
) -> None:
    site = tmp_path / "site"
    built = hostcall("build-site", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    index = (site / "index.html").read_text()
    assert '<script type="text/python"' in index
    assert f"""config='{{"packages": ["micropip", "{PACKAGE}", "{DEPENDENCY}"]}}'""" in index
    server = StaticServer(site)
    origin = server.url.removesuffix("/")
    context = browser.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page.goto(origin + "/")
        out = page.locator(".hostcall-output")
        out.filter(has_text="packages:").wait_for(timeout=60_000)
        text = out.text_content() or ""
        assert "served by this site alone" in text
        assert f"{PACKAGE} 9." in text and f"{DEPENDENCY} 1." in text
        assert requests and all(url.startswith(origin + "/") for url in requests), requests
        assert any("/packages/" in url for url in requests)
    finally:
        context.close()
        server.stop()


def test_bad_packages_options_are_refused(page: Page) -> None:
    for value, message in [
        ("python-slugify", "init: packages must be an array of package names, not String"),
        (["a b"], 'init: packages: "a b" is not a package name'),
        ([3], "init: packages: Number is not a package name"),
    ]:
        error = page.evaluate(
            "(packages) => Hostcall.createSession().init({packages}).catch((e) => [e.code, e.message])",
            value,
        )
        assert error == ["invalid-argument", message]


def test_the_browser_checks_its_package_folder_option() -> None:
    with pytest.raises(ArgumentTypeError, match=r"packages_dir must be a str or a path, not int"):
        hostcall_api.Browser(packages_dir=3)  # type: ignore[arg-type]


def test_hostcall_run_loads_a_package_of_its_folder(project: Path) -> None:
    (project / "slug.py").write_text("from slugify import slugify\nprint(slugify('Héllo!'))\n")
    ran = hostcall("run", "slug.py", "--package", PACKAGE, cwd=project)
    assert (ran.returncode, ran.stdout) == (0, "hello\n"), ran.stderr
