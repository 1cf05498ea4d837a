"""The pinned Pyodide runtime: where it lives and how it gets there.

The runtime is the npm package ``pyodide@314.0.7``, fetched once with the ordinary ``npm``
client, checked against npm's recorded integrity hash and unpacked into a per-user cache.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

PYODIDE_VERSION = "314.0.7"
PYODIDE_INTEGRITY = "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="  # noqa: E501 (a hash)

# Written into the staged copy just before it is renamed into place, so a runtime
# directory holding it is complete.
_MARKER = ".hostcall-complete"


class RuntimeSetupError(RuntimeError):
    """The Pyodide runtime is missing and could not be installed."""


def runtime_dir() -> Path:
    """Return where the Pyodide runtime is (or will be) installed.

    ``$HOSTCALL_PYODIDE_DIR`` wins and is used as-is; otherwise it is
    ``<cache>/pyodide-<version>`` where the cache is ``$HOSTCALL_CACHE_DIR``,
    ``$XDG_CACHE_HOME/hostcall`` or ``~/.cache/hostcall``.
    """
    override = os.environ.get("HOSTCALL_PYODIDE_DIR")
    if override:
        return Path(override)
    return _cache_dir() / f"pyodide-{PYODIDE_VERSION}"


def ensure_runtime(log: Callable[[str], None]) -> Path:
    """Return the runtime directory, fetching and installing Pyodide first if needed.

    ``log`` receives one line per step taken. Raises :class:`RuntimeSetupError` when the
    runtime is missing and cannot be installed.
    """
    path = runtime_dir()
    if os.environ.get("HOSTCALL_PYODIDE_DIR"):
        if not (path / "pyodide.mjs").is_file():
            raise RuntimeSetupError(f"HOSTCALL_PYODIDE_DIR={path} holds no pyodide.mjs")
        return path
    if _is_complete(path):
        return path
    log(f"Pyodide {PYODIDE_VERSION} runtime not found; fetching it with npm…")
    try:
        _install(path)
    except (OSError, tarfile.TarError) as exc:
        raise RuntimeSetupError(f"could not install Pyodide in {path}: {exc}") from exc
    log(f"Pyodide {PYODIDE_VERSION} installed in {path}")
    return path


def _cache_dir() -> Path:
    explicit = os.environ.get("HOSTCALL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hostcall"


def _is_complete(path: Path) -> bool:
    return (path / _MARKER).is_file()


def _install(dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Stage beside dest: the final rename must stay on one filesystem to be atomic.
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}-") as tmp:
        work = Path(tmp)
        tarball = _npm_pack(work)
        _check_integrity(tarball)
        staged = _extract(tarball, work / "unpacked")
        (staged / _MARKER).write_text(PYODIDE_INTEGRITY + "\n")
        _commit(staged, dest, trash=work / "stale")


def _npm_pack(into: Path) -> Path:
    """Download the pinned package tarball into ``into`` with npm and return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeSetupError(
            f"npm was not found on PATH, so pyodide@{PYODIDE_VERSION} cannot be fetched. "
            "Install Node.js (which provides npm), or set HOSTCALL_PYODIDE_DIR to an "
            "unpacked Pyodide runtime (the directory holding pyodide.mjs)."
        )
    spec = f"pyodide@{PYODIDE_VERSION}"
    proc = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(into), "--json"],
        cwd=into,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeSetupError(f"`npm pack {spec}` failed:\n{proc.stderr.strip()}")
    try:
        filename = json.loads(proc.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError) as exc:
        raise RuntimeSetupError(f"unexpected output from npm pack: {proc.stdout!r}") from exc
    return into / Path(filename).name


def _check_integrity(tarball: Path) -> None:
    with tarball.open("rb") as f:
        digest = hashlib.file_digest(f, "sha512").digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    if actual != PYODIDE_INTEGRITY:
        raise RuntimeSetupError(
            f"{tarball.name} does not match the pinned integrity of pyodide@{PYODIDE_VERSION}"
            f" (expected {PYODIDE_INTEGRITY}, got {actual}); nothing was installed"
        )


def _extract(tarball: Path, into: Path) -> Path:
    """Unpack the tarball's ``package/`` tree under ``into`` and return that tree."""
    with tarfile.open(tarball, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("package/")]
        # The "data" filter refuses absolute paths, "..", links leaving the tree and devices.
        archive.extractall(into, members=members, filter="data")
    return into / "package"


def _commit(staged: Path, dest: Path, trash: Path) -> None:
    """Rename ``staged`` to ``dest``; this rename is what makes an install visible."""
    try:
        staged.rename(dest)
    except OSError:
        if _is_complete(dest):
            return  # another process won the race with an identical copy
        # Complete installs only ever arrive by rename, so this is a leftover of an
        # interrupted or hand-made install: move it into our temp dir, which is deleted.
        dest.rename(trash)
        staged.rename(dest)
