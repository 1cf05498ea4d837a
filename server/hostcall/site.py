"""``hostcall build-site``: a self-contained static site any static server can host.

The site holds what a page needs with no network beyond its own server: ``bridge.js``, the
worker, ``web/``, the service worker when the bridge ships one, the Pyodide runtime under
``pyodide/``, the package folder under ``packages/`` and the pages, each referring to
``bridge.js`` by a relative URL (docs/packages.md).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from hostcall.assets import asset_root
from hostcall.packages import listed

# Beside bridge.js: the service worker of the hosting tier, where this version ships one.
SERVICE_WORKER = "hostcall-sw.js"


class SiteError(Exception):
    """The site could not be written; the message says why."""


def build(dest: Path, pages: Sequence[Path], packages: Path, runtime: Path) -> None:
    """Write the site into ``dest``, a folder that is new or empty."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise SiteError(f"{dest} is not an empty folder: build the site into a new one")
    for page in pages:
        if not page.is_file():
            raise SiteError(f"--page {page}: no such file")
    root = asset_root()
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("bridge.js", SERVICE_WORKER):
        if (root / name).is_file():
            shutil.copy2(root / name, dest / name)
    # The worker's Python is inside worker.js (scripts/build embeds it).
    (dest / "worker").mkdir()
    shutil.copy2(root / "worker" / "worker.js", dest / "worker" / "worker.js")
    shutil.copytree(root / "web", dest / "web")
    shutil.copytree(runtime, dest / "pyodide", ignore=shutil.ignore_patterns(".*"))
    if packages.is_dir():
        shutil.copytree(packages, dest / "packages", ignore=shutil.ignore_patterns(".*"))
    for page in pages:
        shutil.copy2(page, dest / page.name)
    if not pages:
        names = [item.name for item in listed(packages)]
        (dest / "index.html").write_text(example_page(names), encoding="utf-8")


def example_page(packages: Sequence[str]) -> str:
    """A page whose Python block loads ``packages`` (a ``config``) and prints what it has."""
    # Package names are PEP 503 names ([a-z0-9-]): nothing in them needs escaping in the attribute.
    config = f" config='{json.dumps({'packages': list(packages)})}'" if packages else ""
    return f"""<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>hostcall</title>
<script src="bridge.js"></script>
<h1>Python in this page</h1>
<script type="text/python" id="example"{config}>
import sys
from importlib.metadata import distributions

print("Python", sys.version.split()[0], "in your browser, served by this site alone")
found = sorted(f"{{d.name}} {{d.version}}" for d in distributions())
print("packages:", ", ".join(found) or "none")
</script>
</html>
"""
